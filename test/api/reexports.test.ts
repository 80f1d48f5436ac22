/**
 * Re-exported namespace, deferred namespace and source imports through the public API, as the
 * current texts define them: ParseModule 10.a.ii makes `import * as x from 'm'; export { x }` the
 * indirect ~namespace~ entry of `export * as x from 'm'` (tc39/ecma262#3715, names from #3775),
 * so ResolveExport gives { m, ~namespace~ } for both and two such re-exports reached through
 * `export *` are one binding (test262 language/module-code/ambiguous-export-bindings/); the same
 * for `import source x from 'm'; export { x }` with ~source~ (tc39/proposal-source-phase-imports#76,
 * test262 language/module-code/source-phase-import/reexport-source-binding-*.js) and for
 * `import defer * as x` with ~deferred-namespace~ (import defer's ResolveExport). Before
 * tc39/ecma262#3715 such a re-export was a local export, and two of them through `export *` were
 * "conflicting star exports".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importModule, Module, ModuleSource } from '../../src/index.js';
import { graph, withLog } from './helpers.js';

type Ns = Record<string, unknown>;

/** The two ways of re-exporting the namespace of `m` as `x`. */
const NAMESPACE_REEXPORTS = {
  'import-export': "import * as x from 'm'; export { x };",
  'export-star-as': "export * as x from 'm';",
} as const;

describe('re-exported namespace imports (ECMA-262 ParseModule 10.a.ii, tc39/ecma262#3715)', () => {
  for (const [p, q] of [
    ['import-export', 'import-export'],
    ['import-export', 'export-star-as'],
    ['export-star-as', 'import-export'],
  ] as const) {
    it(`two modules re-exporting m's namespace (${p} + ${q}), reached through export *, give one binding`, async () => {
      const g = graph({
        main:
          "import { x } from 'agg'; import * as agg from 'agg'; import * as m from 'm'; " +
          'export const same = x === m && agg.x === m; export const keys = Object.keys(agg);',
        agg: "export * from 'r1'; export * from 'r2';",
        r1: NAMESPACE_REEXPORTS[p],
        r2: NAMESPACE_REEXPORTS[q],
        m: 'export const v = 1;',
      });
      const ns = (await importModule(g.get('main'))) as Ns;
      assert.equal(ns.same, true);
      assert.deepEqual(ns.keys, ['x']);
    });
  }

  it('the re-exporting module exports the namespace itself; its own import binding still works', async () => {
    const g = graph({
      main: "import { x, own } from 'r'; import * as m from 'm'; export const result = [x === m, own() === m, x.v];",
      r: "import * as x from 'm'; export { x }; export function own() { return x; }",
      m: 'export const v = 1;',
    });
    assert.deepEqual(((await importModule(g.get('main'))) as Ns).result, [true, true, 1]);
    // The namespace of r: its [[Get]] of "x" is GetModuleNamespace(m) (step 9, ~namespace~).
    const r = (await importModule(g.get('r'))) as Ns;
    assert.equal(r.x, await importModule(g.get('m')));
  });

  it("namespaces of two different modules under one name stay ambiguous: a SyntaxError naming 'x'", async () => {
    const g = graph({
      main: "import { x } from 'agg';",
      agg: "export * from 'r1'; export * from 'r2';",
      r1: "import * as x from 'm'; export { x };",
      r2: "import * as x from 'n'; export { x };",
      m: 'export const v = 1;',
      n: 'export const v = 2;',
    });
    await assert.rejects(importModule(g.get('main')), (e: SyntaxError & { code?: string; importName?: string }) => {
      assert.ok(e instanceof SyntaxError);
      assert.equal(e.code, 'ERR_MODHOST_AMBIGUOUS_IMPORT');
      assert.equal(e.importName, 'x');
      return true;
    });
    // Not imported by name: the namespace of agg simply leaves the ambiguous name out.
    const h = graph({
      agg: "export * from 'r1'; export * from 'r2'; export const own = 1;",
      r1: "import * as x from 'm'; export { x };",
      r2: "import * as x from 'n'; export { x };",
      m: '',
      n: '',
    });
    assert.deepEqual(Object.keys((await importModule(h.get('agg'))) as Ns), ['own']);
  });

  it('a namespace and a binding of one module under one name are ambiguous (ResolveExport 9.e.iii.3)', async () => {
    const g = graph({
      main: "import { x } from 'agg';",
      agg: "export * from 'r1'; export * from 'r2';",
      r1: "import * as x from 'm'; export { x };",
      r2: "export { v as x } from 'm';",
      m: 'export const v = 1;',
    });
    await assert.rejects(importModule(g.get('main')), { code: 'ERR_MODHOST_AMBIGUOUS_IMPORT' });
  });

  it('ModuleSource.prototype.bindings reflects the syntax, unchanged', () => {
    assert.deepEqual(new ModuleSource("import * as x from './m.js'; export { x };").bindings, [
      { importAllFrom: './m.js', as: 'x' },
      { export: 'x' },
    ]);
    assert.deepEqual(new ModuleSource("import source x from './m.js'; export { x as y };").bindings, [
      { importSourceFrom: './m.js', as: 'x' },
      { export: 'x', as: 'y' },
    ]);
    assert.deepEqual(new ModuleSource("import defer * as x from './m.js'; export { x };").bindings, [
      { importAllFrom: './m.js', as: 'x', phase: 'defer' },
      { export: 'x' },
    ]);
  });
});

describe('re-exported source imports (tc39/proposal-source-phase-imports#76)', () => {
  it("two modules re-exporting m's source through export * give one binding: m's ModuleSource", async () => {
    const mSource = new ModuleSource("globalThis.__log.push('m'); export const v = 1;", { url: 'memory:/m' });
    const m = new Module(mSource);
    const { log, restore } = withLog();
    try {
      const g = graph(
        {
          main:
            "import { s } from 'agg'; import * as agg from 'agg'; " +
            'export const result = [s, agg.s, Object.keys(agg)];',
          agg: "export * from 'r1'; export * from 'r2';",
          r1: "import source s from 'm'; export { s };",
          r2: "import source s from 'm'; export { s };",
        },
        { hook: (specifier, get) => (specifier === 'm' ? m : get(specifier)) },
      );
      const [s, fromNamespace, keys] = ((await importModule(g.get('main'))) as Ns).result as unknown[];
      assert.equal(s, mSource);
      assert.equal(fromNamespace, mSource);
      assert.deepEqual(keys, ['s']);
      // The source phase does not evaluate m.
      assert.deepEqual(log, []);
    } finally {
      restore();
    }
  });
});

describe('re-exported deferred namespace imports (import defer: ~deferred-namespace~)', () => {
  it('importers get the deferred namespace; the module is evaluated on first access', async () => {
    const { log, restore } = withLog();
    try {
      const g = graph({
        main: "import { ns } from 'r'; globalThis.__log.push('main'); export { ns };",
        r: "import defer * as ns from 'dep'; export { ns };",
        dep: "globalThis.__log.push('dep'); export const x = 1;",
      });
      const main = (await importModule(g.get('main'))) as Ns;
      const ns = main.ns as Record<string | symbol, unknown>;
      assert.equal(ns[Symbol.toStringTag], 'Deferred Module');
      assert.deepEqual(log, ['main']);
      assert.equal(ns.x, 1);
      assert.deepEqual(log, ['main', 'dep']);
    } finally {
      restore();
    }
  });

  it('the deferred and the evaluation-phase namespace of one module are two bindings through export *', async () => {
    const g = graph({
      main: "import { ns } from 'agg';",
      agg: "export * from 'r1'; export * from 'r2';",
      r1: "import defer * as ns from 'dep'; export { ns };",
      r2: "import * as ns from 'dep'; export { ns };",
      dep: 'export const x = 1;',
    });
    await assert.rejects(importModule(g.get('main')), { code: 'ERR_MODHOST_AMBIGUOUS_IMPORT' });
  });
});

describe('virtual module sources classify re-exports as ParseModule does', () => {
  it('{ importAllFrom, as } + { export }: two virtual re-exporters through export * give one binding', async () => {
    const m = new Module(new ModuleSource('export const v = 1;'));
    const seen: unknown[] = [];
    const reexporter = () =>
      new Module(
        {
          bindings: [{ importAllFrom: 'm', as: 'x' }, { export: 'x' }],
          execute(env: Ns) {
            // The import binding is still readable inside the module.
            seen.push(env.x);
          },
        },
        { importHook: () => m },
      );
    const r1 = reexporter();
    const r2 = reexporter();
    const agg = new Module(new ModuleSource("export * from 'r1'; export * from 'r2';"), {
      importHook: (specifier: string) => (specifier === 'r1' ? r1 : r2),
    });
    const main = new Module(new ModuleSource("import { x } from 'agg'; export { x };"), { importHook: () => agg });
    const ns = (await importModule(main)) as Ns;
    const mNamespace = await importModule(m);
    assert.equal(ns.x, mNamespace);
    assert.deepEqual(seen, [mNamespace, mNamespace]);
    assert.equal(((await importModule(r1)) as Ns).x, mNamespace);
  });

  it('{ importSourceFrom, as } re-exported with { export, as } resolves to the module source', async () => {
    const mSource = new ModuleSource('export const v = 1;');
    const m = new Module(mSource);
    const r = new Module(
      {
        bindings: [
          { importSourceFrom: 'm', as: 's' },
          { export: 's', as: 'source' },
        ],
      },
      { importHook: () => m },
    );
    const ns = (await importModule(r)) as Ns;
    assert.deepEqual(Object.keys(ns), ['source']);
    assert.equal(ns.source, mSource);
  });
});
