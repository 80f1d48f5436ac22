/**
 * package.json reading for the Node host: READ_PACKAGE_JSON and LOOKUP_PACKAGE_SCOPE of Node's
 * ESM resolution algorithm, plus the package-name parsing of PACKAGE_RESOLVE.
 *
 * Each host gets its own {@link PackageJsonCache} (files change between runs of a long-lived
 * process, and one host dropping its view must not disturb another); the free functions use a
 * module-wide default cache.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createError } from '../../errors/codes.js';
import { type NodeBehaviour, RUNNING_NODE } from './node-release.js';

/** The fields of a package.json that module resolution reads, already type-checked. */
export interface PackageConfig {
  /** Whether a package.json file was found at {@link pjsonPath}. */
  readonly exists: boolean;
  /** Absolute path of the package.json (for a failed scope lookup: the last one tried). */
  readonly pjsonPath: string;
  /** `name`, when it is a string. */
  readonly name: string | undefined;
  /** `main`, when it is a string. */
  readonly main: string | undefined;
  /** `type`: only the exact strings "module" and "commonjs" count. */
  readonly type: 'module' | 'commonjs' | 'none';
  /** `exports` as parsed JSON (`undefined` when absent; `null` is kept, and means "none"). */
  readonly exports: unknown;
  /** `imports` as parsed JSON (`undefined` when absent). */
  readonly imports: unknown;
}

/**
 * Who is reading: shapes the ERR_INVALID_PACKAGE_CONFIG message, which Node words differently
 * for `import` ("Invalid package config … while importing …") and `require` ("Error parsing …"
 * on Node 20), and from release to release (NodeBehaviour.packageJsonReader).
 */
export interface PackageJsonReadContext {
  /** The specifier being resolved (the error's `specifier` field). */
  readonly specifier?: string;
  /**
   * URL of the importing module: the message says `while importing "<importing or specifier>"
   * from <path of base>`.
   */
  readonly base?: string | URL;
  /** What is being imported, for the message: with `base` a specifier, without it a file path. */
  readonly importing?: string;
  /** The `referrer` field for the error (defaults to `base`). */
  readonly referrer?: string;
  /** `require()` wording when true. */
  readonly commonjs?: boolean;
}

/** A package.json reader with its own cache. */
export interface PackageJsonCache {
  /**
   * READ_PACKAGE_JSON for the file at `pjsonPath`: `exists: false` when there is no such file,
   * ERR_INVALID_PACKAGE_CONFIG when it is not valid JSON.
   */
  read(pjsonPath: string, context?: PackageJsonReadContext): PackageConfig;
  /**
   * LOOKUP_PACKAGE_SCOPE + READ_PACKAGE_JSON: the nearest package.json above `url` (a file: URL
   * or an absolute path), not looking past a `node_modules` folder.
   */
  getPackageScopeConfig(url: string | URL, context?: PackageJsonReadContext): PackageConfig;
  /** Forgets everything read so far. */
  clear(): void;
}

interface ParseFailure {
  readonly exists: true;
  readonly pjsonPath: string;
  /** JSON.parse's message (shown by Node 20's reader only). */
  readonly parseError: string;
}

type CacheEntry = PackageConfig | ParseFailure;

function isParseFailure(entry: CacheEntry): entry is ParseFailure {
  return 'parseError' in entry;
}

/** The message suffix Node adds after a path: the importer, shown as a path when it is a file URL. */
export function displayPath(urlOrPath: string | URL): string {
  const text = String(urlOrPath);
  if (text.startsWith('file:')) {
    try {
      return fileURLToPath(text);
    } catch {
      return text;
    }
  }
  return text;
}

function missing(pjsonPath: string): PackageConfig {
  return {
    exists: false,
    pjsonPath,
    name: undefined,
    main: undefined,
    type: 'none',
    exports: undefined,
    imports: undefined,
  };
}

function parsePackageConfig(pjsonPath: string, text: string, reader: NodeBehaviour['packageJsonReader']): CacheEntry {
  // npm and editors sometimes write a byte order mark; Node ignores it.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    return { exists: true, pjsonPath, parseError: (error as Error).message };
  }
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  const fields = isObject ? (json as Record<string, unknown>) : {};
  const own = (key: string): unknown => (Object.hasOwn(fields, key) ? fields[key] : undefined);
  const name = own('name');
  const main = own('main');
  const type = own('type');
  let exports = own('exports');
  let imports = own('imports');
  if (reader === 'native') {
    // Node 21.2+ reads the document as an object whose `name` and `type` are strings, and keeps
    // `exports` and `imports` only when they are an object, an array or a string.
    const invalid = (why: string): ParseFailure => ({ exists: true, pjsonPath, parseError: why });
    if (!isObject) return invalid('The document is not an object');
    if (Object.hasOwn(fields, 'name') && typeof name !== 'string') return invalid('"name" is not a string');
    if (Object.hasOwn(fields, 'type') && typeof type !== 'string') return invalid('"type" is not a string');
    const kept = (value: unknown) => (typeof value === 'object' && value !== null) || typeof value === 'string';
    if (!kept(exports)) exports = undefined;
    if (!kept(imports)) imports = undefined;
  }
  // Node 20 reads a document that is valid JSON but not an object (an array, a number) as one
  // without fields; `null` makes Node 20 itself crash, and we read it the same way as `[]`.
  return {
    exists: true,
    pjsonPath,
    name: typeof name === 'string' ? name : undefined,
    main: typeof main === 'string' ? main : undefined,
    type: type === 'module' || type === 'commonjs' ? type : 'none',
    exports,
    imports,
  };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A missing file, a path through a file, or a folder called package.json: no package.json.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

function invalidConfigError(
  entry: ParseFailure,
  context: PackageJsonReadContext,
  reader: NodeBehaviour['packageJsonReader'],
): Error {
  const { specifier, base, commonjs } = context;
  let message: string;
  if (reader === 'native') {
    // Node 21.2+: the importer is named only when a package is looked up for an import.
    const importing =
      base !== undefined && !commonjs
        ? ` while importing "${context.importing ?? specifier ?? ''}" from ${displayPath(base)}`
        : '';
    message = `Invalid package config ${entry.pjsonPath}${importing}.`;
  } else if (commonjs) {
    message = `Error parsing ${entry.pjsonPath}: ${entry.parseError}`;
  } else {
    let importing = '';
    if (base !== undefined)
      importing = ` while importing "${context.importing ?? specifier ?? ''}" from ${displayPath(base)}`;
    else if (context.importing !== undefined) importing = ` while importing ${context.importing}`;
    message = `Invalid package config ${entry.pjsonPath}${importing}. ${entry.parseError}`;
  }
  return createError('ERR_INVALID_PACKAGE_CONFIG', message, {
    specifier,
    referrer: context.referrer ?? (base === undefined ? undefined : String(base)),
    url: pathToFileURL(entry.pjsonPath).href,
    packageJsonPath: entry.pjsonPath,
  });
}

/** Options of {@link createPackageJsonCache}. */
export interface PackageJsonCacheOptions {
  /** Whose package.json reading to follow (the Node that runs modhost when omitted). */
  readonly node?: NodeBehaviour;
}

/**
 * Creates a package.json reader with its own cache (one per host, so that a host can drop its
 * view of the file system without disturbing others).
 */
export function createPackageJsonCache(options: PackageJsonCacheOptions = {}): PackageJsonCache {
  const reader = (options.node ?? RUNNING_NODE).packageJsonReader;
  const files = new Map<string, CacheEntry>();
  // Folder → the package.json that scopes it (or the last one tried, when none does); saves the
  // upward walk for every later file in the same folder.
  const scopes = new Map<string, { readonly pjsonPath: string; readonly found: boolean }>();

  function load(pjsonPath: string): CacheEntry {
    let entry = files.get(pjsonPath);
    if (entry === undefined) {
      const text = readText(pjsonPath);
      entry = text === undefined ? missing(pjsonPath) : parsePackageConfig(pjsonPath, text, reader);
      files.set(pjsonPath, entry);
    }
    return entry;
  }

  function read(pjsonPath: string, context: PackageJsonReadContext = {}): PackageConfig {
    const entry = load(pjsonPath);
    if (isParseFailure(entry)) throw invalidConfigError(entry, context, reader);
    return entry;
  }

  function getPackageScopeConfig(url: string | URL, context?: PackageJsonReadContext): PackageConfig {
    const text = String(url);
    let filePath: string;
    let start: string;
    if (text.startsWith('file:')) {
      filePath = fileURLToPath(text);
      // The URL's own "." resolution, so that a folder URL ("file:///a/b/") starts in that folder.
      const folder = fileURLToPath(new URL('.', text));
      start = folder.length > 1 && folder.endsWith(sep) ? folder.slice(0, -1) : folder;
    } else {
      filePath = text;
      start = dirname(text);
    }
    const readContext = context ?? { importing: filePath };
    const cached = scopes.get(start);
    if (cached !== undefined) {
      return cached.found ? read(cached.pjsonPath, readContext) : missing(cached.pjsonPath);
    }
    let dir = start;
    let last = join(dir, 'package.json');
    for (;;) {
      // DEVIATION(LOOKUP_PACKAGE_SCOPE 2.b): the walk stops at a node_modules folder; Node 20
      // tests the path's ending as a string, so "my_node_modules" stops it as well (Node 21.2+
      // stops at a folder named node_modules only).
      if (reader === 'native' ? dir.endsWith(`${sep}node_modules`) : dir.endsWith('node_modules')) break;
      last = dir.endsWith(sep) ? `${dir}package.json` : `${dir}${sep}package.json`;
      const entry = load(last);
      if (entry.exists) {
        scopes.set(start, { pjsonPath: last, found: true });
        return read(last, readContext);
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    scopes.set(start, { pjsonPath: last, found: false });
    return missing(last);
  }

  return {
    read,
    getPackageScopeConfig,
    clear() {
      files.clear();
      scopes.clear();
    },
  };
}

const defaultCache = createPackageJsonCache();

/** The module-wide default reader used by {@link readPackageJson} and {@link getPackageScopeConfig}. */
export function getDefaultPackageJsonCache(): PackageJsonCache {
  return defaultCache;
}

/**
 * READ_PACKAGE_JSON through the default cache. `path` is the package.json file itself.
 * Throws ERR_INVALID_PACKAGE_CONFIG when the file is not valid JSON.
 */
export function readPackageJson(path: string, context?: PackageJsonReadContext): PackageConfig {
  return defaultCache.read(path, context);
}

/**
 * The package.json that scopes `url` (LOOKUP_PACKAGE_SCOPE then READ_PACKAGE_JSON), through
 * the default cache; `exists: false` when there is none.
 */
export function getPackageScopeConfig(url: string | URL, context?: PackageJsonReadContext): PackageConfig {
  return defaultCache.getPackageScopeConfig(url, context);
}

/** A bare specifier split into its package name and the subpath inside the package. */
export interface ParsedPackageName {
  /** `lodash`, `@scope/name`. */
  readonly packageName: string;
  /** `.` or `./rest/of/the/specifier`. */
  readonly packageSubpath: string;
  readonly isScoped: boolean;
}

/**
 * Splits a bare specifier as PACKAGE_RESOLVE steps 4–7 do. Throws ERR_INVALID_MODULE_SPECIFIER
 * for a scope without a name (`@scope`), or a name that starts with "." or holds "%" or "\\".
 *
 * @param base URL (or path) of the importing module, for the error message.
 */
export function parsePackageName(specifier: string, base?: string | URL, referrer?: string): ParsedPackageName {
  let separator = specifier.indexOf('/');
  let valid = true;
  const isScoped = specifier.startsWith('@');
  if (isScoped) {
    if (separator === -1) valid = false;
    else separator = specifier.indexOf('/', separator + 1);
  }
  const packageName = separator === -1 ? specifier : specifier.slice(0, separator);
  if (packageName.startsWith('.') || packageName.includes('%') || packageName.includes('\\')) valid = false;
  if (!valid) {
    const from = base === undefined ? '' : ` imported from ${displayPath(base)}`;
    throw createError(
      'ERR_INVALID_MODULE_SPECIFIER',
      `Invalid module "${specifier}" is not a valid package name${from}`,
      {
        specifier,
        referrer: referrer ?? (base === undefined ? undefined : String(base)),
      },
    );
  }
  const packageSubpath = separator === -1 ? '.' : `.${specifier.slice(separator)}`;
  return { packageName, packageSubpath, isScoped };
}
