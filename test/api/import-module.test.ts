import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importModule, Module, ModuleSource } from '../../src/index.js';
import { graph, withLog } from './helpers.js';
import { runModhost, runNative } from './oracle.js';

async function sameAsV8(texts: Record<string, string>, entry = 'main') {
  const native = await runNative(texts, entry);
  const ours = await runModhost(texts, entry);
  assert.deepEqual(ours, native);
  return ours;
}

describe('importModule: semantics compared with V8 (vm.SourceTextModule)', () => {
  it("live bindings: the importer sees the exporter's later writes", async () => {
    const out = await sameAsV8({
      main: `import { count, inc } from 'counter'; __log.push(count); inc(); __log.push(count); export { count };`,
      counter: `export let count = 0; export function inc() { count++; }`,
    });
    assert.deepEqual(out.log, [0, 1]);
  });
  it('hoisted functions can be called across a cycle before their module runs', async () => {
    const out = await sameAsV8({
      main: `import { b } from 'b'; __log.push('main'); export function a() { return 'a' } __log.push(b());`,
      b: `import { a } from 'main'; __log.push('b:' + a()); export function b() { return 'b'; }`,
    });
    assert.deepEqual(out.log, ['b:a', 'main', 'b']);
  });
  it('TDZ: reading a let binding of a module that has not run throws ReferenceError', async () => {
    await sameAsV8({
      main: `import 'b'; export let x = 1;`,
      b:
        `import { x } from 'main'; try { x; } catch (e) { __log.push(e.constructor.name); } try { typeof x; } ` +
        `catch (e) { __log.push('typeof ' + e.constructor.name); }`,
    });
  });
  it('TDZ through a namespace object', async () => {
    await sameAsV8({
      main: `import 'b'; export let x = 1; export class C {} export const k = 2;`,
      b:
        `import * as ns from 'main'; for (const key of ['x', 'C', 'k']) { try { ns[key]; __log.push('read'); } ` +
        `catch (e) { __log.push(key + ':' + e.constructor.name); } } __log.push(Object.keys(ns).join());
          try { Object.getOwnPropertyDescriptor(ns, 'x'); } catch (e) { __log.push('gopd:' + e.constructor.name); }
          __log.push('x' in ns);`,
    });
  });
  it('evaluation order is post-order, each module once', async () => {
    const out = await sameAsV8({
      main: `import 'a'; import 'b'; __log.push('main');`,
      a: `import 'c'; __log.push('a');`,
      b: `import 'c'; import 'a'; __log.push('b');`,
      c: `__log.push('c');`,
    });
    assert.deepEqual(out.log, ['c', 'a', 'b', 'main']);
  });
  it('export default forms get the name "default"', async () => {
    for (const form of [
      'export default function () {}',
      'export default function* () {}',
      'export default async function () {}',
      'export default class {}',
      'export default (function () {});',
      'export default () => {};',
      'export default (class {});',
      'export default class { static n = this.name }',
      'export default function named() {}',
      'export default class Named {}',
      'const f = function () {}; export default f;',
      'export default (0, function () {});',
    ]) {
      await sameAsV8({ main: `${form}\n__log.push(typeof x === 'undefined');`, x: '' });
      const ns = await importModule(new Module(new ModuleSource(form)));
      const native = await runNative({ main: `import d from 'm'; __log.push(d.name, d.n);`, m: form }, 'main');
      const ours = await runModhost({ main: `import d from 'm'; __log.push(d.name, d.n);`, m: form }, 'main');
      assert.deepEqual(ours.log, native.log, form);
      assert.equal(typeof ns.default, 'function');
    }
  });
  it("this is undefined at top level and in top-level arrows; top-level arguments is not the wrapper's", async () => {
    await sameAsV8({
      main: `__log.push(this === undefined, (() => this)() === undefined, typeof arguments);
             try { arguments; __log.push('read'); } catch (e) { __log.push(e.constructor.name); }
             function f() { return arguments.length; } __log.push(f(1, 2));`,
    });
  });
  it('star exports: ambiguity and default exclusion', async () => {
    await sameAsV8({
      main: `import * as ns from 'mid'; __log.push(Object.keys(ns).join(), 'default' in ns);`,
      mid: `export * from 'a'; export * from 'b'; export const own = 1; export default 5;`,
      a: `export const x = 1, dup = 'a'; export default 'a';`,
      b: `export const y = 2, dup = 'b';`,
    });
    const ambiguous = await sameAsV8({
      main: `import { dup } from 'mid';`,
      mid: `export * from 'a'; export * from 'b';`,
      a: `export const dup = 'a';`,
      b: `export const dup = 'b';`,
    });
    assert.equal(ambiguous.error, 'SyntaxError');
  });
  it('the same binding reached through two star exports is not ambiguous', async () => {
    await sameAsV8({
      main: `import { x } from 'mid'; __log.push(x);`,
      mid: `export * from 'a'; export * from 'b';`,
      a: `export { x } from 'c';`,
      b: `export * from 'c';`,
      c: `export const x = 'c';`,
    });
  });
  it('missing and circular re-exports are SyntaxErrors at link time', async () => {
    const missing = await sameAsV8({ main: `import { nope } from 'a'; __log.push('ran');`, a: `export const x = 1;` });
    assert.equal(missing.error, 'SyntaxError');
    const circular = await sameAsV8({
      main: `import { x } from 'a';`,
      a: `export { x } from 'b';`,
      b: `export { x } from 'a';`,
    });
    assert.equal(circular.error, 'SyntaxError');
  });
  it('export * as ns and import { ns } bind namespace objects', async () => {
    await sameAsV8({
      main:
        `import { ns } from 'mid'; import * as direct from 'leaf'; __log.push(ns === direct, ns.v, ` +
        `Object.prototype.toString.call(ns));`,
      mid: `export * as ns from 'leaf';`,
      leaf: `export const v = 'leaf';`,
    });
  });
  it('top-level await: async siblings and their importer run in the spec order', async () => {
    await sameAsV8({
      main: `import 'a'; import 'b'; __log.push('main');`,
      a: `__log.push('a start'); await null; __log.push('a end');`,
      b: `__log.push('b start'); await Promise.resolve(); await 0; __log.push('b end');`,
    });
  });
  it('top-level await: spec example graph with a cycle and async leaves (16.2.1.6.2)', async () => {
    await sameAsV8({
      main: `import 'B'; import 'C'; __log.push('A');`,
      B: `import 'D'; __log.push('B');`,
      C: `import 'D'; import 'E'; __log.push('C');`,
      D: `__log.push('D start'); await 1; __log.push('D');`,
      E: `__log.push('E start'); await 1; await 1; __log.push('E');`,
    });
  });
  it('top-level await: a rejection propagates to every importer with the same error', async () => {
    const out = await sameAsV8({
      main: `import 'a'; __log.push('main must not run');`,
      a: `__log.push('a'); await null; throw new RangeError('boom');`,
    });
    assert.equal(out.error, 'RangeError');
  });
  it('top-level for await', async () => {
    await sameAsV8({
      main:
        `async function* gen() { yield 1; yield 2; }
             for await (const v of gen()) __log.push(v);
             for await (const v of [Promise.resolve('p'), 'q']) { __log.push(v); if (v === 'p') continue; }
             const it = { [Symbol.asyncIterator]() { return { i: 0, next() { return Promise.resolve({ done: ` +
        `this.i > 2, value: this.i++ }); }, return() { __log.push('closed'); return {}; } }; } };
             for await (const v of it) { if (v === 1) break; __log.push(v); }`,
    });
  });
  it('errors thrown at top level: sync and after await', async () => {
    await sameAsV8({ main: `import 'a'; __log.push('no');`, a: `__log.push('a'); null.x;` });
    await sameAsV8({ main: `import 'a';`, a: `await 0; undefinedVariable;` });
  });
  it('dynamic import() inside module code', async () => {
    await sameAsV8({
      main: `const ns = await import('a'); __log.push(ns.v); const again = await import('a'); __log.push(ns === again);
             try { await import('missing-export'); } catch (e) { __log.push(e.constructor.name); }`,
      a: `export const v = 'a';`,
      'missing-export': `import { nope } from 'a';`,
    });
  });
  it('namespace object shape (10.4.6)', async () => {
    const ns = await importModule(
      new Module(new ModuleSource('export const b = 1, a = 2; export let c; export default 3; export { b as "z z" };')),
    );
    assert.equal(Object.getPrototypeOf(ns), null);
    assert.equal(Object.isExtensible(ns), false);
    assert.deepEqual(Reflect.ownKeys(ns), ['a', 'b', 'c', 'default', 'z z', Symbol.toStringTag]);
    assert.deepEqual(Object.getOwnPropertyDescriptor(ns, 'a'), {
      value: 2,
      writable: true,
      enumerable: true,
      configurable: false,
    });
    assert.deepEqual(Object.getOwnPropertyDescriptor(ns, Symbol.toStringTag), {
      value: 'Module',
      writable: false,
      enumerable: false,
      configurable: false,
    });
    assert.equal(Reflect.set(ns, 'a', 5), false);
    assert.throws(() => {
      (ns as Record<string, unknown>).a = 5;
    }, TypeError);
    assert.equal(Reflect.deleteProperty(ns, 'a'), false);
    assert.equal(Reflect.deleteProperty(ns, 'nope'), true);
    assert.equal(Reflect.setPrototypeOf(ns, {}), false);
    assert.equal(Reflect.setPrototypeOf(ns, null), true);
    assert.equal(Reflect.preventExtensions(ns), true);
    assert.equal(Reflect.defineProperty(ns, 'a', { value: 2 }), true);
    assert.equal(Reflect.defineProperty(ns, 'a', { value: 3 }), false);
    assert.equal(Reflect.defineProperty(ns, 'a', { value: 2, enumerable: false }), false);
    assert.equal(Reflect.defineProperty(ns, 'nope', { value: 1 }), false);
    assert.equal(ns.nope, undefined);
    assert.equal('then' in ns, false);
  });
});

describe('importModule: loading through importHook', () => {
  it('calls the hook once per (referrer, specifier, attributes) and shares concurrent requests', async () => {
    const { log, restore } = withLog();
    try {
      const calls: string[] = [];
      const dep = new Module(new ModuleSource('__log.push("dep"); export default 1;'));
      const main = new Module(
        new ModuleSource(`import a from 'dep'; import b from 'dep'; export { default as again } from 'dep';
        const x = await import('dep'); const y = await import('dep', { with: { type: 'x' } }); __log.push(x === y);`),
        {
          importHook(specifier, attributes) {
            calls.push(`${specifier} ${JSON.stringify(attributes)}`);
            return new Promise<Module>((r) => setTimeout(() => r(dep), 1));
          },
        },
      );
      const first = importModule(main);
      const second = importModule(main);
      const [n1, n2] = await Promise.all([first, second]);
      assert.equal(n1, n2);
      assert.deepEqual(calls, ['dep {}', 'dep {"type":"x"}']);
      assert.deepEqual(log, ['dep', true]);
    } finally {
      restore();
    }
  });
  it('a thrown or rejected hook result is not memoised: a later import retries', async () => {
    let attempts = 0;
    const dep = new Module(new ModuleSource('export default "ok";'));
    const main = new Module(new ModuleSource('export { default } from "dep";'), {
      importHook() {
        attempts += 1;
        if (attempts === 1) throw new Error('first fails synchronously');
        if (attempts === 2) return Promise.reject(new Error('second rejects'));
        return dep;
      },
    });
    await assert.rejects(importModule(main), /first fails synchronously/);
    await assert.rejects(importModule(main), /second rejects/);
    const ns = await importModule(main);
    assert.equal(ns.default, 'ok');
    await importModule(main);
    assert.equal(attempts, 3);
  });
  it('a hook result that is neither a Module nor a module source is a TypeError naming the specifier', async () => {
    const virtualSource = { bindings: [], execute() {} };
    for (const bad of [{}, null, 'dep', virtualSource, Promise.resolve(virtualSource), Promise.resolve(42)]) {
      const main = new Module(new ModuleSource('import "dep";', { url: 'memory:/main.js' }), {
        importHook: () => bad as unknown as Module,
      });
      await assert.rejects(importModule(main), (error: Error & { code?: string }) => {
        assert.ok(error instanceof TypeError);
        assert.equal(error.code, 'ERR_MODHOST_INVALID_HOOK_RESULT');
        assert.match(error.message, /dep/);
        assert.match(error.message, /memory:\/main\.js/);
        return true;
      });
    }
  });
  it('a module without importHook uses the host, which by default fails with a coded error', async () => {
    const main = new Module(new ModuleSource('import "dep";', { url: 'memory:/main.js' }));
    await assert.rejects(importModule(main), (error: Error & { code?: string; specifier?: string }) => {
      assert.equal(error.code, 'ERR_MODHOST_NO_IMPORT_HOOK');
      assert.equal(error.specifier, 'dep');
      assert.match(error.message, /memory:\/main\.js/);
      return true;
    });
  });
  it('importModule rejects (never throws) for a non-Module', async () => {
    const p = importModule({} as Module);
    assert.ok(p instanceof Promise);
    await assert.rejects(p, TypeError);
  });
  it('an evaluation error is cached: every later import rejects with the same object', async () => {
    let runs = 0;
    (globalThis as Record<string, unknown>).__count = () => runs++;
    try {
      const m = new Module(new ModuleSource('__count(); throw new Error("once");'));
      const e1 = await importModule(m).catch((e: unknown) => e);
      const e2 = await importModule(m).catch((e: unknown) => e);
      assert.ok(e1 instanceof Error);
      assert.equal(e1, e2);
      assert.equal(runs, 1);
    } finally {
      delete (globalThis as Record<string, unknown>).__count;
    }
  });
  it('a link error is not cached: after fixing the graph the same module links', async () => {
    let exporter = new Module(new ModuleSource('export const other = 1;'));
    const main = new Module(new ModuleSource('import { wanted } from "dep"; export default wanted;'), {
      importHook: () => exporter,
    });
    await assert.rejects(importModule(main), SyntaxError);
    exporter = new Module(new ModuleSource('export const wanted = "now";'));
    // The first exporter stays memoised for this referrer (a successful load is kept), so the
    // link error recurs: loading results are cached, link results are not.
    await assert.rejects(importModule(main), SyntaxError);
    const fresh = new Module(main.source!, { importHook: () => exporter });
    assert.equal((await importModule(fresh)).default, 'now');
  });
  it('import(moduleInstance) inside module code imports that instance', async () => {
    const target = new Module(new ModuleSource('export const v = "target";'));
    (globalThis as Record<string, unknown>).__target = target;
    try {
      const main = new Module(new ModuleSource('const ns = await import(globalThis.__target); export const v = ns.v;'));
      assert.equal((await importModule(main)).v, 'target');
    } finally {
      delete (globalThis as Record<string, unknown>).__target;
    }
  });
  it('import() inside module code shares the static-import memo', async () => {
    const g = graph({
      main: `import 'dep'; const a = await import('dep'); const b = await import('dep'); export const same = a === b;`,
      dep: 'export {}',
    });
    const ns = await importModule(g.get('main'));
    assert.equal(ns.same, true);
    assert.deepEqual(g.hookCalls, ['main->dep']);
  });
  it('import() with bad options rejects with TypeError', async () => {
    const g = graph({
      main: `
      const results = [];
      for (const options of [1, { with: 1 }, { with: { type: 1 } }]) {
        try { await import('dep', options); results.push('ok'); } catch (e) { results.push(e.constructor.name); }
      }
      export { results };`,
      dep: '',
    });
    const ns = await importModule(g.get('main'));
    assert.deepEqual(ns.results, ['TypeError', 'TypeError', 'TypeError']);
  });
});

describe('import.meta', () => {
  it('is a lazily created null-prototype object filled by importMetaHook, the same object on every read', async () => {
    const calls: object[] = [];
    const main = new Module(new ModuleSource('export const a = import.meta, b = import.meta;'), {
      importMetaHook(meta) {
        calls.push(meta);
        (meta as Record<string, unknown>).url = 'memory:/main';
      },
    });
    const ns = await importModule(main);
    assert.equal(ns.a, ns.b);
    assert.equal(calls.length, 1);
    assert.equal(calls[0], ns.a);
    assert.equal(Object.getPrototypeOf(ns.a), null);
    assert.equal((ns.a as Record<string, unknown>).url, 'memory:/main');
  });
  it('is not created when never read', async () => {
    let called = false;
    await importModule(
      new Module(new ModuleSource('export const f = () => import.meta;'), {
        importMetaHook() {
          called = true;
        },
      }),
    );
    assert.equal(called, false);
  });
  it('is kept only if the hook returns normally', async () => {
    let n = 0;
    const main = new Module(
      new ModuleSource(`
      let first; try { import.meta; } catch (e) { first = e.message; }
      export const second = import.meta, third = import.meta; export { first };`),
      {
        importMetaHook(meta) {
          n += 1;
          if (n === 1) throw new Error('hook failed');
          (meta as Record<string, unknown>).n = n;
        },
      },
    );
    const ns = await importModule(main);
    assert.equal(ns.first, 'hook failed');
    assert.equal(ns.second, ns.third);
    assert.equal((ns.second as Record<string, unknown>).n, 2);
    assert.equal(n, 2);
  });
});
