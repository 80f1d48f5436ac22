/**
 * The fuzzer's evaluation model (fuzz/evaluation-model.ts), which stands in for the oracle on
 * graphs with import defer: on graphs worked out by hand from the texts (ECMA-262 Evaluate and its
 * operations; import defer with IsModuleSCCEvaluated, tc39/proposal-defer-import-eval#85), it must
 * give the exact log, and modhost must give the same.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkGraph } from '../../fuzz/differential.js';
import { runGraph } from '../../fuzz/engine.js';
import { modhostEngine } from '../../fuzz/engines/modhost.js';
import { v8Engine } from '../../fuzz/engines/v8.js';
import { hasPhaseSyntax, modelOutcome } from '../../fuzz/evaluation-model.js';
import type { FuzzGraph } from '../../fuzz/graph.js';
import { ignoreUnhandledRejections } from './quiet-rejections.js';

const g = (modules: Record<string, string[]>, entry = 'm0'): FuzzGraph => ({
  entry,
  modules: Object.entries(modules).map(([name, lines]) => ({ name, lines })),
});
const access = (prefix: string, alias: string, key: string): string => {
  const log = (value: string): string => `__log.push(${JSON.stringify(prefix)} + ${value});`;
  return `try { ${log(`__fmt(${alias}.${key})`)} } catch (e) { ${log('__err(e)')} }`;
};
const EMPTY_NS = 'ns {@@Symbol.toStringTag="Module":---} proto=null extensible=false';

describe('evaluation model', () => {
  ignoreUnhandledRejections();

  it('a deferred module evaluates at the first access, after its importer started', async () => {
    const graph = g({
      m0: ['import defer * as n0 from "m1";', '__log.push("m0 run");', access('m0.0 n0.v ', 'n0', 'v')],
      m1: ['__log.push("m1 run");', 'export const v = "m1.v";'],
    });
    const expected = modelOutcome(graph);
    assert.deepEqual(expected?.log, ['m0 run', 'm1 run', 'm0.0 n0.v "m1.v"']);
    assert.equal(expected?.entry, EMPTY_NS);
    assert.equal(expected?.settledTurn, 0);
    assert.deepEqual((await runGraph(modhostEngine, graph)).log, expected?.log);
  });

  it('the graph of proposal issue #84: the importer of a deferred module waits for its async cycle', async () => {
    const graph = g({
      m0: [
        '__dyn("m0.0 import(a)", () => import("a"), 0);',
        '__dyn("m0.1 import(c)", () => import("c"), 1);',
        '__log.push("m0 run");',
      ],
      a: ['import "b";', '__log.push("a run");', 'await __delay(5);', '__log.push("a resumed");'],
      b: ['import "a";', '__log.push("b run");'],
      d: ['import "b";', '__log.push("d run");', 'export const v = "d.v";'],
      middle: ['import defer * as n0 from "d";', '__log.push("middle run");', access('middle.0 n0.v ', 'n0', 'v')],
      c: ['import "middle";', '__log.push("c run");'],
    });
    const expected = modelOutcome(graph);
    // Turn 1 starts a's evaluation (b runs first, inside the cycle); turn 2 evaluates c: middle's
    // _evaluationList_ is GatherAsynchronousTransitiveDependencies(d) = « a » (b is ~evaluated~
    // but its SCC is not), so middle and c wait; turn 3 finishes a, then middle reads d.
    assert.deepEqual(expected?.log, [
      'm0 run',
      '~1',
      'b run',
      'a run',
      '~2',
      '~3',
      'a resumed',
      'middle run',
      'd run',
      'middle.0 n0.v "d.v"',
      'c run',
      '~4',
      'm0.0 import(a) ok [ns ]',
      '~5',
      'm0.1 import(c) ok [ns ]',
    ]);
    assert.equal(expected?.entry, EMPTY_NS);
    const actual = await runGraph(modhostEngine, graph);
    assert.deepEqual(actual.log, expected?.log);
    assert.deepEqual(actual.internal, []);
  });

  it('a read while the cycle root is pending is the TypeError, even though the dependency itself ran', async () => {
    const graph = g(
      {
        a: ['import "x";', '__log.push("a run");', 'await __delay(0);', '__log.push("a resumed");'],
        x: [
          'import "a";',
          'import defer * as n1 from "d";',
          '__log.push("x run");',
          `__later(0, () => { ${access('x.0 later n1.v ', 'n1', 'v')} });`,
        ],
        d: ['import "x";', '__log.push("d run");', 'export const v = "d.v";'],
      },
      'a',
    );
    const expected = modelOutcome(graph);
    assert.deepEqual(expected?.log, ['x run', 'a run', '~1', 'x.0 later n1.v TypeError#0', '~2', 'a resumed']);
    assert.equal(expected?.settledTurn, 2);
    const check = await checkGraph(modhostEngine, v8Engine, graph);
    assert.equal(check.skipped, false);
    assert.equal(check.divergence, null, check.divergence?.detail);
  });

  it('import.defer() waits for the asynchronous dependencies only; `.then` reads the namespace', async () => {
    const graph = g({
      m0: [
        '__dyn("m0.0 import.defer(m1)", () => import.defer("m1"), 0)' +
          `.then((ns) => { if (ns) { ${access('m0.0 got v ', 'ns', 'v')} } });`,
      ],
      m1: ['import "m2";', '__log.push("m1 run");', 'export const v = "m1.v";'],
      m2: ['__log.push("m2 run");', 'await __delay(2);', '__log.push("m2 resumed");', 'throw new __E("m2.0");'],
    });
    const expected = modelOutcome(graph);
    assert.deepEqual(expected?.log, [
      '~1',
      'm2 run',
      '~2',
      'm2 resumed',
      '~3',
      'm0.0 import.defer(m1) err FuzzError(m2.0)#0',
    ]);
    assert.deepEqual((await runGraph(modhostEngine, graph)).log, expected?.log);
  });

  it('has no opinion on lines it does not know, and tells phase graphs apart', () => {
    const plain = g({ m0: ['import { a } from "m1";'], m1: ['export const a = 1;'] });
    assert.equal(modelOutcome(plain), null);
    assert.equal(hasPhaseSyntax(plain), false);
    assert.equal(hasPhaseSyntax(g({ m0: ['import defer * as n from "m1";'], m1: [] })), true);
  });
});
