/**
 * 13.3.10.3 ContinueDynamicImport: load, link and evaluate the module an `import()` (or the API
 * layer's importModule) asked for, then settle its promise with the namespace.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */

import type { ImportPhase } from '../source/types.js';
import { Evaluate } from './evaluation.js';
import { ListAppend, ListCreate } from './intrinsics.js';
import { Link } from './linking.js';
import { LoadRequestedModules } from './loading.js';
import type { Completion, ModuleRecord } from './module-record.js';
import { GetModuleNamespace } from './namespace.js';
import { GatherAsynchronousTransitiveDependencies, GetModuleSource } from './phases.js';
import { PerformPromiseThen, type PromiseCapability, SafePerformPromiseAll } from './promise-operations.js';

/**
 * 13.3.10.3 ContinueDynamicImport(promiseCapability, moduleCompletion) —
 * https://tc39.es/ecma262/#sec-ContinueDynamicImport, with the _phase_ of the source phase imports
 * and import defer proposals: ~source~ settles with the module's source object without loading its
 * dependencies; ~defer~ loads and links the graph, evaluates only its asynchronous part and settles
 * with the deferred namespace.
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
    // 6.d
    const fulfilledClosure = (): void => {
      // 6.d.i GetModuleNamespace(module, phase)
      const namespace = GetModuleNamespace(module, phase);
      // 6.d.ii
      promiseCapability.resolve(namespace);
    };
    let evaluatePromise: Promise<unknown>;
    if (phase === 'defer') {
      // (import defer) 6.e: evaluate only the asynchronous transitive dependencies.
      // 6.e.i
      const evaluationList = GatherAsynchronousTransitiveDependencies(module);
      // 6.e.ii Nothing to wait for: settle now.
      if (evaluationList.length === 0) {
        fulfilledClosure();
        return;
      }
      // 6.e.iii-v
      evaluatePromise = EvaluateAsynchronousDependencies(evaluationList);
    } else {
      // 6.f
      evaluatePromise = Evaluate(module);
    }
    // 6.g-h
    PerformPromiseThen(evaluatePromise, fulfilledClosure, onRejected);
  };
  // 8.
  PerformPromiseThen(loadPromise, linkAndEvaluate, onRejected);
  // 9.
}

/**
 * ContinueDynamicImport steps 6.e-6.f for an import in `phase`, as a promise the API layer's
 * importModule waits for: Evaluate() of the module, or for ~defer~ only its asynchronous
 * transitive dependencies. Internal promise: consume it with PerformPromiseThen.
 */
export function EvaluateForImport(module: ModuleRecord, phase: 'evaluation' | 'defer'): Promise<unknown> {
  return phase === 'defer'
    ? EvaluateAsynchronousDependencies(GatherAsynchronousTransitiveDependencies(module))
    : Evaluate(module);
}

/**
 * Import defer, ContinueDynamicImport steps 6.e.iii-v: Evaluate() each module of
 * `evaluationList` and wait for all with SafePerformPromiseAll (no user-visible promise methods).
 */
function EvaluateAsynchronousDependencies(evaluationList: readonly ModuleRecord[]): Promise<unknown> {
  // 6.e.iii-iv
  const asyncDepsEvaluationPromises = ListCreate<Promise<unknown>>();
  for (let i = 0; i < evaluationList.length; i++) {
    const dep = evaluationList[i];
    if (dep !== undefined) ListAppend(asyncDepsEvaluationPromises, Evaluate(dep));
  }
  // 6.e.v ! SafePerformPromiseAll(asyncDepsEvaluationPromises)
  return SafePerformPromiseAll(asyncDepsEvaluationPromises);
}
