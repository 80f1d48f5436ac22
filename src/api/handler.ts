/**
 * Handlers: the objects whose `importHook` and `importMetaHook` a Module (Module & ModuleSource
 * proposal, layer 0: `new Module(source, handler)`) or a ModuleSource (the Import Hook proposal,
 * endojs/proposal-import-hook: `new ModuleSource(text, handler)`) captures at construction, and
 * the types both share.
 */
import { createError } from '../errors/codes.js';
import type { AbstractModuleSource } from './abstract-module-source.js';
import { isObject, ReflectGet, SafeWeakMap } from './intrinsics.js';
import type { Module } from './module.js';

/**
 * The import attributes an importHook receives: a fresh object with one string property per
 * attribute, keys in shortlex order (shorter first, then code unit order), for static imports,
 * `import()`, `import source` and `import.source()` alike.
 */
export type ImportAttributes = Record<string, string>;

/**
 * The `import.meta` object an importMetaHook fills: a null-prototype object, so any property can
 * be set (`meta.url = '…'`).
 */
export interface ModuleImportMeta {
  [key: string]: unknown;
  [key: symbol]: unknown;
}

/**
 * What an importHook may give back, directly or through a promise: a `Module` instance (that
 * instance), or a module source — a `ModuleSource`, a JSON, text or WebAssembly module source, or
 * a `WebAssembly.Module` — which stands for its one instance in the importer's realm (as
 * `import(source)`). Either kind of hook may return either kind, so the two APIs mix.
 */
export type ImportHookResult = Module | AbstractModuleSource | PromiseLike<Module | AbstractModuleSource>;

/** The hooks captured from a handler, and the handler (their `this`). */
export interface HandlerSlots {
  readonly handler: object;
  readonly importHook: Function | undefined;
  readonly importMetaHook: Function | undefined;
}

/**
 * 7.3.11 GetMethod(handler, key), with a coded TypeError: `undefined`/`null` → undefined, a
 * callable → it, anything else → ERR_MODHOST_INVALID_ARGUMENT naming `what` and the key.
 */
function GetHook(handler: object, key: 'importHook' | 'importMetaHook', what: string): Function | undefined {
  const fn = ReflectGet(handler, key) as unknown;
  if (fn === undefined || fn === null) return undefined;
  if (typeof fn !== 'function') {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `The ${key} of the handler of ${what} must be a function or undefined (got ${fn === null ? 'null' : typeof fn})`,
    );
  }
  return fn;
}

/**
 * Reads `importHook` then `importMetaHook` from `handler` once, as both constructors do
 * (Module steps 4-6 of the proposal text; "eagerly captures" in the Import Hook proposal).
 * `undefined` for an undefined handler; a handler that is not an object is a coded TypeError.
 */
export function captureHandler(handler: unknown, what: string): HandlerSlots | undefined {
  if (handler === undefined) return undefined;
  if (!isObject(handler)) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `The handler of ${what} must be an object or undefined (got ${handler === null ? 'null' : typeof handler})`,
    );
  }
  const importHook = GetHook(handler, 'importHook', what);
  const importMetaHook = GetHook(handler, 'importMetaHook', what);
  return { handler, importHook, importMetaHook };
}

const hostHandlers = new SafeWeakMap<object, true>();

/**
 * For hosts: marks `handler` as the host's own loader. A Module made with it reports its
 * importHook's errors unchanged (they are the host's coded errors, with specifier and referrer, as
 * HostLoadImportedModule's are) instead of wrapping them in ERR_MODHOST_IMPORT_HOOK_FAILED.
 * Returns the handler.
 */
export function hostHandler<T extends object>(handler: T): T {
  hostHandlers.set(handler, true);
  return handler;
}

/** True for a handler {@link hostHandler} marked. */
export function isHostHandler(handler: object): boolean {
  return hostHandlers.has(handler);
}

/** A short description of a value's kind for messages (no user code runs). */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
