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
import { createRealm } from '../../api/realm.js';
import type { CommonJSRuntime } from '../../commonjs/index.js';
import { defaultHostHooks, GetModuleNamespace, type Realm } from '../../records/index.js';
import { installStackTraceMapping, registerCompiledCode } from '../stack-traces.js';
import type { CompileCache } from './compile-cache.js';
import { evaluateWithVm } from './evaluator.js';
import { createHostCommonJS, type NodeHostCommonJSOptions } from './host-commonjs.js';
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
}

export interface NodeHost {
  /** Resolves `specifier` from `parentURL` (default: the working directory) and imports it. */
  import(specifier: string, parentURL?: string): Promise<ModuleNamespace>;
  /**
   * Like `import`, for a program's main module: loads, links and evaluates it but does not make
   * its namespace (which nothing would observe; for an index module with hundreds of
   * re-exports, building it is a noticeable part of a warm start). The first module run is the
   * host's entry point: its `import.meta.main` is true (on a Node that has `import.meta.main`).
   */
  run(specifier: string, parentURL?: string): Promise<void>;
  /** Resolves like `import.meta.resolve`. */
  resolve(specifier: string, parentURL: string): string;
  /** The Module for a URL (creating it on first use), checking the import attributes. */
  moduleFor(url: string, format: string | undefined, attributes?: Readonly<Record<string, string>>): Module;
  /**
   * The format Node loads the file at `url` in when it is the program's entry or an `import`
   * target: 'module', 'commonjs', 'module-typescript', 'commonjs-typescript', 'json', 'wasm',
   * 'builtin'; an ambiguous `.js` or `.ts` file (no package "type") is read and decided by its syntax.
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
  const realm = createRealm({
    evaluator(code, url) {
      registerCompiledCode(url, code);
      // With a compile cache, V8's code cache for each module's compiled code is stored too.
      return compileCache === undefined ? evaluateWithVm(code, url) : compileCache.evaluate(code, url);
    },
    hostHooks: {
      ...defaultHostHooks,
      HostLoadImportedModule: (...args) => loader.hostLoadImportedModule(...args),
      HostGetSupportedImportAttributes: () => ['type'],
    },
  });
  /** The program's entry point (`run`): its `import.meta.main` is true. */
  let mainURL: string | undefined;
  const handlerFor = (url: string) =>
    importMetaHandler(
      url,
      (specifier, parentURL) => loader.resolve(specifier, parentURL).url,
      (moduleURL) => moduleURL === mainURL,
    );
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
  const load = createNodeLoad({
    countBytes: (bytes) => (stats.bytesParsed += bytes),
    detectFormat: (url, text) => commonjs.detect(url, text),
    packageScope(url) {
      const scope = resolver.packageJson.getPackageScopeConfig(url);
      return { type: scope.type, pjsonPath: scope.exists ? scope.pjsonPath : undefined };
    },
  });
  const loader = createNodeLoader({
    realm,
    resolver,
    stats,
    translators,
    load,
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
    if (!url.startsWith('file:')) return format;
    if (format === undefined)
      return commonjs.detect(url, readModuleText(url, { specifier: undefined, referrer: undefined }));
    // A `.ts` file without a package "type" is decided by the load step, from its stripped text.
    if (format === 'module-typescript')
      return load.load(url, format, { specifier: undefined, referrer: undefined }).format;
    return format;
  }

  return {
    realm,
    stats,
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
      mainURL ??= resolved.url;
      await loader.evaluate(resolved.url, resolved.format);
    },
  };
}
