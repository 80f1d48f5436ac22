import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importModule } from '../../../src/api/import-module.js';
import { Module } from '../../../src/api/module.js';
import { ModuleSource } from '../../../src/api/module-source.js';
import { createRealm } from '../../../src/api/realm.js';
import { checkMockArguments, createMockRegistry, NOT_MOCKED } from '../../../src/hosts/hooks/mocks.js';

const DEP = 'memory:/dep.js';

/** A registry over a plain realm; importOriginal answers with a fixed namespace. */
function registry(original: Record<string, unknown> = { real: true }) {
  const calls: string[] = [];
  const mocks = createMockRegistry({
    realm: createRealm(),
    async importOriginal(url) {
      calls.push(url);
      return original;
    },
  });
  return { mocks, calls };
}

/** A main module importing `dep` with `text`; `dep` is whatever the registry gives for DEP. */
function importer(text: string, mocks: ReturnType<typeof registry>['mocks']): Module {
  return new Module(new ModuleSource(text, { url: 'memory:/main.js' }), {
    importHook(specifier) {
      assert.equal(specifier, 'dep');
      const module = mocks.moduleFor(DEP);
      assert.ok(module !== undefined, 'the URL is mocked');
      return module;
    },
  });
}

describe('mock registry', () => {
  it('ES importers see the factory object’s own enumerable keys as exports (default included)', async () => {
    const { mocks } = registry();
    mocks.add(DEP, () => ({ add: (a: number, b: number) => a + b, default: 'def', [Symbol('s')]: 1 }));
    const ns = await importModule(importer('import d, { add } from "dep"; export const out = [d, add(1, 2)];', mocks));
    assert.deepEqual(ns.out, ['def', 3]);
  });

  it('an ES importer asking for a name the mock lacks fails at link time with a SyntaxError', async () => {
    const { mocks } = registry();
    mocks.add(DEP, () => ({ present: 1 }));
    await assert.rejects(
      importModule(importer('import { absent } from "dep";', mocks)),
      (error: Error & { code?: string }) => {
        assert.ok(error instanceof SyntaxError);
        assert.equal(error.code, 'ERR_MODHOST_UNRESOLVED_IMPORT');
        assert.match(error.message, /absent/);
        return true;
      },
    );
  });

  it('runs the factory once, on first use; every importer shares the mock instance', async () => {
    const { mocks } = registry();
    let runs = 0;
    mocks.add(DEP, () => {
      runs += 1;
      return { n: runs };
    });
    assert.equal(runs, 0, 'registering does not run the factory');
    const a = mocks.moduleFor(DEP);
    const b = mocks.moduleFor(DEP);
    assert.equal(a, b);
    assert.equal(mocks.requireValue(DEP, null), mocks.requireValue(DEP, null));
    assert.equal(runs, 1);
  });

  it('require() gets the object itself, or its "module.exports" value', () => {
    const { mocks } = registry();
    const object = { x: 1 };
    mocks.add(DEP, () => object);
    assert.equal(mocks.requireValue(DEP, '/app/a.js'), object);
    const fn = () => 'called';
    mocks.add('memory:/fn.js', () => ({ 'module.exports': fn, default: fn }));
    assert.equal(mocks.requireValue('memory:/fn.js', null), fn);
    assert.equal(mocks.requireValue('memory:/other.js', null), NOT_MOCKED);
  });

  it('a non-enumerable "module.exports" is what require() gets, and no ES export name', async () => {
    const { mocks } = registry();
    const fn = () => 'called';
    const object = { default: fn, extra: 1 };
    Object.defineProperty(object, 'module.exports', { value: fn, enumerable: false });
    mocks.add(DEP, () => object);
    assert.equal(mocks.requireValue(DEP, null), fn);
    const ns = await importModule(importer('import * as ns from "dep"; export const keys = Object.keys(ns);', mocks));
    assert.deepEqual(ns.keys, ['default', 'extra']);
  });

  it('an async factory serves ES importers; require() of it is ERR_MODHOST_ASYNC_IN_REQUIRE', async () => {
    const { mocks } = registry();
    mocks.add(DEP, async () => ({ late: 'yes' }));
    assert.throws(
      () => mocks.requireValue(DEP, '/app/a.cjs'),
      (error: Error & { code?: string; referrer?: string }) => {
        assert.equal(error.code, 'ERR_MODHOST_ASYNC_IN_REQUIRE');
        assert.equal(error.referrer, '/app/a.cjs');
        assert.match(
          error.message,
          /require\(\) of memory:\/dep\.js from \/app\/a\.cjs .*mock factory returned a promise/,
        );
        return true;
      },
    );
    const ns = await importModule(importer('import { late } from "dep"; export { late };', mocks));
    assert.equal(ns.late, 'yes');
    assert.equal((mocks.requireValue(DEP, null) as { late: string }).late, 'yes', 'settled: require works now');
  });

  it('importOriginal() gives the real module’s namespace, for partial mocks', async () => {
    const { mocks, calls } = registry({ keep: 'real', replace: 'real' });
    mocks.add(DEP, async (importOriginal) => ({ ...(await importOriginal()), replace: 'mock' }));
    const ns = await importModule(
      importer('import { keep, replace } from "dep"; export const both = keep + "/" + replace;', mocks),
    );
    assert.equal(ns.both, 'real/mock');
    assert.deepEqual(calls, [DEP]);
  });

  it('a factory that throws: ERR_MODHOST_MOCK_FAILED with cause, asked again next time', async () => {
    const { mocks } = registry();
    const cause = new Error('boom');
    let fail = true;
    mocks.add(DEP, () => {
      if (fail) throw cause;
      return { ok: 1 };
    });
    assert.throws(() => mocks.moduleFor(DEP), { code: 'ERR_MODHOST_MOCK_FAILED', cause, url: DEP });
    fail = false;
    assert.ok(mocks.moduleFor(DEP) !== undefined);
  });

  it('an async factory that rejects: the import rejects with ERR_MODHOST_MOCK_FAILED', async () => {
    const { mocks } = registry();
    mocks.add(DEP, async () => {
      throw new TypeError('nope');
    });
    await assert.rejects(importModule(importer('import "dep";', mocks)), (error: Error & { code?: string }) => {
      // The importHook wraps what it gets; the mock's own error is inside.
      const inner = (error.code === 'ERR_MODHOST_IMPORT_HOOK_FAILED' ? error.cause : error) as Error & {
        code?: string;
      };
      assert.equal(inner.code, 'ERR_MODHOST_MOCK_FAILED');
      assert.ok(inner.cause instanceof TypeError);
      return true;
    });
  });

  it('a factory returning a non-object: coded TypeError ERR_MODHOST_INVALID_MOCK', () => {
    for (const value of [undefined, null, 42, 'x']) {
      const { mocks } = registry();
      mocks.add(DEP, () => value as never);
      assert.throws(() => mocks.moduleFor(DEP), { name: 'TypeError', code: 'ERR_MODHOST_INVALID_MOCK' });
    }
  });

  it('restore() removes the mock; a second mock of the URL stacks on the first', () => {
    const { mocks } = registry();
    const first = mocks.add(DEP, () => ({ v: 1 }));
    const second = mocks.add(DEP, () => ({ v: 2 }));
    assert.equal((mocks.requireValue(DEP, null) as { v: number }).v, 2);
    second.restore();
    assert.equal((mocks.requireValue(DEP, null) as { v: number }).v, 1);
    second.restore(); // idempotent
    assert.equal(mocks.size, 1);
    first.restore();
    assert.equal(mocks.size, 0);
    assert.equal(mocks.moduleFor(DEP), undefined);
    assert.equal(first.url, DEP);
  });

  it('checks host.mock() arguments with coded TypeErrors', () => {
    assert.throws(() => checkMockArguments('', () => ({}), undefined), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    assert.throws(() => checkMockArguments('./x.js', {}, undefined), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    assert.throws(() => checkMockArguments('./x.js', () => ({}), null), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    assert.throws(() => checkMockArguments('./x.js', () => ({}), { parentURL: new URL('file:///') }), {
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
    });
    checkMockArguments('./x.js', () => ({}), { parentURL: 'file:///app/' });
  });
});
