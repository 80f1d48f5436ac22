/**
 * A package's "exports" and "imports" maps (Node's doc/api/esm.md, "Resolution Algorithm
 * Specification"): PACKAGE_EXPORTS_RESOLVE, PACKAGE_IMPORTS_RESOLVE, the pattern matching of
 * PACKAGE_IMPORTS_EXPORTS_RESOLVE and PATTERN_KEY_COMPARE, and PACKAGE_TARGET_RESOLVE. Used by
 * both `import` (./esm.ts) and `require` (./require.ts).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { displayPath, type PackageConfig } from '../package-json.js';
import {
  type Conditions,
  type Request,
  type ResolutionContext,
  resolutionError,
  scopeReadContext,
  tryParseURL,
} from './context.js';

const PERCENT_ESCAPE = /%([0-9a-fA-F]{2})/g;
const STAR = /\*/g;

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

/** Folder of a package.json URL as Node prints it: with a trailing separator. */
function packageFolder(pjsonURL: URL): string {
  return fileURLToPath(new URL('.', pjsonURL));
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
 * PACKAGE_IMPORTS_EXPORTS_RESOLVE steps 2–3: the most specific single-"*" key that matches
 * `matchKey` (ties keep the first key in property order, as a stable sort would).
 */
function bestPatternMatch(matchKey: string, matchObj: unknown): { key: string; match: string } | undefined {
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

/** Where a target sits and what it resolves for: the arguments of PACKAGE_TARGET_RESOLVE but the target. */
export interface PackageTargetOptions {
  /** The package.json whose "exports" or "imports" holds the target. */
  readonly pjsonURL: URL;
  /** The exports/imports key that matched (for messages). */
  readonly key: string;
  /** What the key's "*" matched; "" for an exact key. */
  readonly patternMatch: string;
  /** The key is a pattern: every "*" of a string target is replaced by `patternMatch`. */
  readonly pattern: boolean;
  /** The target is in "imports" (else "exports"). */
  readonly isImports: boolean;
  /** The importing module; `undefined` for `require` of a package found in node_modules. */
  readonly base: URL | undefined;
  readonly conditions: Conditions;
  readonly request: Request;
}

/**
 * PACKAGE_TARGET_RESOLVE. Returns a URL, `null` (explicitly excluded) or `undefined` (no
 * condition matched).
 */
export function packageTargetResolve(
  context: ResolutionContext,
  target: unknown,
  options: PackageTargetOptions,
): URL | null | undefined {
  if (typeof target === 'string') return packageTargetResolveString(context, target, options);
  if (Array.isArray(target)) {
    if (target.length === 0) return null;
    // DEVIATION(PACKAGE_TARGET_RESOLVE 3.iii): the last fallback "null or error" is tracked the way
    // Node does: an `undefined` result (no condition matched) leaves the last error standing.
    let last: unknown;
    for (const item of target) {
      let resolved: URL | null | undefined;
      try {
        resolved = packageTargetResolve(context, item, options);
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
      throw invalidConfig(
        options.pjsonURL,
        options.base,
        '"exports" cannot contain numeric property keys.',
        options.request,
      );
    }
    for (const condition of keys) {
      if (condition === 'default' || options.conditions.set.has(condition)) {
        const value = (target as Record<string, unknown>)[condition];
        const resolved = packageTargetResolve(context, value, options);
        if (resolved === undefined) continue;
        return resolved;
      }
    }
    return undefined;
  }
  if (target === null) return null;
  throw invalidTarget(options, target);
}

/** PACKAGE_TARGET_RESOLVE step 1: a string target. */
function packageTargetResolveString(context: ResolutionContext, target: string, options: PackageTargetOptions): URL {
  const { pjsonURL, key, patternMatch, pattern, isImports, base, request } = options;
  if (!target.startsWith('./')) {
    if (isImports && !target.startsWith('../') && !target.startsWith('/') && tryParseURL(target) === undefined) {
      const packageTarget = pattern ? target.replace(STAR, () => patternMatch) : target + patternMatch;
      // DEVIATION(PACKAGE_TARGET_RESOLVE 1.i.b): the importer of a package target is the
      // package.json itself (the prose says packageURL + "/"; same folder, but it shows in messages).
      return context.packageResolve(packageTarget, pjsonURL, options.conditions, request);
    }
    throw invalidTarget(options, target);
  }
  if (hasInvalidSegment(target.slice(2))) throw invalidTarget(options, target);
  const resolvedTarget = new URL(target, pjsonURL);
  if (!resolvedTarget.pathname.startsWith(new URL('.', pjsonURL).pathname)) throw invalidTarget(options, target);
  if (patternMatch === '') return resolvedTarget;
  if (hasInvalidSegment(patternMatch)) {
    const matched = pattern ? key.replace('*', () => patternMatch) : key + patternMatch;
    throw resolutionError(
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

/** PACKAGE_EXPORTS_RESOLVE. `base` is undefined for `require` of a package found in node_modules. */
export function packageExportsResolve(
  context: ResolutionContext,
  pjsonURL: URL,
  subpath: string,
  pjson: PackageConfig,
  base: URL | undefined,
  conditions: Conditions,
  request: Request,
): URL {
  let exports = pjson.exports;
  if (isConditionalExportsMainSugar(exports, pjsonURL, base, request)) exports = { '.': exports };
  const map = exports as Record<string, unknown>;
  // DEVIATION(PACKAGE_IMPORTS_EXPORTS_RESOLVE 1): an exact key is only looked up for subpaths
  // without "*" and not ending in "/".
  if (
    typeof exports === 'object' &&
    exports !== null &&
    hasOwn(exports, subpath) &&
    !subpath.includes('*') &&
    !subpath.endsWith('/')
  ) {
    const resolved = packageTargetResolve(context, map[subpath], {
      pjsonURL,
      key: subpath,
      patternMatch: '',
      pattern: false,
      isImports: false,
      base,
      conditions,
      request,
    });
    if (resolved === null || resolved === undefined) throw exportsNotFound(subpath, pjsonURL, base, request);
    return resolved;
  }
  const best = bestPatternMatch(subpath, exports);
  if (best !== undefined) {
    const resolved = packageTargetResolve(context, map[best.key], {
      pjsonURL,
      key: best.key,
      patternMatch: best.match,
      pattern: true,
      isImports: false,
      base,
      conditions,
      request,
    });
    if (resolved === null || resolved === undefined) throw exportsNotFound(subpath, pjsonURL, base, request);
    return resolved;
  }
  throw exportsNotFound(subpath, pjsonURL, base, request);
}

/** PACKAGE_EXPORTS_RESOLVE step 1–2: is `exports` the main export itself (string, array, conditions)? */
function isConditionalExportsMainSugar(
  exports: unknown,
  pjsonURL: URL,
  base: URL | undefined,
  request: Request,
): boolean {
  if (typeof exports === 'string' || Array.isArray(exports)) return true;
  if (typeof exports !== 'object' || exports === null) return false;
  const shape = exportsShape(exports);
  if (shape === 'mixed') {
    throw invalidConfig(
      pjsonURL,
      base,
      '"exports" cannot contain some keys starting with \'.\' and some not. The exports object must either be ' +
        'an object of package subpath keys or an object of main entry condition name keys only.',
      request,
    );
  }
  return shape === 'conditions';
}

/** PACKAGE_IMPORTS_RESOLVE. */
export function packageImportsResolve(
  context: ResolutionContext,
  name: string,
  base: URL,
  conditions: Conditions,
  request: Request,
): URL {
  // DEVIATION(PACKAGE_IMPORTS_RESOLVE 2): Node also rejects names ending in "/", and before
  // 24.14 / 25.4 names starting with "#/".
  if (name === '#' || (!context.node.slashSubpathImports && name.startsWith('#/')) || name.endsWith('/')) {
    throw resolutionError(
      'ERR_INVALID_MODULE_SPECIFIER',
      `Invalid module "${name}" is not a valid internal imports specifier name imported from ${displayPath(base)}`,
      request,
    );
  }
  const scope = context.packageJson.getPackageScopeConfig(base, scopeReadContext(request, base));
  let pjsonURL: URL | undefined;
  if (scope.exists) {
    pjsonURL = pathToFileURL(scope.pjsonPath);
    const imports = scope.imports;
    if (imports) {
      if (hasOwn(Object(imports), name) && !name.includes('*')) {
        const value = (imports as Record<string, unknown>)[name];
        const resolved = packageTargetResolve(context, value, {
          pjsonURL,
          key: name,
          patternMatch: '',
          pattern: false,
          isImports: true,
          base,
          conditions,
          request,
        });
        if (resolved !== null && resolved !== undefined) return resolved;
      } else {
        const best = bestPatternMatch(name, imports);
        if (best !== undefined) {
          const value = (imports as Record<string, unknown>)[best.key];
          const resolved = packageTargetResolve(context, value, {
            pjsonURL,
            key: best.key,
            patternMatch: best.match,
            pattern: true,
            isImports: true,
            base,
            conditions,
            request,
          });
          if (resolved !== null && resolved !== undefined) return resolved;
        }
      }
    }
  }
  const where = pjsonURL === undefined ? '' : ` in package ${packageFolder(pjsonURL)}package.json`;
  const message = `Package import specifier "${name}" is not defined${where} imported from ${displayPath(base)}`;
  throw resolutionError('ERR_PACKAGE_IMPORT_NOT_DEFINED', message, request, {
    packageJsonPath: pjsonURL === undefined ? undefined : fileURLToPath(pjsonURL),
  });
}

function invalidTarget(options: PackageTargetOptions, target: unknown): Error {
  const { pjsonURL, key, isImports, base } = options;
  const text = typeof target === 'object' && target !== null ? JSON.stringify(target, null, '') : String(target);
  const folder = packageFolder(pjsonURL);
  const from = base === undefined ? '' : ` imported from ${displayPath(base)}`;
  const hint = !isImports && text.length > 0 && !text.startsWith('./') ? '; targets must start with "./"' : '';
  const message =
    key === '.'
      ? `Invalid "exports" main target ${JSON.stringify(text)} defined in the package config ` +
        `${folder}package.json${from}${hint}`
      : `Invalid "${isImports ? 'imports' : 'exports'}" target ${JSON.stringify(text)} defined for '${key}' ` +
        `in the package config ${folder}package.json${from}${hint}`;
  return resolutionError('ERR_INVALID_PACKAGE_TARGET', message, options.request, {
    packageJsonPath: fileURLToPath(pjsonURL),
  });
}

function invalidConfig(pjsonURL: URL, base: URL | undefined, detail: string, request: Request): Error {
  const path = fileURLToPath(pjsonURL);
  // Node's wording: this message shows the importer as a URL, where every other one shows a path.
  const importing = base === undefined ? '' : ` while importing ${base.href}`;
  return resolutionError(
    'ERR_INVALID_PACKAGE_CONFIG',
    `Invalid package config ${path}${importing}. ${detail}`,
    request,
    {
      packageJsonPath: path,
    },
  );
}

function exportsNotFound(subpath: string, pjsonURL: URL, base: URL | undefined, request: Request): Error {
  const folder = packageFolder(pjsonURL);
  const from = base === undefined ? '' : ` imported from ${displayPath(base)}`;
  const message =
    subpath === '.'
      ? `No "exports" main defined in ${folder}package.json${from}`
      : `Package subpath '${subpath}' is not defined by "exports" in ${folder}package.json${from}`;
  return resolutionError('ERR_PACKAGE_PATH_NOT_EXPORTED', message, request, {
    packageJsonPath: fileURLToPath(pjsonURL),
  });
}
