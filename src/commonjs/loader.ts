/**
 * The seam between the CommonJS runtime (src/commonjs/) and a host. The runtime owns module
 * identity, caching, cycles, `define` and `require`; a loader only maps ids to URIs and URIs to
 * text. A Node loader (src/hosts/node/commonjs-loader.ts) reads files; an in-memory loader
 * (./memory-loader.ts) serves tests and bundles; a browser loader would fetch. The ES-module
 * engine plugs in through {@link CommonJSLoader.external} (modules the host builds itself).
 */

/** A module the host provides ready-made (a Node builtin, an ES module's namespace). */
export interface ExternalModule {
  /** What `require` returns (unless {@link load} is given). */
  readonly exports: unknown;
  /**
   * Produces what `require` returns, on each `require` of this module, given the requiring
   * module's filename (`null` for a host-level require): for modules made on demand (say, an ES
   * module evaluated on first use), not when the module is merely resolved or prefetched by
   * `require.async`, with errors that name the requiring file. Not cached by the runtime.
   */
  load?(requirer: string | null): unknown;
}

/**
 * How the runtime reaches module text.
 *
 * Every method is called with URIs the loader itself produced from {@link resolve}. The runtime
 * caches resolutions per (requiring directory, id), so `resolve` runs once per distinct pair.
 */
export interface CommonJSLoader {
  /**
   * Resolves `id` as required by the module at `parent` (a URI from an earlier `resolve`), or
   * by the host itself when `parent` is `null` (top-level `require`/`use`: the loader's base).
   * Relative ids (`./`, `../`) resolve against the parent's directory; top-level ids against
   * `roots` in order, then `node_modules` folders, never against the parent's own folder.
   *
   * @returns an absolute URI, or `null` when no module matches (the runtime then reports
   * MODULE_NOT_FOUND, or returns `null` under `onMissing: 'null'`). Throw for other failures
   * (an invalid package.json, an id a package does not export).
   */
  resolve(id: string, parent: string | null, roots: readonly string[]): string | null;
  /** Synchronously reads the text at `uri`; `null` when there is none (treated as missing). */
  read(uri: string): string | null;
  /** Reads the text at `uri` for `require.async`; resolves to `null` when there is none. */
  readAsync(uri: string): Promise<string | null>;
  /**
   * The name module code sees as `__filename`, `module.filename` and `module.id`, which keys
   * `require.cache` and which `require.resolve` returns (a path in Node). Default: the URI.
   */
  filename?(uri: string): string;
  /** `__dirname` for a filename. Default: the filename up to its last `/`. */
  dirname?(filename: string): string;
  /**
   * Modules the host builds itself instead of from text: Node builtins, and (for interop) ES
   * modules. Called once per URI; `undefined` means "read and run it as CommonJS".
   */
  external?(uri: string): ExternalModule | undefined;
  /** The evaluator to use when `createCommonJS` is not given one (e.g. Node's `vm`). */
  readonly evaluator?: Evaluator;
  /**
   * Asked on every `require` of `uri`, before the module cache: an answer replaces the module
   * for this `require` (a host's mocks, a fork's shared instances); `undefined` lets the runtime
   * load it as usual. `requirer` is the requiring module's filename (`null`: the host).
   */
  intercept?(uri: string, requirer: string | null): { readonly exports: unknown } | undefined;
  /**
   * True when {@link resolve}'s answer may depend on the requiring module itself, not only on
   * its directory (a host with resolve hooks): resolutions are then cached per module.
   */
  readonly resolvesPerModule?: boolean;
}

/** What an {@link Evaluator} turns into a function. */
export interface EvaluatorInput {
  /** The module text (BOM removed, a hashbang line blanked): the function body. */
  readonly body: string;
  /** The function's parameter names, in order (valid identifiers, checked by the runtime). */
  readonly params: readonly string[];
  /** For stack traces: the module's filename. */
  readonly filename: string;
  /** The module's URI (for `//# sourceURL=` where the engine takes no filename). */
  readonly uri: string;
}

/**
 * Turns module text into a function of `params` whose body is `body`, so that stack traces name
 * `filename` with the body's own line numbers. The runtime calls the result with
 * `this = module.exports`.
 */
export type Evaluator = (input: EvaluatorInput) => (...args: never[]) => unknown;
