/**
 * (d) Synthetic graphs: per-module cost of building, linking and evaluating graphs of 500, 5,000
 * and 50,000 small modules, with the proposal's API (ModuleSource + Module + importModule, one
 * in-memory importHook) against vm.SourceTextModule with a linker, and Endo's Compartment. A
 * sample is everything from the texts to the evaluated entry namespace; it is divided by the
 * module count. The flatness rows divide the cost per module at the largest size by that at the
 * smallest: 1× means linear scaling.
 */

import { loadGraphWithEndo } from '../contenders/endo.js';
import type { GraphLoader } from '../contenders/graph.js';
import { loadGraphWithModhost } from '../contenders/modhost.js';
import { loadGraphWithVm } from '../contenders/native.js';
import { alternate, cpuMs, type Sampler } from '../lib/alternate.js';
import { summarize } from '../lib/stats.js';
import { generateGraph, SHAPES, type Shape } from '../lib/synthetic.js';
import type { Cell, ContenderId, Row, RunOptions, WorkloadResult } from '../lib/types.js';

const LOADERS: Record<ContenderId, GraphLoader> = {
  native: loadGraphWithVm,
  modhost: loadGraphWithModhost,
  endo: loadGraphWithEndo,
};

/** Sizes and rounds: full, and --quick (small counts, same rows). */
export function syntheticSizes(quick: boolean): number[] {
  return quick ? [20, 60, 200] : [500, 5_000, 50_000];
}

function roundsFor(size: number, quick: boolean, override: number): number {
  if (override) return override;
  if (quick) return 2;
  return size <= 500 ? 7 : size <= 5_000 ? 3 : 2;
}

/** Endo's Babel transform makes its largest graphs minutes long; it runs up to this size. */
const ENDO_MAX_MODULES = 5_000;

/** Runs workload (d). */
export async function runSyntheticGraphs(options: RunOptions): Promise<WorkloadResult> {
  const sizes = syntheticSizes(options.quick);
  const shapes = SHAPES.filter((s) => options.only.length === 0 || options.only.includes(s));
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const shape of shapes) {
    const bySize: Array<Partial<Record<ContenderId, Cell>>> = [];
    for (const size of sizes) {
      const cells = await measureShape(shape, size, roundsFor(size, options.quick, options.rounds));
      bySize.push(cells);
      rows.push({
        id: `d.graph.${shape}.${size}`,
        group: 'd',
        label: `Synthetic graph, ${shape}, ${size.toLocaleString('en-US')} modules`,
        unit: 'µs CPU/module',
        better: 'lower',
        baseline: 'vm.SourceTextModule + linker',
        cells,
        info: { modules: size },
      });
    }
    rows.push(flatnessRow(shape, sizes, bySize));
  }
  notes.push(
    `(d) Endo runs graphs of up to ${ENDO_MAX_MODULES.toLocaleString('en-US')} modules only (its Babel transform ` +
      `takes minutes at 50,000).`,
  );
  return { rows, notes };
}

async function measureShape(shape: Shape, size: number, rounds: number): Promise<Partial<Record<ContenderId, Cell>>> {
  const samplers: Sampler[] = (['native', 'modhost', 'endo'] as const).map((id) => ({
    id,
    setup() {
      if (id === 'endo' && size > ENDO_MAX_MODULES) throw new Error('skipped (too slow at this size)');
    },
    async sample(round: number) {
      // Texts are generated outside the timed part, fresh for each sample (see generateGraph's salt).
      const graph = generateGraph(shape, size, `${id} ${round}`);
      let check: unknown;
      const ms = await cpuMs(async () => {
        const namespace = await LOADERS[id](graph.files, graph.entry);
        check = namespace.check;
      });
      if (check !== graph.expected) throw new Error(`wrong check ${String(check)} (expected ${graph.expected})`);
      return (ms * 1000) / size;
    },
  }));
  // The smaller sizes of the same shape ran just before and warmed every contender up; a warm-up
  // round at 50,000 modules would only add a minute.
  return alternate(samplers, { rounds, warmup: size >= 50_000 ? 0 : 1 });
}

function flatnessRow(shape: Shape, sizes: number[], bySize: Array<Partial<Record<ContenderId, Cell>>>): Row {
  const cells: Partial<Record<ContenderId, Cell>> = {};
  const first = 0;
  for (const id of ['native', 'modhost', 'endo'] as const) {
    // The largest size this contender measured (Endo stops early).
    let last = -1;
    for (let k = bySize.length - 1; k > first; k--) {
      if (bySize[k]?.[id]?.summary !== undefined) {
        last = k;
        break;
      }
    }
    const small = bySize[first]?.[id]?.summary;
    const large = last >= 0 ? bySize[last]?.[id]?.summary : undefined;
    if (small === undefined || large === undefined) {
      cells[id] = {
        samples: [],
        error: bySize[bySize.length - 1]?.[id]?.error ?? bySize[first]?.[id]?.error ?? 'not measured',
      };
      continue;
    }
    const value = large.median / small.median;
    cells[id] = { samples: [value], summary: summarize([value]) };
    if (last !== bySize.length - 1) (cells[id] as Cell).note = `to ${(sizes[last] as number).toLocaleString('en-US')}`;
  }
  return {
    id: `d.flat.${shape}`,
    group: 'd',
    label:
      `Per-module cost growth, ${shape}: cost at ` +
      `${(sizes[sizes.length - 1] as number).toLocaleString('en-US')} ÷ cost at ` +
      `${(sizes[0] as number).toLocaleString('en-US')}`,
    unit: '×',
    better: 'lower',
    baseline: 'vm.SourceTextModule + linker',
    cells,
    target: { ratio: 'modhost', op: '<=', value: 1.5 },
  };
}
