/**
 * Internal slots of the API objects, kept in module-scoped weak maps so that nothing reachable
 * from module code exposes them and nothing global keeps instances alive. (A Module's own slots
 * are private fields: see module.ts.)
 */

import type { ModuleSourceRecord } from '../source/types.js';
import type { HandlerSlots } from './handler.js';
import { SafeWeakMap } from './intrinsics.js';

/** ModuleSource instances: [[ModuleSource]]. */
export const moduleSourceSlots = new SafeWeakMap<object, ModuleSourceRecord>();

/**
 * ModuleSource instances made with a handler that has a hook (the Import Hook proposal): the
 * handler and its hooks, captured at construction.
 */
export const moduleSourceHandlers = new SafeWeakMap<object, HandlerSlots>();

/**
 * Source phase imports: the object GetModuleSource() returns for Modules made from a source, when
 * it is not the source itself (a WasmModuleSource's WebAssembly.Module).
 */
export const sourcePhaseObjects = new SafeWeakMap<object, object>();

/** Diagnostic URLs of module sources that take one (JSON, text, WebAssembly sources' `url` option). */
export const sourceUrls = new SafeWeakMap<object, string>();
