/**
 * 16.2.1.6.1.3 Evaluate and its auxiliary operations, checked against the example graphs of
 * 16.2.1.6.2 (whose tables become assertions on the record fields) and against the steps.
 */

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Evaluate, Link, LoadRequestedModules, type SourceTextModuleRecord } from '../../src/records/index.js';
import {
  failGate,
  list,
  openGate,
  rejection,
  resetGates,
  settle,
  type TextGraph,
  takeLog,
  textGraph,
} from './fixtures.js';

async function loadAndLink(g: TextGraph, name: string): Promise<SourceTextModuleRecord> {
  const record = g.record(name);
  await LoadRequestedModules(record);
  Link(record);
  return record;
}

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled = [];
  takeLog();
  resetGates();
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await settle(2);
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no promise of records/ is left rejected and unhandled');
});

describe('16.2.1.6.2 example: A → B → C', () => {
  it('success: C, then B, then A run; every module ends ~evaluated~ and the promise fulfils', async () => {
    const g = textGraph({ A: `import './B'; log('A');`, B: `import './C'; log('B');`, C: `log('C');` });
    const A = await loadAndLink(g, 'A');
    assert.deepEqual(
      ['A', 'B', 'C'].map((n) => g.record(n).status),
      ['linked', 'linked', 'linked'],
    );
    assert.equal(await Evaluate(A), undefined);
    assert.deepEqual(takeLog(), ['C', 'B', 'A']);
    assert.deepEqual(
      ['A', 'B', 'C'].map((n) => g.record(n).status),
      ['evaluated', 'evaluated', 'evaluated'],
    );
  });

  it('an evaluation error in B: A and B record it, C does not; a later Evaluate rethrows the same object', async () => {
    const g = textGraph({
      A: `import './B'; log('A');`,
      B: `import './C'; log('B'); throw new RangeError('B failed');`,
      C: `log('C');`,
    });
    const A = await loadAndLink(g, 'A');
    const B = g.record('B');
    const C = g.record('C');
    const first = Evaluate(A);
    const error = await rejection(first);
    assert.ok(error instanceof RangeError);
    assert.deepEqual(takeLog(), ['C', 'B']);
    // Evaluate step 9.a: the stack's modules are ~evaluated~ with the error.
    assert.equal(A.status, 'evaluated');
    assert.equal(B.status, 'evaluated');
    assert.equal(A.evaluationError?.value, error);
    assert.equal(B.evaluationError?.value, error);
    assert.equal(C.status, 'evaluated');
    assert.equal(C.evaluationError, undefined);
    // Step 4: the same promise; a module in another component rethrows via InnerModuleEvaluation step 2.b.
    assert.equal(Evaluate(A), first);
    assert.equal(await rejection(Evaluate(B)), error);
    const g2 = textGraph(
      { X: `import './B'; log('X');` },
      { realm: g, importHook: (s, _a, graph) => (s === './B' ? g.module('B') : graph.module(s)) },
    );
    const X = await loadAndLink(g2, 'X');
    assert.equal(await rejection(Evaluate(X)), error);
    assert.equal(X.evaluationError?.value, error);
    assert.deepEqual(takeLog(), []);
  });

  it('a link error in B (an import C does not provide): A and B stay ~unlinked~, C is ~linked~', async () => {
    const g = textGraph({ A: `import './B';`, B: `import { missing } from './C';`, C: `export const present = 1;` });
    const A = g.record('A');
    await LoadRequestedModules(A);
    assert.throws(() => Link(A), { name: 'SyntaxError', code: 'ERR_MODHOST_UNRESOLVED_IMPORT' });
    assert.deepEqual(
      ['A', 'B', 'C'].map((n) => g.record(n).status),
      ['unlinked', 'unlinked', 'linked'],
    );
  });
});

describe('16.2.1.6.2 example: the cycle A → B → A, A → C', () => {
  it('link: A and B go to ~linked~ together after C; DFS indices as in the text', async () => {
    const g = textGraph({ A: `import './B'; import './C';`, B: `import './A';`, C: `` });
    const A = await loadAndLink(g, 'A');
    const [B, C] = [g.record('B'), g.record('C')];
    assert.deepEqual([A.dfsIndex, B.dfsIndex, C.dfsIndex], [0, 1, 2]);
    assert.deepEqual([A.dfsAncestorIndex, B.dfsAncestorIndex, C.dfsAncestorIndex], [0, 0, 2]);
    assert.deepEqual([A.status, B.status, C.status], ['linked', 'linked', 'linked']);
  });

  it('an evaluation error in A: A and B record it, C is evaluated without error; [[CycleRoot]] is A', async () => {
    const g = textGraph({
      A: `import './B'; import './C'; log('A'); throw new Error('A failed');`,
      B: `import './A'; log('B');`,
      C: `log('C');`,
    });
    const A = await loadAndLink(g, 'A');
    const [B, C] = [g.record('B'), g.record('C')];
    const error = await rejection(Evaluate(A));
    assert.deepEqual(takeLog(), ['B', 'C', 'A']);
    assert.equal(A.evaluationError?.value, error);
    assert.equal(B.evaluationError?.value, error);
    assert.equal(C.evaluationError, undefined);
    // Evaluate on B (evaluated) uses its cycle root's capability (step 3-4).
    assert.equal(await rejection(Evaluate(B)), error);
  });

  it("success: [[CycleRoot]] of both A and B is A; Evaluate(B) returns A's promise", async () => {
    const g = textGraph({ A: `import './B'; import './C';`, B: `import './A';`, C: `` });
    const A = await loadAndLink(g, 'A');
    const B = g.record('B');
    const p = Evaluate(A);
    await p;
    assert.equal(A.cycleRoot, A);
    assert.equal(B.cycleRoot, A);
    assert.equal(g.record('C').cycleRoot, g.record('C'));
    assert.equal(Evaluate(B), p);
    // 16.2.1.6 [[TopLevelCapability]] stays empty on dependencies.
    assert.equal(B.topLevelCapability, undefined);
  });
});

/** The asynchronous cyclic graph of 16.2.1.6.2; every module awaits its own gate. */
const ASYNC_CYCLE = {
  A: `import './B'; import './C'; log('A starts'); await gate('A'); log('A done');`,
  B: `import './D'; log('B starts'); await gate('B'); log('B done');`,
  C: `import './D'; import './E'; log('C starts'); await gate('C'); log('C done');`,
  D: `import './A'; log('D starts'); await gate('D'); log('D done');`,
  E: `log('E starts'); await gate('E'); log('E done');`,
};

function fields(g: TextGraph, names: string[], base: number) {
  const out: Record<string, unknown> = {};
  for (const n of names) {
    const m = g.record(n);
    out[n] = {
      dfsIndex: m.dfsIndex,
      dfsAncestorIndex: m.dfsAncestorIndex,
      status: m.status,
      asyncEvaluationOrder:
        typeof m.asyncEvaluationOrder === 'number' ? m.asyncEvaluationOrder - base : m.asyncEvaluationOrder,
      asyncParentModules: list(m.asyncParentModules).map((p) => p.source.url.slice('memory:/'.length)),
      pendingAsyncDependencies: m.pendingAsyncDependencies,
      evaluationError: m.evaluationError === undefined ? undefined : (m.evaluationError.value as Error).message,
    };
  }
  return out;
}

describe('16.2.1.6.2 example: an asynchronous cyclic module graph', () => {
  it('the tables "Module fields after …" hold at every step of the success story', async () => {
    const g = textGraph(ASYNC_CYCLE);
    const A = await loadAndLink(g, 'A');
    const promise = Evaluate(A);
    let settled = false;
    void promise.then(() => (settled = true));
    // D and E start (ExecuteAsyncModule in InnerModuleEvaluation step 12.c).
    assert.deepEqual(takeLog(), ['D starts', 'E starts']);
    const base = g.record('D').asyncEvaluationOrder as number;
    // Table "Module fields after the initial Evaluate() call". (Orders are relative to D's, the first.)
    // Finished modules show ~done~ where the tables still show their integer: AsyncModuleExecutionFulfilled
    // step 5 (normative) sets ~done~.
    assert.deepEqual(fields(g, ['A', 'B', 'C', 'D', 'E'], base), {
      A: {
        dfsIndex: 0,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 4,
        asyncParentModules: [],
        pendingAsyncDependencies: 2,
        evaluationError: undefined,
      },
      B: {
        dfsIndex: 1,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 1,
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 1,
        evaluationError: undefined,
      },
      C: {
        dfsIndex: 3,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 3,
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 2,
        evaluationError: undefined,
      },
      D: {
        dfsIndex: 2,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 0,
        asyncParentModules: ['B', 'C'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
      E: {
        dfsIndex: 4,
        dfsAncestorIndex: 4,
        status: 'evaluating-async',
        asyncEvaluationOrder: 2,
        asyncParentModules: ['C'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
    });
    // E finishes first.
    openGate('E');
    await settle();
    assert.deepEqual(takeLog(), ['E done']);
    assert.deepEqual(fields(g, ['C', 'E'], base), {
      C: {
        dfsIndex: 3,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 3,
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 1,
        evaluationError: undefined,
      },
      E: {
        dfsIndex: 4,
        dfsAncestorIndex: 4,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: ['C'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
    });
    // D finishes: B (order 1) starts before C (order 3).
    openGate('D');
    await settle();
    assert.deepEqual(takeLog(), ['D done', 'B starts', 'C starts']);
    assert.deepEqual(fields(g, ['B', 'C', 'D'], base), {
      B: {
        dfsIndex: 1,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 1,
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
      C: {
        dfsIndex: 3,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 3,
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
      D: {
        dfsIndex: 2,
        dfsAncestorIndex: 0,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: ['B', 'C'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
    });
    // C finishes.
    openGate('C');
    await settle();
    assert.deepEqual(takeLog(), ['C done']);
    assert.deepEqual(fields(g, ['A', 'C'], base), {
      A: {
        dfsIndex: 0,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 4,
        asyncParentModules: [],
        pendingAsyncDependencies: 1,
        evaluationError: undefined,
      },
      C: {
        dfsIndex: 3,
        dfsAncestorIndex: 0,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
    });
    // B finishes: A starts.
    openGate('B');
    await settle();
    assert.deepEqual(takeLog(), ['B done', 'A starts']);
    assert.deepEqual(fields(g, ['A', 'B'], base), {
      A: {
        dfsIndex: 0,
        dfsAncestorIndex: 0,
        status: 'evaluating-async',
        asyncEvaluationOrder: 4,
        asyncParentModules: [],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
      B: {
        dfsIndex: 1,
        dfsAncestorIndex: 0,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
    });
    assert.equal(settled, false);
    // A finishes: its [[TopLevelCapability]] promise fulfils.
    openGate('A');
    await settle();
    assert.deepEqual(takeLog(), ['A done']);
    assert.deepEqual(fields(g, ['A'], base), {
      A: {
        dfsIndex: 0,
        dfsAncestorIndex: 0,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: [],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
    });
    assert.equal(settled, true);
  });

  it("the failure story: C fails before B finishes; A is rejected with C's error; B then finishes alone", async () => {
    const g = textGraph(ASYNC_CYCLE);
    const A = await loadAndLink(g, 'A');
    const promise = Evaluate(A);
    const outcome = rejection(promise);
    const base = g.record('D').asyncEvaluationOrder as number;
    openGate('E');
    openGate('D');
    await settle();
    assert.deepEqual(takeLog(), ['D starts', 'E starts', 'E done', 'D done', 'B starts', 'C starts']);
    const failure = new Error('C failed');
    failGate('C', failure);
    await settle();
    // Table "Module fields after module C finishes with an error" and "… after module A is rejected".
    // Where the non-normative tables and the algorithm disagree, the algorithm wins: rejection
    // sets [[AsyncEvaluationOrder]] to ~done~ (AsyncModuleExecutionRejected step 7; the tables
    // show the old integers) and never decrements [[PendingAsyncDependencies]] (the tables show
    // A at 1, then 0, but no step of AsyncModuleExecutionRejected or of GatherAvailableAncestors,
    // which skips A because its cycle root has an error, changes it from 2).
    assert.deepEqual(fields(g, ['A', 'C'], base), {
      A: {
        dfsIndex: 0,
        dfsAncestorIndex: 0,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: [],
        pendingAsyncDependencies: 2,
        evaluationError: 'C failed',
      },
      C: {
        dfsIndex: 3,
        dfsAncestorIndex: 0,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 0,
        evaluationError: 'C failed',
      },
    });
    assert.equal(await outcome, failure);
    // B finishes without error; GatherAvailableAncestors skips A (its cycle root has an error).
    openGate('B');
    await settle();
    assert.deepEqual(takeLog(), ['B done']);
    assert.deepEqual(fields(g, ['A', 'B'], base), {
      A: {
        dfsIndex: 0,
        dfsAncestorIndex: 0,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: [],
        pendingAsyncDependencies: 2,
        evaluationError: 'C failed',
      },
      B: {
        dfsIndex: 1,
        dfsAncestorIndex: 0,
        status: 'evaluated',
        asyncEvaluationOrder: 'done',
        asyncParentModules: ['A'],
        pendingAsyncDependencies: 0,
        evaluationError: undefined,
      },
    });
    // A later importer of B gets the cycle root's error (InnerModuleEvaluation step 11.c.iv.3).
    const g2 = textGraph(
      { X: `import './B'; log('X');` },
      { realm: g, importHook: (s, _a, graph) => (s === './B' ? g.module('B') : graph.module(s)) },
    );
    const X = await loadAndLink(g2, 'X');
    assert.equal(await rejection(Evaluate(X)), failure);
    assert.deepEqual(takeLog(), []);
  });
});

describe('16.2.1.6.1.3 Evaluate steps', () => {
  it('step 2: Evaluate on a module that is not linked is an internal error', async () => {
    const g = textGraph({ A: `` });
    await LoadRequestedModules(g.record('A'));
    assert.throws(() => Evaluate(g.record('A')), { code: 'ERR_MODHOST_INTERNAL' });
  });

  it('step 10.c: a synchronous graph fulfils its promise in the same job; an async one only when done', async () => {
    const g = textGraph({ S: `log('S');`, T: `log('T'); await gate('T'); log('T done');` });
    const S = await loadAndLink(g, 'S');
    const T = await loadAndLink(g, 'T');
    const order: string[] = [];
    void Evaluate(S).then(() => order.push('S fulfilled'));
    void Evaluate(T).then(() => order.push('T fulfilled'));
    await settle();
    assert.deepEqual(order, ['S fulfilled']);
    assert.equal(T.status, 'evaluating-async');
    openGate('T');
    await settle();
    assert.deepEqual(order, ['S fulfilled', 'T fulfilled']);
    assert.deepEqual(takeLog(), ['S', 'T', 'T done']);
  });

  it('InnerModuleEvaluation step 2: evaluated modules are not run again by a later Evaluate of importers', async () => {
    const g = textGraph({ A: `import './B'; log('A');`, B: `log('B');` });
    const B = await loadAndLink(g, 'B');
    await Evaluate(B);
    const A = await loadAndLink(g, 'A');
    await Evaluate(A);
    assert.deepEqual(takeLog(), ['B', 'A']);
  });

  it('InnerModuleEvaluation step 11.c.v: an importer of an evaluating-async module waits for it', async () => {
    const g = textGraph({ A: `import './B'; log('A');`, B: `log('B'); await gate('B'); log('B done');` });
    const B = await loadAndLink(g, 'B');
    const pb = Evaluate(B);
    const A = await loadAndLink(g, 'A');
    const pa = Evaluate(A);
    assert.equal(A.pendingAsyncDependencies, 1);
    assert.deepEqual(list(B.asyncParentModules), [A]);
    assert.deepEqual(takeLog(), ['B']);
    openGate('B');
    await Promise.all([pa, pb]);
    assert.deepEqual(takeLog(), ['B done', 'A']);
  });

  it('AsyncModuleExecutionFulfilled step 12.c.ii: a sync parent throwing after its async dependency', async () => {
    const g = textGraph({
      A: `import './P'; log('A');`,
      P: `import './L'; log('P'); throw new TypeError('P failed');`,
      L: `await gate('L'); log('L');`,
    });
    const A = await loadAndLink(g, 'A');
    const outcome = rejection(Evaluate(A));
    openGate('L');
    const error = await outcome;
    assert.ok(error instanceof TypeError);
    assert.deepEqual(takeLog(), ['L', 'P']);
    assert.equal(g.record('P').evaluationError?.value, error);
    assert.equal(A.evaluationError?.value, error);
    assert.equal(g.record('L').evaluationError, undefined);
  });

  it("AsyncModuleExecutionRejected steps 9-10 (current text): a module's own promise rejects first", async () => {
    // The graph of test262 language/module-code/top-level-await/rejection-order.js: Evaluate(B)
    // starts first (B waits on a gate), then A, which imports B, becomes a root of its own.
    const g = textGraph({
      A: `import './B'; log('A');`,
      B: `await gate('B'); log('B');`,
    });
    const B = await loadAndLink(g, 'B');
    const order: string[] = [];
    const pb = Evaluate(B);
    const A = await loadAndLink(g, 'A');
    const pa = Evaluate(A);
    // Reactions run in the order the promises were rejected.
    pa.then(undefined, () => order.push('A'));
    pb.then(undefined, () => order.push('B'));
    assert.equal(B.status, 'evaluating-async');
    assert.equal(A.status, 'evaluating-async');
    failGate('B', new Error('B failed'));
    await settle();
    // Step 9 rejects B's [[TopLevelCapability]], then step 10 recurses into A (the excerpt at
    // commit 000164db, and V8 in Node 20, reject A first).
    assert.deepEqual(order, ['B', 'A']);
    assert.deepEqual(takeLog(), []);
  });

  it('AsyncModuleExecutionRejected: promises of a failing chain reject leaf to root', async () => {
    const g = textGraph({
      A: `import './B'; log('A');`,
      B: `import './L'; log('B');`,
      L: `await gate('L'); log('L');`,
    });
    const order: string[] = [];
    const L = await loadAndLink(g, 'L');
    const pl = Evaluate(L);
    const A = await loadAndLink(g, 'A');
    const pa = Evaluate(A);
    const B = g.record('B');
    const pb = Evaluate(B);
    for (const [name, p] of [
      ['A', pa],
      ['B', pb],
      ['L', pl],
    ] as const)
      p.then(undefined, () => order.push(name));
    failGate('L', new Error('L failed'));
    await settle();
    assert.deepEqual(order, ['L', 'B', 'A']);
  });

  it('AsyncModuleExecutionRejected step 10: rejections reach every [[TopLevelCapability]] up the chain', async () => {
    const g = textGraph({
      A: `import './B'; log('A');`,
      B: `import './L'; log('B');`,
      L: `await gate('L'); log('L');`,
    });
    const L = await loadAndLink(g, 'L');
    const pl = rejection(Evaluate(L));
    const B = await loadAndLink(g, 'B');
    const pb = rejection(Evaluate(B));
    const A = await loadAndLink(g, 'A');
    const pa = rejection(Evaluate(A));
    const failure = new Error('L failed');
    failGate('L', failure);
    assert.deepEqual(await Promise.all([pl, pb, pa]), [failure, failure, failure]);
    assert.deepEqual(takeLog(), []);
  });

  it('a throw value that is not an Error is stored and rethrown as is', async () => {
    const g = textGraph({ A: `throw 42;` });
    const A = await loadAndLink(g, 'A');
    assert.equal(await rejection(Evaluate(A)), 42);
    assert.equal(await rejection(Evaluate(A)), 42);
    assert.deepEqual({ ...A.evaluationError }, { type: 'throw', value: 42 });
  });
});
