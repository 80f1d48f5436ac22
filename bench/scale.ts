/**
 * Scale: per-module cost of load + link + evaluate through the public API for linear chains
 * (100 … 100,000 modules), strongly connected rings (100 … 10,000 modules, one module with a
 * top-level await), `export *` chains, and modules with many exports, so that "per-module cost in
 * line with small graphs" can be read off one table (the tests only assert completion).
 *
 *   node --expose-gc dist/bench/scale.js [--rounds 3]
 *
 * Each cell: median over rounds of the wall time of importModule (graph construction excluded),
 * divided by the number of modules (µs/module), and that figure divided by the smallest size's
 * (the "× small" column; near 1 means linear).
 */
import { parseArgs } from 'node:util';
import { importModule, Module, ModuleSource } from '../src/index.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

interface Shape {
  name: string;
  sizes: number[];
  /** Builds the graph of `n` modules; returns its entry and a check of the namespace. */
  build(n: number): { entry: Module; check(ns: Record<string, unknown>): boolean };
}

/** n modules of one shared source; module i's 'next' import gets next(i) (or `leaf`). */
function family(text: string, n: number, next: (i: number) => Module | undefined, leaf?: Module): Module[] {
  const source = new ModuleSource(text);
  const modules: Module[] = [];
  for (let i = 0; i < n; i++) {
    modules.push(
      new Module(source, {
        importHook: () => next(i) ?? leaf!,
        importMetaHook: (m: object) => void ((m as { i: number }).i = i),
      }),
    );
  }
  return modules;
}

const SHAPES: Shape[] = [
  {
    name: 'linear chain (import { v } from next)',
    sizes: [100, 1_000, 10_000, 100_000],
    build(n) {
      const leaf = new Module(new ModuleSource('export const v = 0;'));
      const chain: Module[] = family(
        `import { v as w } from 'next'; export const v = w + 1;`,
        n,
        (i) => chain[i + 1],
        leaf,
      );
      return { entry: chain[0]!, check: (ns) => ns.v === n };
    },
  },
  {
    name: 'ring, one SCC, one top-level await',
    sizes: [100, 1_000, 10_000],
    build(n) {
      const half = Math.floor(n / 2);
      const ring: Module[] = family(
        `import { i as j } from 'next'; export const i = import.meta.i; if (i === ${half}) await null; export ` +
          `function f() { return j; }`,
        n,
        (i) => ring[(i + 1) % n],
      );
      return { entry: ring[0]!, check: (ns) => (ns.f as () => number)() === 1 };
    },
  },
  {
    name: 'export * chain, namespace at the top',
    sizes: [100, 1_000, 10_000],
    build(n) {
      const leaf = new Module(new ModuleSource('export const deep = 1;'));
      const chain: Module[] = family(`export * from 'next'; export const x = 0;`, n, (i) => chain[i + 1], leaf);
      return { entry: chain[0]!, check: (ns) => ns.deep === 1 };
    },
  },
  {
    // Module i exports its own name e<i> and re-exports the rest: the top namespace has n names,
    // each resolved through up to n `export *` hops (GetExportedNames and ResolveExport as
    // specified are quadratic here; the figure shows by how much).
    name: 'export * chain, a new name per module',
    sizes: [100, 1_000, 3_000],
    build(n) {
      const chain: Module[] = [];
      for (let i = 0; i < n; i++) {
        const text = i === n - 1 ? `export const e${i} = ${i};` : `export * from 'next'; export const e${i} = ${i};`;
        chain.push(new Module(new ModuleSource(text), { importHook: () => chain[i + 1]! }));
      }
      return { entry: chain[0]!, check: (ns) => ns[`e${n - 1}`] === n - 1 };
    },
  },
];

/** One module with n exports: cost per export (ResolveExport and the namespace, indexed). */
function manyExports(n: number): { entry: Module; check(ns: Record<string, unknown>): boolean } {
  const text = Array.from({ length: n }, (_, i) => `export const e${i} = ${i};`).join('\n');
  return { entry: new Module(new ModuleSource(text)), check: (ns) => ns[`e${n - 1}`] === n - 1 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(build: () => { entry: Module; check(ns: Record<string, unknown>): boolean }): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const { entry, check } = build();
    gc();
    const start = process.hrtime.bigint();
    const ns = await importModule(entry);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!check(ns)) throw new Error('wrong result');
    samples.push(ms);
  }
  return median(samples);
}

async function main(): Promise<void> {
  console.log(`| shape | modules | total ms | µs/module | × small |`);
  console.log(`|---|---:|---:|---:|---:|`);
  for (const shape of SHAPES) {
    let base = 0;
    for (const n of shape.sizes) {
      const ms = await measure(() => shape.build(n));
      const per = (ms * 1000) / n;
      if (base === 0) base = per;
      console.log(
        `| ${shape.name} | ${n.toLocaleString('en')} | ${ms.toFixed(1)} | ${per.toFixed(1)} | ` +
          `${(per / base).toFixed(2)} |`,
      );
    }
  }
  let base = 0;
  for (const n of [1_000, 10_000, 40_000]) {
    const ms = await measure(() => manyExports(n));
    const per = (ms * 1000) / n;
    if (base === 0) base = per;
    console.log(
      `| one module, n exports (µs/export) | ${n.toLocaleString('en')} | ${ms.toFixed(1)} | ${per.toFixed(1)} | ` +
        `${(per / base).toFixed(2)} |`,
    );
  }
}

await main();
