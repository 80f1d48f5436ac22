/**
 * Throughput of createModuleSourceRecord (parse + static semantics + compile) against V8's own
 * module compilation (`new vm.SourceTextModule(text)`), on real ESM packages. Rounds alternate
 * between the two so both see the same machine state; the best round of each is reported.
 *
 *   node --experimental-vm-modules dist/bench/module-source.bench.js [--parser]
 *
 * Each round gets fresh copies of the texts (a unique trailing comment, flattened), so V8's
 * compilation cache never serves a repeat.
 *
 * `--parser` also reports meriyah alone (as src/source/parse.ts calls it) and with `loc: true`,
 * which is how the decision not to ask meriyah for locations was measured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { parseModule } from 'meriyah';
import { createModuleSourceRecord } from '../src/source/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modules = path.join(root, 'node_modules');

function jsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) jsFiles(full, out);
    else if (entry.name.endsWith('.js')) out.push(full);
  }
  return out;
}

const CORPORA: Record<string, () => string[]> = {
  'lodash-es': () => jsFiles(path.join(modules, 'lodash-es')),
  'three/src': () => jsFiles(path.join(modules, 'three/src')),
  'date-fns': () => jsFiles(path.join(modules, 'date-fns')).filter((f) => !f.includes(`${path.sep}cjs${path.sep}`)),
  'rxjs (dist/esm)': () => jsFiles(path.join(modules, 'rxjs/dist/esm')),
};

/**
 * CPU time (user + system, ms) of one pass: on a shared machine wall time mostly measures the
 * other processes. Both candidates are timed the same way. No forced gc() first: after one, V8
 * shrinks its young generation and an allocation-heavy pass (a parser building a tree) pays for
 * many more scavenges, about half of modhost's throughput (see docs/PERFORMANCE.md, harness notes).
 */
function time(texts: readonly string[], fn: (text: string, i: number) => unknown): number {
  const start = process.cpuUsage();
  for (let i = 0; i < texts.length; i++) fn(texts[i]!, i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const withParser = process.argv.includes('--parser');

const candidates: Record<string, (text: string, i: number) => unknown> = {
  modhost: (text, i) => createModuleSourceRecord(text, { url: `bench:${i}` }),
  'V8 SourceTextModule': (text) => new vm.SourceTextModule(text),
};
if (withParser) {
  const ranges = { start: true, end: true, range: false };
  candidates['meriyah (as parse.ts)'] = (text) => parseModule(text, { ranges, lexical: true, webcompat: true });
  candidates['meriyah + loc'] = (text) => parseModule(text, { ranges, lexical: true, webcompat: true, loc: true });
}

console.log(`node ${process.version}, CPU time of ${ROUNDS} alternating rounds`);
for (const [name, list] of Object.entries(CORPORA)) {
  const files = list();
  const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
  const megabytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;
  const times: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS + 1; round++) {
    // Round 0 warms up every candidate; alternate the order between rounds.
    const order = round % 2 === 0 ? Object.keys(candidates) : Object.keys(candidates).reverse();
    for (const key of order) {
      const fresh = texts.map((text) => Buffer.from(`${text}\n//${key} ${round}`).toString());
      const ms = time(fresh, candidates[key]!);
      if (round > 0) (times[key] ??= []).push(ms);
    }
  }
  const v8 = times['V8 SourceTextModule']!;
  console.log(`\n${name}: ${files.length} files, ${megabytes.toFixed(2)} MB`);
  for (const key of Object.keys(candidates)) {
    const best = megabytes / (Math.min(...times[key]!) / 1000);
    // Each round ran every candidate back to back: the median of the per-round ratios is the
    // figure least disturbed by whatever else the machine does.
    const ratio = median(times[key]!.map((ms, round) => v8[round]! / ms));
    console.log(
      `  ${key.padEnd(24)} ${best.toFixed(1).padStart(7)} MB/s (best)  ${ratio.toFixed(2)}x V8 (median of rounds)`,
    );
  }
}
