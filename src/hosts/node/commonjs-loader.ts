/**
 * The Node file-system loader for the CommonJS runtime (src/commonjs/): ids resolve with the
 * shared Node resolver (./resolve.ts, Node's require.resolve algorithm plus `roots`), text comes
 * from `fs`, built-ins and native addons come from Node's own `require`, and module text is
 * compiled with `vm` under its file name, so stack traces show the file and line.
 */
import { readFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { type CommonJSRuntime, createCommonJS } from '../../commonjs/index.js';
import type { CommonJSLoader, Evaluator, EvaluatorInput, ExternalModule } from '../../commonjs/loader.js';
import type { CommonJSOptions } from '../../commonjs/runtime.js';
import { isBuiltinSpecifier } from './builtins.js';
import { nodeBuiltin } from './lazy-builtin.js';
import { RUNNING_NODE } from './node-release.js';
import { createResolver, type RequireResolveOptions, type Resolver } from './resolve.js';
import { isTypeScriptFile, stripTypeScriptTypes } from './typescript.js';

/** Options of {@link createNodeCommonJSLoader}. */
export interface NodeCommonJSLoaderOptions {
  /** The directory host-level ids (`cjs.require('./x')`, `cjs.use(…)`) resolve against. Default: `process.cwd()`. */
  readonly base?: string;
  /**
   * How module text becomes a function: `'function'` (default) uses `vm.compileFunction` (the
   * body is parsed alone, so it cannot close the wrapper early); `'script'` uses `vm.Script` on a
   * `(function (…) {…\n})` wrapper. Both name the file, with the file's own line numbers.
   */
  readonly compile?: 'function' | 'script';
  /**
   * The resolver to use (a fresh one from ./resolve.ts by default; share one to share its
   * caches). Its results are the filenames: real paths unless it preserves symlinks.
   */
  readonly resolver?: Resolver;
  /** Conditions for package `exports` (the resolver's `require` conditions by default). */
  readonly conditions?: readonly string[];
}

// Dynamic `import()` inside CommonJS code goes to Node's own ESM loader here; the Node host's
// evaluator (./host-commonjs.ts) rewrites the calls to go through modhost instead.
const importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/**
 * The name stack traces give a CommonJS file's code: its path, as Node names it, or for a
 * TypeScript file on Node 24.19+ its file: URL (Node compiles the stripped code under that name).
 */
export function commonJSScriptName(input: Pick<EvaluatorInput, 'filename' | 'uri'>): string {
  return RUNNING_NODE.typeScriptCommonJSFileURLs && isTypeScriptFile(input.filename) ? input.uri : input.filename;
}

/** A `vm`-based {@link Evaluator}. */
export function createNodeEvaluator(compile: 'function' | 'script' = 'function'): Evaluator {
  if (compile === 'script') {
    return (input: EvaluatorInput) => {
      const text = `(function (${input.params.join(', ')}) {${input.body}\n})`;
      const script = new vm.Script(text, { filename: commonJSScriptName(input), importModuleDynamically });
      return script.runInThisContext() as (...args: never[]) => unknown;
    };
  }
  return (input: EvaluatorInput) =>
    vm.compileFunction(input.body, [...input.params], {
      filename: commonJSScriptName(input),
      importModuleDynamically,
    }) as (...args: never[]) => unknown;
}

/** Absolute POSIX paths whose characters a file: URL keeps as they are. */
const SAFE_POSIX_PATH = /^\/[A-Za-z0-9._/@+-]*$/;

function isMissingFile(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

/**
 * A resolver miss (nothing matches the id) as opposed to a package error (a bad "main", an
 * unexported subpath): ./resolve.ts reports both as MODULE_NOT_FOUND, but only a miss is
 * "missing" for the runtime (which words its own error, with the full require stack).
 */
function isPlainMiss(error: unknown, id: string): boolean {
  const e = error as { code?: unknown; specifier?: unknown; path?: unknown; cause?: unknown } | null;
  return (
    e !== null &&
    typeof e === 'object' &&
    e.code === 'MODULE_NOT_FOUND' &&
    e.specifier === id &&
    e.path === undefined &&
    e.cause === undefined
  );
}

/**
 * The file a `require` from the host itself (no requiring module) resolves from: a name in the
 * base folder that no file has, so relative ids resolve against the base.
 */
export function hostParentPath(base: string): string {
  return join(base, '[modhost host]');
}

/**
 * Creates the Node loader. URIs are `file:` URLs (and `node:<name>` for built-ins); filenames are
 * absolute paths, so `require.resolve` and `require.cache` keys look as they do in Node. The text
 * of a TypeScript file (`.ts`, `.cts`, `.mts`) is read with its types stripped (./typescript.ts),
 * as Node 24 runs it.
 *
 * @example
 * const cjs = createCommonJS({ loader: createNodeCommonJSLoader({ base: '/app' }), roots: ['/app/lib'] });
 */
export function createNodeCommonJSLoader(options: NodeCommonJSLoaderOptions = {}): CommonJSLoader {
  const base = resolvePath(options.base ?? process.cwd());
  const hostParent = hostParentPath(base);
  const resolver = options.resolver ?? createResolver();
  const conditions = options.conditions;
  const pathToUri = new Map<string, string>();
  const uriToPath = new Map<string, string>();
  const resolveOptions = new WeakMap<readonly string[], RequireResolveOptions>();
  const nodeRequire = createRequire(import.meta.url);

  function uriOf(path: string): string {
    let uri = pathToUri.get(path);
    if (uri === undefined) {
      // Most paths need no percent-encoding; pathToFileURL costs microseconds per call.
      uri = SAFE_POSIX_PATH.test(path) ? `file://${path}` : pathToFileURL(path).href;
      pathToUri.set(path, uri);
      uriToPath.set(uri, path);
    }
    return uri;
  }

  function pathOf(uri: string): string {
    let path = uriToPath.get(uri);
    if (path === undefined) {
      path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
      uriToPath.set(uri, path);
    }
    return path;
  }

  /** Resolver options for a roots list (the runtime passes the same frozen array every time). */
  function optionsFor(roots: readonly string[]): RequireResolveOptions {
    let found = resolveOptions.get(roots);
    if (found === undefined) {
      found = {
        roots: roots.map((root) => (root.startsWith('file:') ? fileURLToPath(root) : resolvePath(base, root))),
        // The runtime words MODULE_NOT_FOUND itself, with the whole require stack.
        requireStack: [],
        ...(conditions === undefined ? {} : { conditions }),
      };
      resolveOptions.set(roots, found);
    }
    return found;
  }

  return {
    resolve(id, parent, roots) {
      // Built-ins: one URI for both spellings (`fs`, `node:fs`).
      if (isBuiltinSpecifier(id)) return id.startsWith('node:') ? id : `node:${id}`;
      const parentPath = parent === null ? hostParent : pathOf(parent);
      let found: string;
      try {
        found = resolver.resolveRequire(id, parentPath, optionsFor(roots));
      } catch (error) {
        if (isPlainMiss(error, id)) return null;
        throw error;
      }
      // A package "imports" target may name a built-in.
      return found.startsWith('node:') ? found : uriOf(found);
    },
    read(uri) {
      let text: string;
      try {
        text = readFileSync(pathOf(uri), 'utf8');
      } catch (error) {
        if (isMissingFile(error)) return null;
        throw error;
      }
      return isTypeScriptFile(uri) ? stripTypeScriptTypes(text, { url: uri, shown: pathOf(uri) }) : text;
    },
    async readAsync(uri) {
      let text: string;
      try {
        text = await nodeBuiltin<typeof FsPromises>('node:fs/promises').readFile(pathOf(uri), 'utf8');
      } catch (error) {
        if (isMissingFile(error)) return null;
        throw error;
      }
      return isTypeScriptFile(uri) ? stripTypeScriptTypes(text, { url: uri, shown: pathOf(uri) }) : text;
    },
    filename: pathOf,
    dirname,
    external(uri): ExternalModule | undefined {
      if (uri.startsWith('node:')) return { exports: nodeRequire(uri) };
      // Native addons are binary: Node's own loader opens them (process.dlopen).
      if (uri.endsWith('.node')) return { exports: nodeRequire(pathOf(uri)) };
      return undefined;
    },
    evaluator: createNodeEvaluator(options.compile),
  };
}

/** Options of {@link createNodeCommonJS}: the runtime's, minus the loader, plus the Node loader's. */
export type NodeCommonJSOptions = Omit<CommonJSOptions, 'loader'> & NodeCommonJSLoaderOptions;

/**
 * A CommonJS runtime over the file system.
 *
 * @example
 * const cjs = createNodeCommonJS({ roots: ['./lib'], globals: { print: console.log } });
 * cjs.use('./main.js');
 */
export function createNodeCommonJS(options: NodeCommonJSOptions = {}): CommonJSRuntime {
  const loader = createNodeCommonJSLoader(options);
  return createCommonJS({ ...options, loader });
}
