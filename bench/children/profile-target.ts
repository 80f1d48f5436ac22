/**
 * Work for `bench/profile.ts` to profile (run with --cpu-prof): one modhost hot path at a time,
 * long enough for the sampling profiler to see where the time goes.
 *
 *   node --cpu-prof dist/bench/children/profile-target.js construct <library>
 *   node --cpu-prof dist/bench/children/profile-target.js graph <shape> <modules>
 *   node --cpu-prof dist/bench/children/profile-target.js live <call|counter> <iterations>
 */

import { loadGraphWithModhost, loadModhost } from '../contenders/modhost.js';
import { readCorpus } from '../lib/corpus.js';
import { generateGraph, SHAPES, type Shape } from '../lib/synthetic.js';
import { PROGRAMS } from '../workloads/live-bindings.js';

const [what, arg1, arg2] = process.argv.slice(2);

if (what === 'construct') {
  const { ModuleSource } = await loadModhost();
  const files = readCorpus(arg1 ?? 'three');
  for (let round = 0; round < 5; round++) {
    for (const file of files) new ModuleSource(`${file.text}\n// ${round}\n`, { url: `file:///${file.name}` });
  }
} else if (what === 'graph') {
  const shape = (arg1 ?? 'wide') as Shape;
  if (!SHAPES.includes(shape)) throw new Error(`unknown shape ${shape}`);
  const graph = generateGraph(shape, Number(arg2 ?? 5000), 'profile');
  const ns = await loadGraphWithModhost(graph.files, graph.entry);
  if (ns.check !== graph.expected) throw new Error('wrong check');
} else if (what === 'live') {
  const program = PROGRAMS.find((p) => p.id === (arg1 ?? 'counter'));
  if (program === undefined) throw new Error(`unknown program ${arg1}`);
  const ns = await loadGraphWithModhost(program.files, './main.js');
  (ns.run as (n: number) => number)(Number(arg2 ?? 50_000_000));
} else {
  process.stderr.write('usage: profile-target.js construct <lib> | graph <shape> <n> | live <program> <n>\n');
  process.exit(2);
}
