#!/usr/bin/env node
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Bundles the `modhost` command into two files:
//
// - dist/cli/modhost.bundle.js: src/cli/bin.ts with everything it imports (meriyah and
//   cjs-module-lexer included) as one function expression, `(function (require, bundleURL) {…})`,
//   which the launcher compiles with vm.Script and V8's code cache of it (src/cli/own-code-cache.ts).
// - dist/cli/modhost.mjs: the launcher (src/cli/launcher.ts), the package's `bin`.
//
// Why one bundle: started from dist/src, Node's ESM loader resolves, reads, compiles and links ~100
// files before the user's first module, which cost 60-80 ms and ~7 MiB RSS on every run (measured
// in docs/PERFORMANCE.md). Why a script and not an ES module: vm.Script takes a code cache, so a
// run does not compile modhost's own functions again (6-11% of a first run's CPU time).
//
//   node scripts/build-cli.mjs
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli');

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [join(root, 'src/cli/bin.ts')],
  outfile: join(cli, 'modhost.bundle.js'),
  format: 'cjs',
  sourcemap: 'linked',
  // The sources are ES modules (strict) that read import.meta.url; the launcher passes the
  // bundle's URL in its place.
  define: { 'import.meta.url': '__modhost_bundle_url' },
  banner: { js: '(function (require, __modhost_bundle_url) {"use strict";' },
  footer: { js: '})' },
});
await build({
  ...common,
  entryPoints: [join(root, 'src/cli/launcher.ts')],
  outfile: join(cli, 'modhost.mjs'),
  format: 'esm',
});
chmodSync(join(cli, 'modhost.mjs'), 0o755);
