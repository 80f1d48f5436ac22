/**
 * CommonJS in the browser: the CommonJS runtime (src/commonjs/) over the browser loader, with the
 * article's entry point `define.use(id)`. `use` resolves the id against the page (or a configured
 * base), fetches the main module and every module its text names with a literal `require('…')`
 * — in parallel, transitively — and only then runs the main module, synchronously; dependencies
 * run lazily, on their first `require`, exactly as in the runtime.
 */

import { type CommonJSRuntime, createCommonJS } from '../../commonjs/index.js';
import type { Evaluator } from '../../commonjs/loader.js';
import type { ModuleCache, RequireFunction } from '../../commonjs/module.js';
import { scanRequires } from '../../commonjs/scan.js';
import { createError } from '../../errors/codes.js';
import { type BrowserLoader, createBrowserLoader } from './commonjs-loader.js';
import { compiledModule } from './compiled.js';
import { defaultBaseURL } from './dom.js';
import type { EvaluationMode } from './evaluator.js';
import type { FetchFunction } from './fetch-text.js';

/** Options of {@link createBrowserCommonJS}. */
export interface BrowserCommonJSOptions {
  /** The URL ids given to `use` (and top-level ids) resolve against. Default: the document's base URL. */
  readonly base?: string;
  /** Top-level ids mapped to URLs (resolved against `base`). */
  readonly alias?: Readonly<Record<string, string>>;
  /**
   * `'throw'` (default): a missing module throws MODULE_NOT_FOUND; `'null'`: `require` returns
   * `null` (the CommonJS article's behaviour).
   */
  readonly onMissing?: 'throw' | 'null';
  /** Extra names visible to module code (e.g. `print`), passed as wrapper parameters. */
  readonly globals?: Readonly<Record<string, unknown>>;
  /**
   * Legacy fallback: read modules nobody fetched ahead of time with a synchronous XHR (blocks the
   * page). Default false.
   */
  readonly syncXhr?: boolean;
  /** `'eval'` (default) or `'compiled'` (precompiled modules only; see `modhost compile`). */
  readonly evaluation?: EvaluationMode;
  readonly fetch?: FetchFunction;
  /** Overrides the evaluator (default: precompiled modules, else indirect eval). */
  readonly evaluator?: Evaluator;
  /** Hears about failures `require.async` turns into `null`, and errors its callbacks throw. */
  readonly onAsyncError?: (error: unknown, id: string) => void;
}

/** The page-level `define`: the runtime's `define` plus `define.use`. */
export interface BrowserDefine {
  (...args: unknown[]): void;
  readonly cmd: object;
  /**
   * Loads `ids` (a string or an array) and everything their literal requires reach, then runs
   * them in order as main modules. Resolves to the exports (an array for an array of ids), after
   * calling `callback` with them.
   */
  use(ids: string | readonly string[], callback?: (...exports: unknown[]) => void): Promise<unknown>;
}

/** A CommonJS runtime for a page (see {@link createBrowserCommonJS}). */
export interface BrowserCommonJS {
  readonly define: BrowserDefine;
  /** The same as `define.use`. */
  use(ids: string | readonly string[], callback?: (...exports: unknown[]) => void): Promise<unknown>;
  /**
   * Fetches `ids` and their literal dependencies without running anything. Never rejects; failures
   * are kept for `require` to report.
   */
  prefetch(ids: string | readonly string[]): Promise<void>;
  /** The host-level `require` (synchronous: only for modules already fetched). */
  readonly require: RequireFunction;
  readonly cache: ModuleCache;
  readonly loader: BrowserLoader;
  readonly runtime: CommonJSRuntime;
}

function idList(ids: unknown, what: string): string[] {
  if (typeof ids === 'string') return [ids];
  if (Array.isArray(ids) && ids.every((id): id is string => typeof id === 'string')) return [...ids];
  throw createError('ERR_MODHOST_INVALID_ARGUMENT', `${what}: ids must be a string or an array of strings`);
}

/**
 * Creates a CommonJS runtime for a page.
 *
 * @example
 * const cjs = createBrowserCommonJS({ base: '/app/' });
 * globalThis.define = cjs.define;
 * await define.use('main');   // fetches /app/main.js and its literal requires, then runs it
 */
export function createBrowserCommonJS(options: BrowserCommonJSOptions = {}): BrowserCommonJS {
  const base = options.base === undefined ? defaultBaseURL() : new URL(options.base, defaultBaseURL()).href;
  if (base === undefined)
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'createBrowserCommonJS: there is no document; pass options.base');
  const loader = createBrowserLoader({
    base,
    ...(options.alias !== undefined ? { alias: options.alias } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    ...(options.evaluation !== undefined ? { evaluation: options.evaluation } : {}),
    syncXhr: options.syncXhr === true,
    onMissing: options.onMissing ?? 'throw',
  });
  const roots: readonly string[] = [base];
  const runtime = createCommonJS({
    loader,
    roots,
    ...(options.onMissing !== undefined ? { onMissing: options.onMissing } : {}),
    ...(options.globals !== undefined ? { globals: options.globals } : {}),
    ...(options.evaluator !== undefined ? { evaluator: options.evaluator } : {}),
    ...(options.onAsyncError !== undefined ? { onAsyncError: options.onAsyncError } : {}),
  });
  const filenameOf = (uri: string): string => loader.filename?.(uri) ?? uri;

  /**
   * Fetches `list` and, transitively, the literal requires of what arrives. Texts already here
   * (fetched before, or precompiled) are followed synchronously, so a compiled graph costs no
   * promise per module. Never rejects: failures stay with the loader for `require` to report.
   */
  function prefetchList(list: readonly string[]): Promise<void> {
    const seen = new Set<string>();
    const pending: Promise<void>[] = [];
    const follow = (uri: string, text: string | null): void => {
      if (text === null || /\.json(?:$|[?#])/.test(uri)) return;
      const entry = compiledModule(uri);
      const requires = entry !== undefined && entry.kind === 'cjs' ? entry.requires : scanRequires(text);
      for (const dep of requires) visit(dep, uri);
    };
    const visit = (id: string, parent: string | null): void => {
      let uri: string | null;
      try {
        uri = loader.resolve(id, parent, roots);
      } catch {
        return; // `require` reports resolution errors when the module runs
      }
      if (uri === null || seen.has(uri)) return;
      seen.add(uri);
      if (runtime.cache[filenameOf(uri)] !== undefined) return;
      const known = loader.peek(uri);
      if (known !== undefined) {
        follow(uri, known);
        return;
      }
      const from = uri;
      pending.push(loader.prefetch(uri).then((text) => follow(from, text)));
    };
    for (const id of list) visit(id, null);
    // Promises are added while earlier ones settle: wait until none is left.
    const drain = (): Promise<void> => {
      if (pending.length === 0) return Promise.resolve();
      const batch = pending.splice(0);
      return Promise.all(batch).then(drain);
    };
    return drain();
  }

  /** Argument errors are the caller's bug: thrown synchronously, never turned into a rejection. */
  function use(ids: string | readonly string[], callback?: (...exports: unknown[]) => void): Promise<unknown> {
    const list = idList(ids, 'define.use');
    if (callback !== undefined && typeof callback !== 'function') {
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'define.use: callback must be a function');
    }
    return prefetchList(list).then(() => {
      // Everything reachable by literal requires is here: run synchronously, in order.
      const results = list.map((id) => runtime.use(id));
      if (callback !== undefined) callback(...results);
      return typeof ids === 'string' ? results[0] : results;
    });
  }

  const define = function define(...args: unknown[]): void {
    runtime.define(...args);
  } as BrowserDefine;
  Object.defineProperty(define, 'cmd', { value: runtime.define.cmd, enumerable: true });
  Object.defineProperty(define, 'use', { value: use, enumerable: true });

  return Object.freeze({
    define,
    use,
    prefetch: (ids: string | readonly string[]) => prefetchList(idList(ids, 'prefetch')),
    require: runtime.require,
    cache: runtime.cache,
    loader,
    runtime,
  });
}
