/**
 * The Node host's CommonJS side: one CommonJS runtime (src/commonjs/) per host, and the interop
 * between it and the host's ES modules, as Node 20.19+/22 has it:
 *
 * - `import` of a CommonJS file → a synthetic module (./commonjs-module.ts) that runs the file
 *   through this runtime;
 * - `require()` of an ES module (`.mjs`, `.js` in a `"type": "module"` package, or an ambiguous
 *   `.js` with module syntax) → its namespace, loaded, linked and evaluated synchronously
 *   (./require-esm.ts), through a wrapper the evaluator returns instead of compiling the text;
 * - `import()` in CommonJS code → the host's import, resolved from the CommonJS file (the call is
 *   rewritten to a function in the module's scope: `compile` below);
 * - ambiguous files (`.js` without a package "type") → CommonJS unless their syntax says ES module
 *   (./detect-format.ts), both for `import` and for `require`.
 *
 * A fresh host has a fresh runtime, hence fresh CommonJS module instances, as it has fresh ES
 * module instances.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { PLAIN_PARAMS } from '../../commonjs/globals.js';
import { type CommonJSRuntime, createCommonJS } from '../../commonjs/index.js';
import type { Evaluator, EvaluatorInput } from '../../commonjs/loader.js';
import type { CommonJSOptions } from '../../commonjs/runtime.js';
import { findDynamicImports, hashbangEnd } from '../../commonjs/scan.js';
import { createError } from '../../errors/codes.js';
import type { ModuleRecord, Realm, SyntheticModuleRecord } from '../../records/index.js';
import { createNodeCommonJSLoader, createNodeEvaluator } from './commonjs-loader.js';
import { commonJSExportNames, createCommonJSModuleRecord, syntheticExportNames } from './commonjs-module.js';
import { detectFormat, verdictOf } from './detect-format.js';
import { requireModuleRecord } from './require-esm.js';
import type { Resolver } from './resolve.js';

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
  /** The ES module record for a file URL the host loads as `format` ('module' for ES modules). */
  moduleRecordFor(url: string, format: 'module'): ModuleRecord;
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
  /** The synthetic module record an `import` of the CommonJS file at `url` gets (`text`: its source, if already read). */
  moduleRecord(url: string, text: string | undefined): SyntheticModuleRecord;
  /** The format of an ambiguous file (`.js` without package "type") from its text. */
  detect(url: string, text: string): 'module' | 'commonjs';
  /** `require()` of the ES module at `url` from the CommonJS module `requirer` (a filename, or `null`). */
  requireModule(url: string, requirer: string | null): unknown;
  /** The format `require` gives the file at `filename` ('module', 'commonjs', or 'ambiguous'). */
  requireFormat(filename: string): 'module' | 'commonjs' | 'ambiguous';
}

/** Removes a byte order mark, as the runtime does before compiling. */
function stripBOM(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The wrapper body the runtime compiles for `text` (BOM removed, hashbang blanked). */
function wrapperBody(text: string): string {
  const body = stripBOM(text);
  return hashbangEnd(body) === 0 ? body : `//${body.slice(2)}`;
}

/** A 6-character identifier (the length of `import`, so columns stay put) that `text` does not contain. */
function importAlias(text: string): string {
  for (let i = 0; ; i++) {
    const name = `$mhI${i.toString(36).padStart(2, '0')}`;
    if (!text.includes(name)) return name;
  }
}

/** Creates the CommonJS side of a host. */
export function createHostCommonJS(parts: HostCommonJSParts): HostCommonJS {
  const { realm, resolver } = parts;
  const options = parts.options;
  const baseEvaluator = createNodeEvaluator('function');
  /** Wrappers compiled while detecting a format, by filename: taken once by the evaluator. */
  const precompiled = new Map<string, { body: string; params: string; fn: (...args: never[]) => unknown }>();
  /** The filename of each CommonJS synthetic record. */
  const recordFiles = new WeakMap<ModuleRecord, string>();
  /** What `require` returned for each ES module URL it loaded successfully. */
  const required = new Map<string, unknown>();
  /** require(esm) facades (adding `__esModule`), per ES module URL. */
  const facades = new Map<string, ModuleRecord>();
  /** The detected format of each ambiguous file URL. */
  const formats = new Map<string, 'module' | 'commonjs'>();
  /** Export names per filename (cjs-module-lexer results, re-exports followed). */
  const exportNames = new Map<string, Set<string>>();
  const plainParams = [...PLAIN_PARAMS, ...Object.keys(options.globals ?? {})];
  let runtime: CommonJSRuntime | undefined;

  function requireFormat(filename: string): 'module' | 'commonjs' | 'ambiguous' {
    const extension = extname(filename);
    if (extension === '.mjs') return 'module';
    if (extension !== '.js') return 'commonjs';
    const type = resolver.packageJson.getPackageScopeConfig(filename, { commonjs: true, importing: filename }).type;
    return type === 'module' ? 'module' : type === 'commonjs' ? 'commonjs' : 'ambiguous';
  }

  /**
   * `require()` of an ES module, as Node: the value it exports as 'module.exports' if it has that
   * export; else, if it has a default export and no `__esModule` export, the namespace of a facade
   * module that re-exports everything and adds `__esModule: true` (so transpiled code reading
   * `.default` works); else its namespace.
   */
  function requireModule(url: string, requirer: string | null): unknown {
    // A graph required once is evaluated and synchronous: later requires get the same value.
    if (required.has(url)) return required.get(url);
    const value = requireModuleOnce(url, requirer);
    required.set(url, value);
    return value;
  }

  function requireModuleOnce(url: string, requirer: string | null): unknown {
    const record = parts.moduleRecordFor(url, 'module');
    const namespace = requireModuleRecord(record, { url, requirer, runningCommonJS });
    if ('module.exports' in namespace) return namespace['module.exports'];
    if (!('default' in namespace) || '__esModule' in namespace) return namespace;
    let facade = facades.get(url);
    if (facade === undefined) {
      const specifier = JSON.stringify(url);
      const text = `export * from ${specifier};\nexport { default } from ${specifier};\nexport const __esModule = true;\n`;
      facade = parts.facadeRecord(text, `${url}#modhost-require-esm`);
      facades.set(url, facade);
    }
    return requireModuleRecord(facade, { url, requirer, runningCommonJS });
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

  function importFunction(uri: string): (specifier: unknown, options?: unknown) => Promise<unknown> {
    // `import(x, o)` evaluates both arguments before this runs; the host never throws synchronously.
    return (specifier, importOptions) => parts.importFrom(specifier, importOptions, uri);
  }

  /**
   * Compiles a wrapper; a dynamic `import(…)` in the text becomes a call of a same-length name that
   * a context extension binds to the host's import (V8's own `import()` would go to Node's loader,
   * and vm's importModuleDynamically hook can only return vm.Module objects).
   */
  function compile(input: EvaluatorInput): (...args: never[]) => unknown {
    const calls = findDynamicImports(input.body);
    if (calls.length === 0) return baseEvaluator(input);
    const alias = importAlias(input.body);
    let body = '';
    let last = 0;
    for (const start of calls) {
      body += input.body.slice(last, start) + alias;
      last = start + 6;
    }
    body += input.body.slice(last);
    return vm.compileFunction(body, [...input.params], {
      filename: input.filename,
      contextExtensions: [{ [alias]: importFunction(input.uri) }],
      // (only reached by an `import(` the scanner did not see: Node's own loader, as without the host)
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }) as (...args: never[]) => unknown;
  }

  /**
   * The wrapper of an ES module that `require` reached: it sets `module.exports` to what
   * {@link requireModule} returns. So the ES module has a CommonJS module object, in
   * `require.cache` (as in Node 20.19+/22), with `parent`/`children`; if the ES graph cannot be
   * required (top-level await, a cycle, an error), the runtime rolls that module back as for any
   * module that throws, and the next `require` tries again.
   */
  function esModuleWrapper(input: EvaluatorInput): (...args: never[]) => unknown {
    const uri = input.uri;
    type ModuleObject = { exports: unknown; parent: { filename: string } | null };
    const requirerOf = (module: ModuleObject) => (module.parent === null ? null : module.parent.filename);
    if (input.params[0] === 'define') {
      // (an ES module whose whole text is one `define(...)` call looks like a wrapped module)
      return function esModuleDefine(define: (factory: (...args: unknown[]) => unknown) => void) {
        define((_require, _exports, module) => requireModule(uri, requirerOf(module as ModuleObject)));
      } as (...args: never[]) => unknown;
    }
    return function esModule(_require: unknown, _exports: unknown, module: ModuleObject) {
      module.exports = requireModule(uri, requirerOf(module));
    } as (...args: never[]) => unknown;
  }

  /**
   * The runtime's evaluator. An ES module (`.mjs`, `.js` in a `"type": "module"` scope) gets
   * {@link esModuleWrapper} without compiling its text; so does an ambiguous file that turns out
   * to have module syntax. Otherwise it takes a wrapper compiled during format detection if there
   * is one, else compiles.
   */
  const evaluator: Evaluator = (input) => {
    if (requireFormat(input.filename) === 'module') return esModuleWrapper(input);
    const ready = precompiled.get(input.filename);
    if (ready !== undefined) {
      precompiled.delete(input.filename);
      if (ready.body === input.body && ready.params === input.params.join(',')) return ready.fn;
    }
    try {
      return compile(input);
    } catch (error) {
      const verdict = verdictOf(error);
      if (verdict === 'commonjs' || requireFormat(input.filename) !== 'ambiguous') throw error;
      if (verdict === 'maybe-module' && !parts.parsesAsModule(input.body, input.uri)) throw error;
      return esModuleWrapper(input);
    }
  };

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
  let loaderResolve: (id: string, from: string) => string | null = () => null;

  function moduleRecord(url: string, text: string | undefined): SyntheticModuleRecord {
    const cjs = getRuntime();
    const filename = fileURLToPath(url);
    const names = commonJSExportNames(
      filename,
      text ?? null,
      {
        read: (file) => {
          try {
            return readFileSync(file, 'utf8');
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

  function detect(url: string, text: string): 'module' | 'commonjs' {
    // Decided once per URL (the host keeps one module per URL, so the text it reads is the same).
    let format = formats.get(url);
    if (format === undefined) {
      format = detectNow(url, text);
      formats.set(url, format);
    }
    return format;
  }

  function detectNow(url: string, text: string): 'module' | 'commonjs' {
    const filename = fileURLToPath(url);
    const body = wrapperBody(text);
    const detected = detectFormat(
      () => compile({ body, params: plainParams, filename, uri: url }),
      () => parts.parsesAsModule(text, url),
    );
    if (detected.format === 'commonjs' && detected.fn !== undefined) {
      precompiled.set(filename, { body, params: plainParams.join(','), fn: detected.fn });
    }
    return detected.format;
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
