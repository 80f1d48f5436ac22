/**
 * `modhost run --watch <entry>`: runs the program in a hot Node host and applies edits of the
 * files it loaded (ES modules, CommonJS, JSON) while it runs, through `host.update`:
 *
 * - an update some module accepts is applied in place (true rebinding; dispose/accept callbacks);
 * - an update nothing accepts re-runs the program in a fresh host in the same process (a new fork
 *   of one hot host), after every module's `dispose` callbacks: unchanged files are neither parsed
 *   nor compiled again (a hot family keeps its compiled sources by URL and text);
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
import type { ModuleHooks } from '../hosts/hooks/chain.js';
import type { NodeHost } from '../hosts/node/index.js';
import { nowMs } from '../hosts/node/lazy-builtin.js';
import type { CliOptions } from './main.js';
import { paint, useColor } from './output.js';
import { formatError, moduleSyntaxHint } from './report.js';
import { hostFromOptions, print, startEntry } from './run.js';
import { describeUpdate, formatMilliseconds, shownPath, shownReason } from './watch-report.js';

/** Time to gather the file events of one save. */
const SETTLE_MS = 30;

/** Runs the program under watch; resolves (never, in practice) when the watch ends. */
export async function watchCommand(
  entry: string,
  args: string[],
  options: CliOptions,
  hooks: readonly ModuleHooks[] | undefined = undefined,
): Promise<number | undefined> {
  const entryPath = resolvePath(entry);
  const entryURL = pathToFileURL(entryPath).href;
  const cwd = process.cwd();
  const colors = useColor(process.stderr);
  const shown = shownPath(entryURL, cwd);
  const say = (line: string): void => {
    process.stderr.write(`${paint(colors, '2', '[modhost]')} ${line}\n`);
  };
  const roots: string[] = options.root === undefined ? [] : [resolvePath(options.root)];
  // Each run is a fork of one hot host that runs nothing itself: the family keeps what it
  // compiled (by URL and text), so a re-run parses and compiles only the files that changed.
  const { host: family, cache } = hostFromOptions(options, entryURL, roots, hooks, true);
  process.argv = [process.execPath, entryPath, ...args];
  Object.defineProperty(globalThis, 'print', { value: print, writable: true, configurable: true, enumerable: false });

  let host: NodeHost = family.fork();
  /** The last run failed before the program was running: any change runs it again. */
  let failed = false;
  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> = Promise.resolve();

  /** Errors of the program while it runs: reported, and the watch goes on. */
  const onError = (error: unknown): void => {
    process.stderr.write(formatError(error, moduleSyntaxHint(error)));
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);

  async function runProgram(): Promise<boolean> {
    try {
      await startEntry(host, entryURL, entryPath, options, roots);
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
    const started = nowMs();
    const errors = await host.disposeHot();
    for (const error of errors) onError(error);
    host.dispose();
    host = family.fork();
    failed = !(await runProgram());
    const what = changed.length === 0 ? '' : `${changed.join(', ')} changed; `;
    const why = reason === undefined ? '' : `${reason}; `;
    say(
      `${paint(colors, '33', 'full reload')}: ${what}${why}re-ran ${shown} in a fresh host ` +
        `(${formatMilliseconds(nowMs() - started)})${failed ? `; ${shown} failed, waiting for changes` : ''}`,
    );
    watchLoadedFiles();
  }

  const stop = (): void => {
    for (const watcher of watchers.values()) watcher.close();
    if (timer !== undefined) clearTimeout(timer);
    cache?.flush();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  failed = !(await runProgram());
  if (failed) say(`${shown} failed; waiting for changes`);
  watchLoadedFiles();
  return undefined;
}
