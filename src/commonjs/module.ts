/**
 * The `module` object that CommonJS code sees. It holds only public, documented fields; the
 * runtime's own bookkeeping (resolution base, rollback records) lives in a separate record the
 * module's `require` closes over, so nothing here can be used to reach the runtime's internals.
 */

/** The `require` function each module receives. */
export interface RequireFunction {
  /** Returns the exports of the module `id` names, running it on first use. */
  (id: string): unknown;
  /**
   * Resolves `id` as `require(id)` would and returns the module's filename (the key of
   * `require.cache`). Throws MODULE_NOT_FOUND when nothing matches, whatever `onMissing` says.
   */
  resolve(id: string): string;
  /**
   * Loads `ids` asynchronously (prefetching their literal `require` dependencies), then runs
   * them in order. The callback (if any) gets the exports as arguments in the order of `ids`,
   * `null` for each that failed; the promise resolves to the same array and never rejects.
   */
  async(ids: string | readonly string[], callback?: (...exports: unknown[]) => void): Promise<unknown[]>;
  /** The runtime's module cache, keyed by filename. Deleting an entry makes the next `require` run the module again. */
  readonly cache: ModuleCache;
  /** The module `use()` ran as the program's main module, if any. */
  readonly main: CommonJSModule | undefined;
}

/** `require.cache`: a null-prototype object from filename to module. */
export type ModuleCache = Record<string, CommonJSModule>;

/**
 * One CommonJS module. Field names follow Node's `Module` where Node has them, and
 * Modules/1.1.1 (`id`, `uri`, `dependencies`) otherwise.
 */
export class CommonJSModule {
  /** The module's filename; `require(module.id)` returns its exports (Modules/1.1.1). */
  readonly id: string;
  /** The filename (a path in Node, the URI elsewhere): `__filename`, and the `require.cache` key. */
  readonly filename: string;
  /** The absolute URI the loader resolved (a `file:` URL in Node). */
  readonly uri: string;
  /** The directory of `filename` (`__dirname`), as Node's `module.path`. */
  readonly path: string;
  /** What `require` returns; initially the same object as the `exports` free variable. */
  exports: unknown;
  /** URIs of the modules this module required, in first-require order, without duplicates. */
  readonly dependencies: string[] = [];
  /** Modules this module required (loaded or taken from the cache), in first-require order. */
  readonly children: CommonJSModule[] = [];
  /** The module that first required this one; `null` for the main module and host requires. */
  readonly parent: CommonJSModule | null;
  /** True once the body (or factory) has returned. */
  loaded = false;
  /** This module's `require` (also reachable as `module.require`, which code such as lodash probes). */
  require!: RequireFunction;

  constructor(uri: string, filename: string, dirname: string, parent: CommonJSModule | null) {
    this.id = filename;
    this.filename = filename;
    this.uri = uri;
    this.path = dirname;
    this.parent = parent;
    this.exports = {};
  }
}
