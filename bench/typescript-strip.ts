/**
 * The two TypeScript strippers side by side, on the Node that runs this (which one modhost uses
 * by default is chosen on these figures: src/hosts/node/typescript.ts, docs/PERFORMANCE.md):
 * the running Node's `module.stripTypeScriptTypes` (Node 22.13+) and the `amaro` package.
 *
 *   node dist/bench/typescript-strip.js [--rounds N]
 *   scripts/with-node.sh 24 node dist/bench/typescript-strip.js
 *
 * Each sample is a fresh process (the stripper's start-up is most of the cost for a program with a
 * few TypeScript files), the two strippers alternating round by round: the time from the first
 * call to its result (loading the stripper, compiling its WebAssembly, stripping one 17 KB file),
 * then the time to strip a 650 KB text in the same process. Medians over the rounds.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { parseArgs } from 'node:util';
import { median } from './lib/stats.js';

const CHILD = `
const { performance } = require('node:perf_hooks');
const [stripper, typescript, file] = process.argv.slice(1);
const text = require('node:fs').readFileSync(file, 'utf8');
import(typescript).then(({ stripTypeScriptTypes }) => {
  const t0 = performance.now();
  stripTypeScriptTypes(text, { url: 'file:///first.ts', stripper });
  const t1 = performance.now();
  const big = text.repeat(40);
  const t2 = performance.now();
  stripTypeScriptTypes(big, { url: 'file:///big.ts', stripper });
  const t3 = performance.now();
  process.stdout.write(JSON.stringify({ first: t1 - t0, big: t3 - t2, bytes: big.length }));
});
`;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '9' } } });
const rounds = Number(values.rounds);
const typescript = new URL('../src/hosts/node/typescript.js', import.meta.url).href;
const sample = new URL('../../src/hosts/node/host.ts', import.meta.url).pathname;
const hasBuiltin = typeof (nodeModule as { stripTypeScriptTypes?: unknown }).stripTypeScriptTypes === 'function';
const strippers = hasBuiltin ? ['node', 'amaro'] : ['amaro'];
const results = new Map<string, { first: number[]; big: number[]; bytes: number }>();
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? strippers : [...strippers].reverse();
  for (const stripper of order) {
    const child = spawnSync(process.execPath, ['-e', CHILD, stripper, typescript, sample], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`${stripper}: ${child.stderr}`);
    const { first, big, bytes } = JSON.parse(child.stdout) as { first: number; big: number; bytes: number };
    const entry = results.get(stripper) ?? { first: [], big: [], bytes };
    entry.first.push(first);
    entry.big.push(big);
    results.set(stripper, entry);
  }
}
const kib = Math.round(readFileSync(sample).length / 1024);
console.log(`Node ${process.version}, ${rounds} rounds (median ms)`);
console.log(
  `| stripper | first strip (${kib} KiB, cold process) | ${Math.round((results.get('amaro')?.bytes ?? 0) / 1024)} ` +
    `KiB after |`,
);
console.log('|---|---|---|');
for (const [stripper, { first, big }] of results) {
  const name = stripper === 'node' ? 'module.stripTypeScriptTypes (built-in)' : 'amaro (npm)';
  console.log(`| ${name} | ${median(first).toFixed(0)} | ${median(big).toFixed(0)} |`);
}
