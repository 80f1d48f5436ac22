/**
 * The Node host: ES modules from disk through modhost, with Node's resolution (`exports`,
 * `imports`, conditions), `node:` built-ins and JSON modules as source-less modules, and
 * `import.meta.url` / `filename` / `dirname` / `resolve`. One Module instance per resolved URL per
 * host, so a graph is shared as in Node; a fresh host (or a fork) gives fresh instances.
 *
 * This file puts the parts together: the loader (./loader.ts: resolve → load → translate →
 * instantiate, and the module map), the translators (./translators.ts), the realm, and the
 * CommonJS side (./host-commonjs.ts: modhost's own CommonJS runtime, one per host, with Node's
 * interop: `import` of CommonJS, `require()` of ES modules, `import()` from CommonJS, and the
 * format of an ambiguous `.js` file decided by its syntax).
 *
 * Programmable hosts (docs/hosts.md): resolve/load hooks (`hooks` option, ../hooks/chain.ts),
 * mocks (`host.mock`, ../hooks/mocks.ts), forks (`host.fork`, ../hooks/share.ts) and `host.dispose()`.
 * A host and its forks form a *family* that shares what does not depend on instances: options,
 * hooks, the resolver's caches, the analysed and compiled sources, the evaluator (so V8 compiles
 * each module's code once), the compile cache.
 */
import { importModule, type ModuleNamespace } from '../../api/import-module.js';
import { createModuleFromSourceRecord, type Module, moduleFromRecord } from '../../api/module.js';
import { createRealm, evaluateWithIndirectEval } from '../../api/realm.js';
import type { CommonJSRuntime } from '../../commonjs/index.js';
import { createError } from '../../errors/codes.js';
import type { HotUpdateReport } from '../../hot/index.js';
import { defaultHostHooks, GetModuleNamespace, type Realm } from '../../records/index.js';
import { createModuleSourceRecord } from '../../source/index.js';
import { createHookChains, type HookChains, isThenable, type ModuleHooks } from '../hooks/chain.js';
import {
  checkMockArguments,
  createMockRegistry,
  type MockFactory,
  type MockHandle,
  type MockOptions,
} from '../hooks/mocks.js';
import { checkForkOptions, createSharing, type ShareParent } from '../hooks/share.js';
import { installStackTraceMapping, registerCompiledCode } from '../stack-traces.js';
import type { CompileCache } from './compile-cache.js';
import { evaluateWithVm } from './evaluator.js';
import { createHostCommonJS, type NodeHostCommonJSOptions } from './host-commonjs.js';
import { createNodeHot } from './hot.js';
import { fillImportMeta, importMetaHandler } from './import-meta.js';
import { createNodeLoad, readModuleText } from './load.js';
import { createNodeLoader, cwdParent, type NodeHostStats, type NodeLoader, recordOfModule } from './loader.js';
import { checkAmbiguousExtension } from './resolve/esm.js';
import { createResolver, type ModuleFormat, type Resolver } from './resolve.js';
import { createTranslators, type FamilySource, type FamilySources } from './translators.js';

export type { NodeHostStats } from './loader.js';

export interface NodeHostOptions {
  /** Export/import conditions, in priority order. Default: ['modhost', 'import', 'node', 'default']. */
  conditions?: readonly string[];
  /** A persistent compile cache (see createCompileCache), or undefined for none. */
  compileCache?: CompileCache;
  /**
   * The host's CommonJS runtime: roots for top-level ids, extra globals, onMissing, base folder.
   * `require` uses the conditions given here with 'import' replaced by 'require' (default:
   * ['modhost', 'require', 'node', 'default']).
   */
  commonjs?: NodeHostCommonJSOptions;
  /**
   * Resolve and load hooks in the shape of Node's `module.registerHooks()`; `hooks[0]` is called
   * first, and its `nextResolve` / `nextLoad` calls `hooks[1]`, … then the host's own steps. They
   * apply to every request of the host: `import`, `import()`, `import.meta.resolve`, `require`,
   * `require.resolve`, and `host.import` / `resolve` / `mock`. See docs/hosts.md.
   *
   * @example
   * const host = createNodeHost({ hooks: [{
   *   resolve: (specifier, context, next) =>
   *     specifier === 'api' ? { url: 'memory:/api.js', shortCircuit: true } : next(specifier, context),
   *   load: (url, context, next) =>
   *     url === 'memory:/api.js' ? { format: 'module', source: 'export const v = 1;', shortCircuit:
   *     true } : next(url, context),
   * }] });
   */
  hooks?: readonly ModuleHooks[];
  /**
   * Hot module replacement: every ES module gets `import.meta.hot` (Vite's HMR API; CommonJS
   * modules `module.hot`), and `host.update(urls)` applies edited files to the running program
   * with true rebinding. Off by default (then `import.meta.hot` is undefined and nothing of it
   * costs anything). Forks of a hot host are hot too.
   */
  hot?: boolean;
}

/** Options of {@link NodeHost.fork}. */
export interface ForkOptions {
  /**
   * Selects modules whose evaluated instances the fork takes from this host instead of making its
   * own (e.g. `(url) => url.includes('/node_modules/')`). A module is shared only when its whole
   * static import closure is, and nothing in it is mocked (docs/hosts.md, "What share means").
   */
  share?: (url: string) => boolean;
}

export interface NodeHost {
  /**
   * Resolves `specifier` from `parentURL` (default: the working directory) and imports it.
   * `import<T>(…)` types the namespace (`Promise<T>`).
   */
  import<T extends object = ModuleNamespace>(specifier: string, parentURL?: string): Promise<T>;
  /**
   * Like `import`, for a program's main module: loads, links and evaluates it but does not make
   * its namespace (which nothing would observe; for an index module with hundreds of
   * re-exports, building it is a noticeable part of a warm start). The first module run is the
   * host's entry point: its `import.meta.main` is true (on a Node that has `import.meta.main`).
   */
  run(specifier: string, parentURL?: string): Promise<void>;
  /** Resolves like `import.meta.resolve` (hooks included; they must answer synchronously). */
  resolve(specifier: string, parentURL: string): string;
  /** The Module for a URL (creating it on first use), checking the import attributes. */
  moduleFor(url: string, format: string | undefined, attributes?: Readonly<Record<string, string>>): Module;
  /**
   * The format Node loads the file at `url` in when it is the program's entry or an `import`
   * target: 'module', 'commonjs', 'module-typescript', 'commonjs-typescript', 'json', 'wasm',
   * 'builtin'; an ambiguous `.js` or `.ts` file (no package "type") is read and decided by its syntax.
   * With load hooks, the format they give.
   */
  formatOf(url: string): string | undefined;
  /**
   * Makes every later import or `require` of the module `specifier` resolves to (from
   * `options.parentURL`, default the working directory) get the factory's exports object instead,
   * at any depth of the graph, ES and CommonJS importers alike. `factory(importOriginal)` runs
   * once, on first use; `importOriginal()` loads a separate instance of the real module.
   *
   * @example
   * const { restore } = host.mock('./db.js', async (importOriginal) => ({
   *   ...(await importOriginal()),
   *   query: async () => [{ id: 1 }],
   * }), { parentURL: import.meta.url });
   * @throws ERR_MODHOST_INVALID_ARGUMENT, the resolution's errors, ERR_MODHOST_HOST_DISPOSED
   */
  mock(specifier: string, factory: MockFactory, options?: MockOptions): MockHandle;
  /**
   * A new host with this host's options and hooks and its analysed and compiled sources (nothing
   * is parsed again), fresh module instances (except those `share` selects), no mocks.
   *
   * @example
   * const fork = host.fork({ share: (url) => url.includes('/node_modules/') });
   * await fork.import('./app.js', import.meta.url); // fresh app instances, shared packages
   * fork.dispose();
   */
  fork(options?: ForkOptions): NodeHost;
  /**
   * Drops every instance, the CommonJS runtime and its cache, the hooks and the mocks. Later
   * calls fail with ERR_MODHOST_HOST_DISPOSED (imports reject); so do loads in progress.
   * Idempotent. A parent's instances that a fork shared stay the parent's.
   */
  dispose(): void;
  /** True once {@link dispose} was called. */
  readonly disposed: boolean;
  /**
   * The host's CommonJS runtime (created on first use): `require` / `use(id)` / `cache` /
   * `define`. Its modules and the host's ES modules see each other (`require` of ES modules,
   * `import` of CommonJS modules, `import()` from CommonJS code).
   */
  readonly commonjs: CommonJSRuntime;
  readonly stats: NodeHostStats;
  readonly realm: Realm;
  /** True for a host made with `hot: true`. */
  readonly hot: boolean;
  /**
   * Applies changes to files (or URLs) the host loaded, without restarting the program (a host
   * made with `hot: true`; otherwise the promise rejects with ERR_MODHOST_NOT_HOT). Each file is
   * read again (through the load stage, so load hooks see it); unchanged files are skipped. The
   * changed modules' importers are walked up to the modules that accept the change
   * (`import.meta.hot.accept`, Vite's propagation); the modules in between are evaluated again,
   * after their `dispose` callbacks; every importer, at any distance, reads the new instances'
   * bindings (true rebinding) without being evaluated again; then the accept callbacks run. With
   * no accepting module the report says `fullReload: true` and nothing is applied. A parse, load,
   * link or evaluation error of the new code leaves the running modules as they were and is the
   * report's `error`. Updates run one at a time.
   *
   * @example
   * const host = createNodeHost({ hot: true });
   * await host.import('./app.js', import.meta.url);
   * // … app.js's dependency counter.js was edited …
   * const report = await host.update([new URL('./counter.js', import.meta.url).href]);
   * report.updated;    // ['file:///…/counter.js']
   * report.fullReload; // false when app.js (or counter.js itself) accepts it
   */
  update(urls: Iterable<string>): Promise<HotUpdateReport>;
  /** The file: URLs of every module the host loaded (ES modules, JSON, CommonJS, …): what to watch. */
  loadedFiles(): string[];
  /**
   * Runs every module's `dispose` callbacks (importers first), as a full reload in the same
   * process does before running the program again in a fresh host. Resolves to the errors they threw.
   */
  disposeHot(): Promise<unknown[]>;
  /** Listens to every update report, including updates started by `import.meta.hot.invalidate()`. */
  onHotUpdate(listener: (report: HotUpdateReport) => void): () => void;
}

const DEFAULT_CONDITIONS = ['modhost', 'import', 'node', 'default'] as const;

/** What a host shares with its forks (and they with theirs). */
interface HostFamily {
  readonly options: NodeHostOptions;
  readonly conditions: readonly string[];
  readonly requireConditions: readonly string[];
  readonly hooks: HookChains | undefined;
  readonly resolver: Resolver;
  readonly compileCache: CompileCache | undefined;
  /** One evaluator for the family: V8 compiles each module's code once (records/ keys by evaluator). */
  readonly evaluator: (code: string, url: string) => unknown;
  /** Analysed sources, recorded once the family has a fork (./translators.ts FamilySources). */
  readonly sources: FamilySources & { active: boolean };
  readonly exportNames: Map<string, Set<string>>;
  readonly formats: Map<string, 'module' | 'commonjs'>;
  /** Hot updates of the family's hosts in progress (their new code is evaluated differently). */
  hotUpdates: number;
  /** A hot family: the URLs whose code it has evaluated (a new text of one is evaluated differently). */
  readonly evaluatedURLs: Set<string> | undefined;
}

function familySources(): FamilySources & { active: boolean } {
  const byURL = new Map<string, FamilySource>();
  return {
    active: false,
    get: (url) => byURL.get(url),
    set: (url, source) => {
      byURL.set(url, source);
    },
  };
}

function createFamily(options: NodeHostOptions): HostFamily {
  const conditions = options.conditions ?? DEFAULT_CONDITIONS;
  // `require` matches the same conditions with 'require' in place of 'import' (as Node's --conditions adds to both).
  const requireConditions = conditions.map((c) => (c === 'import' ? 'require' : c));
  const compileCache = options.compileCache;
  const hooks = options.hooks === undefined ? undefined : createHookChains(options.hooks, 'createNodeHost: hooks');
  const family: HostFamily = {
    options,
    conditions,
    requireConditions,
    hooks: hooks === undefined || (hooks.resolveCount === 0 && hooks.loadCount === 0) ? undefined : hooks,
    resolver: createResolver({ conditions, requireConditions }),
    compileCache,
    evaluator(code, url) {
      registerCompiledCode(url, code);
      // A hot update's new code, and a hot family's new text of a URL it evaluated before (a
      // re-run under --watch), is evaluated as a global script (indirect eval): each vm.Script
      // Node 20 makes keeps about a kilobyte alive for the life of the process, which an editing
      // session would pile up.
      if (family.hotUpdates > 0) return evaluateWithIndirectEval(code);
      if (family.evaluatedURLs !== undefined) {
        if (family.evaluatedURLs.has(url)) return evaluateWithIndirectEval(code);
        family.evaluatedURLs.add(url);
      }
      // With a compile cache, V8's code cache for each module's compiled code is stored too.
      return compileCache === undefined ? evaluateWithVm(code, url) : compileCache.evaluate(code, url);
    },
    sources: familySources(),
    exportNames: new Map(),
    formats: new Map(),
    hotUpdates: 0,
    evaluatedURLs: options.hot === true ? new Set() : undefined,
  };
  return family;
}

/** What a fork needs of the host it was forked from. */
interface HostInternals {
  readonly family: HostFamily;
  readonly shareParent: ShareParent;
  checkLive(): void;
}

/** Creates a Node host. */
export function createNodeHost(options: NodeHostOptions = {}): NodeHost {
  return createHost(createFamily(options), undefined, undefined);
}

function createHost(family: HostFamily, parent: HostInternals | undefined, share: ForkOptions['share']): NodeHost {
  const { conditions, requireConditions, resolver, compileCache } = family;
  const stats: NodeHostStats = {
    modules: 0,
    bytesParsed: 0,
    cacheHits: 0,
    resolveMs: 0,
    compileMs: 0,
    linkMs: 0,
    evaluateMs: 0,
  };
  let disposed = false;
  function checkLive(): void {
    if (disposed) throw createError('ERR_MODHOST_HOST_DISPOSED', 'This host was disposed (host.dispose())');
  }
  // The parts refer to each other (the realm's HostLoadImportedModule is the loader's; the loader
  // translates CommonJS files through the CommonJS side, which imports through the loader): each
  // reference below is only followed once the host is built.
  // Stack traces show modules' own lines and columns (../stack-traces.ts).
  installStackTraceMapping();
  const hotEnabled = family.options.hot === true;
  const realm = createRealm({
    // Hot hosts keep each module's importers, to relink them (records/hot.ts).
    trackImporters: hotEnabled,
    evaluator: family.evaluator,
    hostHooks: {
      ...defaultHostHooks,
      HostLoadImportedModule: (...args) => loader.hostLoadImportedModule(...args),
      HostGetSupportedImportAttributes: () => ['type'],
      // `import.meta` of the host's ES modules (a hot host's have handlers that make it).
      HostFinalizeImportMeta(meta, record) {
        if (record.hostDefined === hostModule)
          fillImportMeta(meta as Record<string, unknown>, record.source.url, resolveURL, isMain);
      },
    },
  });
  /** The [[HostDefined]] of the host's ES modules (other modules of its realm get no host `import.meta`). */
  const hostModule = Object.freeze({ host: 'node' });
  const moduleOptions = { hostDefined: hostModule };
  /** The program's entry point (`run`): its `import.meta.main` is true. */
  let mainURL: string | undefined;
  const resolveURL = (specifier: string, parentURL: string) =>
    loader.resolveNow(specifier, parentURL, 'import.meta.resolve()').url;
  const isMain = (moduleURL: string) => moduleURL === mainURL;
  const hotHandlerFor = (url: string) =>
    importMetaHandler(url, resolveURL, isMain, (handler, at) => hot.contextFor(handler, at));
  const handlerFor = hotEnabled ? hotHandlerFor : () => undefined;
  const translators = createTranslators({
    realm,
    compileCache,
    handlerFor,
    commonJSRecord: (url, text) => commonjs.moduleRecord(url, text),
    countCompile(milliseconds, cacheHit) {
      stats.compileMs += milliseconds;
      if (cacheHit) stats.cacheHits += 1;
    },
    sources: family.sources,
    keyByText: hotEnabled,
    moduleOptions,
  });
  const mocks = createMockRegistry({
    realm,
    // A separate instance of the real module: loaded as the host loads it, never put in its map.
    importOriginal: async (url) => (await importModule(await loader.instantiate(url))) as Record<string, unknown>,
  });
  const sharing =
    parent === undefined || share === undefined ? undefined : createSharing(share, parent.shareParent, mocks);
  /** The package.json scoping a URL: its "type" and path (none when there is no package.json). */
  const packageScope = (url: string) => {
    const scope = resolver.packageJson.getPackageScopeConfig(url);
    return { type: scope.type, pjsonPath: scope.exists ? scope.pjsonPath : undefined };
  };
  const load = createNodeLoad({
    countBytes: (bytes) => (stats.bytesParsed += bytes),
    detectFormat: (url, text) => commonjs.detect(url, text),
    packageScope,
  });
  const hot = createNodeHot({
    realm,
    loader: () => loader,
    commonjs: () => commonjs,
    translators,
    handlerFor: hotHandlerFor,
    updating(active) {
      family.hotUpdates += active ? 1 : -1;
    },
  });
  const loader: NodeLoader = createNodeLoader({
    ...(hotEnabled ? { onModule: hot.onModule } : {}),
    realm,
    resolver,
    stats,
    translators,
    conditions,
    hooks: family.hooks,
    mocks,
    shared: sharing,
    checkLive,
    detectFormat: (url, text) => commonjs.detect(url, text),
    packageScope,
    freshCommonJS: (url, text) => moduleFromRecord(commonjs.freshRecord(url, text)),
    load,
  });
  const commonjs = createHostCommonJS({
    realm,
    resolver,
    requireConditions,
    options: family.options.commonjs ?? {},
    hooks: family.hooks,
    mocks,
    sharing,
    shared: family,
    checkLive,
    synchronously: (fn) => loader.synchronously('require()', fn),
    moduleRecordFor: (url, format) => recordOfModule(loader.moduleNow(url, format, 'require()')),
    importFrom: loader.dynamicImport,
    facadeRecord: (text, url) =>
      recordOfModule(
        createModuleFromSourceRecord(createModuleSourceRecord(text, { url }), handlerFor(url), realm, moduleOptions),
      ),
    hot: hotEnabled ? { onModule: hot.onCommonJSModule } : undefined,
    compileCache,
    parsesAsModule(text, url) {
      try {
        translators.compile(text, url);
        return true;
      } catch {
        return false;
      }
    },
  });

  async function importNamespace(url: string, format: string | undefined): Promise<ModuleNamespace> {
    const record = await loader.evaluate(url, format);
    return GetModuleNamespace(record) as ModuleNamespace;
  }

  function formatOf(url: string): string | undefined {
    checkLive();
    if (family.hooks !== undefined && family.hooks.loadCount > 0) {
      // What the load hooks say (the module is loaded into the map now; loading it later reuses it).
      const module = loader.moduleNow(url, resolver.resolve(url, url).format, 'host.formatOf()');
      const record = recordOfModule(module);
      if (commonjs.isCommonJSRecord(record)) return 'commonjs';
      return record.kind === 'source-text' ? 'module' : (resolver.resolve(url, url).format ?? 'module');
    }
    const format: ModuleFormat = resolver.resolve(url, url).format;
    if (!url.startsWith('file:')) return format;
    if (format === undefined) {
      // As Node's main entry: a "module" package scope runs it with the ES loader, which knows no
      // other extension than .js (and none); elsewhere the CommonJS loader runs any file as .js.
      if (resolver.packageJson.getPackageScopeConfig(url).type === 'module') checkAmbiguousExtension(url);
      return commonjs.detect(url, readModuleText(url, { specifier: undefined, referrer: undefined }));
    }
    // A `.ts` file without a package "type" is decided by the load step, from its stripped text.
    if (format === 'module-typescript')
      return load.load(url, format, { specifier: undefined, referrer: undefined }).format;
    return format;
  }

  const notHot = (): Error =>
    createError('ERR_MODHOST_NOT_HOT', 'host.update() needs a host made with createNodeHost({ hot: true })');

  const self: NodeHost = {
    realm,
    stats,
    hot: hotEnabled,
    update: (urls) => (hotEnabled ? hot.update(urls) : Promise.reject(notHot())),
    loadedFiles: () => hot.loadedFiles(),
    disposeHot: () => (hotEnabled ? hot.controller.disposeAll() : Promise.resolve([])),
    onHotUpdate: (listener) => hot.controller.onUpdate(listener),
    resolve: (specifier, parentURL) => loader.resolveNow(specifier, parentURL, 'host.resolve()').url,
    moduleFor(url, format, attributes) {
      const module = loader.moduleFor(url, format, attributes, undefined, undefined, 'host.moduleFor()');
      if (isThenable(module)) throw createError('ERR_MODHOST_INTERNAL', 'host.moduleFor() got a promise');
      return module as Module;
    },
    formatOf,
    get commonjs() {
      return commonjs.runtime;
    },
    import<T extends object = ModuleNamespace>(specifier: string, parentURL = cwdParent()): Promise<T> {
      try {
        const resolved = loader.resolve(specifier, parentURL);
        const namespace = isThenable(resolved)
          ? (resolved as Promise<{ url: string; format: ModuleFormat }>).then((r) => importNamespace(r.url, r.format))
          : importNamespace((resolved as { url: string }).url, (resolved as { format: ModuleFormat }).format);
        return namespace as Promise<T>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async run(specifier, parentURL = cwdParent()) {
      const resolved = await loader.resolve(specifier, parentURL);
      mainURL ??= resolved.url;
      await loader.evaluate(resolved.url, resolved.format);
    },
    mock(specifier, factory, mockOptions) {
      checkLive();
      checkMockArguments(specifier, factory, mockOptions);
      const url = loader.resolveNow(specifier, mockOptions?.parentURL ?? cwdParent(), 'host.mock()').url;
      return mocks.add(url, factory);
    },
    fork(forkOptions = {}) {
      checkLive();
      checkForkOptions(forkOptions);
      if (!family.sources.active) {
        // The first fork: the family starts recording, from what this host compiled so far.
        family.sources.active = true;
        for (const module of loader.modules()) {
          const record = recordOfModule(module);
          if (record.kind === 'source-text' && record.source.compiled.generatorFunction === undefined) {
            // (a hot family keys sources by text: only those whose text is known)
            const text = hotEnabled ? hot.textOf(record) : undefined;
            if (hotEnabled && text === undefined) continue;
            family.sources.set(record.source.url, { record: record.source, text });
          }
        }
      }
      return createHost(family, own, forkOptions.share);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      loader.clear();
      mocks.clear();
      commonjs.clear();
    },
    get disposed() {
      return disposed;
    },
  };
  const own: HostInternals = {
    family,
    checkLive,
    shareParent: {
      mocks,
      moduleFor: (url, format, attributes, syncFor) => {
        checkLive();
        const module = loader.moduleFor(url, format, attributes, undefined, undefined, syncFor);
        return module;
      },
      loadedModule: (url) => loader.loadedModule(url, {}),
      isCommonJSRecord: (record) => commonjs.isCommonJSRecord(record),
      requireCommonJS: (uri) => (disposed ? undefined : commonjs.requireURI(uri)),
      cachedCommonJS: (uri) => commonjs.cachedURI(uri),
    },
  };
  return self;
}
