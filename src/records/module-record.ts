/**
 * 16.2.1.5 Abstract Module Records: the types every Module Record shares, and the host-facing
 * types (Realm, completions, resolved bindings).
 *
 * Spec enum values map to JavaScript values as follows: ~empty~ is `undefined`; a ResolvedBinding's
 * [[BindingName]] ~namespace~, import defer's ~deferred-namespace~ and source phase imports'
 * ~source~ are the unique symbols {@link NAMESPACE}, {@link DEFERRED_NAMESPACE} and
 * {@link SOURCE} (any String is a legal binding name of a Synthetic Module Record); ~ambiguous~
 * is the unique symbol {@link AMBIGUOUS}.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { AssertionFailed } from './assert.js';
import type { HostHooks } from './host-hooks.js';
import { ObjectFreeze, ReflectApply } from './intrinsics.js';
import type { SourceTextModuleRecord } from './source-text-module-record.js';
import type { SyntheticModuleRecord } from './synthetic-module-record.js';

/** A normal completion (6.2.4 Completion Record, [[Type]] normal). */
export interface NormalCompletion<T> {
  readonly type: 'normal';
  readonly value: T;
}

/** A throw completion (6.2.4 Completion Record, [[Type]] throw). */
export interface ThrowCompletion {
  readonly type: 'throw';
  readonly value: unknown;
}

/** A stored Completion Record (only where the spec stores or passes one). */
export type Completion<T> = NormalCompletion<T> | ThrowCompletion;

/**
 * The records below, and every record records/ makes many of, are class instances rather than
 * null-prototype object literals: V8 gives an object literal with `__proto__: null` a dictionary
 * (hash table) representation, four times the size of a class instance with the same fields and
 * slower to read. Class fields are defined with [[DefineOwnProperty]] and every field always
 * exists, so no read of a record ever reaches a (possibly poisoned) `Object.prototype`.
 */
class NormalCompletionRecord<T> implements NormalCompletion<T> {
  readonly type = 'normal' as const;
  readonly value: T;
  constructor(value: T) {
    this.value = value;
  }
}

class ThrowCompletionRecord implements ThrowCompletion {
  readonly type = 'throw' as const;
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}

/** NormalCompletion(value). */
export function NormalCompletion<T>(value: T): NormalCompletion<T> {
  return new NormalCompletionRecord(value);
}

/** ThrowCompletion(value). */
export function ThrowCompletion(value: unknown): ThrowCompletion {
  return new ThrowCompletionRecord(value);
}

/**
 * What records/ needs from the realm a module belongs to (9.3 Realm Record, reduced to what a
 * host embedding provides): its host hooks, how to turn compiled code into a function, and the
 * brand check of the API layer's Module objects.
 */
export interface Realm {
  readonly hostHooks: HostHooks;
  /**
   * Evaluates compiled module code (strict, non-module Script) and returns its completion value:
   * the module's generator function. Called (with `this` undefined) once per ModuleSourceRecord
   * and evaluator function: realms that share an evaluator function share the generator
   * functions, so realms with different globals need different evaluator functions.
   */
  evaluator(code: string, url: string): unknown;
  /**
   * Brand check for Module objects: `Type(value) is Object and value has [[ImportHook]]` → its
   * [[Module]] record; anything else → `undefined`. Must not run user code.
   */
  moduleRecordOf(value: unknown): ModuleRecord | undefined;
  /**
   * ESM phase imports: `import(moduleSource)`. For a module source object (an
   * %AbstractModuleSource% instance the API layer knows), the Module Record of the host's
   * canonical instance of that source in this realm; `undefined` for any other value. Throws
   * (ERR_MODHOST_INVALID_SOURCE_IMPORT, a TypeError) for a source whose canonical instance belongs
   * to another realm. Optional: a realm without it treats every non-Module argument as a specifier.
   */
  moduleRecordOfSource?(value: unknown): ModuleRecord | undefined;
  /**
   * Makes [[ModuleSourceObject]] of a module of this realm whose field holds
   * {@link MODULE_SOURCE_ON_DEMAND}, the first time it is asked for (see ModuleSourceObjectOf).
   * Optional: only a realm that makes such modules needs it.
   */
  createModuleSourceObject?(module: SourceTextModuleRecord): object;
  /**
   * Hot replacement (modhost): when true, every module of this realm records which modules
   * loaded it (its `importers`), so that a host can find, and relink, the importers of a module
   * it replaces, including modules it did not make. Off by default: it costs one List append per
   * loaded import.
   */
  readonly trackImporters?: boolean;
}

/** True when `module`'s hooks follow the Import Hook proposal's contract (see ModuleInstanceSlots). */
export function HasImportHookContract(module: { readonly moduleInstance?: ModuleInstanceSlots | undefined }): boolean {
  const instance = module.moduleInstance;
  return instance !== undefined && instance.handlerOf === 'ModuleSource';
}

/**
 * The proposal's Module instance slots that records/ uses: [[ImportHook]], [[ImportMetaHook]]
 * and [[HandlerValue]] (the `this` of both hooks).
 *
 * `handlerOf` says whose contract the hooks follow: `'Module'` (the Module & ModuleSource
 * proposal, layer 0: `new Module(source, handler)`; import.meta is made, and importMetaHook
 * called, the first time module code reads it; the host's supported attribute keys apply) or
 * `'ModuleSource'` (the Import Hook proposal, endojs/proposal-import-hook:
 * `new ModuleSource(text, handler)`; importMetaHook runs once immediately before the body when
 * the source mentions `import.meta`, and importHook receives every attribute key). Absent means
 * `'Module'`.
 */
export interface ModuleInstanceSlots {
  readonly importHook?: Function | undefined;
  readonly importMetaHook?: Function | undefined;
  readonly handler: unknown;
  readonly handlerOf?: 'Module' | 'ModuleSource' | undefined;
  /**
   * True when the importHook is a host's own loader (a host made the Module with its handler):
   * its errors are the host's, already coded with specifier and referrer, and reach the importer
   * unchanged, as HostLoadImportedModule's do; other importHooks' errors are wrapped
   * (ERR_MODHOST_IMPORT_HOOK_FAILED, see LoadImportedModule).
   */
  readonly hostLoader?: boolean | undefined;
  /**
   * modhost (a REPL's session scope): assignments to this module's import bindings
   * (`x = v`, `x++`, …) call this with the binding's local name and the value instead of throwing
   * the TypeError of an immutable binding; it may throw that TypeError itself. Absent for every
   * Module made through the public API.
   */
  readonly assignImport?: ((localName: string, value: unknown) => void) | undefined;
}

/**
 * A Module Environment Record (9.1.1.5), reduced to what modhost needs: for each binding name, a
 * function returning the binding's current value (which throws a ReferenceError while the binding
 * is uninitialized). `bindingIndex` (binding name → index in `bindingGetters`) is a null-prototype
 * table shared by every environment of one module source.
 */
export interface ModuleEnvironment {
  readonly bindingIndex: { readonly [bindingName: string]: number | undefined };
  readonly bindingGetters: readonly (() => unknown)[];
}

/** The getter of binding `name` in `env`, if it has one. */
export function GetBindingGetter(env: ModuleEnvironment, name: string): (() => unknown) | undefined {
  const index = env.bindingIndex[name];
  return index === undefined ? undefined : env.bindingGetters[index];
}

/** [[BindingName]] ~namespace~: the binding is the module's namespace object (ECMA-262). */
export const NAMESPACE: unique symbol = Symbol('namespace');
/**
 * [[BindingName]] ~deferred-namespace~ (import defer): the module's deferred namespace object, for
 * `import defer * as ns from 'm'; export { ns }` re-exported.
 */
export const DEFERRED_NAMESPACE: unique symbol = Symbol('deferred-namespace');
/**
 * [[BindingName]] ~source~ (source phase imports, tc39/proposal-source-phase-imports#76): the
 * module's source object, for `import source x from 'm'; export { x }` re-exported.
 */
export const SOURCE: unique symbol = Symbol('source');

/** A [[BindingName]] that names no binding of an environment. */
export type SpecialBindingName = typeof NAMESPACE | typeof DEFERRED_NAMESPACE | typeof SOURCE;

/** ResolvedBinding Record { [[Module]], [[BindingName]] }. */
export interface ResolvedBinding {
  readonly module: ModuleRecord;
  readonly bindingName: string | SpecialBindingName;
}

/** A new ResolvedBinding Record { [[Module]]: module, [[BindingName]]: bindingName }. */
export class ResolvedBindingRecord implements ResolvedBinding {
  readonly module: ModuleRecord;
  readonly bindingName: string | SpecialBindingName;
  constructor(module: ModuleRecord, bindingName: string | SpecialBindingName) {
    this.module = module;
    this.bindingName = bindingName;
  }
}

/**
 * The value of [[ModuleSourceObject]] for a module whose source object its realm makes when it is
 * first asked for ({@link Realm.createModuleSourceObject}): a host that makes many instances of
 * one source need not make an object per instance that nothing may ever ask for.
 */
export const MODULE_SOURCE_ON_DEMAND: object = ObjectFreeze({ __proto__: null, onDemand: true });

/**
 * [[ModuleSourceObject]] of `module` (undefined: it has none), made first if it is
 * {@link MODULE_SOURCE_ON_DEMAND}.
 */
export function ModuleSourceObjectOf(module: ModuleRecord): object | undefined {
  const source = module.moduleSourceObject;
  if (source !== MODULE_SOURCE_ON_DEMAND || module.kind !== 'source-text') return source;
  const realm = module.realm;
  const create = realm.createModuleSourceObject;
  if (!(create !== undefined)) AssertionFailed('a module source on demand in a realm that cannot make one');
  const made = ReflectApply(create, realm, [module]) as object;
  module.moduleSourceObject = made;
  return made;
}

/** ~ambiguous~, a possible result of ResolveExport. */
export const AMBIGUOUS: unique symbol = Symbol('ambiguous');
export type Ambiguous = typeof AMBIGUOUS;

/**
 * 16.2.1.5 Table "Module Record Fields": the fields every Module Record has. ~empty~ is
 * `undefined`.
 */
export interface AbstractModuleRecord {
  readonly realm: Realm;
  environment: ModuleEnvironment | undefined;
  namespace: object | undefined;
  readonly hostDefined: unknown;
}

/** Every concrete Module Record modhost has (a closed union so that dispatch is checked). */
export type ModuleRecord = SourceTextModuleRecord | SyntheticModuleRecord;

/** 16.2.1.6 Cyclic Module Records: Source Text Module Records are the only concrete kind. */
export type CyclicModuleRecord = SourceTextModuleRecord;

/** True if `module` is a Cyclic Module Record. */
export function IsCyclicModuleRecord(module: ModuleRecord): module is CyclicModuleRecord {
  return module.kind === 'source-text';
}

/** A name for a module in messages: its URL, or a placeholder for records without source. */
export function ModuleDisplayName(module: ModuleRecord): string {
  return module.kind === 'source-text' ? module.source.url : '<synthetic module>';
}
