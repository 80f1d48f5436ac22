/**
 * modhost's benchmark suite: one command runs every workload and prints one table.
 *
 *   npm run bench                    (= node --expose-gc --experimental-vm-modules dist/bench/index.js)
 *   node dist/bench/index.js --quick (small counts; under a minute)
 *
 * Options:
 *   --quick            small counts (checks that the suite runs; the numbers mean little)
 *   --only a,c         workloads to run (a–e, p; default all; --quick leaves out p)
 *   --filter x,y       only these libraries / programs / shapes inside the workloads
 *   --rounds N         alternation rounds for every row (default: per workload)
 *   --out DIR          where the JSON goes (default bench/results)
 *   --node PATH        another Node executable for (c) (repeatable; also $MODHOST_BENCH_NODES,
 *                      comma-separated): its native and modhost commands join the same alternation
 *
 * Method (see docs/PERFORMANCE.md): contenders alternate round by round inside one run; every cell
 * is a median with its MAD; every ratio is the median of the per-round ratios.
 *
 * The suite first copies dist/src, dist/cli and dist/bench to a private snapshot (bench/results/.snapshot-*)
 * and runs from there, so that a rebuild of dist/ during a long run (other work in the same
 * checkout) cannot change or break the code under measurement half-way. --no-snapshot skips it.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorText } from './lib/alternate.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { codeRoot, distBench, repoRoot, resultsDir } from './lib/paths.js';
import { renderTable } from './lib/table.js';
import type { Row, RunOptions, WorkloadResult } from './lib/types.js';
import { WORKLOADS, type Workload } from './workloads/registry.js';

/** Flags of the child processes that run in-process workloads. */
const CHILD_FLAGS = ['--expose-gc', '--experimental-vm-modules', '--no-warnings'];

const LEGEND = [
  'Cells: median ±MAD (as % of the median) over alternating rounds; ratios: median of the per-round ratios (the ' +
    'columns ran side by side in each round). In-process rows (a, b, d) are CPU time of the process; process rows ' +
    '(c, e) give wall time, CPU time and peak RSS.',
  'baseline = what the native column ran. Endo = ses Compartment + @endo/module-source (Babel transform); it ' +
    'cannot run modules that use top-level await ("no TLA"; none of these workloads needs it).',
  'MB/s and throughput: higher is better; ms, µs, MiB: lower is better. A ratio is always modhost (or Endo) ' +
    "divided by the other column, in the row's unit.",
];

function runInChild(workload: Workload, options: RunOptions): Promise<WorkloadResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'modhost-bench-child-'));
  const outFile = join(scratch, 'result.json');
  return new Promise<WorkloadResult>((resolve) => {
    const child = spawn(
      process.execPath,
      [...CHILD_FLAGS, join(distBench, 'child.js'), workload.id, JSON.stringify(options), outFile],
      {
        stdio: ['ignore', 'inherit', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(readFileSync(outFile, 'utf8')) as WorkloadResult);
      } catch {
        const message = stderr.split('\n').find((l) => /Error/.test(l)) ?? `exit ${code}`;
        resolve(failedWorkload(workload, `workload process failed: ${message}`));
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
}

function failedWorkload(workload: Workload, error: string): WorkloadResult {
  return {
    rows: [
      {
        id: `${workload.id}.failed`,
        group: workload.id,
        label: `${workload.title} (did not complete)`,
        unit: '',
        better: 'lower',
        baseline: '',
        cells: { native: { samples: [], error }, modhost: { samples: [], error }, endo: { samples: [], error } },
      },
    ],
  };
}

function listOption(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

/** Copies the compiled code to a snapshot inside the repository and re-runs this command from it. */
async function runFromSnapshot(): Promise<number> {
  mkdirSync(resultsDir, { recursive: true });
  const snapshot = mkdtempSync(join(resultsDir, '.snapshot-'));
  try {
    for (const part of ['src', 'cli', 'bench'])
      cpSync(join(codeRoot, 'dist', part), join(snapshot, 'dist', part), { recursive: true });
    // The snapshot sits inside the checkout, so its bare imports find the checkout's node_modules;
    // package.json gives the snapshot the checkout's "type": "module" and version.
    cpSync(join(repoRoot, 'package.json'), join(snapshot, 'package.json'));
    // Files that locate node_modules from their own path (bench/commonjs-require.bench.ts) find it too.
    symlinkSync(join(repoRoot, 'node_modules'), join(snapshot, 'node_modules'), 'dir');
    const child = spawn(
      process.execPath,
      [...process.execArgv, join(snapshot, 'dist', 'bench', 'index.js'), ...process.argv.slice(2)],
      {
        stdio: 'inherit',
        env: { ...process.env, MODHOST_BENCH_REPO: repoRoot },
      },
    );
    return await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  } finally {
    rmSync(snapshot, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      filter: { type: 'string' },
      rounds: { type: 'string' },
      out: { type: 'string' },
      node: { type: 'string', multiple: true },
      // Node 20's parseArgs has no `--no-` negation: the flag is an option of its own.
      'no-snapshot': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: node dist/bench/index.js [--quick] [--only a,b,c,d,e,p] [--filter names] [--rounds N] [--out DIR]' +
        ' [--node PATH]... [--no-snapshot]\n',
    );
    return;
  }
  if (!values['no-snapshot'] && process.env.MODHOST_BENCH_REPO === undefined) {
    process.exitCode = await runFromSnapshot();
    return;
  }
  const selected = listOption(values.only);
  for (const id of selected) if (!WORKLOADS.some((w) => w.id === id)) throw new Error(`unknown workload ${id}`);
  const options: RunOptions = {
    quick: values.quick === true,
    rounds: Number(values.rounds ?? 0) || 0,
    only: listOption(values.filter),
    nodes: [...(values.node ?? []), ...listOption(process.env.MODHOST_BENCH_NODES)],
  };
  const machine = machineInfo();
  const started = performance.now();
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const workload of WORKLOADS) {
    if (selected.length > 0 ? !selected.includes(workload.id) : options.quick && workload.fullOnly === true) continue;
    const t0 = performance.now();
    process.stderr.write(`bench: (${workload.id}) ${workload.title}…`);
    let result: WorkloadResult;
    try {
      result = workload.inProcess ? await runInChild(workload, options) : await workload.run(options);
    } catch (error) {
      result = failedWorkload(workload, errorText(error));
    }
    process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    rows.push(...result.rows);
    notes.push(...(result.notes ?? []));
  }
  const table = renderTable(rows);
  const footer = [`Machine: ${machineLine(machine)}`, ...LEGEND, ...notes];
  process.stdout.write(`${table}\n\n${footer.join('\n')}\n`);

  const outDir = values.out ?? resultsDir;
  mkdirSync(outDir, { recursive: true });
  const stamp = machine.date.replace(/[:.]/g, '-');
  const record = {
    machine,
    options: { ...options, workloads: selected },
    seconds: (performance.now() - started) / 1000,
    rows,
    notes,
    table,
  };
  const json = `${JSON.stringify(record, null, 1)}\n`;
  writeFileSync(join(outDir, `bench-${stamp}${options.quick ? '-quick' : ''}.json`), json);
  writeFileSync(join(outDir, options.quick ? 'latest-quick.json' : 'latest.json'), json);
  process.stderr.write(`bench: results in ${outDir} (${record.seconds.toFixed(0)} s)\n`);
}

await main();
