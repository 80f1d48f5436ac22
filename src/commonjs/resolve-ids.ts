/**
 * CommonJS id resolution over an abstract file tree whose locations are `/`-separated strings:
 * POSIX paths (`/a/b.js`) or URLs (`mem:///a/b.js`, `https://host/a/b.js`). Used by the
 * in-memory loader, and by the Node loader until the shared Node resolver
 * (src/hosts/node/resolve.ts) is wired in.
 *
 * The algorithm is Node's `require.resolve` reduced to what CommonJS needs:
 * - `./x`, `../x`, `.`, `..`: against the requiring module's directory;
 * - `/x` (and absolute URLs): as is;
 * - any other (top-level) id: against each of `roots`, then in `node_modules` folders from the
 *   requiring directory upward - never against the requiring directory itself;
 * - a candidate path is tried as a file, then with each extension, then as a directory
 *   (package.json `main`, then `index` + extension);
 * - a package with an `exports` field is entered only through it (strings, subpath keys,
 *   one-`*` patterns, arrays, and condition objects matched against `conditions`).
 */
import { createError } from '../errors/codes.js';

/** The file tree the resolver probes. */
export interface ResolveTree {
  /** `'file'`, `'dir'`, or `null` when nothing is at `location`. */
  kind(location: string): 'file' | 'dir' | null;
  /** The text of the file at `location`, or `null`. Used for package.json only. */
  readText(location: string): string | null;
}

/** Resolution settings. */
export interface ResolveSettings {
  /** Extensions tried after the exact name, in order (default `.js`, `.json`). */
  readonly extensions?: readonly string[];
  /** Conditions matched in package `exports` (default `require`, `node`, `default`). */
  readonly conditions?: readonly string[];
}

interface PackageJson {
  readonly main?: unknown;
  readonly exports?: unknown;
}

const DEFAULT_EXTENSIONS = ['.js', '.json'] as const;
const DEFAULT_CONDITIONS = ['require', 'node', 'default'] as const;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** The part of a location that `..` cannot climb above: `scheme://authority` or `scheme:`, or `''` for a path. */
function rootPrefix(location: string): string {
  const scheme = SCHEME.exec(location);
  if (scheme === null) return '';
  const rest = location.slice(scheme[0].length);
  if (!rest.startsWith('//')) return scheme[0];
  const slash = rest.indexOf('/', 2);
  return scheme[0] + (slash === -1 ? rest : rest.slice(0, slash));
}

/** Removes `.` and `..` segments (and empty ones) from `location`; keeps a trailing `/`. */
export function normalizeLocation(location: string): string {
  const prefix = rootPrefix(location);
  const path = location.slice(prefix.length);
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const trailing = path.endsWith('/') || path.endsWith('/.') || path.endsWith('/..') || path === '.' || path === '..';
  return `${prefix}/${out.join('/')}${trailing && out.length > 0 ? '/' : ''}`;
}

/** The directory (ending in `/`) that holds `location`. */
export function directoryOf(location: string): string {
  return location.slice(0, location.lastIndexOf('/') + 1);
}

/** A resolver bound to a tree; package.json files are read once each. */
export interface IdResolver {
  /**
   * Resolves `id` from the directory `fromDir` (ending in `/`).
   * @returns the location of the module, or `null` when none exists.
   */
  resolve(id: string, fromDir: string, roots: readonly string[]): string | null;
}

/** Creates an {@link IdResolver} over `tree`. */
export function createIdResolver(tree: ResolveTree, settings: ResolveSettings = {}): IdResolver {
  const extensions = settings.extensions ?? DEFAULT_EXTENSIONS;
  const conditions = settings.conditions ?? DEFAULT_CONDITIONS;
  const packages = new Map<string, PackageJson | null>();

  function readPackage(dir: string): PackageJson | null {
    let pkg = packages.get(dir);
    if (pkg !== undefined) return pkg;
    const text = tree.kind(`${dir}package.json`) === 'file' ? tree.readText(`${dir}package.json`) : null;
    pkg = null;
    if (text !== null) {
      try {
        const parsed: unknown = JSON.parse(text);
        pkg = typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : {};
      } catch (error) {
        throw createError(
          'ERR_INVALID_PACKAGE_CONFIG',
          `Invalid package config ${dir}package.json: ${(error as Error).message}`,
          {
            url: `${dir}package.json`,
            cause: error,
          },
        );
      }
    }
    packages.set(dir, pkg);
    return pkg;
  }

  function asFile(location: string): string | null {
    if (tree.kind(location) === 'file') return location;
    for (const extension of extensions) {
      if (tree.kind(location + extension) === 'file') return location + extension;
    }
    return null;
  }

  function asIndex(dir: string): string | null {
    for (const extension of extensions) {
      if (tree.kind(`${dir}index${extension}`) === 'file') return `${dir}index${extension}`;
    }
    return null;
  }

  function asDirectory(location: string): string | null {
    const dir = location.endsWith('/') ? location : `${location}/`;
    if (tree.kind(dir.slice(0, -1)) !== 'dir') return null;
    const pkg = readPackage(dir);
    if (pkg !== null && typeof pkg.main === 'string' && pkg.main !== '') {
      const main = normalizeLocation(dir + pkg.main);
      const found = asFile(main) ?? asIndex(main.endsWith('/') ? main : `${main}/`);
      if (found !== null) return found;
    }
    return asIndex(dir);
  }

  function asFileOrDirectory(location: string, directoryOnly: boolean): string | null {
    if (!directoryOnly) {
      const file = asFile(location);
      if (file !== null) return file;
    }
    return asDirectory(location);
  }

  function fromNodeModules(id: string, fromDir: string): string | null {
    const slash = id.startsWith('@') ? id.indexOf('/', id.indexOf('/') + 1) : id.indexOf('/');
    const name = slash === -1 ? id : id.slice(0, slash);
    const subpath = slash === -1 ? '.' : `.${id.slice(slash)}`;
    const prefix = rootPrefix(fromDir);
    let dir = fromDir;
    while (true) {
      if (!dir.endsWith('/node_modules/')) {
        const packageDir = `${dir}node_modules/${name}/`;
        if (tree.kind(packageDir.slice(0, -1)) === 'dir') {
          const pkg = readPackage(packageDir);
          if (pkg !== null && pkg.exports !== undefined && pkg.exports !== null) {
            return fromExports(packageDir, pkg.exports, subpath, id);
          }
          const found = asFileOrDirectory(normalizeLocation(`${dir}node_modules/${id}`), id.endsWith('/'));
          if (found !== null) return found;
        }
      }
      if (dir.length <= prefix.length + 1) return null;
      dir = directoryOf(dir.slice(0, -1));
    }
  }

  function fromExports(packageDir: string, exportsField: unknown, subpath: string, id: string): string | null {
    let map = exportsField;
    if (
      typeof map === 'string' ||
      Array.isArray(map) ||
      (typeof map === 'object' && map !== null && !Object.keys(map).some((k) => k.startsWith('.')))
    ) {
      map = { '.': map };
    }
    const entries = map as Record<string, unknown>;
    let target: string | null | undefined;
    if (Object.hasOwn(entries, subpath) && !subpath.includes('*')) {
      target = exportTarget(packageDir, entries[subpath], '');
    } else {
      // Pattern keys with one `*`: the longest prefix before the `*` wins, then the longest key.
      let best: string | null = null;
      for (const key of Object.keys(entries)) {
        const star = key.indexOf('*');
        if (star === -1 || key.indexOf('*', star + 1) !== -1) continue;
        const before = key.slice(0, star);
        const after = key.slice(star + 1);
        if (subpath.length < key.length || !subpath.startsWith(before) || !subpath.endsWith(after)) continue;
        const bestStar = best === null ? -1 : best.indexOf('*');
        if (best === null || star > bestStar || (star === bestStar && key.length > best.length)) best = key;
      }
      if (best !== null) {
        const star = best.indexOf('*');
        target = exportTarget(
          packageDir,
          entries[best],
          subpath.slice(star, subpath.length - (best.length - star - 1)),
        );
      }
    }
    if (target === undefined || target === null) {
      throw createError(
        'ERR_PACKAGE_PATH_NOT_EXPORTED',
        `Package subpath '${subpath}' is not defined by "exports" in ${packageDir}package.json (required as '${id}')`,
        { specifier: id, url: `${packageDir}package.json` },
      );
    }
    return tree.kind(target) === 'file' ? target : null;
  }

  /** A target: a `./` string (with `*` replaced), the first usable array element, or the first matching condition. */
  function exportTarget(packageDir: string, target: unknown, star: string): string | null | undefined {
    if (typeof target === 'string') {
      if (!target.startsWith('./')) return undefined;
      return normalizeLocation(packageDir + target.replaceAll('*', star));
    }
    if (Array.isArray(target)) {
      for (const item of target) {
        const found = exportTarget(packageDir, item, star);
        if (found !== undefined && found !== null) return found;
      }
      return undefined;
    }
    if (typeof target === 'object' && target !== null) {
      for (const key of Object.keys(target)) {
        if (key === 'default' || conditions.includes(key)) {
          const found = exportTarget(packageDir, (target as Record<string, unknown>)[key], star);
          if (found !== undefined) return found;
        }
      }
      return undefined;
    }
    return target === null ? null : undefined;
  }

  return {
    resolve(id, fromDir, roots) {
      if (id === '.' || id === '..' || id.startsWith('./') || id.startsWith('../')) {
        const location = normalizeLocation(fromDir + id);
        return asFileOrDirectory(location, id.endsWith('/') || id === '.' || id === '..');
      }
      if (id.startsWith('/')) {
        return asFileOrDirectory(normalizeLocation(rootPrefix(fromDir) + id), id.endsWith('/'));
      }
      if (SCHEME.test(id) && rootPrefix(id) !== '') {
        return asFileOrDirectory(normalizeLocation(id), id.endsWith('/'));
      }
      for (const root of roots) {
        const base = root.endsWith('/') ? root : `${root}/`;
        const found = asFileOrDirectory(normalizeLocation(base + id), id.endsWith('/'));
        if (found !== null) return found;
      }
      return fromNodeModules(id, fromDir);
    },
  };
}
