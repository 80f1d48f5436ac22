/**
 * Entry point of the ES-module browser build (`dist/browser/modhost.browser.js`): the core API
 * (ModuleSource, Module, importModule, install), the browser host, the CommonJS runtime and the
 * registration of precompiled modules. Nothing here may import a Node built-in: the build fails
 * if one is reached.
 *
 * @example
 * <script type="module">
 *   import { createBrowserHost } from './modhost.browser.js';
 *   const ns = await createBrowserHost().import('./app.js');
 * </script>
 */
export { AbstractModuleSource, ModuleSource, Module, importModule, install, ERROR_CODES } from '../index.js';
export { JsonModuleSource, TextModuleSource, WasmModuleSource } from '../index.js';
export type { VirtualModuleSource, VirtualModuleContext, ImportPhase } from '../index.js';
export type { ModuleSourceOptions, ModuleHandler, ImportHookResult, ModuleNamespace, ModuleBinding, ErrorCode } from '../index.js';
export * from '../hosts/browser/index.js';
export { createCommonJS, createMemoryLoader, scanRequires, detectWrapperForm, CommonJSModule } from '../commonjs/index.js';
export type { CommonJSRuntime, CommonJSOptions, CommonJSLoader } from '../commonjs/index.js';
export { VERSION } from '../version.js';
