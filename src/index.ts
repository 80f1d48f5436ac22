/**
 * modhost: the TC39 Module & ModuleSource API on ECMA-262 module records.
 *
 * @example
 * import { ModuleSource, Module, importModule } from 'modhost';
 * const ns = await importModule(new Module(new ModuleSource('export default 6 * 7;')));
 * console.log(ns.default); // 42
 */
export { AbstractModuleSource } from './api/abstract-module-source.js';
export { ModuleSource, type ModuleSourceOptions } from './api/module-source.js';
export { Module, type ModuleHandler, type ImportHookResult } from './api/module.js';
export { importModule, type ImportModuleOptions, type ModuleNamespace } from './api/import-module.js';
export { install } from './api/install.js';
export { JsonModuleSource, TextModuleSource, WasmModuleSource } from './api/builtin-sources.js';
export type { VirtualModuleSource, VirtualModuleContext } from './api/virtual-module-source.js';
export type { ModuleBinding, ImportPhase } from './source/types.js';
export { ERROR_CODES, type ErrorCode, type ModhostErrorFields } from './errors/codes.js';
