/**
 * (h) Hot module replacement, three measurements:
 *
 * - **update latency**: one leaf of a 1,000-module graph is edited, and its parent accepts it;
 *   `host.update([leaf])` (read, parse, load, link, evaluate the new leaf, relink its importers,
 *   run the accept callback) against restarting the program: `node main.mjs` (Node's own loader,
 *   cold) and `modhost run main.mjs` with a warm compile cache, each a fresh process timed from
 *   spawn to exit. Target: the update takes at most 0.05× of a restart.
 * - **heap**: the same update 1,000 times (100 with --quick); the heap after the last, divided
 *   by the heap after the tenth (each after full collections). Target: at most 1.1× (old
 *   instances are collected).
 * - **live bindings in a host**: workload (b)'s loops, with the modules loaded by a Node host from
 *   files, without `hot` and with `hot: true`, against Node's own loader. Hot and non-hot hosts
 *   run the same compiled code (relinking calls the module's `setImports` again), so both stay
 *   near native. Targets: ≤ 1.1× without hot, ≤ 1.5× with hot.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NodeHost } from '../../src/hosts/node/index.js';
import type { GraphNamespace } from '../contenders/graph.js';
import { loadGraphWithNodeLoader } from '../contenders/native.js';
import { alternate, cpuMs, type Sampler } from '../lib/alternate.js';
import { fixturesDir, modhostBin } from '../lib/paths.js';
import { runNodeProcess } from '../lib/spawn.js';
import { summarize } from '../lib/stats.js';
import type { Cell, Row, RunOptions, WorkloadResult } from '../lib/types.js';
import { PROGRAMS } from './live-bindings.js';

const NOT_APPLICABLE = (why: string): Cell => ({ samples: [], error: why });

/** Loads the compiled Node host lazily (a broken engine becomes an error in the table). */
async function nodeHosts(): Promise<typeof import('../../src/hosts/node/index.js')> {
  return import('../../src/hosts/node/index.js');
}

/** Runs workload (h). */
export async function runHot(options: RunOptions): Promise<WorkloadResult> {
  const rows: Row[] = [];
  const dir = join(fixturesDir, 'hmr-1000');
  const { main, leaf } = writeGraph(dir);
  const cacheDir = join(dir, '.cache');
  const { createNodeHost } = await nodeHosts();
  let host: NodeHost | undefined;
  let version = 0;
  const leafURL = pathToFileURL(leaf).href;
  /** One accepted update of the leaf, timed (ms). */
  const update = async (): Promise<number> => {
    if (host === undefined) {
      host = createNodeHost({ hot: true });
      await host.import(pathToFileURL(main).href);
    }
    version += 1;
    writeFileSync(leaf, `export const value = ${version};\n`);
    const started = performance.now();
    const report = await host.update([leafURL]);
    const ms = performance.now() - started;
    if (report.error !== undefined || report.updated.length !== 1 || report.fullReload)
      throw new Error(`the update did not apply: ${String(report.error ?? report.reason)}`);
    return ms;
  };
  // The warm cache for `modhost run`.
  await runNodeProcess({ nodeArgs: [modhostBin, 'run', '--cache-dir', cacheDir, main] });
  const rounds = options.rounds || (options.quick ? 2 : 9);
  for (const [id, label, args] of [
    ['node', 'node main.mjs (cold, Node loader)', [main]],
    ['run', 'modhost run main.mjs (warm compile cache)', [modhostBin, 'run', '--cache-dir', cacheDir, main]],
  ] as const) {
    const samplers: Sampler[] = [
      {
        id: 'native',
        async sample() {
          const sample = await runNodeProcess({ nodeArgs: [...args] });
          if (sample.exitCode !== 0) throw new Error(`exit ${sample.exitCode}: ${sample.stderr.slice(0, 160)}`);
          return sample.wallMs;
        },
      },
      { id: 'modhost', sample: update },
    ];
    const cells = await alternate(samplers, { rounds, warmup: 1 });
    cells.endo = NOT_APPLICABLE('n/a (no hot replacement)');
    rows.push({
      id: `h.update.${id}`,
      group: 'h',
      label: 'Hot update of one leaf of a 1,000-module graph (its parent accepts it) vs a restart',
      unit: 'ms (wall)',
      better: 'lower',
      baseline: label,
      cells,
      target: { ratio: 'modhost/native', op: '<=', value: 0.05 },
      info: { modules: 1000 },
    });
  }

  // Heap over many updates, in a fresh host.
  host = undefined;
  const updates = options.quick ? 100 : 1000;
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = async (): Promise<number> => {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc?.();
    }
    return process.memoryUsage().heapUsed;
  };
  let heapCell: Cell;
  try {
    if (gc === undefined) throw new Error('needs --expose-gc');
    let tenth = 0;
    for (let i = 1; i <= updates; i++) {
      await update();
      if (i === 10) tenth = await heap();
    }
    const last = await heap();
    const ratio = last / tenth;
    heapCell = { samples: [ratio], summary: summarize([ratio]), note: `${(last / 2 ** 20).toFixed(1)} MiB` };
  } catch (error) {
    heapCell = NOT_APPLICABLE(String((error as Error).message ?? error));
  }
  rows.push({
    id: 'h.heap',
    group: 'h',
    label: `Heap after ${updates.toLocaleString('en-US')} hot updates ÷ after the 10th (1,000-module graph)`,
    unit: '× heap',
    better: 'lower',
    baseline: '–',
    cells: {
      native: NOT_APPLICABLE('n/a (no hot replacement)'),
      modhost: heapCell,
      endo: NOT_APPLICABLE('n/a'),
    },
    target: { ratio: 'modhost', op: '<=', value: 1.1 },
    info: { updates },
  });
  host = undefined;

  // Live-binding loops in a Node host, without and with hot.
  const iterations = options.quick ? 1_000_000 : 50_000_000;
  const programs = PROGRAMS.filter((p) => options.only.length === 0 || options.only.includes(p.id));
  for (const program of programs) {
    const programDir = join(dir, `live-${program.id}`);
    mkdirSync(programDir, { recursive: true });
    writeFileSync(join(programDir, 'package.json'), '{ "type": "module" }\n');
    for (const [name, text] of program.files) writeFileSync(join(programDir, name), text);
    // The same program, whose main module accepts updates of dep.js (for the 'updated' mode).
    const acceptingDir = join(dir, `live-${program.id}-accepting`);
    mkdirSync(acceptingDir, { recursive: true });
    writeFileSync(join(acceptingDir, 'package.json'), '{ "type": "module" }\n');
    for (const [name, text] of program.files)
      writeFileSync(
        join(acceptingDir, name),
        name === './main.js' ? `${text}if (import.meta.hot) import.meta.hot.accept('./dep.js');\n` : text,
      );
    for (const mode of ['plain', 'hot', 'updated'] as const) {
      const hot = mode !== 'plain';
      const base = mode === 'updated' ? acceptingDir : programDir;
      const entry = pathToFileURL(join(base, 'main.js')).href;
      const results: Record<string, number> = {};
      const disposers: (() => void)[] = [];
      const load = async (id: 'native' | 'modhost'): Promise<GraphNamespace> => {
        if (id === 'native') {
          const loaded = await loadGraphWithNodeLoader(program.files, './main.js');
          disposers.push(loaded.dispose);
          return loaded.namespace;
        }
        const host = createNodeHost({ hot });
        const namespace = (await host.import(entry)) as GraphNamespace;
        if (mode === 'updated') {
          // Three accepted updates of dep.js (same code, other text), each after the loop ran hot
          // (as in a program being edited): main's bindings are relinked under running code.
          const dep = join(base, 'dep.js');
          const text = program.files.get('./dep.js') ?? '';
          const run = namespace.run as (n: number) => number;
          for (let i = 1; i <= 3; i++) {
            run(iterations / 10);
            writeFileSync(dep, `${text}// version ${i}\n`);
            const report = await host.update([pathToFileURL(dep).href]);
            if (report.error !== undefined || report.fullReload) throw new Error('the update did not apply');
          }
        }
        return namespace;
      };
      const samplers: Sampler[] = (['native', 'modhost'] as const).map((id) => {
        let run: ((n: number) => number) | undefined;
        return {
          id,
          async setup() {
            run = (await load(id)).run as (n: number) => number;
          },
          async sample() {
            let result = 0;
            const ms = await cpuMs(() => {
              result = (run as (n: number) => number)(iterations);
            });
            results[id] = result;
            return (ms * 1e6) / iterations;
          },
        };
      });
      const cells = await alternate(samplers, { rounds, warmup: 1 });
      for (const dispose of disposers) dispose();
      const modhostCell = cells.modhost;
      if (modhostCell?.error === undefined && results.modhost !== results.native && modhostCell !== undefined) {
        modhostCell.error = `wrong result ${results.modhost} (native ${results.native})`;
        delete modhostCell.summary;
        modhostCell.samples = [];
      }
      cells.endo = NOT_APPLICABLE('n/a');
      const how =
        mode === 'plain'
          ? 'without hot'
          : mode === 'hot'
            ? 'with hot: true'
            : 'with hot: true, after 3 accepted updates of dep.js under the running loop';
      const millions = (iterations / 1e6).toLocaleString('en-US');
      const row: Row = {
        id: `h.live.${program.id}.${mode}`,
        group: 'h',
        label: `Live bindings in a Node host ${how}: ${program.label} (${millions}M iterations)`,
        unit: 'ns/iter (CPU)',
        better: 'lower',
        baseline: 'node ESM loader',
        cells,
        info: { iterations, checksums: results },
      };
      // (no target for 'updated': what V8 does with call sites whose target changed, for the record)
      if (mode !== 'updated') row.target = { ratio: 'modhost/native', op: '<=', value: hot ? 1.5 : 1.1 };
      rows.push(row);
    }
  }
  return {
    rows,
    notes: [
      'h: the update rows compare one in-process host.update() with starting the program again in a new process ' +
        '(the restart a watcher without hot replacement does).',
    ],
  };
}

/**
 * Writes a 1,000-module graph into `dir` (emptied first): main.mjs imports 10 modules, each
 * imports 10, each of those imports 8 or 9 leaves (1 + 10 + 100 + 889 = 1,000 modules).
 * `group0/part0.mjs` imports `leaf.mjs`, one of the 889, and accepts it.
 */
function writeGraph(dir: string): { main: string; leaf: string } {
  rmSync(dir, { recursive: true, force: true });
  for (let g = 0; g < 10; g++) mkdirSync(join(dir, `group${g}`), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const main: string[] = [];
  let leaves = 0;
  for (let g = 0; g < 10; g++) {
    main.push(`import { total as t${g} } from './group${g}.mjs';`);
    const group: string[] = [];
    for (let p = 0; p < 10; p++) {
      group.push(`import { total as t${p} } from './group${g}/part${p}.mjs';`);
      const part: string[] = [];
      // 11 parts have 8 leaves, 89 have 9: 889 leaves (part 0 of group 0: 7 of its own and leaf.mjs).
      const count = g * 10 + p < 11 ? (g === 0 && p === 0 ? 7 : 8) : 9;
      for (let l = 0; l < count; l++) {
        const name = `leaf${leaves++}`;
        part.push(`import { value as v${l} } from './${name}.mjs';`);
        writeFileSync(join(dir, `group${g}`, `${name}.mjs`), `export const value = ${l};\n`);
      }
      const values = Array.from({ length: count }, (_, l) => `v${l}`).join(' + ');
      let text = `${part.join('\n')}\nexport const total = ${values};\n`;
      if (g === 0 && p === 0) {
        text =
          `import { value as hot } from '../leaf.mjs';\n${part.join('\n')}\n` +
          `export const total = ${values};\nexport const read = () => hot;\n` +
          `if (import.meta.hot) import.meta.hot.accept('../leaf.mjs');\n`;
      }
      writeFileSync(join(dir, `group${g}`, `part${p}.mjs`), text);
    }
    const totals = Array.from({ length: 10 }, (_, p) => `t${p}`).join(' + ');
    writeFileSync(join(dir, `group${g}.mjs`), `${group.join('\n')}\nexport const total = ${totals};\n`);
  }
  writeFileSync(join(dir, 'leaf.mjs'), 'export const value = 0;\n');
  const totals = Array.from({ length: 10 }, (_, g) => `t${g}`).join(' + ');
  writeFileSync(
    join(dir, 'main.mjs'),
    `${main.join('\n')}\nexport { read } from './group0/part0.mjs';\nexport const total = ${totals};\n`,
  );
  return { main: join(dir, 'main.mjs'), leaf: join(dir, 'leaf.mjs') };
}
