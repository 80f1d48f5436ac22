/**
 * V8's code cache for modhost's own bundled code (the CLI, meriyah, cjs-module-lexer), kept
 * between runs so that a run does not compile the parser and the host again: V8 compiles each
 * function lazily, on first call, and in a cold process that was 6–11% of a first run's CPU time
 * on the cold-start benchmark (docs/PERFORMANCE.md). It is to modhost what Node's built-in
 * snapshot is to Node's own JavaScript. It holds no user code (that is the compile cache's job).
 *
 * One file per modhost version, Node version and architecture:
 *
 *   <cache dir>/cli/<version>-<node version>-<arch>-<checksum of the bundle's path>.v8cache
 *   "MHCC" | u32 format | u32 bundle size | f64 bundle mtime (ms) | u32 checksum | u32 length |
 *   f64 run time of the process that made it (ms) | V8 code cache
 *
 * The cache holds the functions the run that made it had compiled. A later run that lasts more
 * than twice as long (so it has likely compiled more, and the cost of asking V8 is small beside it)
 * replaces it when V8's new cache is larger: a cache made by a small first program does not stay
 * small for ever.
 * The bundle's size and mtime tie the cache to one build (V8's own check only compares the source
 * length). Release builds of V8 do not checksum a code cache, so the file carries a checksum of
 * its own: a damaged, truncated or foreign file is ignored (and replaced after the next run),
 * never handed to V8. Writes go to a temporary file renamed over the old one.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What ties a code cache to one build of the bundle. */
export interface BundleIdentity {
  readonly size: number;
  readonly mtimeMs: number;
}

const MAGIC = 0x4343484d; // "MHCC" read as a little-endian u32
const FORMAT = 2;
const HEADER_BYTES = 36;

/** A code cache read back, with how long the run that made it had lasted. */
export interface StoredCodeCache {
  readonly data: Buffer;
  readonly madeAfterMs: number;
}

/**
 * The cache file for the bundle at `bundlePath` (modhost `version`) on this Node, under
 * `cacheRoot`. The path is part of the name, so two installations (a global and a project's)
 * keep a cache each instead of replacing each other's on every run.
 */
export function ownCodeCacheFile(cacheRoot: string, version: string, bundlePath: string): string {
  const where = checksum(new TextEncoder().encode(bundlePath)).toString(16).padStart(8, '0');
  return join(cacheRoot, 'cli', `${version}-${process.version}-${process.arch}-${where}.v8cache`);
}

/**
 * A 32-bit checksum of `bytes` (multiplicative hashing of 32-bit words, then the tail bytes): it
 * detects damage, it is not a defence against someone who can write the cache (who could as well
 * replace modhost).
 */
export function checksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5 ^ bytes.length;
  const words = bytes.length >>> 2;
  // An aligned view when possible (buffers read from files are); otherwise byte by byte.
  if (bytes.byteOffset % 4 === 0) {
    const view = new Int32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i++) h = Math.imul(h ^ view[i]!, 0x9e3779b1) ^ (h >>> 15);
  } else {
    for (let i = 0; i < words; i++) {
      const at = i << 2;
      const word = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
      h = Math.imul(h ^ word, 0x9e3779b1) ^ (h >>> 15);
    }
  }
  for (let i = words << 2; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x9e3779b1) ^ (h >>> 15);
  return h >>> 0;
}

/** The code cache stored for this bundle, or undefined (none, another build, damaged). */
export function readOwnCodeCache(file: string, bundle: BundleIdentity): StoredCodeCache | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length < HEADER_BYTES) return undefined;
  if (bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== FORMAT) return undefined;
  if (bytes.readUInt32LE(8) !== bundle.size || bytes.readDoubleLE(12) !== bundle.mtimeMs) return undefined;
  const length = bytes.readUInt32LE(24);
  if (length !== bytes.length - HEADER_BYTES || length === 0) return undefined;
  const payload = bytes.subarray(HEADER_BYTES);
  if (checksum(payload) !== bytes.readUInt32LE(20)) return undefined;
  return { data: payload, madeAfterMs: bytes.readDoubleLE(28) };
}

/**
 * Whether a run that has lasted `ranMs` should ask V8 for a new cache to replace one made after
 * `madeAfterMs` (see the file comment).
 */
export function worthRefreshing(ranMs: number, madeAfterMs: number): boolean {
  return ranMs > 2 * madeAfterMs;
}

/** Stores `data` for this bundle; a cache that cannot be written is simply not kept. */
export function writeOwnCodeCache(file: string, bundle: BundleIdentity, data: Buffer, madeAfterMs: number): void {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(FORMAT, 4);
  header.writeUInt32LE(bundle.size, 8);
  header.writeDoubleLE(bundle.mtimeMs, 12);
  header.writeUInt32LE(checksum(data), 20);
  header.writeUInt32LE(data.length, 24);
  header.writeDoubleLE(madeAfterMs, 28);
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, Buffer.concat([header, data]));
    renameSync(temp, file);
  } catch {
    // A read-only or full disk: the next run compiles lazily, as without the cache.
    rmSync(temp, { force: true });
  }
}
