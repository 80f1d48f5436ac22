/**
 * A persistent compile cache. For every module a run loads, it keeps the analysed and compiled
 * ModuleSourceRecord (so a warm run skips parsing) and V8's code cache for the compiled code (so a
 * warm run also skips most of V8's own compilation, which Node 20's ESM loader never caches).
 *
 * Layout: one *pack* file per cache name (the CLI uses the main module's URL), holding the
 * entries of the modules its last run loaded:
 *
 *   <dir>/v<modhost version>/<sha256(name)[0..32]>.pack
 *   "MHPK" | u32 format | u32 header length | SHA-256 of the header | header JSON | compiled code |
 *   code caches
 *
 * The header holds each record without its compiled code: the code of every entry follows it,
 * one region with one SHA-256 (damaged code must not run; the header's own hash covers the
 * records and the offsets into that region). The region starts with the code that
 * is pure ASCII, which a run decodes as one Latin-1 string and hands to each module as a slice of
 * it: Node keeps a large Latin-1 string outside V8's heap, and a slice is a small object, so a
 * warm run neither copies the code through the young generation nor decodes it module by module
 * (inside the JSON header, a single non-ASCII character anywhere made V8 hold megabytes of code as
 * a two-byte string). The rest, UTF-8, is decoded per module. Each code cache carries its own
 * SHA-256, checked when it is used: release builds of V8 do not checksum code caches.
 *
 * A module's V8 code cache is made by the second run that uses its record: the run that analyses a
 * module and writes its record does not also ask V8 for one (that cost a filling run 3–11%), as
 * Chrome makes a script's code cache on its second load.
 *
 * CommonJS modules have no record: the pack keeps V8's code cache of their wrapper functions
 * (`compileFunction`), keyed by SHA-256 of the filename, parameters and body, in the header's
 * `functions` list, their bytes among the code caches. A wrapper gets one the second time a run
 * compiles it (the first run only notes its key), as Chrome makes a script's code cache on its
 * second load: V8 makes it while compiling, which cost a filling run 8–10% on rxjs's CommonJS
 * build, and a file compiled once is not worth it.
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
import type * as Crypto from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { type ModuleSource, moduleSourceFromRecord, moduleSourceRecordOf } from '../../api/module-source.js';
import { deepFreeze } from '../../source/deep-freeze.js';
import type { ModuleSourceRecord } from '../../source/types.js';
import { VERSION } from '../../version.js';
import { defaultCacheDir } from './cache-dir.js';
import { nodeBuiltin } from './lazy-builtin.js';
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

const MAGIC = 0x4b50484d; // "MHPK" read as a little-endian u32
// 2: re-exported namespace and source imports are indirect export entries (tc39/ecma262#3715);
// 3: compiled code moved from the header to the blob area.
const FORMAT = 3;
const PREFIX_BYTES = 12;
const HEADER_HASH_BYTES = 32;
const RECORD_KEYS = [
  'url',
  'requestedModules',
  'importEntries',
  'localExportEntries',
  'indirectExportEntries',
  'starExportEntries',
  'hasTLA',
  'needsImport',
  'needsImportMeta',
  'bindings',
  'compiled',
] as const;

interface PackHeader {
  /** Length and SHA-256 of the code region; its first `asciiLength` bytes are ASCII-only code. */
  asciiLength: number;
  codeLength: number;
  codeHash: string;
  entries: PackedEntry[];
  /** CommonJS wrappers' code caches. */
  functions: PackedFunction[];
}

interface PackedFunction {
  key: string;
  /** Byte range of the V8 code cache after the code region, and its SHA-256; none when only seen. */
  cacheStart?: number;
  cacheLength?: number;
  cacheHash?: string;
}

/**
 * A CommonJS wrapper compiled by a run: its code cache, if one was made; the hash is checked (once)
 * before V8 sees the bytes.
 */
interface FunctionEntry {
  codeCache: Buffer | undefined;
  codeCacheHash?: string;
}

/** What a pack holds. */
interface Pack {
  readonly entries: Map<string, Entry>;
  readonly functions: Map<string, FunctionEntry>;
}

interface PackedEntry {
  key: string;
  /** The record, its `compiled.code` empty: the code is in the code region. */
  record: ModuleSourceRecord;
  /** Byte range of the compiled code (UTF-8) in the code region. */
  codeStart: number;
  codeLength: number;
  /** Byte range of the V8 code cache after the code region, if any. */
  cacheStart?: number;
  cacheLength?: number;
  /** SHA-256 of the code cache: V8 checks a code cache's checksum only in debug builds. */
  cacheHash?: string;
}

interface Entry {
  record: ModuleSourceRecord;
  /** A stored entry's compiled code, still in the pack: decoded by the first get(). */
  codeIn?: { readonly pack: PackCode; readonly start: number; readonly end: number };
  codeCache: Buffer | undefined;
  /** Expected SHA-256 of `codeCache`, checked once before V8 sees the bytes. */
  codeCacheHash?: string;
  /** A script compiled this run without an accepted code cache: flush() asks it for one. */
  script?: vm.Script;
  /** Made by this run's set(): its code cache waits for the next run (see the layout above). */
  fresh?: true;
}

function looksLikeRecord(value: unknown): value is ModuleSourceRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  for (const key of RECORD_KEYS) if (!(key in record)) return false;
  const compiled = record.compiled as Record<string, unknown> | null;
  return typeof compiled === 'object' && compiled !== null && typeof compiled.code === 'string';
}

let crypto: typeof Crypto | undefined;
/**
 * node:crypto, loaded on first use: a run without a cache never hashes, and loading it costs
 * ~3.5 MiB of RSS and a few ms on Node 24 (measured by bench (c)).
 */
function cryptoModule(): typeof Crypto {
  crypto ??= nodeBuiltin<typeof Crypto>('node:crypto');
  return crypto;
}

function createHash(algorithm: string): Crypto.Hash {
  return cryptoModule().createHash(algorithm);
}

function hashOf(bytes: Buffer): string {
  const { hash } = cryptoModule();
  // crypto.hash (Node 20.12+) hashes in one call, without a Hash object per input (which cost
  // ~15 µs each on Node 20: a graph hashes several things per module).
  return hash === undefined ? createHash('sha256').update(bytes).digest('base64') : hash('sha256', bytes, 'base64');
}

/** SHA-256 of `bytes`, as bytes. */
function digestOf(bytes: Buffer): Buffer {
  const { hash } = cryptoModule();
  return hash === undefined ? createHash('sha256').update(bytes).digest() : hash('sha256', bytes, 'buffer');
}

/**
 * Whether `text` has no lone surrogate. Only such texts are cached: keys and code are hashed and
 * stored as UTF-8, which has no lone surrogates (it would store U+FFFD instead, and two texts
 * differing there would share a key). A one-byte string has none, and V8 answers at once.
 */
function wellFormed(text: string): boolean {
  // (String.prototype.isWellFormed: ES2024, in every Node modhost supports)
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** SHA-256 (base64) of `text` as UTF-8. */
function hashOfText(text: string): string {
  const { hash } = cryptoModule();
  return hash === undefined
    ? createHash('sha256').update(text, 'utf8').digest('base64')
    : hash('sha256', text, 'base64');
}

/** A pack's code region: `start` to `end` of `bytes`; the ASCII part decoded on first use. */
interface PackCode {
  readonly bytes: Buffer;
  readonly start: number;
  readonly asciiEnd: number;
  ascii?: string;
}

/** The compiled code at `start`..`end` of the code region. */
function codeAt(pack: PackCode, start: number, end: number): string {
  if (end > pack.asciiEnd - pack.start) return pack.bytes.toString('utf8', pack.start + start, pack.start + end);
  pack.ascii ??= pack.bytes.toString('latin1', pack.start, pack.asciiEnd);
  return pack.ascii.slice(start, end);
}

function emptyPack(): Pack {
  return { entries: new Map(), functions: new Map() };
}

/** Reads a pack; any defect makes the whole pack unusable (it is then rewritten). */
function readPack(path: string): Pack {
  const pack = emptyPack();
  const { entries, functions } = pack;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return pack;
  }
  try {
    if (bytes.length < PREFIX_BYTES || bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== FORMAT) return pack;
    const headerLength = bytes.readUInt32LE(8);
    const headerStart = PREFIX_BYTES + HEADER_HASH_BYTES;
    const blobs = headerStart + headerLength;
    if (blobs > bytes.length) return pack;
    const headerBytes = bytes.subarray(headerStart, blobs);
    if (!digestOf(headerBytes).equals(bytes.subarray(PREFIX_BYTES, headerStart))) return pack;
    const header = JSON.parse(headerBytes.toString('utf8')) as Partial<PackHeader> | null;
    const codeLength = header?.codeLength;
    const asciiLength = header?.asciiLength;
    if (
      typeof codeLength !== 'number' ||
      typeof asciiLength !== 'number' ||
      !Array.isArray(header?.entries) ||
      !Array.isArray(header.functions)
    )
      return pack;
    const caches = blobs + codeLength;
    if (asciiLength < 0 || asciiLength > codeLength || caches > bytes.length) return pack;
    if (hashOf(bytes.subarray(blobs, caches)) !== header.codeHash) return pack;
    const code: PackCode = { bytes, start: blobs, asciiEnd: blobs + asciiLength };
    const within = (start: unknown, length: unknown, from: number, to: number): start is number =>
      typeof start === 'number' &&
      typeof length === 'number' &&
      start >= 0 &&
      length >= 0 &&
      from + start + length <= to;
    for (const item of header.entries) {
      if (typeof item?.key !== 'string' || !looksLikeRecord(item.record)) return emptyPack();
      if (!within(item.codeStart, item.codeLength, blobs, caches)) return emptyPack();
      const entry: Entry = {
        record: item.record,
        codeIn: { pack: code, start: item.codeStart, end: item.codeStart + item.codeLength },
        codeCache: undefined,
      };
      if (
        typeof item.cacheStart === 'number' &&
        typeof item.cacheLength === 'number' &&
        typeof item.cacheHash === 'string'
      ) {
        if (!within(item.cacheStart, item.cacheLength, caches, bytes.length)) return emptyPack();
        const start = caches + item.cacheStart;
        entry.codeCache = bytes.subarray(start, start + item.cacheLength);
        entry.codeCacheHash = item.cacheHash;
      }
      entries.set(item.key, entry);
    }
    for (const item of header.functions) {
      if (typeof item?.key !== 'string') return emptyPack();
      if (item.cacheHash === undefined) {
        functions.set(item.key, { codeCache: undefined });
        continue;
      }
      if (typeof item.cacheHash !== 'string' || !within(item.cacheStart, item.cacheLength, caches, bytes.length))
        return emptyPack();
      const start = caches + item.cacheStart;
      functions.set(item.key, {
        codeCache: bytes.subarray(start, start + (item.cacheLength as number)),
        codeCacheHash: item.cacheHash,
      });
    }
  } catch {
    return emptyPack();
  }
  return pack;
}

/** Whether a stored code cache's bytes match its hash (checked once; the hash is then dropped). */
function intact(entry: { codeCache: Buffer | undefined; codeCacheHash?: string }): boolean {
  if (entry.codeCacheHash !== undefined) {
    if (entry.codeCache === undefined || hashOf(entry.codeCache) !== entry.codeCacheHash) return false;
    delete entry.codeCacheHash;
  }
  return entry.codeCache !== undefined;
}

/** write(2) until every byte is written (it may write fewer than asked). */
function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
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
      const entries: PackedEntry[] = [];
      // The code is encoded module by module while writing: only its lengths are kept here.
      // ASCII-only code goes first (see the layout above), so its offsets are known at once; the
      // other code's offsets are shifted past it below.
      const ascii: string[] = [];
      const other: Array<{ code: string; packed: PackedEntry }> = [];
      const caches: Buffer[] = [];
      let asciiLength = 0;
      let otherLength = 0;
      let cacheOffset = 0;
      for (const [key, entry] of current) {
        const { code } = entry.record.compiled;
        const codeLength = Buffer.byteLength(code, 'utf8');
        const packed: PackedEntry = {
          key,
          record: { ...entry.record, compiled: { ...entry.record.compiled, code: '' } },
          codeStart: 0,
          codeLength,
        };
        // UTF-8 takes one byte per UTF-16 unit only when every character is ASCII.
        if (codeLength === code.length) {
          packed.codeStart = asciiLength;
          asciiLength += codeLength;
          ascii.push(code);
        } else {
          packed.codeStart = otherLength;
          otherLength += codeLength;
          other.push({ code, packed });
        }
        if (entry.script !== undefined) {
          // Created now rather than right after compiling: by the end of the run V8 has compiled
          // the functions the module actually called, and the cache then covers them too.
          try {
            entry.codeCache = entry.script.createCachedData();
          } catch {
            entry.codeCache = undefined;
          }
          delete entry.script;
        }
        if (entry.codeCache !== undefined) {
          packed.cacheStart = cacheOffset;
          packed.cacheLength = entry.codeCache.length;
          // A stored cache this run did not check keeps its stored hash: damaged bytes must not
          // get a hash of their own and pass the next run's check.
          packed.cacheHash = entry.codeCacheHash ?? hashOf(entry.codeCache);
          caches.push(entry.codeCache);
          cacheOffset += entry.codeCache.length;
        }
        entries.push(packed);
      }
      const codeHash = createHash('sha256');
      for (const code of ascii) codeHash.update(code, 'latin1');
      for (const { code, packed } of other) {
        codeHash.update(code, 'utf8');
        packed.codeStart += asciiLength;
      }
      const functions: PackedFunction[] = [];
      for (const [key, entry] of currentFunctions) {
        if (entry.codeCache === undefined) {
          functions.push({ key });
          continue;
        }
        functions.push({
          key,
          cacheStart: cacheOffset,
          cacheLength: entry.codeCache.length,
          cacheHash: entry.codeCacheHash ?? hashOf(entry.codeCache),
        });
        caches.push(entry.codeCache);
        cacheOffset += entry.codeCache.length;
      }
      const header: PackHeader = {
        asciiLength,
        codeLength: asciiLength + otherLength,
        codeHash: codeHash.digest('base64'),
        entries,
        functions,
      };
      const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
      const prefix = Buffer.alloc(PREFIX_BYTES + HEADER_HASH_BYTES);
      prefix.writeUInt32LE(MAGIC, 0);
      prefix.writeUInt32LE(FORMAT, 4);
      prefix.writeUInt32LE(headerBytes.length, 8);
      digestOf(headerBytes).copy(prefix, PREFIX_BYTES);
      const temp = `${packPath}.${process.pid}.${cryptoModule().randomBytes(4).toString('hex')}.tmp`;
      try {
        mkdirSync(dir, { recursive: true });
        // Piece by piece: the compiled code (megabytes for a large graph) and the code caches are
        // not copied into one more buffer first, which raised a filling run's peak RSS.
        const fd = openSync(temp, 'w');
        try {
          writeAll(fd, prefix);
          writeAll(fd, headerBytes);
          for (const code of ascii) writeAll(fd, Buffer.from(code, 'latin1'));
          for (const { code } of other) writeAll(fd, Buffer.from(code, 'utf8'));
          for (const blob of caches) writeAll(fd, blob);
        } finally {
          closeSync(fd);
        }
        renameSync(temp, packPath);
      } catch {
        try {
          rmSync(temp, { force: true });
        } catch {
          // Nothing more to clean up.
        }
      }
    },
  };
  return cache;
}
