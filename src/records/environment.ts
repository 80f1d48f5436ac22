/**
 * 16.2.1.7.3.1 InitializeEnvironment for Source Text Module Records, and import bindings
 * (9.1.1.5.5 CreateImportBinding).
 *
 * A module's environment is its compiled generator, called with a fresh runtime object `rt` and
 * run to its first `yield` (FunctionDeclarationInstantiation: functions exist, `var`s are
 * undefined, lexical bindings are in their TDZ). That `yield` hands out one getter per exported
 * local binding and the `setImports` function through which the module reads its imports. An
 * import binding is the target module's own getter, so reads are direct and TDZ is V8's own. A
 * target whose environment does not exist yet (a cycle, or an export resolved through a module
 * not yet linked) gets a waiting entry, completed by CompleteWaitingImportBindings when that
 * environment is created.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { createError } from '../errors/codes.js';
import type { ImportEntry, IndirectExportEntry, ModuleSourceRecord } from '../source/types.js';
import { Assert, AssertionFailed } from './assert.js';
import {
  EMPTY_LIST,
  GeneratorPrototypeNext,
  ListAppend,
  ListAt,
  ListCreate,
  ReflectApply,
  TableCreate,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from './intrinsics.js';
import { GetImportedModule } from './loading.js';
import {
  AMBIGUOUS,
  type Ambiguous,
  GetBindingGetter,
  type ModuleRecord,
  type ResolvedBinding,
} from './module-record.js';
import { CreateModuleRuntime } from './module-runtime.js';
import { GetModuleNamespace, SpecialBindingValue } from './namespace.js';
import { GetModuleSource } from './phases.js';
import { ResolveExport } from './resolve-export.js';
import type {
  SourceTextModuleEnvironment,
  SourceTextModuleRecord,
  WaitingImportBinding,
} from './source-text-module-record.js';
import type { SyntheticModuleRecord } from './synthetic-module-record.js';

/** Per evaluator, per ModuleSourceRecord: the generator function its compiled code evaluated to. */
const generatorFunctions = new WeakMapCtor<ModuleSourceRecord, WeakMap<object, Function>>();
/** Per ModuleSourceRecord: import local name → index in `compiled.importNames`. */
const importSlotTables = new WeakMapCtor<ModuleSourceRecord, { [localName: string]: number }>();
/** Per ModuleSourceRecord: binding name → index in `compiled.getterNames` ([[Environment]].bindingIndex). */
const bindingIndexTables = new WeakMapCtor<ModuleSourceRecord, { [name: string]: number }>();

/** What step 7 decided for one ImportEntry, before anything is committed. */
interface ImportBindingPlan {
  readonly entry: ImportEntry;
  /** The value of a namespace (or module source) binding (7.b, 7.c.iii), else undefined. */
  readonly namespace: object | undefined;
  /** The target binding for an import binding (7.c.iv). */
  readonly resolution: ResolvedBinding | undefined;
}

/**
 * 16.2.1.7.3.1 InitializeEnvironment() —
 * https://tc39.es/ecma262/#sec-source-text-module-record-initialize-environment.
 */
export function InitializeEnvironment(module: SourceTextModuleRecord): void {
  // 1. Every indirect export must resolve.
  const indirects = module.indirectExportEntries;
  for (let i = 0; i < indirects.length; i++) {
    const e = ListAt(indirects, i);
    // 1.a-b
    const resolution = ResolveExport(module, e.exportName);
    // 1.c
    if (resolution === null || resolution === AMBIGUOUS) throw IndirectExportError(module, e, resolution);
    // 1.d
  }
  // 2-4. (all named exports are resolvable; the realm exists)
  // Steps 5-6 (creating the environment) run after step 7's checks, so that a throw leaves the
  // record unchanged; nothing can observe [[Environment]] in between.
  // 7. Resolve every import (a throw here leaves everything as it was).
  const entries = module.importEntries;
  const plans = ListCreate<ImportBindingPlan>();
  for (let i = 0; i < entries.length; i++) {
    const entry = ListAt(entries, i);
    // 7.a
    const importedModule = GetImportedModule(module, entry.moduleRequest);
    if (entry.importName === null) {
      const phase = entry.moduleRequest.phase;
      // (source phase imports) 7.b′ [[ImportName]] ~source~: a binding to ? GetModuleSource().
      // 7.b `import * as ns` (import defer: GetModuleNamespace(importedModule, phase), the
      //     deferred namespace for `import defer * as ns`): a binding to the namespace.
      const value =
        phase === 'source'
          ? GetModuleSource(importedModule)
          : GetModuleNamespace(importedModule, phase === 'defer' ? 'defer' : 'evaluation');
      ListAppend(plans, { __proto__: null, entry, namespace: value, resolution: undefined } as ImportBindingPlan);
      continue;
    }
    // 7.c.i
    const resolution = ResolveExport(importedModule, entry.importName);
    // 7.c.ii
    if (resolution === null || resolution === AMBIGUOUS) throw ImportResolutionError(module, entry, resolution);
    if (typeof resolution.bindingName !== 'string') {
      // 7.c.iii A re-exported namespace (`export * as ns from`, `import * as ns; export { ns }`);
      //   with the proposals, a re-exported deferred namespace or module source.
      ListAppend(plans, {
        __proto__: null,
        entry,
        namespace: SpecialBindingValue(resolution.module, resolution.bindingName),
        resolution: undefined,
      } as ImportBindingPlan);
    } else {
      // 7.c.iv (performed below, once nothing can fail)
      ListAppend(plans, { __proto__: null, entry, namespace: undefined, resolution } as ImportBindingPlan);
    }
  }
  // 8-17. The execution context: the compiled generator, called with a fresh rt.
  const generatorFunction = GetModuleGeneratorFunction(module);
  const rt = CreateModuleRuntime(module);
  // (rt is reachable only from the compiled code)
  const generator = ReflectApply(generatorFunction, undefined, [rt]) as Generator;
  // 18-24. Run to the first yield: FunctionDeclarationInstantiation of the module body.
  const first = GeneratorPrototypeNext(generator);
  const instantiation = first.value as { getters?: unknown; setImports?: unknown } | undefined;
  Assert(
    first.done !== true &&
      typeof instantiation === 'object' &&
      instantiation !== null &&
      typeof instantiation.setImports === 'function',
    `compiled code of ${module.source.url} did not yield its bindings`,
  );
  const compiled = module.source.compiled;
  const bindingGetters = instantiation.getters as readonly (() => unknown)[];
  Assert(
    typeof bindingGetters === 'object' &&
      bindingGetters !== null &&
      bindingGetters.length === compiled.getterNames.length,
    `compiled code of ${module.source.url} yielded the wrong number of getters`,
  );
  // 5-6. The environment.
  const importBindings = ListCreate<() => unknown>();
  const importCount = compiled.importNames.length;
  for (let i = 0; i < importCount; i++) ListAppend(importBindings, UninitializedTargetBinding);
  const env: SourceTextModuleEnvironment = {
    __proto__: null,
    bindingIndex: BindingIndexTable(module.source),
    bindingGetters,
    importBindings,
    setImports: instantiation.setImports as (fns: readonly (() => unknown)[]) => void,
  } as SourceTextModuleEnvironment;
  // 7 (continued): create the bindings.
  const slots = ImportSlotTable(module.source);
  for (let i = 0; i < plans.length; i++) {
    const plan = ListAt(plans, i);
    const localName = plan.entry.localName;
    const slot = slots[localName];
    if (!(slot !== undefined))
      AssertionFailed(`compiled code of ${module.source.url} has no import binding '${localName}'`);
    const namespace = plan.namespace;
    if (namespace !== undefined) {
      // 7.b.ii-iii / 7.c.iii.2-3 An immutable binding initialized to the namespace.
      importBindings[slot] = () => namespace;
    } else {
      const resolution = plan.resolution as ResolvedBinding;
      // 7.c.iv.1
      CreateImportBinding(module, env, slot, resolution.module, resolution.bindingName as string);
    }
  }
  env.setImports(importBindings);
  module.environment = env;
  // 16. [[Context]]
  module.context = generator;
  // Import bindings (of this or other modules) that were waiting for this environment.
  CompleteWaitingImportBindings(module);
  // 25-26.
}

/**
 * 9.1.1.5.5 CreateImportBinding(envRec, N, M, N2) —
 * https://tc39.es/ecma262/#sec-createimportbinding. `slot` identifies N in the importer's compiled
 * code. If M has no environment yet, the binding reads as uninitialized (9.1.1.5.1 step 3.c) until
 * M's environment is created.
 */
export function CreateImportBinding(
  importer: SourceTextModuleRecord,
  envRec: SourceTextModuleEnvironment,
  slot: number,
  M: ModuleRecord,
  N2: string,
): void {
  // 1-2. (asserts)
  const targetEnv = M.environment;
  if (targetEnv !== undefined) {
    // 3. An indirect binding to N2 in M's environment.
    const getter = GetBindingGetter(targetEnv, N2);
    if (!(getter !== undefined)) AssertionFailed(`no binding '${N2}' in the environment of the imported module`);
    envRec.importBindings[slot] = getter;
    return;
  }
  // 3. (M not instantiated yet) The binding is completed when M's environment is created.
  if (M.waitingImportBindings === EMPTY_LIST) M.waitingImportBindings = ListCreate<WaitingImportBinding>();
  ListAppend(M.waitingImportBindings, {
    __proto__: null,
    importer,
    importerEnvironment: envRec,
    slot,
    bindingName: N2,
  } as WaitingImportBinding);
}

/** Points every import binding waiting for `target`'s (now existing) environment at its target. */
export function CompleteWaitingImportBindings(target: SourceTextModuleRecord | SyntheticModuleRecord): void {
  const waiting = target.waitingImportBindings;
  if (waiting.length === 0) return;
  target.waitingImportBindings = EMPTY_LIST as WaitingImportBinding[];
  const targetEnv = target.environment;
  Assert(targetEnv !== undefined, 'CompleteWaitingImportBindings: no environment');
  const updated = ListCreate<SourceTextModuleEnvironment>();
  for (let i = 0; i < waiting.length; i++) {
    const wait = ListAt(waiting, i);
    const importerEnv = wait.importerEnvironment;
    // An environment abandoned by a failed Link (the importer was initialized again) is skipped.
    if (wait.importer.environment !== importerEnv) continue;
    const getter = GetBindingGetter(targetEnv, wait.bindingName);
    if (!(getter !== undefined))
      AssertionFailed(`no binding '${wait.bindingName}' in the environment of the imported module`);
    importerEnv.importBindings[wait.slot] = getter;
    let seen = false;
    for (let j = 0; j < updated.length; j++) if (updated[j] === importerEnv) seen = true;
    if (!seen) ListAppend(updated, importerEnv);
  }
  for (let i = 0; i < updated.length; i++) {
    const env = ListAt(updated, i);
    env.setImports(env.importBindings);
  }
}

/** 9.1.1.5.1 GetBindingValue step 3.c: the target module has no environment yet. */
function UninitializedTargetBinding(): never {
  throw createError('ERR_MODHOST_TDZ', 'Cannot access an imported binding before its module is initialized');
}

/** The generator function of `module`'s compiled code, evaluated once per source and evaluator. */
function GetModuleGeneratorFunction(module: SourceTextModuleRecord): Function {
  const source = module.source;
  const evaluator = module.realm.evaluator;
  let byEvaluator = WeakMapPrototypeGet(generatorFunctions, source);
  if (byEvaluator === undefined) {
    byEvaluator = new WeakMapCtor<object, Function>();
    WeakMapPrototypeSet(generatorFunctions, source, byEvaluator);
  }
  let fn = WeakMapPrototypeGet(byEvaluator, evaluator as object);
  if (fn === undefined && source.compiled.generatorFunction !== undefined) {
    // A virtual module source: its generator function is given, not compiled (no code to evaluate).
    fn = source.compiled.generatorFunction;
  }
  if (fn === undefined) {
    const value = ReflectApply(evaluator, undefined, [source.compiled.code, source.url]);
    if (!(typeof value === 'function'))
      AssertionFailed(`the compiled code of ${source.url} did not evaluate to a function`);
    fn = value;
    WeakMapPrototypeSet(byEvaluator, evaluator as object, fn);
  }
  return fn;
}

/** Import local name → slot in `compiled.importNames`, computed once per source. */
function ImportSlotTable(source: ModuleSourceRecord): { [localName: string]: number } {
  let table = WeakMapPrototypeGet(importSlotTables, source);
  if (table === undefined) {
    table = TableCreate<number>();
    const names = source.compiled.importNames;
    for (let i = 0; i < names.length; i++) table[ListAt(names, i)] = i;
    WeakMapPrototypeSet(importSlotTables, source, table);
  }
  return table;
}

/** Binding name → index of its getter, computed once per source. */
function BindingIndexTable(source: ModuleSourceRecord): { [name: string]: number } {
  let table = WeakMapPrototypeGet(bindingIndexTables, source);
  if (table === undefined) {
    table = TableCreate<number>();
    const names = source.compiled.getterNames;
    for (let i = 0; i < names.length; i++) table[ListAt(names, i)] = i;
    WeakMapPrototypeSet(bindingIndexTables, source, table);
  }
  return table;
}

function ImportResolutionError(
  module: SourceTextModuleRecord,
  entry: ImportEntry,
  resolution: null | Ambiguous,
): Error {
  const url = module.source.url;
  const specifier = entry.moduleRequest.specifier;
  const importName = entry.importName as string;
  if (resolution === AMBIGUOUS) {
    return createError(
      'ERR_MODHOST_AMBIGUOUS_IMPORT',
      `The requested module '${specifier}' contains conflicting star exports for name '${importName}' (imported ` +
        `by ${url})`,
      { specifier, referrer: url, importName },
    );
  }
  return createError(
    'ERR_MODHOST_UNRESOLVED_IMPORT',
    `The requested module '${specifier}' does not provide an export named '${importName}' (imported by ${url})`,
    { specifier, referrer: url, importName },
  );
}

function IndirectExportError(
  module: SourceTextModuleRecord,
  entry: IndirectExportEntry,
  resolution: null | Ambiguous,
): Error {
  const url = module.source.url;
  const specifier = entry.moduleRequest.specifier;
  const importName = entry.importName as string;
  const exportName = entry.exportName;
  if (resolution === AMBIGUOUS) {
    return createError(
      'ERR_MODHOST_AMBIGUOUS_IMPORT',
      `The requested module '${specifier}' contains conflicting star exports for name '${importName}' ` +
        `(re-exported as '${exportName}' by ${url})`,
      { specifier, referrer: url, importName, exportName },
    );
  }
  return createError(
    'ERR_MODHOST_UNRESOLVED_EXPORT',
    `The requested module '${specifier}' does not provide an export named '${importName}' (re-exported as ` +
      `'${exportName}' by ${url})`,
    { specifier, referrer: url, importName, exportName },
  );
}
