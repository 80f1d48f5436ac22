/**
 * Two (or more) builds of the CLI against each other and against node, on the cold-load entries of
 * workload (c): a process per sample, commands alternating round by round, CPU time of the whole
 * process tree (`perf stat -e task-clock`, in µs steps, when perf works here; else GNU time, in
 * 10 ms steps) and peak RSS. For measuring a change before and after on a busy machine, where
 * wall time says little:
 *
 *   node dist/bench/compare-cli.js --rounds 9 --filter three,lodash-es \
 *     --cli before=/tmp/old/dist/cli/modhost.mjs --cli after=dist/cli/modhost.mjs [--node /path/to/node24]
 *
 * Every CLI runs `run --no-cache <entry>` (after one unrecorded run, which also makes the CLI's
 * code cache of its own bundle); ratios are medians of per-round ratios to the first CLI on the
 * same Node, and of node's own run on that Node ("÷node").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coldLoadTargets } from './lib/fixtures.js';
import { median, pairedRatio, summarize } from './lib/stats.js';

interface Command {
  label: string;
  node: string;
  args: (entry: string) => string[];
  isNative: boolean;
  nodeLabel: string;
}

const perfWorks = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true'], { encoding: 'utf8' }).status === 0;

function sample(command: Command, entry: string): { cpuMs: number; rssMiB: number } {
  const scratch = mkdtempSync(join(tmpdir(), 'modhost-compare-'));
  const timeFile = join(scratch, 'time');
  try {
    const inner = ['/usr/bin/time', '-f', '%M %U %S', '-o', timeFile, command.node, ...command.args(entry)];
    const argv = perfWorks ? ['perf', 'stat', '-x,', '-e', 'task-clock', ...inner] : inner;
    const result = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command.label} failed: ${result.stderr.slice(0, 400)}`);
    const [kib = Number.NaN, user = Number.NaN, system = Number.NaN] = (
      readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? ''
    )
      .split(/\s+/)
      .map(Number);
    const taskClock = perfWorks
      ? Number(
          result.stderr
            .split('\n')
            .find((l) => l.includes('task-clock'))
            ?.split(',')[0],
        )
      : (user + system) * 1000;
    return { cpuMs: taskClock, rssMiB: kib / 1024 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '9' },
      filter: { type: 'string', default: 'lodash-es,three,date-fns,rxjs-esm' },
      cli: { type: 'string', multiple: true },
      node: { type: 'string', multiple: true },
    },
  });
  const clis = (values.cli ?? []).map((spec) => {
    const at = spec.indexOf('=');
    return at === -1
      ? { label: spec, path: resolve(spec) }
      : { label: spec.slice(0, at), path: resolve(spec.slice(at + 1)) };
  });
  if (clis.length === 0) throw new Error('give at least one --cli label=path/to/modhost.mjs');
  for (const cli of clis) if (!existsSync(cli.path)) throw new Error(`${cli.path} does not exist`);
  const nodes = [process.execPath, ...(values.node ?? [])].map((exe) => ({
    exe,
    label: `node ${spawnSync(exe, ['--version'], { encoding: 'utf8' }).stdout.trim()}`,
  }));
  const commands: Command[] = nodes.flatMap((node) => [
    { label: 'node', node: node.exe, args: (entry) => [entry], isNative: true, nodeLabel: node.label },
    ...clis.map((cli) => ({
      label: cli.label,
      node: node.exe,
      args: (entry: string) => [cli.path, 'run', '--no-cache', entry],
      isNative: false,
      nodeLabel: node.label,
    })),
  ]);
  const rounds = Number(values.rounds);
  const wanted = (values.filter ?? '').split(',');
  process.stdout.write(
    `CPU: ${perfWorks ? 'perf stat task-clock' : 'GNU time user+system'}; ${rounds} alternating rounds\n`,
  );
  for (const target of coldLoadTargets().filter((t) => wanted.includes(t.id))) {
    const cpu = commands.map(() => [] as number[]);
    const rss = commands.map(() => [] as number[]);
    // One unrecorded run each: the file system cache, and the CLI's code cache of its own bundle.
    for (const command of commands) sample(command, target.entry);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < commands.length; k++) {
        const i = (round + k) % commands.length;
        const s = sample(commands[i] as Command, target.entry);
        cpu[i]!.push(s.cpuMs);
        rss[i]!.push(s.rssMiB);
      }
    }
    for (let i = 0; i < commands.length; i++) {
      const command = commands[i] as Command;
      const native = commands.findIndex((c) => c.nodeLabel === command.nodeLabel && c.isNative);
      const first = commands.findIndex((c) => c.nodeLabel === command.nodeLabel && !c.isNative);
      const c = summarize(cpu[i]!);
      const line = [
        target.id.padEnd(9),
        command.nodeLabel.padEnd(13),
        command.label.padEnd(8),
        `CPU ${c.median.toFixed(1).padStart(7)} ms ±${((c.mad / c.median) * 100).toFixed(1)}%`,
        `÷node ${pairedRatio(cpu[i]!, cpu[native]!).median.toFixed(3)}`,
        command.isNative ? '' : `÷${commands[first]?.label} ${pairedRatio(cpu[i]!, cpu[first]!).median.toFixed(3)}`,
        `RSS ${median(rss[i]!).toFixed(1)} MiB ÷node ${pairedRatio(rss[i]!, rss[native]!).median.toFixed(3)}`,
      ];
      process.stdout.write(`${line.join('  ')}\n`);
    }
  }
}

main();
