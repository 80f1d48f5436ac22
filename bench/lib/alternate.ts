/**
 * In-process alternation: the contenders of one row take turns, one sample each per round, and the
 * starting contender rotates from round to round (A B C, B C A, C A B, …). The machine's speed
 * drifts (frequency scaling, other processes, heap growth), so comparing two blocks measured one
 * after the other would measure the drift; alternating puts every contender under the same drift.
 */
import { measure } from 'mitata';
import { summarize } from './stats.js';
import type { Cell, ContenderId } from './types.js';

/** One contender of a row: `sample` runs the workload once and returns a value in the row's unit. */
export interface Sampler {
  id: ContenderId;
  /** Called once before the warm-up; an error here marks the contender as failed. */
  setup?(): Promise<void> | void;
  sample(round: number): Promise<number> | number;
}

export interface AlternateOptions {
  rounds: number;
  /** Unrecorded rounds first, so that every contender is compiled and warm before it counts. */
  warmup: number;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** Short, single-line message of any thrown value. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const line = text.split('\n')[0] ?? text;
  return (typeof code === 'string' && !line.includes(code) ? `${code} ${line}` : line).slice(0, 160);
}

/**
 * Runs `samplers` alternately and returns one Cell per contender. A contender that throws is
 * dropped from the remaining rounds and its cell carries the error; the others go on.
 */
export async function alternate(
  samplers: readonly Sampler[],
  options: AlternateOptions,
): Promise<Partial<Record<ContenderId, Cell>>> {
  const cells: Partial<Record<ContenderId, Cell>> = {};
  const live: Sampler[] = [];
  for (const sampler of samplers) {
    cells[sampler.id] = { samples: [] };
    try {
      await sampler.setup?.();
      live.push(sampler);
    } catch (error) {
      (cells[sampler.id] as Cell).error = errorText(error);
    }
  }
  const total = options.warmup + options.rounds;
  for (let round = 0; round < total; round++) {
    const recorded = round >= options.warmup;
    for (let k = 0; k < live.length; k++) {
      const sampler = live[(round + k) % live.length] as Sampler;
      const cell = cells[sampler.id] as Cell;
      if (cell.error !== undefined) continue;
      // A collection before each sample keeps one contender's garbage out of the next one's time;
      // the pause lets V8's background sweeper threads finish with it too (CPU time counts every
      // thread of the process).
      collectGarbage?.();
      await new Promise((resolve) => setTimeout(resolve, 30));
      try {
        const value = await sampler.sample(round);
        if (recorded) cell.samples.push(value);
      } catch (error) {
        cell.error = errorText(error);
        cell.samples = [];
      }
    }
  }
  for (const cell of Object.values(cells)) {
    if (cell.error === undefined && cell.samples.length > 0) cell.summary = summarize(cell.samples);
  }
  return cells;
}

/**
 * One sample of a micro-benchmark: mitata runs `fn` in batches for about `budgetMs` of CPU time
 * and the median time per call is returned, in nanoseconds. Used as a Sampler's `sample` so that
 * mitata's batching and the round alternation combine.
 */
export async function mitataSample(fn: () => unknown, budgetMs: number): Promise<number> {
  // Small batches: mitata's default (4,096 calls per sample) would make one sample of a
  // 40 µs operation take 160 ms, and the minimum sample count would dwarf the budget.
  const stats = await measure(fn, {
    min_cpu_time: budgetMs * 1e6,
    min_samples: 10,
    warmup_samples: 2,
    batch_samples: 128,
  });
  return stats.p50;
}

/**
 * CPU time (user + system, all threads of this process) spent while `fn` runs, in milliseconds.
 * The suite's machines are shared: wall time there mostly measures how often the scheduler ran
 * other processes, while CPU time stays close to the work done. It includes V8's helper threads
 * (concurrent GC, background compilation), which is work the contender caused.
 */
export async function cpuMs(fn: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Wall time of `fn` in milliseconds. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
