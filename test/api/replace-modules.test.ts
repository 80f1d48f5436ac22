/**
 * replaceModules: true rebinding through the public Module API. Importers at any distance (named
 * imports, namespaces, `export *`, `export { x } from`) read the new instance without being
 * evaluated again; everything is all or nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { importModule, Module, ModuleSource, replaceModules } from '../../src/index.js';

/**
 * A graph whose importHooks answer with the *current* version of each module, so that a new
 * version's own imports reach the current versions (as a host's module map does).
 */
function versioned(texts: Record<string, string>) {
  const current = new Map<string, Module>();
  const make = (name: string, text: string): Module =>
    new Module(new ModuleSource(text, { url: `memory:/${name}` }), {
      importHook(specifier: string) {
        const found = get(specifier);
        return found;
      },
    });
  function get(name: string): Module {
    let module = current.get(name);
    if (module === undefined) {
      const text = texts[name];
      if (text === undefined) throw new Error(`no module named ${name}`);
      module = make(name, text);
      current.set(name, module);
    }
    return module;
  }
  return {
    get,
    /** Makes a new version of `name` (the current one until `replace` commits). */
    async replace(changes: Record<string, string>, roots: string[]): Promise<void> {
      const pairs: [Module, Module][] = [];
      const fresh = new Map<string, Module>();
      for (const [name, text] of Object.entries(changes)) {
        if (!current.has(name) && texts[name] === undefined) {
          // A module the new code adds: it is simply loaded.
          texts[name] = text;
          continue;
        }
        const next = make(name, text);
        fresh.set(name, next);
        pairs.push([get(name), next]);
      }
      // The new versions' imports reach the other new versions (a host's pending module map).
      const previous = new Map(current);
      for (const [name, module] of fresh) current.set(name, module);
      try {
        await replaceModules(pairs, { within: roots.map((name) => previous.get(name) ?? get(name)) });
      } catch (error) {
        for (const [name, module] of previous) current.set(name, module);
        throw error;
      }
    },
  };
}

/** A global counter module code can bump: evaluations of each module. */
function counting(): { runs: Record<string, number>; restore(): void } {
  const runs: Record<string, number> = {};
  (globalThis as Record<string, unknown>).__ran = (name: string) => {
    runs[name] = (runs[name] ?? 0) + 1;
  };
  return { runs, restore: () => delete (globalThis as Record<string, unknown>).__ran };
}

describe('replaceModules: true rebinding', () => {
  it('a named import reads the new instance; the importer is not evaluated again and keeps its state', async () => {
    const { runs, restore } = counting();
    try {
      const g = versioned({
        dep: `__ran('dep'); export const step = 1; export let calls = 0; export function bump() { calls++; }`,
        app: `__ran('app'); import { step, bump, calls } from 'dep';
          let total = 0;
          export function next() { bump(); total += step; return total; }
          export function seen() { return calls; }`,
      });
      const app = await importModule(g.get('app'));
      assert.equal((app.next as () => number)(), 1);
      assert.equal((app.next as () => number)(), 2);
      await g.replace(
        { dep: `__ran('dep'); export const step = 10; export let calls = 100; export function bump() { calls += 2; }` },
        ['app'],
      );
      assert.deepEqual(runs, { dep: 2, app: 1 });
      // total (the importer's own state) is kept; step and bump are the new instance's.
      assert.equal((app.next as () => number)(), 12);
      assert.equal((app.seen as () => number)(), 102);
    } finally {
      restore();
    }
  });

  it('re-exports at any distance: export { x } from, export *, export * as ns', async () => {
    const g = versioned({
      leaf: `export let value = 'v1'; export const extra = 'e1';`,
      named: `export { value } from 'leaf';`,
      star: `export * from 'named'; export * from 'other';`,
      other: `export const unrelated = 1;`,
      asNs: `export * as leafNs from 'leaf';`,
      app: `import { value } from 'star'; import { leafNs } from 'asNs'; import * as starNs from 'star';
        export const read = () => [value, leafNs.value, leafNs.extra, starNs.value];`,
    });
    const app = await importModule(g.get('app'));
    const read = app.read as () => unknown[];
    assert.deepEqual(read(), ['v1', 'v1', 'e1', 'v1']);
    await g.replace({ leaf: `export let value = 'v2'; export const extra = 'e2';` }, ['app']);
    assert.deepEqual(read(), ['v2', 'v2', 'e2', 'v2']);
    await g.replace({ leaf: `export let value = 'v3'; export const extra = 'e3';` }, ['app']);
    assert.deepEqual(read(), ['v3', 'v3', 'e3', 'v3']);
  });

  it('live bindings of the new instance stay live for importers', async () => {
    const g = versioned({
      dep: `export let n = 0;`,
      app: `import { n } from 'dep'; export const read = () => n;`,
    });
    const app = await importModule(g.get('app'));
    await g.replace({ dep: `export let n = 5; export function inc() { n++; }` }, ['app']);
    const dep = await importModule(g.get('dep'));
    (dep.inc as () => void)();
    assert.equal((app.read as () => number)(), 6);
  });

  it('same export names: a namespace object keeps its identity and shows the new bindings', async () => {
    const g = versioned({
      dep: `export let a = 1; export function b() { return 'b1'; }`,
      app: `import * as ns from 'dep'; export const get = () => ns;`,
    });
    const app = await importModule(g.get('app'));
    const before = (app.get as () => Record<string, unknown>)();
    const imported = await importModule(g.get('dep'));
    assert.equal(imported, before);
    await g.replace({ dep: `export let a = 2; export function b() { return 'b2'; }` }, ['app']);
    const after = (app.get as () => Record<string, unknown>)();
    assert.equal(after, before, 'the same object');
    assert.equal(before.a, 2);
    assert.equal((before.b as () => string)(), 'b2');
    // import() of the new instance gives that object too.
    assert.equal(await importModule(g.get('dep')), before);
    assert.equal(Object.prototype.toString.call(before), '[object Module]');
    assert.deepEqual(Object.keys(before), ['a', 'b']);
  });

  it('other export names: importers get a new namespace; a held old one shows what is still exported', async () => {
    const g = versioned({
      dep: `export const kept = 'k1'; export const removed = 'r1';`,
      app: `import * as ns from 'dep'; export const get = () => ns;`,
    });
    const app = await importModule(g.get('app'));
    const old = (app.get as () => Record<string, unknown>)();
    await g.replace({ dep: `export const kept = 'k2'; export const added = 'a2';` }, ['app']);
    const current = (app.get as () => Record<string, unknown>)();
    assert.notEqual(current, old);
    assert.deepEqual(Object.keys(current), ['added', 'kept']);
    assert.equal(current.added, 'a2');
    // The old object cannot change its keys (its properties are non-configurable): it shows the
    // new value of what is still exported and a ReferenceError for what is gone.
    // (Reflect.ownKeys: Object.keys reads each property's descriptor, which throws for 'removed'
    // as it does for an export still in its TDZ.)
    assert.deepEqual(Reflect.ownKeys(old), ['kept', 'removed', Symbol.toStringTag]);
    assert.throws(() => Object.keys(old), ReferenceError);
    assert.equal(old.kept, 'k2');
    assert.throws(
      () => old.removed,
      (error: Error & { code?: string }) =>
        error instanceof ReferenceError &&
        error.code === 'ERR_MODHOST_HOT_REMOVED_EXPORT' &&
        /removed/.test(error.message),
    );
    assert.equal('added' in old, false);
  });

  it('a non-replaced re-exporter whose `export *` names change gets a new namespace too', async () => {
    const g = versioned({
      leaf: `export const a = 1;`,
      index: `export * from 'leaf';`,
      app: `import * as idx from 'index'; export const get = () => idx;`,
    });
    const app = await importModule(g.get('app'));
    const before = (app.get as () => Record<string, unknown>)();
    assert.deepEqual(Object.keys(before), ['a']);
    await g.replace({ leaf: `export const a = 2; export const b = 3;` }, ['app']);
    const after = (app.get as () => Record<string, unknown>)();
    assert.deepEqual(Object.keys(after), ['a', 'b']);
    assert.equal(after.b, 3);
    assert.equal(before.a, 2);
  });

  it('import() in an importer: a held namespace shows the new instance and a new import() gets it', async () => {
    const g = versioned({
      dep: `export const v = 1;`,
      app: `export const load = () => import('dep');`,
    });
    const app = await importModule(g.get('app'));
    const held = (await (app.load as () => Promise<Record<string, unknown>>)()) as Record<string, unknown>;
    await g.replace({ dep: `export const v = 2;` }, ['app']);
    assert.equal(held.v, 2);
    assert.equal(await (app.load as () => Promise<unknown>)(), held);
  });

  it('import defer: a module not evaluated yet is replaced by one not evaluated either', async () => {
    const { runs, restore } = counting();
    try {
      const g = versioned({
        lazy: `__ran('lazy'); export const v = 'v1';`,
        app: `import defer * as ns from 'lazy'; export const read = () => ns.v;`,
      });
      const app = await importModule(g.get('app'));
      await g.replace({ lazy: `__ran('lazy2'); export const v = 'v2';` }, ['app']);
      assert.deepEqual(runs, {}, 'neither version has run');
      assert.equal((app.read as () => string)(), 'v2');
      assert.deepEqual(runs, { lazy2: 1 });
    } finally {
      restore();
    }
  });

  it('several modules at once, including both members of a cycle', async () => {
    const g = versioned({
      a: `import { b } from 'b'; export const a = 'a1'; export const both = () => a + b;`,
      b: `import { a } from 'a'; export const b = 'b1'; export const fromB = () => a;`,
      app: `import { both } from 'a'; import { fromB } from 'b'; export const read = () => [both(), fromB()];`,
    });
    const app = await importModule(g.get('app'));
    assert.deepEqual((app.read as () => string[])(), ['a1b1', 'a1']);
    await g.replace(
      {
        a: `import { b } from 'b'; export const a = 'a2'; export const both = () => a + b;`,
        b: `import { a } from 'a'; export const b = 'b2'; export const fromB = () => a;`,
      },
      ['app'],
    );
    assert.deepEqual((app.read as () => string[])(), ['a2b2', 'a2']);
  });

  it('one member of a cycle: the live member is relinked to the new one, the new one reads the live one', async () => {
    const { runs, restore } = counting();
    try {
      const g = versioned({
        a: `__ran('a'); import { b } from 'b'; export const a = 'a1'; export const viaA = () => b;`,
        b: `__ran('b'); import { a } from 'a'; export const b = 'b1'; export const viaB = () => a;`,
      });
      const b = await importModule(g.get('b'));
      await g.replace(
        { a: `__ran('a'); import { b } from 'b'; export const a = 'a2'; export const viaA = () => b + '!';` },
        ['b'],
      );
      assert.equal((b.viaB as () => string)(), 'a2');
      const a = await importModule(g.get('a'));
      assert.equal((a.viaA as () => string)(), 'b1!');
      assert.deepEqual(runs, { a: 2, b: 1 });
    } finally {
      restore();
    }
  });

  it('the new code runs in the order a fresh evaluation would reach it (dependencies first)', async () => {
    const order: string[] = [];
    (globalThis as Record<string, unknown>).__order = order;
    try {
      const g = versioned({
        leaf: `__order.push('leaf1');`,
        mid: `import 'leaf'; __order.push('mid1');`,
        app: `import 'mid'; export {};`,
      });
      await importModule(g.get('app'));
      await g.replace({ mid: `import 'leaf'; __order.push('mid2');`, leaf: `__order.push('leaf2');` }, ['app']);
      assert.deepEqual(order, ['leaf1', 'mid1', 'leaf2', 'mid2']);
    } finally {
      delete (globalThis as Record<string, unknown>).__order;
    }
  });

  it('top-level await in the new code: importers read the old instance until it has finished', async () => {
    const g = versioned({
      dep: `export const v = 'old';`,
      app: `import { v } from 'dep'; export const read = () => v;`,
    });
    const app = await importModule(g.get('app'));
    let release!: () => void;
    (globalThis as Record<string, unknown>).__gate = new Promise<void>((resolve) => (release = resolve));
    try {
      const update = g.replace({ dep: `await __gate; export const v = 'new';` }, ['app']);
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal((app.read as () => string)(), 'old', 'still the old instance while the new one awaits');
      release();
      await update;
      assert.equal((app.read as () => string)(), 'new');
    } finally {
      delete (globalThis as Record<string, unknown>).__gate;
    }
  });

  it('TDZ is the language\u2019s: a new cycle reading a binding too early fails; nothing changes', async () => {
    const g = versioned({
      a: `export const a = 'a1';`,
      app: `import { a } from 'a'; export const read = () => a;`,
    });
    const app = await importModule(g.get('app'));
    await assert.rejects(
      g.replace(
        {
          a: `import { early } from 'b'; export const a = early;`,
          b: `import { a } from 'a'; export const early = a;`,
        },
        ['app'],
      ),
      ReferenceError,
    );
    assert.equal((app.read as () => string)(), 'a1');
  });
});

describe('replaceModules: all or nothing', () => {
  it('a link error in a live importer (an import the new code dropped) rejects and changes nothing', async () => {
    const g = versioned({
      dep: `export const x = 1;`,
      app: `import { x } from 'dep'; export const read = () => x;`,
    });
    const app = await importModule(g.get('app'));
    await assert.rejects(g.replace({ dep: `export const y = 2;` }, ['app']), (error: Error & { code?: string }) => {
      assert.ok(error instanceof SyntaxError);
      assert.equal(error.code, 'ERR_MODHOST_UNRESOLVED_IMPORT');
      assert.match(error.message, /memory:\/app/);
      return true;
    });
    assert.equal((app.read as () => number)(), 1);
    // The graph still works: a later valid replacement applies.
    await g.replace({ dep: `export const x = 3;` }, ['app']);
    assert.equal((app.read as () => number)(), 3);
  });

  it('a link error through a live re-exporter rejects too', async () => {
    const g = versioned({
      dep: `export const x = 1;`,
      reexport: `export { x } from 'dep';`,
      app: `import { x } from 'reexport'; export const read = () => x;`,
    });
    const app = await importModule(g.get('app'));
    await assert.rejects(g.replace({ dep: `export const z = 1;` }, ['app']), { code: 'ERR_MODHOST_UNRESOLVED_EXPORT' });
    assert.equal((app.read as () => number)(), 1);
  });

  it('an evaluation error rejects with that error; importers keep the old instance', async () => {
    const g = versioned({
      dep: `export const x = 'old';`,
      app: `import { x } from 'dep'; import * as ns from 'dep'; export const read = () => [x, ns.x];`,
    });
    const app = await importModule(g.get('app'));
    const boom = await g
      .replace({ dep: `export const x = 'new'; throw new RangeError('boom');` }, ['app'])
      .catch((e) => e);
    assert.ok(boom instanceof RangeError);
    assert.equal((boom as Error).message, 'boom');
    assert.deepEqual((app.read as () => string[])(), ['old', 'old']);
    assert.equal((await importModule(g.get('dep'))).x, 'old');
  });

  it('after an evaluation error, a namespace made during the update shows the live graph', async () => {
    // The new dep takes a namespace of the live re-exporter, which has none yet: it is made on the
    // new graph (reexport → new dep). The update fails; that namespace must read the old dep.
    const g = versioned({
      dep: `export const x = 'old';`,
      reexport: `export { x } from 'dep';`,
      app: `import { x } from 'reexport'; export const read = () => x;`,
    });
    const app = await importModule(g.get('app'));
    const slot = globalThis as Record<string, unknown>;
    try {
      for (const form of ['import defer * as r', 'import * as r']) {
        await assert.rejects(
          g.replace(
            { dep: `${form} from 'reexport'; export const x = 'new'; globalThis.__r = r; throw new Error('boom');` },
            ['app', 'reexport'],
          ),
          /boom/,
        );
        assert.equal((app.read as () => string)(), 'old');
        assert.equal((slot.__r as { x: string }).x, 'old', form);
      }
    } finally {
      delete slot.__r;
    }
  });

  it('a load error (the new module\u2019s importHook fails) rejects and changes nothing', async () => {
    const g = versioned({
      dep: `export const x = 1;`,
      app: `import { x } from 'dep'; export const read = () => x;`,
    });
    const app = await importModule(g.get('app'));
    await assert.rejects(g.replace({ dep: `import 'missing'; export const x = 2;` }, ['app']), {
      code: 'ERR_MODHOST_IMPORT_HOOK_FAILED',
    });
    assert.equal((app.read as () => number)(), 1);
  });

  it('arguments are checked', async () => {
    const one = new Module(new ModuleSource('export {};'));
    await importModule(one);
    const two = new Module(new ModuleSource('export {};'));
    await assert.rejects(replaceModules([[one, one]], { within: [] }), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    await assert.rejects(replaceModules([[one, {} as Module]], { within: [] }), TypeError);
    await assert.rejects(replaceModules([one as unknown as [Module, Module]], { within: [] }), {
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
    });
    await assert.rejects(replaceModules([[one, two]], undefined as never), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    const never = new Module(new ModuleSource('export {};'));
    await assert.rejects(replaceModules([[never, two]], { within: [] }), /not linked/);
  });
});

describe('replaceModules: old instances become unreachable', () => {
  it('nothing of the graph keeps an old instance (its environment is collected)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const refs: WeakRef<object>[] = [];
    (globalThis as Record<string, unknown>).__keep = (value: object) => refs.push(new WeakRef(value));
    try {
      const g = versioned({
        dep: `const token = {}; __keep(token); export const get = () => token; export let n = 0;`,
        mid: `export * from 'dep'; import * as ns from 'dep'; export const viaNs = () => ns.n;`,
        app: `import { get, n, viaNs } from 'mid'; export const read = () => [get(), n, viaNs()];`,
      });
      const app = await importModule(g.get('app'));
      for (let i = 1; i <= 20; i++) {
        await g.replace(
          { dep: `const token = {}; __keep(token); export const get = () => token; export let n = ${i};` },
          ['app'],
        );
      }
      assert.deepEqual((app.read as () => unknown[])().slice(1), [20, 20]);
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
      }
      const alive = refs.filter((ref) => ref.deref() !== undefined).length;
      // Only the current instance's token is alive.
      assert.equal(alive, 1, `${alive} instances alive`);
    } finally {
      delete (globalThis as Record<string, unknown>).__keep;
    }
  });
});
