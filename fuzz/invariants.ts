/**
 * Properties every graph must keep for its outcome to be a function of the spec alone (see
 * runtime.ts). The generator guarantees them; the minimiser, dropping lines, can break them, so
 * it only keeps candidates for which they still hold.
 */
import type { FuzzGraph } from './graph.js';

/** Specifiers a module line requests statically (imports and re-exports). */
function staticRequests(line: string): string[] {
  const m = /^(?:import|export)\b.*? from "([^"]+)";$/.exec(line) ?? /^import "([^"]+)";$/.exec(line);
  return m === null ? [] : [m[1]!];
}

/**
 * Returns why `graph` breaks an invariant, or null. The one invariant: an `import()` started
 * synchronously (`__dyn(tag, () => import("X"), -1)`) in module M names a module in M's static
 * dependency closure, so X's evaluation has begun before the import's own Evaluate runs and the
 * host-defined number of ticks the import takes cannot reorder anything.
 */
export function brokenInvariant(graph: FuzzGraph): string | null {
  const deps = new Map<string, string[]>();
  for (const module of graph.modules) deps.set(module.name, module.lines.flatMap(staticRequests));
  const closure = (start: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [start];
    while (todo.length > 0) {
      const v = todo.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      todo.push(...(deps.get(v) ?? []));
    }
    return seen;
  };
  for (const module of graph.modules) {
    for (const line of module.lines) {
      for (const m of line.matchAll(/__dyn\("[^"]*", \(\) => import\("([^"]+)"\), -1\b/g)) {
        if (!closure(module.name).has(m[1]!)) return `${module.name} imports ${m[1]} at once but does not depend on it`;
      }
    }
  }
  return null;
}
