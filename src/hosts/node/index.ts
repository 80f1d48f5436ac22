/**
 * modhost/node: the Node host (files, packages, built-ins, JSON, CommonJS with ES-module interop,
 * compile cache).
 *
 * @example
 * import { createNodeHost, createCompileCache } from 'modhost/node';
 * const host = createNodeHost({ compileCache: createCompileCache() });
 * const ns = await host.import('./app.js', import.meta.url);
 * const lodash = host.commonjs.require('lodash'); // the host's CommonJS runtime
 *
 * // A CommonJS runtime without ES modules, over the file system (or any loader):
 * import { createCommonJS } from 'modhost/commonjs';
 * const cjs = createCommonJS({ loader: createNodeCommonJSLoader({ base: '/app' }), roots: ['/app/lib'] });
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
  createNodeCommonJS,
  createNodeCommonJSLoader,
  createNodeEvaluator,
  type NodeCommonJSLoaderOptions,
  type NodeCommonJSOptions,
} from './commonjs-loader.js';
export { type CompileCache, createCompileCache, defaultCacheDir } from './compile-cache.js';
export {
  createNodeHost,
  type ForkOptions,
  type NodeHost,
  type NodeHostOptions,
  type NodeHostStats,
} from './host.js';
export type { NodeHostCommonJSOptions } from './host-commonjs.js';
