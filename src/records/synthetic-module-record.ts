/**
 * 16.2.1.8 Synthetic Module Records: modules whose exports are defined by the host (JSON modules,
 * Node built-ins, CommonJS interop). They have no dependencies and are not Cyclic Module Records.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { createError } from '../errors/codes.js';
import { Assert, AssertionFailed } from './assert.js';
import { CompleteWaitingImportBindings } from './environment.js';
import { EMPTY_LIST, ListAppend, ListAt, ListCreate, ObjectFreeze, ReflectApply, TableCreate } from './intrinsics.js';
import {
  type Completion,
  type ModuleEnvironment,
  NormalCompletion,
  type Realm,
  type ResolvedBinding,
  ResolvedBindingRecord,
  ThrowCompletion,
} from './module-record.js';
import { NewInternalPromiseCapability, PromiseResolvedWith } from './promise-operations.js';
import type { SourceTextModuleRecord, WaitingImportBinding } from './source-text-module-record.js';

/** The Module Environment Record of a Synthetic Module Record: one mutable binding per export. */
export interface SyntheticModuleEnvironment extends ModuleEnvironment {
  readonly values: { [exportName: string]: unknown };
}

/** [[EvaluationSteps]]: run with the record as sole argument; may throw. */
export type SyntheticEvaluationSteps = (module: SyntheticModuleRecord) => void;

/** 16.2.1.8 Synthetic Module Record. */
export class SyntheticModuleRecord {
  readonly kind = 'synthetic' as const;
  // 16.2.1.5 Module Record fields.
  readonly realm: Realm;
  environment: SyntheticModuleEnvironment | undefined = undefined;
  namespace: object | undefined = undefined;
  readonly hostDefined: unknown;
  /** Source phase imports: [[ModuleSourceObject]] (see SourceTextModuleRecord); undefined → no source. */
  moduleSourceObject: object | undefined = undefined;
  /** Import defer: [[DeferredNamespace]]. */
  deferredNamespace: object | undefined = undefined;
  // 16.2.1.8 fields.
  readonly exportNames: readonly string[];
  readonly evaluationSteps: SyntheticEvaluationSteps;
  // modhost: the completion of the one run of [[EvaluationSteps]] (see SyntheticModuleEvaluate).
  evaluationResult: Completion<undefined> | undefined = undefined;
  waitingImportBindings: WaitingImportBinding[] = EMPTY_LIST as WaitingImportBinding[];
  /** modhost (hot replacement): see SourceTextModuleRecord.importers. */
  importers: SourceTextModuleRecord[] = EMPTY_LIST as SourceTextModuleRecord[];

  constructor(
    exportNames: readonly string[],
    evaluationSteps: SyntheticEvaluationSteps,
    realm: Realm,
    hostDefined: unknown,
  ) {
    this.realm = realm;
    this.hostDefined = hostDefined;
    this.exportNames = exportNames;
    this.evaluationSteps = evaluationSteps;
  }
}

/**
 * Creates a Synthetic Module Record { [[Realm]]: realm, [[Environment]]: ~empty~, [[Namespace]]:
 * ~empty~, [[HostDefined]]: hostDefined, [[ExportNames]]: exportNames, [[EvaluationSteps]]:
 * evaluationSteps } (the record shape of 16.2.1.8.1 CreateDefaultExportSyntheticModule).
 */
export function createSyntheticModuleRecord(
  exportNames: readonly string[],
  evaluationSteps: SyntheticEvaluationSteps,
  realm: Realm,
  hostDefined?: unknown,
): SyntheticModuleRecord {
  const names = ListCreate<string>();
  const seen = TableCreate<true>();
  for (let i = 0; i < exportNames.length; i++) {
    const name = exportNames[i];
    if (typeof name !== 'string') {
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'Synthetic module export names must be strings');
    }
    // [[ExportNames]] "does not contain duplicates".
    if (seen[name] === true) {
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', `Duplicate synthetic module export name '${name}'`);
    }
    seen[name] = true;
    ListAppend(names, name);
  }
  if (typeof evaluationSteps !== 'function') {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'Synthetic module evaluation steps must be a function');
  }
  return new SyntheticModuleRecord(ObjectFreeze(names), evaluationSteps, realm, hostDefined);
}

/**
 * 16.2.1.8.3 SetSyntheticModuleExport(module, exportName, exportValue) —
 * https://tc39.es/ecma262/#sec-setsyntheticmoduleexport.
 */
export function SetSyntheticModuleExport(
  module: SyntheticModuleRecord,
  exportName: string,
  exportValue: unknown,
): void {
  // 1. Assert: module.[[ExportNames]] contains exportName.
  if (!SyntheticHasExport(module, exportName))
    AssertionFailed(`SetSyntheticModuleExport: '${exportName}' is not an export name`);
  // 2-3. Assert: the environment exists.
  const envRec = module.environment;
  Assert(envRec !== undefined, 'SetSyntheticModuleExport: the module is not linked');
  // 4. SetMutableBinding.
  envRec.values[exportName] = exportValue;
}

function SyntheticHasExport(module: SyntheticModuleRecord, exportName: string): boolean {
  const names = module.exportNames;
  for (let i = 0; i < names.length; i++) if (names[i] === exportName) return true;
  return false;
}

/** 16.2.1.8.4.1 LoadRequestedModules() — https://tc39.es/ecma262/#sec-smr-LoadRequestedModules. */
export function SyntheticModuleLoadRequestedModules(): Promise<unknown> {
  // 1. Return ! PromiseResolve(%Promise%, undefined).
  return PromiseResolvedWith(undefined);
}

/** 16.2.1.8.4.2 GetExportedNames() — https://tc39.es/ecma262/#sec-smr-getexportednames. */
export function SyntheticModuleGetExportedNames(module: SyntheticModuleRecord): readonly string[] {
  // 1.
  return module.exportNames;
}

/** 16.2.1.8.4.3 ResolveExport(exportName) — https://tc39.es/ecma262/#sec-smr-resolveexport. */
export function SyntheticModuleResolveExport(
  module: SyntheticModuleRecord,
  exportName: string,
): ResolvedBinding | null {
  // 1.
  if (!SyntheticHasExport(module, exportName)) return null;
  // 2.
  return new ResolvedBindingRecord(module, exportName);
}

/** 16.2.1.8.4.4 Link() — https://tc39.es/ecma262/#sec-smr-Link. */
export function SyntheticModuleLink(module: SyntheticModuleRecord): void {
  // DEVIATION(Synthetic Module Record Link): the environment is created by the first Link only. Each
  //   InnerModuleLinking visit calls Link again; a new environment per call would reset the
  //   exports and split importers between old and new bindings, so SetSyntheticModuleExport
  //   would no longer reach all of them.
  if (module.environment !== undefined) return;
  // 1-3. NewModuleEnvironment.
  const values = TableCreate<unknown>();
  const bindingIndex = TableCreate<number>();
  const bindingGetters = ListCreate<() => unknown>();
  // 4. One mutable binding per export name, initialized to undefined.
  const names = module.exportNames;
  for (let i = 0; i < names.length; i++) {
    const exportName = ListAt(names, i);
    values[exportName] = undefined;
    bindingIndex[exportName] = i;
    ListAppend(bindingGetters, () => values[exportName]);
  }
  module.environment = { __proto__: null, bindingIndex, bindingGetters, values } as SyntheticModuleEnvironment;
  // modhost: import bindings created before this environment existed now get their target.
  CompleteWaitingImportBindings(module);
  // 5.
}

/** 16.2.1.8.4.5 Evaluate() — https://tc39.es/ecma262/#sec-smr-Evaluate. */
export function SyntheticModuleEvaluate(module: SyntheticModuleRecord): Promise<unknown> {
  // 1-9. The execution context only makes the record the active module; nothing here reads it.
  // 10. DEVIATION(Synthetic Module Record Evaluate step 10): [[EvaluationSteps]] run once per record and later calls
  //     reuse that completion (as V8's synthetic modules do). InnerModuleEvaluation reaches a
  //     Synthetic Module Record once per importing edge, and host steps (CommonJS, built-ins)
  //     must not run twice.
  let result = module.evaluationResult;
  if (result === undefined) {
    try {
      ReflectApply(module.evaluationSteps, undefined, [module]);
      result = NormalCompletion(undefined);
    } catch (error) {
      result = ThrowCompletion(error);
    }
    module.evaluationResult = result;
  }
  // 11-12. (context removal)
  // 13.
  const pc = NewInternalPromiseCapability();
  // 14. IfAbruptRejectPromise(result, pc).
  if (result.type === 'throw') {
    pc.reject(result.value);
    return pc.promise;
  }
  // 15.
  pc.resolve(undefined);
  // 16.
  return pc.promise;
}
