/**
 * `import(moduleSource)`: which Module instance a module source stands for.
 *
 * - ESM phase imports (tc39/proposal-esm-phase-imports, Stage 2.7): a source a host loaded
 *   imports the host's canonical instance, the first Module the host made from it
 *   (createModuleInRealm); importing it from another realm is a TypeError.
 * - The Import Hook proposal (endojs/proposal-import-hook): any other source — one user code made
 *   with `new ModuleSource(text, handler?)`, a JSON/text/WebAssembly source, a WebAssembly.Module —
 *   "gets or creates" its one instance in the realm that imports it (module sources "can be
 *   imported in multiple realms, but only singly-instantiated within one realm").
 */
import { createError } from '../errors/codes.js';
import type { ModuleRecord, Realm } from '../records/index.js';
import { isObject, ReflectApply, SafeWeakMap } from './intrinsics.js';

interface RealmInstance {
  readonly realm: Realm;
  readonly record: ModuleRecord;
}

/** Sources a host instantiated: the host's realm and instance. */
const hostInstances = new SafeWeakMap<object, RealmInstance>();
/** Other sources: their instance in each realm that imported them (a short list per source). */
const realmInstances = new SafeWeakMap<object, RealmInstance[]>();

/**
 * Makes `record` the canonical instance of `source` in `realm`, unless the source has one
 * already (the first host instance wins, as a host's module map keeps its first entry).
 */
export function registerCanonicalModule(source: object, record: ModuleRecord, realm: Realm): void {
  if (!hostInstances.has(source)) hostInstances.set(source, { realm, record });
}

/** How an instance is made for a kind of module source (set by module.ts / builtin-sources.ts). */
type Instantiate = (source: object, realm: Realm) => ModuleRecord | undefined;
const instantiators: Instantiate[] = [];

/** Registers a way to instantiate some kind of module source (ModuleSource, WebAssembly.Module). */
export function addSourceInstantiator(instantiate: Instantiate): void {
  instantiators[instantiators.length] = instantiate;
}

const ReflectHas = Reflect.has;
const ObjectSetPrototypeOf = Object.setPrototypeOf;

/**
 * True for an object that is shaped like a virtual module source (it has `bindings`, `execute` or
 * `initialize`) but is neither a Module nor a module source: the layer 2 explainer accepts such
 * objects in the Module constructor only.
 */
function isVirtualModuleSourceShaped(value: object): boolean {
  return (
    typeof value === 'object' &&
    (ReflectApply(ReflectHas, undefined, [value, 'bindings']) === true ||
      ReflectApply(ReflectHas, undefined, [value, 'execute']) === true ||
      ReflectApply(ReflectHas, undefined, [value, 'initialize']) === true)
  );
}

/**
 * The Module record `import(value)` in `realm` imports when `value` is a module source;
 * `undefined` when it is not one (then `value` is a specifier). `realm` undefined (importModule
 * called from outside module code) means: the host's instance if a host loaded the source, else
 * the instance in `defaultRealm`.
 *
 * @throws TypeError ERR_MODHOST_INVALID_SOURCE_IMPORT for a source a host of another realm
 *   loaded, and for an object shaped like a virtual module source (wrap it: `new Module(source)`).
 */
export function canonicalModuleRecord(
  value: unknown,
  realm: Realm | undefined,
  defaultRealm: Realm,
): ModuleRecord | undefined {
  if (!isObject(value)) return undefined;
  const host = hostInstances.get(value);
  if (host !== undefined) {
    if (realm !== undefined && host.realm !== realm) {
      throw createError(
        'ERR_MODHOST_INVALID_SOURCE_IMPORT',
        'import() of a module source from another realm: a module source a host loaded can only be imported in ' +
          'the realm of that host',
      );
    }
    return host.record;
  }
  const target = realm ?? defaultRealm;
  let instances = realmInstances.get(value);
  if (instances !== undefined) {
    // (index loops: module code may have replaced Array.prototype[Symbol.iterator])
    for (let i = 0; i < instances.length; i++) {
      const instance = instances[i];
      if (instance !== undefined && instance.realm === target) return instance.record;
    }
  }
  let record: ModuleRecord | undefined;
  for (let i = 0; i < instantiators.length && record === undefined; i++) {
    const instantiate = instantiators[i];
    if (instantiate !== undefined) record = instantiate(value, target);
  }
  if (record === undefined) {
    // DEVIATION(EvaluateImportCall step 8): ECMA-262 would ToString such an object and import
    //   "[object Object]"; an object shaped like a virtual module source is rejected instead, since
    //   the layer 2 explainer accepts virtual sources in the Module constructor only.
    if (isVirtualModuleSourceShaped(value)) {
      throw createError(
        'ERR_MODHOST_INVALID_SOURCE_IMPORT',
        'import() of a virtual module source: virtual module sources are accepted by the Module constructor only; ' +
          'import `new Module(source, handler)` instead',
      );
    }
    return undefined;
  }
  if (instances === undefined) {
    // (null prototype: module code may have put setters on Array.prototype's indices)
    instances = ObjectSetPrototypeOf([], null) as RealmInstance[];
    realmInstances.set(value, instances);
  }
  instances[instances.length] = { realm: target, record };
  return record;
}
