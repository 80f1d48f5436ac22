/** The result model shared by workloads, the runner, the table and the JSON file. */
import type { Summary } from './stats.js';

/** The columns of the table. `native` is the row's baseline (see Row.baseline). */
export const CONTENDERS = ['native', 'modhost', 'endo'] as const;
export type ContenderId = (typeof CONTENDERS)[number];

/** One contender's measurement in one row. */
export interface Cell {
  /** Per-round values in the row's unit, in round order (so rounds can be paired across contenders). */
  samples: number[];
  summary?: Summary;
  /** Why there is no value (unsupported, failed, skipped); shown instead of a number. */
  error?: string;
  /** A short remark shown next to the value (e.g. "5 files skipped"). */
  note?: string;
}

/** A performance target from issue 6, checked against one ratio of the row. */
export interface Target {
  /** Which ratio: modhost÷native, or modhost÷Endo. */
  ratio: 'modhost/native' | 'modhost/endo' | 'modhost';
  op: '<=' | '>=';
  value: number;
}

export interface Row {
  /** Stable id, e.g. "a.throughput.lodash-es"; the quick test checks these. */
  id: string;
  /** The workload letter of issue 6 (a–e) or a peer file's tag. */
  group: string;
  label: string;
  unit: string;
  /** Whether a bigger value is better (throughput) or a smaller one (time, memory). */
  better: 'lower' | 'higher';
  /** What the `native` column ran, e.g. "vm.SourceTextModule". */
  baseline: string;
  cells: Partial<Record<ContenderId, Cell>>;
  target?: Target;
  /** Extra facts for the JSON (bytes, file counts, iterations…). */
  info?: Record<string, unknown>;
}

/** What one workload hands back to the runner. */
export interface WorkloadResult {
  rows: Row[];
  notes?: string[];
}

/** Options every workload receives. */
export interface RunOptions {
  quick: boolean;
  /** Alternation rounds override (0 = the workload's default). */
  rounds: number;
  /** Restricts libraries / shapes / sizes; empty = all. */
  only: string[];
  /**
   * More Node executables for the process rows of (c): every one runs native and modhost in the
   * same alternation as the Node running the suite (absent = none).
   */
  nodes?: string[];
}
