/**
 * A persistent compile cache. For every module a run loads, it keeps the analysed and compiled
 * ModuleSourceRecord (so a warm run skips parsing) and V8's code cache for the compiled code (so a
 * warm run also skips most of V8's own compilation, which Node 20's ESM loader never caches).
 *
 * Layout: one *pack* file per cache name (the CLI uses the main module's URL), holding the
 * entries of the modules its last run loaded (the format: ./compile-cache-pack.ts):
 *
 *   <dir>/v<modhost version>/<sha256(name)[0..32]>.pack
 *
 * A module's V8 code cache is made by the second run that uses its record: the run that analyses a
 * module and writes its record does not also ask V8 for one (that cost a filling run 3–11%), as
 * Chrome makes a script's code cache on its second load.
 *
 * CommonJS modules have no record: the pack keeps V8's code cache of their wrapper functions
 * (`compileFunction`), keyed by SHA-256 of the filename, parameters and body. A wrapper gets one
 * the second time a run compiles it (the first run only notes its key), as Chrome makes a
 * script's code cache on its second load: V8 makes it while compiling, which cost a filling run
 * 8–10% on rxjs's CommonJS build, and a file compiled once is not worth it.
 *
 * One read at start-up and at most one write at the end, instead of a read and a write per
 * module (the first design, which made filling the cache slower than not caching). Each entry is
 * keyed by SHA-256 of the module's URL and text, so an edited file misses and is rebuilt; V8
 * rejects a code cache made by another V8 version or flags, and the entry is then rebuilt too.
 * Writes go to a temporary file renamed over the pack, so concurrent processes never see half a
 * file (the last writer wins; the loser only loses cache entries). A pack that cannot be read or
 * has the wrong shape is ignored and rewritten.
 *
 * Location: `options.dir`, else `$MODHOST_CACHE_DIR`, else `$XDG_CACHE_HOME/modhost`, else
 * `~/.cache/modhost`.
 */
import { join } from 'node:path';
import vm from 'node:vm';
import { type ModuleSource, moduleSourceFromRecord, moduleSourceRecordOf } from '../../api/module-source.js';
import { deepFreeze } from '../../source/deep-freeze.js';
import { VERSION } from '../../version.js';
import { defaultCacheDir } from './cache-dir.js';
import {
  codeAt,
  createHash,
  type Entry,
  type FunctionEntry,
  hashOfText,
  intact,
  type Pack,
  readPack,
  wellFormed,
  writePack,
} from './compile-cache-pack.js';
import { RUNNING_NODE } from './node-release.js';

export { defaultCacheDir };

export interface CompileCache {
  /** The cached ModuleSource for this text at this URL, or undefined. */
  get(text: string, url: string): ModuleSource | undefined;
  /** Records `source` for this text at this URL; it is written by the next `flush()`. */
  set(text: string, url: string, source: ModuleSource): void;
  /**
   * Evaluates compiled module code (a host's `evaluator`) with `vm.Script`, using V8's code cache
   * from the pack when there is one, and remembering the script so `flush()` can store its cache.
   */
  evaluate(code: string, url: string): unknown;
  /**
   * Compiles a CommonJS module's wrapper with `vm.compileFunction`, with V8's code cache from the
   * pack when it has one for this filename, these parameters and this body. Otherwise the first
   * compile notes the wrapper, and the next (a later run's) keeps the code cache V8 makes while
   * compiling it (as Node's own compile cache does for CommonJS: it spares V8 parsing the file;
   * functions compiled later are not in it).
   */
  compileFunction(body: string, params: readonly string[], options: vm.CompileFunctionOptions): WrapperFunction;
  /**
   * Writes the pack if this run added or changed anything (best effort: a failed write is
   * ignored). Called automatically when the process exits; call it earlier to persist sooner.
   */
  flush(): void;
  /** The versioned directory that holds the packs. */
  readonly dir: string;
  /** What this cache served so far: records found, and V8 code caches that V8 accepted. */
  readonly stats: { readonly records: number; readonly codeCaches: number };
}

/** A CommonJS module's wrapper function (what the runtime's evaluator returns). */
export type WrapperFunction = (...args: never[]) => unknown;

export interface CompileCacheOptions {
  /** Cache directory (default: see defaultCacheDir). */
  dir?: string;
  /** Which pack to use: runs with the same name share one pack (default: "default"). */
  name?: string;
}

/**
 * Caches that still have something to write when the process exits. Held strongly: a host (and
 * its cache) is often unreachable long before exit, and a weak reference would lose the entries.
 * A cache leaves the set when it flushes.
 */
const unflushed = new Set<CompileCache>();
let exitHookInstalled = false;
function flushOnExit(cache: CompileCache): void {
  unflushed.add(cache);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pending of unflushed) pending.flush();
  });
}

/**
 * Creates a compile cache in `dir` (created on first write).
 *
 * @example
 * import { createNodeHost, createCompileCache } from 'modhost/node';
 * const compileCache = createCompileCache({ name: 'my-tool' });
 * const host = createNodeHost({ compileCache });
 * await host.import('./main.js', import.meta.url);
 * compileCache.flush(); // optional: also happens at process exit
 */
export function createCompileCache(options: CompileCacheOptions = {}): CompileCache {
  const dir = join(options.dir ?? defaultCacheDir(), `v${VERSION}`);
  const packName = createHash('sha256')
    .update(options.name ?? 'default')
    .digest('hex')
    .slice(0, 32);
  const packPath = join(dir, `${packName}.pack`);
  let stored: Pack | undefined;
  /** The entries this run used or added: what the next pack holds. */
  const current = new Map<string, Entry>();
  /** The CommonJS wrappers' code caches this run used or made. */
  const currentFunctions = new Map<string, FunctionEntry>();
  /** filename → the key of this run's wrapper of that file. */
  const functionKeyOf = new Map<string, string>();
  /**
   * url → the key and entry of this run's module at that URL (evaluate() receives only the code
   * and the URL).
   */
  const byUrl = new Map<string, { readonly key: string; readonly entry: Entry }>();
  let dirty = false;
  const stats = { records: 0, codeCaches: 0 };

  // A host calls set() right after get() missed, with the same text: keep the last key rather
  // than hash every missed module twice.
  let last: { text: string; url: string; key: string } | undefined;
  const keyFor = (text: string, url: string): string => {
    if (last !== undefined && last.text === text && last.url === url) return last.key;
    const key = hashOfText(`${url}\0${text}`);
    last = { text, url, key };
    return key;
  };
  const use = (key: string, url: string, entry: Entry): void => {
    // One entry per URL: a file edited while the program runs (`modhost run --watch`) replaces
    // its older text's entry rather than adding one per version to the next pack.
    const previous = byUrl.get(url)?.key;
    if (previous !== undefined && previous !== key) current.delete(previous);
    current.set(key, entry);
    byUrl.set(url, { key, entry });
  };
  const markDirty = (): void => {
    dirty = true;
    flushOnExit(cache);
  };

  const cache: CompileCache = {
    dir,
    stats,
    get(text, url) {
      if (!wellFormed(text)) return undefined;
      stored ??= readPack(packPath);
      const key = keyFor(text, url);
      const entry = stored.entries.get(key);
      if (entry === undefined || entry.record.url !== url) return undefined;
      if (entry.codeIn !== undefined) {
        const { pack, start, end } = entry.codeIn;
        (entry.record.compiled as { code: string }).code = codeAt(pack, start, end);
        delete entry.codeIn;
      }
      use(key, url, entry);
      stats.records += 1;
      return moduleSourceFromRecord(deepFreeze(entry.record));
    },
    set(text, url, source) {
      const record = moduleSourceRecordOf(source, 'compile cache entry');
      if (!wellFormed(text) || !wellFormed(record.compiled.code)) return;
      const entry: Entry = { record, codeCache: undefined, fresh: true };
      use(keyFor(text, url), url, entry);
      markDirty();
    },
    evaluate(code, url) {
      const entry = byUrl.get(url)?.entry;
      // Damaged bytes must never reach V8's deserializer (release builds do not checksum them).
      if (entry !== undefined && !intact(entry)) entry.codeCache = undefined;
      const cachedData = entry !== undefined && entry.record.compiled.code === code ? entry.codeCache : undefined;
      const script = new vm.Script(code, cachedData === undefined ? { filename: url } : { filename: url, cachedData });
      if (entry !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
        entry.codeCache = undefined;
        // A record this run made gets its code cache from the next run that uses it.
        if (entry.fresh === undefined) entry.script = script;
        markDirty();
      } else if (cachedData !== undefined) {
        stats.codeCaches += 1;
      }
      return script.runInThisContext();
    },
    compileFunction(body, params, options) {
      const filename = options.filename ?? '';
      if (
        // Node 20 drops importModuleDynamically for a function compiled from a code cache.
        !RUNNING_NODE.compileFunctionCachedDataKeepsImport ||
        // A caller's own code cache, or another context: as vm.compileFunction does it.
        options.cachedData !== undefined ||
        options.produceCachedData !== undefined ||
        options.parsingContext !== undefined ||
        !wellFormed(body) ||
        !wellFormed(filename)
      )
        return vm.compileFunction(body, [...params], options) as WrapperFunction;
      stored ??= readPack(packPath);
      // Wrappers compiled with context extensions resolve their free names differently: their
      // extensions' names are part of the key, as are the offsets stack positions start from.
      let extensions = '';
      for (const extension of options.contextExtensions ?? []) extensions += `${Object.keys(extension).join(',')}\0`;
      const offsets = `${options.lineOffset ?? 0},${options.columnOffset ?? 0}`;
      const key = hashOfText(`${extensions}\0${offsets}\0${filename}\0${params.join(',')}\0${body}`);
      // One wrapper per file: a file edited while the program runs (`--watch`) replaces its older
      // body's entry rather than adding one per version to the next pack.
      const previous = functionKeyOf.get(filename);
      if (previous !== undefined && previous !== key) currentFunctions.delete(previous);
      functionKeyOf.set(filename, key);
      const found = currentFunctions.get(key) ?? stored.functions.get(key);
      const cachedData = found !== undefined && intact(found) ? found.codeCache : undefined;
      // Seen before (this run or the last) without a cache: make one now. First seen: note it.
      const produce = found !== undefined && cachedData === undefined;
      const fn = vm.compileFunction(
        body,
        [...params],
        cachedData !== undefined
          ? { ...options, cachedData }
          : produce
            ? { ...options, produceCachedData: true }
            : options,
      ) as WrapperFunction & { cachedData?: Buffer; cachedDataProduced?: boolean; cachedDataRejected?: boolean };
      const made = fn.cachedData;
      const rejected = fn.cachedDataRejected === true;
      // (Node puts these on the function itself, where `arguments.callee` would show them.)
      delete fn.cachedData;
      delete fn.cachedDataProduced;
      delete fn.cachedDataRejected;
      if (cachedData !== undefined && !rejected) {
        stats.codeCaches += 1;
        currentFunctions.set(key, found as FunctionEntry);
      } else {
        // Rejected (made by another V8): seen, so the next run makes it again.
        currentFunctions.set(key, { codeCache: made });
        markDirty();
      }
      return fn;
    },
    flush() {
      unflushed.delete(cache);
      if (!dirty) return;
      dirty = false;
      writePack(packPath, current, currentFunctions);
    },
  };
  return cache;
}
