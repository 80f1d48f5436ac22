/**
 * 13.3.10.3 ContinueDynamicImport: load, link and evaluate the module an `import()` (or the API
 * layer's importModule) asked for, then settle its promise with the namespace.
 */

import type { ImportPhase } from '../source/types.js';
import { Evaluate } from './evaluation.js';
import { Link } from './linking.js';
import { LoadRequestedModules } from './loading.js';
import type { Completion, ModuleRecord } from './module-record.js';
import { GetModuleNamespace } from './namespace.js';
import { GatherAsynchronousTransitiveDependencies, GetModuleSource } from './phases.js';
import { NewInternalPromiseCapability, PerformPromiseThen, type PromiseCapability } from './promise-operations.js';

/**
 * 13.3.10.3 ContinueDynamicImport(promiseCapability, moduleCompletion) — #sec-ContinueDynamicImport,
 * with the _phase_ of the source phase imports and import defer proposals: ~source~ settles with
 * the module's source object without loading its dependencies; ~defer~ loads and links the graph,
 * evaluates only its asynchronous part and settles with the deferred namespace.
 */
export function ContinueDynamicImport(
  promiseCapability: PromiseCapability,
  moduleCompletion: Completion<ModuleRecord>,
  phase: ImportPhase = 'evaluation',
): void {
  // 1. A failed load rejects the import.
  if (moduleCompletion.type === 'throw') {
    // 1.a-b
    promiseCapability.reject(moduleCompletion.value);
    return;
  }
  // 2.
  const module = moduleCompletion.value;
  // (source phase) If phase is ~source~: settle with GetModuleSource() (IfAbruptRejectPromise).
  if (phase === 'source') {
    let moduleSourceObject: object;
    try {
      moduleSourceObject = GetModuleSource(module);
    } catch (error) {
      promiseCapability.reject(error);
      return;
    }
    promiseCapability.resolve(moduleSourceObject);
    return;
  }
  // 3.
  const loadPromise = LoadRequestedModules(module);
  // 4-5.
  const onRejected = (reason: unknown): void => {
    // 4.a-b
    promiseCapability.reject(reason);
  };
  // 6-7.
  const linkAndEvaluate = (): void => {
    // 6.a-b
    try {
      Link(module);
    } catch (error) {
      // 6.b.i-ii
      promiseCapability.reject(error);
      return;
    }
    // (import defer) 6.c
    const evaluatePromise = EvaluateForImport(module, phase);
    // 6.d-e
    const onFulfilled = (): void => {
      // 6.d.i GetModuleNamespace(module, phase)
      const namespace = GetModuleNamespace(module, phase);
      // 6.d.ii
      promiseCapability.resolve(namespace);
    };
    // 6.f
    PerformPromiseThen(evaluatePromise, onFulfilled, onRejected);
  };
  // 8.
  PerformPromiseThen(loadPromise, linkAndEvaluate, onRejected);
  // 9.
}

/**
 * ContinueDynamicImport step 6.c (with import defer's _phase_): the evaluation an import in
 * `phase` waits for — Evaluate() of the module, or for ~defer~ only its asynchronous transitive
 * dependencies. Internal promise: consume it with PerformPromiseThen.
 */
export function EvaluateForImport(module: ModuleRecord, phase: 'evaluation' | 'defer'): Promise<unknown> {
  return phase === 'defer' ? EvaluateAll(GatherAsynchronousTransitiveDependencies(module)) : Evaluate(module);
}

/**
 * Import defer, ContinueDynamicImport: the promise of evaluating each of `modules` (as
 * PerformPromiseAll of their Evaluate() promises): fulfilled when all are, rejected with the first
 * rejection. Internal: consume it with PerformPromiseThen.
 */
function EvaluateAll(modules: readonly ModuleRecord[]): Promise<unknown> {
  const capability = NewInternalPromiseCapability();
  let remaining = modules.length;
  if (remaining === 0) {
    capability.resolve(undefined);
    return capability.promise;
  }
  let settled = false;
  for (let i = 0; i < modules.length; i++) {
    const module = modules[i];
    if (module === undefined) continue;
    PerformPromiseThen(
      Evaluate(module),
      () => {
        remaining--;
        if (remaining === 0 && !settled) {
          settled = true;
          capability.resolve(undefined);
        }
      },
      (reason: unknown) => {
        if (settled) return;
        settled = true;
        capability.reject(reason);
      },
    );
  }
  return capability.promise;
}
