/**
 * `modhost run --watch <entry>`: runs the program in a hot Node host and applies edits of the
 * files it loaded (ES modules, CommonJS, JSON) while it runs, through `host.update`:
 *
 * - an update some module accepts is applied in place (true rebinding; dispose/accept callbacks);
 * - an update nothing accepts re-runs the program in a fresh host in the same process, after every
 *   module's `dispose` callbacks: unchanged files are neither parsed nor compiled again (their
 *   compiled sources are kept in memory, by URL and text);
 * - an error in new code (parse, load, link, evaluation) is reported; the program keeps running
 *   its previous version; an uncaught error of the program is reported and the watch goes on;
 * - one line per update on stderr (what changed, what was evaluated again, who accepted, time);
 * - Ctrl+C (SIGINT, or SIGTERM) ends the watch: watchers closed, exit code 0.
 *
 * Files are watched through their folders (fs.watch), so an editor that replaces a file on save
 * is seen too; events are gathered for a short moment, so one save is one update.
 */
import { type FSWatcher, watch as watchFolder } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { moduleSourceFromRecord, moduleSourceRecordOf } from '../api/module-source.js';
import { evaluateWithIndirectEval } from '../api/realm.js';
import { type CompileCache, createCompileCache } from '../hosts/node/compile-cache.js';
import { evaluateWithVm } from '../hosts/node/evaluator.js';
import { createNodeHost, type NodeHost } from '../hosts/node/index.js';
import type { ModuleSourceRecord } from '../source/types.js';
import type { CliOptions } from './main.js';
import { paint, useColor } from './output.js';
import { formatError, moduleSyntaxHint } from './report.js';
import { print } from './run.js';
import { describeUpdate, formatMilliseconds, shownPath, shownReason } from './watch-report.js';

/** Time to gather the file events of one save. */
const SETTLE_MS = 30;

/**
 * A compile cache over another (or none) that also keeps, in memory, the compiled record of
 * every module by URL and text: a fresh host of the same process then parses and compiles only
 * the files that changed. Each host gets ModuleSource objects of its own (cheap: made from the
 * kept record), so that nothing of an old host stays reachable through them.
 */
export function createSourceMemo(inner: CompileCache | undefined): CompileCache & { nextRun(): void } {
  const memo = new Map<string, { text: string; record: ModuleSourceRecord }>();
  let run = 0;
  return {
    dir: inner?.dir ?? '',
    stats: inner?.stats ?? { records: 0, codeCaches: 0 },
    get(text, url) {
      const kept = memo.get(url);
      if (kept !== undefined && kept.text === text) return moduleSourceFromRecord(kept.record);
      const source = inner?.get(text, url);
      if (source !== undefined) memo.set(url, { text, record: moduleSourceRecordOf(source, 'compile cache entry') });
      return source;
    },
    set(text, url, source) {
      memo.set(url, { text, record: moduleSourceRecordOf(source, 'compile cache entry') });
      inner?.set(text, url, source);
    },
    evaluate(code, url) {
      // The first run uses V8's code cache (vm.Script); later runs a global script, since each
      // vm.Script keeps about a kilobyte alive for the process's life (Node 20-24).
      if (run > 0) return evaluateWithIndirectEval(code);
      return inner === undefined ? evaluateWithVm(code, url) : inner.evaluate(code, url);
    },
    flush() {
      inner?.flush();
    },
    nextRun() {
      run += 1;
    },
  };
}

/** Runs the program under watch; resolves (never, in practice) when the watch ends. */
export async function watchCommand(entry: string, args: string[], options: CliOptions): Promise<number | undefined> {
  const entryPath = resolvePath(entry);
  const entryURL = pathToFileURL(entryPath).href;
  const cwd = process.cwd();
  const colors = useColor(process.stderr);
  const shown = shownPath(entryURL, cwd);
  const say = (line: string): void => {
    process.stderr.write(`${paint(colors, '2', '[modhost]')} ${line}\n`);
  };
  const inner = options.cache
    ? createCompileCache(
        options.cacheDir === undefined ? { name: entryURL } : { dir: options.cacheDir, name: entryURL },
      )
    : undefined;
  const sources = createSourceMemo(inner);
  const roots: string[] = options.root === undefined ? [] : [resolvePath(options.root)];
  process.argv = [process.execPath, entryPath, ...args];
  Object.defineProperty(globalThis, 'print', { value: print, writable: true, configurable: true, enumerable: false });

  let host: NodeHost = newHost();
  /** The last run failed before the program was running: any change runs it again. */
  let failed = false;
  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> = Promise.resolve();

  function newHost(): NodeHost {
    const hostOptions: Parameters<typeof createNodeHost>[0] = {
      hot: true,
      compileCache: sources,
      commonjs: { roots },
    };
    if (options.conditions !== undefined) hostOptions.conditions = options.conditions;
    return createNodeHost(hostOptions);
  }

  /** Errors of the program while it runs: reported, and the watch goes on. */
  const onError = (error: unknown): void => {
    process.stderr.write(formatError(error, moduleSyntaxHint(error)));
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);

  async function runProgram(): Promise<boolean> {
    try {
      const format = host.formatOf(entryURL);
      if (format === 'commonjs') {
        if (options.root === undefined && !roots.includes(dirname(entryPath))) roots.push(dirname(entryPath));
        host.commonjs.use(entryPath);
      } else {
        await host.run(entryURL);
      }
      return true;
    } catch (error) {
      onError(error);
      return false;
    }
  }

  /** Watches the folders of every file the program loaded (and the entry's). */
  function watchLoadedFiles(): void {
    const folders = new Set([dirname(entryPath)]);
    for (const url of host.loadedFiles()) if (url.startsWith('file:')) folders.add(dirname(fileURLToPath(url)));
    for (const folder of folders) {
      if (watchers.has(folder) || folder.split(/[\\/]/).includes('node_modules')) continue;
      try {
        const watcher = watchFolder(folder, { persistent: true }, (_event, name) => {
          if (name === null || name === undefined) return;
          pending.add(resolvePath(folder, name.toString()));
          if (timer !== undefined) clearTimeout(timer);
          timer = setTimeout(flush, SETTLE_MS);
        });
        watcher.on('error', () => watchers.delete(folder));
        watchers.set(folder, watcher);
      } catch {
        // a folder that cannot be watched (removed meanwhile) is skipped
      }
    }
  }

  function flush(): void {
    timer = undefined;
    const paths = [...pending];
    pending.clear();
    busy = busy.then(() => applyChanges(paths));
  }

  async function applyChanges(paths: readonly string[]): Promise<void> {
    const loaded = new Set(host.loadedFiles());
    const urls = paths.map((path) => pathToFileURL(path).href).filter((url) => loaded.has(url));
    if (failed) {
      // The program did not get going: a change to any module file runs it again.
      if (paths.some((path) => /\.(?:[cm]?[jt]s|json|wasm)$/.test(path)))
        await rerun(paths.map((path) => basename(path)));
      return;
    }
    if (urls.length === 0) return;
    const report = await host.update(urls);
    if (report.changed.length === 0 && report.error === undefined) return;
    if (report.fullReload) {
      await rerun(
        report.changed.map((url) => shownPath(url, cwd)),
        shownReason(report.reason, cwd),
      );
      return;
    }
    say(describeUpdate(report, { cwd, colors }));
    if (report.error !== undefined) process.stderr.write(formatError(report.error));
    watchLoadedFiles();
  }

  async function rerun(changed: readonly string[], reason?: string): Promise<void> {
    const started = performance.now();
    const errors = await host.disposeHot();
    for (const error of errors) onError(error);
    sources.nextRun();
    host = newHost();
    failed = !(await runProgram());
    const what = changed.length === 0 ? '' : `${changed.join(', ')} changed; `;
    const why = reason === undefined ? '' : `${reason}; `;
    say(
      `${paint(colors, '33', 'full reload')}: ${what}${why}re-ran ${shown} in a fresh host ` +
        `(${formatMilliseconds(performance.now() - started)})${failed ? '; waiting for changes' : ''}`,
    );
    watchLoadedFiles();
  }

  const stop = (): void => {
    for (const watcher of watchers.values()) watcher.close();
    if (timer !== undefined) clearTimeout(timer);
    inner?.flush();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  failed = !(await runProgram());
  if (failed) say(`${shown} failed; waiting for changes`);
  watchLoadedFiles();
  return undefined;
}
