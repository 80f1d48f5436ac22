/**
 * importModule(module): what `import(module)` does in the Module & ModuleSource proposal (a shim
 * cannot change the engine's own `import()` syntax; inside module code run by modhost,
 * `import(moduleInstance)` does the same thing).
 */
import { ContinueDynamicImport, NewPromiseCapability } from '../records/index.js';
import { createError } from '../errors/codes.js';
import { isObject } from './intrinsics.js';
import type { Module } from './module.js';
import { moduleSlots } from './slots.js';

/** A module namespace exotic object. */
export type ModuleNamespace = Record<string, unknown>;

/**
 * Loads, links and evaluates `module` and its dependency graph; resolves to its namespace.
 * Never throws synchronously: every failure rejects the returned promise. A load or link error is
 * not cached (a later call tries again); an evaluation error is, and every later call rejects
 * with the same error object.
 *
 * @example
 * const ns = await importModule(new Module(new ModuleSource('export default 1;')));
 * ns.default; // 1
 */
export function importModule(module: Module): Promise<ModuleNamespace> {
  const capability = NewPromiseCapability();
  const slots = isObject(module) ? moduleSlots.get(module) : undefined;
  if (slots === undefined) {
    capability.reject(createError('ERR_MODHOST_INVALID_ARGUMENT', 'importModule expects a Module instance'));
  } else {
    ContinueDynamicImport(capability, { type: 'normal', value: slots.record });
  }
  return capability.promise as Promise<ModuleNamespace>;
}
