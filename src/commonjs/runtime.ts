/**
 * The synchronous core of the CommonJS runtime: resolution cache, module cache, loading a file
 * into a prepared form, running it once, cycles and rollback. `require.async` (./require-async.ts)
 * and the public API (./index.ts) sit on top of {@link RuntimeCore}.
 *
 * Phases for one module, in order:
 * 1. resolve: id + requiring directory → URI (loader; cached per directory and id),
 * 2. read: URI → text (loader, or text prefetched by `require.async`),
 * 3. prepare: detect the wrapper form; compile; for a `define` file, run its top level, which
 *    registers the factory or value (the factory itself does not run yet),
 * 4. execute: on the first `require`, put the module in the cache, run the body or factory.
 */
import { createError } from '../errors/codes.js';
import { type DefineFunction, type DefineState, runtimeDefine } from './define.js';
import { invalidId, moduleNotFound } from './errors.js';
import { evalEvaluator } from './evaluator.js';
import { DEFINE_PARAMS, PLAIN_PARAMS, planGlobals } from './globals.js';
import type { CommonJSLoader, Evaluator } from './loader.js';
import { CommonJSModule, type ModuleCache, type RequireFunction } from './module.js';
import { execute, type PrepareParts, prepare } from './prepare.js';
import { createResolutionCache, type Resolved } from './resolution-cache.js';

export type { DefineFunction } from './define.js';
export type { Resolved } from './resolution-cache.js';

/** Options of {@link createCommonJS} (./index.ts). */
export interface CommonJSOptions {
  /** Where ids resolve and text comes from. */
  readonly loader: CommonJSLoader;
  /** Directories (or base URLs) searched for top-level ids before `node_modules`, in order. */
  readonly roots?: readonly string[];
  /** `'throw'` (default): a missing module throws MODULE_NOT_FOUND; `'null'`: `require` returns `null`. */
  readonly onMissing?: 'throw' | 'null';
  /** Extra names visible to module code (e.g. `print`), passed as wrapper parameters. */
  readonly globals?: Readonly<Record<string, unknown>>;
  /** Turns module text into a function; default: the loader's, else an indirect `eval`. */
  readonly evaluator?: Evaluator;
  /**
   * Told about each failure that `require.async` turns into `null` (`during: 'require'`), and
   * about errors thrown by its callbacks (`'callback'`). Without it, load failures are dropped and
   * callback errors are rethrown from a fresh microtask (as an event listener's would be).
   */
  readonly onAsyncError?: (error: unknown, id: string, during: 'require' | 'callback') => void;
}

/** The runtime's private record of a module (its `require` closes over it). */
export interface ModuleRecord {
  readonly module: CommonJSModule;
  readonly dirKey: string;
}

/** Requirers that recorded a module while it ran, to undo if it throws. */
interface BackRef {
  readonly requirer: CommonJSModule;
  readonly addedDependency: boolean;
  readonly addedChild: boolean;
}

/** The internal interface the API and `require.async` use. */
export interface RuntimeCore {
  readonly cache: ModuleCache;
  readonly loader: CommonJSLoader;
  readonly onAsyncError: ((error: unknown, id: string, during: 'require' | 'callback') => void) | undefined;
  /** `require(id)` from `record` (`null`: the host). */
  requireFrom(id: string, record: ModuleRecord | null): unknown;
  /** Resolves for `record`, or `null` when missing. Throws for invalid ids. */
  resolveFor(id: string, dirKey: string | null, parentUri: string | null): Resolved | null;
  /** The directory key of a requiring record (`null` for the host). */
  dirKeyOf(record: ModuleRecord | null): string | null;
  /** True when `resolved` needs no text: cached, external, or its text is already prefetched. */
  hasModuleOrText(resolved: Resolved): boolean;
  /** Keeps text read ahead by `require.async` until the synchronous load takes it. */
  stashText(uri: string, text: string): void;
  /** Runs `id` as the main module. */
  use(id: string): unknown;
  /** The host-level `require`. */
  readonly hostRequire: RequireFunction;
  readonly define: DefineFunction;
  /** Set by ./require-async.ts: the implementation of `require.async`. */
  requireAsync: (
    ids: string | readonly string[],
    callback: ((...exports: unknown[]) => void) | undefined,
    record: ModuleRecord | null,
  ) => Promise<unknown[]>;
}

/** A require function while its properties are attached. */
type MutableRequire = ((id: string) => unknown) & {
  resolve: RequireFunction['resolve'];
  async: RequireFunction['async'];
  cache: ModuleCache;
};

function removeFrom<T>(list: T[], item: T): void {
  const index = list.lastIndexOf(item);
  if (index !== -1) list.splice(index, 1);
}

/** Builds the runtime core for `options`. */
export function createRuntimeCore(options: CommonJSOptions): RuntimeCore {
  const loader = options.loader;
  if (
    loader === null ||
    typeof loader !== 'object' ||
    typeof loader.resolve !== 'function' ||
    typeof loader.read !== 'function'
  ) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'createCommonJS: options.loader must have resolve(id, parent, roots) and read(uri)',
    );
  }
  const roots: readonly string[] = Object.freeze([...(options.roots ?? [])]);
  if (options.onMissing !== undefined && options.onMissing !== 'throw' && options.onMissing !== 'null') {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', `createCommonJS: options.onMissing must be 'throw' or 'null'`);
  }
  const missingReturnsNull = options.onMissing === 'null';
  const evaluator: Evaluator = options.evaluator ?? loader.evaluator ?? evalEvaluator;
  const globalsPlan = planGlobals(options.globals);
  const globalValues = globalsPlan.values;
  /** Wrapped files whose top level is running (the runtime's `define` attaches to the last). */
  const preparing: DefineState[] = [];
  const prepareParts: PrepareParts = {
    evaluator,
    plainParams: [...PLAIN_PARAMS, ...globalsPlan.names],
    defineParams: [...DEFINE_PARAMS, ...globalsPlan.names],
    globalValues,
    preparing,
  };
  const { resolveFor } = createResolutionCache(loader, roots);

  const cache: ModuleCache = Object.create(null) as ModuleCache;
  /** Modules whose body is running, with who recorded them meanwhile. */
  const running = new Map<CommonJSModule, BackRef[]>();
  /** Text read ahead by `require.async`, taken by the next synchronous load. */
  const prefetched = new Map<string, string>();
  let main: CommonJSModule | undefined;
  const mainDescriptor: PropertyDescriptor = { get: () => main, enumerable: true, configurable: true };

  function missing(id: string, record: ModuleRecord | null): null {
    if (missingReturnsNull) return null;
    throw moduleNotFound(id, record === null ? null : record.module);
  }

  function makeRequire(record: ModuleRecord | null): RequireFunction {
    // Typed loosely while its properties are attached; returned as the full RequireFunction.
    const require = function require(id: string): unknown {
      return requireFrom(id, record);
    } as MutableRequire;
    require.resolve = (id: string) => resolveFilename(id, record);
    require.async = (ids, callback) => core.requireAsync(ids, callback, record);
    require.cache = cache;
    Object.defineProperty(require, 'main', mainDescriptor);
    return require as RequireFunction;
  }

  function resolveFilename(id: string, record: ModuleRecord | null): string {
    if (typeof id !== 'string' || id === '') throw invalidId(id, 'require.resolve');
    const resolved = resolveFor(id, record === null ? null : record.dirKey, record === null ? null : record.module.uri);
    if (resolved === null) throw moduleNotFound(id, record === null ? null : record.module);
    return resolved.filename;
  }

  function requireFrom(id: string, record: ModuleRecord | null): unknown {
    if (typeof id !== 'string' || id === '') throw invalidId(id, 'require');
    const resolved = record === null ? resolveFor(id, null, null) : resolveFor(id, record.dirKey, record.module.uri);
    if (resolved === null) return missing(id, record);
    return load(resolved, record, id, false);
  }

  /** Records `child` (at `uri`) as required by `requirer`; remembers it for rollback while `child` runs. */
  function recordDependency(requirer: CommonJSModule, child: CommonJSModule | null, uri: string): void {
    const dependencies = requirer.dependencies;
    const addedDependency = !dependencies.includes(uri);
    if (addedDependency) dependencies.push(uri);
    if (child === null) return;
    const children = requirer.children;
    const addedChild = !children.includes(child);
    if (addedChild) children.push(child);
    if (child.loaded !== true && (addedDependency || addedChild)) {
      const refs = running.get(child);
      if (refs !== undefined) refs.push({ requirer, addedDependency, addedChild });
    }
  }

  function takeText(resolved: Resolved): string | null {
    const text = prefetched.get(resolved.uri);
    if (text !== undefined) {
      prefetched.delete(resolved.uri);
      return text;
    }
    return loader.read(resolved.uri);
  }

  /** Phases 2-4 for `resolved`, required by `record` (`null`: the host) as `id`. */
  function load(resolved: Resolved, record: ModuleRecord | null, id: string, asMain: boolean): unknown {
    const requirer = record === null ? null : record.module;
    if (resolved.external === undefined) resolved.external = loader.external?.(resolved.uri) ?? null;
    if (resolved.external !== null) {
      if (requirer !== null) recordDependency(requirer, null, resolved.uri);
      const external = resolved.external;
      return external.load === undefined
        ? external.exports
        : external.load(requirer === null ? null : requirer.filename);
    }
    const cached = cache[resolved.filename];
    if (cached !== undefined) {
      if (asMain && main === undefined) main = cached;
      if (requirer !== null) recordDependency(requirer, cached, resolved.uri);
      // A module still running (a cycle) hands out its partly built exports: the very object.
      return cached.exports;
    }
    const text = takeText(resolved);
    if (text === null) return missing(id, record);
    const prepared = prepare(prepareParts, resolved, text);

    const module = new CommonJSModule(resolved.uri, resolved.filename, resolved.dirname, requirer);
    const own: ModuleRecord = { module, dirKey: resolved.dirKey };
    module.require = makeRequire(own);
    const refs: BackRef[] = [];
    running.set(module, refs);
    if (asMain && main === undefined) main = module;
    cache[resolved.filename] = module;
    if (requirer !== null) recordDependency(requirer, module, resolved.uri);
    try {
      execute(module, prepared, globalValues);
    } catch (error) {
      rollback(module, refs);
      throw error;
    }
    module.loaded = true;
    running.delete(module);
    return module.exports;
  }

  /**
   * Undoes a failed first run: the module leaves the cache (the next `require` runs it again)
   * and leaves the `children`/`dependencies` of every module that recorded it during the run
   * (its parent, and cycle members that got its partial exports) - but only entries that this
   * run added. Modules it loaded successfully stay cached.
   */
  function rollback(module: CommonJSModule, refs: BackRef[]): void {
    running.delete(module);
    if (cache[module.filename] === module) delete cache[module.filename];
    if (main === module) main = undefined;
    for (const ref of refs) {
      if (ref.addedChild) removeFrom(ref.requirer.children, module);
      if (ref.addedDependency) removeFrom(ref.requirer.dependencies, module.uri);
    }
  }

  const core: RuntimeCore = {
    cache,
    loader,
    onAsyncError: options.onAsyncError,
    requireFrom,
    resolveFor,
    dirKeyOf: (record) => (record === null ? null : record.dirKey),
    hasModuleOrText(resolved) {
      if (prefetched.has(resolved.uri) || cache[resolved.filename] !== undefined) return true;
      if (resolved.external === undefined) resolved.external = loader.external?.(resolved.uri) ?? null;
      return resolved.external !== null;
    },
    stashText(uri, text) {
      prefetched.set(uri, text);
    },
    use(id: string): unknown {
      if (typeof id !== 'string' || id === '') throw invalidId(id, 'use');
      const resolved = resolveFor(id, null, null);
      if (resolved === null) return missing(id, null);
      return load(resolved, null, id, true);
    },
    hostRequire: makeRequire(null),
    define: runtimeDefine(preparing),
    requireAsync: () => {
      throw createError('ERR_MODHOST_INTERNAL', 'require.async is not installed (createCommonJS installs it)');
    },
  };
  return core;
}
