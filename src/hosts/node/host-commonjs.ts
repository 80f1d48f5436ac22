/**
 * The Node host's CommonJS side: one CommonJS runtime (src/commonjs/) per host, and the interop
 * between it and the host's ES modules, as Node 20.19+/22 has it:
 *
 * - `import` of a CommonJS file → a synthetic module (./commonjs-module.ts) that runs the file
 *   through this runtime;
 * - `require()` of an ES module (`.mjs`, `.js` in a `"type": "module"` package, or an ambiguous
 *   `.js` with module syntax) → its namespace, loaded, linked and evaluated synchronously
 *   (./require-esm.ts), through a wrapper the evaluator (./commonjs-evaluator.ts) returns instead
 *   of compiling the text;
 * - `import()` in CommonJS code → the host's import, resolved from the CommonJS file (the
 *   evaluator rewrites the call to a function in the module's scope);
 * - ambiguous files (`.js` without a package "type") → CommonJS unless their syntax says ES module
 *   (./detect-format.ts), both for `import` and for `require`.
 *
 * A fresh host has a fresh runtime, hence fresh CommonJS module instances, as it has fresh ES
 * module instances.
 */
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PLAIN_PARAMS } from '../../commonjs/globals.js';
import { type CommonJSLoader, type CommonJSRuntime, createCommonJS, requireFresh } from '../../commonjs/index.js';
import type { CommonJSModule } from '../../commonjs/module.js';
import type { CommonJSOptions } from '../../commonjs/runtime.js';
import { createError } from '../../errors/codes.js';
import type { ModuleRecord, Realm, SyntheticModuleRecord } from '../../records/index.js';
import type { HookChains, LoadedByHooks, ResolvedByHooks } from '../hooks/chain.js';
import { type MockRegistry, NOT_MOCKED } from '../hooks/mocks.js';
import type { Sharing } from '../hooks/share.js';
import { createHostCommonJSEvaluator } from './commonjs-evaluator.js';
import { createNodeCommonJSLoader, hostParentPath } from './commonjs-loader.js';
import { commonJSExportNames, createCommonJSModuleRecord, syntheticExportNames } from './commonjs-module.js';
import type { CompileCache } from './compile-cache.js';
import { type RequireFormat, requireFormatOf } from './detect-format.js';
import { createRequireModule } from './require-esm.js';
import type { Resolver } from './resolve.js';
import { isTypeScriptFile } from './typescript.js';

/** CommonJS options of a Node host. */
export interface NodeHostCommonJSOptions {
  /**
   * Folders searched for top-level `require` ids before `node_modules` (the CommonJS article's roots).
   * Default: none. Read when the runtime is created (the first CommonJS module or `host.commonjs`).
   */
  readonly roots?: readonly string[];
  /** Extra names CommonJS module code sees (wrapper parameters, e.g. `print`). */
  readonly globals?: Readonly<Record<string, unknown>>;
  /** `'throw'` (default) or `'null'` (the CommonJS article's behaviour) for a missing module. */
  readonly onMissing?: 'throw' | 'null';
  /** The folder host-level ids (`host.commonjs.require('./x')`) resolve against. Default: `process.cwd()`. */
  readonly base?: string;
  /** Told about `require.async` failures and callback errors (the CommonJS runtime's `onAsyncError`). */
  readonly onAsyncError?: CommonJSOptions['onAsyncError'];
}

/** What a hot host adds to its CommonJS runtime. */
export interface HostCommonJSHot {
  /** The runtime's `onModule`: gives the module its `module.hot`, remembers its text. */
  onModule(module: CommonJSModule, text: string): void;
}

/** What the host gives its CommonJS side. */
export interface HostCommonJSParts {
  readonly realm: Realm;
  readonly resolver: Resolver;
  readonly requireConditions: readonly string[];
  readonly options: NodeHostCommonJSOptions;
  /** The host's hook chains: `require` and `require.resolve` go through them too. */
  readonly hooks: HookChains | undefined;
  /** The host's mocks: `require` of a mocked URL gets the mock. */
  readonly mocks: MockRegistry;
  /** A fork's sharing: `require` of a shared module may get the parent's instance. */
  readonly sharing: Sharing | undefined;
  /** Caches the host shares with its forks (export names, detected formats). */
  readonly shared: {
    readonly exportNames: Map<string, Set<string>>;
    readonly formats: Map<string, 'module' | 'commonjs'>;
  };
  /** Throws ERR_MODHOST_HOST_DISPOSED once the host is disposed. */
  checkLive(): void;
  /** Runs `fn` with the loads it causes needing synchronous answers (`require()` of ES modules). */
  synchronously<T>(fn: () => T): T;
  /** The ES module record for a file URL the host loads as `format` (an ES module, or a TypeScript one), now. */
  moduleRecordFor(url: string, format: 'module' | 'module-typescript'): ModuleRecord;
  /** `import(specifier, options)` from the module at `referrerURL`: the namespace, or a rejection. */
  importFrom(specifier: unknown, options: unknown, referrerURL: string): Promise<unknown>;
  /** A module record for ES module `text` named `url`, whose imports the host resolves from `url`. */
  facadeRecord(text: string, url: string): ModuleRecord;
  /** Whether the text at `url` parses as an ES module (for the format detection). */
  parsesAsModule(text: string, url: string): boolean;
  /** Set in a hot host. */
  readonly hot?: HostCommonJSHot | undefined;
  /** The host's compile cache, which also keeps V8's code cache of CommonJS wrappers. */
  readonly compileCache?: CompileCache | undefined;
}

/** The host's CommonJS side. */
export interface HostCommonJS {
  /** The runtime (created on first use). */
  readonly runtime: CommonJSRuntime;
  /**
   * The synthetic module record an `import` of the CommonJS file at `url` gets (`text`: its source,
   * if already read).
   */
  moduleRecord(url: string, text: string | undefined): SyntheticModuleRecord;
  /** The format of an ambiguous file (`.js` without package "type") from its text. */
  detect(url: string, text: string): 'module' | 'commonjs';
  /** `require()` of the ES module at `url` from the CommonJS module `requirer` (a filename, or `null`). */
  requireModule(url: string, requirer: string | null): unknown;
  /** The format `require` gives the file at `filename` ('module', 'commonjs', or 'ambiguous'). */
  requireFormat(filename: string): RequireFormat;
  /** The runtime's module for `uri` after requiring it (undefined when that throws): for forks sharing it. */
  requireURI(uri: string): CommonJSModule | undefined;
  /** The runtime's cache entry for `uri`, if the runtime exists and has one. */
  cachedURI(uri: string): CommonJSModule | undefined;
  /** True for a CommonJS module's synthetic record made here. */
  isCommonJSRecord(record: ModuleRecord): boolean;
  /**
   * A record for a separate instance of the CommonJS file at `url` (outside the runtime's cache:
   * `importOriginal()` of a mocked module).
   */
  freshRecord(url: string, text: string | undefined): SyntheticModuleRecord;
  /** Drops the runtime and its cache (dispose). */
  clear(): void;
  /** Hot updates: forgets what was read of `filename` (its export names), which changed. */
  forget(filename: string): void;
  /** The runtime, if it was created. */
  readonly created: CommonJSRuntime | undefined;
}

/** A `require` resolution that found nothing (thrown through the hooks' default step, turned back into `null`). */
const MISS = Object.freeze({ miss: 'no module matches' });

/** The filename `require.cache` uses for a URI: a path for file: URLs, the URL itself otherwise. */
function filenameOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** An id `require` takes as a URL as it is: an absolute URL with a scheme other than file: and node:. */
function isForeignURL(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(id) && !id.startsWith('file:') && !id.startsWith('node:');
}

/** Creates the CommonJS side of a host. */
export function createHostCommonJS(parts: HostCommonJSParts): HostCommonJS {
  const { realm, resolver, options } = parts;
  /** The filename of each CommonJS synthetic record. */
  const recordFiles = new WeakMap<ModuleRecord, string>();
  /** Export names per filename (cjs-module-lexer results, re-exports followed; shared with forks). */
  const exportNames = parts.shared.exportNames;
  let runtime: CommonJSRuntime | undefined;
  /** The runtime's loader before the hooks: files as the host reads them (TypeScript stripped). */
  let fileLoader: CommonJSLoader | undefined;
  let loaderResolve: (id: string, from: string) => string | null = () => null;
  /** Texts already read (an `import` of the CommonJS file, through the load hooks), by URI, for its first run. */
  const preloaded = new Map<string, string>();
  /** Formats load hooks gave files `require` reached, by filename ('module': require(esm)). */
  const hookFormats = new Map<string, string>();

  const requireFormat = (filename: string): RequireFormat => {
    if (hookFormats.size !== 0) {
      const format = hookFormats.get(filename);
      if (format === 'module') return 'module';
      if (format === 'commonjs') return 'commonjs';
    }
    return requireFormatOf(resolver.packageJson, filename);
  };

  const requireModuleNow = createRequireModule({
    moduleRecordFor: (url) => parts.moduleRecordFor(url, isTypeScriptFile(url) ? 'module-typescript' : 'module'),
    facadeRecord: parts.facadeRecord,
    runningCommonJS,
  });
  const requireModule = (url: string, requirer: string | null): unknown =>
    parts.synchronously(() => requireModuleNow(url, requirer));

  const { evaluator, detect } = createHostCommonJSEvaluator({
    plainParams: [...PLAIN_PARAMS, ...Object.keys(options.globals ?? {})],
    requireFormat,
    requireModule,
    parsesAsModule: parts.parsesAsModule,
    importFrom: parts.importFrom,
    formats: parts.shared.formats,
    compileFunction:
      parts.compileCache === undefined
        ? undefined
        : (body, params, compileOptions) =>
            (parts.compileCache as CompileCache).compileFunction(body, params, compileOptions),
  });

  /**
   * The runtime's loader: the Node loader, with the host's hooks around `resolve` and `read`, and
   * its mocks and a fork's shared modules through `intercept`.
   */
  function hostLoader(base: CommonJSLoader, hostParentURL: string): CommonJSLoader {
    const hooks = parts.hooks;
    const resolveHooked = hooks !== undefined && hooks.resolveCount > 0;
    const loadHooked = hooks !== undefined && hooks.loadCount > 0;
    const conditions = parts.requireConditions;
    return {
      ...base,
      resolve(id, parent, roots) {
        parts.checkLive();
        if (!resolveHooked) return base.resolve(id, parent, roots);
        const context = { parentURL: parent ?? hostParentURL, conditions: [...conditions], importAttributes: {} };
        try {
          const result = (hooks as HookChains).resolve(
            id,
            context,
            (specifier, c) => {
              const from = c.parentURL === hostParentURL ? null : (c.parentURL ?? null);
              let uri: string | null;
              if (isForeignURL(specifier)) uri = specifier;
              else if (from !== null && isForeignURL(from) && /^\.\.?\//.test(specifier))
                uri = new URL(specifier, from).href;
              else uri = base.resolve(specifier, from, roots);
              if (uri === null) throw MISS;
              return { url: uri };
            },
            { syncFor: 'require()' },
          ) as ResolvedByHooks;
          return result.url;
        } catch (error) {
          if (error === MISS) return null;
          throw error;
        }
      },
      read(uri) {
        parts.checkLive();
        const text = preloaded.get(uri);
        if (text !== undefined) {
          preloaded.delete(uri);
          return text;
        }
        if (!loadHooked) return base.read(uri);
        const filename = filenameOf(uri);
        const guess = uri.endsWith('.json') ? 'json' : requireFormat(filename);
        const context = {
          format: guess === 'ambiguous' ? undefined : guess,
          conditions: [...conditions],
          importAttributes: {},
        };
        try {
          const result = (hooks as HookChains).load(
            uri,
            context,
            (url, c) => {
              const read = isForeignURL(url) ? null : base.read(url);
              if (read === null) throw MISS;
              return { format: c.format ?? 'commonjs', source: read };
            },
            { syncFor: 'require()' },
          ) as LoadedByHooks;
          if (result.format !== undefined) hookFormats.set(filename, result.format);
          return typeof result.source === 'string' ? result.source : null;
        } catch (error) {
          if (error === MISS) return null;
          throw error;
        }
      },
      intercept(uri, requirer) {
        parts.checkLive();
        if (parts.mocks.size !== 0) {
          const value = parts.mocks.requireValue(uri, requirer);
          if (value !== NOT_MOCKED) return { exports: value };
        }
        return parts.sharing === undefined ? undefined : parts.sharing.requireShared(uri);
      },
      resolvesPerModule: resolveHooked,
    };
  }

  /** For a CommonJS synthetic record not yet evaluated: its filename when that module is running now. */
  function runningCommonJS(record: ModuleRecord): string | undefined {
    const filename = recordFiles.get(record);
    if (
      filename === undefined ||
      runtime === undefined ||
      record.kind !== 'synthetic' ||
      record.evaluationResult !== undefined
    )
      return undefined;
    const cached = runtime.cache[filename];
    return cached !== undefined && !cached.loaded ? filename : undefined;
  }

  function getRuntime(): CommonJSRuntime {
    if (runtime === undefined) {
      const base = options.base === undefined ? process.cwd() : resolvePath(options.base);
      fileLoader = createNodeCommonJSLoader({ resolver, conditions: parts.requireConditions, base });
      const loader = hostLoader(fileLoader, pathToFileURL(hostParentPath(base)).href);
      runtime = createCommonJS({
        loader,
        evaluator,
        ...(options.roots === undefined ? {} : { roots: options.roots }),
        ...(options.globals === undefined ? {} : { globals: options.globals }),
        ...(options.onMissing === undefined ? {} : { onMissing: options.onMissing }),
        ...(options.onAsyncError === undefined ? {} : { onAsyncError: options.onAsyncError }),
        ...(parts.hot === undefined ? {} : { onModule: parts.hot.onModule }),
      });
      const rootsList: readonly string[] = Object.freeze([...(options.roots ?? [])]);
      loaderResolve = (id, from) => {
        const found = loader.resolve(id, pathToFileURL(from).href, rootsList);
        return found === null || !found.startsWith('file:') ? null : fileURLToPath(found);
      };
    }
    return runtime;
  }

  /** The export names of the CommonJS file `filename` (`text`: its source, if already read). */
  function exportNamesOf(filename: string, text: string | undefined): Set<string> {
    return commonJSExportNames(
      filename,
      text ?? null,
      {
        read: (file) => {
          // (through the file loader, not the hooks: export names come from the files on disk)
          try {
            return (fileLoader as CommonJSLoader).read(pathToFileURL(file).href);
          } catch {
            return null;
          }
        },
        resolve: (id, from) => {
          try {
            return loaderResolve(id, from);
          } catch {
            return null; // an unresolvable re-export contributes no names, as in Node
          }
        },
      },
      exportNames,
    );
  }

  function moduleRecord(url: string, text: string | undefined): SyntheticModuleRecord {
    const cjs = getRuntime();
    const filename = filenameOf(url);
    const names = exportNamesOf(filename, text);
    // The runtime takes this text when the module first runs (not read, nor hooked, twice).
    if (text !== undefined && cjs.cache[filename] === undefined) preloaded.set(url, text);
    const record = createCommonJSModuleRecord(realm, url, syntheticExportNames(names), () => {
      const cached = cjs.cache[filename];
      if (cached !== undefined) {
        if (!cached.loaded) {
          throw createError(
            'ERR_REQUIRE_CYCLE_MODULE',
            `Cannot import CommonJS Module ${filename} in a cycle: it is still running`,
            { url },
          );
        }
        return cached.exports;
      }
      return cjs.require(filename);
    });
    recordFiles.set(record, filename);
    return record;
  }

  return {
    get runtime() {
      parts.checkLive();
      return getRuntime();
    },
    get created() {
      return runtime;
    },
    forget(filename) {
      exportNames.delete(filename);
    },
    moduleRecord,
    detect,
    requireModule,
    requireFormat,
    requireURI(uri) {
      const cjs = getRuntime();
      const filename = filenameOf(uri);
      try {
        cjs.require(filename);
      } catch {
        return undefined;
      }
      return cjs.cache[filename];
    },
    cachedURI: (uri) => (runtime === undefined ? undefined : runtime.cache[filenameOf(uri)]),
    freshRecord(url, text) {
      const cjs = getRuntime();
      const filename = filenameOf(url);
      if (text !== undefined) preloaded.set(url, text);
      return createCommonJSModuleRecord(realm, url, syntheticExportNames(exportNamesOf(filename, text)), () =>
        requireFresh(cjs, filename),
      );
    },
    isCommonJSRecord: (record) => recordFiles.has(record),
    clear() {
      if (runtime !== undefined) for (const key of Object.keys(runtime.cache)) delete runtime.cache[key];
      runtime = undefined;
      preloaded.clear();
      hookFormats.clear();
    },
  };
}
