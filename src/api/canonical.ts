/**
 * ESM phase imports (tc39/proposal-esm-phase-imports, Stage 2.7): `import(moduleSource)` imports
 * the host's canonical Module instance for that source. modhost keeps, per module source object,
 * the first Module record a host made from it (createModuleInRealm) together with its realm; a
 * source no host has instantiated gets its canonical instance on first import, in the importing
 * realm, without hooks.
 */
import { createError } from '../errors/codes.js';
import type { ModuleRecord, Realm } from '../records/index.js';
import { isObject, SafeWeakMap } from './intrinsics.js';

interface CanonicalEntry {
  readonly realm: Realm;
  readonly record: ModuleRecord;
}

const canonical = new SafeWeakMap<object, CanonicalEntry>();

/**
 * Makes `record` the canonical instance of `source` in `realm`, unless the source has one
 * already (the first host instance wins, as a host's module map keeps its first entry).
 */
export function registerCanonicalModule(source: object, record: ModuleRecord, realm: Realm): void {
  if (!canonical.has(source)) canonical.set(source, { realm, record });
}

/** How a canonical instance is made for a source that has none (set by module.ts / wasm sources). */
type Instantiate = (source: object, realm: Realm) => ModuleRecord | undefined;
const instantiators: Instantiate[] = [];

/** Registers a way to instantiate some kind of module source (ModuleSource, WebAssembly.Module). */
export function addSourceInstantiator(instantiate: Instantiate): void {
  instantiators.push(instantiate);
}

/**
 * The canonical Module record of module source `value` for an `import(value)` in `realm`;
 * `undefined` when `value` is not a module source. `realm` undefined (importModule called from
 * outside module code) accepts any realm.
 *
 * @throws TypeError ERR_MODHOST_INVALID_SOURCE_IMPORT for a source whose canonical instance lives in another realm.
 */
export function canonicalModuleRecord(
  value: unknown,
  realm: Realm | undefined,
  defaultRealm: Realm,
): ModuleRecord | undefined {
  if (!isObject(value)) return undefined;
  let entry = canonical.get(value);
  if (entry === undefined) {
    const target = realm ?? defaultRealm;
    let record: ModuleRecord | undefined;
    // (index loop: module code may have replaced Array.prototype[Symbol.iterator])
    for (let i = 0; i < instantiators.length && record === undefined; i++)
      record = (instantiators[i] as Instantiate)(value, target);
    if (record === undefined) return undefined;
    entry = { realm: target, record };
    canonical.set(value, entry);
  }
  if (realm !== undefined && entry.realm !== realm) {
    throw createError(
      'ERR_MODHOST_INVALID_SOURCE_IMPORT',
      'import() of a module source from another realm: a module source can only be imported in the realm whose ' +
        'host instantiated it',
    );
  }
  return entry.record;
}
