/**
 * (c) Cold graph load: one fresh process per sample, timed from spawn to exit, with its peak RSS.
 * Per library and per Node executable (the suite's own, plus every --node), these commands take
 * turns in every round, all of them in one rotation:
 *
 * - native:           node <entry>
 * - native, warm:     NODE_COMPILE_CACHE=<a folder filled beforehand> node <entry>   (Node 22.1+ only)
 * - modhost, no cache: node dist/cli/modhost.mjs run --no-cache <entry>
 * - modhost, cold cache: … run --cache-dir <a new empty folder> <entry>   (parses and writes the cache)
 * - modhost, warm cache: … run --cache-dir <a folder filled beforehand> <entry>   (the warm-up round
 *                     is the second run, which adds V8's code caches; the rounds measured use them)
 * - Endo:             node dist/bench/children/endo-run.js <entry>       (ses Compartment, ES modules only;
 *                                                                         the suite's Node only)
 *
 * Node's startup (~40 ms) is in every sample: that is what a user waits for. Each sample gives three
 * rows: wall time, CPU time (user + system; the steadier measure on a shared machine) and peak RSS;
 * the warm-cache rows of a Node with its own compile cache compare with that warm native run. Two
 * more rows per library and Node compare filling the cache with running without one.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ColdLoadTarget, coldLoadTargets } from '../lib/fixtures.js';
import { distBench, modhostBin, repoRoot } from '../lib/paths.js';
import { alternateProcesses, newProcessSeries, type ProcessSeries, processCell } from '../lib/process-rounds.js';
import { type ProcessSample, runNodeProcess } from '../lib/spawn.js';
import type { Cell, Row, RunOptions, WorkloadResult } from '../lib/types.js';

/** A Node executable under test. The first is the one running the suite; more come from --node. */
interface NodeUnderTest {
  exe: string;
  version: string;
  /** Row id suffix: '' for the suite's own Node, else `.node<major>`. */
  suffix: string;
  /** Node 22.1+ caches its own compiled modules with NODE_COMPILE_CACHE: the warm baseline uses it. */
  compileCache: boolean;
  primary: boolean;
}

const KINDS = ['native', 'nativewarm', 'nocache', 'coldcache', 'warmcache', 'endo'] as const;
type Kind = (typeof KINDS)[number];

/** One command of the alternation: a kind of run on one Node. */
interface Command {
  node: NodeUnderTest;
  kind: Kind;
  series: ProcessSeries;
}

const VARIANTS: ReadonlyArray<{ id: 'nocache' | 'coldcache' | 'warmcache'; label: string }> = [
  { id: 'nocache', label: 'no compile cache' },
  { id: 'coldcache', label: 'compile cache, empty (filled by the run)' },
  { id: 'warmcache', label: 'compile cache, warm' },
];

/** Targets of the cold-start issue: per metric, per variant (÷ native); absent = none. */
const TARGETS: Record<Metric, Partial<Record<'nocache' | 'coldcache' | 'warmcache', number>>> = {
  wall: { nocache: 1.2, warmcache: 1.0 },
  cpu: { nocache: 1.3, warmcache: 1.0 },
  rss: { nocache: 1.25, coldcache: 1.25, warmcache: 1.25 },
};
/** Filling the cache costs at most this much more than running without one (wall and CPU). */
const FILL_TARGET = 1.1;

function nodeUnderTest(exe: string, primary: boolean): NodeUnderTest {
  const version = primary
    ? process.version
    : execFileSync(exe, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return {
    exe,
    version,
    suffix: primary ? '' : `.node${major}`,
    compileCache: major > 22 || (major === 22 && minor >= 1),
    primary,
  };
}

interface Dirs {
  /** modhost's warm cache, per Node (V8 code caches are per V8 version). */
  warm: string;
  /** NODE_COMPILE_CACHE of the warm native baseline. */
  nodeCache: string;
  cold: () => string;
}

function invocation(command: Command, entry: string, dirs: Dirs): { nodeArgs: string[]; env?: NodeJS.ProcessEnv } {
  switch (command.kind) {
    case 'native':
      return { nodeArgs: [entry] };
    case 'nativewarm':
      return { nodeArgs: [entry], env: { NODE_COMPILE_CACHE: dirs.nodeCache } };
    case 'nocache':
      return { nodeArgs: [modhostBin, 'run', '--no-cache', entry] };
    case 'coldcache':
      return { nodeArgs: [modhostBin, 'run', '--cache-dir', dirs.cold(), entry] };
    case 'warmcache':
      return { nodeArgs: [modhostBin, 'run', '--cache-dir', dirs.warm, entry] };
    case 'endo':
      return {
        nodeArgs: [
          '--experimental-import-meta-resolve',
          '--no-warnings',
          join(distBench, 'children', 'endo-run.js'),
          entry,
        ],
      };
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

/** Commands of one Node: native (and its warm compile cache), modhost's three modes, Endo on the suite's Node. */
function commandsOf(node: NodeUnderTest): Command[] {
  return KINDS.filter((kind) => (kind !== 'nativewarm' || node.compileCache) && (kind !== 'endo' || node.primary)).map(
    (kind) => ({ node, kind, series: newProcessSeries() }),
  );
}

async function measureTarget(
  target: ColdLoadTarget,
  nodes: readonly NodeUnderTest[],
  rounds: number,
  warmup: number,
  withStats: boolean,
): Promise<{ commands: Command[]; stats?: string }> {
  const scratch = mkdtempSync(join(tmpdir(), 'modhost-bench-cache-'));
  let coldCount = 0;
  const cold = () => join(scratch, `cold-${coldCount++}`);
  const dirsOf = new Map<NodeUnderTest, Dirs>();
  nodes.forEach((node, i) => {
    const dirs = { warm: join(scratch, `warm-${i}`), nodeCache: join(scratch, `node-cache-${i}`), cold };
    mkdirSync(dirs.warm);
    mkdirSync(dirs.nodeCache);
    dirsOf.set(node, dirs);
  });
  const commands = nodes.flatMap(commandsOf);
  const run = (command: Command) => {
    const dirs = dirsOf.get(command.node) as Dirs;
    return runNodeProcess({ node: command.node.exe, cwd: repoRoot, ...invocation(command, target.entry, dirs) });
  };
  try {
    // Fill the warm caches (modhost's and Node's own), which also checks that the entry runs at all.
    for (const command of commands) {
      if (command.kind !== 'warmcache' && command.kind !== 'nativewarm') continue;
      const fillError = failure(await run(command));
      if (fillError === undefined) continue;
      const failed: readonly Kind[] =
        command.kind === 'nativewarm' ? ['nativewarm'] : ['nocache', 'coldcache', 'warmcache'];
      for (const other of commands)
        if (other.node === command.node && failed.includes(other.kind)) other.series.error = fillError;
    }
    await alternateProcesses(commands, (command) => command.series, { warmup, rounds }, run, failure);
    // One extra run with --stats, for the phase breakdown in the JSON (not timed).
    let stats: string | undefined;
    const nocache = commands.find((c) => c.node.primary && c.kind === 'nocache');
    if (withStats && nocache?.series.error === undefined) {
      const withStats = await runNodeProcess({
        nodeArgs: [modhostBin, 'run', '--no-cache', '--stats', target.entry],
        cwd: repoRoot,
      });
      stats = withStats.stderr.trim();
    }
    return stats === undefined ? { commands } : { commands, stats };
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

/** Runs workload (c). */
export async function runColdLoad(options: RunOptions): Promise<WorkloadResult> {
  const rounds = options.rounds || (options.quick ? 1 : 7);
  const warmup = options.quick ? 0 : 1;
  // --quick runs one library unless told otherwise: every spawn costs a Node start-up.
  const only = options.only.length > 0 ? options.only : options.quick ? ['lodash-es'] : [];
  const targets = coldLoadTargets().filter((t) => only.length === 0 || only.includes(t.id));
  const nodes = [
    nodeUnderTest(process.execPath, true),
    ...(options.nodes ?? []).map((exe) => nodeUnderTest(exe, false)),
  ];
  const rows: Row[] = [];
  for (const target of targets) {
    const { commands, stats } = await measureTarget(target, nodes, rounds, warmup, !options.quick);
    for (const node of nodes) {
      const series = (kind: Kind): ProcessSeries | undefined =>
        commands.find((c) => c.node === node && c.kind === kind)?.series;
      const on = node.primary ? '' : ` (Node ${node.version})`;
      const endoCell = (metric: Metric): Cell => {
        const endo = series('endo');
        return endo === undefined
          ? { samples: [], error: `n/a: Endo runs on Node ${nodes[0]?.version} only` }
          : processCell(endo, metric);
      };
      for (const metric of ['wall', 'cpu', 'rss'] as const) {
        const shape = METRIC_ROWS[metric];
        for (const variant of VARIANTS) {
          // Node 22.1+ has a compile cache of its own: a warm modhost is compared with a warm node.
          const warmNative = variant.id === 'warmcache' && node.compileCache;
          const native = series(warmNative ? 'nativewarm' : 'native') as ProcessSeries;
          const targetValue = TARGETS[metric][variant.id];
          rows.push({
            id: `c.${shape.prefix}.${target.id}.${variant.id}${node.suffix}`,
            group: 'c',
            label: `${shape.title}, ${target.label}, modhost ${variant.label}${on}`,
            unit: shape.unit,
            better: 'lower',
            baseline: warmNative ? 'node <entry>, NODE_COMPILE_CACHE warm' : 'node <entry>',
            cells: {
              native: processCell(native, metric),
              modhost: processCell(series(variant.id) as ProcessSeries, metric),
              endo: endoCell(metric),
            },
            ...(targetValue === undefined
              ? {}
              : { target: { ratio: 'modhost/native' as const, op: '<=' as const, value: targetValue } }),
            ...(stats !== undefined && node.primary && metric === 'wall' && variant.id === 'nocache'
              ? { info: { modhostStats: stats } }
              : {}),
          });
        }
      }
      // Filling the cache against not using one, paired round by round.
      for (const metric of ['wall', 'cpu'] as const) {
        const shape = METRIC_ROWS[metric];
        rows.push({
          id: `c.fill.${target.id}.${shape.prefix}${node.suffix}`,
          group: 'c',
          label:
            `Filling the compile cache (${metric === 'wall' ? 'wall' : 'CPU'}), ${target.label}${on}: ` +
            'native column = modhost without cache',
          unit: shape.unit,
          better: 'lower',
          baseline: 'modhost run --no-cache',
          cells: {
            native: processCell(series('nocache') as ProcessSeries, metric),
            modhost: processCell(series('coldcache') as ProcessSeries, metric),
            endo: { samples: [], error: 'n/a (modhost against itself)' },
          },
          target: { ratio: 'modhost/native', op: '<=', value: FILL_TARGET },
        });
      }
    }
  }
  const notes =
    nodes.length > 1
      ? [`(c) ran on ${nodes.map((n) => `${n.version} (${n.exe})`).join(' and ')}, alternating in one run.`]
      : [];
  return { rows, notes };
}
