/**
 * Issue 2's own benchmark, bench/module-source.bench.ts (its helper's file): throughput of
 * createModuleSourceRecord against `new vm.SourceTextModule`, CPU time, best of its alternating
 * rounds. It runs as its own process (its command line is its interface) and its printed lines
 * become rows here; each cell is its single best-of value, so there is no spread and the ratio is
 * the ratio of the two values. Full runs only (it always reads every file of the four
 * libraries), or `--only p`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { distBench, repoRoot } from '../lib/paths.js';
import { runNodeProcess } from '../lib/spawn.js';
import { summarize } from '../lib/stats.js';
import type { Cell, Row, RunOptions, WorkloadResult } from '../lib/types.js';

const BENCH_FILE = join(distBench, 'module-source.bench.js');

function single(value: number | undefined, why: string): Cell {
  return value === undefined || !Number.isFinite(value)
    ? { samples: [], error: why }
    : { samples: [value], summary: summarize([value]), note: 'best of rounds' };
}

/** Parses "<corpus>: N files, X MB" headers and "  <candidate>  R MB/s  Fx V8" lines. */
export function parseModuleSourceBench(
  stdout: string,
): Array<{ corpus: string; files: number; rates: Record<string, number> }> {
  const result: Array<{ corpus: string; files: number; rates: Record<string, number> }> = [];
  for (const line of stdout.split('\n')) {
    const header = /^(\S.*?): (\d+) files, [\d.]+ MB$/.exec(line);
    if (header) {
      result.push({ corpus: header[1] as string, files: Number(header[2]), rates: {} });
      continue;
    }
    const rate = /^\s+(.+?)\s+([\d.]+) MB\/s/.exec(line);
    const current = result[result.length - 1];
    if (rate && current) current.rates[(rate[1] as string).trim()] = Number(rate[2]);
  }
  return result;
}

/** Runs workload (p). */
export async function runPeerModuleSource(options: RunOptions): Promise<WorkloadResult> {
  if (!existsSync(BENCH_FILE)) return { rows: [], notes: ['(p) bench/module-source.bench.ts is not built; skipped.'] };
  const rounds = options.rounds || (options.quick ? 1 : 9);
  const sample = await runNodeProcess({
    nodeArgs: ['--expose-gc', '--experimental-vm-modules', '--no-warnings', BENCH_FILE],
    cwd: repoRoot,
    env: { ROUNDS: String(rounds) },
  });
  const failure =
    sample.exitCode === 0
      ? undefined
      : `exit ${sample.exitCode}: ${sample.stderr.split('\n').find((l) => /Error/.test(l)) ?? ''}`.slice(0, 160);
  const parsed = failure === undefined ? parseModuleSourceBench(sample.stdout) : [];
  const why = failure ?? 'not in its output';
  const rows: Row[] = parsed.map(({ corpus, files, rates }) => ({
    id: `p.record.${corpus.split(' ')[0]?.replace(/\W+/g, '-')}`,
    group: 'p',
    label: `createModuleSourceRecord (bench/module-source.bench.ts), ${corpus}, ${files} files`,
    unit: 'MB/s (CPU)',
    better: 'higher',
    baseline: 'new vm.SourceTextModule',
    cells: {
      native: single(rates['V8 SourceTextModule'], why),
      modhost: single(rates.modhost, why),
      endo: { samples: [], error: 'n/a (not in that file)' },
    },
    target: { ratio: 'modhost/native', op: '>=', value: 0.25 },
  }));
  if (rows.length === 0)
    rows.push({
      id: 'p.failed',
      group: 'p',
      label: 'bench/module-source.bench.ts',
      unit: '',
      better: 'higher',
      baseline: '',
      cells: { modhost: { samples: [], error: why } },
    });
  return { rows };
}
