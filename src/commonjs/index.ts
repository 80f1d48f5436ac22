/**
 * The CommonJS runtime: `define` / `require` / `module` for wrapped (CMD, Modules/1.1.1 +
 * Modules/Wrappings) and plain CommonJS files, over any {@link CommonJSLoader}.
 *
 * In Node, `modhost/commonjs` resolves to src/hosts/node/commonjs.ts, whose `createCommonJS`
 * reads files when given no loader.
 *
 * @example
 * import { createCommonJS, createMemoryLoader } from 'modhost/commonjs';
 * const cjs = createCommonJS({
 *   loader: createMemoryLoader({ 'memory:///main.js': 'exports.answer = 42;' }, { base: 'memory:///' }),
 * });
 * cjs.use('./main.js'); // { answer: 42 }
 */
import type { ModuleCache, RequireFunction } from './module.js';
import { installRequireAsync } from './require-async.js';
import { type CommonJSOptions, createRuntimeCore, type DefineFunction } from './runtime.js';

export { evalEvaluator } from './evaluator.js';
export type { CommonJSLoader, Evaluator, EvaluatorInput, ExternalModule } from './loader.js';
export { createMemoryLoader, type MemoryLoaderOptions } from './memory-loader.js';
export type { ModuleCache, RequireFunction } from './module.js';
export { CommonJSModule } from './module.js';
export { createPrint } from './print.js';
export type { CommonJSOptions, DefineFunction } from './runtime.js';
export { detectWrapperForm, findDynamicImports, scanRequires, type WrapperForm } from './scan.js';

/** What {@link createCommonJS} returns. */
export interface CommonJSRuntime {
  /** The `define` of the file whose top level is running (also `define.cmd`). */
  readonly define: DefineFunction;
  /** `require` for the host: relative ids resolve against the loader's base; no requiring module. */
  readonly require: RequireFunction;
  /**
   * Loads and runs `id` as the program's main module and returns its exports. The first `use`
   * sets `require.main` for every module; later calls load like `require` and keep the first main.
   */
  use(id: string): unknown;
  /** The module cache (the same object as every `require.cache`). */
  readonly cache: ModuleCache;
}

/**
 * Creates a CommonJS runtime bound to `options.loader`. Each runtime has its own cache, so two
 * runtimes over the same files run each module once per runtime.
 *
 * @throws ERR_MODHOST_INVALID_ARGUMENT for a loader without `resolve`/`read`, an unknown
 * `onMissing`, or `globals` names that cannot be wrapper parameters.
 */
export function createCommonJS(options: CommonJSOptions): CommonJSRuntime {
  const core = createRuntimeCore(options);
  installRequireAsync(core);
  return Object.freeze({
    define: core.define,
    require: core.hostRequire,
    use: (id: string) => core.use(id),
    cache: core.cache,
  });
}
