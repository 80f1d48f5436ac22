/** install(): defines the proposal's globals on a global object. */
import { defineBuiltinValue } from './intrinsics.js';
import { Module } from './module.js';
import { ModuleSource } from './module-source.js';

/**
 * Defines `ModuleSource` and `Module` on `globalObject` (non-enumerable, writable, configurable,
 * as built-ins are). `AbstractModuleSource` is not a global, as in the source phase imports
 * proposal. Returns the global object.
 *
 * @example
 * import { install } from 'modhost';
 * install();
 * new globalThis.Module(new globalThis.ModuleSource('export {}'));
 */
export function install<T extends object = typeof globalThis>(globalObject: T = globalThis as T): T {
  defineBuiltinValue(globalObject, 'ModuleSource', ModuleSource);
  defineBuiltinValue(globalObject, 'Module', Module);
  return globalObject;
}
