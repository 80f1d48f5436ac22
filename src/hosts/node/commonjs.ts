/**
 * `modhost/commonjs` in Node (the package's `node` export condition selects this file): the
 * CommonJS runtime of src/commonjs/, whose {@link createCommonJS} reads files, as the Node host
 * does, when it is given no loader. Everywhere else `modhost/commonjs` is src/commonjs/index.ts,
 * where a loader is required (commonjs/ itself never imports a host).
 *
 * @example
 * import { createCommonJS } from 'modhost/commonjs';
 * const cjs = createCommonJS({ roots: ['./lib'], globals: { print: console.log } });
 * cjs.use('./main.js');
 */
import { type CommonJSRuntime, createCommonJS as createCommonJSWithLoader } from '../../commonjs/index.js';
import type { CommonJSLoader } from '../../commonjs/loader.js';
import type { CommonJSOptions } from '../../commonjs/runtime.js';
import { createNodeCommonJS, type NodeCommonJSLoaderOptions } from './commonjs-loader.js';

export * from '../../commonjs/index.js';

/**
 * Options of `createCommonJS` in Node: the runtime's, with `loader` optional; without one, the
 * Node loader's options (`base`, `compile`, `resolver`, `conditions`) apply.
 */
export type NodeCommonJSRuntimeOptions = Omit<CommonJSOptions, 'loader'> &
  NodeCommonJSLoaderOptions & {
    /** Where ids resolve and text comes from. Default: the file system (createNodeCommonJSLoader). */
    readonly loader?: CommonJSLoader;
  };

/**
 * Creates a CommonJS runtime. Without `options.loader`, modules are files: ids resolve with Node's
 * require.resolve algorithm (plus `roots`) from `options.base` (default: the working directory),
 * built-ins and `.node` addons come from Node's own `require`, and module text is compiled with
 * `vm` under its file name.
 *
 * @example
 * const cjs = createCommonJS({ roots: ['./lib'] });
 * const chunk = cjs.require('lodash/chunk');
 *
 * @throws ERR_MODHOST_INVALID_ARGUMENT for a loader without `resolve`/`read`, an unknown
 * `onMissing`, or `globals` names that cannot be wrapper parameters.
 */
export function createCommonJS(options: NodeCommonJSRuntimeOptions = {}): CommonJSRuntime {
  if (options.loader === undefined) return createNodeCommonJS(options);
  return createCommonJSWithLoader({ ...options, loader: options.loader });
}
