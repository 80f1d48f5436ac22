/** `modhost run <entry>`: run a program through modhost, as the article's command-line host does. */
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { createNodeHost, type NodeHost } from '../hosts/node/host.js';
import { createCompileCache, type CompileCache } from '../hosts/node/compile-cache.js';
import type { CliOptions } from './main.js';
import { formatUncaught } from './report.js';

/** `print(...values)`: the article host's global; strings as they are, other values inspected. */
function print(...values: unknown[]): void {
  process.stdout.write(`${values.map((v) => (typeof v === 'string' ? v : inspect(v))).join(' ')}\n`);
}

/** A host for the CLI; `entryURL` names the compile-cache pack, so each program keeps its own. */
export function hostFromOptions(options: CliOptions, entryURL: string): { host: NodeHost; cache: CompileCache | undefined } {
  const hostOptions: Parameters<typeof createNodeHost>[0] = {};
  if (options.conditions !== undefined) hostOptions.conditions = options.conditions;
  const cache = options.cache ? createCompileCache(options.cacheDir === undefined ? { name: entryURL } : { dir: options.cacheDir, name: entryURL }) : undefined;
  if (cache !== undefined) hostOptions.compileCache = cache;
  return { host: createNodeHost(hostOptions), cache };
}

export async function runCommand(entry: string, args: string[], options: CliOptions): Promise<number> {
  const entryPath = resolvePath(entry);
  const { host, cache } = hostFromOptions(options, pathToFileURL(entryPath).href);
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
    await host.import(pathToFileURL(entryPath).href);
  } catch (error) {
    fail(error, 'Uncaught');
  }
  if (options.stats) {
    const s = host.stats;
    const total = performance.now() - started;
    process.stderr.write(
      `modhost stats: ${s.modules} modules, ${s.bytesParsed} bytes read, ${s.cacheHits} compile-cache hits (${cache?.stats.codeCaches ?? 0} with V8 code cache)\n` +
        `  resolve ${s.resolveMs.toFixed(1)} ms, parse+compile ${s.compileMs.toFixed(1)} ms, link ${s.linkMs.toFixed(1)} ms, evaluate ${s.evaluateMs.toFixed(1)} ms, total ${total.toFixed(1)} ms\n`,
    );
  }
  // Later failures (timers, unhandled rejections) still set process.exitCode through `fail`.
  return failed ? 1 : 0;
}
