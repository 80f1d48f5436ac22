/** The suite's workloads, in table order. */
import type { RunOptions, WorkloadResult } from '../lib/types.js';
import { runColdLoad } from './cold-load.js';
import { runCommonJS } from './commonjs.js';
import { runConstruction } from './construction.js';
import { runFork } from './fork.js';
import { runHot } from './hot.js';
import { runLiveBindings } from './live-bindings.js';
import { runPeerModuleSource } from './peer-module-source.js';
import { runSyntheticGraphs } from './synthetic-graph.js';
import { runTestRunner } from './test-runner.js';

export interface Workload {
  id: string;
  title: string;
  /**
   * In-process workloads run in a child process of their own (fresh heap, the flags they need,
   * and `ses`'s globals kept out of the other workloads); process-level ones spawn their own.
   */
  inProcess: boolean;
  /** Left out of --quick runs unless asked for by --only. */
  fullOnly?: boolean;
  run(options: RunOptions): Promise<WorkloadResult>;
}

export const WORKLOADS: readonly Workload[] = [
  { id: 'a', title: 'ModuleSource construction', inProcess: true, run: runConstruction },
  { id: 'b', title: 'Live-binding loops', inProcess: true, run: runLiveBindings },
  { id: 'c', title: 'Cold graph load and peak RSS', inProcess: false, run: runColdLoad },
  { id: 'd', title: 'Synthetic graphs', inProcess: true, run: runSyntheticGraphs },
  { id: 'e', title: 'CommonJS require', inProcess: false, run: runCommonJS },
  { id: 'f', title: 'Test runner: modhost test vs node --test', inProcess: false, run: runTestRunner },
  { id: 'g', title: 'Fresh instances: host.fork() vs a new host', inProcess: true, run: runFork },
  { id: 'h', title: 'Hot module replacement', inProcess: true, run: runHot },
  {
    id: 'p',
    title: "Issue 2's bench/module-source.bench.ts",
    inProcess: false,
    fullOnly: true,
    run: runPeerModuleSource,
  },
];

export function workloadById(id: string): Workload {
  const workload = WORKLOADS.find((w) => w.id === id);
  if (workload === undefined)
    throw new Error(`unknown workload ${id} (known: ${WORKLOADS.map((w) => w.id).join(', ')})`);
  return workload;
}
