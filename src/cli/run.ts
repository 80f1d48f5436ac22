/**
 * `modhost run <entry>`: run a program through modhost, as the CommonJS article's command-line
 * host does, and end it as `node` would. The entry's format is Node's (`.mjs`/`.cjs`,
 * package.json "type", an ambiguous `.js` by its syntax): an ES module is imported, a CommonJS
 * file (plain, or a `define(...)` wrapper) runs as the CommonJS runtime's main module, with
 * `--root` (default: the entry's folder) searched first for top-level `require` ids.
 *
 * Ending like node (its default `--unhandled-rejections=throw`):
 * - the exit code is the program's `process.exitCode` (0 when unset);
 * - an error of the main module, or thrown later, goes to the program's 'uncaughtException'
 *   listeners if it has any, else it is reported (./report.ts) and the process exits with 1;
 * - an unhandled rejection goes to the program's 'unhandledRejection' listeners if it has any,
 *   else it is an uncaught exception (a non-Error reason wrapped as Node wraps it);
 * - a main module still waiting on a top-level await when nothing is left to do exits with 13
 *   and Node's warning naming the await.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { moduleRecordOf } from '../api/module.js';
import type { ModuleHooks } from '../hosts/hooks/chain.js';
import { type CompileCache, createCompileCache } from '../hosts/node/compile-cache.js';
import { createNodeHost, type NodeHost, type NodeHostOptions } from '../hosts/node/host.js';
import { nowMs } from '../hosts/node/lazy-builtin.js';
import { RUNNING_NODE } from '../hosts/node/node-release.js';
import { findUnsettledAwait } from '../hosts/node/unsettled-await.js';
import { hooksFromOptions } from './hooks.js';
import type { CliOptions } from './main.js';
import { codeFrame } from './output.js';
import {
  commonJSImportHint,
  entryError,
  formatCommandError,
  formatFatal,
  isErrorLike,
  moduleSyntaxHint,
} from './report.js';
import { watchCommand } from './watch.js';
import { startWorkerSupport } from './workers.js';

/** `print(...values)`: the CommonJS article host's global; strings as they are, other values inspected. */
export function print(...values: unknown[]): void {
  process.stdout.write(`${values.map((v) => (typeof v === 'string' ? v : inspect(v))).join(' ')}\n`);
}

/**
 * The host options every command takes from the command line: `--conditions`, the `--hooks`
 * modules' hooks, and (with the cache on and a `cacheName`) the compile cache's pack of that name.
 */
export function hostOptionsFrom(
  options: CliOptions,
  hooks: readonly ModuleHooks[] | undefined,
  cacheName: string | undefined,
): { hostOptions: NodeHostOptions; cache: CompileCache | undefined } {
  const hostOptions: NodeHostOptions = {};
  if (hooks !== undefined) hostOptions.hooks = hooks;
  if (options.conditions !== undefined) hostOptions.conditions = options.conditions;
  const cache =
    options.cache && cacheName !== undefined
      ? createCompileCache(
          options.cacheDir === undefined ? { name: cacheName } : { dir: options.cacheDir, name: cacheName },
        )
      : undefined;
  if (cache !== undefined) hostOptions.compileCache = cache;
  return { hostOptions, cache };
}

/** A host for the CLI; `entryURL` names the compile-cache pack, so each program keeps its own. */
export function hostFromOptions(
  options: CliOptions,
  entryURL: string,
  roots: string[] = [],
  hooks: readonly ModuleHooks[] | undefined = undefined,
  hot = false,
): { host: NodeHost; cache: CompileCache | undefined } {
  const { hostOptions, cache } = hostOptionsFrom(options, hooks, entryURL);
  if (hot) hostOptions.hot = true;
  // Top-level CommonJS ids look in the root folders first (the CommonJS article's host), then node_modules.
  hostOptions.commonjs = { roots, onAsyncError: requireAsyncWarning() };
  return { host: createNodeHost(hostOptions), cache };
}

/**
 * `require.async` gives its callback `null` for a module it cannot load (the CommonJS article's
 * contract); under `modhost run` that also warns on stderr, once per id, so a typo does not go
 * unnoticed. Errors thrown by callbacks are rethrown, as without the hook.
 */
function requireAsyncWarning(): (error: unknown, id: string, during: 'require' | 'callback') => void {
  const warned = new Set<string>();
  return (error, id, during) => {
    if (during === 'callback') {
      queueMicrotask(() => {
        throw error;
      });
      return;
    }
    if (warned.has(id)) return;
    warned.add(id);
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.emitWarning(`require.async('${id}') gives null: ${message}`, { code: 'MODHOST_REQUIRE_ASYNC_FAILED' });
  };
}

/** The error Node makes of a rejection whose reason is not an Error. */
function unhandledRejectionError(reason: unknown): Error {
  const error = new Error(
    'This error originated either by throwing inside of an async function without a catch block, or by rejecting a ' +
      `promise which was not handled with .catch(). The promise rejected with the reason "${inspect(reason)}".`,
  );
  error.name = 'UnhandledPromiseRejection';
  Object.defineProperty(error, 'code', {
    value: 'ERR_UNHANDLED_REJECTION',
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return error;
}

/**
 * Runs the program; resolves when its main module has been evaluated. The process's exit code is
 * then the program's: the result is undefined, except 1 for an entry that cannot be found.
 */
export async function runCommand(entry: string, args: string[], options: CliOptions): Promise<number | undefined> {
  const entryPath = resolvePath(entry);
  // `--hooks`: loaded first; a resolve hook may serve an entry that is not on disk.
  const hooks = await hooksFromOptions(options, !isMainThread);
  if (hooks === null) return 1;
  const missing = hooks === undefined ? entryError(entryPath) : undefined;
  if (missing !== undefined) {
    if (!isMainThread) throw missing;
    process.stderr.write(formatCommandError(missing));
    return 1;
  }
  if (options.watch && isMainThread) return watchCommand(entry, args, options, hooks);
  const entryURL = pathToFileURL(entryPath).href;
  // `--root`, else (for a CommonJS entry only, see below) the entry's folder. The host reads the
  // list when its CommonJS runtime is created, at the first CommonJS module.
  const roots: string[] = options.root === undefined ? [] : [resolvePath(options.root)];
  const { host, cache } = hostFromOptions(options, entryURL, roots, hooks);
  Object.defineProperty(globalThis, 'print', { value: print, writable: true, configurable: true, enumerable: false });
  process.argv = [process.execPath, entryPath, ...args];
  startWorkerSupport(options);
  if (!isMainThread) {
    runInWorker(host, entryURL, entryPath, options, roots);
    return undefined;
  }

  const started = nowMs();
  const fatal = installFatalHandlers(
    (error) =>
      commonJSImportHint(error, (specifier, referrer) =>
        isCommonJS(host.formatOf(host.resolve(specifier, referrer))),
      ) ?? moduleSyntaxHint(error),
  );
  if (options.stats) process.once('exit', () => printStats(host, cache, started));

  let format: string | undefined;
  let mainURL = entryURL;
  try {
    // With hooks, the entry goes through them too, as Node's main entry does.
    if (hooks !== undefined) mainURL = host.resolve(entryURL, pathToFileURL(`${process.cwd()}/`).href);
    format = host.formatOf(mainURL);
  } catch (error) {
    fatal(error, 'uncaughtException');
    return undefined;
  }
  if (isCommonJS(format)) {
    // The CommonJS article's host: a CommonJS program's top-level ids start at its own folder. (An ES
    // module program keeps Node's resolution for the CommonJS packages it uses.)
    if (options.root === undefined) roots.push(dirname(entryPath));
    try {
      host.commonjs.use(
        mainURL === entryURL ? entryPath : mainURL.startsWith('file:') ? fileURLToPath(mainURL) : mainURL,
      );
    } catch (error) {
      fatal(error, 'uncaughtException');
    }
    return undefined;
  }
  watchForUnsettledAwait(host, mainURL, format);
  try {
    await host.run(mainURL);
  } catch (error) {
    fatal(error, 'uncaughtException');
  }
  return undefined;
}

/**
 * Node's handling of uncaught exceptions and unhandled rejections, with modhost's report. Returns
 * the function that handles an error of the main module (which Node also treats as uncaught).
 */
function installFatalHandlers(
  hintFor: (error: unknown) => string | undefined,
): (error: unknown, origin: 'uncaughtException' | 'unhandledRejection') => void {
  let reported = false;
  const programListeners = (event: 'uncaughtException' | 'unhandledRejection', own: unknown) =>
    (process.listeners as (event: string) => unknown[])(event).filter((listener) => listener !== own);
  const fatal = (error: unknown, origin: 'uncaughtException' | 'unhandledRejection') => {
    if (programListeners('uncaughtException', onUncaught).length > 0) {
      (process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtException', error, origin);
      return;
    }
    report(error);
  };
  const report = (error: unknown) => {
    if (reported) return;
    reported = true;
    process.stderr.write(formatFatal(error, hintFor(error)));
    process.exit(1);
  };
  // (Only when no listener of the program's also ran: with one, Node lets the program go on.)
  const onUncaught = (error: unknown) => {
    if (programListeners('uncaughtException', onUncaught).length === 0) report(error);
  };
  const onRejection = (reason: unknown) => {
    if (programListeners('unhandledRejection', onRejection).length > 0) return;
    fatal(isErrorLike(reason) ? reason : unhandledRejectionError(reason), 'unhandledRejection');
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  return fatal;
}

/**
 * A worker thread started by a program under `modhost run` (./workers.ts): the program's module
 * runs as the main module does, and what it throws is the worker's uncaught exception, which Node
 * hands to the parent's Worker 'error' event.
 */
function runInWorker(host: NodeHost, entryURL: string, entryPath: string, options: CliOptions, roots: string[]): void {
  const rethrow = (error: unknown) =>
    setImmediate(() => {
      throw error;
    });
  try {
    startEntry(host, entryURL, entryPath, options, roots)?.catch(rethrow);
  } catch (error) {
    rethrow(error);
  }
}

/**
 * Runs a program's entry as Node runs its main entry: a CommonJS file (JavaScript or TypeScript)
 * through the host's CommonJS runtime, its folder joining the lookup roots (unless `--root`), else
 * as the main ES module (the returned promise).
 */
export function startEntry(
  host: NodeHost,
  entryURL: string,
  entryPath: string,
  options: CliOptions,
  roots: string[],
): Promise<unknown> | undefined {
  if (isCommonJS(host.formatOf(entryURL))) {
    if (options.root === undefined && !roots.includes(dirname(entryPath))) roots.push(dirname(entryPath));
    host.commonjs.use(entryPath);
    return undefined;
  }
  return host.run(entryURL);
}

/** A CommonJS file, JavaScript or TypeScript. */
function isCommonJS(format: string | undefined): boolean {
  return format === 'commonjs' || format === 'commonjs-typescript';
}

/** Exit code 13 and Node's warning when the main module's top-level await never settles. */
function watchForUnsettledAwait(host: NodeHost, entryURL: string, format: string | undefined): void {
  let drained = false;
  process.once('beforeExit', () => {
    drained = true;
  });
  process.once('exit', () => {
    if (!drained) return;
    const record = moduleRecordOf(host.moduleFor(entryURL, format));
    if (record === undefined) return;
    // As Node: a program that chose its exit code keeps it, without the warning.
    if (process.exitCode !== undefined && process.exitCode !== 0) return;
    const site = findUnsettledAwait(record);
    if (site === undefined) return;
    // Node 20 exits 13 without a word.
    if (!RUNNING_NODE.unsettledAwaitWarning) {
      process.exitCode = 13;
      return;
    }
    let warning =
      `Warning: Detected unsettled top-level await at ` +
      `${site.url}${site.line === undefined ? '' : `:${site.line}`}\n`;
    if (site.line !== undefined) {
      const frame = codeFrame({ url: site.url, line: site.line, column: site.column ?? 1, shown: site.url }, false);
      if (frame !== undefined) warning += `${frame}\n`;
    }
    process.stderr.write(`${warning}\n`);
    process.exitCode = 13;
  });
}

function printStats(host: NodeHost, cache: CompileCache | undefined, started: number): void {
  const s = host.stats;
  const total = nowMs() - started;
  process.stderr.write(
    `modhost stats: ${s.modules} modules, ${s.bytesParsed} bytes read, ${s.cacheHits} compile-cache hits ` +
      `(${cache?.stats.codeCaches ?? 0} with V8 code cache)\n` +
      `  resolve ${s.resolveMs.toFixed(1)} ms, parse+compile ${s.compileMs.toFixed(1)} ms, link ` +
      `${s.linkMs.toFixed(1)} ms, evaluate ${s.evaluateMs.toFixed(1)} ms, total ${total.toFixed(1)} ms\n`,
  );
}
