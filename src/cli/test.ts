/**
 * `modhost test [files|globs...]`: node:test files in one process, each in a fresh fork of one
 * host (../testing/runner.ts), reported by node:test's own reporters as `node --test` reports.
 *
 * node:test reads its reporter, name patterns and `only` from Node's own command-line flags, so
 * when any of those are given (`--test-reporter=dot`, …) the command runs itself again in a child
 * Node process with them (one extra process start, whatever the number of files); the exit code
 * and signals are the child's.
 */
import { spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createNodeHost } from '../hosts/node/host.js';
import { findTestFiles } from '../testing/files.js';
import { runTestFiles } from '../testing/runner.js';
import { hooksFromOptions } from './hooks.js';
import type { CliOptions } from './main.js';
import { hostOptionsFrom } from './run.js';

/** Set in the child that runs the files with Node's test flags. */
const CHILD_ENV = 'MODHOST_TEST_WITH_NODE_FLAGS';

/** Runs `node <node flags> <this CLI> test <args>`; resolves to its exit code. */
function runWithNodeFlags(nodeFlags: readonly string[]): Promise<number> {
  const script = process.argv[1] ?? '';
  const args = process.argv.slice(2);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...nodeFlags, script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, [CHILD_ENV]: '1' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== null) {
        process.kill(process.pid, signal);
        return;
      }
      resolve(code ?? 1);
    });
  });
}

/** Runs the test files; resolves to an exit code, or undefined to leave node:test's. */
export async function testCommand(patterns: readonly string[], options: CliOptions): Promise<number | undefined> {
  const nodeFlags = options.nodeTestFlags ?? [];
  if (nodeFlags.length > 0 && process.env[CHILD_ENV] !== '1') return runWithNodeFlags(nodeFlags);

  const { files, missing } = findTestFiles(patterns);
  if (missing.length > 0) {
    for (const arg of missing) process.stderr.write(`Could not find '${arg}'\n`);
    return 1;
  }
  const hooks = await hooksFromOptions(options);
  if (hooks === null) return 1;
  // One pack for the suite, named after the folder it runs in.
  const { hostOptions } = hostOptionsFrom(options, hooks, pathToFileURL(`${resolvePath('.')}/`).href);
  const host = createNodeHost(hostOptions);
  const filtered = nodeFlags.some((f) => f.startsWith('--test-name-pattern') || f.startsWith('--test-skip-pattern'));
  await runTestFiles({
    files,
    host,
    isolate: options.isolate === 'none' ? 'none' : 'file',
    filtered,
  });
  return undefined;
}
