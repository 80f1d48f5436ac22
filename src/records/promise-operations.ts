/**
 * The promise operations records/ performs (27.2), built only from captured intrinsics.
 *
 * PerformPromiseThen is written with a native `await` inside an async function: `await p` is
 * exactly Await(p) = PromiseResolve(%Promise%, p) + PerformPromiseThen(promise, …) with no result
 * capability and no @@species lookup, so reactions run in the same job, after the same number of
 * ticks, as the spec's PerformPromiseThen — and a replaced `Promise.prototype.then` is never
 * called. For promises records/ creates, PromiseResolve is the identity: each carries an own
 * `constructor` data property holding the captured %Promise%, so even a replaced
 * `Promise.prototype.constructor` cannot make `await` wrap it.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import {
  CreateDataProperty,
  DataDescriptor,
  ListAppend,
  ListCreate,
  ObjectDefineProperty,
  PromiseCtor,
  PromiseResolveFunction,
  ReflectApply,
} from './intrinsics.js';

/** 27.2.1.1 PromiseCapability Record. */
export interface PromiseCapability {
  readonly kind: 'PromiseCapability';
  readonly promise: Promise<unknown>;
  readonly resolve: (value?: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * 27.2.1.5 NewPromiseCapability(%Promise%) — https://tc39.es/ecma262/#sec-newpromisecapability. The promise is an
 * ordinary %Promise% instance, fit to hand to user code.
 */
export function NewPromiseCapability(): PromiseCapability {
  let resolve!: (value?: unknown) => void;
  let reject!: (reason: unknown) => void;
  const promise = new PromiseCtor<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return new PromiseCapabilityRecord(promise, resolve, reject);
}

class PromiseCapabilityRecord implements PromiseCapability {
  readonly kind = 'PromiseCapability' as const;
  readonly promise: Promise<unknown>;
  readonly resolve: (value?: unknown) => void;
  readonly reject: (reason: unknown) => void;
  constructor(promise: Promise<unknown>, resolve: (value?: unknown) => void, reject: (reason: unknown) => void) {
    this.promise = promise;
    this.resolve = resolve;
    this.reject = reject;
  }
}

/**
 * NewPromiseCapability(%Promise%) for a promise that records/ consumes itself
 * (LoadRequestedModules, Evaluate, ExecuteAsyncModule). Its own non-writable `constructor` is
 * %Promise%, which keeps {@link PerformPromiseThen} on it independent of
 * `Promise.prototype.constructor`.
 */
export function NewInternalPromiseCapability(): PromiseCapability {
  const capability = NewPromiseCapability();
  ObjectDefineProperty(capability.promise, 'constructor', DataDescriptor(PromiseCtor, false, false, false));
  return capability;
}

/**
 * 27.2.4.7.1 PromiseResolve(%Promise%, x) — https://tc39.es/ecma262/#sec-promise-resolve. May throw
 * (a `constructor` getter).
 */
export function PromiseResolve(x: unknown): Promise<unknown> {
  return ReflectApply(PromiseResolveFunction, PromiseCtor, [x]) as Promise<unknown>;
}

/** An internal promise already fulfilled with `value` (`! PromiseResolve(%Promise%, value)` for a non-thenable). */
export function PromiseResolvedWith(value: unknown): Promise<unknown> {
  const capability = NewInternalPromiseCapability();
  capability.resolve(value);
  return capability.promise;
}

/**
 * 27.2.5.4.1 PerformPromiseThen(promise, onFulfilled, onRejected) with no result capability —
 * https://tc39.es/ecma262/#sec-performpromisethen. Marks `promise` as handled. The reactions must not throw.
 *
 * For a promise that records/ did not create (an importHook's result), this is
 * PromiseResolve(%Promise%, value) followed by PerformPromiseThen, i.e. Await: callers use it
 * exactly where the spec does those two steps, and a throwing PromiseResolve calls `onRejected`
 * synchronously, as the spec's `IfAbrupt…` step does.
 */
export function PerformPromiseThen(
  promise: unknown,
  onFulfilled: (value: unknown) => void,
  onRejected: (reason: unknown) => void,
): void {
  void AwaitThen(promise, onFulfilled, onRejected);
}

async function AwaitThen(
  promise: unknown,
  onFulfilled: (value: unknown) => void,
  onRejected: (reason: unknown) => void,
): Promise<void> {
  let value: unknown;
  try {
    value = await promise;
  } catch (reason) {
    onRejected(reason);
    return;
  }
  onFulfilled(value);
}

/**
 * Import defer: SafePerformPromiseAll(promises) —
 * https://tc39.es/proposal-defer-import-eval/#sec-safe-perform-promise-all (tc39/proposal-defer-import-eval#77).
 * Promise.all over promises records/ made (Evaluate() results) without the user-visible parts of
 * PerformPromiseAll: no `Promise.resolve`, no `then` lookup on the promises (PerformPromiseThen
 * directly), so neither a replaced `Promise.prototype.then` nor a `then` getter on them runs. The
 * result is internal (consume it with PerformPromiseThen); it fulfils with an Array of the values
 * (resolving with that Array is an ordinary Get of its "then", as in the spec).
 */
export function SafePerformPromiseAll(promises: readonly Promise<unknown>[]): Promise<unknown> {
  // 1.
  const resultCapability = NewInternalPromiseCapability();
  // 2. No promises: fulfilled with an empty Array.
  if (promises.length === 0) {
    // 2.a-b
    resultCapability.resolve(CreateArrayFromList(ListCreate<unknown>()));
    return resultCapability.promise;
  }
  // 3.
  const values = ListCreate<unknown>();
  // 4.
  const remainingElementsCount = { __proto__: null, value: promises.length } as { value: number };
  // 5-6.
  for (let index = 0; index < promises.length; index++) {
    const promise = promises[index];
    // 6.a
    ListAppend(values, undefined);
    // 6.b
    const onFulfilled = CreatePromiseAllResolveElement(index, values, resultCapability, remainingElementsCount);
    // 6.c (index + 1) 6.d
    PerformPromiseThen(promise, onFulfilled, resultCapability.reject);
  }
  // 7.
  return resultCapability.promise;
}

/**
 * 27.2.4.1.3 CreatePromiseAllResolveElement(index, values, capability, remainingElements) —
 * https://tc39.es/ecma262/#sec-createpromiseallresolveelement, as SafePerformPromiseAll uses it
 * (its count starts at the number of promises, so no extra decrement after the loop).
 */
function CreatePromiseAllResolveElement(
  index: number,
  values: unknown[],
  capability: PromiseCapability,
  remainingElements: { value: number },
): (x: unknown) => void {
  // [[AlreadyCalled]]
  let alreadyCalled = false;
  return (x: unknown): void => {
    // 1-5.
    if (alreadyCalled) return;
    alreadyCalled = true;
    // 9.
    values[index] = x;
    // 10.
    remainingElements.value -= 1;
    // 11.
    if (remainingElements.value === 0) {
      // 11.a-b
      capability.resolve(CreateArrayFromList(values));
    }
  };
}

/** 7.3.16 CreateArrayFromList(elements) — https://tc39.es/ecma262/#sec-createarrayfromlist. */
function CreateArrayFromList(elements: readonly unknown[]): unknown[] {
  // 1-2. (an array literal: no user code runs)
  const array: unknown[] = [];
  // 3.
  for (let n = 0; n < elements.length; n++) CreateDataProperty(array, n, elements[n]);
  // 4.
  return array;
}
