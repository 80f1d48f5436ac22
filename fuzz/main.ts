/**
 * modhost's differential fuzzer.
 *
 *   node --experimental-vm-modules dist/fuzz/main.js --count N --seed S
 *
 * Graph i of a run is generated from seed S+i, run through modhost and through V8
 * (vm.SourceTextModule), each in a fresh state, and the outcomes are compared. A divergence is
 * minimised and written to fuzz/repros/<seed>.json; `--seed <that seed> --count 1` reproduces it.
 *
 * Node 20's V8 aborts the whole process on some module graphs (failed internal CHECKs), so the
 * seeds run in a child process; when one ends abnormally the run records the seed and goes on
 * from the next one. Exit code: 0 no divergence, 1 divergences, 2 usage or setup error.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { logDiff } from './compare.js';
import { checkGraph, graphFromTexts, type Repro } from './differential.js';
import { v8Available, v8Engine } from './engines/v8.js';
import { formatGraph } from './graph.js';
import { HelpRequested, type Options, parseOptions, USAGE, workerArgs } from './options.js';
import { Summary } from './summary.js';
import { engineNamed, runSeeds, type WorkerMessage } from './worker.js';

async function replay(file: string, engineName: string): Promise<number> {
  const engine = await engineNamed(engineName);
  const repro = JSON.parse(readFileSync(file, 'utf8')) as Repro;
  const graph = graphFromTexts(repro.entry, repro.modules);
  const result = await checkGraph(engine, v8Engine, graph, { correctOracle: engine !== v8Engine });
  console.log(formatGraph(graph));
  console.log(`\n${engine.name}: ${result.actual.entry} (settled in turn ${result.actual.settledTurn})`);
  console.log(`v8: ${result.expected.entry} (settled in turn ${result.expected.settledTurn})`);
  console.log(logDiff(result.actual.log, result.expected.log, 1000));
  for (const m of result.actual.internal) console.log(`${engine.name} internal error: ${m}`);
  console.log(
    result.divergence === null
      ? '\nno divergence'
      : `\nDIVERGES (${result.divergence.kind}): ${result.divergence.detail}`,
  );
  return result.divergence === null ? 0 : 1;
}

/** Runs the seeds in worker processes, restarting after a graph that ends one. */
async function runIsolated(options: Options, summary: Summary): Promise<void> {
  const script = fileURLToPath(import.meta.url);
  const end = options.seed + options.count;
  let next = options.seed;
  while (next < end) {
    let at: { seed: number; phase: string } = { seed: next, phase: 'start' };
    let lastDone = next - 1;
    const budget = Math.max(0, options.maxMinimise - summary.divergences.length);
    const child = fork(script, workerArgs(options, next, end - next, budget), {
      execArgv: ['--experimental-vm-modules', '--no-warnings'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'phase') at = { seed: message.seed, phase: message.phase };
      else if (message.type === 'graph') {
        summary.add(message.record);
        lastDone = message.record.seed;
        if (!options.quiet && summary.graphs % 1000 === 0) {
          console.log(`... ${summary.graphs} graphs, ${summary.divergences.length} divergences`);
        }
      }
    });
    const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (c, s) => resolve({ code: c, signal: s })),
    );
    if (code === 0 && lastDone === end - 1) return;
    if (code === 2) throw new Error(`worker failed: ${stderr.trim()}`);
    const crashedAt = lastDone + 1;
    const reason = /Check failed: [^\n]*/.exec(stderr)?.[0] ?? signal ?? `exit ${code}`;
    summary.crashes.push({ seed: crashedAt, phase: at.seed === crashedAt ? at.phase : 'start', signal: reason });
    if (!options.quiet) console.log(`process ended at seed ${crashedAt} (${at.phase}): ${reason}; going on`);
    next = crashedAt + 1;
  }
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(USAGE);
      return 0;
    }
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!v8Available()) {
    console.error('the V8 oracle needs: node --experimental-vm-modules dist/fuzz/main.js ...');
    return 2;
  }
  // Generated code rejects promises nobody handles (failed modules, unawaited imports): that is
  // part of what is being compared, not a reason to stop.
  process.on('unhandledRejection', () => {});
  if (options.replay !== null) return replay(options.replay, options.engine);

  if (options.worker) {
    await runSeeds(options, (message) => process.send!(message));
    // The IPC channel keeps a forked process alive: close it once the last message is out.
    await new Promise<void>((resolve) => process.send!({ type: 'done' }, undefined, {}, () => resolve()));
    process.disconnect();
    return 0;
  }
  const started = Date.now();
  const summary = new Summary();
  if (options.inProcess) {
    await runSeeds(options, (message) => {
      if (message.type === 'graph') summary.add(message.record);
    });
  } else {
    await runIsolated(options, summary);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const header =
    `${options.count} graphs (seeds ${options.seed}..${options.seed + options.count - 1}), ` +
    `${options.engine} vs v8, ${seconds} s`;
  console.log(summary.format(header, options.quiet));
  return summary.divergences.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 2;
  },
);
