/**
 * (a) ModuleSource construction: parse + analyse (+ compile, for modhost) of every ES module file of
 * a library, in MB/s of source text. Contenders: `new vm.SourceTextModule(text)` (V8's own module
 * compile: full parse of the top level, pre-parse of function bodies), modhost's
 * `new ModuleSource(text)`, Endo's `new ModuleSource(text)`. Plus one micro row, the latency of a
 * small module, measured by mitata.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEndo } from '../contenders/endo.js';
import { loadModhost } from '../contenders/modhost.js';
import { requireVmModules } from '../contenders/native.js';
import { alternate, errorText, mitataSample, type Sampler } from '../lib/alternate.js';
import { CORPORA, type CorpusFile, readCorpus } from '../lib/corpus.js';
import { distBench } from '../lib/paths.js';
import { runNodeProcess } from '../lib/spawn.js';
import type { Row, RunOptions, WorkloadResult } from '../lib/types.js';

type Construct = (text: string, url: string) => unknown;

interface Constructors {
  native: Construct;
  modhost: Construct;
  endo: Construct;
}

/** The contenders' constructors (only those in `which`: a sample process loads one contender). */
export async function constructors(
  which: ReadonlyArray<keyof Constructors> = ['native', 'modhost', 'endo'],
): Promise<Partial<Constructors> & { errors: Record<string, string> }> {
  const result: Partial<Constructors> & { errors: Record<string, string> } = { errors: {} };
  if (which.includes('native'))
    try {
      const SourceTextModule = requireVmModules();
      result.native = (text, url) => new SourceTextModule(text, { identifier: url });
    } catch (error) {
      result.errors.native = errorText(error);
    }
  if (which.includes('modhost'))
    try {
      const { ModuleSource } = await loadModhost();
      result.modhost = (text, url) => new ModuleSource(text, { url });
    } catch (error) {
      result.errors.modhost = errorText(error);
    }
  if (which.includes('endo'))
    try {
      const { ModuleSource } = await loadEndo();
      result.endo = (text, url) => new ModuleSource(text, url);
    } catch (error) {
      result.errors.endo = errorText(error);
    }
  return result;
}

/**
 * Constructs every file once with every contender. Files that one contender rejects are left out
 * for all (and listed), so that every contender parses the same bytes; a contender that rejects
 * more than half of the files is reported as failed instead, and its rejections exclude nothing.
 */
function screen(
  files: CorpusFile[],
  made: Partial<Constructors>,
): { kept: CorpusFile[]; excluded: string[]; failed: Record<string, string> } {
  const rejected: Record<string, Array<{ file: CorpusFile; error: string }>> = {};
  for (const id of ['native', 'modhost', 'endo'] as const) {
    const construct = made[id];
    if (construct === undefined) continue;
    const list: Array<{ file: CorpusFile; error: string }> = [];
    for (const file of files) {
      try {
        construct(file.text, `file:///${file.name}`);
      } catch (error) {
        list.push({ file, error: errorText(error) });
      }
    }
    rejected[id] = list;
  }
  const failed: Record<string, string> = {};
  const bad = new Set<CorpusFile>();
  const excluded: string[] = [];
  for (const [id, list] of Object.entries(rejected)) {
    if (list.length > files.length / 2) {
      failed[id] = `failed on ${list.length}/${files.length} files; first: ${list[0]?.file.name}: ${list[0]?.error}`;
      continue;
    }
    for (const { file, error } of list) {
      bad.add(file);
      excluded.push(`${file.name} (${id}: ${error})`);
    }
  }
  return { kept: files.filter((file) => !bad.has(file)), excluded, failed };
}

/** Runs workload (a). */
export async function runConstruction(options: RunOptions): Promise<WorkloadResult> {
  const made = await constructors();
  const rounds = options.rounds || (options.quick ? 2 : 4);
  const limit = options.quick ? 12 : Infinity;
  const rows: Row[] = [];
  const notes: string[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'modhost-bench-a-'));
  const libraries = Object.keys(CORPORA).filter((id) => options.only.length === 0 || options.only.includes(id));
  for (const library of libraries) {
    const files = readCorpus(library, limit);
    const { kept, excluded, failed } = screen(files, made);
    const bytes = kept.reduce((sum, file) => sum + file.bytes, 0);
    const megabytes = bytes / 1e6;
    const keptFile = join(scratch, `${library}.json`);
    writeFileSync(keptFile, JSON.stringify(kept.map((file) => file.name)));
    const samplers: Sampler[] = [];
    const firstPasses: Partial<Record<string, number[]>> = {};
    for (const id of ['native', 'modhost', 'endo'] as const) {
      const reason = made.errors[id] ?? failed[id];
      samplers.push({
        id,
        setup() {
          if (reason !== undefined) throw new Error(reason);
        },
        async sample(round) {
          // Each sample is a process of its own (see bench/children/construct-sample.ts).
          const sample = await runNodeProcess({
            nodeArgs: [
              '--experimental-vm-modules',
              '--no-warnings',
              join(distBench, 'children', 'construct-sample.js'),
              library,
              id,
              String(round),
              keptFile,
            ],
          });
          if (sample.exitCode !== 0)
            throw new Error(`sample process failed: ${sample.stderr.trim().split('\n').slice(-3).join(' ')}`);
          const { mbps, firstMbps } = JSON.parse(sample.stdout) as { mbps: number; firstMbps: number };
          (firstPasses[id] ??= []).push(firstMbps);
          return mbps;
        },
      });
    }
    const cells = await alternate(samplers, { rounds, warmup: 1 });
    const median = (list: number[] | undefined) =>
      list === undefined || list.length === 0 ? Number.NaN : [...list].sort((a, b) => a - b)[list.length >> 1]!;
    notes.push(
      `(a) ${library}, first pass in a cold process (MB/s, median): ${Object.entries(firstPasses)
        .map(([id, list]) => `${id} ${median(list).toPrecision(3)}`)
        .join(', ')}`,
    );
    if (excluded.length > 0)
      notes.push(
        `(a) ${library}: ${excluded.length} file(s) left out for every contender: ` +
          `${excluded.slice(0, 3).join('; ')}${excluded.length > 3 ? '; …' : ''}`,
      );
    rows.push({
      id: `a.construct.${library}`,
      group: 'a',
      label: `ModuleSource construction, ${library} (${kept.length} files, ${megabytes.toFixed(2)} MB)`,
      unit: 'MB/s (CPU)',
      better: 'higher',
      baseline: 'new vm.SourceTextModule',
      cells,
      target: { ratio: 'modhost/native', op: '>=', value: 0.25 },
      info: { files: kept.length, bytes, excluded },
    });
    // The second target of (a) is against the peer; it gets its own row so the table can show it.
    rows.push({
      id: `a.construct-vs-endo.${library}`,
      group: 'a',
      label: `ModuleSource construction vs Endo, ${library}`,
      unit: 'MB/s (CPU)',
      better: 'higher',
      baseline: 'new vm.SourceTextModule',
      cells,
      target: { ratio: 'modhost/endo', op: '>=', value: 12 },
    });
  }
  rmSync(scratch, { recursive: true, force: true });
  if (options.only.length === 0 || options.only.includes('latency'))
    rows.push(await smallModuleLatency(made, rounds, options.quick ? 40 : 200));
  return { rows, notes };
}

/** Micro row: time of one construction of a small module (lodash-es/add.js), by mitata. */
async function smallModuleLatency(
  made: Partial<Constructors> & { errors: Record<string, string> },
  rounds: number,
  budgetMs: number,
): Promise<Row> {
  const [file] = readCorpus('lodash-es').filter((f) => f.name === 'lodash-es/add.js');
  const text = (file as CorpusFile).text;
  let counter = 0;
  const samplers: Sampler[] = (['native', 'modhost', 'endo'] as const).map((id) => ({
    id,
    setup() {
      if (made[id] === undefined) throw new Error(made.errors[id] ?? 'unavailable');
      (made[id] as Construct)(text, 'file:///add.js');
    },
    async sample() {
      const construct = made[id] as Construct;
      const ns = await mitataSample(() => construct(`${text}\n//${counter++}`, 'file:///add.js'), budgetMs);
      return ns / 1000;
    },
  }));
  const cells = await alternate(samplers, { rounds, warmup: 1 });
  return {
    id: 'a.latency.small-module',
    group: 'a',
    label: `ModuleSource construction latency, lodash-es/add.js (${(file as CorpusFile).bytes} B, mitata)`,
    unit: 'µs',
    better: 'lower',
    baseline: 'new vm.SourceTextModule',
    cells,
  };
}
