/**
 * The browser host: ES modules fetched over HTTP(S), resolved relative to the importing module
 * and through import maps (the HTML Standard's algorithm), `import.meta.url` and
 * `import.meta.resolve`, JSON modules (`with { type: 'json' }`), one Module instance per URL per
 * host, and precompiled modules for pages whose Content-Security-Policy forbids eval.
 *
 * A host is a pipeline: resolve (./resolver.ts: import maps) → load (./load.ts: fetch, or the
 * precompiled registry) → translate (./translators.ts) → instantiate (importModule, through each
 * module's importHook, which runs the pipeline for its imports). ./module-map.ts keeps one pending
 * or settled Module per URL and type.
 */

import { hostHandler } from '../../api/handler.js';
import { importModule, type ModuleNamespace } from '../../api/import-module.js';
import { createModuleInRealm, type Module, type ModuleHandler } from '../../api/module.js';
import type { ModuleSource } from '../../api/module-source.js';
import { createRealm } from '../../api/realm.js';
import { createError } from '../../errors/codes.js';
import { defaultHostHooks, type Realm } from '../../records/index.js';
import { installStackTraceMapping } from '../stack-traces.js';
import {
  type BrowserCompileCache,
  type BrowserCompileCacheOptions,
  createBrowserCompileCache,
} from './compile-cache.js';
import { installCompiledQueue } from './compiled.js';
import { defaultBaseURL } from './dom.js';
import { createModuleEvaluator, type EvaluationMode } from './evaluator.js';
import { type FetchFunction, globalFetch } from './fetch-text.js';
import { importMapToJSON } from './import-map.js';
import { type BrowserLoadContext, createBrowserLoad } from './load.js';
import { moduleMapKey, PromiseMap } from './module-map.js';
import { createBrowserResolver } from './resolver.js';
import {
  cachedJavaScriptSource,
  type JavaScriptSource,
  javascriptSource,
  jsonModule,
  textModule,
  wasmModule,
} from './translators.js';

/** Options of {@link createBrowserHost}. */
export interface BrowserHostOptions {
  /**
   * An import map (JSON text or its parsed object) applied after the page's
   * `<script type="importmap">` elements (earlier rules win, as when a page has several maps).
   */
  importMap?: string | object;
  /** Base URL of `importMap` (default: `baseURL`). */
  importMapBaseURL?: string;
  /** Read the document's `<script type="importmap">` elements (default true when there is a document). */
  documentImportMaps?: boolean;
  /** The URL top-level specifiers resolve against (default: the document's base URL). */
  baseURL?: string;
  /** The fetch to use (default: the global fetch). */
  fetch?: FetchFunction;
  /**
   * `'eval'` (default): fetched text is compiled by modhost and turned into code with indirect eval;
   * precompiled modules already registered are used without eval. `'compiled'`: modules must be
   * precompiled (`modhost compile`); a module not registered yet is loaded with a `<script src>`
   * element, which registers it. For pages whose Content-Security-Policy forbids eval.
   */
  evaluation?: EvaluationMode;
  /** Check Content-Type as browsers do for module scripts (default true). */
  strictMimeTypes?: boolean;
  /** Receives import map warnings (rules that were dropped). Default: `console.warn`. */
  onWarning?: (message: string) => void;
  /**
   * Keep the compiled form of every ES module in the page's Cache Storage, keyed by SHA-256 of its
   * URL and text, so that the next page load neither parses it nor waits for each level of the
   * graph before fetching the next (it fetches the last load's modules at once). Default off.
   * `true` or options ({@link BrowserCompileCacheOptions}). Needs a secure context (Cache
   * Storage, `crypto.subtle`); without one the host works without a cache.
   */
  compileCache?: boolean | BrowserCompileCacheOptions;
}

/** Options of {@link BrowserHost.load}. */
export interface LoadOptions {
  /** Import attributes (`{ type: 'json' }` for a JSON module). */
  attributes?: Readonly<Record<string, string>>;
  /** For error messages: the specifier as written and the importing module. */
  specifier?: string;
  referrer?: string;
}

/** A browser host (see {@link createBrowserHost}). */
export interface BrowserHost {
  /**
   * Resolves `specifier` (against `parentURL`, default the base URL), loads, links and evaluates
   * it; resolves to the namespace.
   */
  import(specifier: string, parentURL?: string): Promise<ModuleNamespace>;
  /** Resolves `specifier` as `import.meta.resolve` does from `parentURL` (default: the base URL). */
  resolve(specifier: string, parentURL?: string): string;
  /** The host's Module for `url` (fetched and created on first use; one per URL and module type). */
  load(url: string, options?: LoadOptions): Promise<Module>;
  /**
   * The ModuleSource for the JavaScript module at `url` (fetched and compiled once per host), e.g.
   * for fresh instances.
   */
  sourceFor(url: string, options?: LoadOptions): Promise<ModuleSource>;
  /**
   * `new Module(source, handler)` in this host's realm, so that it evaluates with this host's
   * evaluator (needed for precompiled sources when eval is forbidden).
   */
  createModule(source: ModuleSource, handler?: ModuleHandler): Module;
  /** Adds an import map (merged as the HTML Standard merges a later `<script type="importmap">`). */
  addImportMap(map: string | object, baseURL?: string): void;
  /** The current import map, normalized (a JSON view). */
  readonly importMap: ReturnType<typeof importMapToJSON>;
  /** Warnings from parsing and merging import maps. */
  readonly importMapWarnings: readonly string[];
  readonly evaluation: EvaluationMode;
  readonly baseURL: string;
  readonly realm: Realm;
  /** The compile cache (`options.compileCache`), e.g. to await `flush()` or read its stats; undefined when off. */
  readonly compileCache: BrowserCompileCache | undefined;
}

/**
 * A WebAssembly module URL.
 * DEVIATION(WebAssembly ESM integration, fetch a single module script): browsers choose
 * WebAssembly by the response's MIME type (application/wasm); this host
 * decides before fetching, by the `.wasm` path extension, because a JavaScript module is fetched
 * as text.
 */
function isWasmURL(url: string): boolean {
  try {
    return new URL(url).pathname.endsWith('.wasm');
  } catch {
    return false;
  }
}

/**
 * Creates a browser host. Each host has its own module map: a fresh host gives fresh instances.
 *
 * @example
 * import { createBrowserHost } from 'modhost/browser';
 * const host = createBrowserHost({ importMap: { imports: { 'lodash/': '/vendor/lodash-es/' } } });
 * const ns = await host.import('./app.js');
 */
export function createBrowserHost(options: BrowserHostOptions = {}): BrowserHost {
  const evaluation: EvaluationMode = options.evaluation ?? 'eval';
  if (evaluation !== 'eval' && evaluation !== 'compiled') {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `createBrowserHost: evaluation must be 'eval' or 'compiled', got ${String(evaluation)}`,
    );
  }
  const baseURL = options.baseURL ?? defaultBaseURL();
  if (baseURL === undefined) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'createBrowserHost: there is no document; pass options.baseURL');
  }
  const fetchFn = options.fetch ?? globalFetch();
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    if (options.onWarning !== undefined) options.onWarning(message);
    else (globalThis as { console?: { warn(m: string): void } }).console?.warn(`modhost import map: ${message}`);
  };
  installCompiledQueue();
  // Stack traces show modules' own lines and columns (../stack-traces.ts; Chromium is V8).
  installStackTraceMapping();

  const realm = createRealm({
    evaluator: createModuleEvaluator(evaluation),
    hostHooks: { ...defaultHostHooks, HostGetSupportedImportAttributes: () => ['type'] },
  });
  const resolver = createBrowserResolver({
    baseURL,
    documentImportMaps: options.documentImportMaps !== false,
    importMap:
      options.importMap === undefined
        ? undefined
        : { map: options.importMap, baseURL: options.importMapBaseURL ?? baseURL },
    warn,
  });
  const resolve = resolver.resolve;
  const loader = createBrowserLoad({
    fetch: fetchFn,
    evaluation,
    strictMimeTypes: options.strictMimeTypes !== false,
    integrityOf: (url) => resolver.importMap.integrity.get(url),
  });
  const compileCache =
    options.compileCache === undefined || options.compileCache === false
      ? undefined
      : createBrowserCompileCache(options.compileCache === true ? {} : options.compileCache, baseURL);
  const modules = new PromiseMap<Module>();
  /** JavaScript sources by URL, fetched and compiled once per host (also for {@link BrowserHost.sourceFor}). */
  const sources = new PromiseMap<JavaScriptSource>();

  function handlerFor(moduleBaseURL: string): ModuleHandler {
    // The host's own loader: its errors reach importers as they are (not wrapped as a user hook's).
    return hostHandler({
      importHook(specifier, attributes) {
        const target = resolve(specifier, moduleBaseURL);
        return load(target, { attributes, specifier, referrer: moduleBaseURL });
      },
      importMetaHook(meta) {
        const m = meta as Record<string, unknown>;
        m.url = moduleBaseURL;
        // HTML: import.meta.resolve converts its argument to a string and throws a TypeError when it cannot resolve.
        m.resolve = function resolveFromModule(specifier: unknown): string {
          return resolve(`${specifier as string}`, moduleBaseURL);
        };
      },
    });
  }

  function sourceFor(url: string, context: BrowserLoadContext = {}): Promise<JavaScriptSource> {
    return sources.get(url, () =>
      loader
        .javascript(url, context)
        .then((loaded) =>
          compileCache === undefined || loaded.kind !== 'text'
            ? javascriptSource(loaded)
            : cachedJavaScriptSource(compileCache, loaded.text, loaded.responseURL),
        ),
    );
  }

  /** After a top-level import settles: write the cache, forget prefetched texts nobody asked for. */
  function settled(): void {
    if (compileCache === undefined) return;
    loader.clearPrefetched();
    void compileCache.flush();
  }

  async function createJsonModule(url: string, context: BrowserLoadContext): Promise<Module> {
    return jsonModule(realm, url, await loader.json(url, context));
  }

  async function createTextModule(url: string, context: BrowserLoadContext): Promise<Module> {
    const { text, responseURL } = await loader.text(url, context);
    return textModule(realm, text, responseURL);
  }

  async function createWasmModule(url: string, context: BrowserLoadContext): Promise<Module> {
    const { module, responseURL } = await loader.wasm(url, context);
    return wasmModule(realm, module, responseURL, handlerFor(responseURL));
  }

  function createJavaScriptModule(url: string, context: BrowserLoadContext): Promise<Module> {
    return sourceFor(url, context).then(({ source, baseURL: moduleBase }) =>
      createModuleInRealm(source, handlerFor(moduleBase), realm),
    );
  }

  function load(url: string, context: LoadOptions = {}): Promise<Module> {
    const attributes = context.attributes ?? {};
    const type = attributes.type;
    if (type !== undefined && type !== 'json' && type !== 'text') {
      return Promise.reject(
        createError(
          'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
          `Import attribute "type" with value "${type}" is not supported ` +
            `(for ${url}${context.referrer ? `, imported from ${context.referrer}` : ''})`,
          { url, specifier: context.specifier, referrer: context.referrer },
        ),
      );
    }
    return modules.get(moduleMapKey(url, type), () =>
      type === 'json'
        ? createJsonModule(url, context)
        : type === 'text'
          ? createTextModule(url, context)
          : isWasmURL(url)
            ? createWasmModule(url, context)
            : createJavaScriptModule(url, context),
    );
  }

  return {
    import(specifier, parentURL = baseURL) {
      try {
        const url = resolve(specifier, parentURL);
        const context = { specifier, referrer: parentURL === baseURL ? undefined : parentURL };
        if (compileCache === undefined) return load(url, context).then((module) => importModule(module));
        // Fetch the modules the compile cache saw in the last load at once (each is still checked by its key).
        return compileCache
          .open(url)
          .then((urls) => loader.prefetch(urls.filter((u) => !sources.has(u))))
          .then(() => load(url, context))
          .then((module) => importModule(module))
          .then(
            (namespace) => {
              settled();
              return namespace;
            },
            (error: unknown) => {
              settled();
              throw error;
            },
          );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    resolve,
    load,
    sourceFor: (url, context) => sourceFor(url, context).then((s) => s.source),
    createModule: (source, handler) => createModuleInRealm(source, handler, realm),
    addImportMap: (map, mapBaseURL) => resolver.addImportMap(map, mapBaseURL),
    get importMap() {
      return importMapToJSON(resolver.importMap);
    },
    importMapWarnings: warnings,
    evaluation,
    baseURL,
    realm,
    compileCache,
  };
}
