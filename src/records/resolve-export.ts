/**
 * 16.2.1.7.2.1 GetExportedNames and 16.2.1.7.2.2 ResolveExport, dispatching to the Synthetic
 * Module Record versions (16.2.1.8.4.2-3) where the record is synthetic.
 *
 * Deep graphs: both recurse once per `export *` (and ResolveExport once per re-export) along a
 * chain, so each runs on an explicit stack of frames instead. A frame is one pending call; the
 * step where the recursive call returns (8.c-d, 9.c-e) runs when the callee's frame is popped, so
 * the order of visits and the results are those of the recursive algorithm. ResolveExport's step
 * 6.a.iv.3 returns the callee's result unchanged, so it replaces the caller's frame (a tail call).
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { Assert } from './assert.js';
import {
  ListAppend,
  ListAt,
  ListCreate,
  ListPop,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeSet,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
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
  type ModuleRecord,
  NAMESPACE,
  type ResolvedBinding,
  ResolvedBindingRecord,
  SOURCE,
} from './module-record.js';
import type { SourceTextModuleRecord } from './source-text-module-record.js';
import { SyntheticModuleGetExportedNames, SyntheticModuleResolveExport } from './synthetic-module-record.js';

/** One pending GetExportedNames call. */
class GetExportedNamesFrame {
  readonly module: SourceTextModuleRecord;
  /** exportedNames (step 5), with `has` for its "contains" test. */
  readonly exportedNames: string[];
  readonly has: { [name: string]: true };
  /** Index of the next [[StarExportEntries]] element (step 8). */
  next = 0;
  constructor(module: SourceTextModuleRecord, exportedNames: string[], has: { [name: string]: true }) {
    this.module = module;
    this.exportedNames = exportedNames;
    this.has = has;
  }
}

/**
 * 16.2.1.7.2.1 GetExportedNames([exportStarSet]) — https://tc39.es/ecma262/#sec-getexportednames (and 16.2.1.8.4.2).
 * The result must not be modified.
 */
export function GetExportedNames(module: ModuleRecord, exportStarSet?: Set<ModuleRecord>): readonly string[] {
  if (module.kind === 'synthetic') return SyntheticModuleGetExportedNames(module);
  // 2. exportStarSet defaults to a new empty List (a Set: only membership is asked).
  const starSet = exportStarSet ?? new SetCtor<ModuleRecord>();
  const frames = ListCreate<GetExportedNamesFrame>();
  // The result of the call that finished last (returned to the frame below it).
  let result = GetExportedNamesEnter(module, starSet, frames);
  while (frames.length > 0) {
    const frame = ListAt(frames, frames.length - 1);
    if (result !== undefined) {
      // 8.d For each element n of starNames (the callee's result):
      for (let i = 0; i < result.length; i++) {
        const n = ListAt(result, i);
        // 8.d.i-ii
        if (n !== 'default' && frame.has[n] !== true) {
          // 8.d.i.1.a
          frame.has[n] = true;
          ListAppend(frame.exportedNames, n);
        }
      }
      result = undefined;
    }
    const stars = frame.module.starExportEntries;
    if (frame.next < stars.length) {
      // 8. For each ExportEntry Record e of module.[[StarExportEntries]]:
      const e = ListAt(stars, frame.next);
      frame.next++;
      // 8.a-b
      const requestedModule = GetImportedModule(frame.module, e.moduleRequest);
      // 8.c starNames = requestedModule.GetExportedNames(exportStarSet)
      result =
        requestedModule.kind === 'synthetic'
          ? SyntheticModuleGetExportedNames(requestedModule)
          : GetExportedNamesEnter(requestedModule, starSet, frames);
      continue;
    }
    // 9.
    ListPop(frames);
    result = frame.exportedNames;
  }
  return result as readonly string[];
}

/** Steps 1-7 of GetExportedNames: returns the result, or `undefined` after pushing a frame. */
function GetExportedNamesEnter(
  module: SourceTextModuleRecord,
  exportStarSet: Set<ModuleRecord>,
  frames: GetExportedNamesFrame[],
): readonly string[] | undefined {
  // 1. Assert: module.[[Status]] is not ~new~.
  Assert(module.status !== 'new', 'GetExportedNames step 1');
  // 3. Reached the start of an `export *` circularity.
  if (SetPrototypeHas(exportStarSet, module)) return ListCreate<string>();
  // 4.
  SetPrototypeAdd(exportStarSet, module);
  // 5.
  const exportedNames = ListCreate<string>();
  const has = TableCreate<true>();
  // 6. Local export names.
  const locals = module.localExportEntries;
  for (let i = 0; i < locals.length; i++) {
    const name = ListAt(locals, i).exportName;
    has[name] = true;
    ListAppend(exportedNames, name);
  }
  // 7. Indirect export names.
  const indirects = module.indirectExportEntries;
  for (let i = 0; i < indirects.length; i++) {
    const name = ListAt(indirects, i).exportName;
    has[name] = true;
    ListAppend(exportedNames, name);
  }
  if (module.starExportEntries.length === 0) return exportedNames;
  ListAppend(frames, new GetExportedNamesFrame(module, exportedNames, has));
  return undefined;
}

/**
 * ResolveExport's resolveSet: the (module, exportName) pairs already asked. Per module, the one
 * name asked (the usual case), or a table of names once there are several.
 */
export type ResolveSet = Map<ModuleRecord, string | { [exportName: string]: true }>;

/** Entry lists longer than this get a by-name index (below, a linear scan is as fast). */
const INDEX_THRESHOLD = 16;

/** By-name indexes of export entry lists (the frozen lists of a ModuleSourceRecord, shared by its modules). */
const exportEntryIndexes = new WeakMapCtor<readonly { exportName: string }[], { [exportName: string]: number }>();

/**
 * The entry of `entries` whose [[ExportName]] is `exportName` (steps 5.a and 6.a: early errors
 * make export names unique, so there is at most one). Indexed for long lists: building a
 * namespace calls ResolveExport once per export name, which a scan would make quadratic.
 */
function FindExportEntry<E extends { exportName: string }>(entries: readonly E[], exportName: string): E | undefined {
  if (entries.length <= INDEX_THRESHOLD) {
    for (let i = 0; i < entries.length; i++) {
      const e = ListAt(entries, i);
      if (e.exportName === exportName) return e;
    }
    return undefined;
  }
  let index = WeakMapPrototypeGet(exportEntryIndexes, entries);
  if (index === undefined) {
    index = TableCreate<number>();
    // Keep the first of equal names, as the scan would.
    for (let i = entries.length - 1; i >= 0; i--) index[ListAt(entries, i).exportName] = i;
    WeakMapPrototypeSet(exportEntryIndexes, entries, index);
  }
  const position = index[exportName];
  return position === undefined ? undefined : ListAt(entries, position);
}

/**
 * False when ResolveExport(module, exportName) is certainly null without looking further: a
 * source text module without `export *` whose local and indirect exports lack the name (indexed
 * through FindExportEntry, so the check is O(1) for long lists). Modules with `export *` of their
 * own always answer true: their names depend on the chain below, which this must not walk.
 */
function MayExport(module: ModuleRecord, exportName: string): boolean {
  if (module.kind === 'synthetic' || module.starExportEntries.length > 0) return true;
  return (
    FindExportEntry(module.localExportEntries, exportName) !== undefined ||
    FindExportEntry(module.indirectExportEntries, exportName) !== undefined
  );
}

/**
 * What one caller that resolves many names of one graph (GetModuleNamespace resolves every
 * exported name) learns once about each module with `export *`: the modules its star exports
 * import, and for each name the star entries whose module may export it (MayExport), in order.
 * Step 9 then visits only those; the others answer null without touching resolveSet (see the
 * shortcut there), so the result and every resolveSet are those of visiting them all. Without it,
 * a namespace of an index module that re-exports N modules with N names costs N x N steps
 * (date-fns: 250 x 250). Valid while the graph does not change: one caller's use.
 */
export type StarMemo = Map<SourceTextModuleRecord, StarIndex>;

interface StarIndex {
  /** GetImportedModule of each [[StarExportEntries]] element. */
  readonly modules: readonly ModuleRecord[];
  /** Star entries whose module has `export *` of its own or is synthetic: visited for every name. */
  readonly always: readonly number[];
  /** Per name, the other star entries whose module exports it. */
  readonly byName: { readonly [exportName: string]: number[] };
  /** Per name, the entries to visit (always and byName merged, ascending). */
  readonly visits: { [exportName: string]: readonly number[] };
}

function StarIndexOf(memo: StarMemo, module: SourceTextModuleRecord): StarIndex {
  let index = MapPrototypeGet(memo, module);
  if (index !== undefined) return index;
  const stars = module.starExportEntries;
  const modules = ListCreate<ModuleRecord>();
  const always = ListCreate<number>();
  const byName = TableCreate<number[]>();
  const add = (name: string, i: number) => {
    let list = byName[name];
    if (list === undefined) {
      list = ListCreate<number>();
      byName[name] = list;
    }
    // (a name both local and indirect in one module: once)
    if (list.length === 0 || ListAt(list, list.length - 1) !== i) ListAppend(list, i);
  };
  for (let i = 0; i < stars.length; i++) {
    const imported = GetImportedModule(module, ListAt(stars, i).moduleRequest);
    ListAppend(modules, imported);
    if (imported.kind === 'synthetic' || imported.starExportEntries.length > 0) {
      ListAppend(always, i);
      continue;
    }
    const locals = imported.localExportEntries;
    for (let j = 0; j < locals.length; j++) add(ListAt(locals, j).exportName, i);
    const indirects = imported.indirectExportEntries;
    for (let j = 0; j < indirects.length; j++) add(ListAt(indirects, j).exportName, i);
  }
  index = { modules, always, byName, visits: TableCreate<readonly number[]>() };
  MapPrototypeSet(memo, module, index);
  return index;
}

/** The star entries of `index` that step 9 visits for `exportName`, ascending. */
function StarVisits(index: StarIndex, exportName: string): readonly number[] {
  let visits = index.visits[exportName];
  if (visits !== undefined) return visits;
  const named = index.byName[exportName];
  const always = index.always;
  if (named === undefined) visits = always;
  else if (always.length === 0) visits = named;
  else {
    const merged = ListCreate<number>();
    let a = 0;
    let b = 0;
    while (a < always.length || b < named.length) {
      if (b === named.length || (a < always.length && ListAt(always, a) < ListAt(named, b)))
        ListAppend(merged, ListAt(always, a++));
      else ListAppend(merged, ListAt(named, b++));
    }
    visits = merged;
  }
  index.visits[exportName] = visits;
  return visits;
}

/** One pending ResolveExport call, in its step 9 loop. */
class ResolveExportFrame {
  readonly module: SourceTextModuleRecord;
  readonly exportName: string;
  /** Index of the next [[StarExportEntries]] element (of `visits`, with a StarMemo). */
  next = 0;
  starResolution: ResolvedBinding | null = null;
  /** With a StarMemo: the module's star index and the entries to visit. */
  readonly index: StarIndex | undefined;
  readonly visits: readonly number[] | undefined;
  constructor(module: SourceTextModuleRecord, exportName: string, memo: StarMemo | undefined) {
    this.module = module;
    this.exportName = exportName;
    if (memo === undefined) {
      this.index = undefined;
      this.visits = undefined;
    } else {
      this.index = StarIndexOf(memo, module);
      this.visits = StarVisits(this.index, exportName);
    }
  }
}

/** Marks "a frame was pushed; no result yet". */
const PENDING: unique symbol = Symbol('pending');

/**
 * 16.2.1.7.2.2 ResolveExport(exportName [, resolveSet]) —
 * https://tc39.es/ecma262/#sec-resolveexport (and 16.2.1.8.4.3). Returns a ResolvedBinding, `null`
 * (not found or circular) or {@link AMBIGUOUS}. `memo`: see {@link StarMemo}.
 */
export function ResolveExport(
  module: ModuleRecord,
  exportName: string,
  resolveSet?: ResolveSet,
  memo?: StarMemo,
): ResolvedBinding | null | Ambiguous {
  if (module.kind === 'synthetic') return SyntheticModuleResolveExport(module, exportName);
  if (resolveSet === undefined) {
    // Steps 1-5 with a new empty resolveSet, without making it: step 3 finds nothing in an empty
    // List, and the pair step 4 appends is never read when step 5.a.ii returns. Most imports name
    // a local export of the imported module; they allocate nothing but the ResolvedBinding.
    Assert(module.status !== 'new', 'ResolveExport step 1');
    const local = FindExportEntry(module.localExportEntries, exportName);
    if (local !== undefined) return new ResolvedBindingRecord(module, local.localName);
  }
  // 2. resolveSet defaults to a new empty List.
  const set: ResolveSet = resolveSet ?? new MapCtor<ModuleRecord, string | { [exportName: string]: true }>();
  const frames = ListCreate<ResolveExportFrame>();
  let result = ResolveExportEnter(module, exportName, set, frames, memo);
  while (frames.length > 0) {
    const frame = ListAt(frames, frames.length - 1);
    if (result !== PENDING) {
      // 9.c resolution is the callee's result.
      const resolution = result;
      result = PENDING;
      // 9.d
      if (resolution === AMBIGUOUS) {
        ListPop(frames);
        result = AMBIGUOUS;
        continue;
      }
      // 9.e
      if (resolution !== null) {
        const starResolution = frame.starResolution;
        if (starResolution === null) {
          // 9.e.ii.1
          frame.starResolution = resolution;
        } else if (
          // 9.e.iii.2 Different modules.
          resolution.module !== starResolution.module ||
          // 9.e.iii.3 One is ~namespace~ and the other is not. 9.e.iii.4 Different names. (With
          //   the proposals' ~deferred-namespace~ and ~source~: any two different binding names.)
          resolution.bindingName !== starResolution.bindingName
        ) {
          ListPop(frames);
          result = AMBIGUOUS;
          continue;
        }
      }
    }
    const visits = frame.visits;
    const stars = frame.module.starExportEntries;
    if (frame.next < (visits === undefined ? stars.length : visits.length)) {
      // 9. For each ExportEntry Record e of module.[[StarExportEntries]] (with a StarMemo, those
      //    whose module may export the name):
      const at = visits === undefined ? frame.next : ListAt(visits, frame.next);
      frame.next++;
      // 9.a-b
      const importedModule =
        frame.index === undefined
          ? GetImportedModule(frame.module, ListAt(stars, at).moduleRequest)
          : ListAt(frame.index.modules, at);
      // 9.c resolution = importedModule.ResolveExport(exportName, resolveSet). Shortcut: a module
      // without `export *` of its own whose local and indirect export names lack exportName
      // resolves it to null (steps 5-8), whatever the resolveSet; the only pair the call would
      // add to resolveSet resolves to null as well, so no later answer changes. Without this, a
      // namespace of an index module that re-exports N such modules costs N x N calls (date-fns:
      // 250 x 250).
      if (!MayExport(importedModule, frame.exportName)) {
        result = null;
        continue;
      }
      result = ResolveExportEnter(importedModule, frame.exportName, set, frames, memo);
      continue;
    }
    // 10.
    ListPop(frames);
    result = frame.starResolution;
  }
  Assert(result !== PENDING, 'ResolveExport: no result');
  return result;
}

/**
 * Steps 1-8 of ResolveExport (following 6.a.iv.3's tail calls): returns the result, or PENDING
 * after pushing a frame for the step 9 loop.
 */
function ResolveExportEnter(
  moduleArg: ModuleRecord,
  exportNameArg: string,
  resolveSet: ResolveSet,
  frames: ResolveExportFrame[],
  memo: StarMemo | undefined,
): ResolvedBinding | null | Ambiguous | typeof PENDING {
  let module = moduleArg;
  let exportName = exportNameArg;
  for (;;) {
    if (module.kind === 'synthetic') return SyntheticModuleResolveExport(module, exportName);
    // 1. Assert: module.[[Status]] is not ~new~.
    Assert(module.status !== 'new', 'ResolveExport step 1');
    // 3. A circular import request.
    const names = MapPrototypeGet(resolveSet, module);
    if (names !== undefined && (typeof names === 'string' ? names === exportName : names[exportName] === true))
      return null;
    // 4.
    if (names === undefined) {
      MapPrototypeSet(resolveSet, module, exportName);
    } else if (typeof names === 'string') {
      const table = TableCreate<true>();
      table[names] = true;
      table[exportName] = true;
      MapPrototypeSet(resolveSet, module, table);
    } else {
      names[exportName] = true;
    }
    // 5. A local export.
    const local = FindExportEntry(module.localExportEntries, exportName);
    // 5.a.ii
    if (local !== undefined) return new ResolvedBindingRecord(module, local.localName);
    // 6. An indirect export.
    const indirect = FindExportEntry(module.indirectExportEntries, exportName);
    if (indirect !== undefined) {
      // 6.a.ii
      const importedModule = GetImportedModule(module, indirect.moduleRequest);
      // 6.a.iii [[ImportName]] ~namespace~ (~all~ before tc39/ecma262#3775): `export * as ns from`,
      //   and since tc39/ecma262#3715 also `import * as ns from 'm'; export { ns }`. The phase of
      //   the request picks the binding: import defer's ~deferred-namespace~ for
      //   `import defer * as ns`, source phase imports' ~source~ for `import source x`
      //   (tc39/proposal-source-phase-imports#76).
      if (indirect.importName === null) {
        const phase = indirect.moduleRequest.phase;
        const bindingName = phase === 'source' ? SOURCE : phase === 'defer' ? DEFERRED_NAMESPACE : NAMESPACE;
        return new ResolvedBindingRecord(importedModule, bindingName);
      }
      // 6.a.iv.3 Return importedModule.ResolveExport(e.[[ImportName]], resolveSet) (a tail call).
      module = importedModule;
      exportName = indirect.importName;
      continue;
    }
    // 7. `default` is never provided by `export *`.
    if (exportName === 'default') return null;
    // 8. starResolution = null; step 9 runs in the caller's loop.
    if (module.starExportEntries.length === 0) return null;
    ListAppend(frames, new ResolveExportFrame(module, exportName, memo));
    return PENDING;
  }
}
