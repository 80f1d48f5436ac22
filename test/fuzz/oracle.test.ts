/**
 * The V8 oracle's bridges over Node's vm host (see fuzz/engines/v8.ts). Each case is one where an
 * unbridged vm.SourceTextModule would disagree with the spec or abort; the expected outcomes are
 * derived from ECMA-262 (noted per case).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { runGraph } from '../../fuzz/engine.js';
import { v8Engine } from '../../fuzz/engines/v8.js';
import type { FuzzGraph } from '../../fuzz/graph.js';
import { ignoreUnhandledRejections } from './quiet-rejections.js';

const skip =
  typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function' && 'needs --experimental-vm-modules';
const g = (modules: Record<string, string[]>): FuzzGraph => ({
  entry: 'm0',
  modules: Object.entries(modules).map(([name, lines]) => ({ name, lines })),
});

describe('v8Engine', { skip }, () => {
  ignoreUnhandledRejections();

  it('retries a failed load: a second import calls the hook again (a new LoadError)', async () => {
    // HostLoadImportedModule failures are not cached; each import() reports its own error.
    const o = await runGraph(
      v8Engine,
      g({
        m0: ['__dyn("a", () => import("m1"), 0);', '__dyn("b", () => import("m1"), 1);'],
        m1: ['import "nope";'],
      }),
    );
    assert.deepEqual(o.log, ['~1', '~2', 'a err LoadError(load nope)#0', '~3', '~4', 'b err LoadError(load nope)#1']);
    assert.equal(o.artefact, null);
  });

  it('links a new module against one that failed evaluation, and rethrows that error object', async () => {
    // InnerModuleEvaluation step 2.b: an evaluated module with an [[EvaluationError]] rethrows it.
    const o = await runGraph(
      v8Engine,
      g({
        m0: ['__dyn("a", () => import("m1"), 0);', '__dyn("b", () => import("x0"), 1);'],
        m1: ['export let q;', 'throw new __E("m1");'],
        x0: ['import { q } from "m1";', '__log.push("x0 ran");'],
      }),
    );
    assert.deepEqual(o.log, ['~1', '~2', 'a err FuzzError(m1)#0', '~3', '~4', 'b err FuzzError(m1)#0']);
    assert.equal(o.artefact, null);
  });

  it('links a second new module against the same failed one (a fresh stand-in per link)', async () => {
    const o = await runGraph(
      v8Engine,
      g({
        m0: [
          '__dyn("a", () => import("m1"), 0);',
          '__dyn("b", () => import("x0"), 1);',
          '__dyn("c", () => import("x1"), 2);',
        ],
        m1: ['export let q;', 'throw new __E("m1");'],
        x0: ['import { q } from "m1";'],
        x1: ['export * from "m1";', 'import "x0";'],
      }),
    );
    assert.deepEqual(
      o.log.filter((l) => !l.startsWith('~')),
      ['a err FuzzError(m1)#0', 'b err FuzzError(m1)#0', 'c err FuzzError(m1)#0'],
    );
    assert.equal(o.artefact, null);
  });

  it("rejects import() of a module whose cycle root failed, with the root's error", async () => {
    // Evaluate() step 3 goes to [[CycleRoot]]; InnerModuleEvaluation step 2.b rethrows its error.
    // (m2 finishes its own evaluation before m1, the root of the m1-m2 cycle, fails.)
    const o = await runGraph(
      v8Engine,
      g({
        m0: ['import "m1";'],
        m1: ['import "m2";', 'await __delay(3);', 'throw new __E("m1");'],
        m2: ['import "m1";', 'await __delay(1);', '__log.push("m2 done");', '__dyn("d", () => import("m2"), 5);'],
      }),
    );
    assert.deepEqual(
      o.log.filter((l) => !l.startsWith('~')),
      ['m2 done', 'd err FuzzError(m1)#0'],
    );
    assert.equal(o.entry, 'throw FuzzError(m1)#0');
  });

  it('waits for a module that is still evaluating-async (without aborting the process)', async () => {
    // Evaluate() of an evaluating-async module settles when its cycle root finishes.
    const o = await runGraph(
      v8Engine,
      g({
        m0: ['import "m1";', '__log.push("m0");'],
        m1: ['import "m2";', '__dyn("d", () => import("m2"), -1);', '__log.push("m1");'],
        m2: ['import "m1";', 'await __delay(2);', '__log.push("m2 done");'],
      }),
    );
    assert.deepEqual(o.log, ['~1', 'm2 done', 'm1', 'm0', '~2', 'd ok [ns ]']);
    assert.match(o.entry, /^ns /);
  });

  it('reports the entry namespace and import.meta.url', async () => {
    const o = await runGraph(v8Engine, g({ m0: ['export const u = import.meta.url;', 'export default class {}'] }));
    assert.equal(
      o.entry,
      'ns {default=fn "default"/Function:we-, u="memory:/m0":we-, @@Symbol.toStringTag="Module":---} proto=null ' +
        'extensible=false',
    );
  });

  it("notes 'v8-async-ordinal' for an import waiting on an Evaluate() that rejected early (seed 11083)", async () => {
    // m1 fails at once, so the entry's Evaluate() rejects while m3 still waits on its await; x0,
    // imported later, waits on m3 too. V8 has reset its counter: x0 runs before m2 (spec: after).
    const o = await runGraph(
      v8Engine,
      g({
        m0: ['import d0 from "m1";', 'export * from "m2";'],
        m1: [
          'export { e as default };',
          'throw new __E("m1.5");',
          'function e() {}',
          'if (__log) { await 0; }',
          'import "m4";',
        ],
        m2: ['__log.push("m2 ran");', 'import * as n0 from "m3";'],
        m3: ['await __delay(0);'],
        m4: ['__dyn("m4.0 import(x0)", () => import("x0"), 0);'],
        x0: ['export * from "m3";', '__log.push("x0 ran");'],
      }),
    );
    assert.deepEqual(o.notes, ['v8-async-ordinal']);
  });
});
