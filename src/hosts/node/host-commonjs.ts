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
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PLAIN_PARAMS } from '../../commonjs/globals.js';
import { type CommonJSRuntime, createCommonJS } from '../../commonjs/index.js';
import type { CommonJSOptions } from '../../commonjs/runtime.js';
import { createError } from '../../errors/codes.js';
import type { ModuleRecord, Realm, SyntheticModuleRecord } from '../../records/index.js';
import { createHostCommonJSEvaluator } from './commonjs-evaluator.js';
import { createNodeCommonJSLoader } from './commonjs-loader.js';
import { commonJSExportNames, createCommonJSModuleRecord, syntheticExportNames } from './commonjs-module.js';
import { type RequireFormat, requireFormatOf } from './detect-format.js';
import { createRequireModule } from './require-esm.js';
import type { Resolver } from './resolve.js';
import { isTypeScriptFile, stripTypeScriptTypes } from './typescript.js';

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

/** What the host gives its CommonJS side. */
export interface HostCommonJSParts {
  readonly realm: Realm;
  readonly resolver: Resolver;
  readonly requireConditions: readonly string[];
  readonly options: NodeHostCommonJSOptions;
  /** The ES module record for a file URL the host loads as `format` (an ES module, or TypeScript one). */
  moduleRecordFor(url: string, format: 'module' | 'module-typescript'): ModuleRecord;
  /** `import(specifier, options)` from the module at `referrerURL`: the namespace, or a rejection. */
  importFrom(specifier: unknown, options: unknown, referrerURL: string): Promise<unknown>;
  /** A module record for ES module `text` named `url`, whose imports the host resolves from `url`. */
  facadeRecord(text: string, url: string): ModuleRecord;
  /** Whether the text at `url` parses as an ES module (for the format detection). */
  parsesAsModule(text: string, url: string): boolean;
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
}

/** Creates the CommonJS side of a host. */
export function createHostCommonJS(parts: HostCommonJSParts): HostCommonJS {
  const { realm, resolver, options } = parts;
  /** The filename of each CommonJS synthetic record. */
  const recordFiles = new WeakMap<ModuleRecord, string>();
  /** Export names per filename (cjs-module-lexer results, re-exports followed). */
  const exportNames = new Map<string, Set<string>>();
  let runtime: CommonJSRuntime | undefined;
  let loaderResolve: (id: string, from: string) => string | null = () => null;

  const requireFormat = (filename: string): RequireFormat => requireFormatOf(resolver.packageJson, filename);

  const requireModule = createRequireModule({
    moduleRecordFor: (url) => parts.moduleRecordFor(url, isTypeScriptFile(url) ? 'module-typescript' : 'module'),
    facadeRecord: parts.facadeRecord,
    runningCommonJS,
  });

  const { evaluator, detect } = createHostCommonJSEvaluator({
    plainParams: [...PLAIN_PARAMS, ...Object.keys(options.globals ?? {})],
    requireFormat,
    requireModule,
    parsesAsModule: parts.parsesAsModule,
    importFrom: parts.importFrom,
  });

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
      const loader = createNodeCommonJSLoader({
        resolver,
        conditions: parts.requireConditions,
        ...(options.base === undefined ? {} : { base: options.base }),
      });
      runtime = createCommonJS({
        loader,
        evaluator,
        ...(options.roots === undefined ? {} : { roots: options.roots }),
        ...(options.globals === undefined ? {} : { globals: options.globals }),
        ...(options.onMissing === undefined ? {} : { onMissing: options.onMissing }),
        ...(options.onAsyncError === undefined ? {} : { onAsyncError: options.onAsyncError }),
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
          try {
            const source = readFileSync(file, 'utf8');
            return isTypeScriptFile(file) ? stripTypeScriptTypes(source, { url: pathToFileURL(file).href }) : source;
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
    const filename = fileURLToPath(url);
    const names = exportNamesOf(filename, text);
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
      return getRuntime();
    },
    moduleRecord,
    detect,
    requireModule,
    requireFormat,
  };
}
