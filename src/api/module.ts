/**
 * Module (Module & ModuleSource API, "Module Objects"): a module instance whose dependencies come
 * from its importHook and whose import.meta is filled by its importMetaHook.
 */
import { createError } from '../errors/codes.js';
import {
  createSourceTextModuleRecord,
  type ModuleInstanceSlots,
  type ModuleRecord,
  type Realm,
  type SourceTextModuleRecord,
} from '../records/index.js';
import type { AbstractModuleSource } from './abstract-module-source.js';
import { addSourceInstantiator, registerCanonicalModule } from './canonical.js';
import {
  captureHandler,
  describeKind,
  type ImportAttributes,
  type ImportHookResult,
  isHostHandler,
  type ModuleImportMeta,
} from './handler.js';
import { defineBuiltins, defineBuiltinValue, isObject } from './intrinsics.js';
import type { ModuleSource } from './module-source.js';
import { defaultRealm } from './realm.js';
import { moduleSlots, moduleSourceHandlers, moduleSourceSlots, sourcePhaseObjects, sourceUrls } from './slots.js';
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
  const slots = isObject(value) ? moduleSlots.get(value) : undefined;
  if (slots === undefined) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', `${what} must be a Module (got ${describeKind(value)})`);
  }
  return slots.record;
}

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
  constructor(moduleSource: ModuleSource | AbstractModuleSource | VirtualModuleSource, handler?: ModuleHandler) {
    initializeModule(this, moduleSource, handler, defaultRealm);
  }
}

/**
 * The steps of the Module constructor after NewTarget handling, for a given realm. Hosts call it
 * through {@link createModuleInRealm} so that their modules use their own evaluator.
 */
function initializeModule(
  target: object,
  moduleSource: unknown,
  handler: unknown,
  realm: Realm,
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
  const hooks = own ?? moduleSourceHandlers.get(moduleSource);
  let instance: ModuleInstanceSlots | undefined;
  if (hooks !== undefined) {
    instance = {
      importHook: hooks.importHook,
      importMetaHook: hooks.importMetaHook,
      handler: hooks.handler,
      handlerOf: own === undefined ? 'ModuleSource' : 'Module',
      hostLoader: isHostHandler(hooks.handler),
    };
  } else {
    instance = { importHook: undefined, importMetaHook: undefined, handler };
  }
  // 3. CreateModuleRecord (status ~new~: see the deviation noted in records/).
  const record = createSourceTextModuleRecord(sourceRecord, realm, instance);
  // Source phase imports: [[ModuleSourceObject]] (what `import source x` binds).
  record.moduleSourceObject = sourcePhaseObjects.get(moduleSource) ?? moduleSource;
  // 7-13. [[ModuleSourceInstance]], [[HandlerValue]], hooks, [[ModuleInstance]], [[Module]].
  moduleSlots.set(target, { record, source: moduleSource });
  return record;
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
): Module {
  const module = Object.create(Module.prototype) as Module;
  const record = initializeModule(module, moduleSource, handler, realm);
  registerCanonicalModule(record.moduleSourceObject ?? moduleSource, record, realm);
  return module;
}

export interface Module {
  /** The ModuleSource this instance was made from (null for host modules without a source). */
  readonly source: ModuleSource | null;
}

defineBuiltins(Module.prototype, {
  get source(): ModuleSource | null {
    const slots = isObject(this) ? moduleSlots.get(this) : undefined;
    if (slots === undefined) {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `Module.prototype.source receiver must be a Module (got ${describeKind(this)})`,
      );
    }
    return slots.source as ModuleSource | null;
  },
});
defineBuiltinValue(Module.prototype, Symbol.toStringTag, 'Module', { writable: false });

/**
 * Wraps an existing record (e.g. a host's synthetic module for `node:fs`) in a Module instance
 * without a source. For hosts; not part of the proposal's constructor.
 */
export function moduleFromRecord(record: ModuleRecord, source: ModuleSource | null = null): Module {
  const module = Object.create(Module.prototype) as Module;
  moduleSlots.set(module, { record, source });
  return module;
}

export type { Realm };

// ESM phase imports and the Import Hook proposal: a ModuleSource no host has instantiated gets one
// instance per realm that imports it, with the hooks of the source's own handler (if any).
addSourceInstantiator((source, realm) => {
  if (!moduleSourceSlots.has(source)) return undefined;
  return initializeModule(Object.create(Module.prototype) as object, source, undefined, realm);
});
