/**
 * Where a module graph's evaluation waits for good: the top-level `await` a module is suspended
 * at when the program has nothing left to do. Node reports it as "Detected unsettled top-level
 * await at <url>:<line>" and exits with code 13; `modhost run` does the same.
 *
 * A module body is a suspended generator (source/compile.ts) and V8 knows where it is suspended:
 * the inspector shows it as the generator's internal `[[GeneratorLocation]]`, in compiled-code
 * positions, which the module's position map turns back into the original line and column.
 */
import type * as Inspector from 'node:inspector';
import {
  IsCyclicModuleRecord,
  LoadedModulesOf,
  type ModuleRecord,
  SourceTextModuleRecord,
} from '../../records/index.js';
import { originalPositionIn } from '../stack-traces.js';
import { nodeBuiltin } from './lazy-builtin.js';

export interface UnsettledAwait {
  readonly url: string;
  /** 1-based; undefined when the engine did not tell. */
  readonly line: number | undefined;
  readonly column: number | undefined;
}

/** A module of `entry`'s graph suspended at its own top-level await (not waiting for a dependency). */
function stalledModule(entry: ModuleRecord): SourceTextModuleRecord | undefined {
  const seen = new Set<ModuleRecord>();
  const stack: ModuleRecord[] = [entry];
  let found: SourceTextModuleRecord | undefined;
  while (stack.length > 0) {
    const record = stack.pop();
    if (record === undefined || seen.has(record)) continue;
    seen.add(record);
    if (!(record instanceof SourceTextModuleRecord)) continue;
    if (record.status === 'evaluating-async' && record.hasTLA && record.pendingAsyncDependencies === 0)
      found ??= record;
    stack.push(...LoadedModulesOf(record));
  }
  return found;
}

/** `[[GeneratorLocation]]` of a suspended generator (0-based, compiled code), via the inspector. */
function generatorLocation(generator: object): { lineNumber: number; columnNumber: number } | undefined {
  const session = new (nodeBuiltin<typeof Inspector>('node:inspector').Session)();
  const slot = '__modhostSuspendedGenerator';
  const global = globalThis as Record<string, unknown>;
  let location: { lineNumber: number; columnNumber: number } | undefined;
  try {
    session.connect();
    global[slot] = generator;
    // Session.post calls back synchronously for the Runtime domain.
    session.post('Runtime.evaluate', { expression: `globalThis.${slot}` }, (error, result) => {
      const objectId = error === null ? result?.result.objectId : undefined;
      if (objectId === undefined) return;
      session.post('Runtime.getProperties', { objectId, ownProperties: true }, (error2, properties) => {
        if (error2 !== null) return;
        const internal = properties?.internalProperties?.find((p) => p.name === '[[GeneratorLocation]]');
        const value = internal?.value?.value as { lineNumber?: unknown; columnNumber?: unknown } | undefined;
        if (typeof value?.lineNumber === 'number' && typeof value.columnNumber === 'number')
          location = { lineNumber: value.lineNumber, columnNumber: value.columnNumber };
      });
    });
  } catch {
    // No inspector (a build without it): the URL alone.
  } finally {
    delete global[slot];
    session.disconnect();
  }
  return location;
}

/** The unsettled top-level await of `entry`'s graph, if its evaluation is stuck on one. */
export function findUnsettledAwait(entry: ModuleRecord): UnsettledAwait | undefined {
  // ~evaluated~: every module of its graph has finished (the usual exit), nothing to look for.
  if (IsCyclicModuleRecord(entry) && entry.status === 'evaluated') return undefined;
  const module = stalledModule(entry);
  if (module === undefined) return undefined;
  const url = module.source.url;
  const generator = module.context;
  const location = generator === undefined ? undefined : generatorLocation(generator);
  if (location === undefined) return { url, line: undefined, column: undefined };
  const original = originalPositionIn(url, location.lineNumber + 1, location.columnNumber + 1);
  return { url, line: original?.line, column: original?.column };
}
