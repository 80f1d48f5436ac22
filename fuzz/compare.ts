/**
 * Comparing two outcomes. The first difference found decides the divergence's kind, which the
 * minimiser keeps fixed while it shrinks the graph (so it does not wander off to another bug).
 */
import type { Outcome } from './engine.js';

/** What differed first (see compareOutcomes for the order). */
export type DivergenceKind = 'internal' | 'log' | 'entry' | 'settle' | 'hang';

/** The first difference between two outcomes. */
export interface Divergence {
  readonly kind: DivergenceKind;
  /** A short description of the first difference. */
  readonly detail: string;
}

/** The first difference between `actual` (engine under test) and `expected` (oracle), or null. */
export function compareOutcomes(actual: Outcome, expected: Outcome): Divergence | null {
  if (actual.internal.length > 0) {
    return { kind: 'internal', detail: `engine invariant failed: ${actual.internal[0]}` };
  }
  if (actual.hung !== expected.hung) {
    return { kind: 'hang', detail: `${actual.hung ? 'engine' : 'oracle'} ran out of turns` };
  }
  const n = Math.max(actual.log.length, expected.log.length);
  for (let i = 0; i < n; i++) {
    if (actual.log[i] !== expected.log[i]) {
      return {
        kind: 'log',
        detail: `log[${i}]: engine ${show(actual.log[i])}, oracle ${show(expected.log[i])}`,
      };
    }
  }
  if (actual.entry !== expected.entry) {
    return { kind: 'entry', detail: `entry: engine ${actual.entry}; oracle ${expected.entry}` };
  }
  if (actual.settledTurn !== expected.settledTurn) {
    return {
      kind: 'settle',
      detail: `entry settled in turn ${actual.settledTurn} (engine) vs ${expected.settledTurn} (oracle)`,
    };
  }
  return null;
}

function show(line: string | undefined): string {
  return line === undefined ? '(end of log)' : JSON.stringify(line);
}

/** Side-by-side text of two logs from the first difference on (for reports). */
export function logDiff(actual: readonly string[], expected: readonly string[], context = 3): string {
  let first = 0;
  while (first < actual.length && first < expected.length && actual[first] === expected[first]) first++;
  const from = Math.max(0, first - context);
  const lines: string[] = [];
  const end = Math.max(actual.length, expected.length);
  for (let i = from; i < end && i < first + 12; i++) {
    const a = actual[i] ?? '';
    const e = expected[i] ?? '';
    lines.push(`${i === first ? '>' : ' '} ${String(i).padStart(3)}  ${a.padEnd(44)} | ${e}`);
  }
  return `    engine${' '.repeat(41)}| oracle\n${lines.join('\n')}`;
}
