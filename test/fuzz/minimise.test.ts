/**
 * The minimiser, on divergences planted with a deliberately wrong engine: V8 itself, except that
 * it runs every `await __thenable(v)` as `await Promise.resolve(v)` (two ticks fewer), so any
 * graph where that reorders the log diverges.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { checkGraph, reproduce } from '../../fuzz/differential.js';
import type { Engine } from '../../fuzz/engine.js';
import { v8Engine } from '../../fuzz/engines/v8.js';
import { generateGraph } from '../../fuzz/generate.js';
import { type FuzzGraph, type GraphTexts, graphSize } from '../../fuzz/graph.js';
import { minimiseGraph, simplifications } from '../../fuzz/minimise.js';
import { ignoreUnhandledRejections } from './quiet-rejections.js';

const needsVm =
  typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function' && 'needs --experimental-vm-modules';

// Both sides are V8, so the oracle must not be corrected for V8's own deviations.
const raw = { correctOracle: false };

const wrongEngine: Engine = {
  name: 'wrong',
  importEntry(texts: GraphTexts, entry: string) {
    const changed: Record<string, string> = {};
    for (const [name, text] of Object.entries(texts))
      changed[name] = text.replaceAll('__thenable(', 'Promise.resolve(');
    return v8Engine.importEntry(changed, entry);
  },
};

const planted: FuzzGraph = {
  entry: 'm0',
  modules: [
    {
      name: 'm0',
      lines: [
        'import "m9";',
        'import "m2";',
        '__log.push("m0 a");',
        'import "m1";',
        'export const unused = 1;',
        '__log.push("m0 b");',
      ],
    },
    {
      name: 'm1',
      lines: ['__log.push("m1 start");', 'await __thenable(1);', '__log.push("m1 after");', 'export let x = 1;'],
    },
    {
      name: 'm2',
      lines: [
        '__log.push("m2 start");',
        'await 0;',
        '__log.push("m2 a");',
        'await 0;',
        '__log.push("m2 b");',
        'export default 2;',
      ],
    },
    {
      name: 'm9',
      lines: ['export const z = 9;', '__log.push("m9");', 'Promise.resolve().then(() => __log.push("m9 micro"));'],
    },
  ],
};

describe('minimiseGraph', () => {
  ignoreUnhandledRejections();

  it('shrinks a planted ordering divergence to the lines that cause it', { skip: needsVm }, async () => {
    const first = await checkGraph(wrongEngine, v8Engine, planted, raw);
    assert.equal(first.divergence?.kind, 'log');
    const repro = await reproduce(1, wrongEngine, v8Engine, planted, first, undefined, raw);
    const small = Object.values(repro.modules).join('');
    assert.match(small, /__thenable\(1\)/);
    assert.ok(!('m9' in repro.modules), 'the unrelated module is gone');
    assert.ok(Object.keys(repro.modules).length <= 3);
    const lines = Object.values(repro.modules).reduce((n, t) => n + t.trim().split('\n').length, 0);
    assert.ok(lines <= 7, `minimised to ${lines} lines:\n${JSON.stringify(repro.modules, null, 2)}`);
    assert.equal(repro.kind, 'log');
    assert.equal(repro.verdict, 'engine bug?');
    assert.notDeepEqual(repro.outcomes.engine.log, repro.outcomes.oracle.log);
  });

  it('finds and minimises a divergence in generated graphs', { skip: needsVm }, async () => {
    let found: { seed: number; graph: FuzzGraph } | null = null;
    for (let seed = 1; seed <= 400 && found === null; seed++) {
      const { graph } = generateGraph(seed);
      if (!JSON.stringify(graph).includes('__thenable(')) continue;
      const r = await checkGraph(wrongEngine, v8Engine, graph, raw);
      if (r.divergence?.kind === 'log') found = { seed, graph };
    }
    assert.ok(found !== null, 'the wrong engine diverges on some generated graph');
    const first = await checkGraph(wrongEngine, v8Engine, found.graph, raw);
    const repro = await reproduce(found.seed, wrongEngine, v8Engine, found.graph, first, undefined, raw);
    const size = Object.values(repro.modules).reduce((n, t) => n + t.trim().split('\n').length, 0);
    assert.ok(size < graphSize(found.graph), `${size} < ${graphSize(found.graph)}`);
    assert.match(Object.values(repro.modules).join(''), /__thenable\(/);
    const again = await checkGraph(
      wrongEngine,
      v8Engine,
      {
        entry: repro.entry,
        modules: Object.entries(repro.modules).map(([name, t]) => ({ name, lines: t.trim().split('\n') })),
      },
      raw,
    );
    assert.equal(again.divergence?.kind, 'log', 'the minimised graph still diverges');
  });

  it('never returns a graph without the divergence, and keeps the entry', async () => {
    // A pure predicate: "diverges" while module m0 keeps a line containing KEEP and m1 exists.
    const graph: FuzzGraph = {
      entry: 'm0',
      modules: [
        { name: 'm0', lines: ['a', 'KEEP 1', 'b', 'c', 'await __delay(4);'] },
        { name: 'm1', lines: ['x', 'y'] },
        { name: 'm2', lines: ['z'] },
      ],
    };
    const holds = async (g: FuzzGraph): Promise<boolean> =>
      g.modules.some((m) => m.name === 'm0' && m.lines.some((l) => l.includes('KEEP'))) &&
      g.modules.some((m) => m.name === 'm1');
    const { graph: small, checks } = await minimiseGraph(graph, holds);
    assert.deepEqual(small, {
      entry: 'm0',
      modules: [
        { name: 'm0', lines: ['KEEP 1'] },
        { name: 'm1', lines: [] },
      ],
    });
    assert.ok(checks > 0);
  });

  it('stops after maxChecks candidates', async () => {
    let calls = 0;
    const graph: FuzzGraph = {
      entry: 'm0',
      modules: [{ name: 'm0', lines: Array.from({ length: 50 }, (_, i) => `l${i}`) }],
    };
    await minimiseGraph(graph, async () => (calls++, false), 7);
    assert.equal(calls, 7);
  });
});

describe('simplifications', () => {
  it('lowers timer lengths, drops log-only statements and reads', () => {
    assert.deepEqual(simplifications('await __delay(3);'), ['await __delay(0);', 'await __delay(2);']);
    assert.ok(simplifications('__log.push("a"); await 0; __log.push("b");').includes('await 0; __log.push("b");'));
    assert.ok(simplifications('__log.push("x " + __v(() => a));').includes('__log.push("x " + "-");'));
    assert.deepEqual(simplifications('export let a = 1;'), []);
  });
});
