/**
 * The Node host: ES modules from disk through modhost, with Node's resolution (`exports`,
 * `imports`, conditions), `node:` built-ins and JSON modules as source-less modules, and
 * `import.meta.url` / `filename` / `dirname` / `resolve`. One Module instance per resolved URL per
 * host, so a graph is shared as in Node; a fresh host gives fresh instances (per-test isolation).
 *
 * This file puts the parts together: the loader (./loader.ts: resolve → load → translate →
 * instantiate, and the module map), the translators (./translators.ts), the realm, and the
 * CommonJS side (./host-commonjs.ts: modhost's own CommonJS runtime, one per host, with Node's
 * interop: `import` of CommonJS, `require()` of ES modules, `import()` from CommonJS, and the
 * format of an ambiguous `.js` file decided by its syntax).
 */
import { pathToFileURL } from 'node:url';
import type { ModuleNamespace } from '../../api/import-module.js';
import { createModuleInRealm, type Module } from '../../api/module.js';
import { ModuleSource } from '../../api/module-source.js';
import { createRealm, evaluateWithIndirectEval } from '../../api/realm.js';
import type { CommonJSRuntime } from '../../commonjs/index.js';
import { createError } from '../../errors/codes.js';
import type { HotUpdateReport } from '../../hot/index.js';
import { defaultHostHooks, GetModuleNamespace, type Realm } from '../../records/index.js';
import { installStackTraceMapping, registerCompiledCode } from '../stack-traces.js';
import type { CompileCache } from './compile-cache.js';
import { evaluateWithVm } from './evaluator.js';
import { createHostCommonJS, type NodeHostCommonJSOptions } from './host-commonjs.js';
import { createNodeHot } from './hot.js';
import { importMetaHandler } from './import-meta.js';
import { createNodeLoad, readModuleText } from './load.js';
import { createNodeLoader, type NodeHostStats, recordOfModule } from './loader.js';
import { createResolver, type ModuleFormat } from './resolve.js';
import { createTranslators } from './translators.js';

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
   * Hot module replacement: every ES module gets `import.meta.hot` (Vite's HMR API; CommonJS
   * modules `module.hot`), and `host.update(urls)` applies edited files to the running program
   * with true rebinding. Off by default (then `import.meta.hot` is undefined and nothing of it
   * costs anything).
   */
  hot?: boolean;
}

export interface NodeHost {
  /** Resolves `specifier` from `parentURL` (default: the working directory) and imports it. */
  import(specifier: string, parentURL?: string): Promise<ModuleNamespace>;
  /**
   * Like `import`, for a program's main module: loads, links and evaluates it but does not make
   * its namespace (which nothing would observe; for an index module with hundreds of
   * re-exports, building it is a noticeable part of a warm start).
   */
  run(specifier: string, parentURL?: string): Promise<void>;
  /** Resolves like `import.meta.resolve`. */
  resolve(specifier: string, parentURL: string): string;
  /** The Module for a URL (creating it on first use), checking the import attributes. */
  moduleFor(url: string, format: string | undefined, attributes?: Readonly<Record<string, string>>): Module;
  /**
   * The format Node loads the file at `url` in when it is the program's entry or an `import`
   * target: 'module', 'commonjs', 'json', 'wasm', 'builtin'; an ambiguous `.js` file (no package
   * "type") is read and decided by its syntax.
   */
  formatOf(url: string): string | undefined;
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

function cwdURL(): string {
  return pathToFileURL(`${process.cwd()}/`).href;
}

/** Creates a Node host. */
export function createNodeHost(options: NodeHostOptions = {}): NodeHost {
  const conditions = options.conditions ?? DEFAULT_CONDITIONS;
  // `require` matches the same conditions with 'require' in place of 'import' (as Node's --conditions adds to both).
  const requireConditions = conditions.map((c) => (c === 'import' ? 'require' : c));
  const resolver = createResolver({ conditions, requireConditions });
  const compileCache = options.compileCache;
  const stats: NodeHostStats = {
    modules: 0,
    bytesParsed: 0,
    cacheHits: 0,
    resolveMs: 0,
    compileMs: 0,
    linkMs: 0,
    evaluateMs: 0,
  };
  // The parts refer to each other (the realm's HostLoadImportedModule is the loader's; the loader
  // translates CommonJS files through the CommonJS side, which imports through the loader): each
  // reference below is only followed once the host is built.
  // Stack traces show modules' own lines and columns (../stack-traces.ts).
  installStackTraceMapping();
  const hotEnabled = options.hot === true;
  const realm = createRealm({
    // Hot hosts keep each module's importers, to relink them (records/hot.ts).
    trackImporters: hotEnabled,
    evaluator(code, url) {
      registerCompiledCode(url, code);
      // A hot update's new code is evaluated as a global script (indirect eval): each vm.Script
      // Node 20 makes keeps about a kilobyte alive for the life of the process, which an editing
      // session would pile up.
      if (hotEnabled && hot.controller.updating) return evaluateWithIndirectEval(code);
      // With a compile cache, V8's code cache for each module's compiled code is stored too.
      return compileCache === undefined ? evaluateWithVm(code, url) : compileCache.evaluate(code, url);
    },
    hostHooks: {
      ...defaultHostHooks,
      HostLoadImportedModule: (...args) => loader.hostLoadImportedModule(...args),
      HostGetSupportedImportAttributes: () => ['type'],
    },
  });
  const resolveURL = (specifier: string, parentURL: string) => loader.resolve(specifier, parentURL).url;
  const handlerFor = hotEnabled
    ? (url: string) => importMetaHandler(url, resolveURL, (handler, at) => hot.contextFor(handler, at))
    : (url: string) => importMetaHandler(url, resolveURL);
  const translators = createTranslators({
    realm,
    compileCache,
    handlerFor,
    commonJSRecord: (url, text) => commonjs.moduleRecord(url, text),
    countCompile(milliseconds, cacheHit) {
      stats.compileMs += milliseconds;
      if (cacheHit) stats.cacheHits += 1;
    },
  });
  const hot = createNodeHot({ realm, loader: () => loader, commonjs: () => commonjs, translators, handlerFor });
  const loader = createNodeLoader({
    realm,
    ...(hotEnabled ? { onModule: hot.onModule } : {}),
    resolver,
    stats,
    translators,
    load: createNodeLoad({
      countBytes: (bytes) => (stats.bytesParsed += bytes),
      detectFormat: (url, text) => commonjs.detect(url, text),
    }),
  });
  const commonjs = createHostCommonJS({
    realm,
    resolver,
    requireConditions,
    options: options.commonjs ?? {},
    moduleRecordFor: (url, format) => recordOfModule(loader.moduleFor(url, format)),
    importFrom: loader.dynamicImport,
    facadeRecord: (text, url) =>
      recordOfModule(createModuleInRealm(new ModuleSource(text, { url }), handlerFor(url), realm)),
    hot: hotEnabled ? { onModule: hot.onCommonJSModule } : undefined,
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
    const format: ModuleFormat = resolver.resolve(url, url).format;
    if (format !== undefined || !url.startsWith('file:')) return format;
    return commonjs.detect(url, readModuleText(url, { specifier: undefined, referrer: undefined }));
  }

  const notHot = (): Error =>
    createError('ERR_MODHOST_NOT_HOT', 'host.update() needs a host made with createNodeHost({ hot: true })');

  return {
    realm,
    stats,
    hot: hotEnabled,
    update: (urls) => (hotEnabled ? hot.update(urls) : Promise.reject(notHot())),
    loadedFiles: () => hot.loadedFiles(),
    disposeHot: () => (hotEnabled ? hot.controller.disposeAll() : Promise.resolve([])),
    onHotUpdate: (listener) => hot.controller.onUpdate(listener),
    resolve: (specifier, parentURL) => loader.resolve(specifier, parentURL).url,
    moduleFor: (url, format, attributes) => loader.moduleFor(url, format, attributes),
    formatOf,
    get commonjs() {
      return commonjs.runtime;
    },
    import(specifier, parentURL = cwdURL()) {
      try {
        const resolved = loader.resolve(specifier, parentURL);
        return importNamespace(resolved.url, resolved.format);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async run(specifier, parentURL = cwdURL()) {
      const resolved = loader.resolve(specifier, parentURL);
      await loader.evaluate(resolved.url, resolved.format);
    },
  };
}
