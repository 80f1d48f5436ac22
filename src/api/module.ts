/**
 * Module (Module & ModuleSource API, "Module Objects"): a module instance whose dependencies come
 * from its importHook and whose import.meta is filled by its importMetaHook.
 */
import { createError } from '../errors/codes.js';
import {
  createSourceTextModuleRecord,
  MODULE_SOURCE_ON_DEMAND,
  type ModuleInstanceSlots,
  type ModuleRecord,
  ModuleSourceObjectOf,
  type Realm,
  type SourceTextModuleRecord,
} from '../records/index.js';
import type { ModuleSourceRecord } from '../source/types.js';
import type { AbstractModuleSource } from './abstract-module-source.js';
import { addSourceInstantiator, registerCanonicalModule } from './canonical.js';
import {
  captureHandler,
  describeKind,
  type HandlerSlots,
  type ImportAttributes,
  type ImportHookResult,
  isHostHandler,
  type ModuleImportMeta,
} from './handler.js';
import { defineBuiltins, defineBuiltinValue, isObject, ObjectCreate, ObjectFreeze } from './intrinsics.js';
import type { ModuleSource } from './module-source.js';
import { defaultRealm } from './realm.js';
import { moduleSourceHandlers, moduleSourceSlots, sourcePhaseObjects, sourceUrls } from './slots.js';
import { type VirtualModuleSource, virtualModuleSourceRecord } from './virtual-module-source.js';

export type { ImportAttributes, ImportHookResult, ModuleImportMeta };

/**
 * The handler of a Module. Hooks are read once, when the Module is constructed, and always called
 * with `this` = the handler.
 */
export interface ModuleHandler {
  /**
   * Gives the module for a specifier this module imports (statically or with `import()`): a
   * `Module`, or a module source (a `ModuleSource`, …) standing for its instance in this realm,
   * or a promise of either. Called at most once per (specifier, attributes) pair of this module
   * once it succeeds; a hook that throws or rejects is called again by a later import, and the
   * importer gets an ERR_MODHOST_IMPORT_HOOK_FAILED error whose `cause` is the hook's error.
   */
  importHook?(specifier: string, attributes: ImportAttributes): ImportHookResult;
  /** Fills `import.meta` (a null-prototype object) the first time module code reads it. */
  importMetaHook?(importMeta: ModuleImportMeta): void;
}

/** Requires the [[Module]] slot (RequireInternalSlot) and returns the record. */
export function moduleRecordOfInstance(value: unknown, what: string): ModuleRecord {
  const record = moduleRecordOf(value);
  if (record === undefined) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', `${what} must be a Module (got ${describeKind(value)})`);
  }
  return record;
}

/**
 * The brand check importHook results go through: the [[Module]] record of a Module instance
 * (`value` has an [[ImportHook]] slot), else undefined. Never runs user code.
 */
export function moduleRecordOf(value: unknown): ModuleRecord | undefined {
  return slotsOf(value, true) as ModuleRecord | undefined;
}

/**
 * [[ModuleSourceInstance]] of a host's Module whose source object is made on first use (see
 * {@link createModuleFromSourceRecord}): the record's [[ModuleSourceObject]].
 */
const SOURCE_OF_RECORD: object = ObjectFreeze(ObjectCreate(null));

// The internal slots live in private fields (set in the class body, read through these functions):
// module code cannot reach them, and no table outside the instance keeps one per Module.
let slotsOf: (value: unknown, record: boolean) => ModuleRecord | object | null | undefined;
/** Set just before a host constructs a Module with a given record (see constructHostModule). */
let hostRecord: ModuleRecord | undefined;
let hostSource: object | null = null;

/**
 * A module instance.
 *
 * `new Module(source, handler)` uses `handler`'s hooks with layer 0's contract (importMetaHook
 * runs the first time the module reads `import.meta`). Without a handler, a Module made from a
 * ModuleSource that has one (`new ModuleSource(text, handler)`) uses the source's hooks, with the
 * Import Hook proposal's contract (importMetaHook runs immediately before the body): a fresh
 * instance of that source, beside its canonical one.
 *
 * @example
 * const dep = new Module(new ModuleSource('export const answer = 42;'));
 * const main = new Module(new ModuleSource(`import { answer } from 'dep'; export default answer + 1;`), {
 *   importHook(specifier) { if (specifier === 'dep') return dep; throw new Error(`unknown ${specifier}`); },
 * });
 * const ns = await importModule(main); // ns.default === 43
 *
 * @example
 * // A virtual module source (layer 2): bindings + execute (see virtual-module-source.ts).
 * const counter = new Module({
 *   bindings: [{ export: 'count' }, { export: 'increment' }],
 *   execute(env) {
 *     env.count = 0;
 *     env.increment = () => { env.count += 1; };
 *   },
 * });
 * const { count, increment } = await importModule(counter); // count === 0
 *
 * @throws TypeError (code ERR_MODHOST_INVALID_ARGUMENT) when `moduleSource` is neither a
 *   ModuleSource nor a virtual module source object, for a handler that is not an object, or a
 *   hook that is not callable.
 */
export class Module {
  /** [[Module]] */
  #record: ModuleRecord;
  /** [[ModuleSourceInstance]]: the source object, null (a host module without one), or SOURCE_OF_RECORD. */
  #source: object | null;

  constructor(moduleSource: ModuleSource | AbstractModuleSource | VirtualModuleSource, handler?: ModuleHandler) {
    const given = hostRecord;
    if (given !== undefined) {
      // A host's Module over a record it made (constructHostModule).
      hostRecord = undefined;
      this.#record = given;
      this.#source = hostSource;
      return;
    }
    this.#record = initializeModule(moduleSource, handler, defaultRealm);
    this.#source = moduleSource;
  }

  static {
    slotsOf = (value, record) => {
      if (!(isObject(value) && #record in value)) return undefined;
      return record ? value.#record : value.#source;
    };
  }
}

/** A Module whose slots are `record` and `source` (for hosts; runs no user code). */
function constructHostModule(record: ModuleRecord, source: object | null): Module {
  hostRecord = record;
  hostSource = source;
  return new Module(undefined as never);
}

/**
 * The steps of the Module constructor after NewTarget handling, for a given realm. Hosts call it
 * through {@link createModuleInRealm} so that their modules use their own evaluator.
 */
function initializeModule(
  moduleSource: unknown,
  handler: unknown,
  realm: Realm,
  extra?: HostModuleOptions,
): SourceTextModuleRecord {
  // 2. RequireInternalSlot(moduleSource, [[ModuleSource]]); layer 2: any other object is a virtual
  //    module source (its record is built from its `bindings` once per object).
  if (!isObject(moduleSource)) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `The first argument of Module must be a ModuleSource or virtual module source (got ` +
        `${describeKind(moduleSource)})`,
    );
  }
  const sourceRecord =
    moduleSourceSlots.get(moduleSource) ?? virtualModuleSourceRecord(moduleSource, sourceUrls.get(moduleSource));
  // 4-6. Hooks are read once, here, with GetMethod (non-callable → TypeError). Without a handler,
  //   the hooks of the source's own handler (Import Hook proposal), with that proposal's contract.
  const own = captureHandler(handler, 'a Module');
  const instance = InstanceSlots(own, own ?? moduleSourceHandlers.get(moduleSource), extra);
  // 3. CreateModuleRecord (status ~new~: see the deviation noted in records/).
  const record = createSourceTextModuleRecord(sourceRecord, realm, instance, extra?.hostDefined);
  // Source phase imports: [[ModuleSourceObject]] (what `import source x` binds).
  record.moduleSourceObject = sourcePhaseObjects.get(moduleSource) ?? moduleSource;
  // 7-13. [[ModuleSourceInstance]], [[HandlerValue]], hooks, [[ModuleInstance]], [[Module]]: the
  //   caller's private fields.
  return record;
}

/**
 * The [[ModuleInstance]] slots records/ reads, from the hooks of the Module's own handler (`own`)
 * or else of its source's (`hooks`). Without hooks or `assignImport` there is nothing to read:
 * none are made (records/ treats an absent [[ModuleInstance]] as one without hooks).
 */
function InstanceSlots(
  own: HandlerSlots | undefined,
  hooks: HandlerSlots | undefined,
  extra: HostModuleOptions | undefined,
): ModuleInstanceSlots | undefined {
  if (hooks !== undefined) {
    return {
      importHook: hooks.importHook,
      importMetaHook: hooks.importMetaHook,
      handler: hooks.handler,
      handlerOf: own === undefined ? 'ModuleSource' : 'Module',
      hostLoader: isHostHandler(hooks.handler),
      assignImport: extra?.assignImport,
    };
  }
  const assignImport = extra?.assignImport;
  if (assignImport === undefined) return undefined;
  return { importHook: undefined, importMetaHook: undefined, handler: undefined, assignImport };
}

/** What hosts (not the public constructor) may add to a Module they make. */
export interface HostModuleOptions {
  /** See ModuleInstanceSlots.assignImport (a REPL's session scope). */
  assignImport?: (localName: string, value: unknown) => void;
  /** The record's [[HostDefined]] (what the realm's host hooks see of the module). */
  hostDefined?: unknown;
}

/**
 * `new Module(source, handler)` in a host's realm (for hosts; not part of the proposal). The first
 * Module a host makes from a source is that source's canonical instance in the realm: the one
 * `import(source)` (ESM phase imports) imports.
 */
export function createModuleInRealm(
  moduleSource: ModuleSource | AbstractModuleSource | VirtualModuleSource,
  handler: ModuleHandler | undefined,
  realm: Realm,
  extra?: HostModuleOptions,
): Module {
  const record = initializeModule(moduleSource, handler, realm, extra);
  registerCanonicalModule(record.moduleSourceObject ?? moduleSource, record, realm);
  return constructHostModule(record, moduleSource);
}

/**
 * {@link createModuleInRealm} for a fresh ModuleSource over `sourceRecord` (a host's fork
 * instantiating what its family analysed), without making that ModuleSource: the record's
 * [[ModuleSourceObject]] is MODULE_SOURCE_ON_DEMAND, made (and made the canonical instance's source
 * in the realm) by the realm's createModuleSourceObject when `import source`, `import.source()` or
 * `module.source` first asks for it. Nothing can tell the difference: before it is asked for, no
 * code holds the object, so none can import it or compare it.
 */
export function createModuleFromSourceRecord(
  sourceRecord: ModuleSourceRecord,
  handler: ModuleHandler | undefined,
  realm: Realm,
  extra?: HostModuleOptions,
): Module {
  // (a fresh ModuleSource over a record has no handler of its own: the Module's hooks are all)
  const own = captureHandler(handler, 'a Module');
  const record = createSourceTextModuleRecord(sourceRecord, realm, InstanceSlots(own, own, extra), extra?.hostDefined);
  record.moduleSourceObject = MODULE_SOURCE_ON_DEMAND;
  return constructHostModule(record, SOURCE_OF_RECORD);
}

export interface Module {
  /** The ModuleSource this instance was made from (null for host modules without a source). */
  readonly source: ModuleSource | null;
}

defineBuiltins(Module.prototype, {
  get source(): ModuleSource | null {
    const source = slotsOf(this, false);
    if (source === undefined) {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `Module.prototype.source receiver must be a Module (got ${describeKind(this)})`,
      );
    }
    if (source === SOURCE_OF_RECORD) return ModuleSourceObjectOf(slotsOf(this, true) as ModuleRecord) as ModuleSource;
    return source as ModuleSource | null;
  },
});
defineBuiltinValue(Module.prototype, Symbol.toStringTag, 'Module', { writable: false });

/**
 * Wraps an existing record (e.g. a host's synthetic module for `node:fs`) in a Module instance
 * without a source. For hosts; not part of the proposal's constructor.
 */
export function moduleFromRecord(record: ModuleRecord, source: ModuleSource | null = null): Module {
  return constructHostModule(record, source);
}

export type { Realm };

// ESM phase imports and the Import Hook proposal: a ModuleSource no host has instantiated gets one
// instance per realm that imports it, with the hooks of the source's own handler (if any).
addSourceInstantiator((source, realm) => {
  if (!moduleSourceSlots.has(source)) return undefined;
  // (the instance has no Module object: nothing ever hands one out)
  return initializeModule(source, undefined, realm);
});
