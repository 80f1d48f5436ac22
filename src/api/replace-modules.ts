/**
 * replaceModules: hot replacement of Module instances in a running graph (modhost's extension;
 * the records-level operation is records/hot.ts, which hosts' `update()` uses too).
 */
import { createError } from '../errors/codes.js';
import {
  HotAbort,
  HotCommit,
  HotEvaluate,
  HotPrepare,
  type HotReplacement,
  LoadedModulesOf,
  LoadRequestedModules,
  type ModuleRecord,
} from '../records/index.js';
import { describeKind } from './handler.js';
import { isObject } from './intrinsics.js';
import { type Module, moduleRecordOfInstance } from './module.js';

/** Options of {@link replaceModules}. */
export interface ReplaceModulesOptions {
  /**
   * The modules whose graphs may import the replaced ones (usually the entry points you
   * imported): every module reachable from them through their loaded imports (static and
   * `import()`) is relinked. Modules outside these graphs keep the old instances.
   */
  within: Iterable<Module>;
}

/** The replacements run one at a time: a second call waits for the first to settle. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Replaces each `[oldModule, newModule]` pair's old instance by the new one in the running graphs
 * of `options.within` — *true rebinding*: every module that imports an old instance, directly or
 * through re-exports (`export { x } from`, `export *`) at any distance, reads the new instance's
 * bindings from then on, without being evaluated again (its own state is kept). A namespace object
 * of an old instance shows the new instance's bindings (and stays that module's namespace when its
 * export names did not change).
 *
 * The new Modules are loaded (their importHooks are asked as usual), linked and evaluated (if the
 * old ones had been evaluated), in the order a fresh evaluation of the graph would reach them;
 * live modules keep reading the old instances until all of this has succeeded, top-level await
 * included. It is all or nothing: if a new Module fails to load, link (an import or re-export
 * that no longer resolves, here or in a live importer) or evaluate, the promise rejects with that
 * error and the graph is exactly as it was (side effects of new code that ran stay, of course).
 *
 * @example
 * let counter = new Module(new ModuleSource('export const step = 1;'));
 * const app = new Module(new ModuleSource('import { step } from "counter"; export const next = (n) => n + step;'), {
 *   importHook: () => counter,
 * });
 * const { next } = await importModule(app);
 * next(1); // 2
 * const old = counter;
 * counter = new Module(new ModuleSource('export const step = 10;'));
 * await replaceModules([[old, counter]], { within: [app] });
 * next(1); // 11: app was not evaluated again, its import now reads the new module
 *
 * @throws TypeError (ERR_MODHOST_INVALID_ARGUMENT), as a rejection, for arguments that are not
 *   Modules, a Module replaced twice or by itself, or an old Module that was never linked.
 */
export function replaceModules(
  replacements: Iterable<readonly [Module, Module]>,
  options: ReplaceModulesOptions,
): Promise<void> {
  const run = queue.then(
    () => replace(replacements, options),
    () => replace(replacements, options),
  );
  queue = run.catch(() => undefined);
  return run;
}

async function replace(
  replacements: Iterable<readonly [Module, Module]>,
  options: ReplaceModulesOptions,
): Promise<void> {
  if (!isObject(options) || options.within === undefined || options.within === null)
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'replaceModules needs options.within (the graphs to relink)');
  const pairs: HotReplacement[] = [];
  for (const pair of replacements) {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `replaceModules takes [oldModule, newModule] pairs (got ${describeKind(pair)})`,
      );
    pairs.push({
      oldModule: moduleRecordOfInstance(pair[0], 'The module to replace'),
      newModule: moduleRecordOfInstance(pair[1], 'The replacement'),
    });
  }
  const roots: ModuleRecord[] = [];
  for (const module of options.within) roots.push(moduleRecordOfInstance(module, 'Each of options.within'));
  // The live graph as it is now (before the new Modules load: their loads may add edges).
  const live = reachableFrom(roots);
  for (const pair of pairs) await LoadRequestedModules(pair.newModule);
  const tx = HotPrepare(pairs, live);
  try {
    await HotEvaluate(tx, roots);
  } catch (error) {
    HotAbort(tx);
    throw error;
  }
  HotCommit(tx);
}

/** Every module reachable from `roots` through [[LoadedModules]] (static imports and import()). */
function reachableFrom(roots: readonly ModuleRecord[]): ModuleRecord[] {
  const seen = new Set<ModuleRecord>();
  const pending = [...roots];
  for (let m = pending.pop(); m !== undefined; m = pending.pop()) {
    if (seen.has(m)) continue;
    seen.add(m);
    if (m.kind !== 'source-text') continue;
    pending.push(...LoadedModulesOf(m));
  }
  return [...seen];
}
