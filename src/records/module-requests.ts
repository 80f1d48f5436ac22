/**
 * 16.2.1.3 ModuleRequest Records and the tables keyed by them ([[LoadedModules]] and the
 * proposal's [[LoadingModules]]).
 *
 * The spec's tables are Lists searched with ModuleRequestsEqual. modhost keeps them as Lists,
 * and indexes a long one by [[Specifier]] (a Map from specifier to the few records with that
 * specifier), whose groups it searches with ModuleRequestsEqual itself, so lookups stay exact
 * and O(1) for the usual attribute-free request.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import type { ImportAttribute } from '../source/types.js';
import {
  EMPTY_LIST,
  ListAppend,
  ListAt,
  ListCreate,
  ListOf,
  ListOfLength,
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

/** Tables longer than this get a by-specifier index (below, a scan is as fast, and allocates nothing). */
const INDEX_THRESHOLD = 8;

/**
 * A List of records no two of which are ModuleRequestsEqual: [[LoadedModules]] (of
 * LoadedModuleRequest Records) and [[LoadingModules]]. A module usually has a handful of requests:
 * the List is scanned, and starts as the shared empty List, so a module instance that loads
 * nothing allocates nothing for it. A long List gets an index from specifier to its records with
 * that specifier, which lookups search with ModuleRequestsEqual, so they stay exact and O(1).
 */
export class RequestTable<T extends ModuleRequestLike> {
  /** The records, in the order they were appended. Read it; change it only through the functions below. */
  entries: T[] = EMPTY_LIST as T[];
  /** Specifier → the records with that specifier, once `entries` is longer than INDEX_THRESHOLD. */
  index: Map<string, T[]> | undefined = undefined;
}

/** A new empty {@link RequestTable}. */
export function RequestTableCreate<T extends ModuleRequestLike>(): RequestTable<T> {
  return new RequestTable<T>();
}

/** The record of `table` that is ModuleRequestsEqual to `request`, if any. */
export function RequestTableFind<T extends ModuleRequestLike>(
  table: RequestTable<T>,
  request: ModuleRequestLike,
): T | undefined {
  const index = table.index;
  const group = index === undefined ? table.entries : MapPrototypeGet(index, request.specifier);
  if (group === undefined) return undefined;
  for (let i = 0; i < group.length; i++) {
    const record = ListAt(group, i);
    if (ModuleRequestsEqual(record, request)) return record;
  }
  return undefined;
}

/** Appends `record` (the caller has checked that no equal record is present). */
export function RequestTableAppend<T extends ModuleRequestLike>(table: RequestTable<T>, record: T): void {
  const entries = table.entries;
  if (entries === EMPTY_LIST) {
    table.entries = ListOf(record);
    return;
  }
  if (entries.length < INDEX_THRESHOLD) {
    // A short List is copied into one that fits (appending would make room for 16 more).
    const longer = ListOfLength<T>(entries.length + 1);
    for (let i = 0; i < entries.length; i++) longer[i] = ListAt(entries, i);
    longer[entries.length] = record;
    table.entries = longer;
    return;
  }
  ListAppend(entries, record);
  const index = table.index;
  if (index !== undefined) IndexAppend(index, record);
  else if (entries.length > INDEX_THRESHOLD) {
    const made = new MapCtor<string, T[]>();
    for (let i = 0; i < entries.length; i++) IndexAppend(made, ListAt(entries, i));
    table.index = made;
  }
}

function IndexAppend<T extends ModuleRequestLike>(index: Map<string, T[]>, record: T): void {
  let group = MapPrototypeGet(index, record.specifier);
  if (group === undefined) {
    group = ListCreate<T>();
    MapPrototypeSet(index, record.specifier, group);
  }
  ListAppend(group, record);
}

/** Removes `record` (by identity) from `table`. */
export function RequestTableRemove<T extends ModuleRequestLike>(table: RequestTable<T>, record: T): void {
  const entries = table.entries;
  if (entries.length === 1 && entries[0] === record) {
    // (the usual case: the one load in progress finished)
    table.entries = EMPTY_LIST as T[];
    table.index = undefined;
    return;
  }
  RemoveFromList(entries, record);
  const index = table.index;
  if (index === undefined) return;
  const group = MapPrototypeGet(index, record.specifier);
  if (group === undefined) return;
  RemoveFromList(group, record);
  if (group.length === 0) MapPrototypeDelete(index, record.specifier);
}

function RemoveFromList<T>(list: T[], record: T): void {
  if (list === EMPTY_LIST) return;
  let kept = 0;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (entry !== undefined && entry !== record) list[kept++] = entry;
  }
  list.length = kept;
}

/**
 * Puts `replacement` where `record` is (by identity) in `table`; both must be ModuleRequestsEqual
 * (hot replacement changes which module a [[LoadedModules]] entry holds).
 */
export function RequestTableReplace<T extends ModuleRequestLike>(
  table: RequestTable<T>,
  record: T,
  replacement: T,
): void {
  ReplaceInList(table.entries, record, replacement);
  const index = table.index;
  if (index === undefined) return;
  const group = MapPrototypeGet(index, record.specifier);
  if (group !== undefined) ReplaceInList(group, record, replacement);
}

function ReplaceInList<T>(list: T[], record: T, replacement: T): void {
  for (let i = 0; i < list.length; i++) if (list[i] === record) list[i] = replacement;
}
