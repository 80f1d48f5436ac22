/**
 * 16.2.1.7.2.1 GetExportedNames and 16.2.1.7.2.2 ResolveExport.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadRequestedModules } from '../../src/records/index.js';
import { AMBIGUOUS } from '../../src/records/module-record.js';
import { GetExportedNames, ResolveExport, type StarMemo } from '../../src/records/resolve-export.js';
import { list, type TextGraph, textGraph } from './fixtures.js';

async function loaded(texts: Record<string, string>, entry = 'A'): Promise<TextGraph> {
  const g = textGraph(texts);
  await LoadRequestedModules(g.record(entry));
  return g;
}

function names(g: TextGraph, name: string): string[] {
  return list(GetExportedNames(g.record(name)));
}

function resolve(g: TextGraph, name: string, exportName: string): unknown {
  const r = ResolveExport(g.record(name), exportName);
  if (r === null || r === AMBIGUOUS) return r;
  return {
    module: r.module.kind === 'source-text' ? r.module.source.url.slice('memory:/'.length) : r.module.kind,
    // ~namespace~, ~deferred-namespace~ and ~source~ are symbols: shown as the spec writes them.
    bindingName: typeof r.bindingName === 'symbol' ? `~${r.bindingName.description}~` : r.bindingName,
  };
}

describe('16.2.1.7.2.1 GetExportedNames', () => {
  it('steps 6-8: local names, then indirect names, then star names (without default, without duplicates)', async () => {
    const g = await loaded({
      A: `export const a = 1; export { b } from './B'; export * from './C'; export * from './D'; export default 0;`,
      B: `export const b = 2;`,
      C: `export const c = 3; export const a = 'shadowed'; export default 'C default';`,
      D: `export const c = 'also c'; export const d = 4;`,
    });
    assert.deepEqual(names(g, 'A'), ['a', 'default', 'b', 'c', 'd']);
  });

  it('step 3: an `export *` cycle ends (the start of the circularity contributes nothing more)', async () => {
    const g = await loaded({
      A: `export * from './B'; export const a = 1;`,
      B: `export * from './A'; export const b = 2;`,
    });
    assert.deepEqual(names(g, 'A'), ['a', 'b']);
    assert.deepEqual(names(g, 'B'), ['b', 'a']);
  });

  it('step 1: asking a module that has not loaded is an internal error', () => {
    const g = textGraph({ A: `export * from './B';` });
    assert.throws(() => GetExportedNames(g.record('A')), { code: 'ERR_MODHOST_INTERNAL' });
  });

  it('NOTE: names with ambiguous star bindings are still listed', async () => {
    const g = await loaded({
      A: `export * from './P'; export * from './Q';`,
      P: `export const x = 1;`,
      Q: `export const x = 2;`,
    });
    assert.deepEqual(names(g, 'A'), ['x']);
  });
});

describe('16.2.1.7.2.2 ResolveExport', () => {
  it('step 5: a local export resolves to this module and its local name', async () => {
    const g = await loaded({ A: `const inner = 1; export { inner as outer }; export default 42;` });
    assert.deepEqual(resolve(g, 'A', 'outer'), { module: 'A', bindingName: 'inner' });
    assert.deepEqual(resolve(g, 'A', 'default'), { module: 'A', bindingName: '*default*' });
  });

  it('step 6.a.iv: an indirect export resolves through the imported module', async () => {
    const g = await loaded({
      A: `export { y as z } from './B';`,
      B: `export { x as y } from './C';`,
      C: `export let x;`,
    });
    assert.deepEqual(resolve(g, 'A', 'z'), { module: 'C', bindingName: 'x' });
  });

  it('step 6.a.iii: `export * as ns` resolves to the imported module with ~namespace~', async () => {
    const g = await loaded({ A: `export * as ns from './B';`, B: `export const x = 1;` });
    assert.deepEqual(resolve(g, 'A', 'ns'), { module: 'B', bindingName: '~namespace~' });
  });

  it('step 6.a.iii (tc39/ecma262#3715): `import * as ns; export { ns }` is `export * as ns`', async () => {
    const g = await loaded({ A: `import * as ns from './B'; export { ns, ns as again };`, B: `export const x = 1;` });
    assert.deepEqual(resolve(g, 'A', 'ns'), { module: 'B', bindingName: '~namespace~' });
    assert.deepEqual(resolve(g, 'A', 'again'), { module: 'B', bindingName: '~namespace~' });
  });

  it('step 6.a.iii: a re-exported `import defer * as ns` resolves to ~deferred-namespace~ (import defer)', async () => {
    const g = await loaded({ A: `import defer * as ns from './B'; export { ns };`, B: `export const x = 1;` });
    assert.deepEqual(resolve(g, 'A', 'ns'), { module: 'B', bindingName: '~deferred-namespace~' });
  });

  it('step 6.a.iii: a re-exported `import source x` resolves to ~source~ (source phase #76)', async () => {
    const g = await loaded({ A: `import source x from './B'; export { x };`, B: `export const x = 1;` });
    assert.deepEqual(resolve(g, 'A', 'x'), { module: 'B', bindingName: '~source~' });
  });

  it('step 3: a circular request resolves to null', async () => {
    const g = await loaded({ A: `export { x } from './B';`, B: `export { x } from './A';` });
    assert.equal(resolve(g, 'A', 'x'), null);
  });

  it('step 7: `default` is not resolved through `export *`', async () => {
    const g = await loaded({ A: `export * from './B';`, B: `export default 1;` });
    assert.equal(resolve(g, 'A', 'default'), null);
  });

  it('step 9: a name found through one star export resolves; not found anywhere is null', async () => {
    const g = await loaded({
      A: `export * from './B'; export * from './C';`,
      B: `export const b = 1;`,
      C: `export const c = 2;`,
    });
    assert.deepEqual(resolve(g, 'A', 'c'), { module: 'C', bindingName: 'c' });
    assert.equal(resolve(g, 'A', 'none'), null);
  });

  it('step 9.e.iii.2: the same name from two different modules is ~ambiguous~', async () => {
    const g = await loaded({
      A: `export * from './P'; export * from './Q';`,
      P: `export const x = 1;`,
      Q: `export const x = 2;`,
    });
    assert.equal(resolve(g, 'A', 'x'), AMBIGUOUS);
  });

  it('step 9.e: the same binding reached through two star exports is not ambiguous', async () => {
    const g = await loaded({
      A: `export * from './P'; export * from './Q';`,
      P: `export * from './S';`,
      Q: `export { x } from './S';`,
      S: `export let x;`,
    });
    assert.deepEqual(resolve(g, 'A', 'x'), { module: 'S', bindingName: 'x' });
  });

  it('step 9.e (tc39/ecma262#3715): a namespace re-exported by two modules, either form, is one', async () => {
    for (const [p, q] of [
      [`import * as ns from './S'; export { ns };`, `import * as ns from './S'; export { ns };`],
      [`export * as ns from './S';`, `import * as ns from './S'; export { ns };`],
      [`import * as ns from './S'; export { ns };`, `export * as ns from './S';`],
    ] as const) {
      const g = await loaded({ A: `export * from './P'; export * from './Q';`, P: p, Q: q, S: `export let y;` });
      assert.deepEqual(resolve(g, 'A', 'ns'), { module: 'S', bindingName: '~namespace~' }, `${p} | ${q}`);
      assert.deepEqual(names(g, 'A'), ['ns']);
    }
  });

  it('step 9.e: two re-exported sources of one module are one binding; namespaces of two are not', async () => {
    const sources = await loaded({
      A: `export * from './P'; export * from './Q';`,
      P: `import source x from './S'; export { x };`,
      Q: `import source x from './S'; export { x };`,
      S: ``,
    });
    assert.deepEqual(resolve(sources, 'A', 'x'), { module: 'S', bindingName: '~source~' });
    const two = await loaded({
      A: `export * from './P'; export * from './Q';`,
      P: `import * as ns from './S'; export { ns };`,
      Q: `import * as ns from './T'; export { ns };`,
      S: ``,
      T: ``,
    });
    assert.equal(resolve(two, 'A', 'ns'), AMBIGUOUS);
  });

  it('step 9.e: the deferred and the evaluation namespace of one module are two bindings', async () => {
    const g = await loaded({
      A: `export * from './P'; export * from './Q';`,
      P: `import defer * as ns from './S'; export { ns };`,
      Q: `export * as ns from './S';`,
      S: ``,
    });
    assert.equal(resolve(g, 'A', 'ns'), AMBIGUOUS);
  });

  it('step 9.e.iii.3: a namespace and a binding of the same module are ~ambiguous~', async () => {
    const g = await loaded({
      A: `export * from './P'; export * from './Q';`,
      P: `export * as x from './S';`,
      Q: `export { y as x } from './S';`,
      S: `export let y;`,
    });
    assert.equal(resolve(g, 'A', 'x'), AMBIGUOUS);
  });

  it('step 9.e.iii.4: two different bindings of the same module are ~ambiguous~', async () => {
    const g = await loaded({
      A: `export * from './P'; export * from './Q';`,
      P: `export { y as x } from './S';`,
      Q: `export { z as x } from './S';`,
      S: `export let y, z;`,
    });
    assert.equal(resolve(g, 'A', 'x'), AMBIGUOUS);
  });

  it('step 9.d: ~ambiguous~ from a nested star export propagates', async () => {
    const g = await loaded({
      A: `export * from './M'; export * from './R';`,
      M: `export * from './P'; export * from './Q';`,
      P: `export const x = 1;`,
      Q: `export const x = 2;`,
      R: `export const r = 1;`,
    });
    assert.equal(resolve(g, 'A', 'x'), AMBIGUOUS);
  });

  it('a local export shadows star exports (step 5 before step 9)', async () => {
    const g = await loaded({
      A: `export * from './P'; export * from './Q'; export const x = 'own';`,
      P: `export const x = 1;`,
      Q: `export const x = 2;`,
    });
    assert.deepEqual(resolve(g, 'A', 'x'), { module: 'A', bindingName: 'x' });
  });

  it('an `export *` cycle through which a name is not found resolves to null', async () => {
    const g = await loaded({ A: `export * from './B';`, B: `export * from './A';` });
    assert.equal(resolve(g, 'A', 'x'), null);
  });
});

describe('ResolveExport with a StarMemo (what GetModuleNamespace passes)', () => {
  /** Every exported name of `entry`, and names it lacks, resolved with one memo and without one. */
  function sameWithMemo(g: TextGraph, entry: string, extra: string[] = []): void {
    const memo: StarMemo = new Map();
    const shown = (r: ReturnType<typeof ResolveExport>) =>
      r === null || r === AMBIGUOUS ? r : [r.module, r.bindingName];
    for (const name of [...names(g, entry), ...extra]) {
      assert.deepEqual(
        shown(ResolveExport(g.record(entry), name, undefined, memo)),
        shown(ResolveExport(g.record(entry), name)),
        name,
      );
    }
    assert.ok(memo.size > 0, 'the memo was used');
  }

  it('gives what step 9 gives visiting every star entry: found, missing, ambiguous, one binding twice', async () => {
    const g = await loaded({
      A: `export * from './P'; export * from './Q'; export * from './M'; export * from './R'; export const own = 0;`,
      P: `export const x = 1; export const p = 1; export { shared } from './S'; export const y = 'P';`,
      Q: `export const x = 2; export { shared } from './S'; export { p as q } from './P';`,
      M: `export * from './N'; export * from './A'; export const m = 1;`,
      N: `export const n = 1; export const x = 3; export default 1; export const y = 'N';`,
      R: `export * as ns from './N'; export const r = 1;`,
      S: `export const shared = 'one binding';`,
    });
    sameWithMemo(g, 'A', ['default', 'missing', 'then']);
    assert.equal(resolve(g, 'A', 'x'), AMBIGUOUS);
    // y: one leaf module has it, and a module with `export *` of its own (always visited) too.
    assert.equal(resolve(g, 'A', 'y'), AMBIGUOUS);
    assert.deepEqual(resolve(g, 'A', 'shared'), { module: 'S', bindingName: 'shared' });
  });

  it('follows `export *` cycles and chains of re-exports as the plain algorithm does', async () => {
    const g = await loaded({
      A: `export * from './B'; export * from './C';`,
      B: `export * from './A'; export * from './D'; export const b = 1;`,
      C: `export { d as c } from './D'; export * from './B';`,
      D: `export const d = 1; export { b as fromB } from './B';`,
    });
    sameWithMemo(g, 'A', ['nothing']);
    sameWithMemo(g, 'C', ['nothing']);
  });
});
