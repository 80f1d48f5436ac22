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
 */
import {
  DataDescriptor,
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
 * 27.2.1.5 NewPromiseCapability(%Promise%) — #sec-newpromisecapability. The promise is an
 * ordinary %Promise% instance, fit to hand to user code.
 */
export function NewPromiseCapability(): PromiseCapability {
  let resolve!: (value?: unknown) => void;
  let reject!: (reason: unknown) => void;
  const promise = new PromiseCtor<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { __proto__: null, kind: 'PromiseCapability', promise, resolve, reject } as PromiseCapability;
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

/** 27.2.4.7.1 PromiseResolve(%Promise%, x) — #sec-promise-resolve. May throw (a `constructor` getter). */
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
 * #sec-performpromisethen. Marks `promise` as handled. The reactions must not throw.
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
