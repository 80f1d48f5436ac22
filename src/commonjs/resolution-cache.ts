/**
 * The runtime's resolution cache: (requiring directory, id) → the loader's answer, interned per
 * URI, with the names module code sees derived once. Misses are not cached: the file may appear
 * later.
 */
import type { CommonJSLoader, ExternalModule } from './loader.js';

/** What a resolution produced, interned per URI. */
export interface Resolved {
  readonly uri: string;
  readonly filename: string;
  readonly dirname: string;
  /** The URI's directory (up to its last `/`): the resolution cache key for modules in it. */
  readonly dirKey: string;
  readonly json: boolean;
  /** `undefined` until asked; `null` when the loader does not provide this URI itself. */
  external: ExternalModule | null | undefined;
}

export interface ResolutionCache {
  /**
   * Resolves `id` for a module whose URI is `parentUri` in directory `dirKey` (both `null` for
   * the host), or `null` when the loader finds nothing. Loader errors (invalid ids, package
   * errors) propagate.
   */
  resolveFor(id: string, dirKey: string | null, parentUri: string | null): Resolved | null;
}

const HOST_KEY = '\u0000host';

function isJsonUri(uri: string): boolean {
  let end = uri.length;
  const q = uri.indexOf('?');
  if (q !== -1) end = q;
  const h = uri.indexOf('#');
  if (h !== -1 && h < end) end = h;
  return uri.endsWith('.json', end);
}

function dirnameOf(filename: string): string {
  const slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
  return slash <= 0 ? filename.slice(0, slash + 1) || '.' : filename.slice(0, slash);
}

/** Creates the resolution cache of a runtime over `loader`, searching `roots` for top-level ids. */
export function createResolutionCache(loader: CommonJSLoader, roots: readonly string[]): ResolutionCache {
  const filenameOf = loader.filename?.bind(loader) ?? ((uri: string) => uri);
  const loaderDirname = loader.dirname?.bind(loader) ?? dirnameOf;
  /** (directory key + NUL + id) → resolution. NUL cannot occur in a URI, so keys cannot collide. */
  const resolutions = new Map<string, Resolved>();
  /** URI → interned resolution. */
  const byUri = new Map<string, Resolved>();

  function intern(uri: string): Resolved {
    let resolved = byUri.get(uri);
    if (resolved === undefined) {
      const filename = filenameOf(uri);
      resolved = {
        uri,
        filename,
        dirname: loaderDirname(filename),
        dirKey: uri.slice(0, uri.lastIndexOf('/') + 1),
        json: isJsonUri(uri),
        external: undefined,
      };
      byUri.set(uri, resolved);
    }
    return resolved;
  }

  return {
    resolveFor(id, dirKey, parentUri) {
      const key = `${dirKey ?? HOST_KEY}\u0000${id}`;
      const hit = resolutions.get(key);
      if (hit !== undefined) return hit;
      const uri = loader.resolve(id, parentUri, roots);
      if (uri === null || uri === undefined) return null; // misses are not cached: the file may appear later
      const resolved = intern(uri);
      resolutions.set(key, resolved);
      return resolved;
    },
  };
}
