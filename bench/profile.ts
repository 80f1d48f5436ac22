/**
 * CPU profiles of modhost's hot paths, summarised: runs each target under `node --cpu-prof` and
 * prints the functions with the most self time (sampled), grouped by function and file.
 *
 *   node dist/bench/profile.js [target ...]       targets: cold-load, warm-cache, construct, graph, live
 *   node dist/bench/profile.js --top 20 cold-load
 *
 * The .cpuprofile files stay in bench/results/profiles/ (open them in Chrome DevTools).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { coldLoadTargets } from './lib/fixtures.js';
import { distBench, modhostBin, repoRoot, resultsDir } from './lib/paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (ms), largest first. */
export function selfTimes(profile: CpuProfile): Array<{ name: string; ms: number; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (node === undefined) return;
    const frame = node.callFrame;
    let file = frame.url;
    if (file.startsWith('file://')) file = relative(repoRoot, fileURLToPath(file));
    const name = `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
    totals.set(name, (totals.get(name) ?? 0) + delta);
    all += delta;
  });
  return [...totals.entries()]
    .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / all }))
    .sort((a, b) => b.ms - a.ms);
}

function entryOf(id: string): string {
  const target = coldLoadTargets().find((t) => t.id === id);
  if (target === undefined) throw new Error(`no cold-load entry ${id}`);
  return target.entry;
}

const TARGETS: Record<string, (cacheDir: string) => { setup?: string[]; args: string[] }> = {
  'cold-load': () => ({ args: [modhostBin, 'run', '--no-cache', entryOf('three')] }),
  'warm-cache': (cacheDir) => ({
    setup: [modhostBin, 'run', '--cache-dir', cacheDir, entryOf('three')],
    args: [modhostBin, 'run', '--cache-dir', cacheDir, entryOf('three')],
  }),
  construct: () => ({ args: [join(distBench, 'children', 'profile-target.js'), 'construct', 'three'] }),
  graph: () => ({ args: [join(distBench, 'children', 'profile-target.js'), 'graph', 'wide', '20000'] }),
  live: () => ({ args: [join(distBench, 'children', 'profile-target.js'), 'live', 'counter', '50000000'] }),
};

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' } },
  });
  const top = Number(values.top);
  const chosen = positionals.length > 0 ? positionals : Object.keys(TARGETS);
  const outRoot = join(resultsDir, 'profiles');
  mkdirSync(outRoot, { recursive: true });
  for (const name of chosen) {
    const make = TARGETS[name];
    if (make === undefined) throw new Error(`unknown target ${name} (known: ${Object.keys(TARGETS).join(', ')})`);
    const cacheDir = mkdtempSync(join(tmpdir(), 'modhost-bench-profile-'));
    const outDir = join(outRoot, name);
    rmSync(outDir, { recursive: true, force: true });
    try {
      const { setup, args } = make(cacheDir);
      if (setup) spawnSync(process.execPath, setup, { cwd: repoRoot, stdio: 'ignore' });
      const result = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', outDir, ...args], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      if (result.status !== 0) {
        process.stdout.write(`\n## ${name}: failed (exit ${result.status})\n${result.stderr.slice(0, 600)}\n`);
        continue;
      }
      const file = readdirSync(outDir).find((f) => f.endsWith('.cpuprofile'));
      if (file === undefined) throw new Error(`${name}: no profile written`);
      const rows = selfTimes(JSON.parse(readFileSync(join(outDir, file), 'utf8')) as CpuProfile);
      const total = rows.reduce((s, r) => s + r.ms, 0);
      process.stdout.write(
        `\n## ${name} (${total.toFixed(0)} ms sampled; ${relative(repoRoot, join(outDir, file))})\n`,
      );
      for (const row of rows.slice(0, top)) {
        process.stdout.write(
          `${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(1).padStart(8)} ms  ${row.name}\n`,
        );
      }
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
}

main();
