/**
 * 16.2.1.3 ModuleRequest Records and the tables keyed by them ([[LoadedModules]] and the
 * proposal's [[LoadingModules]]).
 *
 * The spec's tables are Lists searched with ModuleRequestsEqual. modhost groups the List by
 * [[Specifier]] (a Map from specifier to the few records with that specifier) and searches each
 * group with ModuleRequestsEqual itself, so lookups stay exact and O(1) for the usual
 * attribute-free request.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import type { ImportAttribute } from '../source/types.js';
import {
  ListAppend,
  ListAt,
  ListCreate,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
} from './intrinsics.js';

/** Anything with the fields of a ModuleRequest Record (ModuleRequest, LoadedModuleRequest, …). */
export interface ModuleRequestLike {
  readonly specifier: string;
  readonly attributes: readonly ImportAttribute[];
}

/** 16.2.1.3.1 ModuleRequestsEqual(left, right) — https://tc39.es/ecma262/#sec-modulerequestsequal. */
export function ModuleRequestsEqual(left: ModuleRequestLike, right: ModuleRequestLike): boolean {
  // 1. Different specifiers: not equal.
  if (left.specifier !== right.specifier) return false;
  // 2-3. The attribute Lists.
  const leftAttrs = left.attributes;
  const rightAttrs = right.attributes;
  // 4-6. Different counts: not equal.
  if (leftAttrs.length !== rightAttrs.length) return false;
  // 7. Every left attribute has an equal right attribute.
  for (let i = 0; i < leftAttrs.length; i++) {
    const l = ListAt(leftAttrs, i);
    let found = false;
    for (let j = 0; j < rightAttrs.length; j++) {
      const r = ListAt(rightAttrs, j);
      if (l.key === r.key && l.value === r.value) {
        found = true;
        break;
      }
    }
    // 7.a
    if (!found) return false;
  }
  // 8.
  return true;
}

/**
 * A List of records no two of which are ModuleRequestsEqual, grouped by specifier. Used for
 * [[LoadedModules]] (of LoadedModuleRequest Records) and [[LoadingModules]].
 */
export type RequestTable<T extends ModuleRequestLike> = Map<string, T[]>;

/** A new empty {@link RequestTable}. */
export function RequestTableCreate<T extends ModuleRequestLike>(): RequestTable<T> {
  return new MapCtor<string, T[]>();
}

/** The record of `table` that is ModuleRequestsEqual to `request`, if any. */
export function RequestTableFind<T extends ModuleRequestLike>(
  table: RequestTable<T>,
  request: ModuleRequestLike,
): T | undefined {
  const group = MapPrototypeGet(table, request.specifier);
  if (group === undefined) return undefined;
  for (let i = 0; i < group.length; i++) {
    const record = ListAt(group, i);
    if (ModuleRequestsEqual(record, request)) return record;
  }
  return undefined;
}

/** Appends `record` (the caller has checked that no equal record is present). */
export function RequestTableAppend<T extends ModuleRequestLike>(table: RequestTable<T>, record: T): void {
  let group = MapPrototypeGet(table, record.specifier);
  if (group === undefined) {
    group = ListCreate<T>();
    MapPrototypeSet(table, record.specifier, group);
  }
  ListAppend(group, record);
}

/** Removes `record` (by identity) from `table`. */
export function RequestTableRemove<T extends ModuleRequestLike>(table: RequestTable<T>, record: T): void {
  const group = MapPrototypeGet(table, record.specifier);
  if (group === undefined) return;
  let kept = 0;
  for (let i = 0; i < group.length; i++) {
    const entry = ListAt(group, i);
    if (entry !== record) group[kept++] = entry;
  }
  group.length = kept;
  if (kept === 0) MapPrototypeDelete(table, record.specifier);
}
