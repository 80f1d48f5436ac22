/**
 * records/promise-operations.ts: PerformPromiseThen (27.2.5.4.1) has the tick count of the spec's
 * operation and marks promises handled; internal promises do not depend on
 * Promise.prototype.constructor.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NewInternalPromiseCapability,
  NewPromiseCapability,
  PerformPromiseThen,
  PromiseResolve,
} from '../../src/records/promise-operations.js';
import { settle } from './fixtures.js';

describe('27.2.5.4.1 PerformPromiseThen', () => {
  it('a reaction runs in the same job as a .then reaction registered at the same moment', async () => {
    const order: string[] = [];
    const p = Promise.resolve(1);
    PerformPromiseThen(
      p,
      (v) => order.push(`perform ${String(v)}`),
      () => order.push('rejected'),
    );
    void p.then(() => order.push('then'));
    void Promise.resolve()
      .then(() => order.push('tick 1'))
      .then(() => order.push('tick 2'));
    await settle();
    assert.deepEqual(order, ['perform 1', 'then', 'tick 1', 'tick 2']);
  });

  it('rejections reach onRejected and leave no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const on = (r: unknown): void => void unhandled.push(r);
    process.on('unhandledRejection', on);
    try {
      const capability = NewInternalPromiseCapability();
      let seen: unknown;
      PerformPromiseThen(
        capability.promise,
        () => undefined,
        (e) => (seen = e),
      );
      const error = new Error('x');
      capability.reject(error);
      await settle(2);
      assert.equal(seen, error);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', on);
    }
  });

  it('an internal promise ignores a replaced Promise.prototype.constructor (no wrapping, same ticks)', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(Promise.prototype, 'constructor')!;
    const order: string[] = [];
    const capability = NewInternalPromiseCapability();
    Object.defineProperty(Promise.prototype, 'constructor', {
      get(this: unknown) {
        if (this === capability.promise) order.push('constructor read');
        return Promise;
      },
      configurable: true,
    });
    try {
      PerformPromiseThen(
        capability.promise,
        () => order.push('reaction'),
        () => undefined,
      );
      capability.resolve(undefined);
      await settle();
    } finally {
      Object.defineProperty(Promise.prototype, 'constructor', descriptor);
    }
    assert.deepEqual(order, ['reaction']);
  });

  it('a thenable value takes PromiseResolve + Await (NewPromiseResolveThenableJob: 2 more ticks)', async () => {
    const order: string[] = [];
    PerformPromiseThen(
      { then: (res: (v: unknown) => void) => res('t') },
      (v) => order.push(`thenable ${String(v)}`),
      () => undefined,
    );
    void Promise.resolve()
      .then(() => order.push('tick 1'))
      .then(() => order.push('tick 2'))
      .then(() => order.push('tick 3'));
    await settle();
    assert.deepEqual(order, ['tick 1', 'thenable t', 'tick 2', 'tick 3']);
  });

  it('a throwing `constructor` getter (PromiseResolve abrupt) calls onRejected synchronously', () => {
    const p = Promise.resolve();
    const error = new Error('getter');
    Object.defineProperty(p, 'constructor', {
      get() {
        throw error;
      },
    });
    let seen: unknown;
    PerformPromiseThen(
      p,
      () => undefined,
      (e) => (seen = e),
    );
    assert.equal(seen, error);
    assert.equal(PromiseResolve(5) instanceof Promise, true);
  });

  it('NewPromiseCapability gives an ordinary promise (no own properties)', () => {
    // (Node's async_hooks add Symbol keys under the test runner; compare String keys.)
    assert.deepEqual(Object.getOwnPropertyNames(NewPromiseCapability().promise), []);
    assert.deepEqual(Object.getOwnPropertyNames(NewInternalPromiseCapability().promise), ['constructor']);
  });
});
