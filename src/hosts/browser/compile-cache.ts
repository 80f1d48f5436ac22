/**
 * The browser host's persistent compile cache: the analysed and compiled ModuleSourceRecord of
 * every ES module a page loaded, kept in Cache Storage between page loads, so a second load
 * neither parses nor analyses them again, and fetches every module of the last load's graph at
 * once instead of level by level.
 *
 * Keyed like the Node host's cache (src/hosts/node/compile-cache.ts): an entry's key is SHA-256 of
 * the module's URL and text, so every module is still fetched and an edited one misses and is
 * rebuilt; the cache never decides what a module says. One *pack* per cache name (the host's first
 * import by default), read once, written after each top-level import settles:
 *
 *   Cache Storage "modhost-compile-v<version>", key <base URL>/.modhost-compile-cache/<name>
 *   {"format":1,"sum":<SHA-256 of body>,"body":"[[key, url, record], …]"}
 *
 * A pack whose checksum does not match is ignored whole; an entry whose record lacks a field the
 * records need is ignored alone (both are rebuilt). Where there is no Cache Storage or no
 * `crypto.subtle` (pages that are not a secure context), the host works without a cache.
 */

import { deepFreeze } from '../../source/deep-freeze.js';
import { isModuleSourceRecordShape } from '../../source/record-shape.js';
import type { ModuleSourceRecord } from '../../source/types.js';
import { VERSION } from '../../version.js';

/** The part of the Cache Storage API the cache uses (`globalThis.caches` by default). */
export interface CacheStorageLike {
  open(name: string): Promise<{
    match(key: string): Promise<{ text(): Promise<string> } | undefined>;
    put(key: string, response: unknown): Promise<void>;
  }>;
}

/** Options of the browser host's `compileCache`. */
export interface BrowserCompileCacheOptions {
  /** Which pack: loads with the same name share one (default: the URL of the host's first import). */
  name?: string;
  /** Fetch every module of the last load's graph as soon as the pack is read (default true). */
  prefetch?: boolean;
  /** Where packs live (default: the page's Cache Storage, `globalThis.caches`). */
  storage?: CacheStorageLike;
}

/** What a host's compile cache did (for tests and benchmarks). */
export interface BrowserCompileCacheStats {
  hits: number;
  misses: number;
  /** Entries of the pack read at start-up, after checks. */
  stored: number;
  /** Why there is no cache ('' when there is one). */
  disabled: string;
}

export interface BrowserCompileCache {
  /** Reads the pack (first call only) and returns the module URLs to prefetch (none when told not to). */
  open(entryURL: string): Promise<readonly string[]>;
  /** The stored record for this text at this URL, or undefined. */
  get(url: string, text: string): Promise<ModuleSourceRecord | undefined>;
  /** Keeps a record made this load (written by the next flush). */
  set(url: string, text: string, record: ModuleSourceRecord): Promise<void>;
  /** Writes the pack if this load used or made entries it does not hold. */
  flush(): Promise<void>;
  readonly stats: BrowserCompileCacheStats;
}

const FORMAT = 1;
const CACHE_NAME = `modhost-compile-v${VERSION}`;

interface Subtle {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

function base64(bytes: ArrayBuffer): string {
  let text = '';
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i++) text += String.fromCharCode(view[i]!);
  return btoa(text);
}

interface Entry {
  url: string;
  record: ModuleSourceRecord;
}

/** Creates a browser compile cache (used by `createBrowserHost({ compileCache })`). */
export function createBrowserCompileCache(options: BrowserCompileCacheOptions, baseURL: string): BrowserCompileCache {
  const globals = globalThis as { caches?: CacheStorageLike; crypto?: { subtle?: Subtle } };
  const storage = options.storage ?? globals.caches;
  const subtle = globals.crypto?.subtle;
  const stats: BrowserCompileCacheStats = {
    hits: 0,
    misses: 0,
    stored: 0,
    disabled: storage === undefined ? 'no Cache Storage' : subtle === undefined ? 'no crypto.subtle' : '',
  };
  const encoder = new TextEncoder();
  const sha256 = async (text: string): Promise<string> =>
    base64(await (subtle as Subtle).digest('SHA-256', encoder.encode(text)));

  let packKey: string | undefined;
  let opened: Promise<Map<string, Entry>> | undefined;
  /** Entries this load used or made: what the next pack holds. */
  const current = new Map<string, Entry>();
  let dirty = false;
  /** set() calls still hashing their text: flush() waits for them. */
  const setting = new Set<Promise<void>>();
  const keys = new Map<string, { text: string; key: Promise<string> }>();
  const keyFor = (url: string, text: string): Promise<string> => {
    // get() and set() of one module see the same text: hash it once.
    const known = keys.get(url);
    if (known !== undefined && known.text === text) return known.key;
    const key = sha256(`${url}\u0000${text}`);
    keys.set(url, { text, key });
    return key;
  };

  async function readPack(key: string): Promise<Map<string, Entry>> {
    const entries = new Map<string, Entry>();
    try {
      const cache = await (storage as CacheStorageLike).open(CACHE_NAME);
      const response = await cache.match(key);
      if (response === undefined) return entries;
      const outer = JSON.parse(await response.text()) as { format?: unknown; sum?: unknown; body?: unknown };
      if (outer?.format !== FORMAT || typeof outer.body !== 'string' || typeof outer.sum !== 'string') return entries;
      if ((await sha256(outer.body)) !== outer.sum) return entries;
      const items = JSON.parse(outer.body) as unknown;
      if (!Array.isArray(items)) return entries;
      for (const item of items) {
        if (!Array.isArray(item) || item.length !== 3) continue;
        const [entryKey, url, record] = item as [unknown, unknown, unknown];
        if (typeof entryKey !== 'string' || typeof url !== 'string' || !isModuleSourceRecordShape(record)) continue;
        entries.set(entryKey, { url, record: deepFreeze(record) });
      }
    } catch {
      // Unreadable or not JSON: as if there were no pack (it is rewritten by the next flush).
      entries.clear();
    }
    stats.stored = entries.size;
    return entries;
  }

  const cache: BrowserCompileCache = {
    stats,
    async open(entryURL) {
      if (stats.disabled !== '') return [];
      if (opened === undefined) {
        const name = options.name ?? entryURL;
        packKey = new URL(`.modhost-compile-cache/${encodeURIComponent(name)}`, baseURL).href;
        opened = readPack(packKey);
      }
      const stored = await opened;
      if (options.prefetch === false) return [];
      const urls = new Set<string>();
      for (const entry of stored.values()) if (entry.url !== entryURL) urls.add(entry.url);
      return [...urls];
    },
    async get(url, text) {
      if (stats.disabled !== '' || opened === undefined) return undefined;
      let stored: Map<string, Entry>;
      let key: string;
      try {
        [stored, key] = await Promise.all([opened, keyFor(url, text)]);
      } catch {
        // The digest failed (a browser that refuses it now): the module is compiled as usual.
        stats.misses++;
        return undefined;
      }
      const entry = stored.get(key);
      if (entry === undefined || entry.url !== url) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      if (!current.has(key)) current.set(key, entry);
      return entry.record;
    },
    set(url, text, record) {
      if (stats.disabled !== '' || opened === undefined) return Promise.resolve();
      const pending = keyFor(url, text).then(
        (key) => {
          current.set(key, { url, record });
          dirty = true;
          setting.delete(pending);
        },
        () => {
          // Not hashed, not kept (no unhandled rejection: callers do not wait for set()).
          setting.delete(pending);
        },
      );
      setting.add(pending);
      return pending;
    },
    async flush() {
      if (stats.disabled !== '' || opened === undefined || packKey === undefined) return;
      await Promise.all(setting);
      const stored = await opened;
      // Also rewrite when this load used fewer entries than the pack holds (drops stale ones).
      if (!dirty && current.size === stored.size) return;
      dirty = false;
      const body = JSON.stringify([...current].map(([key, entry]) => [key, entry.url, entry.record]));
      try {
        const sum = await sha256(body);
        const store = await (storage as CacheStorageLike).open(CACHE_NAME);
        const Response = (globalThis as { Response?: new (body: string, init?: object) => unknown }).Response;
        const text = JSON.stringify({ format: FORMAT, sum, body });
        await store.put(packKey, Response === undefined ? { text: async () => text } : new Response(text));
        opened = Promise.resolve(new Map(current));
      } catch {
        // Storage full or refused (private mode): the next load parses again.
      }
    },
  };
  return cache;
}
