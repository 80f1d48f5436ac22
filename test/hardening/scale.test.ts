/**
 * Scale through the public API: a 100,000-module linear chain and a 10,000-module strongly
 * connected cycle (with a top-level await inside) load, link and evaluate without a stack
 * overflow. Timing ratios against small graphs live in bench/scale.ts; here only completion and
 * the values are asserted. The expected values follow from ECMA-262 by hand: in a chain each
 * module adds one to its dependency's value; in a ring entered at module 0, InnerModuleEvaluation
 * runs module N-1 first and module 0 last.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importModule, Module, ModuleSource } from '../../src/index.js';
import { detectUnhandled, noHang } from './harness.js';

/** Modules 0…n-1 of one shared ModuleSource; `next(i)` is what module i's 'next' import gets. */
function family(text: string, n: number, next: (i: number) => Module | undefined, leaf?: Module): Module[] {
  const source = new ModuleSource(text, { url: 'memory:/link' });
  const modules: Module[] = [];
  for (let i = 0; i < n; i++) {
    modules.push(
      new Module(source, {
        importHook: () => next(i) ?? leaf!,
        importMetaHook: (meta: object) => void ((meta as { i: number }).i = i),
      }),
    );
  }
  return modules;
}

declare global {
  var __order: number[];
}

describe('scale', () => {
  detectUnhandled();

  it('a 100,000-module linear chain loads, links and evaluates; each module adds one', async () => {
    const N = 100_000;
    const leaf = new Module(new ModuleSource('export const v = 0;', { url: 'memory:/leaf' }));
    const chain = family(`import { v as w } from 'next'; export const v = w + 1;`, N, (i) => chain[i + 1], leaf);
    const ns = await noHang(importModule(chain[0]!), 60_000, 'chain');
    assert.equal(ns.v, N);
  });

  it('a 10,000-module cycle (one SCC, with a top-level await) evaluates from the deepest module up', async () => {
    const N = 10_000;
    globalThis.__order = [];
    const text = `import { i as nextI, f as nextF } from 'next';
      export const i = import.meta.i;
      export function f() { return nextF; }
      if (i === ${N / 2}) await null;
      __order.push(i);
      // Module N-1 runs first: module 0's i is still in its TDZ then.
      export const seen = i === ${N - 1} ? -1 : nextI;`;
    const ring = family(text, N, (i) => ring[(i + 1) % N]);
    const ns = await noHang(importModule(ring[0]!), 60_000, 'cycle');
    const expected: number[] = [];
    for (let i = N - 1; i >= 0; i--) expected.push(i);
    assert.equal(globalThis.__order.length, N);
    assert.deepEqual(globalThis.__order, expected);
    // Module 0 reads module 1's `i` after module 1 ran: 1. Module 0's hoisted f returns module
    // 1's f (a different function object, made from the same source text).
    assert.equal(ns.seen, 1);
    const f = ns.f as () => unknown;
    const nextF = f();
    assert.equal(typeof nextF, 'function');
    assert.notEqual(nextF, f);
  });
});
