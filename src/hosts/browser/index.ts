/**
 * modhost/browser: the browser host (fetch, import maps, `import.meta`), CommonJS with
 * `define.use`, and registration of precompiled modules for pages that forbid eval.
 *
 * @example
 * import { createBrowserHost, createBrowserCommonJS } from 'modhost/browser';
 * const host = createBrowserHost();
 * const ns = await host.import('./app.js');
 * const cjs = createBrowserCommonJS();
 * await cjs.define.use('./legacy/main');
 */

export type { HotContext, HotUpdateReport, ImportMetaHot } from '../../hot/index.js';
export type {
  LoadHook,
  LoadHookContext,
  LoadHookResult,
  ModuleHooks,
  NextLoad,
  NextResolve,
  ResolveHook,
  ResolveHookContext,
  ResolveHookResult,
} from '../hooks/chain.js';
export type { MockFactory, MockHandle, MockOptions } from '../hooks/mocks.js';
export {
  type BrowserCommonJS,
  type BrowserCommonJSOptions,
  type BrowserDefine,
  createBrowserCommonJS,
} from './commonjs.js';
export {
  addDefaultExtension,
  type BrowserLoader,
  type BrowserLoaderOptions,
  createBrowserLoader,
} from './commonjs-loader.js';
export type {
  BrowserCompileCache,
  BrowserCompileCacheOptions,
  BrowserCompileCacheStats,
  CacheStorageLike,
} from './compile-cache.js';
export {
  COMPILED_FORMAT,
  type CompiledBundle,
  type CompiledCommonJSModule,
  type CompiledEntry,
  type CompiledESModule,
  type CompiledJSON,
  compiledModule,
  compiledModuleCount,
  installCompiledQueue,
  registerCompiled,
} from './compiled.js';
export type { EvaluationMode } from './evaluator.js';
export type { FetchFunction } from './fetch-text.js';
export {
  type BrowserForkOptions,
  type BrowserHost,
  type BrowserHostOptions,
  createBrowserHost,
  type LoadOptions,
} from './host.js';
export {
  EMPTY_IMPORT_MAP,
  type ImportMap,
  importMapToJSON,
  mergeImportMaps,
  parseImportMap,
  type ResolvedModuleRecord,
  resolveModuleSpecifier,
  resolveURLLikeModuleSpecifier,
  type SpecifierMap,
} from './import-map.js';
