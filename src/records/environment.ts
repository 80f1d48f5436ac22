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
  ListFilled,
  ListOfLength,
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
  DEFERRED_NAMESPACE,
  GetBindingGetter,
  type ModuleRecord,
  NAMESPACE,
  type ResolvedBinding,
  type SpecialBindingName,
} from './module-record.js';
import { CreateModuleRuntime } from './module-runtime.js';
import { SpecialBindingValue } from './namespace.js';
import { GetModuleSource } from './phases.js';
import { ResolveExport } from './resolve-export.js';
import type {
  SourceTextModuleEnvironment,
  SourceTextModuleRecord,
  WaitingImportBinding,
} from './source-text-module-record.js';
import type { SyntheticModuleRecord } from './synthetic-module-record.js';

/**
 * What instantiating a ModuleSourceRecord needs that depends on the record alone, computed once
 * and shared by all its instances: the tables that map names to slots of its compiled code, and
 * the generator function its code evaluated to, per evaluator (one, usually: a host family shares
 * its evaluator).
 */
class SourceInstantiation {
  /** Import local name → index in `compiled.importNames`. */
  readonly importSlots: { [localName: string]: number };
  /** Binding name → index in `compiled.getterNames` ([[Environment]].bindingIndex). */
  readonly bindingIndex: { [name: string]: number };
  /** The first evaluator asked for the generator function, and what it gave. */
  evaluator: unknown = undefined;
  generatorFunction: Function | undefined = undefined;
  /** Generator functions of other evaluators. */
  others: WeakMap<object, Function> | undefined = undefined;
  constructor(source: ModuleSourceRecord) {
    const importSlots = TableCreate<number>();
    const importNames = source.compiled.importNames;
    for (let i = 0; i < importNames.length; i++) importSlots[ListAt(importNames, i)] = i;
    const bindingIndex = TableCreate<number>();
    const getterNames = source.compiled.getterNames;
    for (let i = 0; i < getterNames.length; i++) bindingIndex[ListAt(getterNames, i)] = i;
    this.importSlots = importSlots;
    this.bindingIndex = bindingIndex;
  }
}

const sourceInstantiations = new WeakMapCtor<ModuleSourceRecord, SourceInstantiation>();

function SourceInstantiationOf(source: ModuleSourceRecord): SourceInstantiation {
  let info = WeakMapPrototypeGet(sourceInstantiations, source);
  if (info === undefined) {
    info = new SourceInstantiation(source);
    WeakMapPrototypeSet(sourceInstantiations, source, info);
  }
  return info;
}

/**
 * What step 7 decided for an ImportEntry whose binding is an object rather than another module's
 * binding: a namespace (7.b, 7.c.iii), a deferred namespace or a module source.
 */
export class SpecialImportPlan {
  /** The object, once known (else undefined: hot relinking makes it when the plan is committed). */
  readonly namespace: object | undefined;
  /** For a plan whose object is made later: the module, and which of its special bindings. */
  readonly module: ModuleRecord | undefined;
  readonly bindingName: SpecialBindingName | undefined;
  constructor(
    namespace: object | undefined,
    module: ModuleRecord | undefined,
    bindingName: SpecialBindingName | undefined,
  ) {
    this.namespace = namespace;
    this.module = module;
    this.bindingName = bindingName;
  }
}

/**
 * What step 7 decided for one ImportEntry, before anything is committed: the target binding for
 * an import binding (7.c.iv), or a {@link SpecialImportPlan}.
 */
export type ImportBindingPlan = ResolvedBinding | SpecialImportPlan;

/**
 * InitializeEnvironment steps 1 and 7 without their effects: checks that every indirect export
 * and every import of `module` resolves in the graph as [[LoadedModules]] now describe it, and
 * says what each import binding will be (`plans[i]` for `module.[[ImportEntries]][i]`). Throws
 * the SyntaxError InitializeEnvironment would throw. With `lazy`, namespace and source bindings
 * name their module instead of holding the object (hot relinking makes the objects only when it
 * commits).
 */
export function PlanImportBindings(module: SourceTextModuleRecord, lazy: boolean): ImportBindingPlan[] {
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
  // 7. Resolve every import (a throw here leaves everything as it was).
  const entries = module.importEntries;
  // (every element is set below, or the loop throws and the List is dropped)
  const plans = ListOfLength<ImportBindingPlan>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = ListAt(entries, i);
    // 7.a
    const importedModule = GetImportedModule(module, entry.moduleRequest);
    if (entry.importName === null) {
      const phase = entry.moduleRequest.phase;
      // (source phase imports) 7.b′ [[ImportName]] ~source~: a binding to ? GetModuleSource().
      // 7.b `import * as ns` (import defer: GetModuleNamespace(importedModule, phase), the
      //     deferred namespace for `import defer * as ns`): a binding to the namespace.
      if (phase === 'source') {
        plans[i] = new SpecialImportPlan(GetModuleSource(importedModule), undefined, undefined);
      } else {
        const bindingName = phase === 'defer' ? DEFERRED_NAMESPACE : NAMESPACE;
        plans[i] = lazy
          ? new SpecialImportPlan(undefined, importedModule, bindingName)
          : new SpecialImportPlan(SpecialBindingValue(importedModule, bindingName), undefined, undefined);
      }
      continue;
    }
    // 7.c.i
    const resolution = ResolveExport(importedModule, entry.importName);
    // 7.c.ii
    if (resolution === null || resolution === AMBIGUOUS) throw ImportResolutionError(module, entry, resolution);
    const bindingName = resolution.bindingName;
    if (typeof bindingName !== 'string') {
      // 7.c.iii A re-exported namespace (`export * as ns from`, `import * as ns; export { ns }`);
      //   with the proposals, a re-exported deferred namespace or module source.
      plans[i] = lazy
        ? new SpecialImportPlan(undefined, resolution.module, bindingName)
        : new SpecialImportPlan(SpecialBindingValue(resolution.module, bindingName), undefined, undefined);
    } else {
      // 7.c.iv (performed once nothing can fail)
      plans[i] = resolution;
    }
  }
  return plans;
}

/**
 * 16.2.1.7.3.1 InitializeEnvironment() —
 * https://tc39.es/ecma262/#sec-source-text-module-record-initialize-environment.
 */
export function InitializeEnvironment(module: SourceTextModuleRecord): void {
  // 1-4, 7. Every indirect export and import is resolved first (PlanImportBindings), so that a
  // throw leaves the record unchanged: steps 5-6 (creating the environment) run after these
  // checks, and nothing can observe [[Environment]] in between.
  const plans = PlanImportBindings(module, false);
  const source = module.source;
  const info = SourceInstantiationOf(source);
  // 8-17. The execution context: the compiled generator, called with a fresh rt.
  const generatorFunction = GetModuleGeneratorFunction(module, info);
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
    `compiled code of ${source.url} did not yield its bindings`,
  );
  const compiled = source.compiled;
  const bindingGetters = instantiation.getters as readonly (() => unknown)[];
  Assert(
    typeof bindingGetters === 'object' &&
      bindingGetters !== null &&
      bindingGetters.length === compiled.getterNames.length,
    `compiled code of ${source.url} yielded the wrong number of getters`,
  );
  // 5-6. The environment.
  const importBindings = ListFilled<() => unknown>(compiled.importNames.length, UninitializedTargetBinding);
  const env = new SourceTextModuleEnvironmentRecord(
    info.bindingIndex,
    bindingGetters,
    importBindings,
    instantiation.setImports as (fns: readonly (() => unknown)[]) => void,
  );
  // 7 (continued): create the bindings.
  BindImportPlans(module, env, plans, info.importSlots);
  env.setImports(importBindings);
  module.environment = env;
  // 16. [[Context]]
  module.context = generator;
  // Import bindings (of this or other modules) that were waiting for this environment.
  CompleteWaitingImportBindings(module);
  // 25-26.
}

/** The Environment Record of a Source Text Module Record (see SourceTextModuleEnvironment). */
class SourceTextModuleEnvironmentRecord implements SourceTextModuleEnvironment {
  readonly bindingIndex: { readonly [bindingName: string]: number | undefined };
  readonly bindingGetters: readonly (() => unknown)[];
  readonly importBindings: (() => unknown)[];
  readonly setImports: (fns: readonly (() => unknown)[]) => void;
  constructor(
    bindingIndex: { readonly [bindingName: string]: number | undefined },
    bindingGetters: readonly (() => unknown)[],
    importBindings: (() => unknown)[],
    setImports: (fns: readonly (() => unknown)[]) => void,
  ) {
    this.bindingIndex = bindingIndex;
    this.bindingGetters = bindingGetters;
    this.importBindings = importBindings;
    this.setImports = setImports;
  }
}

/**
 * InitializeEnvironment step 7's effects: points each import binding slot of `env` at what its
 * plan says (the caller then hands the bindings to the compiled code with `setImports`).
 * `plans[i]` is the plan of `module.[[ImportEntries]][i]` (PlanImportBindings).
 */
export function BindImportPlans(
  module: SourceTextModuleRecord,
  env: SourceTextModuleEnvironment,
  plans: readonly ImportBindingPlan[],
  slots: SourceInstantiation['importSlots'] = SourceInstantiationOf(module.source).importSlots,
): void {
  const entries = module.importEntries;
  const importBindings = env.importBindings;
  for (let i = 0; i < plans.length; i++) {
    const plan = ListAt(plans, i);
    const localName = ListAt(entries, i).localName;
    const slot = slots[localName];
    if (!(slot !== undefined))
      AssertionFailed(`compiled code of ${module.source.url} has no import binding '${localName}'`);
    if (plan instanceof SpecialImportPlan) {
      const namespace =
        plan.namespace ?? SpecialBindingValue(plan.module as ModuleRecord, plan.bindingName as SpecialBindingName);
      // 7.b.ii-iii / 7.c.iii.2-3 An immutable binding initialized to the namespace.
      importBindings[slot] = () => namespace;
    } else {
      // 7.c.iv.1
      CreateImportBinding(module, env, slot, plan.module, plan.bindingName as string);
    }
  }
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
  ListAppend(M.waitingImportBindings, new WaitingImportBindingRecord(importer, envRec, slot, N2));
}

class WaitingImportBindingRecord implements WaitingImportBinding {
  readonly importer: SourceTextModuleRecord;
  readonly importerEnvironment: SourceTextModuleEnvironment;
  readonly slot: number;
  readonly bindingName: string;
  constructor(importer: SourceTextModuleRecord, env: SourceTextModuleEnvironment, slot: number, bindingName: string) {
    this.importer = importer;
    this.importerEnvironment = env;
    this.slot = slot;
    this.bindingName = bindingName;
  }
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
function GetModuleGeneratorFunction(module: SourceTextModuleRecord, info: SourceInstantiation): Function {
  const source = module.source;
  // A virtual module source: its generator function is given, not compiled (no code to evaluate).
  const given = source.compiled.generatorFunction;
  if (given !== undefined) return given;
  const evaluator = module.realm.evaluator;
  if (info.evaluator === evaluator && info.generatorFunction !== undefined) return info.generatorFunction;
  const other = info.others === undefined ? undefined : WeakMapPrototypeGet(info.others, evaluator as object);
  if (other !== undefined) return other;
  const value = ReflectApply(evaluator, undefined, [source.compiled.code, source.url]);
  if (!(typeof value === 'function'))
    AssertionFailed(`the compiled code of ${source.url} did not evaluate to a function`);
  if (info.generatorFunction === undefined) {
    info.evaluator = evaluator;
    info.generatorFunction = value;
  } else {
    if (info.others === undefined) info.others = new WeakMapCtor<object, Function>();
    WeakMapPrototypeSet(info.others, evaluator as object, value);
  }
  return value;
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
