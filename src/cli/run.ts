/**
 * `modhost run <entry>`: run a program through modhost, as the article's command-line host does.
 * The entry's format is Node's (`.mjs`/`.cjs`, package.json "type", an ambiguous `.js` by its
 * syntax): an ES module is imported, a CommonJS file (plain, or a `define(...)` wrapper) runs as
 * the CommonJS runtime's main module, with `--root` (default: the entry's folder) searched first
 * for top-level `require` ids.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { type CompileCache, createCompileCache } from '../hosts/node/compile-cache.js';
import { createNodeHost, type NodeHost } from '../hosts/node/host.js';
import type { CliOptions } from './main.js';
import { formatUncaught } from './report.js';

/** `print(...values)`: the article host's global; strings as they are, other values inspected. */
function print(...values: unknown[]): void {
  process.stdout.write(`${values.map((v) => (typeof v === 'string' ? v : inspect(v))).join(' ')}\n`);
}

/** A host for the CLI; `entryURL` names the compile-cache pack, so each program keeps its own. */
export function hostFromOptions(
  options: CliOptions,
  entryURL: string,
  roots: string[] = [],
): { host: NodeHost; cache: CompileCache | undefined } {
  const hostOptions: Parameters<typeof createNodeHost>[0] = {};
  if (options.conditions !== undefined) hostOptions.conditions = options.conditions;
  // Top-level CommonJS ids look in the root folders first (the article's host), then node_modules.
  hostOptions.commonjs = { roots };
  const cache = options.cache
    ? createCompileCache(
        options.cacheDir === undefined ? { name: entryURL } : { dir: options.cacheDir, name: entryURL },
      )
    : undefined;
  if (cache !== undefined) hostOptions.compileCache = cache;
  return { host: createNodeHost(hostOptions), cache };
}

export async function runCommand(entry: string, args: string[], options: CliOptions): Promise<number> {
  const entryPath = resolvePath(entry);
  // `--root`, else (for a CommonJS entry only, see below) the entry's folder. The host reads the
  // list when its CommonJS runtime is created, at the first CommonJS module.
  const roots: string[] = options.root === undefined ? [] : [resolvePath(options.root)];
  const { host, cache } = hostFromOptions(options, pathToFileURL(entryPath).href, roots);
  Object.defineProperty(globalThis, 'print', { value: print, writable: true, configurable: true, enumerable: false });
  process.argv = [process.execPath, entryPath, ...args];

  let failed = false;
  const fail = (error: unknown, kind: 'Uncaught' | 'Unhandled rejection') => {
    if (failed) return;
    failed = true;
    process.stderr.write(formatUncaught(error, kind));
    process.exitCode = 1;
  };
  process.on('unhandledRejection', (reason) => fail(reason, 'Unhandled rejection'));
  process.on('uncaughtException', (error) => fail(error, 'Uncaught'));

  const started = performance.now();
  try {
    const entryURL = pathToFileURL(entryPath).href;
    if (host.formatOf(entryURL) === 'commonjs') {
      // The article's host: a CommonJS program's top-level ids start at its own folder. (An ES
      // module program keeps Node's resolution for the CommonJS packages it uses.)
      if (options.root === undefined) roots.push(dirname(entryPath));
      host.commonjs.use(entryPath);
    } else {
      await host.run(entryURL);
    }
  } catch (error) {
    fail(error, 'Uncaught');
  }
  if (options.stats) {
    const s = host.stats;
    const total = performance.now() - started;
    process.stderr.write(
      `modhost stats: ${s.modules} modules, ${s.bytesParsed} bytes read, ${s.cacheHits} compile-cache hits ` +
        `(${cache?.stats.codeCaches ?? 0} with V8 code cache)\n` +
        `  resolve ${s.resolveMs.toFixed(1)} ms, parse+compile ${s.compileMs.toFixed(1)} ms, link ` +
        `${s.linkMs.toFixed(1)} ms, evaluate ${s.evaluateMs.toFixed(1)} ms, total ${total.toFixed(1)} ms\n`,
    );
  }
  // Later failures (timers, unhandled rejections) still set process.exitCode through `fail`.
  return failed ? 1 : 0;
}
