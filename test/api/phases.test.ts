/**
 * Issue 8 through the public API: %AbstractModuleSource% (source phase imports 28.3.2), source
 * phase imports of ModuleSource / virtual / JSON / text / WebAssembly sources, ESM phase imports'
 * `import(moduleSource)` (canonical instance; attributes or another realm → TypeError), virtual
 * module sources (layer 2) and import attributes end to end. Expectations come from the proposals'
 * spec texts and explainer (Node 20's V8 supports none of this).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createModuleInRealm } from '../../src/api/module.js';
import { createRealm } from '../../src/api/realm.js';
import {
  AbstractModuleSource,
  importModule,
  install,
  JsonModuleSource,
  Module,
  ModuleSource,
  TextModuleSource,
  WasmModuleSource,
} from '../../src/index.js';
import { withLog } from './helpers.js';

type Ns = Record<string, unknown>;
const hookTo = (modules: Record<string, Module>, calls: string[] = []) => ({
  importHook(specifier: string, attributes: Record<string, string>) {
    calls.push(`${specifier}${Object.keys(attributes).length ? ` ${JSON.stringify(attributes)}` : ''}`);
    const m = modules[specifier];
    if (m === undefined) throw new Error(`no module ${specifier}`);
    return m;
  },
});

describe('%AbstractModuleSource%', () => {
  const tagGetter = Object.getOwnPropertyDescriptor(AbstractModuleSource.prototype, Symbol.toStringTag)!.get!;

  it('is not a global, is the [[Prototype]] of every module source class, and throws when constructed', () => {
    const g = install({} as Record<string, unknown>);
    assert.equal('AbstractModuleSource' in g, false);
    assert.equal((globalThis as Record<string, unknown>).AbstractModuleSource, undefined);
    for (const C of [ModuleSource, JsonModuleSource, TextModuleSource, WasmModuleSource]) {
      assert.equal(Object.getPrototypeOf(C), AbstractModuleSource, C.name);
      assert.equal(Object.getPrototypeOf(C.prototype), AbstractModuleSource.prototype, C.name);
    }
    assert.throws(() => new (AbstractModuleSource as unknown as new () => object)(), TypeError);
    assert.throws(() => (AbstractModuleSource as unknown as () => void)(), TypeError);
  });

  it('get [Symbol.toStringTag]: undefined without [[ModuleSourceClassName]], else the class name', () => {
    assert.equal(tagGetter.name, 'get [Symbol.toStringTag]');
    for (const value of [undefined, null, 1, 'x', {}, Object.create(ModuleSource.prototype), ModuleSource.prototype]) {
      assert.equal(tagGetter.call(value), undefined);
    }
    assert.equal(tagGetter.call(new ModuleSource('')), 'ModuleSource');
    assert.equal(Object.prototype.toString.call(new JsonModuleSource('1')), '[object JsonModuleSource]');
    assert.equal(Object.prototype.toString.call(new TextModuleSource('')), '[object TextModuleSource]');
  });
});

describe('source phase imports through the API', () => {
  it('`import source x` binds the ModuleSource of the imported Module; its dependencies are not loaded', async () => {
    const depSource = new ModuleSource("import 'never'; export default 1;");
    const calls: string[] = [];
    const modules: Record<string, Module> = {};
    modules.dep = new Module(depSource, hookTo(modules, calls));
    const main = new Module(
      new ModuleSource(
        "import source s from 'dep'; export { s }; export const viaDynamic = await import.source('dep');",
      ),
      hookTo(modules, calls),
    );
    const ns = (await importModule(main)) as Ns;
    assert.equal(ns.s, depSource);
    assert.equal(ns.viaDynamic, depSource);
    assert.equal(modules.dep!.source, depSource);
    assert.deepEqual(calls, ['dep']);
  });

  it('a Module with a virtual source: the source phase is the virtual source object', async () => {
    const virtual = {
      bindings: [{ export: 'x' }],
      execute(env: Ns) {
        env.x = 1;
      },
    };
    const main = new Module(
      new ModuleSource("import source v from 'v'; export { v };"),
      hookTo({ v: new Module(virtual) }),
    );
    assert.equal(((await importModule(main)) as Ns).v, virtual);
  });
});

describe('ESM phase imports: import(moduleSource) imports the canonical instance', () => {
  it('every import of one source in one realm gets the same instance (and namespace)', async () => {
    const { log, restore } = withLog();
    try {
      const source = new ModuleSource("globalThis.__log.push('run'); export const n = 1;");
      const main = new Module(new ModuleSource('export default async (s) => [await import(s), await import(s)];'));
      const run = ((await importModule(main)) as Ns).default as (s: unknown) => Promise<Ns[]>;
      const [a, b] = await run(source);
      assert.equal(a, b);
      assert.equal(a!.n, 1);
      assert.equal(await importModule(source), a, 'importModule(source) uses the same canonical instance');
      assert.deepEqual(log, ['run']);
      // A separate `new Module(source)` is not the canonical instance.
      assert.notEqual(await importModule(new Module(source)), a);
    } finally {
      restore();
    }
  });

  it('import attributes with a module source are a TypeError', async () => {
    const source = new ModuleSource('export {};');
    const main = new Module(new ModuleSource("export default (s) => import(s, { with: { type: 'json' } });"));
    const run = ((await importModule(main)) as Ns).default as (s: unknown) => Promise<unknown>;
    await assert.rejects(
      run(source),
      (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_MODHOST_INVALID_SOURCE_IMPORT',
    );
    await assert.rejects(importModule(source, { with: { type: 'json' } } as never), TypeError);
  });

  it('a source whose canonical instance belongs to another realm is a TypeError', async () => {
    const other = createRealm();
    const source = new ModuleSource('export const x = 1;');
    createModuleInRealm(source, undefined, other); // the other host's canonical instance
    const main = new Module(new ModuleSource('export default (s) => import(s);'));
    const run = ((await importModule(main)) as Ns).default as (s: unknown) => Promise<unknown>;
    await assert.rejects(
      run(source),
      (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_MODHOST_INVALID_SOURCE_IMPORT',
    );
  });

  it('anything else is still a specifier (ToString)', async () => {
    const main = new Module(new ModuleSource('export default (s) => import(s);'), {
      importHook: (specifier: string) => {
        throw new Error(`hook ${specifier}`);
      },
    });
    const run = ((await importModule(main)) as Ns).default as (s: unknown) => Promise<unknown>;
    await assert.rejects(run({ toString: () => 'spec' }), /hook spec/);
  });
});

describe('virtual module sources (layer 2)', () => {
  it('execute(environment, context) runs once per instance, `this` = the source; exports are live', async () => {
    const seen: unknown[] = [];
    const virtual = {
      bindings: [{ export: 'count' }, { export: 'increment' }],
      execute(this: unknown, env: Ns, context: object) {
        seen.push(this, Object.keys(context));
        env.count = 0;
        env.increment = () => {
          env.count = (env.count as number) + 1;
        };
      },
    };
    const counter = new Module(virtual);
    const main = new Module(
      new ModuleSource(
        "import { count, increment } from 'counter'; increment(); increment(); export const seen = count; export " +
          '{ count };',
      ),
      hookTo({ counter }),
    );
    const ns = (await importModule(main)) as Ns;
    assert.equal(ns.seen, 2);
    assert.equal(ns.count, 2);
    assert.deepEqual(seen, [virtual, []]);
    assert.equal(counter.source, virtual);
    // The environment is sealed: a name that is not a binding cannot be added.
    const strict = new Module({
      bindings: [],
      execute(env: Ns) {
        env.nope = 1;
      },
    });
    await assert.rejects(importModule(strict), TypeError);
  });

  it('imports are live and read-only in the environment', async () => {
    const dep = new Module(new ModuleSource('export let v = 1; export function bump() { v++; }'));
    const reads: unknown[] = [];
    const virtual = new Module(
      {
        bindings: [
          { import: 'v', from: 'dep' },
          { import: 'bump', from: 'dep' },
          { importAllFrom: 'dep', as: 'ns' },
        ],
        execute(env: Ns) {
          reads.push(env.v);
          (env.bump as () => void)();
          reads.push(env.v, (env.ns as Ns).v);
          try {
            env.v = 5;
          } catch (e) {
            reads.push((e as Error).constructor.name);
          }
        },
      },
      hookTo({ dep }),
    );
    await importModule(virtual);
    assert.deepEqual(reads, [1, 2, 2, 'TypeError']);
  });

  it('needsImport / needsImportMeta gate the context; import is bound to the Module', async () => {
    const contexts: Ns[] = [];
    const target = new Module(new ModuleSource('export const t = 1;'));
    const virtual = {
      needsImport: true,
      needsImportMeta: true,
      async execute(_env: Ns, context: Ns) {
        contexts.push(context);
        const ns = (await (context.import as (s: string) => Promise<Ns>)('t')) as Ns;
        assert.equal(ns.t, 1);
      },
    };
    await importModule(
      new Module(virtual, {
        ...hookTo({ t: target }),
        importMetaHook(meta: Ns) {
          meta.url = 'memory:/virtual';
        },
      }),
    );
    assert.deepEqual(Object.keys(contexts[0]!).sort(), ['import', 'importMeta']);
    assert.equal((contexts[0]!.importMeta as Ns).url, 'memory:/virtual');
  });

  it('an async execute is top-level await: importers wait, a rejection is the evaluation error', async () => {
    const { log, restore } = withLog();
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const slow = new Module({
        bindings: [{ export: 'done' }],
        async execute(env: Ns) {
          log.push('slow start');
          await gate;
          env.done = true;
          log.push('slow end');
        },
      });
      const main = new Module(
        new ModuleSource("import { done } from 'slow'; globalThis.__log.push('main ' + done);"),
        hookTo({ slow }),
      );
      const result = importModule(main);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(log, ['slow start']);
      release();
      await result;
      assert.deepEqual(log, ['slow start', 'slow end', 'main true']);
      const failing = new Module({
        async execute() {
          throw new RangeError('no');
        },
      });
      const first = await importModule(failing).catch((e: unknown) => e);
      assert.ok(first instanceof RangeError);
      assert.equal(await importModule(failing).catch((e: unknown) => e), first);
    } finally {
      restore();
    }
  });

  it("XS's positional initialize($, Import, ImportMeta) is used when there is no execute", async () => {
    const args: unknown[] = [];
    const m = new Module({
      bindings: [{ export: 'x' }],
      needsImport: true,
      initialize($: Ns, Import: unknown, ImportMeta: unknown) {
        args.push(typeof Import, ImportMeta);
        $.x = 7;
      },
    });
    assert.equal(((await importModule(m)) as Ns).x, 7);
    assert.deepEqual(args, ['function', undefined]);
  });

  it('re-export bindings link without touching the environment (the explainer pass-through example)', async () => {
    const real = new Module(new ModuleSource('export const a = 1; export default 2;'));
    const pass = new Module(
      {
        bindings: [
          { exportAllFrom: 'real', as: 'real' },
          { exportAllFrom: 'real' },
          { export: 'default', as: 'd', from: 'real' },
        ],
      },
      hookTo({ real }),
    );
    const ns = (await importModule(pass)) as Ns;
    assert.equal(ns.real, await importModule(real));
    assert.equal(ns.a, 1);
    assert.equal(ns.d, 2);
    assert.equal('default' in ns, false);
  });

  it('malformed virtual sources are TypeErrors (ERR_MODHOST_INVALID_VIRTUAL_SOURCE)', () => {
    const bad: unknown[] = [
      { bindings: [1] },
      { bindings: [{ import: 'x' }] },
      { bindings: [{ importAllFrom: 'm' }] },
      { bindings: [{ export: 'x' }, { export: 'x' }] },
      {
        bindings: [
          { import: 'x', from: 'a' },
          { import: 'x', from: 'b' },
        ],
      },
      { bindings: [{ frobnicate: 'm' }] },
      { bindings: [{ import: 'x', from: 'm', with: { type: 1 } }] },
      { execute: 1 },
    ];
    for (const source of bad) {
      assert.throws(
        () => new Module(source as object),
        (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_MODHOST_INVALID_VIRTUAL_SOURCE',
        JSON.stringify(source),
      );
    }
  });
});

describe('JSON, text and WebAssembly module sources', () => {
  it('JsonModuleSource: parsed at construction (SyntaxError), a fresh value per instance', async () => {
    assert.throws(
      () => new JsonModuleSource('{'),
      (e: Error & { code?: string }) => e instanceof SyntaxError && e.code === 'ERR_MODHOST_PARSE',
    );
    const source = new JsonModuleSource('{"a":[1]}');
    const one = (await importModule(new Module(source))) as Ns;
    const two = (await importModule(new Module(source))) as Ns;
    assert.deepEqual(one.default, { a: [1] });
    assert.notEqual(one.default, two.default);
    assert.deepEqual(source.bindings, [{ export: 'default' }]);
  });

  it('TextModuleSource exports its text; import(source) of a JSON / text source: its canonical instance', async () => {
    assert.equal(((await importModule(new Module(new TextModuleSource('hi\n')))) as Ns).default, 'hi\n');
    const text = new TextModuleSource('once');
    const json = new JsonModuleSource('{"n":1}');
    const main = new Module(new ModuleSource('export default async (s) => [await import(s), await import(s)];'));
    const run = ((await importModule(main)) as Ns).default as (s: unknown) => Promise<Ns[]>;
    const [a, b] = await run(text);
    assert.equal(a, b);
    assert.equal(a!.default, 'once');
    assert.deepEqual((await run(json))[0]!.default, { n: 1 });
  });

  it('WasmModuleSource: imports are module imports, the source phase is the WebAssembly.Module', async () => {
    // (module (func (export "answer") (result i32) i32.const 42))
    const bytes = new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 10, 1, 6, 97, 110, 115, 119, 101, 114, 0, 0,
      10, 6, 1, 4, 0, 65, 42, 11,
    ]);
    const source = new WasmModuleSource(bytes);
    assert.deepEqual(source.bindings, [{ export: 'answer' }]);
    const wasm = new Module(source);
    const main = new Module(
      new ModuleSource(
        "import source mod from 'wasm'; import { answer } from 'wasm'; export { mod }; export const value = answer();",
      ),
      hookTo({ wasm }),
    );
    const ns = (await importModule(main)) as Ns;
    assert.equal(ns.value, 42);
    assert.equal(ns.mod, (source as unknown as { module: object }).module);
    assert.equal(Object.prototype.toString.call(ns.mod), '[object WebAssembly.Module]');
    // ESM phase imports with a WebAssembly.Module: its canonical instance.
    assert.equal(((await importModule(ns.mod as object)) as Ns).answer instanceof Function, true);
  });
});

describe('import attributes end to end', () => {
  it('reach the importHook, and are part of the [[LoadedModules]] key', async () => {
    const calls: string[] = [];
    const modules = { m: new Module(new ModuleSource('export default 1;')) };
    const main = new Module(
      new ModuleSource(
        "import a from 'm'; import b from 'm' with { type: 'json' }; import c from 'm' with { type: 'json' }; " +
          "export const d = await import('m', { with: { type: 'json' } });",
      ),
      hookTo(modules, calls),
    );
    await importModule(main);
    assert.deepEqual(calls, ['m', 'm {"type":"json"}']);
  });

  it('an unsupported key fails loading with a SyntaxError naming it; import() rejects with a TypeError', async () => {
    const main = new Module(new ModuleSource("import a from 'm' with { integrity: 'x' };"), hookTo({}));
    await assert.rejects(
      importModule(main),
      (e: Error & { code?: string; attribute?: string }) =>
        e instanceof SyntaxError && e.code === 'ERR_MODHOST_UNSUPPORTED_ATTRIBUTE' && e.attribute === 'integrity',
    );
    const dynamic = new Module(new ModuleSource("export const p = import('m', { with: { lang: 'x' } });"), hookTo({}));
    const ns = (await importModule(dynamic)) as Ns;
    await assert.rejects(
      ns.p as Promise<unknown>,
      (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
    );
  });
});

describe('importModule(module, { phase })', () => {
  it("'source' resolves to the module's source object without loading anything", async () => {
    const calls: string[] = [];
    const text = new ModuleSource("import 'never';");
    const virtual = { bindings: [{ import: 'x', from: 'never' }] };
    const json = new JsonModuleSource('1');
    for (const [module, expected] of [
      [new Module(text, hookTo({}, calls)), text],
      [new Module(virtual, hookTo({}, calls)), virtual],
      [new Module(json), json],
    ] as const) {
      assert.equal(await importModule(module, { phase: 'source' }), expected);
    }
    // A source imports its own instance, whose source is itself.
    assert.equal(await importModule(text, { phase: 'source' }), text);
    assert.deepEqual(calls, []);
  });

  it("'source' of a Module without a source rejects with ERR_MODHOST_NO_MODULE_SOURCE", async () => {
    const { moduleFromRecord } = await import('../../src/api/module.js');
    const { createSyntheticModuleRecord } = await import('../../src/records/index.js');
    const sourceless = moduleFromRecord(createSyntheticModuleRecord(['x'], () => {}, createRealm()));
    await assert.rejects(
      importModule(sourceless, { phase: 'source' }),
      (e: Error & { code?: string }) => e instanceof SyntaxError && e.code === 'ERR_MODHOST_NO_MODULE_SOURCE',
    );
  });

  it("'defer' loads and links, evaluates only the asynchronous part, and gives the deferred namespace", async () => {
    const { log, restore } = withLog();
    try {
      const modules: Record<string, Module> = {};
      modules.slow = new Module(
        new ModuleSource("globalThis.__log.push('slow'); await 0; export const s = 1;"),
        hookTo(modules),
      );
      modules.lazy = new Module(
        new ModuleSource("import { s } from 'slow'; globalThis.__log.push('lazy'); export const v = s + 1;"),
        hookTo(modules),
      );
      const pending = importModule(modules.lazy, { phase: 'defer' });
      const deferred = await pending;
      assert.equal(Object.prototype.toString.call(deferred), '[object Deferred Module]');
      assert.deepEqual(log, ['slow'], 'only the asynchronous dependency ran');
      assert.equal(deferred.v, 2);
      assert.deepEqual(log, ['slow', 'lazy'], 'the first access evaluated the module');
      // The same with a signal (the abortable path).
      const other = new Module(new ModuleSource("globalThis.__log.push('other'); export const o = 3;"));
      const viaSignal = await importModule(other, { phase: 'defer', signal: new AbortController().signal });
      assert.deepEqual(log, ['slow', 'lazy']);
      assert.equal(viaSignal.o, 3);
      assert.deepEqual(log, ['slow', 'lazy', 'other']);
    } finally {
      restore();
    }
  });

  it("'evaluation' is the default; any other phase is a coded TypeError", async () => {
    const module = new Module(new ModuleSource('export const e = 1;'));
    assert.equal(await importModule(module, { phase: 'evaluation' }), await importModule(module));
    for (const phase of ['Source', 'instantiation', 1, null, {}]) {
      await assert.rejects(
        importModule(module, { phase } as never),
        (e: Error & { code?: string }) =>
          e instanceof TypeError && e.code === 'ERR_MODHOST_INVALID_ARGUMENT' && /phase/.test(e.message),
        String(phase),
      );
    }
  });
});

describe('a plain virtual module source given to import()', () => {
  it('is rejected with ERR_MODHOST_INVALID_SOURCE_IMPORT, by import() in module code and by importModule', async () => {
    const runner = new Module(new ModuleSource('export default (x) => import(x);'), {
      importHook: (specifier: string) => {
        throw new Error(`imported the specifier ${specifier}`);
      },
    });
    const run = ((await importModule(runner)) as Ns).default as (x: unknown) => Promise<unknown>;
    const shapes = [
      { bindings: [{ export: 'x' }] },
      { execute() {} },
      { initialize() {} },
      Object.create({ execute() {} }),
    ];
    for (const virtual of shapes) {
      for (const attempt of [run(virtual), importModule(virtual)]) {
        await assert.rejects(attempt, (e: Error & { code?: string }) => {
          assert.ok(e instanceof TypeError);
          assert.equal(e.code, 'ERR_MODHOST_INVALID_SOURCE_IMPORT');
          assert.match(e.message, /new Module\(source/);
          return true;
        });
      }
      // Wrapped in a Module, it imports.
      assert.equal(Object.prototype.toString.call(await run(new Module(virtual))), '[object Module]');
    }
    // Objects without that shape are still specifiers, as ECMA-262 ToString makes them.
    await assert.rejects(run({ toString: () => 'spec' }), /imported the specifier spec/);
    await assert.rejects(run(new URL('memory:/u.js')), /imported the specifier memory:\/u\.js/);
  });
});
