/**
 * `import` resolution: the "Resolution Algorithm Specification" of Node's doc/api/esm.md
 * (ESM_RESOLVE, PACKAGE_RESOLVE, PACKAGE_SELF_RESOLVE, ESM_FILE_FORMAT; the "exports"/"imports"
 * steps are in ./package-exports.ts), each function named after its step in camelCase.
 */
import { normalize, posix, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createError } from '../../../errors/codes.js';
import { isBareBuiltin, isBuiltinSpecifier } from '../builtins.js';
import { displayPath, type PackageConfig, type PackageJsonReadContext, parsePackageName } from '../package-json.js';
import {
  type Conditions,
  ENCODED_SEPARATOR,
  type Request,
  type ResolutionContext,
  resolutionError,
  scopeReadContext,
  tryParseURL,
} from './context.js';
import { DIRECTORY, FILE, hasWasmHeader } from './file-system.js';
import { packageExportsResolve, packageImportsResolve } from './package-exports.js';

/** What a resolved module is, as ESM_FILE_FORMAT (or the `node:`/`data:` scheme) says. */
export type ModuleFormat =
  | 'module'
  | 'commonjs'
  | 'module-typescript'
  | 'commonjs-typescript'
  | 'json'
  | 'wasm'
  | 'builtin'
  | undefined;

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

/** Main-field probes of Node's legacy main resolution, in order (the last three ignore "main"). */
const LEGACY_MAIN_SUFFIXES = ['', '.js', '.json', '.node', '/index.js', '/index.json', '/index.node'] as const;
const LEGACY_INDEX_EXTENSIONS = ['.js', '.json', '.node'] as const;

/** "./x", "../x", "." and ".." — Node also takes the bare dots as relative. */
export function isRelativeSpecifier(specifier: string): boolean {
  if (specifier.charCodeAt(0) !== 0x2e /* . */) return false;
  if (specifier.length === 1 || specifier.charCodeAt(1) === 0x2f /* / */) return true;
  return specifier.charCodeAt(1) === 0x2e && (specifier.length === 2 || specifier.charCodeAt(2) === 0x2f);
}

function isRelativeOrAbsolute(specifier: string): boolean {
  return specifier.charCodeAt(0) === 0x2f || isRelativeSpecifier(specifier);
}

/** The extension of a URL's last path segment ("" for none, and for dot-files such as ".mjs"). */
export function urlExtension(pathname: string): string {
  for (let i = pathname.length - 1; i > 0; i--) {
    const code = pathname.charCodeAt(i);
    if (code === 0x2f) return '';
    if (code === 0x2e) return pathname.charCodeAt(i - 1) === 0x2f ? '' : pathname.slice(i);
  }
  return '';
}

/**
 * The load step's check for a file whose format resolution left open (ESM_FILE_FORMAT's last step,
 * "undefined (will throw during load phase)"): only a `.js` or extension-less file is ambiguous;
 * any other extension is Node's ERR_UNKNOWN_FILE_EXTENSION.
 */
export function checkAmbiguousExtension(url: string): void {
  const extension = urlExtension(new URL(url).pathname);
  if (extension === '' || extension === '.js') return;
  const path = fileURLToPath(url);
  throw createError('ERR_UNKNOWN_FILE_EXTENSION', `Unknown file extension "${extension}" for ${path}`, {
    url,
    extension,
  });
}

/** Module format of a data: URL from its MIME type. */
function dataURLFormat(url: URL): ModuleFormat {
  const body = url.pathname;
  const comma = body.indexOf(',');
  const type = comma === -1 ? body : body.slice(0, comma);
  const semicolon = type.indexOf(';');
  const mime = (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase();
  if (mime === 'text/javascript' || mime === 'application/javascript') return 'module';
  if (mime === 'application/json') return 'json';
  if (mime === 'application/wasm') return 'wasm';
  return undefined;
}

/** Reading a package found in node_modules: "while importing "<specifier>" from <importer>". */
function packageReadContext(request: Request, specifier: string, base: URL): PackageJsonReadContext {
  return { specifier: request.specifier, base, referrer: request.referrer, importing: specifier };
}

/** ESM_RESOLVE. */
export function esmResolve(
  context: ResolutionContext,
  specifier: string,
  parent: URL,
  conditions: Conditions,
  request: Request,
): ResolvedModule {
  let resolved: URL;
  // DEVIATION(ESM_RESOLVE 2-3): Node tests for relative specifiers before trying the specifier
  // as a URL (the prose does it the other way round; no relative specifier parses as a URL, so
  // the order does not matter), and it counts "." and ".." as relative, which the prose would
  // call bare.
  if (isRelativeOrAbsolute(specifier)) {
    const url = tryParseURL(specifier, parent);
    if (url === undefined) throw unresolvable(specifier, parent, request);
    resolved = url;
  } else if (parent.protocol === 'file:' && specifier.startsWith('#')) {
    resolved = packageImportsResolve(context, specifier, parent, conditions, request);
  } else {
    const url = tryParseURL(specifier);
    if (url !== undefined) {
      resolved = url;
    } else {
      if (parent.protocol !== 'file:' && !isBareBuiltin(specifier)) throw unresolvable(specifier, parent, request);
      resolved = packageResolve(context, specifier, parent, conditions, request);
    }
  }
  switch (resolved.protocol) {
    case 'file:': {
      const url = finalizeResolution(context, resolved, parent, request);
      return { url: url.href, format: esmFileFormat(context, url, request) };
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

function unresolvable(specifier: string, parent: URL, request: Request): Error {
  return resolutionError(
    'ERR_INVALID_MODULE_SPECIFIER',
    `Failed to resolve module specifier "${specifier}" from "${parent.href}": ` +
      'Invalid relative URL or base scheme is not hierarchical.',
    request,
  );
}

/** ESM_RESOLVE step 7: encoded separators, folders, missing files, real path. */
function finalizeResolution(context: ResolutionContext, resolved: URL, base: URL, request: Request): URL {
  if (ENCODED_SEPARATOR.test(resolved.pathname)) {
    throw resolutionError(
      'ERR_INVALID_MODULE_SPECIFIER',
      `Invalid module "${resolved.pathname}" must not include encoded "/" or "\\" characters ` +
        `imported from ${displayPath(base)}`,
      request,
      { url: resolved.href },
    );
  }
  let path: string;
  try {
    path = fileURLToPath(resolved);
  } catch (cause) {
    throw resolutionError(
      'ERR_INVALID_MODULE_SPECIFIER',
      `Invalid module "${resolved.href}": ${(cause as Error).message}`,
      request,
      { url: resolved.href, cause },
    );
  }
  // DEVIATION(ESM_RESOLVE 7.ii): a URL that ends in "/" always names a folder, whether or not one exists there.
  const kind = path.endsWith(sep) ? DIRECTORY : context.files.stat(path);
  if (kind === DIRECTORY) {
    throw resolutionError(
      'ERR_UNSUPPORTED_DIR_IMPORT',
      `Directory import '${path}' is not supported resolving ES modules imported from ${displayPath(base)}`,
      request,
      { url: resolved.href },
    );
  }
  if (kind !== FILE) {
    throw resolutionError(
      'ERR_MODULE_NOT_FOUND',
      `Cannot find module '${path}' imported from ${displayPath(base)}`,
      request,
      { url: resolved.href },
    );
  }
  if (context.files.preserveSymlinks) return resolved;
  const real = pathToFileURL(context.files.realpath(path));
  real.search = resolved.search;
  real.hash = resolved.hash;
  return real;
}

/** PACKAGE_RESOLVE. */
export function packageResolve(
  context: ResolutionContext,
  specifier: string,
  base: URL,
  conditions: Conditions,
  request: Request,
): URL {
  if (isBareBuiltin(specifier)) return new URL(`node:${specifier}`);
  // DEVIATION(PACKAGE_RESOLVE 2): Node lets "" through as a package name (the prose's step 2
  // would reject it); it then looks for "node_modules//package.json" and fails with
  // ERR_MODULE_NOT_FOUND.
  const { packageName, packageSubpath, isScoped } = parsePackageName(specifier, base, request.referrer);
  // DEVIATION(PACKAGE_RESOLVE 8): Node does not apply this step (a subpath ending in "/" is
  // invalid); such a subpath fails later, as not exported or as a folder.
  const self = packageSelfResolve(context, packageName, packageSubpath, base, conditions, request);
  if (self !== undefined) return self;
  // PACKAGE_RESOLVE 11: the walk is done on URLs, as Node does, so that odd names ("", "@scope/")
  // look in the same places and fail with the same paths.
  const up = isScoped ? '../../../../node_modules/' : '../../../node_modules/';
  let pjsonURL = new URL(`./node_modules/${packageName}/package.json`, base);
  let pjsonPath = fileURLToPath(pjsonURL);
  let lastPath: string;
  do {
    // The folder is the package.json path without "/package.json".
    if (context.files.stat(pjsonPath.slice(0, -13)) !== DIRECTORY) {
      lastPath = pjsonPath;
      pjsonURL = new URL(`${up}${packageName}/package.json`, pjsonURL);
      pjsonPath = fileURLToPath(pjsonURL);
      continue;
    }
    const pjson = context.packageJson.read(pjsonPath, packageReadContext(request, specifier, base));
    if (pjson.exports !== null && pjson.exports !== undefined) {
      return packageExportsResolve(context, pjsonURL, packageSubpath, pjson, base, conditions, request);
    }
    if (packageSubpath === '.') return legacyMainResolve(context, pjsonURL, pjson, base, request);
    return new URL(packageSubpath, pjsonURL);
  } while (pjsonPath.length !== lastPath.length);
  throw resolutionError(
    'ERR_MODULE_NOT_FOUND',
    `Cannot find package '${packageName}' imported from ${displayPath(base)}`,
    request,
  );
}

/** PACKAGE_SELF_RESOLVE. */
function packageSelfResolve(
  context: ResolutionContext,
  packageName: string,
  packageSubpath: string,
  base: URL,
  conditions: Conditions,
  request: Request,
): URL | undefined {
  if (base.protocol !== 'file:') return undefined;
  const scope = context.packageJson.getPackageScopeConfig(base, scopeReadContext(request, base));
  if (!scope.exists || scope.exports === null || scope.exports === undefined || scope.name !== packageName)
    return undefined;
  const pjsonURL = pathToFileURL(scope.pjsonPath);
  return packageExportsResolve(context, pjsonURL, packageSubpath, scope, base, conditions, request);
}

/**
 * DEVIATION(PACKAGE_RESOLVE 11.vi): where the prose says "return the URL resolution of main",
 * Node probes main, main with .js/.json/.node, main/index.*, then index.* in the package folder
 * (DEP0151 legacy lookup).
 */
function legacyMainResolve(
  context: ResolutionContext,
  pjsonURL: URL,
  pjson: PackageConfig,
  base: URL,
  request: Request,
): URL {
  const main = pjson.main;
  let missingPath: string | undefined;
  if (main !== undefined) {
    // Node probes paths built from "./" + main but returns URLs built from main itself; the
    // two differ only for odd mains (absolute ones), and we keep both as Node has them.
    const initial = fileURLToPath(new URL(`./${main}`, pjsonURL));
    missingPath = initial;
    for (const suffix of LEGACY_MAIN_SUFFIXES) {
      if (context.files.stat(initial + suffix) === FILE) return new URL((main || './') + suffix, pjsonURL);
    }
  }
  const index = fileURLToPath(new URL('./index', pjsonURL));
  for (const extension of LEGACY_INDEX_EXTENSIONS) {
    if (context.files.stat(index + extension) === FILE) return new URL(`./index${extension}`, pjsonURL);
  }
  let missing = missingPath ?? `${index}.js`;
  // Node 21.2+ builds the path in C++, normalized ("node_modules//index.js" for the package "",
  // no "/" after the folder of an empty "main").
  if (context.node.packageJsonReader === 'native') {
    missing = normalize(missing);
    if (missing.length > 1 && missing.endsWith(sep)) missing = missing.slice(0, -1);
  }
  throw resolutionError(
    'ERR_MODULE_NOT_FOUND',
    `Cannot find package '${missing}' imported from ${displayPath(base)}`,
    request,
    { packageJsonPath: fileURLToPath(pjsonURL) },
  );
}

/**
 * ESM_FILE_FORMAT. DEVIATION(ESM_FILE_FORMAT 5): ".wasm" is "wasm" without a flag, and ".ts",
 * ".mts", ".cts" are TypeScript on every Node (Node 20 knows no TypeScript; 22.18+ strips it).
 * DEVIATION(ESM_FILE_FORMAT 10.ii, 11.iii): DETECT_MODULE_SYNTAX needs the source, which
 * resolution does not read; the format is `undefined` then, as Node's own resolve step returns.
 */
function esmFileFormat(context: ResolutionContext, url: URL, request: Request): ModuleFormat {
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
    // TypeScript as Node 24 strips it (./typescript.ts), on every Node: `.mts` and `.cts` say
    // their format; a `.ts` file has its package's "type", and without one Node's resolve step
    // answers "module-typescript" and the load step decides from the stripped text.
    case '.mts':
      return 'module-typescript';
    case '.cts':
      return 'commonjs-typescript';
    case '.ts': {
      const packageType = context.packageJson.getPackageScopeConfig(url, scopeReadContext(request, url)).type;
      return packageType === 'commonjs' ? 'commonjs-typescript' : 'module-typescript';
    }
    case '.js':
    case '': {
      const path = fileURLToPath(url);
      const packageType = context.packageJson.getPackageScopeConfig(url, scopeReadContext(request, url)).type;
      if (extension === '' && packageType === 'module' && hasWasmHeader(path)) return 'wasm';
      return packageType === 'none' ? undefined : packageType;
    }
    default:
      return undefined;
  }
}

/**
 * Node's hint for a failed import: what `require` would have found (`requireResolve(id,
 * parentPath)`), written as the user could import it ("./x.js", "pkg/lib/index.js").
 */
export function addCommonJSHint(
  error: Error,
  specifier: string,
  parent: URL,
  requireResolve: (id: string, parentPath: string) => string,
): void {
  let found: string | false;
  let wanted = specifier;
  try {
    if (wanted.startsWith('file://')) wanted = fileURLToPath(wanted);
    const parentPath = fileURLToPath(parent);
    found = requireResolve(wanted, parentPath);
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
