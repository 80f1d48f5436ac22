#!/usr/bin/env node
// The `modhost` executable (dist/cli/modhost.mjs, the package's bin). It loads the bundled CLI
// (dist/cli/modhost.bundle.js: src/cli/bin.ts with everything it imports, meriyah and
// cjs-module-lexer included, built by scripts/build-cli.mjs as one function expression) through
// vm.Script with V8's code cache of it from the last `run` (own-code-cache.ts), and makes that
// cache at the end of a `run` that had none. MODHOST_CLI_CODE_CACHE=0 turns it off.
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

const bundleURL = new URL('./modhost.bundle.js', import.meta.url);
const bundlePath = fileURLToPath(bundleURL);
const text = readFileSync(bundlePath, 'utf8');
const enabled = process.env.MODHOST_CLI_CODE_CACHE !== '0';
let cacheFile: string | undefined;
let identity: BundleIdentity | undefined;
let stored: StoredCodeCache | undefined;
if (enabled) {
  try {
    const stat = statSync(bundlePath);
    identity = { size: stat.size, mtimeMs: stat.mtimeMs };
    cacheFile = ownCodeCacheFile(defaultCacheDir(), VERSION, bundlePath);
    stored = readOwnCodeCache(cacheFile, identity);
  } catch {
    // No home directory or an unreadable cache: run without it.
    cacheFile = undefined;
  }
}
// The file URL as the script's name: stack frames then read as they did when the CLI was an ES
// module (the error report recognises modhost's own frames by their dist/ URL).
const script = new vm.Script(text, { filename: bundleURL.href, ...(stored ? { cachedData: stored.data } : {}) });
// Made at exit, so that it covers every function the run compiled (V8 compiles lazily); only
// after `run`, the command whose start-up matters, so a first `--version` does not leave a cache
// without the parser in it.
if (cacheFile !== undefined && identity !== undefined && process.argv.includes('run')) {
  const file = cacheFile;
  const bundle = identity;
  const previous = stored === undefined || script.cachedDataRejected === true ? undefined : stored;
  process.once('exit', () => {
    const ranMs = process.uptime() * 1000;
    if (previous !== undefined && !worthRefreshing(ranMs, previous.madeAfterMs)) return;
    const data = script.createCachedData();
    if (previous === undefined || data.length > previous.data.length) writeOwnCodeCache(file, bundle, data, ranMs);
  });
}
(script.runInThisContext() as BundleFunction)(createRequire(import.meta.url), import.meta.url);
