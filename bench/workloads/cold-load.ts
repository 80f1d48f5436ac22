/**
 * (c) Cold graph load: one fresh process per sample, timed from spawn to exit, with its peak RSS.
 * Per library, five commands take turns in every round:
 *
 * - native:           node <entry>
 * - modhost, no cache: node dist/cli/modhost.mjs run --no-cache <entry>
 * - modhost, cold cache: … run --cache-dir <a new empty folder> <entry>   (parses and writes the cache)
 * - modhost, warm cache: … run --cache-dir <a folder filled beforehand> <entry>
 * - Endo:             node dist/bench/children/endo-run.js <entry>       (ses Compartment, ES modules only)
 *
 * Node's startup (~40 ms) is in every sample: that is what a user waits for. Each sample gives three
 * rows: wall time, CPU time (user + system; the steadier measure on a shared machine) and peak RSS.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorText } from '../lib/alternate.js';
import { type ColdLoadTarget, coldLoadTargets } from '../lib/fixtures.js';
import { distBench, modhostBin, repoRoot } from '../lib/paths.js';
import { type ProcessSample, runNodeProcess } from '../lib/spawn.js';
import { summarize } from '../lib/stats.js';
import type { Cell, ContenderId, Row, RunOptions, WorkloadResult } from '../lib/types.js';

const COMMANDS = ['native', 'nocache', 'coldcache', 'warmcache', 'endo'] as const;
type CommandId = (typeof COMMANDS)[number];

const VARIANTS: ReadonlyArray<{ id: 'nocache' | 'coldcache' | 'warmcache'; label: string; loadTarget: number }> = [
  { id: 'nocache', label: 'no compile cache', loadTarget: 1.5 },
  { id: 'coldcache', label: 'compile cache, empty (filled by the run)', loadTarget: 1.5 },
  { id: 'warmcache', label: 'compile cache, warm', loadTarget: 1.0 },
];

interface Series {
  wall: number[];
  cpu: number[];
  rss: number[];
  error?: string;
}

function argsFor(command: CommandId, entry: string, warmDir: string, coldDir: () => string): string[] {
  switch (command) {
    case 'native':
      return [entry];
    case 'nocache':
      return [modhostBin, 'run', '--no-cache', entry];
    case 'coldcache':
      return [modhostBin, 'run', '--cache-dir', coldDir(), entry];
    case 'warmcache':
      return [modhostBin, 'run', '--cache-dir', warmDir, entry];
    case 'endo':
      return ['--experimental-import-meta-resolve', '--no-warnings', join(distBench, 'children', 'endo-run.js'), entry];
  }
}

function failure(sample: ProcessSample): string | undefined {
  if (sample.exitCode === 0 && Number.isFinite(sample.maxRssMiB)) return undefined;
  const lines = sample.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('(Use `node'));
  const message =
    lines.find((l) => /^(Uncaught )?\w*Error\b/.test(l)) ??
    lines.find((l) => /Error|ERR_/.test(l)) ??
    lines[0] ??
    'no output';
  return `exit ${sample.exitCode}: ${message}`.slice(0, 160);
}

async function measureTarget(
  target: ColdLoadTarget,
  rounds: number,
  warmup: number,
  withStats: boolean,
): Promise<{ series: Record<CommandId, Series>; stats?: string }> {
  const scratch = mkdtempSync(join(tmpdir(), 'modhost-bench-cache-'));
  const warmDir = join(scratch, 'warm');
  mkdirSync(warmDir);
  let coldCount = 0;
  const coldDir = () => join(scratch, `cold-${coldCount++}`);
  const series = Object.fromEntries(COMMANDS.map((c) => [c, { wall: [], cpu: [], rss: [] } as Series])) as Record<
    CommandId,
    Series
  >;
  try {
    // Fill the warm cache (and check that modhost runs this entry at all).
    const fill = await runNodeProcess({
      nodeArgs: argsFor('warmcache', target.entry, warmDir, coldDir),
      cwd: repoRoot,
    });
    const fillError = failure(fill);
    if (fillError !== undefined)
      for (const c of ['nocache', 'coldcache', 'warmcache'] as const) series[c].error = fillError;
    for (let round = 0; round < warmup + rounds; round++) {
      for (let k = 0; k < COMMANDS.length; k++) {
        const command = COMMANDS[(round + k) % COMMANDS.length] as CommandId;
        const s = series[command];
        if (s.error !== undefined) continue;
        try {
          const sample = await runNodeProcess({
            nodeArgs: argsFor(command, target.entry, warmDir, coldDir),
            cwd: repoRoot,
          });
          const error = failure(sample);
          if (error !== undefined) {
            s.error = error;
            continue;
          }
          if (round >= warmup) {
            s.wall.push(sample.wallMs);
            s.cpu.push(sample.cpuMs);
            s.rss.push(sample.maxRssMiB);
          }
        } catch (error) {
          s.error = errorText(error);
        }
      }
    }
    // One extra run with --stats, for the phase breakdown in the JSON (not timed).
    let stats: string | undefined;
    if (withStats && series.nocache.error === undefined) {
      const withStats = await runNodeProcess({
        nodeArgs: [modhostBin, 'run', '--no-cache', '--stats', target.entry],
        cwd: repoRoot,
      });
      stats = withStats.stderr.trim();
    }
    return stats === undefined ? { series } : { series, stats };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

type Metric = 'wall' | 'cpu' | 'rss';

const METRIC_ROWS: Record<Metric, { prefix: string; title: string; unit: string }> = {
  wall: { prefix: 'load', title: 'Cold load (wall)', unit: 'ms' },
  cpu: { prefix: 'cpu', title: 'Cold load (CPU)', unit: 'ms CPU' },
  rss: { prefix: 'rss', title: 'Peak RSS', unit: 'MiB' },
};

function cellOf(s: Series, metric: Metric): Cell {
  if (s.error !== undefined) return { samples: [], error: s.error };
  const samples = s[metric];
  return samples.length === 0 ? { samples, error: 'no samples' } : { samples, summary: summarize(samples) };
}

/** Runs workload (c). */
export async function runColdLoad(options: RunOptions): Promise<WorkloadResult> {
  const rounds = options.rounds || (options.quick ? 1 : 7);
  const warmup = options.quick ? 0 : 1;
  // --quick runs one library unless told otherwise: every spawn costs a Node start-up.
  const only = options.only.length > 0 ? options.only : options.quick ? ['lodash-es'] : [];
  const targets = coldLoadTargets().filter((t) => only.length === 0 || only.includes(t.id));
  const rows: Row[] = [];
  for (const target of targets) {
    const { series, stats } = await measureTarget(target, rounds, warmup, !options.quick);
    for (const metric of ['wall', 'cpu', 'rss'] as const) {
      const shape = METRIC_ROWS[metric];
      for (const variant of VARIANTS) {
        const cells: Partial<Record<ContenderId, Cell>> = {
          native: cellOf(series.native, metric),
          modhost: cellOf(series[variant.id], metric),
          endo: cellOf(series.endo, metric),
        };
        rows.push({
          id: `c.${shape.prefix}.${target.id}.${variant.id}`,
          group: 'c',
          label: `${shape.title}, ${target.label}, modhost ${variant.label}`,
          unit: shape.unit,
          better: 'lower',
          baseline: 'node <entry>',
          cells,
          target: { ratio: 'modhost/native', op: '<=', value: metric === 'rss' ? 1.3 : variant.loadTarget },
          ...(stats !== undefined && metric === 'wall' && variant.id === 'nocache'
            ? { info: { modhostStats: stats } }
            : {}),
        });
      }
    }
  }
  return { rows };
}
