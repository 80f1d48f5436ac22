/**
 * records/: ECMA-262 16.2 module records for the API layer. Everything else in this directory is
 * internal.
 */

export { ContinueDynamicImport, EvaluateForImport } from './dynamic-import.js';
export { Evaluate } from './evaluation.js';
export type { HostHooks, ImportMetaProperty, LoadPayload } from './host-hooks.js';
export { defaultHostHooks } from './host-hooks.js';
export type { HotReplacement, HotTransaction } from './hot.js';
export { HotAbort, HotCommit, HotEvaluate, HotForgetModule, HotImportedNames, HotPrepare } from './hot.js';
export { Link } from './linking.js';
export type { AbortableLoad } from './loading.js';
export {
  FinishLoadingImportedModule,
  FirstLoadedModule,
  GetImportedModule,
  LoadedModulesOf,
  LoadRequestedModules,
  LoadRequestedModulesAbortable,
} from './loading.js';
export { LoadRequestedModulesSync, type SynchronousLoadOutcome } from './loading-sync.js';
export type {
  Completion,
  CyclicModuleRecord,
  ModuleInstanceSlots,
  ModuleRecord,
  Realm,
} from './module-record.js';
export {
  IsCyclicModuleRecord,
  MODULE_SOURCE_ON_DEMAND,
  ModuleSourceObjectOf,
  NormalCompletion,
  ThrowCompletion,
} from './module-record.js';
export { ImportCallAttributes } from './module-runtime.js';
export { GetModuleNamespace } from './namespace.js';
export { GetModuleSource } from './phases.js';
export type { PromiseCapability } from './promise-operations.js';
export { NewPromiseCapability, PerformPromiseThen } from './promise-operations.js';
export { createSourceTextModuleRecord, SourceTextModuleRecord } from './source-text-module-record.js';
export type { SyntheticEvaluationSteps } from './synthetic-module-record.js';
export {
  createSyntheticModuleRecord,
  SetSyntheticModuleExport,
  SyntheticModuleRecord,
} from './synthetic-module-record.js';
