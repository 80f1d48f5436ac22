/** In-memory module graphs, shared by the contenders that load them. */

/** Specifier → module text. Specifiers are flat (`./m12.js`) and used as keys as they are. */
export type Files = ReadonlyMap<string, string>;

/** A module namespace, as every contender returns it. */
export type GraphNamespace = Record<string, unknown>;

/** A way to load, link and evaluate a graph and hand back the entry's namespace. */
export type GraphLoader = (files: Files, entry: string) => Promise<GraphNamespace>;
