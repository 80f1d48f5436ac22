/**
 * (b) Live-binding loops: two-module programs whose hot loop goes through import bindings.
 *
 * - "call": the importer calls an imported function 50M times, and that function reads a `let`
 *   that its own module imports back from the importer (a two-module cycle), so both the call and
 *   the read go through import bindings.
 * - "counter": the exporter increments an exported `let` (through an imported function called by
 *   the loop) and the importer reads the binding after every increment.
 *
 * The loop lives in a function exported by the entry module, so every contender runs the same
 * module code; the harness calls it once per sample. Contenders: Node's own ESM loader (the
 * modules written to a temporary folder and imported), modhost, Endo.
 */

import { loadGraphWithEndo } from '../contenders/endo.js';
import type { Files, GraphNamespace } from '../contenders/graph.js';
import { loadGraphWithModhost } from '../contenders/modhost.js';
import { loadGraphWithNodeLoader } from '../contenders/native.js';
import { alternate, cpuMs, type Sampler } from '../lib/alternate.js';
import type { Row, RunOptions, WorkloadResult } from '../lib/types.js';

interface Program {
  id: string;
  label: string;
  files: Files;
}

/** The two programs; exported for the quick test's reference. */
export const PROGRAMS: readonly Program[] = [
  {
    id: 'call',
    label: 'imported function reading an imported let',
    files: new Map([
      [
        './main.js',
        `import { mix } from './dep.js';
export let scale = 3;
export function run(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = (acc + mix(i)) | 0;
  return acc;
}
`,
      ],
      [
        './dep.js',
        `import { scale } from './main.js';
export function mix(x) { return (x * scale) & 0xffff; }
`,
      ],
    ]),
  },
  {
    id: 'counter',
    label: 'exporter increments an exported let, importer reads it',
    files: new Map([
      [
        './main.js',
        `import { count, tick, reset } from './dep.js';
export function run(n) {
  reset();
  let acc = 0;
  for (let i = 0; i < n; i++) { tick(); acc = (acc + count) | 0; }
  return acc;
}
`,
      ],
      [
        './dep.js',
        `export let count = 0;
export function tick() { count++; }
export function reset() { count = 0; }
`,
      ],
    ]),
  },
];

type RunFunction = (n: number) => number;

function runOf(namespace: GraphNamespace): RunFunction {
  const run = namespace.run;
  if (typeof run !== 'function') throw new Error('the entry does not export run()');
  return run as RunFunction;
}

/** Runs workload (b). */
export async function runLiveBindings(options: RunOptions): Promise<WorkloadResult> {
  const iterations = options.quick ? 1_000_000 : 50_000_000;
  // Endo propagates every write to an exported binding through its own update machinery, which
  // makes 50M iterations take minutes; it runs fewer, and the unit is per iteration.
  const endoIterations = iterations / 50;
  const rounds = options.rounds || (options.quick ? 2 : 9);
  const rows: Row[] = [];
  const programs = PROGRAMS.filter((p) => options.only.length === 0 || options.only.includes(p.id));
  for (const program of programs) {
    const results: Record<string, number> = {};
    const disposers: Array<() => void> = [];
    const loaders = {
      native: async () => {
        const loaded = await loadGraphWithNodeLoader(program.files, './main.js');
        disposers.push(loaded.dispose);
        return loaded.namespace;
      },
      modhost: () => loadGraphWithModhost(program.files, './main.js'),
      endo: () => loadGraphWithEndo(program.files, './main.js'),
    };
    const samplers: Sampler[] = (['native', 'modhost', 'endo'] as const).map((id) => {
      let run: RunFunction | undefined;
      return {
        id,
        async setup() {
          run = runOf(await loaders[id]());
        },
        async sample() {
          const n = id === 'endo' ? endoIterations : iterations;
          let result = 0;
          const ms = await cpuMs(() => {
            result = (run as RunFunction)(n);
          });
          results[`${id}:${n}`] = result;
          return (ms * 1e6) / n;
        },
      };
    });
    const cells = await alternate(samplers, { rounds, warmup: 1 });
    // Every contender must compute what Node computes; a wrong answer is not a fast answer.
    // (Endo's shorter run is checked against a native run of the same length.)
    if (cells.endo?.error === undefined && cells.native?.error === undefined) {
      const loaded = await loaders.native();
      results[`native:${endoIterations}`] = runOf(loaded).call(undefined, endoIterations);
    }
    for (const dispose of disposers) dispose();
    for (const id of ['modhost', 'endo'] as const) {
      const n = id === 'endo' ? endoIterations : iterations;
      const cell = cells[id];
      const expected = results[`native:${n}`];
      if (
        cell !== undefined &&
        cell.error === undefined &&
        expected !== undefined &&
        results[`${id}:${n}`] !== expected
      ) {
        cell.error = `wrong result ${results[`${id}:${n}`]} (native ${expected})`;
        delete cell.summary;
        cell.samples = [];
      }
    }
    rows.push({
      id: `b.live.${program.id}`,
      group: 'b',
      label:
        `Live bindings: ${program.label} (${(iterations / 1e6).toLocaleString('en-US')}M iterations; Endo ` +
        `${(endoIterations / 1e6).toLocaleString('en-US')}M)`,
      unit: 'ns/iter (CPU)',
      better: 'lower',
      baseline: 'node ESM loader',
      cells,
      target: { ratio: 'modhost/native', op: '<=', value: 1.1 },
      info: { iterations, endoIterations, checksums: results },
    });
  }
  return { rows };
}
