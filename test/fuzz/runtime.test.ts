/** The fuzz runtime: fake clock order, dynamic-import delivery order, formatting. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FuzzError, FuzzRuntime, fmt, snapshotNamespace } from '../../fuzz/runtime.js';

describe('FuzzRuntime', () => {
  it('fires timers by due time, then by registration order, one per turn', async () => {
    const rt = new FuzzRuntime();
    rt.schedule(2, () => rt.log.push('a2'));
    rt.schedule(1, () => rt.log.push('b1'));
    rt.schedule(2, () => rt.log.push('c2'));
    rt.schedule(0, () => {
      rt.log.push('d0');
      rt.schedule(1, () => rt.log.push('e1'));
    });
    assert.equal(await rt.drive(), true);
    assert.deepEqual(rt.log, ['~1', 'd0', '~2', 'b1', '~3', 'e1', '~4', 'a2', '~5', 'c2']);
  });

  it('drains microtasks before the next event', async () => {
    const rt = new FuzzRuntime();
    rt.schedule(0, () => {
      rt.log.push('t1');
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => rt.log.push('micro'));
    });
    rt.schedule(0, () => rt.log.push('t2'));
    await rt.drive();
    assert.deepEqual(rt.log, ['~1', 't1', 'micro', '~2', 't2']);
  });

  it('delivers dynamic imports in the order they started, not the order they settled', async () => {
    const rt = new FuzzRuntime();
    let releaseFirst!: (v: unknown) => void;
    const first = new Promise((r) => (releaseFirst = r));
    void rt.dyn('first', () => first, -1);
    void rt.dyn('second', () => Promise.resolve('s'), -1);
    rt.schedule(3, () => releaseFirst('f'));
    await rt.drive();
    assert.deepEqual(rt.log, ['~1', 'second ok "s"', '~2', '~3', 'first ok "f"']);
  });

  it('resolves __dyn to undefined on failure unless asked to rethrow', async () => {
    const rt = new FuzzRuntime();
    const soft = rt.dyn('soft', () => Promise.reject(new FuzzError('x')), 0);
    const hard = rt.dyn('hard', () => Promise.reject(new TypeError('y')), 0, true);
    hard.catch(() => {});
    await rt.drive();
    assert.equal(await soft, undefined);
    await assert.rejects(hard, TypeError);
    assert.deepEqual(rt.log, ['~1', '~2', 'soft err FuzzError(x)#0', '~3', '~4', 'hard err TypeError#1']);
  });

  it('numbers distinct error objects in order of first sight', () => {
    const rt = new FuzzRuntime();
    const a = new FuzzError('a');
    const b = new RangeError('b');
    assert.equal(rt.err(a), 'FuzzError(a)#0');
    assert.equal(rt.err(b), 'RangeError#1');
    assert.equal(rt.err(a), 'FuzzError(a)#0');
    assert.equal(rt.err('str'), 'throw "str"');
  });

  it('flags Node vm artefacts and modhost internal errors', () => {
    const rt = new FuzzRuntime();
    rt.err(Object.assign(new Error('x'), { code: 'ERR_VM_MODULE_LINK_FAILURE' }));
    rt.err(Object.assign(new Error('inv'), { code: 'ERR_MODHOST_INTERNAL' }));
    assert.equal(rt.artefact, 'ERR_VM_MODULE_LINK_FAILURE');
    assert.deepEqual(rt.internal, ['inv']);
  });

  it('installs its globals and restores what was there', () => {
    const target: Record<string, unknown> = { __log: 'old' };
    const rt = new FuzzRuntime();
    const restore = rt.install(target);
    assert.equal(target.__log, rt.log);
    assert.equal(typeof target.__delay, 'function');
    restore();
    assert.equal(target.__log, 'old');
    assert.equal('__delay' in target, false);
  });
});

describe('fmt', () => {
  it('formats values engine-independently', () => {
    assert.equal(fmt('a"b'), '"a\\"b"');
    assert.equal(fmt(-0), '-0');
    assert.equal(fmt(undefined), 'undefined');
    assert.equal(fmt(null), 'null');
    assert.equal(
      fmt(async function named() {}),
      'fn "named"/AsyncFunction',
    );
    assert.equal(fmt(class K {}), 'fn "K"/Function');
    assert.equal(fmt(Promise.resolve()), 'promise');
  });

  it('formats a namespace-like object with its keys and TDZ errors', () => {
    // Like a module namespace: reading (or describing) a binding in its TDZ throws.
    const target = Object.create(null, {
      a: { value: 1, enumerable: true, writable: true },
      b: { value: 2, enumerable: true, writable: true },
      [Symbol.toStringTag]: { value: 'Module' },
    });
    const tdz = (key: string | symbol): void => {
      if (key === 'b') throw new ReferenceError('tdz');
    };
    const ns = new Proxy(target, {
      get: (t, key) => (tdz(key), t[key]),
      getOwnPropertyDescriptor: (t, key) => (tdz(key), Reflect.getOwnPropertyDescriptor(t, key)),
    });
    assert.equal(fmt(ns), '[ns a=1,b=!ReferenceError]');
    assert.match(
      snapshotNamespace(ns),
      /^\{a=1:we-, b=!ReferenceError, @@Symbol.toStringTag="Module":---\} proto=null extensible=true$/,
    );
  });
});
