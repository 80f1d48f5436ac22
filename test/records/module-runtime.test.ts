/**
 * The runtime object `rt` of compiled modules: 13.3.12.1 `import.meta` (with the proposal's
 * importMetaHook), 13.3.10.2 EvaluateImportCall / 13.3.10.3 ContinueDynamicImport, and import
 * binding references (`rt.ref`).
 */

import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Evaluate, Link, LoadRequestedModules, type SourceTextModuleRecord } from '../../src/records/index.js';
import { binding, hookCause, rejection, settle, type TextGraph, takeLog, textGraph } from './fixtures.js';

async function run(g: TextGraph, name: string): Promise<SourceTextModuleRecord> {
  const record = g.record(name);
  await LoadRequestedModules(record);
  Link(record);
  await Evaluate(record);
  return record;
}

beforeEach(() => {
  takeLog();
});

describe('13.3.12.1 import.meta', () => {
  it('step 4.a: a null-prototype object, created lazily and then the same object (step 5)', async () => {
    const g = textGraph({
      A:
        `log(Object.getPrototypeOf(import.meta), import.meta === import.meta); export function meta() { return ` +
        `import.meta; }`,
    });
    const A = g.record('A');
    await LoadRequestedModules(A);
    Link(A);
    assert.equal(A.importMeta, undefined);
    await Evaluate(A);
    assert.deepEqual(takeLog(), [[null, true]]);
    assert.equal((binding(A, 'meta') as () => object)(), A.importMeta);
  });

  it('steps 4.b-d: without importMetaHook, HostGetImportMetaProperties then HostFinalizeImportMeta', async () => {
    const calls: string[] = [];
    const g = textGraph(
      { A: `log(import.meta.url, import.meta.extra, Object.keys(import.meta));` },
      {
        hostHooks: {
          HostGetImportMetaProperties(module) {
            calls.push(`get ${module.source.url}`);
            return [
              { key: 'url', value: module.source.url },
              { key: 'resolve', value: () => 'r' },
            ];
          },
          HostFinalizeImportMeta(meta, module) {
            calls.push(`finalize ${module.source.url}`);
            Object.defineProperty(meta, 'extra', { value: 'final', enumerable: false });
          },
        },
      },
    );
    await run(g, 'A');
    assert.deepEqual(calls, ['get memory:/A', 'finalize memory:/A']);
    assert.deepEqual(takeLog(), [['memory:/A', 'final', ['url', 'resolve']]]);
  });

  it('proposal: importMetaHook is called with this = handler and the object, instead of the host hooks', async () => {
    const handler = { h: 1 };
    let hostCalled = false;
    let seen: unknown[] = [];
    const g = textGraph(
      { A: `log(import.meta.fromHook);` },
      {
        handler,
        importMetaHook(meta) {
          seen = [this, Object.getPrototypeOf(meta), Object.keys(meta)];
          (meta as Record<string, unknown>).fromHook = 'yes';
        },
        hostHooks: {
          HostGetImportMetaProperties() {
            hostCalled = true;
            return [];
          },
        },
      },
    );
    await run(g, 'A');
    assert.deepEqual(takeLog(), ['yes']);
    assert.deepEqual(seen, [handler, null, []]);
    assert.equal(hostCalled, false);
  });

  it('proposal: a throwing importMetaHook propagates; the object is not kept (a later access asks again)', async () => {
    let calls = 0;
    const g = textGraph(
      { A: `try { import.meta; } catch (e) { log('caught', e.message); } log(import.meta.n);` },
      {
        importMetaHook(meta) {
          calls++;
          if (calls === 1) throw new Error('hook failed');
          (meta as Record<string, unknown>).n = calls;
        },
      },
    );
    const A = await run(g, 'A');
    assert.deepEqual(takeLog(), [['caught', 'hook failed'], 2]);
    assert.equal(calls, 2);
    assert.equal((A.importMeta as Record<string, unknown>).n, 2);
  });
});

describe('13.3.10.2 EvaluateImportCall', () => {
  it('step 13: import(specifier) loads through the same [[LoadedModules]] as static imports', async () => {
    const g = textGraph({ A: `import { v } from './B'; export const p = import('./B');`, B: `export const v = 1;` });
    const A = await run(g, 'A');
    const ns = (await (binding(A, 'p') as Promise<Record<string, unknown>>)) as Record<string, unknown>;
    assert.equal(ns.v, 1);
    assert.deepEqual(
      g.hookCalls.map((c) => c.specifier),
      ['./B'],
    );
  });

  it('steps 8-9: ToString(specifier) — an object with toString, and a Symbol (rejects with TypeError)', async () => {
    const g = textGraph({
      A:
        `export const p1 = import({ toString() { log('toString'); return './B'; } }); export const p2 = ` +
        `import(Symbol('s'));`,
      B: `export const v = 'B';`,
    });
    const A = await run(g, 'A');
    assert.deepEqual(takeLog(), ['toString']);
    assert.equal(((await (binding(A, 'p1') as Promise<Record<string, unknown>>)) as Record<string, unknown>).v, 'B');
    assert.ok((await rejection(binding(A, 'p2') as Promise<unknown>)) instanceof TypeError);
  });

  it('step 11.a: options that are not an object reject with TypeError (after ToString)', async () => {
    const g = textGraph({ A: `export const p = import({ toString() { log('toString'); return './B'; } }, 1);`, B: `` });
    const A = await run(g, 'A');
    assert.deepEqual(takeLog(), ['toString']);
    const error = (await rejection(binding(A, 'p') as Promise<unknown>)) as Error & { code: string };
    assert.ok(error instanceof TypeError);
    assert.equal(error.code, 'ERR_MODHOST_INVALID_ARGUMENT');
    assert.equal(g.hookCalls.length, 0);
  });

  it('steps 11.b-c: a throwing `with` getter rejects with its error', async () => {
    const g = textGraph({
      A: `export const p = import('./B', { get with() { throw new RangeError('getter'); } });`,
      B: ``,
    });
    const A = await run(g, 'A');
    assert.ok((await rejection(binding(A, 'p') as Promise<unknown>)) instanceof RangeError);
  });

  it('step 11.d.i: a `with` value that is not an object rejects with TypeError', async () => {
    const g = textGraph({ A: `export const p = import('./B', { with: 'json' });`, B: `` });
    const A = await run(g, 'A');
    assert.ok((await rejection(binding(A, 'p') as Promise<unknown>)) instanceof TypeError);
  });

  it('step 11.d.iv.3.a: an attribute value that is not a String rejects with TypeError', async () => {
    const g = textGraph(
      { A: `export const p = import('./B', { with: { type: 1 } });`, B: `` },
      { hostHooks: { HostGetSupportedImportAttributes: () => ['type'] } },
    );
    const A = await run(g, 'A');
    const error = (await rejection(binding(A, 'p') as Promise<unknown>)) as Error;
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /'type'/);
  });

  it('step 11.e: an unsupported attribute key rejects with TypeError (static imports: SyntaxError)', async () => {
    const g = textGraph({ A: `export const p = import('./B', { with: { mode: 'x' } });`, B: `` });
    const A = await run(g, 'A');
    const error = (await rejection(binding(A, 'p') as Promise<unknown>)) as Error & { code: string };
    assert.ok(error instanceof TypeError);
    assert.equal(error.code, 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED');
    assert.equal(g.hookCalls.length, 0);
  });

  it('steps 11.d.ii-f: attributes read with EnumerableOwnProperties (no Symbols), sorted by key', async () => {
    const g = textGraph(
      {
        A:
          `const w = Object.defineProperty({ z: 'last', a: 'first', [Symbol('s')]: 'x' }, 'hidden', { value: ` +
          `'h', enumerable: false }); export const p = import('./B', { with: w });`,
        B: `export const v = 1;`,
      },
      { hostHooks: { HostGetSupportedImportAttributes: () => ['a', 'z'] } },
    );
    const A = await run(g, 'A');
    await (binding(A, 'p') as Promise<unknown>);
    assert.deepEqual(
      g.hookCalls.map((c) => Object.entries(c.attributes)),
      [
        [
          ['a', 'first'],
          ['z', 'last'],
        ],
      ],
    );
  });

  it('step 11: `with: undefined` and an empty options object are accepted', async () => {
    const g = textGraph({
      A: `export const p = Promise.all([import('./B', {}), import('./B', { with: undefined })]);`,
      B: `export const v = 1;`,
    });
    const A = await run(g, 'A');
    const [n1, n2] = (await (binding(A, 'p') as Promise<unknown[]>)) as Record<string, unknown>[];
    assert.equal(n1, n2);
  });

  it('proposal: a Module instance argument imports that instance (no hook call, no ToString)', async () => {
    const g = textGraph({
      A: `export function load(m, o) { return import(m, o); }`,
      B: `log('B runs'); export const v = 'B';`,
    });
    const A = await run(g, 'A');
    const load = binding(A, 'load') as (m: unknown, o?: unknown) => Promise<Record<string, unknown>>;
    const ns = await load(g.module('B'));
    assert.equal(ns.v, 'B');
    assert.deepEqual(takeLog(), ['B runs']);
    assert.deepEqual(g.hookCalls, []);
    // The options are still validated.
    assert.ok((await rejection(load(g.module('B'), 5))) instanceof TypeError);
  });

  it('13.3.10.3 ContinueDynamicImport step 1: a failed load rejects the import() with the load error', async () => {
    const g = textGraph(
      { A: `export const p = import('./missing');` },
      { importHook: () => Promise.reject(new URIError('nope')) },
    );
    const A = await run(g, 'A');
    assert.ok(hookCause(await rejection(binding(A, 'p') as Promise<unknown>)) instanceof URIError);
  });

  it('13.3.10.3 step 6.b: a link error rejects the import() promise', async () => {
    const g = textGraph({ A: `export const p = import('./B');`, B: `import { nope } from './C';`, C: `` });
    const A = await run(g, 'A');
    assert.ok((await rejection(binding(A, 'p') as Promise<unknown>)) instanceof SyntaxError);
  });

  it('13.3.10.3 step 6.f: an evaluation error rejects the import() promise with the same error each time', async () => {
    const g = textGraph({
      A: `export const p = import('./B'); export const q = import('./B');`,
      B: `throw new EvalError('B');`,
    });
    const A = await run(g, 'A');
    const e1 = await rejection(binding(A, 'p') as Promise<unknown>);
    const e2 = await rejection(binding(A, 'q') as Promise<unknown>);
    assert.ok(e1 instanceof EvalError);
    assert.equal(e1, e2);
  });

  it('an import() of a module that exports `then` resolves through that function (a thenable namespace)', async () => {
    const g = textGraph({
      A: `export const p = import('./B');`,
      B: `export function then(resolve) { log('then called'); resolve('not a namespace'); }`,
    });
    const A = await run(g, 'A');
    assert.equal(await (binding(A, 'p') as Promise<unknown>), 'not a namespace');
    assert.deepEqual(takeLog(), ['then called']);
  });
});

describe('rt.ref: assignment to an import binding', () => {
  it('9.1.1.5 SetMutableBinding on an immutable import binding: TypeError, after the right side runs', async () => {
    const g = textGraph({
      A:
        `import { x } from './B'; try { x = (log('rhs'), 2); } catch (e) { log(e.constructor.name, e.message); } ` +
        `try { x += 1; } catch (e) { log('compound', e.constructor.name); } log(x);`,
      B: `export let x = 1;`,
    });
    await run(g, 'A');
    assert.deepEqual(takeLog(), [
      'rhs',
      ['TypeError', 'Assignment to constant variable.'],
      ['compound', 'TypeError'],
      1,
    ]);
  });

  it('reading through a reference keeps the TDZ (ReferenceError before the exporter initializes)', async () => {
    const g = textGraph({
      A: `import './B'; export let late = 1;`,
      B: `import { late } from './A'; try { late++; } catch (e) { log(e.constructor.name); }`,
    });
    await run(g, 'A');
    await settle();
    assert.deepEqual(takeLog(), ['ReferenceError']);
  });
});
