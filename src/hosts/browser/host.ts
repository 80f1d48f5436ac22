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
 *
 * Programmable as the Node host is (docs/hosts.md): resolve/load hooks (`hooks` option,
 * ../hooks/chain.ts), mocks (`host.mock`), forks (`host.fork`, ../hooks/share.ts) and
 * `host.dispose()`. A host and its forks share options, hooks, import maps, the evaluator and the
 * parsed sources; each has its own module map.
 */

import { hostHandler } from '../../api/handler.js';
import { importModule, type ModuleNamespace } from '../../api/import-module.js';
import { createModuleInRealm, type Module, type ModuleHandler } from '../../api/module.js';
import { ModuleSource, moduleSourceFromRecord, moduleSourceRecordOf } from '../../api/module-source.js';
import { createRealm } from '../../api/realm.js';
import { createError } from '../../errors/codes.js';
import type { HotUpdateReport } from '../../hot/index.js';
import { defaultHostHooks, ModuleSourceObjectOf, type Realm } from '../../records/index.js';
import type { ModuleSourceRecord } from '../../source/types.js';
import {
  createHookChains,
  type HookChains,
  isThenable,
  type ModuleHooks,
  type ResolveHookResult,
} from '../hooks/chain.js';
import {
  checkMockArguments,
  createMockRegistry,
  type MockFactory,
  type MockHandle,
  type MockOptions,
} from '../hooks/mocks.js';
import { checkForkOptions, createSharing, type ShareParent } from '../hooks/share.js';
import { installStackTraceMapping } from '../stack-traces.js';
import {
  type BrowserCompileCache,
  type BrowserCompileCacheOptions,
  createBrowserCompileCache,
} from './compile-cache.js';
import { compiledModule, installCompiledQueue } from './compiled.js';
import { defaultBaseURL } from './dom.js';
import { createModuleEvaluator, type EvaluationMode } from './evaluator.js';
import { type FetchFunction, globalFetch } from './fetch-text.js';
import { type BrowserModuleOrigin, createBrowserHot } from './hot.js';
import { importMapToJSON } from './import-map.js';
import { type BrowserLoadContext, createBrowserLoad } from './load.js';
import { BROWSER_CONDITIONS, loadThroughHooks } from './load-hooks.js';
import { moduleMapKey, PromiseMap, parseModuleMapKey } from './module-map.js';
import { type BrowserResolver, createBrowserResolver } from './resolver.js';
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
  /**
   * Hot module replacement: every module gets `import.meta.hot` (Vite's HMR API) and
   * `host.update(urls)` applies changed files to the running page with true rebinding (a dev
   * server tells the page which files changed). Off by default (`import.meta.hot` is then undefined).
   */
  hot?: boolean;
  /**
   * Resolve and load hooks in the shape of Node's `module.registerHooks()` (docs/hosts.md):
   * `hooks[0]` is called first. Resolve hooks see `conditions: ['browser', 'import', 'default']`;
   * load hooks see the format the URL is loaded as (`'module'`, `'json'`) and may answer with
   * `{ format: 'module' | 'json', source }`. They may return promises. Precompiled modules and
   * `.wasm` URLs are loaded as they are, without load hooks.
   */
  hooks?: readonly ModuleHooks[];
}

/** Options of {@link BrowserHost.fork}. */
export interface BrowserForkOptions {
  /** Selects modules whose instances the fork takes from this host (docs/hosts.md, "What share means"). */
  share?: (url: string) => boolean;
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
  import<T extends object = ModuleNamespace>(specifier: string, parentURL?: string): Promise<T>;
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
  /** True for a host made with `hot: true`. */
  readonly hot: boolean;
  /**
   * Fetches the modules at `urls` again (relative URLs against the base URL; the HTTP cache
   * revalidates) and applies the changed ones to the running page, as the Node host's
   * `update()` does: Vite's propagation to the accepting modules, true rebinding of every importer,
   * dispose/accept/prune callbacks, all or nothing. Resolves to the report; `fullReload: true`
   * means no module accepts the change (reload the page). Rejects with ERR_MODHOST_NOT_HOT for a
   * host made without `hot: true`.
   *
   * @example
   * const host = createBrowserHost({ hot: true });
   * await host.import('./app.js');
   * new EventSource('/events').onmessage = async (e) => {
   *   const report = await host.update([e.data]);
   *   if (report.fullReload) location.reload();
   * };
   */
  update(urls: Iterable<string>): Promise<HotUpdateReport>;
  /** The URLs of every module the host has loaded (what a dev server may watch). */
  loadedURLs(): string[];
  /** Runs every module's `dispose` callbacks (importers first); resolves to the errors they threw. */
  disposeHot(): Promise<unknown[]>;
  /** Listens to every update report, including updates started by `import.meta.hot.invalidate()`. */
  onHotUpdate(listener: (report: HotUpdateReport) => void): () => void;
  /** The compile cache (`options.compileCache`), e.g. to await `flush()` or read its stats; undefined when off. */
  readonly compileCache: BrowserCompileCache | undefined;
  /**
   * Makes every later import of the module `specifier` resolves to (from `options.parentURL`,
   * default the base URL) get the factory's exports object (docs/hosts.md, "Mocks").
   */
  mock(specifier: string, factory: MockFactory, options?: MockOptions): MockHandle;
  /** A new host with this host's options, hooks, import maps and parsed sources; fresh instances. */
  fork(options?: BrowserForkOptions): BrowserHost;
  /** Drops every instance, the hooks and the mocks; later calls fail with ERR_MODHOST_HOST_DISPOSED. */
  dispose(): void;
  /** True once {@link dispose} was called. */
  readonly disposed: boolean;
}

/** What a browser host shares with its forks. */
interface BrowserFamily {
  readonly options: BrowserHostOptions;
  readonly evaluation: EvaluationMode;
  readonly baseURL: string;
  readonly fetch: FetchFunction;
  readonly warnings: string[];
  readonly resolver: BrowserResolver;
  readonly hooks: HookChains | undefined;
  readonly evaluator: (code: string, url: string) => unknown;
  /** Parsed JavaScript by response URL: a text seen before is not parsed again. */
  readonly parsed: Map<string, { readonly text: string; readonly record: ModuleSourceRecord }>;
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
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    if (options.onWarning !== undefined) options.onWarning(message);
    else (globalThis as { console?: { warn(m: string): void } }).console?.warn(`modhost import map: ${message}`);
  };
  installCompiledQueue();
  // Stack traces show modules' own lines and columns (../stack-traces.ts; Chromium is V8).
  installStackTraceMapping();
  const hooks = options.hooks === undefined ? undefined : createHookChains(options.hooks, 'createBrowserHost: hooks');
  const family: BrowserFamily = {
    options,
    evaluation,
    baseURL,
    fetch: options.fetch ?? globalFetch(),
    warnings,
    resolver: createBrowserResolver({
      baseURL,
      documentImportMaps: options.documentImportMaps !== false,
      importMap:
        options.importMap === undefined
          ? undefined
          : { map: options.importMap, baseURL: options.importMapBaseURL ?? baseURL },
      warn,
    }),
    hooks: hooks === undefined || (hooks.resolveCount === 0 && hooks.loadCount === 0) ? undefined : hooks,
    evaluator: createModuleEvaluator(evaluation),
    parsed: new Map(),
    compileCache:
      options.compileCache === undefined || options.compileCache === false
        ? undefined
        : createBrowserCompileCache(options.compileCache === true ? {} : options.compileCache, baseURL),
  };
  return createHost(family, undefined, undefined);
}

function createHost(
  family: BrowserFamily,
  parent: ShareParent | undefined,
  share: BrowserForkOptions['share'],
): BrowserHost {
  const { evaluation, baseURL, resolver, compileCache } = family;
  const hooks = family.hooks;
  const resolveHooked = hooks !== undefined && hooks.resolveCount > 0;
  const loadHooked = hooks !== undefined && hooks.loadCount > 0;
  let disposed = false;
  const checkLive = (): void => {
    if (disposed) throw createError('ERR_MODHOST_HOST_DISPOSED', 'This host was disposed (host.dispose())');
  };

  const hotEnabled = family.options.hot === true;
  const realm = createRealm({
    // Hot hosts keep each module's importers, to relink them (records/hot.ts).
    trackImporters: hotEnabled,
    evaluator: family.evaluator,
    hostHooks: { ...defaultHostHooks, HostGetSupportedImportAttributes: () => ['type'] },
  });
  const loader = createBrowserLoad({
    fetch: family.fetch,
    evaluation,
    strictMimeTypes: family.options.strictMimeTypes !== false,
    integrityOf: (url) => resolver.importMap.integrity.get(url),
  });
  const modules = new PromiseMap<Module>();
  /** JavaScript sources by URL, fetched and compiled once per host (also for {@link BrowserHost.sourceFor}). */
  const sources = new PromiseMap<JavaScriptSource>();
  const mocks = createMockRegistry({
    realm,
    // A separate instance of the real module: loaded as the host loads it, never put in its map.
    importOriginal: async (url) => (await importModule(await createModule(url, {}))) as Record<string, unknown>,
  });
  const sharing = parent === undefined || share === undefined ? undefined : createSharing(share, parent, mocks);

  /** Resolves through the hooks (when there are resolve hooks); `syncFor` when the answer is needed now. */
  function resolveRequest(
    specifier: string,
    parentURL: string,
    attributes: Readonly<Record<string, string>>,
    syncFor: string | undefined,
  ): string | Promise<string> {
    checkLive();
    if (!resolveHooked) return resolver.resolve(specifier, parentURL);
    const result = (hooks as HookChains).resolve(
      specifier,
      { parentURL, conditions: [...BROWSER_CONDITIONS], importAttributes: { ...attributes } },
      (s, c): ResolveHookResult => ({ url: resolver.resolve(s, c.parentURL ?? baseURL) }),
      { syncFor },
    );
    return isThenable(result)
      ? (result as Promise<{ url: string }>).then((r) => r.url)
      : (result as { url: string }).url;
  }

  function resolveNow(specifier: string, parentURL: string, syncFor: string): string {
    const url = resolveRequest(specifier, parentURL, {}, syncFor);
    if (isThenable(url)) throw createError('ERR_MODHOST_INTERNAL', 'a synchronous resolution returned a promise');
    return url as string;
  }

  function handlerFor(moduleBaseURL: string): ModuleHandler {
    // The host's own loader: its errors reach importers as they are (not wrapped as a user hook's).
    return hostHandler({
      importHook(specifier, attributes) {
        const target = resolveRequest(specifier, moduleBaseURL, attributes, undefined);
        const loadTarget = (url: string) => load(url, { attributes, specifier, referrer: moduleBaseURL });
        return isThenable(target) ? (target as Promise<string>).then(loadTarget) : loadTarget(target as string);
      },
      importMetaHook(meta) {
        const m = meta as Record<string, unknown>;
        m.url = moduleBaseURL;
        // HTML: import.meta.resolve converts its argument to a string and throws a TypeError when it cannot resolve.
        m.resolve = function resolveFromModule(specifier: unknown): string {
          return resolveNow(`${specifier as string}`, moduleBaseURL, 'import.meta.resolve()');
        };
        // A hot host's modules: Vite's HMR API (absent otherwise, so `if (import.meta.hot)` guards work).
        if (hotEnabled) m.hot = hot.contextFor(this as object, moduleBaseURL);
      },
    });
  }

  /** A ModuleSource for fetched text: parsed once per family (a fresh object per host: realms differ). */
  function parse(text: string, url: string): ModuleSource {
    const known = family.parsed.get(url);
    if (known !== undefined && known.text === text) return moduleSourceFromRecord(known.record);
    const source = new ModuleSource(text, { url });
    family.parsed.set(url, { text, record: moduleSourceRecordOf(source, 'a parsed source') });
    return source;
  }

  function sourceFor(url: string, context: BrowserLoadContext = {}): Promise<JavaScriptSource> {
    return sources.get(url, () =>
      loader.javascript(url, context).then((loaded) => {
        checkLive();
        if (loaded.kind !== 'text') return javascriptSource(loaded);
        const { text, responseURL } = loaded;
        const known = family.parsed.get(responseURL);
        if (compileCache === undefined || (known !== undefined && known.text === text)) {
          return { source: parse(text, responseURL), baseURL: responseURL, text };
        }
        // (what the cache gives is parsed for the family too: forks and hot updates reuse it)
        return cachedJavaScriptSource(compileCache, text, responseURL).then((cached) => {
          family.parsed.set(responseURL, { text, record: moduleSourceRecordOf(cached.source, 'a cached source') });
          return cached;
        });
      }),
    );
  }

  /** After a top-level import settles: write the cache, forget prefetched texts nobody asked for. */
  function settled(): void {
    if (compileCache === undefined) return;
    loader.clearPrefetched();
    void compileCache.flush();
  }

  /** In a hot host, remembers how a module of the map was made (to tell later whether it changed). */
  function made(key: string, module: Module, origin: BrowserModuleOrigin): Module {
    if (hotEnabled) hot.made(key, module, origin);
    return module;
  }

  async function createJsonModule(url: string, context: BrowserLoadContext): Promise<Module> {
    const text = await loader.json(url, context);
    return made(moduleMapKey(url, 'json'), jsonModule(realm, url, text), { kind: 'json', text, baseURL: url });
  }

  async function createTextModule(url: string, context: BrowserLoadContext): Promise<Module> {
    const { text, responseURL } = await loader.text(url, context);
    return made(moduleMapKey(url, 'text'), textModule(realm, text, responseURL), {
      kind: 'text',
      text,
      baseURL: responseURL,
    });
  }

  async function createWasmModule(url: string, context: BrowserLoadContext): Promise<Module> {
    const { module, responseURL } = await loader.wasm(url, context);
    const created = wasmModule(realm, module, responseURL, handlerFor(responseURL));
    return made(url, created, { kind: 'other', text: undefined, baseURL: responseURL });
  }

  function createJavaScriptModule(url: string, context: BrowserLoadContext): Promise<Module> {
    return sourceFor(url, context).then(({ source, baseURL: moduleBase, text }) =>
      made(url, createModuleInRealm(source, handlerFor(moduleBase), realm), {
        kind: text === undefined ? 'other' : 'javascript',
        text,
        baseURL: moduleBase,
      }),
    );
  }

  /** A module through the load hooks (./load-hooks.ts): their default step fetches as the host does. */
  async function createHookedModule(
    url: string,
    type: string | undefined,
    context: BrowserLoadContext,
  ): Promise<Module> {
    const { format, text, responseURL } = await loadThroughHooks(hooks as HookChains, loader, url, type, context);
    checkLive();
    if (format === 'json') {
      return made(moduleMapKey(url, 'json'), jsonModule(realm, url, text), { kind: 'json', text, baseURL: url });
    }
    return made(url, createModuleInRealm(parse(text, responseURL), handlerFor(responseURL), realm), {
      kind: 'javascript',
      text,
      baseURL: responseURL,
    });
  }

  const hot = createBrowserHot({
    modules,
    baseURL,
    resolve: (specifier, parentURL) => resolveNow(specifier, parentURL, 'import.meta.hot.accept()'),
    async refetch(key) {
      const { url, type } = parseModuleMapKey(key);
      const context = { reload: true };
      if (type === 'json') {
        // (through the load hooks when the first load went through them)
        const text = loadHooked
          ? (await loadThroughHooks(hooks as HookChains, loader, url, 'json', context)).text
          : await loader.json(url, context);
        return { origin: { kind: 'json', text, baseURL: url }, make: () => jsonModule(realm, url, text) };
      }
      if (type === 'text') {
        const { text, responseURL } = await loader.text(url, context);
        return {
          origin: { kind: 'text', text, baseURL: responseURL },
          make: () => textModule(realm, text, responseURL),
        };
      }
      if (isWasmURL(url) || evaluation !== 'eval' || compiledModule(url) !== undefined) return undefined;
      let text: string;
      let responseURL: string;
      if (loadHooked) {
        // Through the load hooks, as the module's first load went.
        ({ text, responseURL } = await loadThroughHooks(hooks as HookChains, loader, url, undefined, context));
      } else {
        const loaded = await loader.javascript(url, context);
        if (loaded.kind !== 'text') return undefined;
        ({ text, responseURL } = loaded);
      }
      return {
        origin: { kind: 'javascript', text, baseURL: responseURL },
        make() {
          const source = parse(text, responseURL);
          // host.sourceFor(url) gives the new source from now on.
          sources.replace(url, { source, baseURL: responseURL, text });
          return createModuleInRealm(source, handlerFor(responseURL), realm);
        },
      };
    },
    remake(key, record, origin) {
      const { url } = parseModuleMapKey(key);
      if (origin.kind === 'json') return jsonModule(realm, url, origin.text ?? '');
      if (origin.kind === 'text') return textModule(realm, origin.text ?? '', origin.baseURL);
      return createModuleInRealm(ModuleSourceObjectOf(record) as ModuleSource, handlerFor(origin.baseURL), realm);
    },
  });
  const notHot = (): Error =>
    createError('ERR_MODHOST_NOT_HOT', 'host.update() needs a host made with createBrowserHost({ hot: true })');

  /** Stages 2-3 for `url` (no map, no mocks). */
  function createModule(url: string, context: LoadOptions): Promise<Module> {
    const type = context.attributes?.type;
    if (
      loadHooked &&
      type !== 'text' &&
      !isWasmURL(url) &&
      evaluation === 'eval' &&
      compiledModule(url) === undefined
    ) {
      return createHookedModule(url, type, context);
    }
    return type === 'json'
      ? createJsonModule(url, context)
      : type === 'text'
        ? createTextModule(url, context)
        : isWasmURL(url)
          ? createWasmModule(url, context)
          : createJavaScriptModule(url, context);
  }

  function load(url: string, context: LoadOptions = {}): Promise<Module> {
    try {
      checkLive();
    } catch (error) {
      return Promise.reject(error);
    }
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
    if (mocks.size !== 0) {
      try {
        const mocked = mocks.moduleFor(url);
        if (mocked !== undefined) return Promise.resolve(mocked);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return modules.get(moduleMapKey(url, type), async () => {
      if (sharing !== undefined) {
        const shared = await sharing.moduleFor(url, undefined, attributes, false);
        if (shared !== undefined) return shared;
      }
      const module = await createModule(url, context);
      checkLive();
      return module;
    });
  }

  const self: BrowserHost = {
    import<T extends object = ModuleNamespace>(specifier: string, parentURL = baseURL): Promise<T> {
      try {
        const url = resolveRequest(specifier, parentURL, {}, undefined);
        const context = { specifier, referrer: parentURL === baseURL ? undefined : parentURL };
        const loadURL = (target: string): Promise<ModuleNamespace> => {
          if (hotEnabled) hot.root(target);
          if (compileCache === undefined) return load(target, context).then((module) => importModule(module));
          // Fetch the modules the compile cache saw in the last load at once (each is still checked by its key).
          return compileCache
            .open(target)
            .then((urls) => loader.prefetch(urls.filter((u) => !sources.has(u))))
            .then(() => load(target, context))
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
        };
        return (isThenable(url) ? (url as Promise<string>).then(loadURL) : loadURL(url as string)) as Promise<T>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    resolve: (specifier, parentURL = baseURL) => resolveNow(specifier, parentURL, 'host.resolve()'),
    load,
    sourceFor: (url, context) => sourceFor(url, context).then((s) => s.source),
    createModule: (source, handler) => createModuleInRealm(source, handler, realm),
    addImportMap: (map, mapBaseURL) => resolver.addImportMap(map, mapBaseURL),
    get importMap() {
      return importMapToJSON(resolver.importMap);
    },
    importMapWarnings: family.warnings,
    evaluation,
    baseURL,
    realm,
    compileCache,
    hot: hotEnabled,
    update: (urls) => (hotEnabled ? hot.update(urls) : Promise.reject(notHot())),
    loadedURLs: () => hot.loadedURLs(),
    disposeHot: () => (hotEnabled ? hot.controller.disposeAll() : Promise.resolve([])),
    onHotUpdate: (listener) => hot.controller.onUpdate(listener),
    mock(specifier, factory, mockOptions) {
      checkLive();
      checkMockArguments(specifier, factory, mockOptions);
      return mocks.add(resolveNow(specifier, mockOptions?.parentURL ?? baseURL, 'host.mock()'), factory);
    },
    fork(forkOptions = {}) {
      checkLive();
      checkForkOptions(forkOptions);
      return createHost(family, shareParent, forkOptions.share);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      modules.clear();
      sources.clear();
      mocks.clear();
    },
    get disposed() {
      return disposed;
    },
  };
  const shareParent: ShareParent = {
    mocks,
    moduleFor: (url, _format, attributes) => load(url, { attributes }),
    loadedModule: (url) => modules.settled(moduleMapKey(url, undefined)),
  };
  return self;
}
