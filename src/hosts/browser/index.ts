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
export { createBrowserHost, type BrowserHost, type BrowserHostOptions, type LoadOptions } from './host.js';
export { createBrowserCommonJS, type BrowserCommonJS, type BrowserCommonJSOptions, type BrowserDefine } from './commonjs.js';
export {
  parseImportMap, mergeImportMaps, resolveModuleSpecifier, resolveURLLikeModuleSpecifier, importMapToJSON,
  EMPTY_IMPORT_MAP, type ImportMap, type SpecifierMap, type ResolvedModuleRecord,
} from './import-map.js';
export {
  registerCompiled, installCompiledQueue, compiledModule, compiledModuleCount, COMPILED_FORMAT,
  type CompiledBundle, type CompiledEntry, type CompiledESModule, type CompiledCommonJSModule, type CompiledJSON,
} from './compiled.js';
export type { EvaluationMode } from './evaluator.js';
export type { FetchFunction } from './fetch-text.js';
export { createBrowserLoader, addDefaultExtension, type BrowserLoader, type BrowserLoaderOptions } from '../../commonjs/browser-loader.js';
