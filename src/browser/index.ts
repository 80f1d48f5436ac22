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

export type { CommonJSLoader, CommonJSOptions, CommonJSRuntime } from '../commonjs/index.js';
export {
  CommonJSModule,
  createCommonJS,
  createMemoryLoader,
  detectWrapperForm,
  scanRequires,
} from '../commonjs/index.js';
export * from '../hosts/browser/index.js';
export type {
  ErrorCode,
  ImportAttributes,
  ImportHookResult,
  ImportModuleOptions,
  ImportModulePhase,
  ImportPhase,
  ModhostErrorFields,
  ModuleBinding,
  ModuleHandler,
  ModuleImportMeta,
  ModuleNamespace,
  ModuleSourceHandler,
  ModuleSourceOptions,
  ReplaceModulesOptions,
  VirtualModuleContext,
  VirtualModuleSource,
} from '../index.js';
export {
  AbstractModuleSource,
  ERROR_CODES,
  importModule,
  install,
  JsonModuleSource,
  Module,
  ModuleSource,
  replaceModules,
  TextModuleSource,
  WasmModuleSource,
} from '../index.js';
export { VERSION } from '../version.js';
