/**
 * Places where the oracle (the V8 of the Node that runs the fuzzer) departs from ECMA-262. Where
 * the spec's answer can be derived from the graph text alone, the oracle's outcome is corrected
 * before comparison, so modhost is still held to the spec there; each correction is counted.
 */
import type { Outcome } from './engine.js';
import type { FuzzGraph } from './graph.js';

/** One documented way in which the oracle departs from ECMA-262. */
export interface KnownDeviation {
  readonly id: string;
  readonly description: string;
}

/** Every known V8 deviation; the ids are the zone names used in repros and reports. */
export const KNOWN_V8_DEVIATIONS: readonly KnownDeviation[] = [
  {
    id: 'v8-namespace-via-two-stars',
    description:
      'V8 treats a name that two `export *` paths both resolve to the same `export * as ns from "m"` ' +
      'namespace as ambiguous (nodejs/node#53707); ResolveExport only calls it ambiguous when the ' +
      'resolved modules or binding names differ, and both are (m, ~namespace~). The same for ' +
      '`import * as ns from "m"; export { ns }`, which V8 in Node 20 still treats as a local export ' +
      '(since tc39/ecma262#3715 it is the indirect ~namespace~ entry of `export * as`).',
  },
  {
    id: 'v8-cyclic-reexports',
    description:
      'When `export *` and `export { x } from` edges form a cycle, V8 resolves names differently ' +
      'from ResolveExport: it may report "Detected cycle while resolving name" (a SyntaxError) ' +
      'where the spec returns null for the circular branch and resolves through another star, and ' +
      'it caches star resolutions made while a branch was cut short, so a namespace can depend on ' +
      'which module was imported first.',
  },
  {
    id: 'v8-nested-star-ambiguity',
    description:
      'Building a namespace, V8 skips a name that is ambiguous in a star-exported module and takes ' +
      'it from another star export; ResolveExport returns ~ambiguous~ as soon as one star export ' +
      'is ambiguous (step 9.d), so the name is not in the namespace (tc39/ecma262#722).',
  },
  {
    id: 'v8-async-ordinal',
    description:
      'V8 orders pending async modules by an isolate-wide counter that it also advances when a ' +
      'module with top-level await starts executing, and resets to its start whenever the module ' +
      'holding the highest number finishes. A module graph evaluated while another is pending ' +
      '(a dynamic import) can then get numbers below those of older pending modules, so it runs ' +
      'before them (the spec orders by [[AsyncEvaluationOrder]], assigned once, from one ' +
      'ever-increasing counter), or collides with one of them and one of the two never runs ' +
      '(V8 keeps the ready list in a set keyed by that number). Noted at run time by the oracle; an ' +
      'Evaluate() that rejected counts as pending, since a module that failed early can end it while ' +
      'others still wait on top-level await.',
  },
  {
    id: 'v8-errored-cycle-member-error',
    description:
      'Importing a module of a strongly connected component whose evaluation failed: Evaluate ' +
      'returns the promise of the [[CycleRoot]] (16.2.1.6.1.3 Evaluate step 3, and the spec note ' +
      '"any future importer of B will resolve the rejection of B.[[CycleRoot]].[[EvaluationError]]"), ' +
      "so `import(m)` rejects with the error the cycle root got; V8 rejects with m's own " +
      '[[EvaluationError]] when m ran (after a top-level await below the cycle) and threw another one.',
  },
  {
    id: 'v8-rejection-order',
    description:
      'When a module with top-level await rejects, AsyncModuleExecutionRejected rejects its own ' +
      '[[TopLevelCapability]] (step 9) before recursing into [[AsyncParentModules]] (step 10): the ' +
      'current ECMA-262 text, tested by test262 language/module-code/top-level-await/' +
      'rejection-order.js (tc39/test262#4591). V8 before 14 (Node 20 to 24), like the excerpt at ' +
      'commit 000164db, recurses first, so the promise of an importer that joined later rejects ' +
      'first; V8 14 (Node 26) follows the current text. The fuzz log ' +
      'cannot see the order: the runtime delivers import() results in the order the imports started, ' +
      'whatever order they settled in (runtime.ts), so this needs no zone and no correction.',
  },
  {
    id: 'v8-exported-const-tdz-assignment',
    description:
      'V8 throws TypeError for `x = v` when x is an exported const still in its TDZ; ECMA-262 ' +
      'SetMutableBinding checks initialization (step 3, ReferenceError) before mutability (step 5). ' +
      'Non-exported consts and compound assignments get ReferenceError in V8 too.',
  },
  {
    id: 'v8-async-from-sync-no-close',
    description:
      'V8 before 13.6 (Node 20, 22) predates tc39/ecma262#2600 (ES2025): when the value a sync ' +
      'iterator gives to `for await` rejects, or PromiseResolve of it throws, the async-from-sync ' +
      'iterator rejects without closing the sync iterator; AsyncFromSyncIteratorContinuation closes ' +
      'it first (steps 7 and 12, closeOnRejection is true for next()). Found at run time by ' +
      "detectAsyncFromSyncDeviations; the `for await` tests correct V8's log for it.",
  },
  {
    id: 'v8-async-from-sync-close-on-abrupt',
    description:
      'V8 13.6 and later (Node 24, 26) close the sync iterator on every abrupt step of the ' +
      'async-from-sync iterator, also when next() returns a non-object or reading its `done` or ' +
      '`value` throws; %AsyncFromSyncIteratorPrototype%.next (steps 6-7, IfAbruptRejectPromise) and ' +
      'AsyncFromSyncIteratorContinuation (steps 1-4) reject without closing there. Found at run time ' +
      "by detectAsyncFromSyncDeviations; the `for await` tests correct V8's log for it.",
  },
];

/** The oracle outcome with known V8 deviations replaced by the spec's answer, and which applied. */
export function correctOracle(graph: FuzzGraph, expected: Outcome): { outcome: Outcome; applied: string[] } {
  const tags = constTdzWriteTags(graph);
  if (tags.size === 0) return { outcome: expected, applied: [] };
  let changed = false;
  const log = expected.log.map((line) => {
    const m = /^(\S+) TypeError(#\d+)$/.exec(line);
    if (m === null || !tags.has(m[1]!)) return line;
    changed = true;
    return `${m[1]} ReferenceError${m[2]}`;
  });
  return changed
    ? { outcome: { ...expected, log }, applied: ['v8-exported-const-tdz-assignment'] }
    : { outcome: expected, applied: [] };
}

/** Tags of top-level `try { x = "<tag> wrote"; ...` lines where x is a const declared further down. */
function constTdzWriteTags(graph: FuzzGraph): Set<string> {
  const tags = new Set<string>();
  for (const module of graph.modules) {
    module.lines.forEach((line, i) => {
      const m = /^try \{ ([\w$]+) = "(\S+) wrote";/.exec(line);
      if (m === null) return;
      const declared = new RegExp(`^(export )?const ${m[1]!.replace(/\$/g, '\\$')} =`);
      if (module.lines.slice(i + 1).some((later) => declared.test(later))) tags.add(m[2]!);
    });
  }
  return tags;
}

/**
 * Known V8 deviations that a graph's export structure can trigger and that cannot be corrected
 * (they change linking itself). A divergence in such a graph is only evidence against modhost
 * if it survives minimisation into a graph outside every zone.
 */
export function oracleZones(graph: FuzzGraph): string[] {
  const stars = new Map<string, string[]>();
  const reexports = new Map<string, string[]>();
  const starAs = new Map<string, { name: string; from: string }[]>();
  for (const module of graph.modules) {
    const s: string[] = [];
    const r: string[] = [];
    const a: { name: string; from: string }[] = [];
    for (const line of module.lines) {
      for (const m of line.matchAll(/export \* from "([^"]+)"/g)) s.push(m[1]!);
      for (const m of line.matchAll(/export \{[^}]*\} from "([^"]+)"/g)) r.push(m[1]!);
      for (const m of line.matchAll(/export \* as ([\w$]+|"[^"]*") from "([^"]+)"/g))
        a.push({ name: m[1]!, from: m[2]! });
      for (const m of line.matchAll(/export \{ ([\w$]+)(?: as ([\w$]+|"[^"]*"))? \}; import \* as \1 from "([^"]+)"/g))
        a.push({ name: m[2] ?? m[1]!, from: m[3]! });
    }
    stars.set(module.name, s);
    reexports.set(module.name, r);
    starAs.set(module.name, a);
  }
  const zones: string[] = [];
  const closure = (start: string, edges: (m: string) => readonly string[]): Set<string> => {
    const seen = new Set<string>();
    const todo = [start];
    while (todo.length > 0) {
      const v = todo.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      todo.push(...edges(v));
    }
    return seen;
  };
  const anyReexport = (m: string): string[] => [...(stars.get(m) ?? []), ...(reexports.get(m) ?? [])];
  // A star edge that lies on a cycle of re-export edges.
  if ([...stars].some(([name, targets]) => targets.some((t) => closure(t, anyReexport).has(name))))
    zones.push('v8-cyclic-reexports');
  // A star-exported module that has star exports of its own (two or more).
  if ([...stars.values()].some((targets) => targets.some((t) => new Set(stars.get(t) ?? []).size >= 2)))
    zones.push('v8-nested-star-ambiguity');
  // Two star exports of one module that both lead (through star and named re-exports, which may
  // rename) to an `export * as` of the same module.
  for (const targets of stars.values()) {
    const counts = new Map<string, number>();
    for (const t of new Set(targets)) {
      const sources = new Set<string>();
      for (const m of closure(t, anyReexport)) for (const e of starAs.get(m) ?? []) sources.add(e.from);
      for (const k of sources) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    if ([...counts.values()].some((n) => n >= 2)) {
      zones.push('v8-namespace-via-two-stars');
      break;
    }
  }
  if (erroredCycleImport(graph)) zones.push('v8-errored-cycle-member-error');
  return zones;
}

/**
 * 'v8-errored-cycle-member-error': a strongly connected component (static imports and re-exports)
 * of two or more modules, one of which fails (a `throw`, an uncaught `await __reject(…)`, or an
 * `export default x;` whose read of x throws a ReferenceError: a binding in its TDZ, or a name no
 * scope declares), an `import()` of one of its modules, and another failing module in the
 * component or below it (the cycle root's error may then come from that one, while the imported
 * module failed with its own).
 */
function erroredCycleImport(graph: FuzzGraph): boolean {
  const edges = new Map<string, string[]>();
  const throws = new Set<string>();
  const imported = new Set<string>();
  for (const module of graph.modules) {
    const targets: string[] = [];
    for (const line of module.lines) {
      for (const m of line.matchAll(/(?:^|;\s*)(?:import|export)\b[^;(]*?(?:from\s*)?"([^"]+)"/g)) targets.push(m[1]!);
      for (const m of line.matchAll(/import\("([^"]+)"\)/g)) imported.add(m[1]!);
      if (/\bthrow\b/.test(line) || /(?:^|; )await __reject\(/.test(line) || /^export default [\w$]+;/.test(line))
        throws.add(module.name);
    }
    edges.set(module.name, targets);
  }
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(edges.get(from) ?? [])];
    while (todo.length > 0) {
      const v = todo.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      todo.push(...(edges.get(v) ?? []));
    }
    return seen;
  };
  const reachable = new Map(graph.modules.map((m) => [m.name, reach(m.name)] as const));
  for (const target of imported) {
    const component = graph.modules
      .map((m) => m.name)
      .filter((n) => n === target || (reachable.get(target)?.has(n) && reachable.get(n)?.has(target)));
    if (component.length < 2 || !component.some((n) => throws.has(n))) continue;
    const below = new Set(component.flatMap((n) => [n, ...(reachable.get(n) ?? [])]));
    if ([...below].filter((n) => throws.has(n)).length >= 2) return true;
  }
  return false;
}

/**
 * The async-from-sync iterator deviations ('v8-async-from-sync-no-close',
 * 'v8-async-from-sync-close-on-abrupt') that the running V8 shows, found by running native
 * `for await` loops over sync iterators and watching for calls of their `return` method.
 */
export async function detectAsyncFromSyncDeviations(): Promise<string[]> {
  const closes = async (next: () => unknown): Promise<boolean> => {
    let closed = false;
    const iterator = {
      next,
      return() {
        closed = true;
        return {};
      },
    };
    // The probes break the iterator protocol on purpose, which the iterator types do not allow.
    const iterable = { [Symbol.iterator]: () => iterator } as unknown as Iterable<unknown>;
    try {
      for await (const value of iterable) void value;
    } catch {
      // Each probe's loop fails on its first step; only whether return() ran matters.
    }
    return closed;
  };
  const found: string[] = [];
  if (!(await closes(() => ({ value: Promise.reject(new RangeError('probe')), done: false }))))
    found.push('v8-async-from-sync-no-close');
  if (await closes(() => 1)) found.push('v8-async-from-sync-close-on-abrupt');
  return found;
}
