/**
 * The file format of the Node compile cache (./compile-cache.ts): a *pack* holds the entries of
 * the modules one run loaded.
 *
 *   "MHPK" | u32 format | u32 header length | SHA-256 of the header | header JSON | compiled code |
 *   code caches
 *
 * The header holds each record without its compiled code: the code of every entry follows it,
 * one region with one SHA-256 (damaged code must not run; the header's own hash covers the
 * records and the offsets into that region). The region starts with the code that is pure ASCII,
 * which a run decodes as one Latin-1 string and hands to each module as a slice of it: Node keeps a
 * large Latin-1 string outside V8's heap, and a slice is a small object, so a warm run neither
 * copies the code through the young generation nor decodes it module by module (inside the JSON
 * header, a single non-ASCII character anywhere made V8 hold megabytes of code as a two-byte
 * string). The rest, UTF-8, is decoded per module. Each code cache carries its own SHA-256,
 * checked when it is used: release builds of V8 do not checksum code caches. CommonJS wrappers'
 * code caches are in the header's `functions` list, their bytes among the code caches.
 *
 * A pack that cannot be read, has the wrong shape or fails a hash is ignored (and rewritten by the
 * next flush); a pack is written to a temporary file renamed over the old one.
 */
import type * as Crypto from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type vm from 'node:vm';
import type { ModuleSourceRecord } from '../../source/types.js';
import { nodeBuiltin } from './lazy-builtin.js';

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
export interface FunctionEntry {
  codeCache: Buffer | undefined;
  codeCacheHash?: string;
}

/** What a pack holds. */
export interface Pack {
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

export interface Entry {
  record: ModuleSourceRecord;
  /** A stored entry's compiled code, still in the pack: decoded by the first get(). */
  codeIn?: { readonly pack: PackCode; readonly start: number; readonly end: number };
  codeCache: Buffer | undefined;
  /** Expected SHA-256 of `codeCache`, checked once before V8 sees the bytes. */
  codeCacheHash?: string;
  /** A script compiled this run without an accepted code cache: flush() asks it for one. */
  script?: vm.Script;
  /** Made by this run's set(): its code cache waits for the next run (see ./compile-cache.ts). */
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

export function createHash(algorithm: string): Crypto.Hash {
  return cryptoModule().createHash(algorithm);
}

export function hashOf(bytes: Buffer): string {
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
export function wellFormed(text: string): boolean {
  // (String.prototype.isWellFormed: ES2024, in every Node modhost supports)
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** SHA-256 (base64) of `text` as UTF-8. */
export function hashOfText(text: string): string {
  const { hash } = cryptoModule();
  return hash === undefined
    ? createHash('sha256').update(text, 'utf8').digest('base64')
    : hash('sha256', text, 'base64');
}

/** A pack's code region: `start` to `end` of `bytes`; the ASCII part decoded on first use. */
export interface PackCode {
  readonly bytes: Buffer;
  readonly start: number;
  readonly asciiEnd: number;
  ascii?: string;
}

/** The compiled code at `start`..`end` of the code region. */
export function codeAt(pack: PackCode, start: number, end: number): string {
  if (end > pack.asciiEnd - pack.start) return pack.bytes.toString('utf8', pack.start + start, pack.start + end);
  pack.ascii ??= pack.bytes.toString('latin1', pack.start, pack.asciiEnd);
  return pack.ascii.slice(start, end);
}

function emptyPack(): Pack {
  return { entries: new Map(), functions: new Map() };
}

/** Reads a pack; any defect makes the whole pack unusable (it is then rewritten). */
export function readPack(path: string): Pack {
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
export function intact(entry: { codeCache: Buffer | undefined; codeCacheHash?: string }): boolean {
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
 * Writes the pack at `path` with `current`'s entries and `functions`' wrappers (best effort: a
 * failed write leaves the old pack). Makes the code caches of entries compiled this run.
 */
export function writePack(
  path: string,
  current: Map<string, Entry>,
  currentFunctions: Map<string, FunctionEntry>,
): void {
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
  const temp = `${path}.${process.pid}.${cryptoModule().randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
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
    renameSync(temp, path);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing more to clean up.
    }
  }
}
