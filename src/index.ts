/**
 * modhost: the TC39 Module & ModuleSource API on ECMA-262 module records.
 *
 * @example
 * import { ModuleSource, Module, importModule } from 'modhost';
 * const ns = await importModule(new Module(new ModuleSource('export default 6 * 7;')));
 * console.log(ns.default); // 42
 */
export { AbstractModuleSource } from './api/abstract-module-source.js';
export { JsonModuleSource, TextModuleSource, WasmModuleSource } from './api/builtin-sources.js';
export {
  type ImportModuleOptions,
  type ImportModulePhase,
  importModule,
  type ModuleNamespace,
} from './api/import-module.js';
export { install } from './api/install.js';
export {
  type ImportAttributes,
  type ImportHookResult,
  Module,
  type ModuleHandler,
  type ModuleImportMeta,
} from './api/module.js';
export { ModuleSource, type ModuleSourceHandler, type ModuleSourceOptions } from './api/module-source.js';
export { type ReplaceModulesOptions, replaceModules } from './api/replace-modules.js';
export type { VirtualModuleContext, VirtualModuleSource } from './api/virtual-module-source.js';
export { ERROR_CODES, type ErrorCode, type ModhostErrorFields } from './errors/codes.js';
export type { ImportPhase, ModuleBinding } from './source/types.js';
