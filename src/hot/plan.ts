/**
 * Which modules an update evaluates again, and who accepts it: Vite's propagation
 * (vitejs/vite packages/vite/src/node/server/hmr.ts, propagateUpdate) on the live graph, with the
 * registrations the running instances made (not a lexical scan of `accept(`), and decline.
 *
 * From each changed module, walk up through its importers:
 * - a module that accepts itself (`accept()`, `accept(cb)`) is evaluated again and stops the walk:
 *   its importers are relinked to its new instance, not evaluated again;
 * - an importer that accepts the module (`accept(dep, cb)`) is a *boundary*: it is relinked and
 *   its callback gets the new namespace; it is not evaluated again;
 * - `acceptExports(names)`: the module accepts itself for importers that use only those names;
 *   the walk goes on through the others;
 * - a module the host did not make (your own `Module`, a REPL input) cannot be evaluated again by
 *   the host: it is relinked, as if it accepted;
 * - any other importer is evaluated again, and the walk goes on from it;
 * - a module with no importer left to try (the entry), or one that declined, is a dead end: the
 *   update is a full reload and nothing is applied.
 */
import { type HotAcceptEntry, type HotContext, hotInternals } from './context.js';

/** The live graph as the planner sees it. */
export interface HotPlanGraph<N> {
  /** Modules whose loaded imports (static or `import()`) hold `node`. */
  importers(node: N): readonly N[];
  /** The id (URL) of a module the host made, undefined for other modules. */
  idOf(node: N): string | undefined;
  /** The hot context of the node's instance, if its code read `import.meta.hot`. */
  contextOf(node: N): HotContext | undefined;
  /**
   * The export names `importer` takes from `node` (imports and re-exports), or undefined when it
   * takes them all (a namespace import, `export *`, `import()`).
   */
  importedNames(importer: N, node: N): readonly string[] | undefined;
}

/** The plan of one update. */
export interface HotPlan<N> {
  /** Modules evaluated again, in the order the walk found them. */
  readonly reevaluate: N[];
  /** Modules whose own accept (or acceptExports) takes the update: re-evaluated, callbacks run. */
  readonly selfAccepted: N[];
  /** Importers that accept some of the re-evaluated modules: relinked, callbacks run. */
  readonly boundaries: Map<N, Set<N>>;
  /** Set when the update cannot be applied: why. */
  readonly fullReload: { readonly reason: string } | undefined;
}

/**
 * Plans an update of `changed` (modules with new text, or invalidated). `ignoreSelfAccept`: modules
 * that called `hot.invalidate()`, whose self-accept does not count for this update.
 */
export function planHotUpdate<N>(
  changed: readonly N[],
  graph: HotPlanGraph<N>,
  ignoreSelfAccept: ReadonlySet<N> = new Set(),
): HotPlan<N> {
  const reevaluate: N[] = [];
  const selfAccepted: N[] = [];
  const boundaries = new Map<N, Set<N>>();
  const visited = new Set<N>();
  let fullReload: HotPlan<N>['fullReload'];
  const name = (node: N): string => graph.idOf(node) ?? '<module>';
  // Breadth-first from the changed modules.
  const queue: N[] = [...changed];
  for (let node = queue.shift(); node !== undefined && fullReload === undefined; node = queue.shift()) {
    if (visited.has(node)) continue;
    visited.add(node);
    reevaluate.push(node);
    const context = graph.contextOf(node);
    const accepts = context === undefined ? [] : hotInternals.accepts(context);
    if (context !== undefined && hotInternals.declined(context)) {
      fullReload = { reason: `${name(node)} declined hot updates` };
      break;
    }
    const selfEntries = ignoreSelfAccept.has(node) ? [] : accepts.filter((entry) => entry.self);
    const whole = selfEntries.some((entry) => entry.exports === undefined);
    if (whole) {
      selfAccepted.push(node);
      continue;
    }
    const acceptedExports = selfEntries.length === 0 ? undefined : exportsOf(selfEntries);
    if (acceptedExports !== undefined) selfAccepted.push(node);
    const importers = graph.importers(node);
    if (importers.length === 0 && acceptedExports === undefined) {
      fullReload = {
        reason: `nothing accepts the update of ${name(node)}: it does not accept itself and no module imports it`,
      };
      break;
    }
    for (const importer of importers) {
      if (importer === node) continue;
      // (a module the host did not make is only relinked)
      if (graph.idOf(importer) === undefined) continue;
      if (acceptsDependency(graph, importer, node)) {
        let accepted = boundaries.get(importer);
        if (accepted === undefined) {
          accepted = new Set();
          boundaries.set(importer, accepted);
        }
        accepted.add(node);
        continue;
      }
      if (acceptedExports !== undefined) {
        const names = graph.importedNames(importer, node);
        if (names?.every((n) => acceptedExports.has(n))) continue;
      }
      if (!visited.has(importer)) queue.push(importer);
    }
  }
  // A module evaluated again is not a boundary as well: its new instance imports the new modules.
  for (const node of reevaluate) boundaries.delete(node);
  return { reevaluate, selfAccepted, boundaries, fullReload };
}

function exportsOf(entries: readonly HotAcceptEntry[]): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) for (const n of entry.exports ?? []) names.add(n);
  return names;
}

/** True when `importer`'s current instance registered `accept(dep)` for `node`. */
function acceptsDependency<N>(graph: HotPlanGraph<N>, importer: N, node: N): boolean {
  const context = graph.contextOf(importer);
  const id = graph.idOf(node);
  if (context === undefined || id === undefined) return false;
  return hotInternals.accepts(context).some((entry) => !entry.self && entry.deps.includes(id));
}
