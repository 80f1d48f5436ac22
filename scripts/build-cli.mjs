#!/usr/bin/env node
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Bundles the `modhost` command (src/cli/bin.ts with everything it imports, meriyah and
// cjs-module-lexer included) into one file, dist/cli/modhost.mjs, the package's `bin`.
//
// Why: started from dist/src, Node's ESM loader resolves, reads, compiles and links ~100 files
// before the user's first module, which cost 60-80 ms and ~7 MiB RSS on every run (measured in
// docs/PERFORMANCE.md). One file is read and compiled lazily by V8 in a few milliseconds.
//
//   node scripts/build-cli.mjs
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist/cli/modhost.mjs');

await build({
  entryPoints: [join(root, 'src/cli/bin.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
