/**
 * Evaluation order against V8 (vm.SourceTextModule) as the oracle: the same module texts run
 * natively and through records/ must log the same sequence, microtask interleavings included.
 * Run with --experimental-vm-modules (scripts/run-tests.mjs passes it).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runNative, runRecords } from './fixtures.js';

/** Asserts that records/ logs exactly what V8 logs, and fails the same way. */
async function sameAsV8(texts: Record<string, string>, entry = 'main', turns = 3): Promise<unknown[]> {
  const native = await runNative(texts, entry, turns);
  const ours = await runRecords(texts, entry, turns);
  assert.deepEqual(ours.log, native.log);
  assert.equal(
    ours.error === undefined,
    native.error === undefined,
    `native error: ${String(native.error)}, ours: ${String(ours.error)}`,
  );
  if (native.error !== undefined) assert.equal((ours.error as Error).message, (native.error as Error).message);
  assert.ok(native.log.length > 0, 'the graph logs something');
  return native.log;
}

/** Module text that logs `name`, then its ticks: a promise chain racing the module body. */
const ticker = (name: string, n = 4): string =>
  `let p = Promise.resolve(); for (let i = 1; i <= ${n}; i++) { const k = i; p = p.then(() => log('${name} tick ' ` +
  `+ k)); }`;

describe('16.2.1.6.1.3 Evaluate: evaluation order matches V8', () => {
  it('16.2.1.6.1.3.1 step 11: dependencies run depth-first, in [[RequestedModules]] order', async () => {
    await sameAsV8({
      main: `import './a'; import './b'; log('main');`,
      a: `import './c'; log('a');`,
      b: `import './c'; import './d'; log('b');`,
      c: `log('c');`,
      d: `log('d');`,
    });
  });

  it('16.2.1.6.1.3.1 steps 2-3: a cycle runs each module once, the entry last', async () => {
    await sameAsV8({
      main: `import './a'; log('main');`,
      a: `import './b'; log('a');`,
      b: `import './a'; import './c'; log('b');`,
      c: `import './main'; log('c');`,
    });
  });

  it('16.2.1.7.3.2 step 10: one top-level await costs the same ticks as native', async () => {
    await sameAsV8({
      main: `${ticker('main')} log('main before'); await 1; log('main after 1'); await null; log('main after 2');`,
    });
  });

  it('Await on a pending native promise, a thenable and a rejected promise', async () => {
    await sameAsV8({
      main:
        `${ticker('t', 8)} log('start');` +
        `await new Promise((r) => setImmediate(r)); log('immediate');` +
        `await { then(r) { log('then called'); r(5); } }; log('thenable');` +
        `try { await Promise.reject(new Error('x')); } catch (e) { log('caught ' + e.message); }` +
        `log('end');`,
    });
  });

  it('16.2.1.6.1.3.4: async siblings resume in [[AsyncEvaluationOrder]] order; a sync parent waits', async () => {
    await sameAsV8({
      main: `import './a'; import './b'; import './s'; log('main');`,
      a: `${ticker('a')} log('a1'); await 0; log('a2'); await 0; log('a3');`,
      b: `log('b1'); await 0; log('b2');`,
      s: `import './a'; log('s');`,
    });
  });

  it('16.2.1.6.1.3.3 GatherAvailableAncestors: sync ancestors of an async module run in one job', async () => {
    await sameAsV8({
      main: `import './x'; import './y'; log('main');`,
      x: `import './leaf'; log('x');`,
      y: `import './leaf'; import './x'; log('y');`,
      leaf: `${ticker('leaf', 6)} log('leaf1'); await 0; log('leaf2');`,
    });
  });

  it('the async cycle of 16.2.1.6.2 (A→B,C; B→D; C→D,E; D→A), all modules async', async () => {
    await sameAsV8(
      {
        main: `import './A'; log('main');`,
        A: `import './B'; import './C'; log('A'); await 0; log('A done');`,
        B: `import './D'; log('B'); await 0; log('B done');`,
        C: `import './D'; import './E'; log('C'); await 0; await 0; log('C done');`,
        D: `import './A'; log('D'); await 0; log('D done');`,
        E: `log('E'); await 0; log('E done');`,
      },
      'A',
    );
  });

  it('16.2.1.6.1.3.5: a rejected async dependency rejects its importers and skips them', async () => {
    await sameAsV8({
      main: `import './a'; import './b'; log('main');`,
      a: `log('a'); await 0; throw new Error('a failed');`,
      b: `log('b'); await 0; await 0; log('b done');`,
    });
  });

  it('16.2.1.6.1.3 step 9: a synchronous throw marks the stack evaluated and rejects', async () => {
    await sameAsV8({
      main: `import './a'; import './b'; log('main');`,
      a: `log('a');`,
      b: `import './c'; log('b'); throw new Error('b failed');`,
      c: `log('c');`,
    });
  });

  it('a synchronous throw after an async module of the same cycle has started', async () => {
    await sameAsV8(
      {
        A: `import './B'; import './C'; log('A');`,
        B: `import './A'; log('B'); await 0; log('B done');`,
        C: `log('C'); throw new Error('C failed');`,
      },
      'A',
    );
  });

  it('top-level for await, and await inside nested blocks', async () => {
    await sameAsV8({
      main:
        `${ticker('t', 10)}` +
        `async function* gen() { yield 1; yield 2; }` +
        `for await (const v of gen()) log('v ' + v);` +
        `for await (const w of [Promise.resolve('p'), 'q']) log('w ' + w);` +
        `if (true) { const x = await 7; log('x ' + x); }` +
        `log('end');`,
    });
  });

  it('dynamic import() from module code', async () => {
    await sameAsV8(
      {
        main: `log('main'); const ns = await import('./dep'); log('dep value ' + ns.value);`,
        dep: `log('dep'); export const value = 42;`,
      },
      'main',
      5,
    );
  });
});
