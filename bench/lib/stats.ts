/**
 * Order statistics for benchmark samples. Everything here is robust (medians, quantiles, MAD):
 * a benchmark sample is skewed by GC pauses and scheduler noise, so means and standard deviations
 * would describe the noise more than the code.
 */

/** Summary of one contender's samples in one row (all in the row's unit). */
export interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
  /** Median absolute deviation from the median. */
  mad: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of ascending `sorted`, interpolating linearly between ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (position - lower);
}

/** Median of `values` (any order). */
export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** min / median / p90 / max / MAD of `values`. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = quantile(sorted, 0.5);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: mid,
    p90: quantile(sorted, 0.9),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mad: median(sorted.map((v) => Math.abs(v - mid))),
  };
}

/**
 * Ratio of contender `a` to contender `b` from paired samples: round i of `a` is divided by round
 * i of `b` (they ran next to each other, so slow drift of the machine cancels out), and the ratios
 * are summarised. Unpaired extra samples are ignored.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): Summary {
  const count = Math.min(a.length, b.length);
  const ratios: number[] = [];
  for (let i = 0; i < count; i++) ratios.push((a[i] as number) / (b[i] as number));
  return summarize(ratios);
}
