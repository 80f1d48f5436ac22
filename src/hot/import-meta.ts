/**
 * Types for `import.meta.hot` in code that runs in a hot host (`createNodeHost({ hot: true })`,
 * `createBrowserHost({ hot: true })`, `modhost run --watch`): the shape of Vite's `ViteHotContext`,
 * as modhost implements it (./context.ts). A TypeScript project opts in with
 * `"types": ["modhost/hot"]` in its tsconfig.json, or `/// <reference types="modhost/hot" />`.
 *
 * @example
 * /// <reference types="modhost/hot" />
 * import { greet } from './greet.js';
 * console.log(greet('world'));
 * if (import.meta.hot) {
 *   import.meta.hot.accept('./greet.js', (next) => console.log('greet.js is now', next));
 *   import.meta.hot.dispose((data) => { data.greeted = true; });
 * }
 */

import type { ImportMetaHot } from './hot-api.js';

export type { ImportMetaHot, ImportMetaHotNamespace } from './hot-api.js';

declare global {
  interface ImportMeta {
    /** Set in a hot host (`hot: true`, `modhost run --watch`); undefined otherwise. */
    readonly hot?: ImportMetaHot;
  }
}
