/**
 * The Import Hook proposal (endojs/proposal-import-hook) through the public API:
 * `new ModuleSource(text, handler)`, `import(source)` / `importModule(source)`, the hook's
 * attributes, the importMetaHook's timing (side by side with layer 0's `new Module`), one
 * instance per (source, realm), and graphs that mix both APIs. Expected values come from the
 * proposal's README (its own examples first) and the Module & ModuleSource proposal text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createModuleInRealm } from '../../src/api/module.js';
import { createRealm } from '../../src/api/realm.js';
import { importModule, JsonModuleSource, Module, ModuleSource } from '../../src/index.js';
import { hookFailureCause, withLog } from './helpers.js';

type Ns = Record<string, unknown>;

/** A Module whose default export is `(x, options) => import(x, options)`: `import()` run by modhost. */
async function dynamicImporter(): Promise<(x: unknown, options?: unknown) => Promise<Ns>> {
  const runner = new Module(new ModuleSource('export default (x, options) => import(x, options);'));
  return (await importModule(runner)).default as (x: unknown, options?: unknown) => Promise<Ns>;
}

describe("the proposal's examples", () => {
  it('import kicker: import(source) links and evaluates a ModuleSource and resolves to its namespace', async () => {
    const source = new ModuleSource(``);
    const importer = await dynamicImporter();
    const namespace = await importer(source);
    assert.equal(Object.prototype.toString.call(namespace), '[object Module]');
    assert.deepEqual(Object.keys(namespace), []);
    // importModule(source) is the same kicker for code modhost does not compile.
    assert.equal(await importModule(source), namespace);
  });

  it('ModuleSource idempotence: importing one source twice gives the same namespace (one evaluation)', async () => {
    const { log, restore } = withLog();
    try {
      const source = new ModuleSource(`globalThis.__log.push('evaluated'); export const n = 1;`);
      const importer = await dynamicImporter();
      const namespace1 = await importer(source);
      const namespace2 = await importer(source);
      assert.equal(namespace1, namespace2);
      assert.equal(await importModule(source), namespace1);
      assert.deepEqual(log, ['evaluated']);
    } finally {
      restore();
    }
  });

  it('attribute canonicalisation: every import kind gives a fresh object, keys in shortlex order', async () => {
    const calls: { specifier: string; keys: string[]; attributes: Record<string, string> }[] = [];
    const empty = new ModuleSource('');
    const source = new ModuleSource(
      `import 'x';
       import 'y' with { type: 'json', extraneous: 'very' };
       import source s from 'w' with { b: '2', a: '1', cc: '3' };
       export const dynamic = await import('z', { with: { type: 'json', extraneous: 'very' } });
       export const sourced = await import.source('v', { with: { zz: 'z', y: 'y' } });
       export { s };`,
      {
        importHook(specifier, attributes) {
          calls.push({ specifier, keys: Object.keys(attributes), attributes });
          return empty;
        },
      },
    );
    const ns = await importModule(source);
    assert.deepEqual(
      calls.map(({ specifier, keys }) => [specifier, keys]),
      [
        ['x', []],
        ['y', ['type', 'extraneous']],
        ['w', ['a', 'b', 'cc']],
        ['z', ['type', 'extraneous']],
        ['v', ['y', 'zz']],
      ],
    );
    assert.deepEqual(calls[1]!.attributes, { type: 'json', extraneous: 'very' });
    // A fresh ordinary object per call: the hook may keep or change it without effect elsewhere.
    assert.notEqual(calls[1]!.attributes, calls[3]!.attributes);
    assert.equal(Object.getPrototypeOf(calls[0]!.attributes), Object.prototype);
    assert.equal(ns.s, empty);
    assert.equal(ns.sourced, empty);
    // "Thereafter, the implementation will never again consult the importHook" for those pairs.
    await importModule(source);
    assert.equal(calls.length, 5);
  });

  it('a mock served by the hook: the module under test gets the mock, not the real dependency', async () => {
    const real = new ModuleSource(`export function now() { throw new Error('real clock used'); }`);
    const mock = new ModuleSource(`export function now() { return 1_000; }`);
    const underTest = `import { now } from './clock.js'; export const stamp = now();`;
    const tested = new ModuleSource(underTest, {
      url: 'memory:/under-test.js',
      importHook(specifier) {
        if (specifier === './clock.js') return mock;
        throw new Error(`unexpected import ${specifier}`);
      },
    });
    assert.equal((await importModule(tested)).stamp, 1_000);
    const production = new ModuleSource(underTest, { importHook: () => real });
    await assert.rejects(importModule(production), /real clock used/);
  });
});

describe('new ModuleSource(text, handler)', () => {
  it('captures handler, importHook and importMetaHook eagerly and calls both with this = handler', async () => {
    const seen: unknown[] = [];
    const dep = new ModuleSource('export default 1;');
    const handler = {
      url: 'memory:/main.js',
      importHook(this: unknown, specifier: string) {
        seen.push(['importHook', this, specifier]);
        return dep;
      },
      importMetaHook(this: unknown, meta: Record<string, unknown>) {
        seen.push(['importMetaHook', this]);
        meta.url = (this as { url: string }).url;
      },
    };
    const source = new ModuleSource(`import d from 'dep'; export const url = import.meta.url; export { d };`, handler);
    // Replacing the hooks after construction changes nothing.
    handler.importHook = () => {
      throw new Error('read late');
    };
    handler.importMetaHook = () => {
      throw new Error('read late');
    };
    const ns = await importModule(source);
    assert.equal(ns.url, 'memory:/main.js');
    assert.equal(ns.d, 1);
    assert.deepEqual(seen, [
      ['importHook', handler, 'dep'],
      ['importMetaHook', handler],
    ]);
  });

  it('reads importHook, importMetaHook, then url, once each', () => {
    const reads: string[] = [];
    const handler = new Proxy(
      {},
      {
        get(_target, key) {
          reads.push(String(key));
          return undefined;
        },
      },
    );
    new ModuleSource('', handler as never);
    assert.deepEqual(reads, ['importHook', 'importMetaHook', 'url']);
  });

  it('a handler that is not an object, or a hook that is not callable, is a coded TypeError at construction', () => {
    const cases: [string, unknown][] = [
      ['a number', 5],
      ['null', null],
      ['importHook: 1', { importHook: 1 }],
      ["importMetaHook: 'x'", { importMetaHook: 'x' }],
      ['importHook: {}', { importHook: {} }],
    ];
    for (const [what, handler] of cases) {
      assert.throws(
        () => new ModuleSource('export {};', handler as never),
        (error: Error & { code?: string }) =>
          error instanceof TypeError &&
          error.code === 'ERR_MODHOST_INVALID_ARGUMENT' &&
          /ModuleSource/.test(error.message),
        what,
      );
    }
    // null/undefined hooks are absent hooks (GetMethod).
    new ModuleSource('', { importHook: undefined, importMetaHook: null } as never);
  });

  it('`url` and the hooks coexist: url names the module in errors and stacks; hooks see this.url', async () => {
    const source = new ModuleSource(`import 'missing'; export {};`, {
      url: 'memory:/app/main.js',
      importHook(specifier) {
        throw new Error(`${this.url} cannot import ${specifier}`);
      },
    });
    const error = (await importModule(source).catch((e: unknown) => e)) as Error & { referrer?: string };
    assert.equal(error.referrer, 'memory:/app/main.js');
    assert.equal((hookFailureCause(error) as Error).message, 'memory:/app/main.js cannot import missing');
    const thrower = new ModuleSource(`export function f() { throw new Error('here'); }`, {
      url: 'memory:/app/thrower.js',
      importMetaHook() {},
    });
    const { f } = (await importModule(thrower)) as { f: () => void };
    assert.throws(f, (e: Error) => /memory:\/app\/thrower\.js:1/.test(String(e.stack)));
  });

  it('hook answers are memoised per (instance, specifier, attributes); failures are asked again', async () => {
    let calls = 0;
    let fail = true;
    const dep = new ModuleSource('export default 7;');
    const source = new ModuleSource(
      `import d from 'dep';
       export const again = (await import('dep')).default;
       export const other = await import('dep', { with: { type: 'x' } });
       export { d };`,
      {
        importHook(_specifier, attributes) {
          calls++;
          if (fail) {
            fail = false;
            return Promise.reject(new Error('offline'));
          }
          return attributes.type === 'x' ? new JsonModuleSource('"x"') : dep;
        },
      },
    );
    await assert.rejects(importModule(source), /offline/);
    const ns = await importModule(source);
    assert.equal(ns.d, 7);
    assert.equal(ns.again, 7);
    assert.equal((ns.other as Ns).default, 'x');
    // 1 failed + 'dep' once (static and dynamic share it) + 'dep' with { type: 'x' } once.
    assert.equal(calls, 3);
  });

  it('a hook answering with a Module is accepted; anything else rejects naming specifier and referrer', async () => {
    const module = new Module(new ModuleSource('export default "module";'));
    const source = new ModuleSource(`export { default } from 'm';`, { importHook: () => Promise.resolve(module) });
    assert.equal((await importModule(source)).default, 'module');
    for (const bad of [42, 'dep', {}, { bindings: [] }, Module.prototype]) {
      const importer = new ModuleSource(`import 'dep';`, {
        url: 'memory:/importer.js',
        importHook: () => bad as never,
      });
      await assert.rejects(
        importModule(importer),
        (error: Error & { code?: string; specifier?: string; referrer?: string }) => {
          assert.ok(error instanceof TypeError);
          assert.equal(error.code, 'ERR_MODHOST_INVALID_HOOK_RESULT');
          assert.equal(error.specifier, 'dep');
          assert.equal(error.referrer, 'memory:/importer.js');
          return true;
        },
      );
    }
  });

  it('without a handler (or a hookless one) a ModuleSource behaves as before: the host loads its imports', async () => {
    for (const source of [new ModuleSource(`import 'x';`), new ModuleSource(`import 'x';`, { url: 'memory:/u.js' })]) {
      await assert.rejects(
        importModule(source),
        (e: Error & { code?: string }) => e.code === 'ERR_MODHOST_NO_IMPORT_HOOK',
      );
    }
  });
});

describe('importMetaHook timing: the Import Hook contract beside layer 0', () => {
  it('handler: once, right before the body, if the text mentions import.meta (read or not)', async () => {
    const { log, restore } = withLog();
    try {
      const handler = {
        importMetaHook(meta: Record<string, unknown>) {
          log.push('hook');
          meta.ready = true;
        },
      };
      const source = new ModuleSource(
        `globalThis.__log.push('body');
         export function read() { return import.meta; }
         if (false) import.meta;`,
        handler,
      );
      const ns = await importModule(source);
      assert.deepEqual(log, ['hook', 'body']);
      const meta = (ns.read as () => Record<string, unknown>)();
      assert.equal(meta.ready, true);
      assert.equal(Object.getPrototypeOf(meta), null);
      assert.equal((ns.read as () => unknown)(), meta);
      assert.deepEqual(log, ['hook', 'body'], 'called once');
      // A text without import.meta: the hook is never called.
      log.length = 0;
      await importModule(new ModuleSource(`globalThis.__log.push('plain');`, handler));
      assert.deepEqual(log, ['plain']);
    } finally {
      restore();
    }
  });

  it('layer 0 (new Module(source, handler)): when the body first reads import.meta, never if it does not', async () => {
    const { log, restore } = withLog();
    try {
      const handler = {
        importMetaHook() {
          log.push('hook');
        },
      };
      const text =
        `globalThis.__log.push('body'); export function read() { return import.meta; } if (false) ` + `import.meta;`;
      const ns = await importModule(new Module(new ModuleSource(text), handler));
      assert.deepEqual(log, ['body']);
      (ns.read as () => unknown)();
      (ns.read as () => unknown)();
      assert.deepEqual(log, ['body', 'hook']);
    } finally {
      restore();
    }
  });

  it('before the body of a module with top-level await too; a throwing hook is the evaluation error', async () => {
    const { log, restore } = withLog();
    try {
      const tla = new ModuleSource(`globalThis.__log.push('body'); await 0; export const m = import.meta.m;`, {
        importMetaHook(meta) {
          log.push('hook');
          meta.m = 1;
        },
      });
      assert.equal((await importModule(tla)).m, 1);
      assert.deepEqual(log, ['hook', 'body']);
      for (const tlaText of ['', 'await 0;']) {
        const failure = new Error('meta failed');
        const broken = new ModuleSource(`globalThis.__log.push('broken body'); ${tlaText} import.meta;`, {
          importMetaHook() {
            throw failure;
          },
        });
        log.length = 0;
        assert.equal(await importModule(broken).catch((e: unknown) => e), failure);
        assert.equal(await importModule(broken).catch((e: unknown) => e), failure, 'cached as the evaluation error');
        assert.deepEqual(log, [], 'the body never ran');
      }
    } finally {
      restore();
    }
  });

  it('new Module(handlerSource) without a handler: a fresh instance with the source hooks and contract', async () => {
    const { log, restore } = withLog();
    try {
      const source = new ModuleSource(`globalThis.__log.push('body'); export const m = import.meta.n;`, {
        importMetaHook(meta) {
          log.push('hook');
          meta.n = log.length;
        },
      });
      const a = await importModule(new Module(source));
      const b = await importModule(new Module(source));
      assert.notEqual(a, b);
      assert.notEqual(a, await importModule(source));
      assert.deepEqual(log, ['hook', 'body', 'hook', 'body', 'hook', 'body']);
      // A handler of its own replaces the source's, with layer 0's contract.
      log.length = 0;
      const own = await importModule(new Module(source, { importMetaHook: () => log.push('own hook') }));
      assert.deepEqual(log, ['body', 'own hook']);
      assert.equal(own.m, undefined);
    } finally {
      restore();
    }
  });
});

describe('one instance per (source, realm)', () => {
  it('each realm that imports a source gets its own instance, evaluated once there', async () => {
    const { log, restore } = withLog();
    try {
      const source = new ModuleSource(`globalThis.__log.push('run'); export const o = {};`);
      const other = createRealm();
      const runner = createModuleInRealm(new ModuleSource('export default (s) => import(s);'), undefined, other);
      const importInOther = (await importModule(runner)).default as (s: unknown) => Promise<Ns>;
      const inOther = await importInOther(source);
      const inDefault = await importModule(source);
      assert.notEqual(inOther, inDefault);
      assert.notEqual(inOther.o, inDefault.o);
      assert.equal(await importInOther(source), inOther);
      assert.equal(await (await dynamicImporter())(source), inDefault);
      assert.deepEqual(log, ['run', 'run']);
    } finally {
      restore();
    }
  });

  it('a source a host loaded stays that host realm’s: another realm’s import of it is a TypeError', async () => {
    const hostRealm = createRealm();
    const source = new ModuleSource('export const x = 1;');
    const hostModule = createModuleInRealm(source, undefined, hostRealm);
    assert.equal(await importModule(source), await importModule(hostModule));
    await assert.rejects(
      (await dynamicImporter())(source),
      (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_MODHOST_INVALID_SOURCE_IMPORT',
    );
  });
});

describe('the two APIs mixed', () => {
  it('a Module graph imports a handler-made source whose hook serves its Modules (a cycle)', async () => {
    const { log, restore } = withLog();
    try {
      const modules: Record<string, Module> = {};
      const layer0 = (specifier: string) => {
        const found = modules[specifier] ?? (specifier === 'b' ? b : undefined);
        if (found === undefined) throw new Error(`no ${specifier}`);
        return found;
      };
      // b is Import Hook style: its imports are answered by its own handler.
      const b = new ModuleSource(
        `import { count } from 'a'; import { c } from 'c';
         globalThis.__log.push('b sees ' + c);
         export const b = 'b'; export function seen() { return count; }`,
        {
          url: 'memory:/b.js',
          importHook(specifier) {
            log.push(`b hook ${specifier}`);
            return layer0(specifier); // back to Modules
          },
        },
      );
      modules.a = new Module(
        new ModuleSource(
          `import { b, seen } from 'b'; export let count = 0;
           export function bump() { count++; return seen(); }
           globalThis.__log.push('a sees ' + b);`,
          { url: 'memory:/a.js' },
        ),
        { importHook: layer0 },
      );
      modules.c = new Module(new ModuleSource(`export const c = 'c';`), { importHook: layer0 });
      const ns = await importModule(modules.a);
      assert.deepEqual(log, ['b hook a', 'b hook c', 'b sees c', 'a sees b']);
      assert.equal((ns.bump as () => number)(), 1, 'live binding across the two APIs');
      // The Module graph reached b's one instance in this realm: importing b again gives it.
      const bNs = await importModule(b);
      assert.equal(bNs.b, 'b');
      assert.equal(log.filter((x) => x.startsWith('b sees')).length, 1);
    } finally {
      restore();
    }
  });
});
