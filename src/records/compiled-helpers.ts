/**
 * Pure helper functions that compiled module code reaches through its runtime object `rt`
 * (see CompiledModuleRuntime in src/source/types.ts). They hold no per-module state, so one frozen
 * object serves every module instance as the prototype of its `rt`.
 *
 * Owned by the compiler work (src/source/compile.ts decides what compiled code calls);
 * records/ builds `rt` objects on top of it.
 *
 * Built-ins are captured when this file loads, because module code may replace them later.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { createError } from '../errors/codes.js';

const ObjectDefineProperty = Object.defineProperty;
const ReflectHas = Reflect.has;
const ReflectGet = Reflect.get;
const ReflectApply = Reflect.apply;
const globalObject = globalThis;
const SymbolAsyncIterator: typeof Symbol.asyncIterator = Symbol.asyncIterator;
const SymbolIterator: typeof Symbol.iterator = Symbol.iterator;

/**
 * An iterator record of GetIterator(obj, async). When `sync` is true, `iterator`/`next` belong to
 * the sync iterator that CreateAsyncFromSyncIterator wraps (the wrapper object itself is never
 * visible to module code, so only its next/return behaviour is implemented).
 */
export interface AsyncIteratorRecord {
  readonly iterator: object;
  readonly next: Function;
  readonly sync: boolean;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function notAnObject(what: string): Error {
  return createError('ERR_MODHOST_INVALID_ARGUMENT', `${what} is not an object`);
}

/** 7.3.10 GetMethod(V, P). */
function getMethod(value: unknown, key: PropertyKey): Function | undefined {
  // A property access is GetV (ToObject for primitives, TypeError for null/undefined).
  const method = (value as Record<PropertyKey, unknown>)[key];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== 'function')
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', `${String(key)} is not a function`);
  return method;
}

/**
 * %AsyncFromSyncIteratorPrototype%.next / .return (27.1.6.2.1, 27.1.6.2.2) with
 * AsyncFromSyncIteratorContinuation (27.1.6.4), as one async function each: every abrupt step
 * before the `await` becomes a rejection (IfAbruptRejectPromise), and `await value` is
 * PromiseResolve + PerformPromiseThen on the result capability, so the tick count is the spec's.
 */
async function asyncFromSyncNext(record: AsyncIteratorRecord): Promise<IteratorResult<unknown>> {
  const result: unknown = ReflectApply(record.next, record.iterator, []);
  if (!isObject(result)) throw notAnObject('Iterator result');
  const done = !!(result as { done?: unknown }).done;
  const value = (result as { value?: unknown }).value;
  let settled: unknown;
  try {
    settled = await value;
  } catch (error) {
    // closeOnRejection is true for next(): a rejected value closes the sync iterator (unless done).
    if (!done) {
      try {
        const returnMethod = getMethod(record.iterator, 'return');
        if (returnMethod !== undefined) ReflectApply(returnMethod, record.iterator, []);
      } catch {
        // IteratorClose with a throw completion keeps the original error.
      }
    }
    throw error;
  }
  return { value: settled, done };
}

async function asyncFromSyncReturn(record: AsyncIteratorRecord): Promise<IteratorResult<unknown>> {
  const returnMethod = getMethod(record.iterator, 'return');
  if (returnMethod === undefined) return { value: undefined, done: true };
  const result: unknown = ReflectApply(returnMethod, record.iterator, []);
  if (!isObject(result)) throw notAnObject('Iterator result');
  const done = !!(result as { done?: unknown }).done;
  const value = (result as { value?: unknown }).value;
  // closeOnRejection is false for return().
  return { value: await value, done };
}

export const COMPILED_HELPERS = Object.freeze({
  nameDefault(fn: Function): void {
    // (null-prototype descriptor: a `get` on Object.prototype must not change its meaning)
    ObjectDefineProperty(fn, 'name', { __proto__: null, value: 'default' } as PropertyDescriptor);
  },
  globalArguments(): unknown {
    if (ReflectHas(globalObject, 'arguments')) return ReflectGet(globalObject, 'arguments');
    throw createError('ERR_MODHOST_NOT_DEFINED', 'arguments is not defined');
  },
  typeofGlobalArguments(): string {
    return ReflectHas(globalObject, 'arguments') ? typeof ReflectGet(globalObject, 'arguments') : 'undefined';
  },
  /** Initial value of every import-binding variable: reading an import before setImports is a bug of the host. */
  unlinked(): never {
    throw createError(
      'ERR_MODHOST_TDZ',
      'Import binding read before the module was linked (setImports was not called)',
    );
  },
  /** 7.4.3 GetIterator(obj, async), with the CreateAsyncFromSyncIterator fallback. */
  asyncIterator(obj: unknown): AsyncIteratorRecord {
    const method = getMethod(obj, SymbolAsyncIterator);
    if (method === undefined) {
      const syncMethod = getMethod(obj, SymbolIterator);
      if (syncMethod === undefined) throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'object is not async iterable');
      // GetIteratorFromMethod(obj, syncMethod).
      const iterator: unknown = ReflectApply(syncMethod, obj, []);
      if (!isObject(iterator)) throw notAnObject('Result of the Symbol.iterator method');
      return { iterator, next: (iterator as { next: Function }).next, sync: true };
    }
    const iterator: unknown = ReflectApply(method, obj, []);
    if (!isObject(iterator)) throw notAnObject('Result of the Symbol.asyncIterator method');
    // GetIteratorDirect: [[NextMethod]] is read once.
    return { iterator, next: (iterator as { next: Function }).next, sync: false };
  },
  /** Call(record.[[NextMethod]], record.[[Iterator]]): the value the loop awaits. */
  asyncIteratorNext(record: AsyncIteratorRecord): unknown {
    if (record.sync) return asyncFromSyncNext(record);
    return ReflectApply(record.next, record.iterator, []);
  },
  /** IteratorComplete after the object check of ForIn/OfBodyEvaluation step 6.c. */
  iteratorComplete(result: unknown): boolean {
    if (!isObject(result)) throw notAnObject('Iterator result');
    return !!(result as { done?: unknown }).done;
  },
  /**
   * AsyncIteratorClose steps 3-4: GetMethod(iterator, "return") and its call. Returns null when
   * there is no `return` method, else `{ v }` with the call's result, which the loop awaits.
   */
  asyncIteratorReturn(record: AsyncIteratorRecord): { v: unknown } | null {
    if (record.sync) return { v: asyncFromSyncReturn(record) };
    const returnMethod = getMethod(record.iterator, 'return');
    if (returnMethod === undefined) return null;
    return { v: ReflectApply(returnMethod, record.iterator, []) };
  },
  /** AsyncIteratorClose step 7: the awaited result of `return()` must be an object. */
  iteratorResultObject(result: unknown): unknown {
    if (!isObject(result)) throw notAnObject('Iterator result');
    return result;
  },
});
