/**
 * The fuzzer's unit of work: a module graph as plain data. Each module is a list of lines; every
 * line is one self-contained top-level statement or declaration, so the minimiser can drop lines
 * one at a time and the result is still (usually) a parseable module.
 */

/** One module of a graph: `name` is both its specifier and the last part of its URL. */
export interface FuzzModule {
  readonly name: string;
  readonly lines: readonly string[];
}

/** A module graph. `entry` is imported first; other modules are reached by imports. */
export interface FuzzGraph {
  readonly entry: string;
  readonly modules: readonly FuzzModule[];
}

/** Module texts by specifier, as the engines consume them. */
export type GraphTexts = Readonly<Record<string, string>>;

/** Joins each module's lines into its source text. */
export function renderTexts(graph: FuzzGraph): GraphTexts {
  const texts: Record<string, string> = {};
  for (const module of graph.modules) texts[module.name] = `${module.lines.join('\n')}\n`;
  return texts;
}

/** The URL both engines give a module (import.meta.url and the ModuleSource url). */
export function urlOf(name: string): string {
  return `memory:/${name}`;
}

/** Total number of lines, the minimiser's measure of size. */
export function graphSize(graph: FuzzGraph): number {
  let n = 0;
  for (const module of graph.modules) n += module.lines.length;
  return n;
}

/** A human-readable listing of the module texts (for the console and repro files). */
export function formatGraph(graph: FuzzGraph): string {
  const parts: string[] = [];
  for (const module of graph.modules) {
    const mark = module.name === graph.entry ? ' (entry)' : '';
    parts.push(`// ---- ${module.name}${mark}\n${module.lines.join('\n')}`);
  }
  return parts.join('\n');
}
