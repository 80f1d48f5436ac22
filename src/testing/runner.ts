/**
 * `modhost test`'s runner: node:test files in one process, one after another, each in a fresh
 * fork of one host (or all in one host with `isolate: 'none'`), reported by node:test itself.
 *
 * Why the output is `node --test`'s: `node --test` runs each file in a child process and merges
 * the children's reports under one root, where each file's tests appear at the top level (a
 * file's own entry shows only when the file itself failed). Here every file's tests register
 * directly with this process's root test, in file order, so node:test's own reporters (chosen by
 * Node's `--test-reporter` flags, default as in `node --test`) print the same tree, numbering and
 * summary, and set the same exit code. What a process boundary gave for free, the runner does:
 *
 * - a file is finished when every test and suite it declared has settled (./node-test-facade.ts
 *   collects them); only then are its `after` hooks run, node:test's global `mock` reset, its
 *   mocks restored and its host disposed, and the next file starts;
 * - a file that throws at top level (or whose `after` hook fails) is reported as a failing test
 *   named after the file, located at its line 1, as `node --test` reports a child that failed;
 *   the other files run on;
 * - file-level hooks stay in their file (see the facade).
 *
 * Globals are shared, as with Node's `--test-isolation=none`: modhost isolates module instances,
 * not realms (docs/SECURITY.md).
 */
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MockFactory, MockHandle, MockOptions } from '../hosts/hooks/mocks.js';
import { nodeBuiltin } from '../hosts/node/lazy-builtin.js';
import { callFrom, forgetCallSites } from './call-sites.js';
import { setCurrentTestFile, type TestFileContext } from './context.js';
import { createFacadeFile, createNodeTestFacade, type FacadeFile, type NodeTestFacade } from './node-test-facade.js';

/** What the runner needs of a host (the Node host has it; tests may give their own). */
export interface TestRunnerHost {
  import(specifier: string, parentURL?: string): Promise<unknown>;
  mock(specifier: string, factory: MockFactory, options?: MockOptions): MockHandle;
  fork(options?: { share?: (url: string) => boolean }): TestRunnerHost;
  dispose(): void;
}

/** Options of {@link runTestFiles}. */
export interface RunTestFilesOptions {
  /** Absolute paths of the test files, in the order to run them. */
  readonly files: readonly string[];
  /** The host the files' hosts are forked from. */
  readonly host: TestRunnerHost;
  /**
   * `'file'` (default): a fresh fork per file; `'none'`: one fork for every file (mocks are still
   * restored after each).
   */
  readonly isolate?: 'file' | 'none';
  /** Modules whose instances forks take from `host` (default: those under a `node_modules` folder). */
  readonly share?: (url: string) => boolean;
  /** True when Node's `--test-name-pattern` / `--test-skip-pattern` filter tests (see {@link reportFileFailure}). */
  readonly filtered?: boolean;
}

type NodeTestModule = Record<string, unknown> & {
  (name: string, fn: () => unknown): Promise<unknown>;
  mock: { reset?(): void };
};

let facade: NodeTestFacade | undefined;
let runningFile: FacadeFile | undefined;

/** Node's node:test (the runner's own, shared by every file through the facade). */
function nodeTest(): NodeTestModule {
  return nodeBuiltin<NodeTestModule>('node:test');
}

function theFacade(): NodeTestFacade {
  facade ??= createNodeTestFacade(nodeTest(), () => runningFile);
  return facade;
}

/** Modules under a `node_modules` folder: the default `share`. */
export function sharesNodeModules(url: string): boolean {
  return url.includes('/node_modules/');
}

/**
 * How `node --test` names a file's own entry in the report: Node 20 by its absolute path, later
 * releases relative to the working directory.
 */
export function fileTestName(path: string): string {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 22 ? relative(process.cwd(), path) : path;
}

/**
 * Reports a failure of the file itself (top-level throw, failing `after` hook) as a failing
 * top-level test named after the file, declared at the file's line 1. Under a name filter
 * node:test would skip that test, so the error is also written to stderr and the exit code set.
 */
function reportFileFailure(path: string, error: unknown, filtered: boolean): Promise<unknown> {
  const test = nodeTest();
  const pending = callFrom({ file: pathToFileURL(path).href, line: 1, column: 1 }, test, [
    fileTestName(path),
    () => {
      throw error;
    },
  ]) as Promise<unknown>;
  if (filtered) {
    process.stderr.write(
      `${fileTestName(path)} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
  return Promise.resolve(pending).then(
    () => undefined,
    () => undefined,
  );
}

/** Waits until every test the file declared has settled (declarations may add more meanwhile). */
async function settle(file: FacadeFile): Promise<void> {
  for (let seen = 0; seen < file.pending.length; ) {
    const batch = file.pending.slice(seen);
    seen = file.pending.length;
    await Promise.all(batch);
  }
}

/**
 * Runs `files` as `node --test` would, in this process. Resolves when every file has finished;
 * the exit code is set by node:test when the process ends.
 */
export async function runTestFiles(options: RunTestFilesOptions): Promise<void> {
  const isolate = options.isolate ?? 'file';
  const share = options.share ?? sharesNodeModules;
  const filtered = options.filtered === true;
  const real = nodeTest();
  const runtime = theFacade();
  runtime.installRootHooks();
  const facadeExports = runtime.exports;
  const shared = isolate === 'none' ? options.host.fork({ share }) : undefined;

  for (const path of options.files) {
    const url = pathToFileURL(path).href;
    const host = shared ?? options.host.fork({ share });
    const file = createFacadeFile();
    const handles: MockHandle[] = [];
    // The file sees the facade as node:test (ES import and require alike).
    handles.push(host.mock('node:test', () => facadeExports));
    const context: TestFileContext = {
      url,
      mock(specifier, factory, mockOptions) {
        const handle = host.mock(specifier, factory, { parentURL: mockOptions?.parentURL ?? url });
        handles.push(handle);
        return handle;
      },
    };
    runningFile = file;
    setCurrentTestFile(context);
    try {
      try {
        await host.import(url);
      } catch (error) {
        file.pending.push(reportFileFailure(path, error, filtered));
      }
      await settle(file);
      if (file.after.length > 0) {
        try {
          await runtime.runHooks(file.after, {
            name: fileTestName(path),
            signal: new AbortController().signal,
            diagnostic() {},
          });
        } catch (error) {
          await reportFileFailure(path, error, filtered);
        }
      }
    } finally {
      // node:test's own `mock` is process-wide: a file's mocks (and mocked timers) end with the
      // file, as with a process per file. (`mock.timers` is not touched: reading it makes Node 20
      // warn that MockTimers is experimental; reset() resets them when they were used.)
      real.mock.reset?.();
      forgetCallSites();
      for (const release of file.release) release();
      for (let i = handles.length - 1; i >= 0; i--) handles[i]?.restore();
      runningFile = undefined;
      setCurrentTestFile(undefined);
      if (shared === undefined) host.dispose();
    }
  }
  shared?.dispose();
}
