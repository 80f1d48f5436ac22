/**
 * Process workloads measured in rounds: every round runs each command once (a child process per
 * sample, ./spawn.ts), starting one command further along the list each round, so that the
 * contenders take turns; a command whose run fails (a failed check or an error) is dropped with
 * that error.
 */
import { errorText } from './alternate.js';
import type { ProcessSample } from './spawn.js';
import { summarize } from './stats.js';
import type { Cell } from './types.js';

/** What one command measured: wall time, CPU time and peak RSS per timed round, or its error. */
export interface ProcessSeries {
  wall: number[];
  cpu: number[];
  rss: number[];
  error?: string;
}

export function newProcessSeries(): ProcessSeries {
  return { wall: [], cpu: [], rss: [] };
}

/** One metric of a series as a table cell. */
export function processCell(s: ProcessSeries, metric: 'wall' | 'cpu' | 'rss'): Cell {
  if (s.error !== undefined) return { samples: [], error: s.error };
  const samples = s[metric];
  return samples.length === 0 ? { samples, error: 'no samples' } : { samples, summary: summarize(samples) };
}

/**
 * Runs `warmup + rounds` rounds of `commands`; samples of the first `warmup` rounds are not kept.
 * `check` returns why a sample is wrong (its command is then dropped), or undefined.
 */
export async function alternateProcesses<C>(
  commands: readonly C[],
  seriesOf: (command: C) => ProcessSeries,
  options: { readonly warmup: number; readonly rounds: number },
  run: (command: C) => Promise<ProcessSample>,
  check: (sample: ProcessSample) => string | undefined,
): Promise<void> {
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    for (let k = 0; k < commands.length; k++) {
      const command = commands[(round + k) % commands.length] as C;
      const s = seriesOf(command);
      if (s.error !== undefined) continue;
      try {
        const sample = await run(command);
        const error = check(sample);
        if (error !== undefined) {
          s.error = error;
          continue;
        }
        if (round >= options.warmup) {
          s.wall.push(sample.wallMs);
          s.cpu.push(sample.cpuMs);
          s.rss.push(sample.maxRssMiB);
        }
      } catch (error) {
        s.error = errorText(error);
      }
    }
  }
}
