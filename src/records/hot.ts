/**
 * Hot replacement of module instances: modhost's extension beyond ECMA-262, the records-level
 * operation under `replaceModules` and every host's `update()`.
 *
 * ECMA-262 never replaces a module: once [[LoadedModules]] holds a (request, module) pair it
 * holds it forever (HostLoadImportedModule must answer the same each time), and an import binding
 * created by CreateImportBinding names one (module, binding name) for the importer's life. A
 * replacement changes exactly those two things, in one transaction:
 *
 * 1. **Prepare** ({@link HotPrepare}): the new instances are Module Records like any other, loaded
 *    by the caller (status ~unlinked~). Every [[LoadedModules]] entry of the live graph (and of
 *    the new instances) that holds a replaced instance is made to hold its replacement; the new
 *    instances are linked (Link, unchanged); and, for every live module that imports, the
 *    resolutions of InitializeEnvironment steps 1 and 7 are computed again on that graph. A
 *    SyntaxError from either restores every entry: nothing happened.
 * 2. **Evaluate** ({@link HotEvaluate}): Evaluate on each new instance, in the order a fresh
 *    evaluation of the whole graph would reach them. Live modules keep reading the old instances
 *    meanwhile (their import bindings still point there), so the old graph keeps running through
 *    a top-level await of the new code. An evaluation error aborts ({@link HotAbort}).
 * 3. **Commit** ({@link HotCommit}): each live importer's import bindings are pointed at the new
 *    targets (the compiled code's `setImports`, the same call InitializeEnvironment makes), module
 *    namespace objects are retargeted (see RetargetNamespace), and the fields through which live
 *    records still reached old instances ([[CycleRoot]], [[AsyncParentModules]], importers) are
 *    cleared of them, so that nothing reaches an old instance any more.
 *
 * What stays as the spec says: every record's [[Status]] only moves forward (new instances go
 * through ~unlinked~ … ~evaluated~; old ones keep theirs); a live module keeps its
 * [[Environment]] (its own bindings and their values), its [[Namespace]] object and is never
 * evaluated again; after a commit every import binding of the live graph is the binding
 * InitializeEnvironment would create for that graph. ARCHITECTURE.md, "Hot replacement", has the
 * full statement.
 *
 * Clause and step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db).
 */
import { createError } from '../errors/codes.js';
import type { ModuleRequest } from '../source/types.js';
import { Assert } from './assert.js';
import { LoadedModuleRequest, ModuleWalkFrame } from './cyclic-module-record.js';
import { BindImportPlans, type ImportBindingPlan, PlanImportBindings } from './environment.js';
import { Evaluate } from './evaluation.js';
import {
  EMPTY_LIST,
  ListAppend,
  ListAt,
  ListCreate,
  MapCtor,
  MapPrototypeForEach,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
  WeakRefCtor,
  WeakRefPrototypeDeref,
} from './intrinsics.js';
import { Link } from './linking.js';
import { AppendImporter } from './loading.js';
import {
  type CyclicModuleRecord,
  IsCyclicModuleRecord,
  ModuleDisplayName,
  type ModuleRecord,
} from './module-record.js';
import { RequestTableFind, RequestTableReplace } from './module-requests.js';
import { RetargetNamespace } from './namespace.js';
import { NewInternalPromiseCapability, PerformPromiseThen } from './promise-operations.js';
import type { SourceTextModuleEnvironment } from './source-text-module-record.js';

/** One instance to replace and the instance that replaces it. */
export interface HotReplacement {
  readonly oldModule: ModuleRecord;
  readonly newModule: ModuleRecord;
}

/** One rewritten [[LoadedModules]] entry, to put back on abort. */
class RewrittenEntry {
  readonly referrer: CyclicModuleRecord;
  readonly previous: LoadedModuleRequest;
  readonly replacement: LoadedModuleRequest;
  constructor(referrer: CyclicModuleRecord, previous: LoadedModuleRequest, replacement: LoadedModuleRequest) {
    this.referrer = referrer;
    this.previous = previous;
    this.replacement = replacement;
  }
}

/** A replacement between HotPrepare and HotCommit / HotAbort. */
export interface HotTransaction {
  readonly replacements: readonly HotReplacement[];
  /** old instance → new instance */
  readonly replacementOf: Map<ModuleRecord, ModuleRecord>;
  /** The live modules given to HotPrepare (neither replaced nor new). */
  readonly live: readonly ModuleRecord[];
  /** The new instances to evaluate (their old instances had been evaluated). */
  readonly toEvaluate: readonly ModuleRecord[];
  readonly rewritten: RewrittenEntry[];
  /** Import binding plans of the live modules that import, computed by HotPrepare. */
  readonly plans: Map<CyclicModuleRecord, ImportBindingPlan[]>;
  /**
   * The live modules' [[Namespace]] and [[DeferredNamespace]] before HotPrepare: one made while
   * the new instances link (an `import * as` of a live module) resolved its names on the new
   * graph, so HotAbort points it back at the live one.
   */
  readonly namespacesBefore: Map<ModuleRecord, readonly [object | undefined, object | undefined]>;
  state: 'prepared' | 'committed' | 'aborted';
}

/**
 * Namespace objects of a module other than its [[Namespace]] / [[DeferredNamespace]]: the
 * namespaces of the instances it replaced (and theirs), kept weakly. Each shows this module's
 * bindings (RetargetNamespace).
 */
const namespaceAliases = new WeakMapCtor<ModuleRecord, WeakRef<object>[]>();

/**
 * Prepares the replacement of each `oldModule` by its `newModule` in the graph formed by `live`
 * (the modules that may import a replaced one, directly or through re-exports; modules not listed
 * are not relinked) and the new instances. New instances must be loaded (LoadRequestedModules
 * done); they are linked here.
 *
 * @throws the SyntaxError Link or InitializeEnvironment would throw for the new graph (an import
 *   or re-export that no longer resolves); nothing is changed then.
 */
export function HotPrepare(replacements: readonly HotReplacement[], live: readonly ModuleRecord[]): HotTransaction {
  const replacementOf = new MapCtor<ModuleRecord, ModuleRecord>();
  const news = new SetCtor<ModuleRecord>();
  for (let i = 0; i < replacements.length; i++) {
    const r = ListAt(replacements, i);
    const { oldModule, newModule } = r;
    if (oldModule === newModule || MapPrototypeHas(replacementOf, oldModule) || SetPrototypeHas(news, newModule))
      throw InvalidReplacement('each module is replaced once, by a different new instance');
    if (IsCyclicModuleRecord(newModule) && newModule.status === 'new')
      throw InvalidReplacement(`the new instance of ${ModuleDisplayName(oldModule)} is not loaded`);
    if (IsCyclicModuleRecord(oldModule) && (oldModule.status === 'new' || oldModule.status === 'unlinked'))
      throw InvalidReplacement(`${ModuleDisplayName(oldModule)} is not linked: there is nothing to replace`);
    MapPrototypeSet(replacementOf, oldModule, newModule);
    SetPrototypeAdd(news, newModule);
  }
  const liveModules = ListCreate<ModuleRecord>();
  for (let i = 0; i < live.length; i++) {
    const m = ListAt(live, i);
    if (!MapPrototypeHas(replacementOf, m) && !SetPrototypeHas(news, m)) ListAppend(liveModules, m);
  }
  const toEvaluate = ListCreate<ModuleRecord>();
  for (let i = 0; i < replacements.length; i++) {
    const r = ListAt(replacements, i);
    if (WasEvaluated(r.oldModule)) ListAppend(toEvaluate, r.newModule);
  }
  const tx: HotTransaction = {
    __proto__: null,
    replacements,
    replacementOf,
    live: liveModules,
    toEvaluate,
    rewritten: ListCreate<RewrittenEntry>(),
    plans: new MapCtor<CyclicModuleRecord, ImportBindingPlan[]>(),
    namespacesBefore: new MapCtor<ModuleRecord, readonly [object | undefined, object | undefined]>(),
    state: 'prepared',
  } as HotTransaction;
  for (let i = 0; i < liveModules.length; i++) {
    const m = ListAt(liveModules, i);
    MapPrototypeSet(tx.namespacesBefore, m, [m.namespace, m.deferredNamespace] as const);
  }
  // 1. [[LoadedModules]] entries that hold a replaced instance now hold its replacement.
  // DEVIATION(hot replacement: loaded modules and import bindings): ECMA-262 never changes a
  //   [[LoadedModules]] entry (HostLoadImportedModule answers the same every time) nor an import
  //   binding (HotCommit relinks them); a hot replacement changes exactly these.
  for (let i = 0; i < liveModules.length; i++) RewriteLoadedModules(tx, ListAt(liveModules, i));
  for (let i = 0; i < replacements.length; i++) RewriteLoadedModules(tx, ListAt(replacements, i).newModule);
  try {
    // 2. Link the new instances (InnerModuleLinking stops at live modules: they are linked).
    for (let i = 0; i < replacements.length; i++) {
      const m = ListAt(replacements, i).newModule;
      if (!IsCyclicModuleRecord(m) || m.status === 'unlinked') Link(m);
    }
    // 3. The live importers' bindings, resolved again on the new graph, dependencies first (so
    //    that an error names the module nearest the change, as Link's would).
    const ordered = DependenciesFirst(liveModules);
    for (let i = 0; i < ordered.length; i++) {
      const m = ListAt(ordered, i);
      if (IsCyclicModuleRecord(m) && m.environment !== undefined && HasImports(m))
        MapPrototypeSet(tx.plans, m, PlanImportBindings(m, true));
    }
  } catch (error) {
    HotAbort(tx);
    throw error;
  }
  return tx;
}

/**
 * Evaluates the new instances whose old instances had been evaluated, in the order in which a
 * fresh evaluation of the graph from `roots` would reach them (a depth-first walk of
 * [[LoadedModules]] from the roots; Evaluate on the first new instance the walk meets evaluates
 * its dependencies first and its strongly connected component as a whole, as InnerModuleEvaluation
 * would from the root), then any not reached. Resolves when all have finished (top-level await
 * included); rejects with the first evaluation error once all have settled.
 */
export function HotEvaluate(tx: HotTransaction, roots: readonly ModuleRecord[]): Promise<void> {
  Assert(tx.state === 'prepared', 'HotEvaluate: the transaction is not prepared');
  const pending = new SetCtor<ModuleRecord>();
  for (let i = 0; i < tx.toEvaluate.length; i++) SetPrototypeAdd(pending, ListAt(tx.toEvaluate, i));
  const order = ListCreate<ModuleRecord>();
  const ordered = new SetCtor<ModuleRecord>();
  const seen = new SetCtor<ModuleRecord>();
  const stack = ListCreate<ModuleRecord>();
  for (let i = roots.length - 1; i >= 0; i--) {
    const root = ListAt(roots, i);
    ListAppend(stack, MapPrototypeGet(tx.replacementOf, root) ?? root);
  }
  while (stack.length > 0) {
    const m = ListAt(stack, stack.length - 1);
    stack.length -= 1;
    if (SetPrototypeHas(seen, m)) continue;
    SetPrototypeAdd(seen, m);
    if (SetPrototypeHas(pending, m)) {
      SetPrototypeAdd(ordered, m);
      ListAppend(order, m);
    }
    if (!IsCyclicModuleRecord(m)) continue;
    // Push the requested modules in reverse, so that they are visited in [[RequestedModules]] order.
    const requests = m.requestedModules;
    const targets = ListCreate<ModuleRecord>();
    for (let i = 0; i < requests.length; i++) {
      const target = LoadedTarget(m, ListAt(requests, i));
      if (target !== undefined) ListAppend(targets, target);
    }
    for (let i = targets.length - 1; i >= 0; i--) ListAppend(stack, ListAt(targets, i));
  }
  for (let i = 0; i < tx.toEvaluate.length; i++) {
    const m = ListAt(tx.toEvaluate, i);
    if (!SetPrototypeHas(ordered, m)) ListAppend(order, m);
  }
  const capability = NewInternalPromiseCapability();
  let remaining = order.length + 1;
  let firstError: { value: unknown } | undefined;
  const settle = (): void => {
    remaining -= 1;
    if (remaining !== 0) return;
    if (firstError === undefined) capability.resolve(undefined);
    else capability.reject(firstError.value);
  };
  for (let i = 0; i < order.length; i++) {
    const m = ListAt(order, i);
    let promise: Promise<unknown>;
    try {
      promise = Evaluate(m);
    } catch (error) {
      // (Evaluate asserts its preconditions; an assertion is an evaluation failure here)
      firstError ??= { value: error };
      settle();
      continue;
    }
    PerformPromiseThen(promise, settle, (reason) => {
      firstError ??= { value: reason };
      settle();
    });
  }
  settle();
  return capability.promise as Promise<void>;
}

/** Puts back every [[LoadedModules]] entry HotPrepare changed: the live graph is as it was. */
export function HotAbort(tx: HotTransaction): void {
  if (tx.state !== 'prepared') return;
  tx.state = 'aborted';
  const rewritten = tx.rewritten;
  for (let i = rewritten.length - 1; i >= 0; i--) {
    const entry = ListAt(rewritten, i);
    RequestTableReplace(entry.referrer.loadedModules, entry.replacement, entry.previous);
  }
  // The new instances registered themselves as importers of what they loaded: forget them.
  for (let i = 0; i < tx.replacements.length; i++) ForgetImporter(ListAt(tx.replacements, i).newModule);
  // Namespaces of live modules made on the new graph resolve their names again on this one.
  for (let i = 0; i < tx.live.length; i++) {
    const m = ListAt(tx.live, i);
    const before = MapPrototypeGet(tx.namespacesBefore, m);
    if (m.namespace !== undefined && m.namespace !== before?.[0]) RetargetNamespace(m.namespace, m);
    if (m.deferredNamespace !== undefined && m.deferredNamespace !== before?.[1])
      RetargetNamespace(m.deferredNamespace, m);
  }
}

/**
 * Commits a prepared (and evaluated) replacement: live importers read the new instances'
 * bindings from now on, namespace objects show them, and no live record reaches an old instance.
 */
export function HotCommit(tx: HotTransaction): void {
  Assert(tx.state === 'prepared', 'HotCommit: the transaction is not prepared');
  tx.state = 'committed';
  const replacements = tx.replacements;
  // 1. Namespace objects: those of each old instance (and the ones it had inherited) now show the
  //    new instance; one that still has the new instance's exact export names becomes its
  //    [[Namespace]], so its identity survives the update.
  for (let i = 0; i < replacements.length; i++) {
    const { oldModule, newModule } = ListAt(replacements, i);
    MoveNamespaces(oldModule, newModule);
  }
  // 2. Live modules: their namespaces resolve again (a re-export may now lead elsewhere, and an
  //    `export *` may export other names: then the module gets a new namespace object).
  const live = tx.live;
  for (let i = 0; i < live.length; i++) RefreshNamespaces(ListAt(live, i));
  // 3. Import bindings: live importers (plans from HotPrepare) and the new instances (linked
  //    before step 1 chose their dependencies' namespace objects).
  MapPrototypeForEach(tx.plans, (plans, m) => Rebind(m, plans));
  for (let i = 0; i < replacements.length; i++) {
    const m = ListAt(replacements, i).newModule;
    if (IsCyclicModuleRecord(m) && m.environment !== undefined && HasImports(m)) Rebind(m, PlanImportBindings(m, true));
  }
  // 4. Fields of live records that still lead to old instances.
  for (let i = 0; i < live.length; i++) {
    const m = ListAt(live, i);
    if (!IsCyclicModuleRecord(m)) continue;
    // [[CycleRoot]]: an evaluated module whose component's root was replaced is its own root
    // (Evaluate step 3 only reads the root's [[TopLevelCapability]], which a new one replaces).
    const root = m.cycleRoot;
    if (root !== undefined && MapPrototypeHas(tx.replacementOf, root) && m.status === 'evaluated') m.cycleRoot = m;
  }
  for (let i = 0; i < replacements.length; i++) {
    const { oldModule, newModule } = ListAt(replacements, i);
    // [[AsyncParentModules]] of finished dependencies (only read while they evaluate).
    ForgetAsyncParent(oldModule);
    // Importers: the old instance's are the new one's (those the new instance's own loads did
    // not already record), and it is no longer an importer of its dependencies.
    MoveImporters(tx, oldModule, newModule);
    ForgetImporter(oldModule);
  }
}

/** Points the import bindings of `m` at what `plans` say and hands them to its compiled code. */
function Rebind(m: CyclicModuleRecord, plans: readonly ImportBindingPlan[]): void {
  const env = m.environment as SourceTextModuleEnvironment;
  BindImportPlans(m, env, plans);
  env.setImports(env.importBindings);
}

function HasImports(m: CyclicModuleRecord): boolean {
  return m.importEntries.length > 0 || m.indirectExportEntries.length > 0;
}

/** True when `module` has been evaluated (or is evaluating): its replacement must be too. */
function WasEvaluated(module: ModuleRecord): boolean {
  if (!IsCyclicModuleRecord(module)) return module.evaluationResult !== undefined;
  return module.status === 'evaluated' || module.status === 'evaluating-async' || module.status === 'evaluating';
}

/** `modules` in depth-first post-order of their static imports among themselves. */
function DependenciesFirst(modules: readonly ModuleRecord[]): ModuleRecord[] {
  const member = new SetCtor<ModuleRecord>();
  for (let i = 0; i < modules.length; i++) SetPrototypeAdd(member, ListAt(modules, i));
  const done = new SetCtor<ModuleRecord>();
  const order = ListCreate<ModuleRecord>();
  for (let i = 0; i < modules.length; i++) {
    const start = ListAt(modules, i);
    if (SetPrototypeHas(done, start)) continue;
    SetPrototypeAdd(done, start);
    const frames = ListCreate<ModuleWalkFrame<ModuleRecord>>();
    ListAppend(frames, new ModuleWalkFrame<ModuleRecord>(start));
    while (frames.length > 0) {
      const frame = ListAt(frames, frames.length - 1);
      const m = frame.module;
      const requests = IsCyclicModuleRecord(m) ? m.requestedModules : (EMPTY_LIST as ModuleRequest[]);
      if (frame.next < requests.length) {
        const target = LoadedTarget(m as CyclicModuleRecord, ListAt(requests, frame.next));
        frame.next++;
        if (target !== undefined && SetPrototypeHas(member, target) && !SetPrototypeHas(done, target)) {
          SetPrototypeAdd(done, target);
          ListAppend(frames, new ModuleWalkFrame<ModuleRecord>(target));
        }
        continue;
      }
      frames.length -= 1;
      ListAppend(order, m);
    }
  }
  return order;
}

/** The module [[LoadedModules]] of `m` holds for `request`, if it was loaded. */
function LoadedTarget(m: CyclicModuleRecord, request: ModuleRequest): ModuleRecord | undefined {
  return RequestTableFind(m.loadedModules, request)?.module;
}

/** Step 1 of HotPrepare for one module: its entries that hold a replaced instance. */
function RewriteLoadedModules(tx: HotTransaction, m: ModuleRecord): void {
  if (!IsCyclicModuleRecord(m)) return;
  const entries = m.loadedModules.entries;
  for (let i = 0; i < entries.length; i++) {
    const entry = ListAt(entries, i);
    const replacement = MapPrototypeGet(tx.replacementOf, entry.module);
    if (replacement === undefined) continue;
    const rewritten = new LoadedModuleRequest(entry, replacement);
    ListAppend(tx.rewritten, new RewrittenEntry(m, entry, rewritten));
    RequestTableReplace(m.loadedModules, entry, rewritten);
  }
}

/** The namespace objects that show `module`: its own and its aliases (still alive). */
function NamespacesOf(module: ModuleRecord): object[] {
  const list = ListCreate<object>();
  if (module.namespace !== undefined) ListAppend(list, module.namespace);
  if (module.deferredNamespace !== undefined) ListAppend(list, module.deferredNamespace);
  const aliases = WeakMapPrototypeGet(namespaceAliases, module);
  if (aliases !== undefined) {
    for (let i = 0; i < aliases.length; i++) {
      const namespace = WeakRefPrototypeDeref(ListAt(aliases, i));
      if (namespace !== undefined) ListAppend(list, namespace);
    }
  }
  return list;
}

function AddAlias(module: ModuleRecord, namespace: object): void {
  let aliases = WeakMapPrototypeGet(namespaceAliases, module);
  if (aliases === undefined) {
    aliases = ListCreate<WeakRef<object>>();
    WeakMapPrototypeSet(namespaceAliases, module, aliases);
  }
  ListAppend(aliases, new WeakRefCtor(namespace));
}

/** HotCommit step 1 for one replacement. */
function MoveNamespaces(oldModule: ModuleRecord, newModule: ModuleRecord): void {
  const own = newModule.namespace;
  const ownDeferred = newModule.deferredNamespace;
  const oldNamespace = oldModule.namespace;
  const oldDeferred = oldModule.deferredNamespace;
  const all = NamespacesOf(oldModule);
  for (let i = 0; i < all.length; i++) {
    const namespace = ListAt(all, i);
    if (namespace === own || namespace === ownDeferred) continue;
    const same = RetargetNamespace(namespace, newModule);
    if (same && namespace === oldNamespace) {
      // The old [[Namespace]] keeps its identity: it is the new instance's [[Namespace]]; one the
      // new instance made while it was linked and evaluated becomes an alias.
      if (own !== undefined) AddAlias(newModule, own);
      newModule.namespace = namespace;
    } else if (same && namespace === oldDeferred) {
      if (ownDeferred !== undefined) AddAlias(newModule, ownDeferred);
      newModule.deferredNamespace = namespace;
    } else {
      AddAlias(newModule, namespace);
    }
  }
}

/** HotCommit step 2 for one live module. */
function RefreshNamespaces(module: ModuleRecord): void {
  const all = NamespacesOf(module);
  if (all.length === 0) return;
  const fresh = ListCreate<WeakRef<object>>();
  for (let i = 0; i < all.length; i++) {
    const namespace = ListAt(all, i);
    const same = RetargetNamespace(namespace, module);
    if (!same && namespace === module.namespace) {
      // Its [[Exports]] are no longer the module's: the next GetModuleNamespace makes another.
      module.namespace = undefined;
      ListAppend(fresh, new WeakRefCtor(namespace));
    } else if (!same && namespace === module.deferredNamespace) {
      module.deferredNamespace = undefined;
      ListAppend(fresh, new WeakRefCtor(namespace));
    } else if (namespace !== module.namespace && namespace !== module.deferredNamespace) {
      ListAppend(fresh, new WeakRefCtor(namespace));
    }
  }
  WeakMapPrototypeSet(namespaceAliases, module, fresh);
}

/** Removes `module` from the [[AsyncParentModules]] of its dependencies that finished evaluating. */
function ForgetAsyncParent(module: ModuleRecord): void {
  if (!IsCyclicModuleRecord(module)) return;
  const entries = module.loadedModules.entries;
  for (let i = 0; i < entries.length; i++) {
    const dep = ListAt(entries, i).module;
    if (!IsCyclicModuleRecord(dep) || dep.status !== 'evaluated') continue;
    const parents = dep.asyncParentModules;
    if (parents.length === 0) continue;
    const kept = ListCreate<CyclicModuleRecord>();
    for (let j = 0; j < parents.length; j++) if (parents[j] !== module) ListAppend(kept, ListAt(parents, j));
    dep.asyncParentModules = kept.length === 0 ? (EMPTY_LIST as CyclicModuleRecord[]) : kept;
  }
}

/** Removes `module` from the importers of every module its [[LoadedModules]] hold. */
function ForgetImporter(module: ModuleRecord): void {
  if (!IsCyclicModuleRecord(module)) return;
  const entries = module.loadedModules.entries;
  for (let i = 0; i < entries.length; i++) RemoveImporter(ListAt(entries, i).module, module);
}

function RemoveImporter(target: ModuleRecord, importer: CyclicModuleRecord): void {
  const importers = target.importers;
  if (importers.length === 0) return;
  const kept = ListCreate<CyclicModuleRecord>();
  for (let i = 0; i < importers.length; i++) if (importers[i] !== importer) ListAppend(kept, ListAt(importers, i));
  target.importers = kept.length === 0 ? (EMPTY_LIST as CyclicModuleRecord[]) : kept;
}

/** The new instance is imported by every module whose entry HotPrepare rewrote to it. */
function MoveImporters(tx: HotTransaction, oldModule: ModuleRecord, newModule: ModuleRecord): void {
  if (newModule.realm.trackImporters !== true) return;
  const seen = new SetCtor<CyclicModuleRecord>();
  const importers = newModule.importers;
  for (let i = 0; i < importers.length; i++) SetPrototypeAdd(seen, ListAt(importers, i));
  const rewritten = tx.rewritten;
  for (let i = 0; i < rewritten.length; i++) {
    const entry = ListAt(rewritten, i);
    if (entry.previous.module !== oldModule || SetPrototypeHas(seen, entry.referrer)) continue;
    SetPrototypeAdd(seen, entry.referrer);
    AppendImporter(newModule, entry.referrer);
  }
}

function InvalidReplacement(message: string): Error {
  return createError('ERR_MODHOST_INVALID_ARGUMENT', `Invalid module replacement: ${message}`);
}

/**
 * The export names `importer` takes from `module` through its static imports and re-exports, or
 * undefined when it takes them all (`import * as`, `export *`, `export * as`, or a dynamic import
 * of it). For Vite's `acceptExports`, which accepts an update only for importers that use nothing
 * else.
 */
export function HotImportedNames(importer: ModuleRecord, module: ModuleRecord): string[] | undefined {
  if (!IsCyclicModuleRecord(importer)) return undefined;
  const names = ListCreate<string>();
  let found = false;
  const entries = importer.importEntries;
  for (let i = 0; i < entries.length; i++) {
    const entry = ListAt(entries, i);
    if (LoadedTarget(importer, entry.moduleRequest) !== module) continue;
    found = true;
    if (entry.importName === null) return undefined;
    ListAppend(names, entry.importName);
  }
  const indirect = importer.indirectExportEntries;
  for (let i = 0; i < indirect.length; i++) {
    const entry = ListAt(indirect, i);
    if (LoadedTarget(importer, entry.moduleRequest) !== module) continue;
    found = true;
    if (entry.importName === null) return undefined;
    ListAppend(names, entry.importName);
  }
  const stars = importer.starExportEntries;
  for (let i = 0; i < stars.length; i++) {
    if (LoadedTarget(importer, ListAt(stars, i).moduleRequest) === module) return undefined;
  }
  // Requested for its effects only (`import 'm'`): no name; not requested statically: import().
  if (!found) {
    const requests = importer.requestedModules;
    for (let i = 0; i < requests.length; i++) if (LoadedTarget(importer, ListAt(requests, i)) === module) return names;
    return undefined;
  }
  return names;
}

/**
 * A module leaves the graph (a host forgets a module nothing imports any more): it is no longer
 * an importer of the modules it loaded.
 */
export function HotForgetModule(module: ModuleRecord): void {
  ForgetImporter(module);
}
