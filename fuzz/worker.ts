/**
 * The fuzz loop for a range of seeds. It runs in a worker process (started by main.ts) so that a
 * V8 abort on one graph ends only the worker: before each step the worker reports which seed and
 * phase it is in, and main restarts it after the graph that ended it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { logDiff } from './compare.js';
import { type CheckOptions, checkGraph, type Repro, refereeOf, reproduce } from './differential.js';
import type { Engine } from './engine.js';
import { v8Engine } from './engines/v8.js';
import { generateGraph } from './generate.js';
import { type FuzzGraph, formatGraph, renderTexts } from './graph.js';
import { oracleZones } from './known.js';
import type { Options } from './options.js';
import type { GraphRecord } from './summary.js';

/** Messages from the loop to whoever runs it. */
export type WorkerMessage =
  | { readonly type: 'phase'; readonly seed: number; readonly phase: 'engine+oracle' | 'minimise' }
  | { readonly type: 'graph'; readonly record: GraphRecord }
  | { readonly type: 'done' };

/** The engine named by --engine. */
export async function engineNamed(name: string): Promise<Engine> {
  if (name === 'v8') return v8Engine;
  return (await import('./engines/modhost.js')).modhostEngine;
}

/** Runs seeds [options.seed, options.seed + options.count). */
export async function runSeeds(options: Options, send: (message: WorkerMessage) => void): Promise<void> {
  const engine = await engineNamed(options.engine);
  // V8 against itself checks the harness: the oracle must then not be corrected.
  const checkOptions: CheckOptions = { correctOracle: engine !== v8Engine };
  let minimised = 0;
  for (let seed = options.seed; seed < options.seed + options.count; seed++) {
    const { graph, features } = generateGraph(seed);
    send({ type: 'phase', seed, phase: 'engine+oracle' });
    const result = await checkGraph(engine, v8Engine, graph, checkOptions);
    const errors: Record<string, number> = {};
    for (const line of result.expected.log) {
      for (const m of line.matchAll(/\b(\w*Error)\b/g)) errors[m[1]!] = (errors[m[1]!] ?? 0) + 1;
    }
    const base = {
      seed,
      features: [...features],
      entry: result.expected.entry.startsWith('ns ') ? 'namespace' : result.expected.entry.replace(/\(.*|#.*/, ''),
      errors,
      turns: result.expected.log.filter((l) => l.startsWith('~')).length,
      corrected: result.corrected.length > 0,
      referee: refereeOf(graph, v8Engine),
    };
    if (options.show)
      console.log(
        `// ==== seed ${seed}\n${formatGraph(graph)}\n// log: ${JSON.stringify(result.expected.log)}\n// entry: ` +
          `${result.expected.entry}\n`,
      );
    if (result.skipped) {
      send({ type: 'graph', record: { ...base, verdict: 'skipped' } });
      continue;
    }
    if (result.divergence === null) {
      send({ type: 'graph', record: { ...base, verdict: 'agree' } });
      continue;
    }
    const { kind, detail } = result.divergence;
    const internal = kind === 'internal';
    const zones = [...oracleZones(graph), ...result.expected.notes];
    const inZone = zones.length > 0 && !internal;
    if (!options.minimise || (!inZone && minimised >= options.maxMinimise)) {
      if (inZone) {
        send({ type: 'graph', record: { ...base, verdict: 'known', kind, detail, zones } });
      } else {
        console.log(`DIVERGENCE seed ${seed} (${kind}): ${detail}`);
        send({ type: 'graph', record: { ...base, verdict: 'divergence', kind, detail } });
      }
      continue;
    }
    if (!inZone) minimised++;
    // Written before minimising, so that a V8 abort while minimising still leaves a repro.
    if (!inZone) writeRepro(options.out, unminimised(seed, engine, graph, result, zones));
    send({ type: 'phase', seed, phase: 'minimise' });
    const repro = await reproduce(seed, engine, v8Engine, graph, result, undefined, checkOptions);
    if (repro.verdict === 'known V8 deviation') {
      if (!options.quiet)
        console.log(
          `known V8 deviation, seed ${seed} (${repro.zones.join(', ')}; spec model ${repro.specModel}): ` +
            `${repro.detail.slice(0, 160)}`,
        );
      send({ type: 'graph', record: { ...base, verdict: 'known', kind, detail: repro.detail, zones: repro.zones } });
      continue;
    }
    console.log(`DIVERGENCE seed ${seed} (${kind}): ${detail}`);
    const file = writeRepro(options.out, repro);
    printRepro(repro);
    console.log(`  written to ${file}\n`);
    send({ type: 'graph', record: { ...base, verdict: 'divergence', kind, detail: repro.detail } });
  }
}

function unminimised(
  seed: number,
  engine: Engine,
  graph: FuzzGraph,
  result: Awaited<ReturnType<typeof checkGraph>>,
  zones: readonly string[],
): Repro {
  const modules = { ...renderTexts(graph) };
  return {
    seed,
    engine: engine.name,
    oracle: refereeOf(graph, v8Engine),
    kind: result.divergence!.kind,
    detail: result.divergence!.detail,
    entry: graph.entry,
    modules,
    outcomes: { engine: result.actual, oracle: result.expected },
    original: { entry: graph.entry, modules },
    checks: 0,
    zones,
    verdict: 'engine bug?',
    specModel: 'not consulted',
    command: `node --experimental-vm-modules dist/fuzz/main.js --seed ${seed} --count 1`,
  };
}

function writeRepro(dir: string, repro: Repro): string {
  mkdirSync(dir, { recursive: true });
  const file = `${dir.replace(/\/?$/, '/')}${repro.seed}.json`;
  writeFileSync(file, `${JSON.stringify(repro, null, 2)}\n`);
  return file;
}

/** Prints a minimised repro: module texts, the first difference, both entry outcomes. */
export function printRepro(repro: Repro): void {
  console.log(`  minimised in ${repro.checks} checks (${Object.keys(repro.modules).length} modules):`);
  for (const [name, text] of Object.entries(repro.modules)) {
    console.log(`  // ---- ${name}${name === repro.entry ? ' (entry)' : ''}`);
    for (const line of text.replace(/\n$/, '').split('\n')) console.log(`  ${line}`);
  }
  console.log(`  ${repro.detail}`);
  if (repro.zones.length > 0)
    console.log(`  known-V8-deviation zones: ${repro.zones.join(', ')}; spec model ${repro.specModel}`);
  console.log(logDiff(repro.outcomes.engine.log, repro.outcomes.oracle.log).replace(/^/gm, '  '));
  console.log(`  entry: ${repro.engine}: ${repro.outcomes.engine.entry}`);
  console.log(`  entry: ${repro.oracle}: ${repro.outcomes.oracle.entry}`);
}
