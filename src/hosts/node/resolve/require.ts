/**
 * `require` resolution: the require.resolve algorithm of Node's doc/api/modules.md (LOAD_AS_FILE,
 * LOAD_AS_DIRECTORY, LOAD_NODE_MODULES, LOAD_PACKAGE_EXPORTS, LOAD_PACKAGE_SELF,
 * LOAD_PACKAGE_IMPORTS) as Node's `Module._resolveFilename` runs it, plus `roots`: folders
 * searched first for top-level ids.
 */
import { dirname, isAbsolute, join, normalize, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createError } from '../../../errors/codes.js';
import { isBuiltinSpecifier } from '../builtins.js';
import {
  type Conditions,
  ENCODED_SEPARATOR,
  type Request,
  type ResolutionContext,
  resolutionError,
} from './context.js';
import { DIRECTORY, FILE } from './file-system.js';
import { packageExportsResolve, packageImportsResolve } from './package-exports.js';

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

/**
 * Node's `Module._nodeModulePaths`: `<dir>/node_modules` for `from` and each ancestor not itself
 * a node_modules folder.
 */
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

/**
 * require.resolve(id) from the module at `parentPath`: the absolute path of the file, or the id
 * itself for a built-in. `requireStack` is the chain of requiring modules a MODULE_NOT_FOUND names.
 */
export function requireResolve(
  context: ResolutionContext,
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
  const request: Request = { specifier: id, referrer: parentPath };
  const found =
    loadPackageImports(context, id, parentPath, conditions, request) ??
    loadPackageSelf(context, id, parentPath, conditions, request) ??
    findPath(context, id, requireLookupPaths(context, id, parentDir, roots), conditions, request);
  if (found === undefined) {
    const stack = requireStack.length > 0 ? `\nRequire stack:\n- ${requireStack.join('\n- ')}` : '';
    throw createError('MODULE_NOT_FOUND', `Cannot find module '${id}'${stack}`, {
      specifier: id,
      referrer: parentPath,
      requireStack: [...requireStack],
    });
  }
  return found;
}

/** Where LOAD_AS_FILE / LOAD_AS_DIRECTORY / LOAD_NODE_MODULES look for `id`. */
function requireLookupPaths(
  context: ResolutionContext,
  id: string,
  parentDir: string,
  roots: readonly string[],
): readonly string[] {
  if (isRelativeRequire(id)) return [parentDir];
  let modules = context.nodeModulePaths.get(parentDir);
  if (modules === undefined) {
    modules = nodeModulePaths(parentDir);
    context.nodeModulePaths.set(parentDir, modules);
  }
  return roots.length === 0 ? modules : [...roots, ...modules];
}

/** LOAD_PACKAGE_IMPORTS. */
function loadPackageImports(
  context: ResolutionContext,
  id: string,
  parentPath: string,
  conditions: Conditions,
  request: Request,
): string | undefined {
  if (!id.startsWith('#')) return undefined;
  const scope = context.packageJson.getPackageScopeConfig(parentPath, {
    commonjs: true,
    specifier: id,
    referrer: parentPath,
  });
  if (!scope.exists || scope.imports === null || scope.imports === undefined) return undefined;
  return esmMatch(id, undefined, request, () => {
    const resolved = packageImportsResolve(context, id, pathToFileURL(parentPath), conditions, request);
    return finalizeEsmResolution(context, resolved, parentPath, dirname(scope.pjsonPath), request);
  });
}

/** LOAD_PACKAGE_SELF. */
function loadPackageSelf(
  context: ResolutionContext,
  id: string,
  parentPath: string,
  conditions: Conditions,
  request: Request,
): string | undefined {
  const scope = context.packageJson.getPackageScopeConfig(parentPath, {
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
  return esmMatch(id, scope.pjsonPath, request, () => {
    const parentURL = pathToFileURL(parentPath);
    const resolved = packageExportsResolve(context, pjsonURL, expansion, scope, parentURL, conditions, request);
    return finalizeEsmResolution(context, resolved, parentPath, dirname(scope.pjsonPath), request);
  });
}

/** LOAD_PACKAGE_EXPORTS for one lookup folder: `<folder>/<name>/package.json` with "exports". */
function loadPackageExports(
  context: ResolutionContext,
  folder: string,
  id: string,
  conditions: Conditions,
  request: Request,
): string | undefined {
  const parts = splitExportsRequest(id);
  if (parts === undefined) return undefined;
  const packagePath = resolvePath(folder, parts.name);
  const pjsonPath = join(packagePath, 'package.json');
  const pjson = context.packageJson.read(pjsonPath, { commonjs: true, specifier: id, referrer: request.referrer });
  if (!pjson.exists || pjson.exports === null || pjson.exports === undefined) return undefined;
  return esmMatch(id, pjsonPath, request, () => {
    const pjsonURL = pathToFileURL(pjsonPath);
    const subpath = `.${parts.expansion}`;
    const resolved = packageExportsResolve(context, pjsonURL, subpath, pjson, undefined, conditions, request);
    return finalizeEsmResolution(context, resolved, undefined, packagePath, request);
  });
}

/**
 * An "exports" / "imports" match for `require(id)`: what `match` resolves, with ESM resolution's
 * ERR_MODULE_NOT_FOUND turned into `require`'s MODULE_NOT_FOUND for `id` (naming `pjsonPath`).
 */
function esmMatch(id: string, pjsonPath: string | undefined, request: Request, match: () => string): string {
  try {
    return match();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') throw esmNotFound(id, pjsonPath, request, error);
    throw error;
  }
}

/** RESOLVE_ESM_MATCH: an exports/imports result must be an existing file (no extension search). */
function finalizeEsmResolution(
  context: ResolutionContext,
  resolved: URL,
  parentPath: string | undefined,
  packagePath: string,
  request: Request,
): string {
  // DEVIATION(LOAD_PACKAGE_IMPORTS): an "imports" target naming a built-in gives the built-in
  // (Node's CommonJS loader throws ERR_INVALID_URL_SCHEME there).
  if (resolved.protocol === 'node:') return resolved.href;
  if (ENCODED_SEPARATOR.test(resolved.href)) {
    const from = parentPath === undefined ? '' : ` imported from ${parentPath}`;
    const message = `Invalid module "${resolved.href}" must not include encoded "/" or "\\" characters${from}`;
    throw resolutionError('ERR_INVALID_MODULE_SPECIFIER', message, request, { url: resolved.href });
  }
  const filename = fileURLToPath(resolved);
  const actual = context.files.tryFile(filename);
  if (actual !== undefined) return actual;
  throw esmNotFound(filename, join(packagePath, 'package.json'), request);
}

function esmNotFound(missing: string, pjsonPath: string | undefined, request: Request, cause?: unknown): Error {
  return resolutionError('MODULE_NOT_FOUND', `Cannot find module '${missing}'`, request, {
    path: pjsonPath,
    packageJsonPath: pjsonPath,
    cause,
  });
}

/** Node's `Module._findPath`: each lookup folder in turn, exports first, then file, then folder. */
function findPath(
  context: ResolutionContext,
  request: string,
  paths: readonly string[],
  conditions: Conditions,
  requested: Request,
): string | undefined {
  const files = context.files;
  const absolute = isAbsolute(request);
  const folders = absolute ? [''] : paths;
  const trailingSlash = hasTrailingSlash(request);
  // A request that climbs out of its folder must not be skipped just because the folder is missing.
  const insidePath = !(startsRelativeToParent(request) && normalize(request).startsWith('..'));
  for (const folder of folders) {
    if (insidePath && folder !== '' && files.stat(folder) !== DIRECTORY) continue;
    if (!absolute) {
      const exported = loadPackageExports(context, folder, request, conditions, requested);
      if (exported !== undefined) return exported;
    }
    const basePath = resolvePath(folder, request);
    const kind = files.stat(basePath);
    let filename: string | undefined;
    if (!trailingSlash) {
      if (kind === FILE) filename = files.realpath(basePath);
      filename ??= tryExtensions(context, basePath);
    }
    if (filename === undefined && kind === DIRECTORY) filename = tryPackage(context, basePath, request, requested);
    if (filename !== undefined) return filename;
  }
  return undefined;
}

/** LOAD_AS_DIRECTORY. */
function tryPackage(
  context: ResolutionContext,
  requestPath: string,
  originalRequest: string,
  requested: Request,
): string | undefined {
  const pjsonPath = join(requestPath, 'package.json');
  const main = context.packageJson.read(pjsonPath, {
    commonjs: true,
    specifier: originalRequest,
    referrer: requested.referrer,
  }).main;
  if (!main) return tryExtensions(context, resolvePath(requestPath, 'index'));
  const filename = resolvePath(requestPath, main);
  const found =
    context.files.tryFile(filename) ??
    tryExtensions(context, filename) ??
    tryExtensions(context, resolvePath(filename, 'index')) ??
    tryExtensions(context, resolvePath(requestPath, 'index'));
  if (found === undefined) {
    const message = `Cannot find module '${filename}'. Please verify that the package.json has a valid "main" entry`;
    throw resolutionError('MODULE_NOT_FOUND', message, requested, {
      path: pjsonPath,
      packageJsonPath: pjsonPath,
      requestPath: originalRequest,
    });
  }
  return found;
}

/** LOAD_AS_FILE: `basePath` with each extension in turn. */
function tryExtensions(context: ResolutionContext, basePath: string): string | undefined {
  for (const extension of context.extensions) {
    const found = context.files.tryFile(basePath + extension);
    if (found !== undefined) return found;
  }
  return undefined;
}
