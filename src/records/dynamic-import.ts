/**
 * 13.3.10.3 ContinueDynamicImport: load, link and evaluate the module an `import()` (or the API
 * layer's importModule) asked for, then settle its promise with the namespace.
 */
import { Evaluate } from './evaluation.js';
import { Link } from './linking.js';
import { LoadRequestedModules } from './loading.js';
import type { Completion, ModuleRecord } from './module-record.js';
import { GetModuleNamespace } from './namespace.js';
import { PerformPromiseThen, type PromiseCapability } from './promise-operations.js';

/** 13.3.10.3 ContinueDynamicImport(promiseCapability, moduleCompletion) — #sec-ContinueDynamicImport. */
export function ContinueDynamicImport(promiseCapability: PromiseCapability, moduleCompletion: Completion<ModuleRecord>): void {
  // 1. A failed load rejects the import.
  if (moduleCompletion.type === 'throw') {
    // 1.a-b
    promiseCapability.reject(moduleCompletion.value);
    return;
  }
  // 2.
  const module = moduleCompletion.value;
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
    // 6.c
    const evaluatePromise = Evaluate(module);
    // 6.d-e
    const onFulfilled = (): void => {
      // 6.d.i
      const namespace = GetModuleNamespace(module);
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
