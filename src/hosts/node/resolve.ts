/**
 * Node's module resolution, for the Node host.
 *
 * `import` follows the "Resolution Algorithm Specification" of Node's doc/api/esm.md (ESM_RESOLVE,
 * PACKAGE_RESOLVE, PACKAGE_SELF_RESOLVE, PACKAGE_EXPORTS_RESOLVE, PACKAGE_IMPORTS_RESOLVE,
 * PACKAGE_IMPORTS_EXPORTS_RESOLVE, PATTERN_KEY_COMPARE, PACKAGE_TARGET_RESOLVE, ESM_FILE_FORMAT);
 * the methods below carry those names in camelCase. `require` follows the require.resolve
 * algorithm of doc/api/modules.md (LOAD_AS_FILE, LOAD_AS_DIRECTORY, LOAD_NODE_MODULES,
 * LOAD_PACKAGE_EXPORTS, LOAD_PACKAGE_SELF, LOAD_PACKAGE_IMPORTS).
 *
 * Where Node's implementation and its prose disagree, we do what Node does (Node is the oracle
 * our tests compare against); each such place is marked `DEVIATION(<operation> <step>)` with
 * the reason.
 *
 * Every resolver keeps its own caches (stat results, real paths, package.json files, resolved
 * specifiers); nothing is shared between resolvers, so a host can drop its view of the disk with
 * {@link Resolver.clearCache} at any time.
 */
import { closeSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, posix, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createError, type ErrorCode, type ErrorContext } from '../../errors/codes.js';
import { isBareBuiltin, isBuiltinSpecifier } from './builtins.js';
import {
  createPackageJsonCache,
  displayPath,
  type PackageConfig,
  type PackageJsonCache,
  type PackageJsonReadContext,
  parsePackageName,
} from './package-json.js';

/** What a resolved module is, as ESM_FILE_FORMAT (or the `node:`/`data:` scheme) says. */
export type ModuleFormat = 'module' | 'commonjs' | 'json' | 'wasm' | 'builtin' | undefined;

/**
 * The result of resolving an `import` specifier. `format` is `undefined` when resolution alone
 * cannot tell: a `.js` or extension-less file with no package "type" (Node then looks at the
 * source: module syntax means "module", otherwise "commonjs"), an unknown extension, or a URL
 * scheme other than file:, node: and data:.
 */
export interface ResolvedModule {
  readonly url: string;
  readonly format: ModuleFormat;
}

/** Conditions `import` matches by default. "default" always matches whether listed or not. */
export const DEFAULT_IMPORT_CONDITIONS: readonly string[] = Object.freeze(['modhost', 'import', 'node', 'default']);

/** Conditions `require` matches by default. */
export const DEFAULT_REQUIRE_CONDITIONS: readonly string[] = Object.freeze(['require', 'node', 'default']);

/** Extensions LOAD_AS_FILE tries, in order (Node's `Module._extensions` keys). */
export const DEFAULT_REQUIRE_EXTENSIONS: readonly string[] = Object.freeze(['.js', '.json', '.node']);

/** Options of {@link createResolver}. */
export interface ResolverOptions {
  /** Conditions for `import` ({@link DEFAULT_IMPORT_CONDITIONS} when omitted). */
  readonly conditions?: readonly string[];
  /** Conditions for `require` ({@link DEFAULT_REQUIRE_CONDITIONS} when omitted). */
  readonly requireConditions?: readonly string[];
  /** Extensions `require` tries ({@link DEFAULT_REQUIRE_EXTENSIONS} when omitted). */
  readonly extensions?: readonly string[];
  /**
   * Folders searched first for top-level (non-relative) `require` ids, before node_modules.
   * Relative ids never look here, and top-level ids never look in the requiring module's folder.
   */
  readonly roots?: readonly string[];
  /** Keep symlinked paths instead of resolving them to real paths (Node's --preserve-symlinks). */
  readonly preserveSymlinks?: boolean;
  /** A package.json reader to share (a fresh one when omitted). */
  readonly packageJsonCache?: PackageJsonCache;
}

/** Per-call options of {@link Resolver.resolve}. */
export interface ResolveOptions {
  /** Conditions for this call (the resolver's when omitted). */
  readonly conditions?: readonly string[];
}

/** Per-call options of {@link Resolver.resolveRequire}. */
export interface RequireResolveOptions {
  /** Conditions for this call (the resolver's require conditions when omitted). */
  readonly conditions?: readonly string[];
  /** Root folders for top-level ids (the resolver's when omitted). */
  readonly roots?: readonly string[];
  /** Alias of `roots`, as in `require.resolve(id, { paths })` (roots taken as they are). */
  readonly paths?: readonly string[];
  /** The chain of requiring modules for the MODULE_NOT_FOUND message (`[parentPath]` by default). */
  readonly requireStack?: readonly string[];
}

/** A module resolver with its own caches. */
export interface Resolver {
  /**
   * ESM_RESOLVE: resolves an `import` specifier written in the module at `parentURL`.
   * @throws ERR_MODULE_NOT_FOUND, ERR_UNSUPPORTED_DIR_IMPORT, ERR_INVALID_MODULE_SPECIFIER,
   *   ERR_PACKAGE_PATH_NOT_EXPORTED, ERR_PACKAGE_IMPORT_NOT_DEFINED, ERR_INVALID_PACKAGE_TARGET,
   *   ERR_INVALID_PACKAGE_CONFIG
   */
  resolve(specifier: string, parentURL: string, options?: ResolveOptions): ResolvedModule;
  /**
   * require.resolve: the absolute path of the file `require(id)` loads from the module at
   * `parentPath`, or the id itself for a built-in (`fs`, `node:fs`).
   * @throws MODULE_NOT_FOUND, or the package errors of {@link resolve}
   */
  resolveRequire(id: string, parentPath: string, options?: RequireResolveOptions): string;
  /** Forgets every cached stat, real path, package.json and resolution. */
  clearCache(): void;
  /** The package.json reader this resolver uses. */
  readonly packageJson: PackageJsonCache;
}

/** The specifier and importer an error should name, whatever step it comes from. */
interface Request {
  readonly specifier: string;
  readonly referrer: string;
}

interface Conditions {
  readonly set: ReadonlySet<string>;
  readonly key: string;
}

const FILE = 0;
const DIRECTORY = 1;
/** Added to FILE or DIRECTORY when the path itself is a symlink. */
const LINKED = 2;
const NOTHING = -1;

/** Main-field probes of Node's legacy main resolution, in order (the last three ignore "main"). */
const LEGACY_MAIN_SUFFIXES = ['', '.js', '.json', '.node', '/index.js', '/index.json', '/index.node'] as const;
const LEGACY_INDEX_EXTENSIONS = ['.js', '.json', '.node'] as const;

const ENCODED_SEPARATOR = /%2f|%5c/i;
const PERCENT_ESCAPE = /%([0-9a-fA-F]{2})/g;
const STAR = /\*/g;

function makeConditions(list: readonly string[]): Conditions {
  return { set: new Set(list), key: list.join('\0') };
}

/** "./x", "../x", "." and ".." — Node also takes the bare dots as relative. */
function isRelativeSpecifier(specifier: string): boolean {
  if (specifier.charCodeAt(0) !== 0x2e /* . */) return false;
  if (specifier.length === 1 || specifier.charCodeAt(1) === 0x2f /* / */) return true;
  return specifier.charCodeAt(1) === 0x2e && (specifier.length === 2 || specifier.charCodeAt(2) === 0x2f);
}

function isRelativeOrAbsolute(specifier: string): boolean {
  return specifier.charCodeAt(0) === 0x2f || isRelativeSpecifier(specifier);
}

function tryParseURL(input: string, base?: URL): URL | undefined {
  try {
    return new URL(input, base);
  } catch {
    return undefined;
  }
}

function hasOwn(object: unknown, key: string): boolean {
  return Object.hasOwn(object as object, key);
}

/** Own keys in property order, as Node reads them; primitives have their wrapper's keys. */
function ownKeys(value: unknown): string[] {
  return value === null || value === undefined ? [] : Object.getOwnPropertyNames(Object(value));
}

/**
 * Per exports/imports object (the parsed package.json is cached, so the object lives as long as
 * the cache entry): the keys with exactly one "*", in property order. Big export maps (date-fns
 * has 740 keys) would otherwise be scanned on every resolution.
 */
const patternKeyCache = new WeakMap<object, readonly string[]>();

function patternKeys(matchObj: unknown): readonly string[] {
  if (typeof matchObj !== 'object' || matchObj === null) return ownKeys(matchObj).filter(isPatternKey);
  let keys = patternKeyCache.get(matchObj);
  if (keys === undefined) {
    keys = Object.getOwnPropertyNames(matchObj).filter(isPatternKey);
    patternKeyCache.set(matchObj, keys);
  }
  return keys;
}

function isPatternKey(key: string): boolean {
  const star = key.indexOf('*');
  return star !== -1 && star === key.lastIndexOf('*');
}

/** Whether an exports object holds subpath keys ("." first), condition keys, or both (invalid). */
type ExportsShape = 'subpaths' | 'conditions' | 'mixed';

const exportsShapeCache = new WeakMap<object, ExportsShape>();

function exportsShape(exports: object): ExportsShape {
  let shape = exportsShapeCache.get(exports);
  if (shape === undefined) {
    const keys = Object.getOwnPropertyNames(exports);
    // An empty object counts as subpaths (no "." key, so nothing is exported).
    shape = 'subpaths';
    keys.forEach((key, index) => {
      const kind: ExportsShape = key === '' || key[0] !== '.' ? 'conditions' : 'subpaths';
      if (index === 0) shape = kind;
      else if (shape !== kind) shape = 'mixed';
    });
    exportsShapeCache.set(exports, shape);
  }
  return shape;
}

/** ECMA-262 6.1.7 array index: a canonical numeric string below 2^32 - 1. */
function isArrayIndex(key: string): boolean {
  const number = Number(key);
  return String(number >>> 0) === key && number >>> 0 !== 0xffffffff;
}

/**
 * PACKAGE_TARGET_RESOLVE's segment rule: a "." or ".." or "node_modules" segment (any case, any
 * percent-encoding of its characters), split on "/" and "\\".
 * DEVIATION(PACKAGE_TARGET_RESOLVE 1.ii): empty segments pass, because Node only warns about them
 * (DEP0166) where the prose says to throw.
 */
function hasInvalidSegment(path: string): boolean {
  for (const raw of path.split(/[\\/]/)) {
    if (raw === '') continue;
    const segment = raw.includes('%')
      ? raw.replace(PERCENT_ESCAPE, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      : raw;
    const lower = segment.toLowerCase();
    if (lower === '.' || lower === '..' || lower === 'node_modules') return true;
  }
  return false;
}

/** The extension of a URL's last path segment ("" for none, and for dot-files such as ".mjs"). */
function urlExtension(pathname: string): string {
  for (let i = pathname.length - 1; i > 0; i--) {
    const code = pathname.charCodeAt(i);
    if (code === 0x2f) return '';
    if (code === 0x2e) return pathname.charCodeAt(i - 1) === 0x2f ? '' : pathname.slice(i);
  }
  return '';
}

/** Module format of a data: URL from its MIME type. */
function dataURLFormat(url: URL): ModuleFormat {
  const body = url.pathname;
  const comma = body.indexOf(',');
  const mime = (comma === -1 ? body : body.slice(0, comma)).split(';')[0]!.trim().toLowerCase();
  if (mime === 'text/javascript' || mime === 'application/javascript') return 'module';
  if (mime === 'application/json') return 'json';
  if (mime === 'application/wasm') return 'wasm';
  return undefined;
}

/** Folder of a package.json URL as Node prints it: with a trailing separator. */
function packageFolder(pjsonURL: URL): string {
  return fileURLToPath(new URL('.', pjsonURL));
}

/**
 * Splits a `require` id into a package name and the rest, as LOAD_PACKAGE_EXPORTS does: an
 * optional `@scope/`, then a name that does not start with "." and holds no "\\" or "%", then
 * nothing or "/…". When the scoped reading fails, the unscoped one is tried (so "@s/.x" is the
 * package "@s" with "/.x").
 */
function splitExportsRequest(request: string): { name: string; expansion: string } | undefined {
  if (request.startsWith('@')) {
    const slash = request.indexOf('/');
    if (slash > 1 && !/[\\%]/.test(request.slice(1, slash))) {
      const scoped = splitNameAt(request, slash + 1);
      if (scoped !== undefined) return scoped;
    }
  }
  return splitNameAt(request, 0);
}

function splitNameAt(request: string, start: number): { name: string; expansion: string } | undefined {
  const first = request.charCodeAt(start);
  if (Number.isNaN(first) || first === 0x2e || first === 0x2f || first === 0x5c || first === 0x25) return undefined;
  let end = request.indexOf('/', start);
  if (end === -1) end = request.length;
  if (/[\\%]/.test(request.slice(start, end))) return undefined;
  return { name: request.slice(0, end), expansion: request.slice(end) };
}

/** Node's `Module._nodeModulePaths`: `<dir>/node_modules` for `from` and each ancestor not itself a node_modules folder. */
function nodeModulePaths(from: string): string[] {
  const paths: string[] = [];
  let dir = resolvePath(from);
  for (;;) {
    if (!(dir.endsWith(`${sep}node_modules`) || dir === 'node_modules')) paths.push(join(dir, 'node_modules'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return paths;
}

/** `require` ids that look in the requiring module's folder: "./x", "../x", ".", "..", and Node's "..x". */
function isRelativeRequire(id: string): boolean {
  if (id.charCodeAt(0) !== 0x2e) return false;
  return (
    id.length === 1 ||
    id.charCodeAt(1) === 0x2e ||
    id.charCodeAt(1) === 0x2f ||
    (sep === '\\' && id.charCodeAt(1) === 0x5c)
  );
}

/** A request whose last segment is "", "." or "..": only a folder can match (LOAD_AS_FILE is skipped). */
function hasTrailingSlash(request: string): boolean {
  if (request.length === 0) return false;
  if (request.endsWith('/')) return true;
  return request === '.' || request === '..' || request.endsWith('/.') || request.endsWith('/..');
}

function startsRelativeToParent(request: string): boolean {
  return request === '.' || request === '..' || request.startsWith('./') || request.startsWith('../');
}

class NodeResolver implements Resolver {
  readonly packageJson: PackageJsonCache;
  private readonly importConditions: Conditions;
  private readonly requireConditions: Conditions;
  private readonly extensions: readonly string[];
  private readonly roots: readonly string[];
  private readonly preserveSymlinks: boolean;
  private readonly stats = new Map<string, number>();
  private readonly realpaths = new Map<string, string>();
  private readonly resolved = new Map<string, ResolvedModule>();
  private readonly required = new Map<string, string>();
  private readonly lookupPaths = new Map<string, string[]>();

  constructor(options: ResolverOptions) {
    this.packageJson = options.packageJsonCache ?? createPackageJsonCache();
    this.importConditions = makeConditions(options.conditions ?? DEFAULT_IMPORT_CONDITIONS);
    this.requireConditions = makeConditions(options.requireConditions ?? DEFAULT_REQUIRE_CONDITIONS);
    this.extensions = options.extensions ?? DEFAULT_REQUIRE_EXTENSIONS;
    this.roots = (options.roots ?? []).map((root) => resolvePath(root));
    this.preserveSymlinks = options.preserveSymlinks ?? false;
  }

  clearCache(): void {
    this.stats.clear();
    this.realpaths.clear();
    this.resolved.clear();
    this.required.clear();
    this.lookupPaths.clear();
    this.packageJson.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // File system, cached.

  /**
   * What is at `path`, following symlinks, and whether `path` itself is a symlink: FILE or
   * DIRECTORY (plus LINKED), or NOTHING. One lstat per path (and a stat for links), cached.
   */
  private entry(path: string): number {
    let kind = this.stats.get(path);
    if (kind === undefined) {
      kind = NOTHING;
      try {
        const own = lstatSync(path, { throwIfNoEntry: false });
        if (own?.isSymbolicLink()) {
          const target = statSync(path, { throwIfNoEntry: false });
          if (target !== undefined) kind = LINKED | (target.isDirectory() ? DIRECTORY : FILE);
        } else if (own !== undefined) {
          kind = own.isDirectory() ? DIRECTORY : FILE;
        }
      } catch {
        // Unreadable (EACCES, ELOOP, a name too long): Node treats it as absent.
      }
      this.stats.set(path, kind);
    }
    return kind;
  }

  /** FILE (anything that is not a folder, as Node counts), DIRECTORY, or NOTHING. */
  private stat(path: string): number {
    const kind = this.entry(path);
    return kind === NOTHING ? NOTHING : kind & DIRECTORY;
  }

  /**
   * The real path of an existing file or folder. Like Node's own realpath, it walks the path:
   * a component that is not a symlink keeps its name under its folder's real path, so only
   * symlinks cost a system call, and every folder is resolved once per resolver.
   */
  private realpath(path: string): string {
    if (this.preserveSymlinks) return resolvePath(path);
    let real = this.realpaths.get(path);
    if (real === undefined) {
      const normalized = resolvePath(path);
      const folder = dirname(normalized);
      const kind = folder === normalized ? NOTHING : this.entry(normalized);
      if (folder === normalized) real = normalized;
      else if (kind === FILE || kind === DIRECTORY) real = join(this.realpath(folder), basename(normalized));
      else real = realpathSync.native(normalized);
      this.realpaths.set(path, real);
    }
    return real;
  }

  private fail(code: ErrorCode, message: string, request: Request | undefined, extra: ErrorContext = {}): Error {
    return createError(code, message, { specifier: request?.specifier, referrer: request?.referrer, ...extra });
  }

  /** Reading a package found in node_modules: "while importing "<specifier>" from <importer>". */
  private packageReadContext(request: Request, specifier: string, base: URL): PackageJsonReadContext {
    return { specifier: request.specifier, base, referrer: request.referrer, importing: specifier };
  }

  /** Looking up the package scope of a file: "while importing <that file>". */
  private scopeReadContext(request: Request, file: URL): PackageJsonReadContext {
    return { specifier: request.specifier, importing: displayPath(file), referrer: request.referrer };
  }

  // ---------------------------------------------------------------------------------------------
  // import

  resolve(specifier: string, parentURL: string, options?: ResolveOptions): ResolvedModule {
    const conditions = options?.conditions === undefined ? this.importConditions : makeConditions(options.conditions);
    const key = `${conditions.key}\u0001${this.parentKey(parentURL)}\u0001${specifier}`;
    const cached = this.resolved.get(key);
    if (cached !== undefined) return cached;
    const parent = tryParseURL(parentURL);
    if (parent === undefined) {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `The parent URL ${JSON.stringify(parentURL)} is not a valid URL`,
        {
          specifier,
          referrer: parentURL,
        },
      );
    }
    const request: Request = { specifier, referrer: parentURL };
    let result: ResolvedModule;
    try {
      result = this.esmResolve(specifier, parent, conditions, request);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') && parent.protocol === 'file:') {
        this.addCommonJSHint(error as Error, specifier, parent);
      }
      throw error;
    }
    this.resolved.set(key, result);
    return result;
  }

  /** Resolution depends on the importer's folder only (the file name shows in errors, which are not cached). */
  private parentKey(parentURL: string): string {
    if (!parentURL.startsWith('file:')) return parentURL;
    let end = parentURL.length;
    const query = parentURL.indexOf('?');
    if (query !== -1) end = query;
    const hash = parentURL.indexOf('#');
    if (hash !== -1 && hash < end) end = hash;
    return parentURL.slice(0, parentURL.lastIndexOf('/', end - 1) + 1);
  }

  /** ESM_RESOLVE. */
  private esmResolve(specifier: string, parent: URL, conditions: Conditions, request: Request): ResolvedModule {
    let resolved: URL;
    // DEVIATION(ESM_RESOLVE 2-3): Node tests for relative specifiers before trying the specifier
    // as a URL (the prose does it the other way round; no relative specifier parses as a URL, so
    // the order does not matter), and it counts "." and ".." as relative, which the prose would
    // call bare.
    if (isRelativeOrAbsolute(specifier)) {
      const url = tryParseURL(specifier, parent);
      if (url === undefined) throw this.unresolvable(specifier, parent, request);
      resolved = url;
    } else if (parent.protocol === 'file:' && specifier.startsWith('#')) {
      resolved = this.packageImportsResolve(specifier, parent, conditions, request);
    } else {
      const url = tryParseURL(specifier);
      if (url !== undefined) {
        resolved = url;
      } else {
        if (parent.protocol !== 'file:' && !isBareBuiltin(specifier))
          throw this.unresolvable(specifier, parent, request);
        resolved = this.packageResolve(specifier, parent, conditions, request);
      }
    }
    switch (resolved.protocol) {
      case 'file:': {
        const url = this.finalizeResolution(resolved, parent, request);
        return { url: url.href, format: this.esmFileFormat(url, request) };
      }
      case 'node:':
        return { url: resolved.href, format: 'builtin' };
      case 'data:':
        return { url: resolved.href, format: dataURLFormat(resolved) };
      default:
        // http:, https: and others: the host decides whether it can load them.
        return { url: resolved.href, format: undefined };
    }
  }

  private unresolvable(specifier: string, parent: URL, request: Request): Error {
    return this.fail(
      'ERR_INVALID_MODULE_SPECIFIER',
      `Failed to resolve module specifier "${specifier}" from "${parent.href}": Invalid relative URL or base scheme is not hierarchical.`,
      request,
    );
  }

  /** ESM_RESOLVE step 7: encoded separators, folders, missing files, real path. */
  private finalizeResolution(resolved: URL, base: URL, request: Request): URL {
    if (ENCODED_SEPARATOR.test(resolved.pathname)) {
      throw this.fail(
        'ERR_INVALID_MODULE_SPECIFIER',
        `Invalid module "${resolved.pathname}" must not include encoded "/" or "\\" characters imported from ${displayPath(base)}`,
        request,
        { url: resolved.href },
      );
    }
    let path: string;
    try {
      path = fileURLToPath(resolved);
    } catch (cause) {
      throw this.fail(
        'ERR_INVALID_MODULE_SPECIFIER',
        `Invalid module "${resolved.href}": ${(cause as Error).message}`,
        request,
        {
          url: resolved.href,
          cause,
        },
      );
    }
    // DEVIATION(ESM_RESOLVE 7.ii): a URL that ends in "/" always names a folder, whether or not one exists there.
    const kind = path.endsWith(sep) ? DIRECTORY : this.stat(path);
    if (kind === DIRECTORY) {
      throw this.fail(
        'ERR_UNSUPPORTED_DIR_IMPORT',
        `Directory import '${path}' is not supported resolving ES modules imported from ${displayPath(base)}`,
        request,
        { url: resolved.href },
      );
    }
    if (kind !== FILE) {
      throw this.fail(
        'ERR_MODULE_NOT_FOUND',
        `Cannot find module '${path}' imported from ${displayPath(base)}`,
        request,
        {
          url: resolved.href,
        },
      );
    }
    if (this.preserveSymlinks) return resolved;
    const real = pathToFileURL(this.realpath(path));
    real.search = resolved.search;
    real.hash = resolved.hash;
    return real;
  }

  /** PACKAGE_RESOLVE. */
  private packageResolve(specifier: string, base: URL, conditions: Conditions, request: Request): URL {
    if (isBareBuiltin(specifier)) return new URL(`node:${specifier}`);
    // DEVIATION(PACKAGE_RESOLVE 2): Node lets "" through as a package name (the prose's step 2 would reject it); it then
    // looks for "node_modules//package.json" and fails with ERR_MODULE_NOT_FOUND.
    const { packageName, packageSubpath, isScoped } = parsePackageName(specifier, base, request.referrer);
    // DEVIATION(PACKAGE_RESOLVE 8): Node does not apply this step (a subpath ending in "/" is invalid); such a
    // subpath fails later, as not exported or as a folder.
    const self = this.packageSelfResolve(packageName, packageSubpath, base, conditions, request);
    if (self !== undefined) return self;
    // PACKAGE_RESOLVE 11: the walk is done on URLs, as Node does, so that odd names ("", "@scope/") look in
    // the same places and fail with the same paths.
    const up = isScoped ? '../../../../node_modules/' : '../../../node_modules/';
    let pjsonURL = new URL(`./node_modules/${packageName}/package.json`, base);
    let pjsonPath = fileURLToPath(pjsonURL);
    let lastPath: string;
    do {
      // The folder is the package.json path without "/package.json".
      if (this.stat(pjsonPath.slice(0, -13)) !== DIRECTORY) {
        lastPath = pjsonPath;
        pjsonURL = new URL(`${up}${packageName}/package.json`, pjsonURL);
        pjsonPath = fileURLToPath(pjsonURL);
        continue;
      }
      const pjson = this.packageJson.read(pjsonPath, this.packageReadContext(request, specifier, base));
      if (pjson.exports !== null && pjson.exports !== undefined) {
        return this.packageExportsResolve(pjsonURL, packageSubpath, pjson, base, conditions, request);
      }
      if (packageSubpath === '.') return this.legacyMainResolve(pjsonURL, pjson, base, request);
      return new URL(packageSubpath, pjsonURL);
    } while (pjsonPath.length !== lastPath.length);
    throw this.fail(
      'ERR_MODULE_NOT_FOUND',
      `Cannot find package '${packageName}' imported from ${displayPath(base)}`,
      request,
    );
  }

  /** PACKAGE_SELF_RESOLVE. */
  private packageSelfResolve(
    packageName: string,
    packageSubpath: string,
    base: URL,
    conditions: Conditions,
    request: Request,
  ): URL | undefined {
    if (base.protocol !== 'file:') return undefined;
    const scope = this.packageJson.getPackageScopeConfig(base, this.scopeReadContext(request, base));
    if (!scope.exists || scope.exports === null || scope.exports === undefined || scope.name !== packageName)
      return undefined;
    return this.packageExportsResolve(pathToFileURL(scope.pjsonPath), packageSubpath, scope, base, conditions, request);
  }

  /**
   * DEVIATION(PACKAGE_RESOLVE 11.vi): where the prose says "return the URL resolution of main", Node probes main, main with
   * .js/.json/.node, main/index.*, then index.* in the package folder (DEP0151 legacy lookup).
   */
  private legacyMainResolve(pjsonURL: URL, pjson: PackageConfig, base: URL, request: Request): URL {
    const main = pjson.main;
    let missingPath: string | undefined;
    if (main !== undefined) {
      // Node probes paths built from "./" + main but returns URLs built from main itself; the
      // two differ only for odd mains (absolute ones), and we keep both as Node has them.
      const initial = fileURLToPath(new URL(`./${main}`, pjsonURL));
      missingPath = initial;
      for (const suffix of LEGACY_MAIN_SUFFIXES) {
        if (this.stat(initial + suffix) === FILE) return new URL((main || './') + suffix, pjsonURL);
      }
    }
    const index = fileURLToPath(new URL('./index', pjsonURL));
    for (const extension of LEGACY_INDEX_EXTENSIONS) {
      if (this.stat(index + extension) === FILE) return new URL(`./index${extension}`, pjsonURL);
    }
    const missing = missingPath ?? `${index}.js`;
    throw this.fail(
      'ERR_MODULE_NOT_FOUND',
      `Cannot find package '${missing}' imported from ${displayPath(base)}`,
      request,
      {
        packageJsonPath: fileURLToPath(pjsonURL),
      },
    );
  }

  /** PACKAGE_EXPORTS_RESOLVE. `base` is undefined for `require` of a package found in node_modules. */
  private packageExportsResolve(
    pjsonURL: URL,
    subpath: string,
    pjson: PackageConfig,
    base: URL | undefined,
    conditions: Conditions,
    request: Request,
  ): URL {
    let exports = pjson.exports;
    if (this.isConditionalExportsMainSugar(exports, pjsonURL, base, request)) exports = { '.': exports };
    const map = exports as Record<string, unknown>;
    // DEVIATION(PACKAGE_IMPORTS_EXPORTS_RESOLVE 1): an exact key is only looked up for subpaths without "*" and not ending in "/".
    if (
      typeof exports === 'object' &&
      exports !== null &&
      hasOwn(exports, subpath) &&
      !subpath.includes('*') &&
      !subpath.endsWith('/')
    ) {
      const resolved = this.packageTargetResolve(
        pjsonURL,
        map[subpath],
        '',
        subpath,
        base,
        false,
        false,
        conditions,
        request,
      );
      if (resolved === null || resolved === undefined) throw this.exportsNotFound(subpath, pjsonURL, base, request);
      return resolved;
    }
    const best = this.bestPatternMatch(subpath, exports);
    if (best !== undefined) {
      const resolved = this.packageTargetResolve(
        pjsonURL,
        map[best.key],
        best.match,
        best.key,
        base,
        true,
        false,
        conditions,
        request,
      );
      if (resolved === null || resolved === undefined) throw this.exportsNotFound(subpath, pjsonURL, base, request);
      return resolved;
    }
    throw this.exportsNotFound(subpath, pjsonURL, base, request);
  }

  /**
   * PACKAGE_IMPORTS_EXPORTS_RESOLVE steps 2–3: the most specific single-"*" key that matches
   * `matchKey` (ties keep the first key in property order, as a stable sort would).
   */
  private bestPatternMatch(matchKey: string, matchObj: unknown): { key: string; match: string } | undefined {
    let bestKey = '';
    let bestMatch = '';
    for (const key of patternKeys(matchObj)) {
      const star = key.indexOf('*');
      const patternBase = key.slice(0, star);
      if (!matchKey.startsWith(patternBase)) continue;
      const patternTrailer = key.slice(star + 1);
      if (
        matchKey.length >= key.length &&
        matchKey.endsWith(patternTrailer) &&
        (bestKey === '' || patternKeyCompare(bestKey, key) === 1)
      ) {
        bestKey = key;
        bestMatch = matchKey.slice(star, matchKey.length - patternTrailer.length);
      }
    }
    return bestKey === '' ? undefined : { key: bestKey, match: bestMatch };
  }

  /** PACKAGE_EXPORTS_RESOLVE step 1–2: is `exports` the main export itself (string, array, conditions)? */
  private isConditionalExportsMainSugar(
    exports: unknown,
    pjsonURL: URL,
    base: URL | undefined,
    request: Request,
  ): boolean {
    if (typeof exports === 'string' || Array.isArray(exports)) return true;
    if (typeof exports !== 'object' || exports === null) return false;
    const shape = exportsShape(exports);
    if (shape === 'mixed') {
      throw this.invalidConfig(
        pjsonURL,
        base,
        '"exports" cannot contain some keys starting with \'.\' and some not. The exports object must either be an object ' +
          'of package subpath keys or an object of main entry condition name keys only.',
        request,
      );
    }
    return shape === 'conditions';
  }

  /** PACKAGE_IMPORTS_RESOLVE. */
  private packageImportsResolve(name: string, base: URL, conditions: Conditions, request: Request): URL {
    // DEVIATION(PACKAGE_IMPORTS_RESOLVE 2): Node also rejects names ending in "/".
    if (name === '#' || name.startsWith('#/') || name.endsWith('/')) {
      throw this.fail(
        'ERR_INVALID_MODULE_SPECIFIER',
        `Invalid module "${name}" is not a valid internal imports specifier name imported from ${displayPath(base)}`,
        request,
      );
    }
    const scope = this.packageJson.getPackageScopeConfig(base, this.scopeReadContext(request, base));
    let pjsonURL: URL | undefined;
    if (scope.exists) {
      pjsonURL = pathToFileURL(scope.pjsonPath);
      const imports = scope.imports;
      if (imports) {
        if (hasOwn(Object(imports), name) && !name.includes('*')) {
          const target = (imports as Record<string, unknown>)[name];
          const resolved = this.packageTargetResolve(
            pjsonURL,
            target,
            '',
            name,
            base,
            false,
            true,
            conditions,
            request,
          );
          if (resolved !== null && resolved !== undefined) return resolved;
        } else {
          const best = this.bestPatternMatch(name, imports);
          if (best !== undefined) {
            const target = (imports as Record<string, unknown>)[best.key];
            const resolved = this.packageTargetResolve(
              pjsonURL,
              target,
              best.match,
              best.key,
              base,
              true,
              true,
              conditions,
              request,
            );
            if (resolved !== null && resolved !== undefined) return resolved;
          }
        }
      }
    }
    const where = pjsonURL === undefined ? '' : ` in package ${packageFolder(pjsonURL)}package.json`;
    const message = `Package import specifier "${name}" is not defined${where} imported from ${displayPath(base)}`;
    throw this.fail('ERR_PACKAGE_IMPORT_NOT_DEFINED', message, request, {
      packageJsonPath: pjsonURL === undefined ? undefined : fileURLToPath(pjsonURL),
    });
  }

  /**
   * PACKAGE_TARGET_RESOLVE. `patternMatch` is "" for an exact key; `key` is the exports/imports
   * key matched (for messages). Returns a URL, `null` (explicitly excluded) or `undefined` (no
   * condition matched).
   */
  private packageTargetResolve(
    pjsonURL: URL,
    target: unknown,
    patternMatch: string,
    key: string,
    base: URL | undefined,
    pattern: boolean,
    isImports: boolean,
    conditions: Conditions,
    request: Request,
  ): URL | null | undefined {
    if (typeof target === 'string') {
      return this.packageTargetResolveString(
        pjsonURL,
        target,
        patternMatch,
        key,
        base,
        pattern,
        isImports,
        conditions,
        request,
      );
    }
    if (Array.isArray(target)) {
      if (target.length === 0) return null;
      // DEVIATION(PACKAGE_TARGET_RESOLVE 3.iii): the last fallback "null or error" is tracked the way Node does: an `undefined`
      // result (no condition matched) leaves the last error standing.
      let last: unknown;
      for (const item of target) {
        let resolved: URL | null | undefined;
        try {
          resolved = this.packageTargetResolve(
            pjsonURL,
            item,
            patternMatch,
            key,
            base,
            pattern,
            isImports,
            conditions,
            request,
          );
        } catch (error) {
          last = error;
          if ((error as { code?: unknown }).code === 'ERR_INVALID_PACKAGE_TARGET') continue;
          throw error;
        }
        if (resolved === undefined) continue;
        if (resolved === null) {
          last = null;
          continue;
        }
        return resolved;
      }
      if (last === undefined || last === null) return last as null | undefined;
      throw last;
    }
    if (typeof target === 'object' && target !== null) {
      const keys = Object.getOwnPropertyNames(target);
      if (keys.some(isArrayIndex)) {
        throw this.invalidConfig(pjsonURL, base, '"exports" cannot contain numeric property keys.', request);
      }
      for (const condition of keys) {
        if (condition === 'default' || conditions.set.has(condition)) {
          const value = (target as Record<string, unknown>)[condition];
          const resolved = this.packageTargetResolve(
            pjsonURL,
            value,
            patternMatch,
            key,
            base,
            pattern,
            isImports,
            conditions,
            request,
          );
          if (resolved === undefined) continue;
          return resolved;
        }
      }
      return undefined;
    }
    if (target === null) return null;
    throw this.invalidTarget(pjsonURL, key, target, isImports, base, request);
  }

  private packageTargetResolveString(
    pjsonURL: URL,
    target: string,
    patternMatch: string,
    key: string,
    base: URL | undefined,
    pattern: boolean,
    isImports: boolean,
    conditions: Conditions,
    request: Request,
  ): URL {
    if (!target.startsWith('./')) {
      if (isImports && !target.startsWith('../') && !target.startsWith('/') && tryParseURL(target) === undefined) {
        const packageTarget = pattern ? target.replace(STAR, () => patternMatch) : target + patternMatch;
        // DEVIATION(PACKAGE_TARGET_RESOLVE 1.i.b): the importer of a package target is the
        // package.json itself (the prose says packageURL + "/"; same folder, but it shows in messages).
        return this.packageResolve(packageTarget, pjsonURL, conditions, request);
      }
      throw this.invalidTarget(pjsonURL, key, target, isImports, base, request);
    }
    if (hasInvalidSegment(target.slice(2))) throw this.invalidTarget(pjsonURL, key, target, isImports, base, request);
    const resolvedTarget = new URL(target, pjsonURL);
    if (!resolvedTarget.pathname.startsWith(new URL('.', pjsonURL).pathname)) {
      throw this.invalidTarget(pjsonURL, key, target, isImports, base, request);
    }
    if (patternMatch === '') return resolvedTarget;
    if (hasInvalidSegment(patternMatch)) {
      const matched = pattern ? key.replace('*', () => patternMatch) : key + patternMatch;
      throw this.fail(
        'ERR_INVALID_MODULE_SPECIFIER',
        `Invalid module "${matched}" request is not a valid match in pattern "${key}" for the ` +
          `"${isImports ? 'imports' : 'exports'}" resolution of ${fileURLToPath(pjsonURL)}` +
          (base === undefined ? '' : ` imported from ${displayPath(base)}`),
        request,
        { packageJsonPath: fileURLToPath(pjsonURL) },
      );
    }
    if (pattern) return new URL(resolvedTarget.href.replace(STAR, () => patternMatch));
    return new URL(patternMatch, resolvedTarget);
  }

  private invalidTarget(
    pjsonURL: URL,
    key: string,
    target: unknown,
    isImports: boolean,
    base: URL | undefined,
    request: Request,
  ): Error {
    const text = typeof target === 'object' && target !== null ? JSON.stringify(target, null, '') : String(target);
    const folder = packageFolder(pjsonURL);
    const from = base === undefined ? '' : ` imported from ${displayPath(base)}`;
    const hint = !isImports && text.length > 0 && !text.startsWith('./') ? '; targets must start with "./"' : '';
    const message =
      key === '.'
        ? `Invalid "exports" main target ${JSON.stringify(text)} defined in the package config ${folder}package.json${from}${hint}`
        : `Invalid "${isImports ? 'imports' : 'exports'}" target ${JSON.stringify(text)} defined for '${key}' ` +
          `in the package config ${folder}package.json${from}${hint}`;
    return this.fail('ERR_INVALID_PACKAGE_TARGET', message, request, { packageJsonPath: fileURLToPath(pjsonURL) });
  }

  private invalidConfig(pjsonURL: URL, base: URL | undefined, detail: string, request: Request): Error {
    const path = fileURLToPath(pjsonURL);
    // Node's wording: this message shows the importer as a URL, where every other one shows a path.
    const importing = base === undefined ? '' : ` while importing ${base.href}`;
    return this.fail('ERR_INVALID_PACKAGE_CONFIG', `Invalid package config ${path}${importing}. ${detail}`, request, {
      packageJsonPath: path,
    });
  }

  private exportsNotFound(subpath: string, pjsonURL: URL, base: URL | undefined, request: Request): Error {
    const folder = packageFolder(pjsonURL);
    const from = base === undefined ? '' : ` imported from ${displayPath(base)}`;
    const message =
      subpath === '.'
        ? `No "exports" main defined in ${folder}package.json${from}`
        : `Package subpath '${subpath}' is not defined by "exports" in ${folder}package.json${from}`;
    return this.fail('ERR_PACKAGE_PATH_NOT_EXPORTED', message, request, { packageJsonPath: fileURLToPath(pjsonURL) });
  }

  /**
   * ESM_FILE_FORMAT. DEVIATION(ESM_FILE_FORMAT 5): ".wasm" is "wasm" without a flag.
   * DEVIATION(ESM_FILE_FORMAT 10.ii, 11.iii): DETECT_MODULE_SYNTAX needs the source, which
   * resolution does not read; the format is `undefined` then, as Node's own resolve step returns.
   */
  private esmFileFormat(url: URL, request: Request): ModuleFormat {
    const extension = urlExtension(url.pathname);
    switch (extension) {
      case '.mjs':
        return 'module';
      case '.cjs':
        return 'commonjs';
      case '.json':
        return 'json';
      case '.wasm':
        return 'wasm';
      case '.js':
      case '': {
        const path = fileURLToPath(url);
        const packageType = this.packageJson.getPackageScopeConfig(url, this.scopeReadContext(request, url)).type;
        if (extension === '' && packageType === 'module' && hasWasmHeader(path)) return 'wasm';
        return packageType === 'none' ? undefined : packageType;
      }
      default:
        return undefined;
    }
  }

  /**
   * Node's hint for a failed import: what `require` would have found, written as the user could
   * import it ("./x.js", "pkg/lib/index.js").
   */
  private addCommonJSHint(error: Error, specifier: string, parent: URL): void {
    let found: string | false;
    let wanted = specifier;
    try {
      if (wanted.startsWith('file://')) wanted = fileURLToPath(wanted);
      const parentPath = fileURLToPath(parent);
      found = this.requireResolve(wanted, parentPath, this.requireConditions, this.roots, [parentPath]);
      if (isBuiltinSpecifier(found)) return;
      if (isRelativeSpecifier(wanted)) {
        // Node resolves relative hints against the working directory (its temporary module
        // has no file name); we use the importer's folder, which is what the hint is about.
        const parentDir = parent.pathname.slice(0, parent.pathname.lastIndexOf('/'));
        found = posix.relative(parentDir, pathToFileURL(found).pathname);
        if (!found.startsWith('../')) found = `./${found}`;
      } else if (wanted !== '' && wanted[0] !== '/' && wanted[0] !== '.') {
        const slash = wanted.indexOf('/');
        const pkg = slash === -1 ? wanted : wanted.slice(0, slash);
        const needle = `${sep}node_modules${sep}${pkg}${sep}`;
        const index = found.lastIndexOf(needle);
        found =
          index === -1
            ? pathToFileURL(found).href
            : `${pkg}/${found
                .slice(index + needle.length)
                .split(sep)
                .map((segment) => encodeURIComponent(segment))
                .join('/')}`;
      }
    } catch {
      return;
    }
    if (found === wanted) return;
    const hint = `Did you mean to import ${JSON.stringify(found)}?`;
    error.message += `\n${hint}`;
    if (typeof error.stack === 'string') {
      const end = error.stack.indexOf('\n');
      error.stack =
        end === -1 ? `${error.stack}\n${hint}` : `${error.stack.slice(0, end)}\n${hint}${error.stack.slice(end)}`;
    }
    Object.defineProperty(error, 'hint', { value: found, writable: true, enumerable: true, configurable: true });
  }

  // ---------------------------------------------------------------------------------------------
  // require

  resolveRequire(id: string, parentPath: string, options?: RequireResolveOptions): string {
    const conditions = options?.conditions === undefined ? this.requireConditions : makeConditions(options.conditions);
    const rootList = options?.roots ?? options?.paths;
    const roots = rootList === undefined ? this.roots : rootList.map((root) => resolvePath(root));
    return this.requireResolve(id, parentPath, conditions, roots, options?.requireStack ?? [parentPath]);
  }

  private requireResolve(
    id: string,
    parentPath: string,
    conditions: Conditions,
    roots: readonly string[],
    requireStack: readonly string[],
  ): string {
    // `require('')` is refused by `require` itself; require.resolve('') searches like any id.
    if (typeof id !== 'string') {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `The "id" argument must be of type string. Received ${typeof id}`,
        {
          referrer: parentPath,
        },
      );
    }
    if (isBuiltinSpecifier(id)) return id;
    const parentDir = dirname(parentPath);
    const key = `${conditions.key}\u0001${roots.join('\u0000')}\u0001${parentDir}\u0001${id}`;
    const cached = this.required.get(key);
    if (cached !== undefined) return cached;
    const request: Request = { specifier: id, referrer: parentPath };
    const found =
      this.loadPackageImports(id, parentPath, conditions, request) ??
      this.loadPackageSelf(id, parentPath, conditions, request) ??
      this.findPath(id, this.requireLookupPaths(id, parentDir, roots), conditions, request);
    if (found === undefined) {
      const stack = requireStack.length > 0 ? `\nRequire stack:\n- ${requireStack.join('\n- ')}` : '';
      throw createError('MODULE_NOT_FOUND', `Cannot find module '${id}'${stack}`, {
        specifier: id,
        referrer: parentPath,
        requireStack: [...requireStack],
      });
    }
    this.required.set(key, found);
    return found;
  }

  /** Where LOAD_AS_FILE / LOAD_AS_DIRECTORY / LOAD_NODE_MODULES look for `id`. */
  private requireLookupPaths(id: string, parentDir: string, roots: readonly string[]): readonly string[] {
    if (isRelativeRequire(id)) return [parentDir];
    let modules = this.lookupPaths.get(parentDir);
    if (modules === undefined) {
      modules = nodeModulePaths(parentDir);
      this.lookupPaths.set(parentDir, modules);
    }
    return roots.length === 0 ? modules : [...roots, ...modules];
  }

  /** LOAD_PACKAGE_IMPORTS. */
  private loadPackageImports(
    id: string,
    parentPath: string,
    conditions: Conditions,
    request: Request,
  ): string | undefined {
    if (!id.startsWith('#')) return undefined;
    const scope = this.packageJson.getPackageScopeConfig(parentPath, {
      commonjs: true,
      specifier: id,
      referrer: parentPath,
    });
    if (!scope.exists || scope.imports === null || scope.imports === undefined) return undefined;
    try {
      const resolved = this.packageImportsResolve(id, pathToFileURL(parentPath), conditions, request);
      return this.finalizeEsmResolution(resolved, parentPath, dirname(scope.pjsonPath), request);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND')
        throw this.esmNotFound(id, undefined, request, error);
      throw error;
    }
  }

  /** LOAD_PACKAGE_SELF. */
  private loadPackageSelf(
    id: string,
    parentPath: string,
    conditions: Conditions,
    request: Request,
  ): string | undefined {
    const scope = this.packageJson.getPackageScopeConfig(parentPath, {
      commonjs: true,
      specifier: id,
      referrer: parentPath,
    });
    if (!scope.exists || scope.exports === null || scope.exports === undefined || scope.name === undefined)
      return undefined;
    let expansion: string;
    if (id === scope.name) expansion = '.';
    else if (id.startsWith(`${scope.name}/`)) expansion = `.${id.slice(scope.name.length)}`;
    else return undefined;
    const pjsonURL = pathToFileURL(scope.pjsonPath);
    try {
      const resolved = this.packageExportsResolve(
        pjsonURL,
        expansion,
        scope,
        pathToFileURL(parentPath),
        conditions,
        request,
      );
      return this.finalizeEsmResolution(resolved, parentPath, dirname(scope.pjsonPath), request);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND')
        throw this.esmNotFound(id, scope.pjsonPath, request, error);
      throw error;
    }
  }

  /** LOAD_PACKAGE_EXPORTS for one lookup folder: `<folder>/<name>/package.json` with "exports". */
  private loadPackageExports(folder: string, id: string, conditions: Conditions, request: Request): string | undefined {
    const parts = splitExportsRequest(id);
    if (parts === undefined) return undefined;
    const packagePath = resolvePath(folder, parts.name);
    const pjsonPath = join(packagePath, 'package.json');
    const pjson = this.packageJson.read(pjsonPath, { commonjs: true, specifier: id, referrer: request.referrer });
    if (!pjson.exists || pjson.exports === null || pjson.exports === undefined) return undefined;
    try {
      const resolved = this.packageExportsResolve(
        pathToFileURL(pjsonPath),
        `.${parts.expansion}`,
        pjson,
        undefined,
        conditions,
        request,
      );
      return this.finalizeEsmResolution(resolved, undefined, packagePath, request);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND')
        throw this.esmNotFound(id, pjsonPath, request, error);
      throw error;
    }
  }

  /** RESOLVE_ESM_MATCH: an exports/imports result must be an existing file (no extension search). */
  private finalizeEsmResolution(
    resolved: URL,
    parentPath: string | undefined,
    packagePath: string,
    request: Request,
  ): string {
    // DEVIATION(LOAD_PACKAGE_IMPORTS): an "imports" target naming a built-in gives the built-in (Node's CommonJS
    // loader throws ERR_INVALID_URL_SCHEME there).
    if (resolved.protocol === 'node:') return resolved.href;
    if (ENCODED_SEPARATOR.test(resolved.href)) {
      const from = parentPath === undefined ? '' : ` imported from ${parentPath}`;
      const message = `Invalid module "${resolved.href}" must not include encoded "/" or "\\" characters${from}`;
      throw this.fail('ERR_INVALID_MODULE_SPECIFIER', message, request, {
        url: resolved.href,
      });
    }
    const filename = fileURLToPath(resolved);
    const actual = this.tryFile(filename);
    if (actual !== undefined) return actual;
    throw this.esmNotFound(filename, join(packagePath, 'package.json'), request);
  }

  private esmNotFound(missing: string, pjsonPath: string | undefined, request: Request, cause?: unknown): Error {
    return this.fail('MODULE_NOT_FOUND', `Cannot find module '${missing}'`, request, {
      path: pjsonPath,
      packageJsonPath: pjsonPath,
      cause,
    });
  }

  /** Node's `Module._findPath`: each lookup folder in turn, exports first, then file, then folder. */
  private findPath(
    request: string,
    paths: readonly string[],
    conditions: Conditions,
    context: Request,
  ): string | undefined {
    const absolute = isAbsolute(request);
    const folders = absolute ? [''] : paths;
    const trailingSlash = hasTrailingSlash(request);
    // A request that climbs out of its folder must not be skipped just because the folder is missing.
    const insidePath = !(startsRelativeToParent(request) && normalize(request).startsWith('..'));
    for (const folder of folders) {
      if (insidePath && folder !== '' && this.stat(folder) !== DIRECTORY) continue;
      if (!absolute) {
        const exported = this.loadPackageExports(folder, request, conditions, context);
        if (exported !== undefined) return exported;
      }
      const basePath = resolvePath(folder, request);
      const kind = this.stat(basePath);
      let filename: string | undefined;
      if (!trailingSlash) {
        if (kind === FILE) filename = this.realpath(basePath);
        filename ??= this.tryExtensions(basePath);
      }
      if (filename === undefined && kind === DIRECTORY) filename = this.tryPackage(basePath, request, context);
      if (filename !== undefined) return filename;
    }
    return undefined;
  }

  /** LOAD_AS_DIRECTORY. */
  private tryPackage(requestPath: string, originalRequest: string, context: Request): string | undefined {
    const pjsonPath = join(requestPath, 'package.json');
    const main = this.packageJson.read(pjsonPath, {
      commonjs: true,
      specifier: originalRequest,
      referrer: context.referrer,
    }).main;
    if (!main) return this.tryExtensions(resolvePath(requestPath, 'index'));
    const filename = resolvePath(requestPath, main);
    const found =
      this.tryFile(filename) ??
      this.tryExtensions(filename) ??
      this.tryExtensions(resolvePath(filename, 'index')) ??
      this.tryExtensions(resolvePath(requestPath, 'index'));
    if (found === undefined) {
      const message = `Cannot find module '${filename}'. Please verify that the package.json has a valid "main" entry`;
      throw this.fail('MODULE_NOT_FOUND', message, context, {
        path: pjsonPath,
        packageJsonPath: pjsonPath,
        requestPath: originalRequest,
      });
    }
    return found;
  }

  /** LOAD_AS_FILE for one name: a file (not a folder) there, by its real path. */
  private tryFile(path: string): string | undefined {
    return this.stat(path) === FILE ? this.realpath(path) : undefined;
  }

  private tryExtensions(basePath: string): string | undefined {
    for (const extension of this.extensions) {
      const found = this.tryFile(basePath + extension);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

/** The first bytes of a WebAssembly binary ("\0asm"). */
function hasWasmHeader(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const header = Buffer.alloc(4);
    return readSync(fd, header, 0, 4, 0) === 4 && header.readUInt32BE(0) === 0x0061736d;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * PATTERN_KEY_COMPARE: orders two single-"*" keys by descending specificity (longer prefix
 * before the "*" first, then longer key). Negative when `keyA` is more specific.
 */
export function patternKeyCompare(keyA: string, keyB: string): -1 | 0 | 1 {
  const baseLengthA = keyA.indexOf('*');
  const baseLengthB = keyB.indexOf('*');
  if (baseLengthA > baseLengthB) return -1;
  if (baseLengthB > baseLengthA) return 1;
  if (keyA.length > keyB.length) return -1;
  if (keyB.length > keyA.length) return 1;
  return 0;
}

/**
 * Creates a resolver with its own caches (stat results, real paths, package.json files and
 * resolved specifiers). One per host; call `clearCache()` when the files may have changed.
 */
export function createResolver(options: ResolverOptions = {}): Resolver {
  return new NodeResolver(options);
}

let defaultResolver: Resolver | undefined;

/** The resolver behind {@link resolveModule} and {@link resolveRequire}. */
export function getDefaultResolver(): Resolver {
  defaultResolver ??= createResolver();
  return defaultResolver;
}

/**
 * Resolves an `import` specifier written in the module at `parentURL`, as Node does (ESM_RESOLVE),
 * with the default resolver. Conditions default to {@link DEFAULT_IMPORT_CONDITIONS}.
 *
 * @example
 * resolveModule('lodash-es', import.meta.url) // { url: 'file:///…/lodash-es/lodash.js', format: 'module' }
 * resolveModule('fs', import.meta.url)        // { url: 'node:fs', format: 'builtin' }
 */
export function resolveModule(specifier: string, parentURL: string, options: ResolveOptions = {}): ResolvedModule {
  return getDefaultResolver().resolve(specifier, parentURL, options);
}

/**
 * Resolves a `require(id)` from the module at `parentPath` (an absolute file path), as Node's
 * require.resolve does, with the default resolver; `roots` are searched first for top-level ids.
 * Built-ins come back as written (`fs`, `node:fs`).
 */
export function resolveRequire(id: string, parentPath: string, options: RequireResolveOptions = {}): string {
  return getDefaultResolver().resolveRequire(id, parentPath, options);
}
