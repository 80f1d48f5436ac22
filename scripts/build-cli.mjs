#!/usr/bin/env node
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Bundles the `modhost` command into three files:
//
// - dist/cli/modhost.bundle.js: src/cli/bin.ts with everything it imports (cjs-module-lexer
//   included) but meriyah, as one function expression, `(function (require, moduleURL) {…})`,
//   which the launcher compiles with vm.Script and V8's code cache of it (src/cli/own-code-cache.ts).
// - dist/cli/meriyah.bundle.js: meriyah, as a CommonJS module body in a function expression, which
//   the launcher compiles (with a code cache of its own) at the first parse, since a run served by
//   the compile cache never parses.
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
  // The launcher's require serves it from dist/cli/meriyah.bundle.js, loaded on first use.
  external: ['meriyah'],
  sourcemap: 'linked',
  // The sources are ES modules (strict) that read import.meta.url; the launcher passes its own URL
  // in its place (the URL the code had when the CLI was one ES module file).
  define: { 'import.meta.url': '__modhost_module_url' },
  banner: { js: '(function (require, __modhost_module_url) {"use strict";' },
  footer: { js: '})' },
});
await build({
  ...common,
  stdin: { contents: "export * from 'meriyah';", resolveDir: root, loader: 'js' },
  outfile: join(cli, 'meriyah.bundle.js'),
  format: 'cjs',
  banner: { js: '(function (module, exports) {"use strict";' },
  footer: { js: '})' },
});

// esbuild escapes non-ASCII characters in strings and regular expressions but keeps them in the
// comments it preserves (a few JSDoc lines say → or …). One such character makes V8 hold the
// whole 600 KB bundle as a two-byte string (1.2 MB) and scan it as one: replace each with an ASCII
// character of the same length in UTF-16, so that source map columns stay right.
for (const name of ['modhost.bundle.js', 'meriyah.bundle.js']) {
  const bundlePath = join(cli, name);
  const bundleLines = readFileSync(bundlePath, 'utf8').split('\n');
  for (const [i, line] of bundleLines.entries()) {
    if (!/[^\x00-\x7f]/.test(line)) continue;
    // Only whole comment lines are rewritten; anything else is a build error, not a silent change.
    if (!/^\s*(\/\/|\/\*|\*)/.test(line))
      throw new Error(`non-ASCII outside a comment, ${name} line ${i + 1}: ${line}`);
    bundleLines[i] = line.replace(/[^\x00-\x7f]/g, '?');
  }
  writeFileSync(bundlePath, bundleLines.join('\n'));
}

await build({
  ...common,
  entryPoints: [join(root, 'src/cli/launcher.ts')],
  outfile: join(cli, 'modhost.mjs'),
  format: 'esm',
});
// The launcher takes Node's built-ins through require, not `import … from "node:…"`: an ES import
// of a built-in makes Node build its ES facade, which reads every export, and `fs.promises` alone
// then loads fs/promises, streams and readline (1.3 MiB of RSS on Node 24 on every run).
const launcherPath = join(cli, 'modhost.mjs');
const launcher = readFileSync(launcherPath, 'utf8').replace(
  /^import (?:(\w+)|\{([^}]*)\}) from "(node:[\w/]+)";$/gm,
  (_, whole, names, id) =>
    whole !== undefined
      ? `const ${whole} = __builtin("${id}");`
      : `const {${names.replace(/(\w+) as (\w+)/g, '$1: $2')}} = __builtin("${id}");`,
);
if (/^import /m.test(launcher)) throw new Error('the launcher kept an import the build cannot turn into require');
writeFileSync(
  launcherPath,
  launcher.replace(
    /^(#!.*\n)/,
    // (process.getBuiltinModule is Node 20.16+: before it, a require of node:module's own.)
    '$1const __builtin = process.getBuiltinModule !== undefined\n' +
      '  ? (id) => process.getBuiltinModule(id)\n' +
      '  : (await import("node:module")).createRequire(import.meta.url);\n',
  ),
);
chmodSync(launcherPath, 0o755);
