#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node:test. Node 20's `--test` takes
// no glob patterns, so the files are listed here. Extra arguments narrow the run to files whose
// path contains one of them: `node scripts/run-tests.mjs records/ api/`. `--fast` leaves out the
// slow parts (the Chromium tests and the long hardening runs), as CI does on the Node releases
// other than the one that runs the whole suite.
//
// Nothing can hang: each test has a timeout (MODHOST_TEST_TIMEOUT_MS, default 120 s), and the
// whole run is stopped, with every process it started, after MODHOST_TESTS_LIMIT_MIN minutes
// (default 15, within CI's 20).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../dist/test/', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.test.js')) files.push(path);
  }
})(root);
const SLOW = ['browser/', 'hardening/scale.test.js'];
const args = process.argv.slice(2);
const fast = args.includes('--fast');
const filters = args.filter((a) => a !== '--fast');
const selected = files
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)))
  .filter((f) => !fast || !SLOW.some((x) => relative(root, f).startsWith(x)));
if (selected.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const testTimeout = Number(process.env.MODHOST_TEST_TIMEOUT_MS ?? 120_000);
const limitMinutes = Number(process.env.MODHOST_TESTS_LIMIT_MIN ?? 15);
// Its own process group, so that a stop reaches the test files' processes and the browsers too.
const child = spawn(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    '--test',
    `--test-timeout=${testTimeout}`,
    '--test-reporter=spec',
    ...selected,
  ],
  { stdio: 'inherit', detached: true },
);
const stopAll = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
const limit = setTimeout(() => {
  console.error(`\nrun-tests: the tests did not finish within ${limitMinutes} minutes; stopping them.`);
  stopAll('SIGKILL');
}, limitMinutes * 60_000);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopAll(signal);
    process.exit(1);
  });
}
child.on('exit', (code, signal) => {
  clearTimeout(limit);
  // Test files' processes left behind by a failure go with the group.
  stopAll('SIGKILL');
  process.exit(signal === null ? (code ?? 1) : 1);
});
