/**
 * Worker threads of a program under `modhost run` run through modhost too, as Node applies its
 * loader flags (`--import`, `--conditions`, …) to workers: `new Worker(fileOrURL, options)` starts
 * this CLI in the worker (`modhost run <options> <file> <options.argv…>`), with the run's
 * conditions, compile cache and `--root`, so the worker's modules get the same resolution, cache
 * and `print` global. `workerData`, `env`, `stdin`/`stdout`, `resourceLimits` and the rest of the
 * options are passed on unchanged; `process.argv` in the worker is `[node, file, ...argv]`, as in
 * Node. Workers from code (`eval: true`) run under Node's own loader, as the code is not a module
 * file modhost could load.
 */

import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';
import { nodeBuiltin } from '../hosts/node/lazy-builtin.js';
import type { CliOptions } from './main.js';

/** The CLI file to start in workers: this bundle (dist/cli/modhost.mjs). */
const CLI_FILE = fileURLToPath(import.meta.url);

/** The `modhost run` options a worker inherits. */
function inheritedArguments(options: CliOptions): string[] {
  const args: string[] = [];
  if (options.conditions !== undefined) args.push('--conditions', options.conditions.join(','));
  if (!options.cache) args.push('--no-cache');
  if (options.cacheDir !== undefined) args.push('--cache-dir', options.cacheDir);
  if (options.root !== undefined) args.push('--root', options.root);
  for (const file of options.hooks ?? []) args.push('--hooks', resolvePath(file));
  return args;
}

/** A module file a worker is started from (a path or a `file:` URL), else undefined. */
function moduleFileOf(filename: unknown, options: WorkerOptions | undefined): string | undefined {
  if (options?.eval === true) return undefined;
  if (filename instanceof URL) return filename.protocol === 'file:' ? fileURLToPath(filename) : undefined;
  if (typeof filename !== 'string') return undefined;
  if (filename.startsWith('file:')) return fileURLToPath(filename);
  // Node takes absolute paths and paths starting with ./ or ../ (relative to the working directory).
  return filename.startsWith('/') || filename.startsWith('./') || filename.startsWith('../') ? filename : undefined;
}

let installed = false;

/** Makes `Worker` of `node:worker_threads` start module files through modhost (once per process). */
export function startWorkerSupport(options: CliOptions): void {
  if (installed) return;
  installed = true;
  const workerThreads = nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
  const NodeWorker = workerThreads.Worker;
  const inherited = inheritedArguments(options);
  class Worker extends NodeWorker {
    constructor(filename: string | URL, workerOptions?: WorkerOptions) {
      const file = moduleFileOf(filename, workerOptions);
      if (file === undefined) {
        super(filename, workerOptions);
        return;
      }
      const argv = (workerOptions?.argv ?? []).map(String);
      // `--` keeps the program's arguments from being read as modhost's.
      super(CLI_FILE, { ...workerOptions, argv: ['run', ...inherited, file, '--', ...argv] });
    }
  }
  Object.defineProperty(Worker, 'name', { value: 'Worker' });
  workerThreads.Worker = Worker;
}
