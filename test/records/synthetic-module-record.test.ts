/**
 * 16.2.1.8 Synthetic Module Records, and their place in graphs of Source Text Module Records
 * (InnerModuleLinking step 1, InnerModuleEvaluation step 1 / 16.2.1.5.1 EvaluateModuleSync).
 */

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  createSyntheticModuleRecord,
  Evaluate,
  GetModuleNamespace,
  Link,
  LoadRequestedModules,
  SetSyntheticModuleExport,
  type SyntheticModuleRecord,
} from '../../src/records/index.js';
import { GetExportedNames, ResolveExport } from '../../src/records/resolve-export.js';
import { binding, createTestRealm, list, rejection, settle, takeLog, textGraph } from './fixtures.js';

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled = [];
  takeLog();
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await settle(2);
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, []);
});

describe('16.2.1.8 Synthetic Module Records', () => {
  it('creation: export names must be distinct strings; steps must be a function', () => {
    const { realm } = createTestRealm();
    assert.throws(() => createSyntheticModuleRecord(['a', 'a'], () => {}, realm), {
      name: 'TypeError',
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
    });
    assert.throws(() => createSyntheticModuleRecord([1 as unknown as string], () => {}, realm), {
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
    });
    assert.throws(() => createSyntheticModuleRecord(['a'], 'x' as unknown as () => void, realm), {
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
    });
    const hostDefined = { tag: 1 };
    const m = createSyntheticModuleRecord(['a'], () => {}, realm, hostDefined);
    assert.equal(m.hostDefined, hostDefined);
    assert.equal(m.environment, undefined);
    assert.equal(m.namespace, undefined);
  });

  it('16.2.1.8.4.1-3: LoadRequestedModules fulfils; GetExportedNames / ResolveExport use [[ExportNames]]', async () => {
    const { realm } = createTestRealm();
    const m = createSyntheticModuleRecord(['default', 'b'], () => {}, realm);
    assert.equal(await LoadRequestedModules(m), undefined);
    assert.deepEqual(list(GetExportedNames(m)), ['default', 'b']);
    assert.deepEqual({ ...(ResolveExport(m, 'b') as object) }, { module: m, bindingName: 'b' });
    assert.equal(ResolveExport(m, 'c'), null);
  });

  it('16.2.1.8.4.4 Link: one binding per export, initially undefined; 16.2.1.8.3 SetSyntheticModuleExport', () => {
    const { realm } = createTestRealm();
    const m = createSyntheticModuleRecord(['x'], () => {}, realm);
    assert.throws(() => SetSyntheticModuleExport(m, 'x', 1), { code: 'ERR_MODHOST_INTERNAL' });
    Link(m);
    assert.equal(binding(m, 'x'), undefined);
    SetSyntheticModuleExport(m, 'x', 1);
    assert.equal(binding(m, 'x'), 1);
    assert.throws(() => SetSyntheticModuleExport(m, 'y', 1), { code: 'ERR_MODHOST_INTERNAL' });
    // The deviation "Synthetic Module Record Link" (ARCHITECTURE.md): a second Link keeps the
    // environment (and its values).
    const env = m.environment;
    Link(m);
    assert.equal(m.environment, env);
    assert.equal(binding(m, 'x'), 1);
  });

  it('16.2.1.8.4.5 Evaluate: runs [[EvaluationSteps]] with the record; a throw rejects with one error', async () => {
    const { realm } = createTestRealm();
    let calls = 0;
    const failure = new Error('steps failed');
    let seen: unknown;
    const m: SyntheticModuleRecord = createSyntheticModuleRecord(
      ['x'],
      (module) => {
        calls++;
        seen = module;
        throw failure;
      },
      realm,
    );
    Link(m);
    assert.equal(await rejection(Evaluate(m)), failure);
    assert.equal(await rejection(Evaluate(m)), failure);
    assert.equal(seen, m);
    // The deviation "Synthetic Module Record Evaluate step 10": the steps ran once.
    assert.equal(calls, 1);
  });

  it('imported by Source Text Module Records: values, live updates, namespace', async () => {
    const t = createTestRealm();
    const syn = createSyntheticModuleRecord(
      ['default', 'count'],
      (module) => {
        log('steps');
        SetSyntheticModuleExport(module, 'default', 'the default');
        SetSyntheticModuleExport(module, 'count', 1);
      },
      t.realm,
    );
    const synModule = t.wrap(syn);
    const g = textGraph(
      {
        A:
          `import d, { count } from 'syn'; import * as ns from 'syn'; import './B'; log(d, count, ns.count); ` +
          `export function read() { return [count, ns.count]; }`,
        B: `import { count } from 'syn'; log('B', count);`,
      },
      { realm: t, importHook: (s, _a, graph) => (s === 'syn' ? synModule : graph.module(s)) },
    );
    const A = g.record('A');
    await LoadRequestedModules(A);
    Link(A);
    await Evaluate(A);
    // InnerModuleEvaluation reaches the synthetic module from A and from B; its steps run once.
    assert.deepEqual(takeLog(), ['steps', ['B', 1], ['the default', 1, 1]]);
    SetSyntheticModuleExport(syn, 'count', 2);
    assert.deepEqual((binding(A, 'read') as () => unknown[])(), [2, 2]);
    const ns = GetModuleNamespace(syn) as Record<string, unknown>;
    assert.deepEqual(Object.keys(ns), ['count', 'default']);
    assert.equal(ns.count, 2);
  });

  it('16.2.1.5.1 EvaluateModuleSync step 4: a failing synthetic dependency fails its importer, no leak', async () => {
    const t = createTestRealm();
    const failure = new TypeError('cannot build');
    const syn = createSyntheticModuleRecord(
      ['x'],
      () => {
        throw failure;
      },
      t.realm,
    );
    const synModule = t.wrap(syn);
    const g = textGraph({ A: `import { x } from 'syn'; log('A');` }, { realm: t, importHook: () => synModule });
    const A = g.record('A');
    await LoadRequestedModules(A);
    Link(A);
    assert.equal(await rejection(Evaluate(A)), failure);
    assert.equal(A.evaluationError?.value, failure);
    assert.deepEqual(takeLog(), []);
  });

  it('CreateImportBinding: an import resolved to a synthetic module not linked yet is wired when linked', async () => {
    // B imports x from A, which re-exports it from the synthetic S; S is linked after B.
    const t = createTestRealm();
    const syn = createSyntheticModuleRecord(
      ['x'],
      (module) => SetSyntheticModuleExport(module, 'x', 'from S'),
      t.realm,
    );
    const synModule = t.wrap(syn);
    const g = textGraph(
      {
        A: `import './B'; export { x } from 'S';`,
        B: `import { x } from './A'; export function readX() { return x; }`,
      },
      { realm: t, importHook: (s, _a, graph) => (s === 'S' ? synModule : graph.module(s)) },
    );
    const A = g.record('A');
    await LoadRequestedModules(A);
    Link(A);
    await Evaluate(A);
    assert.equal((binding(g.record('B'), 'readX') as () => unknown)(), 'from S');
  });
});
