/**
 * LoadRequestedModules for a host that finishes every load inside HostLoadImportedModule (the
 * Node host, for `require()` of an ES module): the outcome is known when InnerModuleLoading
 * returns, so the caller reads it at once instead of waiting for a promise job.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db).
 */

import { GraphLoadingState } from './cyclic-module-record.js';
import { InnerModuleLoading } from './loading.js';
import { IsCyclicModuleRecord, type ModuleRecord, NormalCompletion, ThrowCompletion } from './module-record.js';
import { type PromiseCapability, PromiseResolvedWith } from './promise-operations.js';

/**
 * What {@link LoadRequestedModulesSync} found when InnerModuleLoading returned: the graph loaded
 * (`'normal'`), a load failed (`'throw'`, with the error), or some load is still in progress
 * (`'pending'`: an importHook, whose result is always awaited, or a host that finishes later).
 */
export type SynchronousLoadOutcome =
  | { readonly type: 'normal' }
  | { readonly type: 'throw'; readonly value: unknown }
  | { readonly type: 'pending' };

const LOADED: SynchronousLoadOutcome = { __proto__: null, type: 'normal' } as SynchronousLoadOutcome;
const PENDING: SynchronousLoadOutcome = { __proto__: null, type: 'pending' } as SynchronousLoadOutcome;

/**
 * LoadRequestedModules([hostDefined]) (16.2.1.6.1.1,
 * https://tc39.es/ecma262/#sec-LoadRequestedModules), read synchronously. Not a spec operation: the steps are the spec's, with a promise capability whose
 * resolve and reject functions record the outcome, which step 5 returns in place of the promise.
 *
 * A `'pending'` outcome leaves that loading process running: its later result settles only the
 * recording capability, which nobody reads any more.
 *
 * @example
 * const outcome = LoadRequestedModulesSync(record);
 * if (outcome.type === 'throw') throw outcome.value;
 */
export function LoadRequestedModulesSync(module: ModuleRecord, hostDefined?: unknown): SynchronousLoadOutcome {
  // 16.2.1.8.4.1 (Synthetic Module Records): nothing to load.
  if (!IsCyclicModuleRecord(module)) return LOADED;
  // 1. hostDefined defaults to ~empty~ (undefined).
  // 2. pc: a capability that records how it settles. Its promise is a settled placeholder, so that
  //    a failed load never leaves an unhandled rejection behind.
  let outcome = PENDING;
  const pc: PromiseCapability = {
    __proto__: null,
    kind: 'PromiseCapability',
    promise: PromiseResolvedWith(undefined),
    resolve() {
      if (outcome === PENDING) outcome = NormalCompletion(undefined);
    },
    reject(reason: unknown) {
      if (outcome === PENDING) outcome = ThrowCompletion(reason);
    },
  } as PromiseCapability;
  // 3.
  const state = new GraphLoadingState(pc, hostDefined);
  // 4.
  InnerModuleLoading(state, module, 'recursive-load');
  // 5. (the outcome recorded by pc, in place of pc.[[Promise]])
  return outcome;
}
