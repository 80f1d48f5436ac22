/**
 * (e) CommonJS: require every module of lodash in a cold process, modhost's CommonJS runtime against
 * Node's `require`. The work itself is bench/commonjs-require.bench.ts (its own helper's file);
 * this suite runs that file's child mode (`--child node|modhost`, which prints one JSON sample)
 * through the suite's process runner, alternating, so the rows get per-round samples, spreads,
 * paired ratios and peak RSS like every other process-level row.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorText } from '../lib/alternate.js';
import { distBench, repoRoot } from '../lib/paths.js';
import { runNodeProcess } from '../lib/spawn.js';
import { summarize } from '../lib/stats.js';
import type { Cell, Row, RunOptions, WorkloadResult } from '../lib/types.js';

const BENCH_FILE = join(distBench, 'commonjs-require.bench.js');

interface ChildSample {
  loopMs: number;
  files: number;
  modules: number;
}

interface Series {
  loop: number[];
  wall: number[];
  cpu: number[];
  rss: number[];
  modules?: number;
  files?: number;
  error?: string;
}

const NOT_SUPPORTED = 'n/a: ses has no CommonJS require runtime';

function cell(series: Series, metric: 'loop' | 'wall' | 'cpu' | 'rss'): Cell {
  if (series.error !== undefined) return { samples: [], error: series.error };
  const samples = series[metric];
  return samples.length === 0 ? { samples, error: 'no samples' } : { samples, summary: summarize(samples) };
}

/** Runs workload (e). */
export async function runCommonJS(options: RunOptions): Promise<WorkloadResult> {
  const rounds = options.rounds || (options.quick ? 1 : 9);
  const warmup = 1;
  const series: Record<'node' | 'modhost', Series> = {
    node: { loop: [], wall: [], cpu: [], rss: [] },
    modhost: { loop: [], wall: [], cpu: [], rss: [] },
  };
  if (!existsSync(BENCH_FILE)) {
    series.node.error = series.modhost.error = 'bench/commonjs-require.bench.ts not built';
  }
  const kinds = ['node', 'modhost'] as const;
  for (let round = 0; round < warmup + rounds; round++) {
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(round + k) % kinds.length] as 'node' | 'modhost';
      const s = series[kind];
      if (s.error !== undefined) continue;
      try {
        const sample = await runNodeProcess({ nodeArgs: [BENCH_FILE, '--child', kind], cwd: repoRoot });
        if (sample.exitCode !== 0) {
          s.error = (
            `exit ${sample.exitCode}: ` +
            `${sample.stderr.split('\n').find((l) => /Error/.test(l)) ?? sample.stderr.split('\n')[0]}`
          ).slice(0, 160);
          continue;
        }
        const parsed = JSON.parse(sample.stdout.trim().split('\n').pop() ?? '') as ChildSample;
        s.modules = parsed.modules;
        s.files = parsed.files;
        if (round >= warmup) {
          s.loop.push(parsed.loopMs);
          s.wall.push(sample.wallMs);
          s.cpu.push(sample.cpuMs);
          s.rss.push(sample.maxRssMiB);
        }
      } catch (error) {
        s.error = errorText(error);
      }
    }
  }
  const files = series.node.files ?? series.modhost.files;
  const what = `require every lodash module${files ? ` (${files} files)` : ''}`;
  const endo: Cell = { samples: [], error: NOT_SUPPORTED };
  const info = { files, modules: { node: series.node.modules, modhost: series.modhost.modules } };
  const rows: Row[] = [
    {
      id: 'e.require.lodash.loop',
      group: 'e',
      label: `CommonJS: ${what}, the require loop in a cold process`,
      unit: 'ms',
      better: 'lower',
      baseline: "Node's require",
      cells: { native: cell(series.node, 'loop'), modhost: cell(series.modhost, 'loop'), endo },
      target: { ratio: 'modhost/native', op: '<=', value: 1.2 },
      info,
    },
    {
      id: 'e.require.lodash.process',
      group: 'e',
      label: `CommonJS: ${what}, whole process`,
      unit: 'ms',
      better: 'lower',
      baseline: "Node's require",
      cells: { native: cell(series.node, 'wall'), modhost: cell(series.modhost, 'wall'), endo },
      target: { ratio: 'modhost/native', op: '<=', value: 1.2 },
    },
    {
      id: 'e.require.lodash.cpu',
      group: 'e',
      label: `CommonJS: ${what}, whole process, CPU time`,
      unit: 'ms CPU',
      better: 'lower',
      baseline: "Node's require",
      cells: { native: cell(series.node, 'cpu'), modhost: cell(series.modhost, 'cpu'), endo },
      target: { ratio: 'modhost/native', op: '<=', value: 1.2 },
    },
    {
      id: 'e.rss.lodash',
      group: 'e',
      label: `CommonJS: ${what}, peak RSS`,
      unit: 'MiB',
      better: 'lower',
      baseline: "Node's require",
      cells: { native: cell(series.node, 'rss'), modhost: cell(series.modhost, 'rss'), endo },
      target: { ratio: 'modhost/native', op: '<=', value: 1.3 },
    },
  ];
  return { rows };
}
