import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCommonJS, createMemoryLoader } from '../../src/commonjs/index.js';
import { fields, fixtureMap, SETUPS } from './helpers.js';

for (const make of SETUPS) {
  describe(`require.async - ${make().name}`, () => {
    it('a string id: the callback gets the exports; the promise resolves to [exports]', async () => {
      const { cjs } = make();
      let received: unknown[] | undefined;
      const result = await cjs.require.async('./async/b', (...args) => {
        received = args;
      });
      assert.deepEqual(result, [{ name: 'b' }]);
      assert.equal(received!.length, 1);
      assert.equal(received![0], result[0]);
      assert.equal(result[0], cjs.require('./async/b'));
    });

    it('an array: exports in the same order, null for each that failed', async () => {
      const { cjs } = make();
      let received: unknown[] | undefined;
      const result = await cjs.require.async(
        ['./async/b', './async/missing', './async/a', './async/failing'],
        (...args) => {
          received = args;
        },
      );
      assert.deepEqual(result, [{ name: 'b' }, null, { name: 'a', dep: 'dep' }, null]);
      assert.deepEqual(received, result);
      assert.equal(result[2], cjs.require('./async/a'));
    });

    it('always asynchronous, even when every module is cached', async () => {
      const { cjs } = make();
      cjs.require('./async/b');
      const order: string[] = [];
      const promise = cjs.require.async('./async/b', () => order.push('callback'));
      order.push('after call');
      await promise;
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(order, ['after call', 'callback']);
    });

    it('without a callback it only returns the promise', async () => {
      const { cjs } = make();
      assert.deepEqual(await cjs.require.async(['./async/b']), [{ name: 'b' }]);
      assert.deepEqual(await cjs.require.async([]), []);
    });

    it('from a module: ids resolve against it, and it records the dependencies', async () => {
      const { cjs, uri, filename } = make();
      const caller = cjs.require('./async/caller') as { load(ids: string[]): Promise<unknown[]> };
      const result = await caller.load(['./b', './a']);
      assert.deepEqual(result, [{ name: 'b' }, { name: 'a', dep: 'dep' }]);
      const module = cjs.cache[filename('async/caller.js')]!;
      assert.deepEqual(module.dependencies, [uri('async/b.js'), uri('async/a.js')]);
      assert.equal(cjs.cache[filename('async/a.js')]!.parent, module);
    });

    it('failures never become unhandled rejections; onAsyncError hears about each', async () => {
      const heard: Array<[string, unknown]> = [];
      const { cjs } = make({
        onAsyncError: (error, id) => heard.push([id, fields(error).code ?? (error as Error).message]),
      });
      const unhandled: unknown[] = [];
      const listener = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', listener);
      try {
        const result = await cjs.require.async(['./async/missing', './async/failing']);
        assert.deepEqual(result, [null, null]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      } finally {
        process.off('unhandledRejection', listener);
      }
      assert.deepEqual(unhandled, []);
      assert.deepEqual(heard, [
        ['./async/missing', 'MODULE_NOT_FOUND'],
        ['./async/failing', 'async/failing throws'],
      ]);
    });

    it('a callback that throws: the promise still resolves; onAsyncError gets the error', async () => {
      const heard: unknown[] = [];
      const { cjs } = make({ onAsyncError: (error) => heard.push(error) });
      const boom = new Error('callback failed');
      const result = await cjs.require.async('./async/b', () => {
        throw boom;
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(result, [{ name: 'b' }]);
      assert.deepEqual(heard, [boom]);
    });

    it('invalid arguments throw synchronously (no rejected promise)', () => {
      const { cjs } = make();
      assert.throws(() => cjs.require.async(42 as unknown as string), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
      assert.throws(() => cjs.require.async('./async/b', 'nope' as unknown as () => void), {
        code: 'ERR_MODHOST_INVALID_ARGUMENT',
      });
    });

    it('an invalid id inside the array is a failure (null), not a throw', async () => {
      const { cjs } = make();
      assert.deepEqual(await cjs.require.async(['', './async/b'] as string[]), [null, { name: 'b' }]);
    });
  });
}

describe('require.async - prefetching and laziness (memory loader counts reads)', () => {
  function setup() {
    const traces: string[] = [];
    const loader = createMemoryLoader(fixtureMap(), { base: 'memory:///fixtures/' });
    const cjs = createCommonJS({ loader, globals: { trace: (m: string) => traces.push(m) } });
    return { loader, cjs, traces };
  }

  it('reads the module and its literal dependencies with readAsync; nothing synchronously', async () => {
    const { loader, cjs, traces } = setup();
    const [a] = await cjs.require.async('./async/a');
    assert.deepEqual(a, { name: 'a', dep: 'dep' });
    assert.deepEqual([...loader.reads.keys()], []);
    assert.deepEqual([...loader.asyncReads.keys()].sort(), [
      'memory:///fixtures/async/a.js',
      'memory:///fixtures/async/dep.js',
    ]);
    assert.deepEqual(traces, ['async/a: body', 'async/dep: body']);
  });

  it('a prefetched wrapped module does not run its factory until it is required', async () => {
    const { loader, cjs, traces } = setup();
    const [lazy] = (await cjs.require.async('./async/lazy')) as [{ later(): unknown }];
    assert.deepEqual(traces, ['async/lazy: factory']);
    assert.equal(loader.asyncReads.get('memory:///fixtures/async/lazy-dep.js'), 1);
    assert.deepEqual(lazy.later(), { name: 'lazy-dep' });
    assert.deepEqual(traces, ['async/lazy: factory', 'async/lazy-dep: factory']);
    assert.equal(loader.reads.get('memory:///fixtures/async/lazy-dep.js'), undefined);
  });

  it('cached modules are not read again', async () => {
    const { loader, cjs } = setup();
    cjs.require('./async/b');
    await cjs.require.async('./async/b');
    assert.equal(loader.asyncReads.get('memory:///fixtures/async/b.js'), undefined);
    assert.equal(loader.reads.get('memory:///fixtures/async/b.js'), 1);
  });

  it('a loader whose readAsync rejects: the module is read synchronously instead, no rejection escapes', async () => {
    const base = createMemoryLoader(fixtureMap(), { base: 'memory:///fixtures/' });
    const cjs = createCommonJS({ loader: { ...base, readAsync: () => Promise.reject(new Error('network down')) } });
    assert.deepEqual(await cjs.require.async('./async/b'), [{ name: 'b' }]);
  });
});

describe('require.async - a throwing callback without onAsyncError', () => {
  it('is rethrown as an uncaught exception (like an event listener), never as an unhandled rejection', () => {
    const index = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../../src/commonjs/index.js')).href;
    const script = `
      import { createCommonJS, createMemoryLoader } from ${JSON.stringify(index)};
      process.on('unhandledRejection', () => { console.log('UNHANDLED REJECTION'); process.exit(3); });
      process.on('uncaughtException', (error) => { console.log('UNCAUGHT ' + error.message); process.exit(0); });
      const cjs = createCommonJS({ loader: createMemoryLoader({ 'memory:///a.js': 'exports.a = 1;' }) });
      const result = await cjs.require.async('./a', () => { throw new Error('from the callback'); });
      console.log('RESOLVED ' + JSON.stringify(result));
      setTimeout(() => {}, 100);
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), ['RESOLVED [{"a":1}]', 'UNCAUGHT from the callback']);
  });
});
