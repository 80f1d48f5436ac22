/**
 * Errors of the public API: what an importer sees when an importHook throws or rejects
 * (ERR_MODHOST_IMPORT_HOOK_FAILED with the specifier, the referrer and the hook's error as
 * `cause`, docs/errors.md), and the codes of argument errors (every one a TypeError with a stable
 * `code` and a message saying what was expected and what was given).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostHandler } from '../../src/api/handler.js';
import { createError } from '../../src/errors/codes.js';
import {
  AbstractModuleSource,
  importModule,
  JsonModuleSource,
  Module,
  ModuleSource,
  TextModuleSource,
  WasmModuleSource,
} from '../../src/index.js';

type Coded = Error & { code?: string; specifier?: string; referrer?: string; cause?: unknown };

async function rejectionOf(promise: Promise<unknown>): Promise<Coded> {
  try {
    await promise;
  } catch (error) {
    return error as Coded;
  }
  return assert.fail('expected a rejection');
}

/** A main module importing `dep` statically or dynamically, whose hook does `hook()`. */
function importerOf(kind: 'static' | 'dynamic', hook: () => unknown, api: 'Module' | 'ModuleSource'): object {
  const text = kind === 'static' ? `import 'dep';` : `await import('dep');`;
  const handler = { url: 'memory:/main.js', importHook: hook };
  return api === 'Module'
    ? new Module(new ModuleSource(text, { url: 'memory:/main.js' }), handler as never)
    : new ModuleSource(text, handler as never);
}

describe('an importHook that throws or rejects', () => {
  const errorValue = new RangeError('dep is not allowed');
  const thrownValues: [string, unknown][] = [
    ['an Error', errorValue],
    ['a string', 'plain string'],
    ['undefined', undefined],
    ['a plain object', { reason: 'object' }],
    ['a frozen Error', Object.freeze(new TypeError('frozen'))],
  ];
  for (const api of ['Module', 'ModuleSource'] as const) {
    for (const kind of ['static', 'dynamic'] as const) {
      for (const how of ['throws', 'rejects'] as const) {
        it(`${api}, ${kind} import, hook ${how}: names specifier, referrer; cause is the value`, async () => {
          for (const [what, value] of thrownValues) {
            const hook =
              how === 'throws'
                ? () => {
                    throw value;
                  }
                : () => Promise.reject(value);
            const error = await rejectionOf(importModule(importerOf(kind, hook, api)));
            assert.ok(error instanceof Error, what);
            assert.equal(error.code, 'ERR_MODHOST_IMPORT_HOOK_FAILED', what);
            assert.equal(error.specifier, 'dep', what);
            assert.equal(error.referrer, 'memory:/main.js', what);
            assert.ok(Object.hasOwn(error, 'cause'), what);
            assert.equal(error.cause, value, `${what}: the original value stays reachable, unchanged`);
            assert.match(error.message, /importHook failed for 'dep' imported from memory:\/main\.js/, what);
          }
        });
      }
    }
  }

  it("the hook's message is in the wrapper's; the hook's error object is not modified", async () => {
    const original = new SyntaxError('no such module');
    const before = Object.getOwnPropertyNames(original).sort();
    const error = await rejectionOf(importModule(importerOf('static', () => Promise.reject(original), 'Module')));
    assert.match(error.message, /: no such module$/);
    assert.deepEqual(Object.getOwnPropertyNames(original).sort(), before);
    assert.equal(error.cause, original);
  });

  it('a hook error whose message cannot be read still gives a clean wrapper', async () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const error = await rejectionOf(importModule(importerOf('static', () => Promise.reject(hostile), 'ModuleSource')));
    assert.equal(error.code, 'ERR_MODHOST_IMPORT_HOOK_FAILED');
    assert.equal(error.cause, hostile);
  });

  it('a nested hook failure keeps the chain: each level names its import, innermost cause is the value', async () => {
    const original = new Error('disk on fire');
    const leaf = new ModuleSource(`import 'disk';`, {
      url: 'memory:/leaf.js',
      importHook() {
        throw original;
      },
    });
    // The middle hook imports the leaf itself (e.g. to inspect it) and passes the failure on.
    const middle = new ModuleSource(`import 'leaf';`, {
      url: 'memory:/middle.js',
      async importHook() {
        await importModule(leaf);
        return leaf;
      },
    });
    const outer = await rejectionOf(importModule(middle));
    assert.equal(outer.specifier, 'leaf');
    assert.equal(outer.referrer, 'memory:/middle.js');
    const inner = outer.cause as Coded;
    assert.equal(inner.code, 'ERR_MODHOST_IMPORT_HOOK_FAILED');
    assert.equal(inner.specifier, 'disk');
    assert.equal(inner.referrer, 'memory:/leaf.js');
    assert.equal(inner.cause, original);
  });

  it("a host's own loader (a handler marked with hostHandler) reports its coded errors unchanged", async () => {
    const hostError = createError('ERR_MODULE_NOT_FOUND', "Cannot find module 'dep'", {
      specifier: 'dep',
      referrer: 'memory:/main.js',
    });
    const hostMade = new Module(
      new ModuleSource(`import 'dep';`, { url: 'memory:/main.js' }),
      hostHandler({
        importHook() {
          throw hostError;
        },
      }),
    );
    assert.equal(await rejectionOf(importModule(hostMade)), hostError);
    // The same hook in a handler that is not marked is a user hook: wrapped.
    const userMade = importerOf('static', () => Promise.reject(hostError), 'Module');
    assert.equal((await rejectionOf(importModule(userMade))).cause, hostError);
  });

  it('errors the hook did not throw are not wrapped (a bad result, a link error of what it returned)', async () => {
    const bad = await rejectionOf(importModule(importerOf('static', () => 42, 'Module')));
    assert.equal(bad.code, 'ERR_MODHOST_INVALID_HOOK_RESULT');
    const linkError = await rejectionOf(
      importModule(
        new ModuleSource(`import { missing } from 'dep';`, { importHook: () => new ModuleSource('export {};') }),
      ),
    );
    assert.ok(linkError instanceof SyntaxError);
    assert.equal(linkError.code, 'ERR_MODHOST_UNRESOLVED_IMPORT');
  });
});

describe('argument errors have codes', () => {
  const isCoded =
    (code: string, pattern?: RegExp) =>
    (error: Coded): boolean => {
      assert.ok(error instanceof TypeError, String(error));
      assert.equal(error.code, code, error.message);
      if (pattern) assert.match(error.message, pattern);
      return true;
    };
  const invalid = (pattern?: RegExp) => isCoded('ERR_MODHOST_INVALID_ARGUMENT', pattern);

  it('new Module(x) with x neither a ModuleSource nor an object says "ModuleSource or virtual module source"', () => {
    for (const value of ['export default 1;', 1, undefined, null, Symbol('s')]) {
      assert.throws(() => new Module(value as never), invalid(/ModuleSource or virtual module source/));
    }
  });

  it('handlers and hooks of both constructors', () => {
    const source = new ModuleSource('');
    for (const handler of [1, 'h', null, true]) {
      assert.throws(() => new Module(source, handler as never), invalid(/handler of a Module/));
      assert.throws(() => new ModuleSource('', handler as never), invalid(/handler of ModuleSource/));
    }
    for (const handler of [{ importHook: 1 }, { importMetaHook: {} }]) {
      assert.throws(() => new Module(source, handler as never), invalid(/must be a function/));
      assert.throws(() => new ModuleSource('', handler as never), invalid(/must be a function/));
    }
  });

  it('receivers of prototype getters and methods', () => {
    const get = (proto: object, key: string) => Object.getOwnPropertyDescriptor(proto, key)!.get!;
    assert.throws(() => get(Module.prototype, 'source').call({}), invalid(/must be a Module/));
    for (const key of ['bindings', 'needsImport', 'needsImportMeta']) {
      assert.throws(() => get(ModuleSource.prototype, key).call({}), invalid(/must be a ModuleSource/));
    }
    assert.throws(() => get(JsonModuleSource.prototype, 'bindings').call({}), invalid(/JsonModuleSource/));
    assert.throws(() => TextModuleSource.prototype.execute.call({}, {}), invalid(/TextModuleSource/));
    assert.throws(() => get(WasmModuleSource.prototype, 'module').call({}), invalid(/WasmModuleSource/));
  });

  it('module source constructors and AbstractModuleSource', () => {
    assert.throws(() => new WasmModuleSource('bytes'), invalid(/WebAssembly\.Module or the bytes/));
    assert.throws(() => new TextModuleSource('', 5 as never), invalid(/options/));
    assert.throws(() => new JsonModuleSource('1', 'x' as never), invalid(/options/));
    assert.throws(
      () => new (AbstractModuleSource as unknown as new () => object)(),
      isCoded('ERR_MODHOST_ILLEGAL_CONSTRUCTOR', /abstract/),
    );
  });

  it('importModule of a value that is neither a Module nor a module source', async () => {
    for (const value of [1, 'm', {}, null]) {
      await assert.rejects(importModule(value as never), invalid(/Module instance or a module source/));
    }
  });
});
