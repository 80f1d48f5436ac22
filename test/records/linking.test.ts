/**
 * 16.2.1.6.1.2 Link / InnerModuleLinking and 16.2.1.7.3.1 InitializeEnvironment (with 9.1.1.5.5
 * CreateImportBinding).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import {
  createSourceTextModuleRecord,
  Evaluate,
  Link,
  LoadRequestedModules,
  type SourceTextModuleRecord,
} from '../../src/records/index.js';
import {
  binding,
  createTestRealm,
  handGraph,
  rejection,
  type TextGraph,
  takeLog,
  textGraph,
  textSource,
} from './fixtures.js';

async function load(g: TextGraph, name: string): Promise<SourceTextModuleRecord> {
  const record = g.record(name);
  await LoadRequestedModules(record);
  return record;
}

describe('16.2.1.6.1.2 Link', () => {
  it('step 1: linking a module that has not finished loading (~new~) is an internal error', () => {
    const g = textGraph({ A: `import './B';`, B: `` });
    assert.throws(() => Link(g.record('A')), { code: 'ERR_MODHOST_INTERNAL' });
    assert.equal(g.record('A').status, 'new');
  });

  it('InnerModuleLinking step 2: linking a linked graph again does nothing (one InitializeEnvironment)', async () => {
    const g = textGraph({ A: `import './B';`, B: `` });
    const A = await load(g, 'A');
    Link(A);
    const context = A.context;
    Link(A);
    assert.equal(A.context, context);
    assert.equal(g.evaluated.length, 2);
  });

  it('InnerModuleLinking steps 4-13: DFS indices and strongly connected components', async () => {
    // A → B → C → B (cycle), A → D
    const g = textGraph({ A: `import './B'; import './D';`, B: `import './C';`, C: `import './B';`, D: `` });
    const A = await load(g, 'A');
    Link(A);
    const [B, C, D] = ['B', 'C', 'D'].map((n) => g.record(n));
    assert.deepEqual([A.dfsIndex, B!.dfsIndex, C!.dfsIndex, D!.dfsIndex], [0, 1, 2, 3]);
    assert.deepEqual([A.dfsAncestorIndex, B!.dfsAncestorIndex, C!.dfsAncestorIndex, D!.dfsAncestorIndex], [0, 1, 1, 3]);
    assert.deepEqual(
      [A, B, C, D].map((m) => m!.status),
      ['linked', 'linked', 'linked', 'linked'],
    );
  });

  it('step 4: a failure puts every module of the stack back to ~unlinked~; link errors are not cached', async () => {
    const g = textGraph({
      A: `import './B'; import './C';`,
      B: `import './A';`,
      C: `import { nope } from './D';`,
      D: `export const yes = 1;`,
    });
    const A = await load(g, 'A');
    let first: unknown;
    assert.throws(
      () => Link(A),
      (e) => ((first = e), true),
    );
    assert.deepEqual(
      ['A', 'B', 'C', 'D'].map((n) => g.record(n).status),
      ['unlinked', 'unlinked', 'unlinked', 'linked'],
    );
    // The environments of the failed Link are dropped.
    assert.equal(g.record('B').environment, undefined);
    let second: unknown;
    assert.throws(
      () => Link(A),
      (e) => ((second = e), true),
    );
    assert.notEqual(first, second);
    assert.equal((second as Error).message, (first as Error).message);
  });

  it('step 4 / CreateImportBinding: a retried Link binds importers to the new environment, not the old', async () => {
    // First Link from R fails in R's InitializeEnvironment (the evaluator refuses once) after A was
    // initialized; the second Link, from A, initializes R before A again.
    let refuse = true;
    const g = textGraph(
      {
        R: `import { v } from './A'; export function readV() { return v; }`,
        A: `import { readV } from './R'; export let v = 'A value'; log(readV());`,
      },
      {
        evaluate(code, url) {
          if (url === 'memory:/R' && refuse) {
            refuse = false;
            throw new EvalError('refused once');
          }
          return vm.runInThisContext(code, { filename: url });
        },
      },
    );
    const R = await load(g, 'R');
    assert.throws(() => Link(R), EvalError);
    assert.equal(g.record('A').status, 'unlinked');
    const A = g.record('A');
    Link(A);
    takeLog();
    await Evaluate(A);
    assert.deepEqual(takeLog(), ['A value']);
  });
});

describe('16.2.1.7.3.1 InitializeEnvironment', () => {
  it('step 7.c.ii: an import the target does not export is a SyntaxError ERR_MODHOST_UNRESOLVED_IMPORT', async () => {
    const g = textGraph({ A: `import { missing } from './B';`, B: `export const present = 1;` });
    const A = await load(g, 'A');
    assert.throws(
      () => Link(A),
      (e: unknown) => {
        const error = e as SyntaxError & Record<string, unknown>;
        assert.ok(error instanceof SyntaxError);
        assert.equal(error.code, 'ERR_MODHOST_UNRESOLVED_IMPORT');
        assert.equal(error.specifier, './B');
        assert.equal(error.referrer, 'memory:/A');
        assert.equal(error.importName, 'missing');
        assert.match(error.message, /'\.\/B' does not provide an export named 'missing'.*memory:\/A/);
        return true;
      },
    );
  });

  it('step 7.c.ii: an import with conflicting star exports is a SyntaxError ERR_MODHOST_AMBIGUOUS_IMPORT', async () => {
    const g = textGraph({
      A: `import { x } from './S';`,
      S: `export * from './P'; export * from './Q';`,
      P: `export const x = 1;`,
      Q: `export const x = 2;`,
    });
    await load(g, 'A');
    assert.throws(
      () => Link(g.record('A')),
      (e: unknown) => {
        const error = e as SyntaxError & Record<string, unknown>;
        assert.ok(error instanceof SyntaxError);
        assert.equal(error.code, 'ERR_MODHOST_AMBIGUOUS_IMPORT');
        assert.equal(error.importName, 'x');
        assert.equal(error.specifier, './S');
        assert.match(error.message, /conflicting star exports for name 'x'/);
        return true;
      },
    );
  });

  it('step 1: an indirect export that does not resolve is a SyntaxError ERR_MODHOST_UNRESOLVED_EXPORT', async () => {
    const g = textGraph({
      A: `import './B';`,
      B: `export { gone as here } from './C';`,
      C: `export const present = 1;`,
    });
    const A = await load(g, 'A');
    assert.throws(
      () => Link(A),
      (e: unknown) => {
        const error = e as SyntaxError & Record<string, unknown>;
        assert.ok(error instanceof SyntaxError);
        assert.equal(error.code, 'ERR_MODHOST_UNRESOLVED_EXPORT');
        assert.equal(error.importName, 'gone');
        assert.equal(error.exportName, 'here');
        assert.equal(error.referrer, 'memory:/B');
        return true;
      },
    );
    assert.equal(g.record('B').status, 'unlinked');
  });

  it('step 1: a circular re-export (B: export {x} from A; A: export {x} from B) does not resolve', async () => {
    const g = textGraph({ A: `export { x } from './B';`, B: `export { x } from './A';` });
    const A = await load(g, 'A');
    assert.throws(() => Link(A), { code: 'ERR_MODHOST_UNRESOLVED_EXPORT' });
  });

  it('step 1: an ambiguous indirect export is a SyntaxError ERR_MODHOST_AMBIGUOUS_IMPORT', async () => {
    const g = textGraph({
      A: `export { x as y } from './S';`,
      S: `export * from './P'; export * from './Q';`,
      P: `export const x = 1;`,
      Q: `export const x = 2;`,
    });
    const A = await load(g, 'A');
    assert.throws(() => Link(A), { name: 'SyntaxError', code: 'ERR_MODHOST_AMBIGUOUS_IMPORT' });
  });

  it('step 7.c: `default` is never provided by `export *`', async () => {
    const g = textGraph({ A: `import d from './S';`, S: `export * from './P';`, P: `export default 1;` });
    const A = await load(g, 'A');
    assert.throws(() => Link(A), { code: 'ERR_MODHOST_UNRESOLVED_IMPORT' });
  });

  it('steps 8-24: compiled code is evaluated once per ModuleSourceRecord; instances get own bindings, rt', async () => {
    const t = createTestRealm();
    const source = textSource(
      `export let count = 0; export function inc() { count++; } export const rt = import.meta;`,
      'memory:/counter',
    );
    const one = createSourceTextModuleRecord(source, t.realm);
    const two = createSourceTextModuleRecord(source, t.realm);
    for (const m of [one, two]) {
      await LoadRequestedModules(m);
      Link(m);
      await Evaluate(m);
    }
    assert.equal(t.evaluated.length, 1);
    assert.notEqual(one.context, two.context);
    (binding(one, 'inc') as () => void)();
    assert.equal(binding(one, 'count'), 1);
    assert.equal(binding(two, 'count'), 0);
    // Another realm (another evaluator) evaluates the code for itself.
    const t2 = createTestRealm();
    const three = createSourceTextModuleRecord(source, t2.realm);
    await LoadRequestedModules(three);
    Link(three);
    assert.equal(t2.evaluated.length, 1);
  });

  it('steps 18-24: no module code runs before evaluation; functions instantiated, let/const in TDZ', async () => {
    const g = textGraph({ A: `log('A ran'); export function f() { return 'f'; } export let l = 1; export var v = 2;` });
    const A = await load(g, 'A');
    takeLog();
    Link(A);
    assert.deepEqual(takeLog(), []);
    assert.equal((binding(A, 'f') as () => string)(), 'f');
    assert.equal(binding(A, 'v'), undefined);
    assert.throws(() => binding(A, 'l'), ReferenceError);
  });

  it('CreateImportBinding: imports are live bindings to the exporter', async () => {
    const g = textGraph({
      A:
        `import { count, inc } from './B'; import * as ns from './B'; log(count, ns.count); inc(); log(count, ` +
        `ns.count);`,
      B: `export let count = 0; export function inc() { count++; }`,
    });
    const A = await load(g, 'A');
    Link(A);
    takeLog();
    await Evaluate(A);
    assert.deepEqual(takeLog(), [
      [0, 0],
      [1, 1],
    ]);
  });

  it('CreateImportBinding in a cycle: a binding to a module not yet initialized is wired then; TDZ', async () => {
    const g = textGraph({
      A: `import { b, readA } from './B'; export let a = 'a'; log(b, readA());`,
      B:
        `import { a } from './A'; export let b = 'b'; export function readA() { return a; } try { a; } catch (e) ` +
        `{ log(e.constructor.name); }`,
    });
    const A = await load(g, 'A');
    Link(A);
    takeLog();
    await Evaluate(A);
    assert.deepEqual(takeLog(), ['ReferenceError', ['b', 'a']]);
  });

  it('a module importing from itself sees its own bindings', async () => {
    const g = textGraph({ A: `import { x as y } from './A'; export const x = 5; log(y);` });
    const A = await load(g, 'A');
    Link(A);
    takeLog();
    await Evaluate(A);
    assert.deepEqual(takeLog(), [5]);
  });

  it('steps 7.b / 7.c.iii: namespace imports, `export * as ns`, and exporting an imported namespace', async () => {
    const g = textGraph({
      A:
        `import * as direct from './B'; import { viaStar } from './C'; import { again } from './D'; log(direct ` +
        `=== viaStar, again === direct, direct.value);`,
      B: `export const value = 'B';`,
      C: `export * as viaStar from './B';`,
      D: `import * as nsB from './B'; export { nsB as again };`,
    });
    const A = await load(g, 'A');
    Link(A);
    takeLog();
    await Evaluate(A);
    assert.deepEqual(takeLog(), [[true, true, 'B']]);
  });

  it('a hand-compiled module: getters and setImports follow the protocol', async () => {
    const g = handGraph({
      main: {
        requested: ['dep'],
        imports: [{ from: 'dep', importName: 'x', localName: 'x' }],
        localExports: [{ exportName: 'doubled', localName: 'doubled' }],
        getters: { doubled: 'doubled' },
        declarations: 'let doubled;',
        body: 'doubled = $i.x() * 2; log("main", doubled);',
      },
      dep: {
        localExports: [{ exportName: 'x', localName: 'x' }],
        getters: { x: 'x' },
        declarations: 'let x;',
        body: 'x = 21;',
      },
    });
    const main = g.record('main');
    await LoadRequestedModules(main);
    Link(main);
    takeLog();
    await Evaluate(main);
    assert.deepEqual(takeLog(), [['main', 42]]);
  });

  it('compiled code that does not yield its bindings is an internal error, and the module stays unlinked', async () => {
    const g = handGraph({ bad: { code: `"use strict";(function*(){ return 1; })` } });
    const bad = g.record('bad');
    await LoadRequestedModules(bad);
    assert.throws(() => Link(bad), { code: 'ERR_MODHOST_INTERNAL' });
    assert.equal(bad.status, 'unlinked');
    assert.equal(bad.environment, undefined);
  });

  it('an evaluator that does not produce a function is an internal error', async () => {
    const g = textGraph({ A: `` }, { evaluate: () => 42 });
    const A = await load(g, 'A');
    assert.throws(() => Link(A), { code: 'ERR_MODHOST_INTERNAL' });
  });

  it('a link failure reaches import() as a rejection with the SyntaxError', async () => {
    const g = textGraph({ A: `import { missing } from './B';`, B: `` });
    const error = await rejection(g.importModule('A'));
    assert.ok(error instanceof SyntaxError);
  });
});
