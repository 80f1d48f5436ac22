#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
// Builds the browser bundles with esbuild from the TypeScript sources:
//   dist/browser/modhost.browser.js      ES module (ModuleSource, Module, importModule, install,
//                                        the browser host, the CommonJS runtime), + .min.js
//   dist/browser/modhost.global.js       classic script defining `modhost` and `define`, + .min.js
// Fails when a Node built-in (`node:*`, or a bare built-in name) or a Node-only source folder
// (src/hosts/node, src/cli) would reach a browser bundle. Prints raw, minified and
// minified+gzipped sizes, and writes them to dist/browser/sizes.json.
//
//   node scripts/build-browser.mjs [--quiet] [--outdir dir]
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtins = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]]));

/** An esbuild plugin that refuses Node built-ins at resolution time, naming the importer. */
export const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.startsWith('node:') ? args.path.slice(5) : args.path;
      if (
        args.path.startsWith('node:') ||
        (args.kind !== 'entry-point' && builtins.has(bare) && !args.path.startsWith('.'))
      ) {
        return {
          errors: [
            {
              text:
                `Node built-in "${args.path}" imported by ${relative(root, args.importer)} would reach a ` +
                `browser bundle`,
            },
          ],
        };
      }
      return undefined;
    });
  },
};

const FORBIDDEN_INPUTS = ['src/hosts/node/', 'src/cli/'];

export const BUNDLES = [
  { name: 'modhost.browser', entry: 'src/browser/index.ts', format: 'esm' },
  { name: 'modhost.global', entry: 'src/browser/global.ts', format: 'iife' },
];

/**
 * Builds `bundles` (default: both) into `outdir` (default dist/browser), plain and minified.
 * Rejects with an Error listing esbuild's errors, or the Node-only inputs that were reached.
 * @returns {Promise<Record<string, { raw: number, minified: number, gzipped: number, inputs: number }>>}
 */
export async function buildBundles({ bundles = BUNDLES, outdir = join(root, 'dist', 'browser') } = {}) {
  mkdirSync(outdir, { recursive: true });
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const sizes = {};
  for (const bundle of bundles) {
    for (const minify of [false, true]) {
      const file = join(outdir, `${bundle.name}${minify ? '.min' : ''}.js`);
      let result;
      try {
        result = await build({
          entryPoints: [resolve(root, bundle.entry)],
          outfile: file,
          bundle: true,
          format: bundle.format,
          platform: 'browser',
          target: ['es2022'],
          minify,
          sourcemap: true,
          legalComments: 'eof',
          metafile: true,
          logLevel: 'silent',
          plugins: [noNodeBuiltins],
          banner: { js: `/* modhost ${version} | MIT */` },
        });
      } catch (error) {
        throw new Error(
          `${bundle.name} failed:\n${(error.errors ?? [error]).map((e) => `  ${e.text ?? e.message}`).join('\n')}`,
        );
      }
      const inputs = Object.keys(result.metafile.inputs);
      const bad = inputs.filter((input) => FORBIDDEN_INPUTS.some((prefix) => input.startsWith(prefix)));
      if (bad.length > 0) throw new Error(`${bundle.name} pulls in Node-only sources:\n  ${bad.join('\n  ')}`);
      const code = readFileSync(file);
      sizes[bundle.name] = {
        ...sizes[bundle.name],
        ...(minify
          ? { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length }
          : { raw: code.length, inputs: inputs.length }),
      };
    }
  }
  writeFileSync(join(outdir, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  return sizes;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const at = process.argv.indexOf('--outdir');
    const sizes = await buildBundles(at === -1 ? {} : { outdir: resolve(process.argv[at + 1]) });
    if (!process.argv.includes('--quiet')) {
      for (const [name, s] of Object.entries(sizes)) {
        process.stdout.write(
          `${name.padEnd(16)} ${(s.raw / 1024).toFixed(1).padStart(7)} KiB raw  ` +
            `${(s.minified / 1024).toFixed(1).padStart(7)} KiB min  ${(s.gzipped / 1024).toFixed(1).padStart(6)} ` +
            `KiB min+gzip  (${s.inputs} inputs)\n`,
        );
      }
    }
  } catch (error) {
    process.stderr.write(`build-browser: ${error.message}\n`);
    process.exit(1);
  }
}
