/**
 * One sample of workload (a) in a process of its own: constructs every kept file of a corpus with
 * one contender, up to thirty times (about 1.5 s of work) to warm the JIT up and once timed
 * (process CPU time of the loop), and prints `{"mbps": …, "firstMbps": …}`. `mbps` is the steady
 * state (what a long-lived host that keeps making ModuleSources gets); `firstMbps`, the first pass
 * in a cold process, is printed in the notes: parser code that is not optimised yet costs about
 * half the throughput there, and that cost is what workload (c), cold graph load, measures end to
 * end.
 *
 *   node --experimental-vm-modules dist/bench/children/construct-sample.js \
 *     <library> <contender> <round> <kept-names-file>
 *
 * Why a process per sample: measured in one process, contenders share a heap, and one
 * contender's garbage and retained structures (Endo's Babel ASTs, V8's compiled modules) make
 * the next one's collections slower. On lodash-es that moved modhost's ratio to V8 from 0.35×
 * (separate processes) to 0.09-0.22× (one process) depending on the order.
 */
import { readFileSync } from 'node:fs';
import { flat, readCorpus } from '../lib/corpus.js';
import { constructors } from '../workloads/construction.js';

const [library, contender, round, keptFile] = process.argv.slice(2) as [
  string,
  'native' | 'modhost' | 'endo',
  string,
  string,
];
const keep = new Set(JSON.parse(readFileSync(keptFile, 'utf8')) as string[]);
const files = readCorpus(library).filter((file) => keep.has(file.name));
const megabytes = files.reduce((sum, file) => sum + file.bytes, 0) / 1e6;
const made = await constructors([contender]);
const construct = made[contender];
if (construct === undefined) throw new Error(made.errors[contender] ?? `${contender} unavailable`);

function pass(suffix: string): number {
  // Fresh texts every pass (V8's isolate caches compiled code by source), made before timing.
  const texts = files.map((file) => flat(`${file.text}\n// ${suffix}\n`));
  const urls = files.map((file) => `file:///${file.name}`);
  // No forced gc() here: after one, V8 shrinks the young generation and the next pass pays for
  // many more scavenges (it halved modhost's and meriyah's throughput on lodash-es). A process of
  // its own per sample already keeps other contenders' garbage out.
  const start = process.cpuUsage();
  for (let i = 0; i < texts.length; i++) construct!(texts[i]!, urls[i]!);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const first = pass(`first ${round}`);
// Warm up with up to thirty passes, stopping after ~1.5 s of work: small corpora (rxjs: 0.24 MB,
// ~40 ms a pass) need many passes before the parser's code is optimised, and a slow contender
// (Endo's Babel takes ~15 s a pass on date-fns) is warm long before that.
let warm = first;
for (let i = 1; i < 30 && warm < 1500; i++) warm += pass(`warm-up ${i} ${round}`);
const ms = pass(`round ${round}`);
process.stdout.write(JSON.stringify({ mbps: megabytes / (ms / 1000), firstMbps: megabytes / (first / 1000) }));
