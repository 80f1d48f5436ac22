#!/usr/bin/env node
// The `modhost` executable (dist/cli/modhost.mjs, the package's bin). It loads the bundled CLI
// (dist/cli/modhost.bundle.js: src/cli/bin.ts with everything it imports but meriyah, built by
// scripts/build-cli.mjs as one function expression) through vm.Script with V8's code cache of it
// from the last `run` (own-code-cache.ts), and makes that cache at the end of a `run` that had
// none. meriyah is a script of its own (dist/cli/meriyah.bundle.js, with a code cache of its own),
// loaded the first time the CLI parses: a run served by the compile cache never parses, and
// deserializing the parser's compiled code would cost it ~5 ms and 1 MiB (measured on Node 24).
// MODHOST_CLI_CODE_CACHE=0 turns the code caches off.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { defaultCacheDir } from '../hosts/node/cache-dir.js';
import { VERSION } from '../version.js';
import {
  type BundleIdentity,
  ownCodeCacheFile,
  readOwnCodeCache,
  type StoredCodeCache,
  worthRefreshing,
  writeOwnCodeCache,
} from './own-code-cache.js';

/**
 * The bundle as a function. `moduleURL` stands for `import.meta.url` in the bundled code: the
 * launcher's own URL, so that the code sees the URL it had when the CLI was one ES module file
 * (dist/cli/modhost.mjs): modhost's dist/ folder is found from it, and a worker thread started
 * from it runs this launcher again.
 */
type BundleFunction = (require: NodeRequire, moduleURL: string) => void;
/** The parser's script as a function: a CommonJS module body. */
type ParserFunction = (module: { exports: Record<string, unknown> }, exports: Record<string, unknown>) => void;

const enabled = process.env.MODHOST_CLI_CODE_CACHE !== '0';
// Made at exit, so that it covers every function the run compiled (V8 compiles lazily); only
// after `run`, the command whose start-up matters, so a first `--version` does not leave a cache
// without the parser's callers in it.
const makesCaches = enabled && process.argv.includes('run');
let exitHookInstalled = false;
const compiled: Array<() => void> = [];

/** Compiles the script `name` next to this file, with its code cache when there is a usable one. */
function compileScript(name: string): vm.Script {
  const url = new URL(`./${name}`, import.meta.url);
  const path = fileURLToPath(url);
  const text = readFileSync(path, 'utf8');
  let cacheFile: string | undefined;
  let identity: BundleIdentity | undefined;
  let stored: StoredCodeCache | undefined;
  if (enabled) {
    try {
      const stat = statSync(path);
      identity = { size: stat.size, mtimeMs: stat.mtimeMs };
      cacheFile = ownCodeCacheFile(defaultCacheDir(), VERSION, path);
      stored = readOwnCodeCache(cacheFile, identity);
    } catch {
      // No home directory or an unreadable cache: run without it.
      cacheFile = undefined;
    }
  }
  // The file URL as the script's name: stack frames then read as they did when the CLI was an ES
  // module (the error report recognises modhost's own frames by their dist/ URL).
  const script = new vm.Script(text, { filename: url.href, ...(stored ? { cachedData: stored.data } : {}) });
  if (makesCaches && cacheFile !== undefined && identity !== undefined) {
    const file = cacheFile;
    const bundle = identity;
    // Its size and age only: the bytes themselves need not stay in memory until exit.
    const previous =
      stored === undefined || script.cachedDataRejected === true
        ? undefined
        : { length: stored.data.length, madeAfterMs: stored.madeAfterMs };
    compiled.push(() => {
      const ranMs = process.uptime() * 1000;
      if (previous !== undefined && !worthRefreshing(ranMs, previous.madeAfterMs)) return;
      const data = script.createCachedData();
      if (previous === undefined || data.length > previous.length) writeOwnCodeCache(file, bundle, data, ranMs);
    });
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => {
        for (const make of compiled) make();
      });
    }
  }
  return script;
}

let parser: Record<string, unknown> | undefined;
function loadParser(): Record<string, unknown> {
  if (parser === undefined) {
    const module = { exports: {} as Record<string, unknown> };
    (compileScript('meriyah.bundle.js').runInThisContext() as ParserFunction)(module, module.exports);
    parser = module.exports;
  }
  return parser;
}
// What the bundle's `require('meriyah')` returns: its exports are read where they are called
// (`import_meriyah.parseModule(…)`), so the script loads at the first parse.
const lazyParser = new Proxy({} as Record<string | symbol, unknown>, {
  get: (_target, key) => loadParser()[key as string],
  has: (_target, key) => key in loadParser(),
});

const nodeRequire = createRequire(import.meta.url);
const bundleRequire = Object.assign(
  (id: string): unknown => (id === 'meriyah' ? lazyParser : nodeRequire(id)),
  nodeRequire,
) as NodeRequire;
(compileScript('modhost.bundle.js').runInThisContext() as BundleFunction)(bundleRequire, import.meta.url);
