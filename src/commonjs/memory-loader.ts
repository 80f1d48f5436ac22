/**
 * A loader over an in-memory map of URL → text: for tests, for bundles that carry their files,
 * and as the model of a browser loader (whose `read` would be a synchronous XHR and `readAsync`
 * a `fetch`). Ids resolve with ./resolve-ids.ts over the URLs in the map.
 */
import type { CommonJSLoader, Evaluator, ExternalModule } from './loader.js';
import { createIdResolver, directoryOf, normalizeLocation, type ResolveSettings } from './resolve-ids.js';

/** Options of {@link createMemoryLoader}. */
export interface MemoryLoaderOptions extends ResolveSettings {
  /** The directory URL host-level ids resolve against (default `memory:///`). */
  readonly base?: string;
  /** Modules provided ready-made, by URI (they are resolvable by that URI too). */
  readonly externals?: Readonly<Record<string, unknown>>;
  readonly evaluator?: Evaluator;
}

/** A {@link CommonJSLoader} whose files can also be changed after creation. */
export interface MemoryLoader extends CommonJSLoader {
  /** Adds or replaces a file. */
  set(uri: string, text: string): void;
  /** Removes a file. */
  delete(uri: string): void;
  /** How many times `read` was called, per URI (for tests of laziness and prefetching). */
  readonly reads: Map<string, number>;
  /** How many times `readAsync` was called, per URI. */
  readonly asyncReads: Map<string, number>;
}

/**
 * Creates a loader over `files` (absolute URLs such as `memory:///app/main.js` → text).
 *
 * @example
 * const loader = createMemoryLoader({ 'memory:///a.js': 'exports.x = 1' });
 * createCommonJS({ loader }).require('./a').x // 1
 */
export function createMemoryLoader(
  files: Readonly<Record<string, string>>,
  options: MemoryLoaderOptions = {},
): MemoryLoader {
  const texts = new Map<string, string>();
  const dirs = new Map<string, number>();
  const reads = new Map<string, number>();
  const asyncReads = new Map<string, number>();
  const externals = new Map<string, ExternalModule>();
  for (const [uri, value] of Object.entries(options.externals ?? {})) externals.set(uri, { exports: value });
  const base = options.base ?? 'memory:///';

  function addDirs(uri: string, delta: number): void {
    for (let dir = directoryOf(uri); dir.length > 0 && dir.endsWith('/'); dir = directoryOf(dir.slice(0, -1))) {
      const key = dir.slice(0, -1);
      if (key.endsWith(':') || key.endsWith('/')) break;
      const count = (dirs.get(key) ?? 0) + delta;
      if (count <= 0) dirs.delete(key);
      else dirs.set(key, count);
    }
  }
  function set(uri: string, text: string): void {
    const location = normalizeLocation(uri);
    if (!texts.has(location)) addDirs(location, 1);
    texts.set(location, text);
  }
  for (const [uri, text] of Object.entries(files)) set(uri, text);

  const resolver = createIdResolver(
    {
      kind: (location) => (texts.has(location) ? 'file' : dirs.has(location) ? 'dir' : null),
      readText: (location) => texts.get(location) ?? null,
    },
    options,
  );

  function count(counts: Map<string, number>, uri: string): void {
    counts.set(uri, (counts.get(uri) ?? 0) + 1);
  }

  const loader: MemoryLoader = {
    resolve(id, parent, roots) {
      if (externals.has(id)) return id;
      return resolver.resolve(id, parent === null ? base : directoryOf(parent), roots);
    },
    read(uri) {
      count(reads, uri);
      return texts.get(uri) ?? null;
    },
    readAsync(uri) {
      count(asyncReads, uri);
      return new Promise((resolve) => setTimeout(() => resolve(texts.get(uri) ?? null), 0));
    },
    external: (uri) => externals.get(uri),
    set,
    delete(uri) {
      const location = normalizeLocation(uri);
      if (texts.delete(location)) addDirs(location, -1);
    },
    reads,
    asyncReads,
  };
  if (options.evaluator !== undefined) return { ...loader, evaluator: options.evaluator };
  return loader;
}
