/**
 * Node's module resolution, for the Node host: the public face of ./resolve/.
 *
 * `import` follows the "Resolution Algorithm Specification" of Node's doc/api/esm.md
 * (./resolve/esm.ts: ESM_RESOLVE, PACKAGE_RESOLVE, PACKAGE_SELF_RESOLVE, ESM_FILE_FORMAT;
 * ./resolve/package-exports.ts: PACKAGE_EXPORTS_RESOLVE, PACKAGE_IMPORTS_RESOLVE,
 * PACKAGE_IMPORTS_EXPORTS_RESOLVE, PATTERN_KEY_COMPARE, PACKAGE_TARGET_RESOLVE); `require` follows
 * the require.resolve algorithm of doc/api/modules.md (./resolve/require.ts: LOAD_AS_FILE,
 * LOAD_AS_DIRECTORY, LOAD_NODE_MODULES, LOAD_PACKAGE_EXPORTS, LOAD_PACKAGE_SELF,
 * LOAD_PACKAGE_IMPORTS). The functions carry those names in camelCase.
 *
 * Where Node's implementation and its prose disagree, we do what Node does (Node is the oracle
 * our tests compare against); each such place is marked `DEVIATION(<operation> <step>)` with
 * the reason.
 *
 * Every resolver keeps its own caches (./resolve/file-system.ts: stat results and real paths;
 * package.json files; resolved specifiers, here); nothing is shared between resolvers, so a host
 * can drop its view of the disk with {@link Resolver.clearCache} at any time.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import { createError } from '../../errors/codes.js';
import { isBuiltinSpecifier } from './builtins.js';
import { type NodeBehaviour, RUNNING_NODE } from './node-release.js';
import { createPackageJsonCache, type PackageJsonCache } from './package-json.js';
import { type Conditions, makeConditions, type Request, type ResolutionContext } from './resolve/context.js';
import { addCommonJSHint, esmResolve, packageResolve, type ResolvedModule } from './resolve/esm.js';
import { FileSystemCache } from './resolve/file-system.js';
import { requireResolve } from './resolve/require.js';

export type { ModuleFormat, ResolvedModule } from './resolve/esm.js';
export { patternKeyCompare } from './resolve/package-exports.js';

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
  /**
   * Whose resolution to follow where Node releases differ (errors, package.json reading, "#/"
   * imports): the Node that runs modhost when omitted. A shared `packageJsonCache` keeps its own.
   */
  readonly node?: NodeBehaviour;
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

/** Resolution depends on the importer's folder only (the file name shows in errors, which are not cached). */
function parentKey(parentURL: string): string {
  if (!parentURL.startsWith('file:')) return parentURL;
  let end = parentURL.length;
  const query = parentURL.indexOf('?');
  if (query !== -1) end = query;
  const hash = parentURL.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  return parentURL.slice(0, parentURL.lastIndexOf('/', end - 1) + 1);
}

/** A resolver: the caches of one view of the disk, and the two entry points over them. */
class NodeResolver implements Resolver {
  readonly packageJson: PackageJsonCache;
  private readonly importConditions: Conditions;
  private readonly requireConditions: Conditions;
  private readonly roots: readonly string[];
  private readonly context: ResolutionContext;
  /** ESM_RESOLVE results by (conditions, importer folder, specifier). */
  private readonly resolved = new Map<string, ResolvedModule>();
  /**
   * ESM_RESOLVE results with the resolver's own conditions by importer URL, then specifier: the
   * lookup every import of a host (and of each of its forks) makes, without building a key.
   */
  private readonly resolvedByParent = new Map<string, Map<string, ResolvedModule>>();
  /** require.resolve results by (conditions, roots, requiring folder, id). */
  private readonly required = new Map<string, string>();

  constructor(options: ResolverOptions) {
    const node = options.node ?? RUNNING_NODE;
    this.packageJson = options.packageJsonCache ?? createPackageJsonCache({ node });
    this.importConditions = makeConditions(options.conditions ?? DEFAULT_IMPORT_CONDITIONS);
    this.requireConditions = makeConditions(options.requireConditions ?? DEFAULT_REQUIRE_CONDITIONS);
    this.roots = (options.roots ?? []).map((root) => resolvePath(root));
    const context: ResolutionContext = {
      node,
      files: new FileSystemCache(options.preserveSymlinks ?? false),
      packageJson: this.packageJson,
      extensions: options.extensions ?? DEFAULT_REQUIRE_EXTENSIONS,
      nodeModulePaths: new Map(),
      packageResolve: (specifier, base, conditions, request) =>
        packageResolve(context, specifier, base, conditions, request),
    };
    this.context = context;
  }

  clearCache(): void {
    this.context.files.clear();
    this.context.nodeModulePaths.clear();
    this.resolved.clear();
    this.resolvedByParent.clear();
    this.required.clear();
    this.packageJson.clear();
  }

  resolve(specifier: string, parentURL: string, options?: ResolveOptions): ResolvedModule {
    const own = options?.conditions === undefined;
    let byParent = own ? this.resolvedByParent.get(parentURL) : undefined;
    const known = byParent?.get(specifier);
    if (known !== undefined) return known;
    const conditions = own ? this.importConditions : makeConditions(options.conditions);
    const key = `${conditions.key}\u0001${parentKey(parentURL)}\u0001${specifier}`;
    let cached = this.resolved.get(key);
    if (cached === undefined) {
      cached = this.resolveUncached(specifier, parentURL, conditions);
      this.resolved.set(key, cached);
    }
    if (own) {
      if (byParent === undefined) {
        byParent = new Map();
        this.resolvedByParent.set(parentURL, byParent);
      }
      byParent.set(specifier, cached);
    }
    return cached;
  }

  private resolveUncached(specifier: string, parentURL: string, conditions: Conditions): ResolvedModule {
    let parent: URL;
    try {
      parent = new URL(parentURL);
    } catch {
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
      result = esmResolve(this.context, specifier, parent, conditions, request);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') && parent.protocol === 'file:') {
        addCommonJSHint(error as Error, specifier, parent, (id, parentPath) =>
          this.requireResolve(id, parentPath, this.requireConditions, this.roots, [parentPath]),
        );
      }
      throw error;
    }
    return result;
  }

  resolveRequire(id: string, parentPath: string, options?: RequireResolveOptions): string {
    const conditions = options?.conditions === undefined ? this.requireConditions : makeConditions(options.conditions);
    const rootList = options?.roots ?? options?.paths;
    const roots = rootList === undefined ? this.roots : rootList.map((root) => resolvePath(root));
    return this.requireResolve(id, parentPath, conditions, roots, options?.requireStack ?? [parentPath]);
  }

  /** require.resolve, cached per requiring folder. */
  private requireResolve(
    id: string,
    parentPath: string,
    conditions: Conditions,
    roots: readonly string[],
    requireStack: readonly string[],
  ): string {
    // (An id that is not a string, or a built-in, is answered before any lookup.)
    if (typeof id !== 'string' || isBuiltinSpecifier(id)) {
      return requireResolve(this.context, id, parentPath, conditions, roots, requireStack);
    }
    const key = `${conditions.key}\u0001${roots.join('\u0000')}\u0001${dirname(parentPath)}\u0001${id}`;
    const cached = this.required.get(key);
    if (cached !== undefined) return cached;
    const found = requireResolve(this.context, id, parentPath, conditions, roots, requireStack);
    this.required.set(key, found);
    return found;
  }
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
