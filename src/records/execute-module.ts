/**
 * 16.2.1.7.3.2 ExecuteModule for Source Text Module Records: resume the compiled generator that
 * InitializeEnvironment left at its first `yield`.
 *
 * Top-level await: the compiler turns each top-level `await e` into `(yield e)`. The driver below
 * is AsyncBlockStart for that generator: each yielded value is awaited by a native `await` in an
 * async function — exactly Await (PromiseResolve(%Promise%, v), then PerformPromiseThen), with
 * the same number of ticks as a native module's `await` — and the generator resumes with
 * `next(value)` or `throw(reason)`. The capability is settled when the body completes.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { Assert, AssertionFailed } from './assert.js';
import { GeneratorPrototypeNext, GeneratorPrototypeThrow } from './intrinsics.js';
import { HasImportHookContract } from './module-record.js';
import { ImportMetaEvaluation } from './module-runtime.js';
import type { PromiseCapability } from './promise-operations.js';
import type { SourceTextModuleRecord } from './source-text-module-record.js';

/**
 * 16.2.1.7.3.2 ExecuteModule([capability]) — https://tc39.es/ecma262/#sec-source-text-module-record-execute-module.
 * Without a capability (no top-level await) a throw from the module body propagates; with one,
 * the body runs asynchronously and settles it, and this never throws.
 */
export function ExecuteModule(module: SourceTextModuleRecord, capability?: PromiseCapability): void {
  // 1-4. The module's execution context: its generator, created by InitializeEnvironment.
  const generator = module.context;
  // 5. Assert: module has been linked and its declarations instantiated.
  if (!(generator !== undefined)) AssertionFailed(`ExecuteModule step 5: ${module.source.url} is not instantiated`);
  // 6-8.
  // Import Hook proposal: import.meta before the body (see ImportMetaBeforeExecution). Its
  //   failure is the body's: thrown without top-level await, else the capability's rejection.
  if (module.hasTLA) {
    try {
      ImportMetaBeforeExecution(module);
    } catch (error) {
      capability?.reject(error);
      return;
    }
  } else {
    ImportMetaBeforeExecution(module);
  }
  // 9. No top-level await.
  if (!module.hasTLA) {
    // 9.a
    Assert(capability === undefined, 'ExecuteModule step 9.a');
    // 9.b-e Evaluation of the body (a throw is step 9.f's abrupt completion).
    const result = GeneratorPrototypeNext(generator, undefined);
    if (!(result.done === true)) AssertionFailed(`compiled code of ${module.source.url} awaited without [[HasTLA]]`);
    // 11.
    return;
  }
  // 10.a
  Assert(capability !== undefined, 'ExecuteModule step 10.a');
  // 10.b
  void AsyncBlockStart(capability, generator);
  // 11.
}

/**
 * 27.7.5.1 AsyncBlockStart(promiseCapability, asyncBody, asyncContext) for a compiled module body
 * — https://tc39.es/ecma262/#sec-asyncblockstart. Its own promise is never rejected (every completion goes to
 * `capability`).
 */
async function AsyncBlockStart(capability: PromiseCapability, generator: Generator): Promise<void> {
  let step: IteratorResult<unknown>;
  try {
    step = GeneratorPrototypeNext(generator, undefined);
  } catch (error) {
    capability.reject(error);
    return;
  }
  while (step.done !== true) {
    // A top-level `await value`.
    let value: unknown;
    let threw = false;
    try {
      value = await step.value;
    } catch (reason) {
      threw = true;
      value = reason;
    }
    try {
      step = threw ? GeneratorPrototypeThrow(generator, value) : GeneratorPrototypeNext(generator, value);
    } catch (error) {
      // The body completed abruptly: reject.
      capability.reject(error);
      return;
    }
  }
  // The body completed normally: resolve with undefined.
  capability.resolve(undefined);
}

/**
 * The Import Hook proposal (endojs/proposal-import-hook): for a module whose handler came from
 * `new ModuleSource(text, handler)` and whose text mentions `import.meta`, "the implementation
 * must invoke the importMetaHook immediately before executing the body of the module". This
 * makes import.meta (a null-prototype object) and calls the hook once, before the first statement
 * runs; `import.meta` in the body then reads that object. Modules of `new Module(source, handler)`
 * keep layer 0's timing: the first evaluation of `import.meta` (ImportMetaEvaluation).
 */
function ImportMetaBeforeExecution(module: SourceTextModuleRecord): void {
  if (!HasImportHookContract(module) || module.moduleInstance?.importMetaHook === undefined) return;
  if (!module.source.needsImportMeta || module.importMeta !== undefined) return;
  ImportMetaEvaluation(module);
}
