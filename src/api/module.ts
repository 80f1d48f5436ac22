/**
 * Module (Module & ModuleSource API, "Module Objects"): a module instance whose dependencies come
 * from its importHook and whose import.meta is filled by its importMetaHook.
 */
import {
  createSourceTextModuleRecord,
  type ModuleRecord,
  type Realm,
  type SourceTextModuleRecord,
} from '../records/index.js';
import { addSourceInstantiator, registerCanonicalModule } from './canonical.js';
import { defineBuiltins, defineBuiltinValue, GetMethod, isObject } from './intrinsics.js';
import { type ModuleSource, moduleSourceRecordOf } from './module-source.js';
import { defaultRealm } from './realm.js';
import { moduleSlots, moduleSourceSlots, sourcePhaseObjects, sourceUrls } from './slots.js';
import { type VirtualModuleSource, virtualModuleSourceRecord } from './virtual-module-source.js';

/** What an importHook may give back: a Module, or a promise (thenable) of one. */
export type ImportHookResult = Module | PromiseLike<Module>;

/**
 * The handler of a Module. Hooks are read once, when the Module is constructed, and always called
 * with `this` = the handler.
 */
export interface ModuleHandler {
  /**
   * Gives the Module for a specifier this module imports (statically or with `import()`). Called
   * at most once per (specifier, attributes) pair of this module once it succeeds; a hook that
   * throws or rejects is called again by a later import.
   */
  importHook?(specifier: string, attributes: Record<string, string>): ImportHookResult;
  /** Fills `import.meta` (a null-prototype object) the first time module code reads it. */
  importMetaHook?(importMeta: object): void;
}

/** Requires the [[Module]] slot (RequireInternalSlot) and returns the record. */
export function moduleRecordOfInstance(value: unknown, what: string): ModuleRecord {
  const slots = isObject(value) ? moduleSlots.get(value) : undefined;
  if (slots === undefined) throw new TypeError(`${what} must be a Module`);
  return slots.record;
}

/**
 * A module instance.
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
 */
export class Module {
  constructor(moduleSource: ModuleSource | VirtualModuleSource, handler?: ModuleHandler) {
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
  const sourceRecord =
    isObject(moduleSource) && !moduleSourceSlots.has(moduleSource)
      ? virtualModuleSourceRecord(moduleSource, sourceUrls.get(moduleSource))
      : moduleSourceRecordOf(moduleSource, 'The first argument of Module');
  // 4-6. Hooks are read once, here, with GetMethod (non-callable → TypeError).
  let importHook: Function | undefined;
  let importMetaHook: Function | undefined;
  if (isObject(handler)) {
    importHook = GetMethod(handler, 'importHook');
    importMetaHook = GetMethod(handler, 'importMetaHook');
  } else if (handler !== undefined) {
    throw new TypeError('The handler of a Module must be an object or undefined');
  }
  // 3. CreateModuleRecord (status ~new~: see the deviation noted in records/).
  const record = createSourceTextModuleRecord(sourceRecord, realm, { importHook, importMetaHook, handler });
  // Source phase imports: [[ModuleSourceObject]] (what `import source x` binds).
  record.moduleSourceObject = sourcePhaseObjects.get(moduleSource as object) ?? (moduleSource as object);
  // 7-13. [[ModuleSourceInstance]], [[HandlerValue]], hooks, [[ModuleInstance]], [[Module]].
  moduleSlots.set(target, { record, source: moduleSource as ModuleSource });
  return record;
}

/**
 * `new Module(source, handler)` in a host's realm (for hosts; not part of the proposal). The first
 * Module a host makes from a source is that source's canonical instance in the realm: the one
 * `import(source)` (ESM phase imports) imports.
 */
export function createModuleInRealm(
  moduleSource: ModuleSource | VirtualModuleSource,
  handler: ModuleHandler | undefined,
  realm: Realm,
): Module {
  const module = Object.create(Module.prototype) as Module;
  const record = initializeModule(module, moduleSource, handler, realm);
  registerCanonicalModule(record.moduleSourceObject as object, record, realm);
  return module;
}

export interface Module {
  /** The ModuleSource this instance was made from (null for host modules without a source). */
  readonly source: ModuleSource | null;
}

defineBuiltins(Module.prototype, {
  get source(): ModuleSource | null {
    const slots = isObject(this) ? moduleSlots.get(this) : undefined;
    if (slots === undefined) throw new TypeError('Module.prototype.source receiver must be a Module');
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

// ESM phase imports: a ModuleSource no host has instantiated gets its canonical instance (no hooks)
// in the realm that first imports it.
addSourceInstantiator((source, realm) => {
  if (!moduleSourceSlots.has(source)) return undefined;
  return initializeModule(Object.create(Module.prototype) as object, source, undefined, realm);
});
