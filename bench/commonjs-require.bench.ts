/**
 * Bench: require every module of `lodash` (node_modules/lodash, ~1,000 files) in a cold process,
 * through modhost's CommonJS runtime (the Node host's, as `modhost run` uses it) and through Node's
 * own `require`.
 *
 * Each sample is a fresh child process (cold: no module cache, no warmed-up JIT), and the two
 * contenders alternate so that drift in machine load hits both alike. We report the median time
 * of the require loop as measured inside the child, the median wall time of the whole child
 * process, and the ratio modhost / node. mitata is not used here: it measures warm loops in one
 * process, and the figure that matters for a module loader is the cold first load.
 *
 * Run: `node dist/bench/commonjs-require.bench.js [rounds]` (default 15 rounds per contender).
 * Child mode (internal): `node dist/bench/commonjs-require.bench.js --child modhost|node`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../..');
const lodashDir = join(projectRoot, 'node_modules', 'lodash');

/** Every `.js` file under lodash, sorted, so both contenders load the same files in the same order. */
function lodashFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) files.push(path);
    }
  };
  walk(lodashDir);
  return files.sort();
}

interface Sample {
  readonly loopMs: number;
  /** CPU time (user + system) of the loop: less sensitive than wall time to other load on the machine. */
  readonly cpuMs: number;
  readonly files: number;
  readonly modules: number;
}

async function child(kind: string): Promise<void> {
  const files = lodashFiles();
  let requireFn: (id: string) => unknown;
  let count: () => number;
  if (kind === 'node') {
    const nodeRequire = createRequire(join(projectRoot, 'bench-entry.js'));
    requireFn = nodeRequire;
    const realLodashDir = realpathSync(lodashDir);
    count = () => Object.keys(nodeRequire.cache).filter((key) => key.startsWith(realLodashDir)).length;
  } else {
    // The Node host's runtime: what `modhost run` and `import` of CommonJS use (format checks
    // for require(esm), the host's evaluator with import() rewriting).
    const { createNodeHost } = await import('../src/hosts/node/host.js');
    const cjs = createNodeHost({ commonjs: { base: projectRoot } }).commonjs;
    requireFn = cjs.require;
    count = () => Object.keys(cjs.cache).length;
  }
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const file of files) requireFn(file);
  const cpu = process.cpuUsage(cpuStart);
  const loopMs = performance.now() - start;
  const sample: Sample = { loopMs, cpuMs: (cpu.user + cpu.system) / 1000, files: files.length, modules: count() };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function runChild(kind: string): { sample: Sample; wallMs: number } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind], { encoding: 'utf8' });
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`${kind} child failed: ${result.stderr}`);
  return { sample: JSON.parse(result.stdout.trim()) as Sample, wallMs };
}

/** Medians for one contender. */
export interface ContenderResult {
  readonly loopMs: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly modules: number;
}

/** Result of {@link benchCommonJSRequire}. */
export interface CommonJSRequireBenchResult {
  readonly rounds: number;
  readonly files: number;
  readonly modhost: ContenderResult;
  readonly node: ContenderResult;
  /** Median loop time ratio, modhost / node (target ≤ 1.2). */
  readonly ratio: number;
  /** Median loop CPU time ratio. */
  readonly cpuRatio: number;
  /** Median whole-process wall time ratio (includes loading modhost itself). */
  readonly wallRatio: number;
}

/** Runs `rounds` alternating cold children per contender and returns the medians. */
export function benchCommonJSRequire(rounds = 15): CommonJSRequireBenchResult {
  const loops: Record<string, number[]> = { modhost: [], node: [] };
  const cpus: Record<string, number[]> = { modhost: [], node: [] };
  const walls: Record<string, number[]> = { modhost: [], node: [] };
  const modules: Record<string, number> = { modhost: 0, node: 0 };
  let files = 0;
  runChild('node'); // warm the OS file cache before measuring
  runChild('modhost');
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['modhost', 'node'] : ['node', 'modhost'];
    for (const kind of order) {
      const { sample, wallMs } = runChild(kind);
      loops[kind]!.push(sample.loopMs);
      cpus[kind]!.push(sample.cpuMs);
      walls[kind]!.push(wallMs);
      modules[kind] = sample.modules;
      files = sample.files;
    }
  }
  const summarize = (kind: string): ContenderResult => ({
    loopMs: median(loops[kind]!),
    cpuMs: median(cpus[kind]!),
    wallMs: median(walls[kind]!),
    modules: modules[kind]!,
  });
  const modhost = summarize('modhost');
  const node = summarize('node');
  return {
    rounds,
    files,
    modhost,
    node,
    ratio: modhost.loopMs / node.loopMs,
    cpuRatio: modhost.cpuMs / node.cpuMs,
    wallRatio: modhost.wallMs / node.wallMs,
  };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex !== -1) {
    await child(process.argv[childIndex + 1] ?? 'modhost');
  } else {
    const rounds = Number(process.argv[2] ?? 15);
    const result = benchCommonJSRequire(rounds);
    const ms = (n: number): string => `${n.toFixed(1).padStart(7)} ms`;
    console.log(`require every lodash module (${result.files} files), ${result.rounds} cold processes each, medians`);
    const line = (name: string, r: ContenderResult): string =>
      `  ${name.padEnd(13)} loop ${ms(r.loopMs)}   loop cpu ${ms(r.cpuMs)}   process ${ms(r.wallMs)}   modules ` +
      `${r.modules}`;
    console.log(line('node require', result.node));
    console.log(line('modhost', result.modhost));
    console.log(
      `  ratio modhost/node: loop ${result.ratio.toFixed(3)}×, loop cpu ${result.cpuRatio.toFixed(3)}×, ` +
        `process ${result.wallRatio.toFixed(3)}× (target ≤ 1.2×)`,
    );
  }
}
