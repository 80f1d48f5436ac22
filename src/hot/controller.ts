/**
 * The hot update controller of a host made with `hot: true` (host-neutral: the Node and browser
 * hosts give it a {@link HotHostAdapter}). One update at a time:
 *
 * 1. read the changed modules again (a parse or load error ends the update: nothing applied);
 * 2. plan (./plan.ts): which modules are evaluated again, which accept; a dead end or a decline
 *    is a full reload (nothing applied);
 * 3. make the new instances (new text, or the same source again) and put them in the module map,
 *    load them, and prepare the replacement (records/hot.ts: a link error ends the update and the
 *    map is put back);
 * 4. `dispose` callbacks of the instances being replaced (importers first), then evaluate the new
 *    instances (an error ends the update: the map and every importer are as before);
 * 5. commit: importers read the new instances (true rebinding), accept callbacks get the new
 *    namespaces, modules nothing imports any more are pruned; `invalidate()` calls made by the
 *    callbacks start a follow-up update, reported with this one.
 */
import {
  FirstLoadedModule,
  GetModuleNamespace,
  HotAbort,
  HotCommit,
  HotEvaluate,
  HotForgetModule,
  HotImportedNames,
  HotPrepare,
  type HotReplacement,
  type HotTransaction,
  LoadedModulesOf,
  LoadRequestedModules,
  type ModuleRecord,
} from '../records/index.js';
import { type HotContext, type HotContextHost, HotRegistry, hotInternals } from './context.js';
import { type HotPlanGraph, planHotUpdate } from './plan.js';

/** The result of one `host.update(urls)`. */
export interface HotUpdateReport {
  /** URLs of the modules whose text changed (or that called `hot.invalidate()`). */
  changed: string[];
  /** URLs of the modules evaluated again (new instances). */
  updated: string[];
  /** URLs of the modules that accepted the update (self-accepting ones and accepting importers). */
  boundaries: string[];
  /**
   * True when no module accepts the update (a changed module's importers lead to the entry
   * without an `accept`), or a module declined it: nothing was applied; reload the program.
   */
  fullReload: boolean;
  /** Why a full reload is needed. */
  reason?: string;
  /**
   * The error that stopped the update (a parse, load, link or evaluation error of the new code,
   * or a `dispose` callback's): nothing was applied, the old modules keep running. An error
   * thrown by an `accept` callback is reported here too, after the update was applied.
   */
  error?: unknown;
  /** URLs of modules no longer imported after the update (their `prune` callbacks ran). */
  pruned: string[];
  /** URLs of the given files whose text had not changed (nothing to do for them). */
  unchanged: string[];
  /** Milliseconds the update took. */
  duration: number;
}

/** What a host gives its controller. Module ids are module map keys (URLs). */
export interface HotHostAdapter {
  /** The ids of the modules the host made from the file (or URL) `url`. */
  idsOf(url: string): readonly string[];
  /** The current instance of module `id`. */
  recordOf(id: string): ModuleRecord | undefined;
  /** The id of a module the host made (undefined for modules it did not make). */
  idOf(record: ModuleRecord): string | undefined;
  /**
   * Reads module `id` again: a new instance (a Module Record, not loaded yet) when its text
   * changed, undefined when it did not (or a promise of either, for hosts that fetch). Throws (or
   * rejects with) the load or parse error.
   */
  reread(id: string): ModuleRecord | undefined | Promise<ModuleRecord | undefined>;
  /** A new instance of module `id` from its current source (for modules evaluated again unchanged). */
  reinstantiate(id: string): ModuleRecord;
  /** Makes `record` the instance the host's module map holds for `id` (undefined: forget `id`). */
  setRecord(id: string, record: ModuleRecord | undefined): void;
  /** The ids of the modules the program imported through the host (entry points), in order. */
  roots(): readonly string[];
  /** Resolves a specifier from module `referrerId` as its imports are resolved (for `accept(dep)`). */
  resolve(specifier: string, referrerId: string): string;
  /**
   * The object the contexts of `record`'s instance are kept under (see HotController.contextFor),
   * or undefined when it has none.
   */
  contextKeyOf(record: ModuleRecord): object | undefined;
  /**
   * The modules that hold `record`'s instance: by default its importers (records' `importers`); a
   * host with other ways of holding a module (CommonJS `require`) adds them.
   */
  importersOf?(record: ModuleRecord): readonly ModuleRecord[];
  /**
   * Called after the `dispose` callbacks, before the new instances of `ids` are evaluated (a
   * CommonJS host clears those modules from its `require` cache here). Returns what undoes it if
   * the update is abandoned.
   */
  beforeEvaluate?(ids: readonly string[]): () => void;
  /** Told when an update starts (`true`) and ends (`false`): the host evaluates new code then. */
  updating?(active: boolean): void;
}

/**
 * The key of an ES module instance's context for hosts that give each Module a handler of its own:
 * the handler (`import.meta.hot` is made by its importMetaHook, which knows only its handler).
 */
export function handlerKeyOf(record: ModuleRecord): object | undefined {
  if (record.kind !== 'source-text') return undefined;
  const handler = record.moduleInstance?.handler;
  return typeof handler === 'object' && handler !== null ? handler : undefined;
}

/** A host's hot controller. */
export interface HotController {
  /** Per-host HMR state (data, listeners). */
  readonly registry: HotRegistry;
  /**
   * The context of the instance `key` stands for (made on first use): the host attaches it to
   * `import.meta.hot` / `module.hot`. `key` is what {@link HotHostAdapter.contextKeyOf} gives for
   * the instance's record (for an ES module, the handler of its Module).
   */
  contextFor(key: object, id: string): HotContext;
  /** The context of an instance, if its code has one. */
  contextOf(record: ModuleRecord): HotContext | undefined;
  /** Applies changes to the files (or URLs) `urls`. Updates run one at a time. */
  update(urls: Iterable<string>): Promise<HotUpdateReport>;
  /**
   * Runs every `dispose` callback of every module (importers first), as before a full reload
   * in the same process; their errors are returned.
   */
  disposeAll(): Promise<unknown[]>;
  /** Called with every report, including those of updates started by `hot.invalidate()`. */
  onUpdate(listener: (report: HotUpdateReport) => void): () => void;
  /** True while an update runs (the host evaluates the new code then). */
  readonly updating: boolean;
}

const now = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

/**
 * Step 1 of an update: the host reads the modules of `urls` again; those whose text changed get
 * new (unloaded) instances, by module id. A text that cannot be read or parsed throws (nothing is
 * applied); a URL with no changed module is reported unchanged.
 */
async function rereadChanged(
  host: HotHostAdapter,
  urls: readonly string[],
  report: HotUpdateReport,
): Promise<Map<string, ModuleRecord>> {
  const fresh = new Map<string, ModuleRecord>();
  for (const url of urls) {
    const ids = host.idsOf(url).filter((id) => host.recordOf(id) !== undefined);
    if (ids.length === 0) continue;
    let changed = false;
    for (const id of ids) {
      let next: ModuleRecord | undefined;
      try {
        next = await host.reread(id);
      } catch (error) {
        report.changed.push(id);
        throw error;
      }
      if (next === undefined) continue;
      fresh.set(id, next);
      changed = true;
    }
    if (!changed) report.unchanged.push(url);
  }
  return fresh;
}

/** Creates the hot controller of a host. */
export function createHotController(host: HotHostAdapter): HotController {
  const contexts = new WeakMap<object, HotContext>();
  const contextOf = (record: ModuleRecord): HotContext | undefined => {
    const key = host.contextKeyOf(record);
    return key === undefined ? undefined : contexts.get(key);
  };
  const listeners = new Set<(report: HotUpdateReport) => void>();
  /** Invalidations not yet applied: id → message. */
  const invalidations = new Map<string, string | undefined>();
  let queue: Promise<unknown> = Promise.resolve();
  let updating = false;
  let scheduled = false;

  const importersOf = (record: ModuleRecord): readonly ModuleRecord[] =>
    host.importersOf === undefined ? record.importers : host.importersOf(record);

  const contextHost: HotContextHost = {
    resolveDependency(specifier, referrerId) {
      // The module the referrer's own import of `specifier` loaded (its id includes what the
      // import attributes selected, a JSON module say), else the host's resolution.
      const record = host.recordOf(referrerId);
      if (record !== undefined && record.kind === 'source-text') {
        const target = FirstLoadedModule(record, specifier);
        const id = target === undefined ? undefined : host.idOf(target);
        if (id !== undefined) return id;
      }
      return host.resolve(specifier, referrerId);
    },
    invalidate(id, message) {
      invalidations.set(id, message);
      void registry.emitHmrEvent('invalidate', { path: id, message });
      // Outside an update, an invalidation starts one of its own.
      if (!updating && !scheduled) {
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          if (invalidations.size > 0) void update([]);
        });
      }
    },
    send(event, data) {
      void registry.emit(event, data);
    },
  };
  const registry = new HotRegistry(contextHost);

  const graph: HotPlanGraph<ModuleRecord> = {
    importers: (node) => unique(importersOf(node)),
    idOf: (node) => host.idOf(node),
    contextOf: (node) => contextOf(node),
    importedNames(importer, node) {
      const names = HotImportedNames(importer, node);
      // (a records List has a null prototype: copy it into an ordinary array)
      return names === undefined ? undefined : Array.prototype.slice.call(names);
    },
  };

  function update(urls: Iterable<string>): Promise<HotUpdateReport> {
    const list = [...urls];
    const run = queue.then(() => updateNow(list));
    queue = run.catch(() => undefined);
    return run.then((report) => {
      for (const listener of listeners) listener(report);
      return report;
    });
  }

  async function updateNow(urls: readonly string[]): Promise<HotUpdateReport> {
    const started = now();
    const report: HotUpdateReport = {
      changed: [],
      updated: [],
      boundaries: [],
      fullReload: false,
      pruned: [],
      unchanged: [],
      duration: 0,
    };
    updating = true;
    host.updating?.(true);
    try {
      // 1. Read the changed modules again.
      const fresh = await rereadChanged(host, urls, report);
      const seenInvalidations = new Set<string>();
      for (const [id] of invalidations) seenInvalidations.add(id);
      const early = new Set(invalidations.keys());
      invalidations.clear();
      await applyRound(fresh, report, early);
      // Invalidations made by the callbacks (or before this update) are follow-up rounds.
      while (report.error === undefined && !report.fullReload && invalidations.size > 0) {
        const ignoreSelf = new Set<string>();
        for (const [id] of invalidations) {
          if (seenInvalidations.has(id)) {
            report.fullReload = true;
            report.reason = `${id} was invalidated again by the update it started`;
            break;
          }
          seenInvalidations.add(id);
          ignoreSelf.add(id);
        }
        invalidations.clear();
        if (report.fullReload) break;
        await applyRound(new Map(), report, ignoreSelf);
      }
    } catch (error) {
      report.error = error;
    } finally {
      updating = false;
      host.updating?.(false);
      invalidations.clear();
      report.duration = now() - started;
    }
    if (report.fullReload) {
      await registry.emitHmrEvent('beforeFullReload', { triggeredBy: report.changed, reason: report.reason ?? '' });
    }
    if (report.error !== undefined) {
      const err = report.error as { message?: unknown; stack?: unknown } | null;
      const payload = { err: { message: `${err?.message ?? report.error}`, stack: err?.stack } };
      await registry.emitHmrEvent('error', payload);
    }
    return report;
  }

  /**
   * One round of an update: `fresh` are the modules with new text (new instances, not loaded),
   * `ignoreSelf` modules that invalidated themselves (also changed, with their old text).
   */
  async function applyRound(
    fresh: Map<string, ModuleRecord>,
    report: HotUpdateReport,
    ignoreSelf: ReadonlySet<string>,
  ): Promise<void> {
    const changed: ModuleRecord[] = [];
    for (const id of [...fresh.keys(), ...ignoreSelf]) {
      const record = host.recordOf(id);
      if (record !== undefined && !changed.includes(record)) changed.push(record);
    }
    if (changed.length === 0) return;
    for (const record of changed) {
      const id = host.idOf(record);
      if (id !== undefined && !report.changed.includes(id)) report.changed.push(id);
    }
    // 2. Plan.
    const ignore = new Set<ModuleRecord>();
    for (const id of ignoreSelf) {
      const record = host.recordOf(id);
      if (record !== undefined) ignore.add(record);
    }
    const plan = planHotUpdate(changed, graph, ignore);
    if (plan.fullReload !== undefined) {
      report.fullReload = true;
      report.reason = plan.fullReload.reason;
      return;
    }
    // 3. New instances, in the module map, loaded and prepared.
    const replacements: HotReplacement[] = [];
    const previous = new Map<string, ModuleRecord>();
    for (const oldModule of plan.reevaluate) {
      const id = host.idOf(oldModule);
      if (id === undefined) continue;
      const newModule = fresh.get(id) ?? host.reinstantiate(id);
      replacements.push({ oldModule, newModule });
      previous.set(id, oldModule);
    }
    const restore = (): void => {
      for (const [id, record] of previous) host.setRecord(id, record);
    };
    for (const { oldModule, newModule } of replacements) host.setRecord(host.idOf(oldModule) as string, newModule);
    let tx: HotTransaction;
    try {
      for (const { newModule } of replacements) await LoadRequestedModules(newModule);
      tx = HotPrepare(replacements, liveImporters(replacements));
    } catch (error) {
      restore();
      for (const { newModule } of replacements) HotForgetModule(newModule);
      report.error = error;
      return;
    }
    const updates = replacements.map(({ oldModule }) => host.idOf(oldModule) as string);
    await registry.emitHmrEvent('beforeUpdate', { updates });
    // 4. Dispose the old instances (importers first), then evaluate the new ones.
    let undo: (() => void) | undefined;
    try {
      for (const { oldModule } of [...replacements].reverse()) await dispose(oldModule);
      undo = host.beforeEvaluate?.(updates);
      await HotEvaluate(tx, rootRecords());
    } catch (error) {
      HotAbort(tx);
      undo?.();
      restore();
      report.error = error;
      return;
    }
    // 5. Commit.
    HotCommit(tx);
    for (const { oldModule } of replacements) {
      const context = contextOf(oldModule);
      if (context !== undefined) registry.dropListeners(context);
    }
    report.updated.push(...updates);
    for (const record of plan.selfAccepted) report.boundaries.push(host.idOf(record) as string);
    for (const record of plan.boundaries.keys()) {
      const id = host.idOf(record);
      if (id !== undefined) report.boundaries.push(id);
    }
    const newOf = new Map(replacements.map(({ oldModule, newModule }) => [oldModule, newModule]));
    await runAcceptCallbacks(plan.selfAccepted, plan.boundaries, newOf, report);
    await prune(replacements, report);
    await registry.emitHmrEvent('afterUpdate', { updates });
  }

  /** Every module that may read a replaced module: the importers of old instances, transitively. */
  function liveImporters(replacements: readonly HotReplacement[]): ModuleRecord[] {
    const seen = new Set<ModuleRecord>();
    const pending: ModuleRecord[] = replacements.map((r) => r.oldModule);
    for (let m = pending.pop(); m !== undefined; m = pending.pop()) {
      const importers = importersOf(m);
      for (let i = 0; i < importers.length; i++) {
        const importer = importers[i];
        if (importer !== undefined && !seen.has(importer)) {
          seen.add(importer);
          pending.push(importer);
        }
      }
    }
    return [...seen];
  }

  function rootRecords(): ModuleRecord[] {
    const records: ModuleRecord[] = [];
    for (const id of host.roots()) {
      const record = host.recordOf(id);
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  async function dispose(record: ModuleRecord): Promise<void> {
    const context = contextOf(record);
    if (context === undefined) return;
    const data = context.data;
    for (const callback of hotInternals.disposers(context)) await callback(data);
  }

  async function runAcceptCallbacks(
    selfAccepted: readonly ModuleRecord[],
    boundaries: ReadonlyMap<ModuleRecord, ReadonlySet<ModuleRecord>>,
    newOf: ReadonlyMap<ModuleRecord, ModuleRecord>,
    report: HotUpdateReport,
  ): Promise<void> {
    const call = async (fn: () => unknown): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        report.error ??= error;
      }
    };
    for (const oldModule of selfAccepted) {
      const context = contextOf(oldModule);
      const newModule = newOf.get(oldModule);
      if (context === undefined || newModule === undefined) continue;
      const namespace = GetModuleNamespace(newModule) as Record<string, unknown>;
      for (const entry of hotInternals.accepts(context))
        if (entry.self && entry.callback !== undefined) await call(() => entry.callback?.([namespace]));
    }
    for (const [boundary, accepted] of boundaries) {
      const context = contextOf(boundary);
      if (context === undefined) continue;
      const updatedIds = new Map<string, ModuleRecord>();
      for (const oldModule of accepted) {
        const id = host.idOf(oldModule);
        const newModule = newOf.get(oldModule);
        if (id !== undefined && newModule !== undefined) updatedIds.set(id, newModule);
      }
      for (const entry of hotInternals.accepts(context)) {
        if (entry.self || entry.callback === undefined || !entry.deps.some((dep) => updatedIds.has(dep))) continue;
        const namespaces = entry.deps.map((dep) => {
          const record = updatedIds.get(dep);
          return record === undefined ? undefined : (GetModuleNamespace(record) as Record<string, unknown>);
        });
        await call(() => entry.callback?.(namespaces));
      }
    }
  }

  /** Modules that the old instances imported and that nothing imports any more. */
  async function prune(replacements: readonly HotReplacement[], report: HotUpdateReport): Promise<void> {
    const roots = new Set(host.roots());
    const candidates: ModuleRecord[] = [];
    for (const { oldModule } of replacements) {
      if (oldModule.kind !== 'source-text') continue;
      candidates.push(...LoadedModulesOf(oldModule));
    }
    const pruned: ModuleRecord[] = [];
    for (let m = candidates.pop(); m !== undefined; m = candidates.pop()) {
      const id = host.idOf(m);
      if (id === undefined || roots.has(id) || pruned.includes(m) || importersOf(m).length > 0) continue;
      if (host.recordOf(id) !== m) continue;
      pruned.push(m);
      HotForgetModule(m);
      candidates.push(...LoadedModulesOf(m));
    }
    if (pruned.length === 0) return;
    const paths = pruned.map((m) => host.idOf(m) as string);
    await registry.emitHmrEvent('beforePrune', { paths });
    for (const m of pruned) {
      const id = host.idOf(m) as string;
      const context = contextOf(m);
      if (context !== undefined) {
        for (const callback of hotInternals.pruners(context)) {
          try {
            await callback(context.data);
          } catch (error) {
            report.error ??= error;
          }
        }
        registry.dropListeners(context);
      }
      host.setRecord(id, undefined);
      report.pruned.push(id);
    }
  }

  async function disposeAll(): Promise<unknown[]> {
    const errors: unknown[] = [];
    // Importers first: a depth-first post-order from the roots, reversed.
    const order: ModuleRecord[] = [];
    const seen = new Set<ModuleRecord>();
    const visit = (root: ModuleRecord): void => {
      const stack: { m: ModuleRecord; deps: ModuleRecord[] }[] = [];
      const push = (m: ModuleRecord): void => {
        seen.add(m);
        stack.push({ m, deps: LoadedModulesOf(m).reverse() });
      };
      push(root);
      for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
        const next = top.deps.pop();
        if (next === undefined) {
          stack.pop();
          order.push(top.m);
        } else if (!seen.has(next)) push(next);
      }
    };
    for (const root of rootRecords()) if (!seen.has(root)) visit(root);
    for (const record of order.reverse()) {
      try {
        await dispose(record);
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }

  return {
    registry,
    contextFor(key, id) {
      let context = contexts.get(key);
      if (context === undefined) {
        context = registry.createContext(id);
        contexts.set(key, context);
      }
      return context;
    },
    contextOf,
    update,
    disposeAll,
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get updating() {
      return updating;
    },
  };
}

/** `list` without repeats (a module may import another through several requests). */
function unique<T>(list: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item !== undefined && !out.includes(item)) out.push(item);
  }
  return out;
}
