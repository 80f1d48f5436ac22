/**
 * The Node host: ES modules from disk through modhost, with Node's resolution (`exports`,
 * `imports`, conditions), `node:` built-ins and JSON modules as source-less modules, and
 * `import.meta.url` / `filename` / `dirname` / `resolve`. One Module instance per resolved URL per
 * host, so a graph is shared as in Node; a fresh host gives fresh instances (per-test isolation).
 *
 * CommonJS goes through modhost's own CommonJS runtime, one per host (./host-commonjs.ts), with
 * Node's interop: `import` of CommonJS, `require()` of ES modules, `import()` from CommonJS, and
 * the format of an ambiguous `.js` file decided by its syntax (./detect-format.ts).
 *
 * Modules are loaded through the realm's HostLoadImportedModule (not a per-Module importHook),
 * which finishes each load synchronously: that lets `require()` load an ES module graph without
 * waiting for promise jobs (./require-esm.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextModuleSource, WasmModuleSource } from '../../api/builtin-sources.js';
import { importModule, type ModuleNamespace } from '../../api/import-module.js';
import { createModuleInRealm, type Module, type ModuleHandler, moduleFromRecord } from '../../api/module.js';
import { ModuleSource } from '../../api/module-source.js';
import { createRealm } from '../../api/realm.js';
import { moduleRecordOf } from '../../api/slots.js';
import type { CommonJSRuntime } from '../../commonjs/index.js';
import { createError } from '../../errors/codes.js';
import {
  type Completion,
  defaultHostHooks,
  Evaluate,
  FinishLoadingImportedModule,
  GetModuleNamespace,
  ImportCallAttributes,
  Link,
  LoadRequestedModules,
  type ModuleRecord,
  NormalCompletion,
  type Realm,
  ThrowCompletion,
} from '../../records/index.js';
import { installStackTraceMapping, registerCompiledCode } from '../stack-traces.js';
import type { CompileCache } from './compile-cache.js';
import { evaluateWithVm } from './evaluator.js';
import { createHostCommonJS, type NodeHostCommonJSOptions } from './host-commonjs.js';
import { createResolver, type ModuleFormat } from './resolve.js';
import { syntheticModule } from './synthetic.js';

export interface NodeHostOptions {
  /** Export/import conditions, in priority order. Default: ['modhost', 'import', 'node', 'default']. */
  conditions?: readonly string[];
  /** A persistent compile cache (see createCompileCache), or undefined for none. */
  compileCache?: CompileCache;
  /**
   * The host's CommonJS runtime: roots for top-level ids, extra globals, onMissing, base folder.
   * `require` uses the conditions given here with 'import' replaced by 'require' (default:
   * ['modhost', 'require', 'node', 'default']).
   */
  commonjs?: NodeHostCommonJSOptions;
}

/** Counters and timings of one host, for `modhost run --stats`. Times are milliseconds. */
export interface NodeHostStats {
  modules: number;
  bytesParsed: number;
  cacheHits: number;
  resolveMs: number;
  compileMs: number;
  linkMs: number;
  evaluateMs: number;
}

export interface NodeHost {
  /** Resolves `specifier` from `parentURL` (default: the working directory) and imports it. */
  import(specifier: string, parentURL?: string): Promise<ModuleNamespace>;
  /**
   * Like `import`, for a program's main module: loads, links and evaluates it but does not make
   * its namespace (which nothing would observe; for an index module with hundreds of
   * re-exports, building it is a noticeable part of a warm start).
   */
  run(specifier: string, parentURL?: string): Promise<void>;
  /** Resolves like `import.meta.resolve`. */
  resolve(specifier: string, parentURL: string): string;
  /** The Module for a URL (creating it on first use), checking the import attributes. */
  moduleFor(url: string, format: string | undefined, attributes?: Readonly<Record<string, string>>): Module;
  /**
   * The format Node loads the file at `url` in when it is the program's entry or an `import`
   * target: 'module', 'commonjs', 'json', 'wasm', 'builtin'; an ambiguous `.js` file (no package
   * "type") is read and decided by its syntax.
   */
  formatOf(url: string): string | undefined;
  /**
   * The host's CommonJS runtime (created on first use): `require` / `use(id)` / `cache` /
   * `define`. Its modules and the host's ES modules see each other (`require` of ES modules,
   * `import` of CommonJS modules, `import()` from CommonJS code).
   */
  readonly commonjs: CommonJSRuntime;
  readonly stats: NodeHostStats;
  readonly realm: Realm;
}

const DEFAULT_CONDITIONS = ['modhost', 'import', 'node', 'default'] as const;

function now(): number {
  return performance.now();
}

/** Creates a Node host. */
export function createNodeHost(options: NodeHostOptions = {}): NodeHost {
  const conditions = options.conditions ?? DEFAULT_CONDITIONS;
  // `require` matches the same conditions with 'require' in place of 'import' (as Node's --conditions adds to both).
  const requireConditions = conditions.map((c) => (c === 'import' ? 'require' : c));
  const resolver = createResolver({ conditions, requireConditions });
  const modules = new Map<string, Module>();
  const compileCache = options.compileCache;
  // Stack traces show modules' own lines and columns (../stack-traces.ts).
  installStackTraceMapping();
  const realm = createRealm({
    evaluator(code, url) {
      registerCompiledCode(url, code);
      // With a compile cache, V8's code cache for each module's compiled code is stored too.
      return compileCache === undefined ? evaluateWithVm(code, url) : compileCache.evaluate(code, url);
    },
    hostHooks: {
      ...defaultHostHooks,
      HostLoadImportedModule: hostLoadImportedModule,
      HostGetSupportedImportAttributes: () => ['type'],
    },
  });
  const stats: NodeHostStats = {
    modules: 0,
    bytesParsed: 0,
    cacheHits: 0,
    resolveMs: 0,
    compileMs: 0,
    linkMs: 0,
    evaluateMs: 0,
  };

  function resolve(specifier: string, parentURL: string): { url: string; format: string | undefined } {
    const start = now();
    try {
      return resolver.resolve(specifier, parentURL);
    } finally {
      stats.resolveMs += now() - start;
    }
  }

  /**
   * 16.2.1.10 HostLoadImportedModule: resolves from the referrer's URL and finishes the load at
   * once (synchronously), with the Module's record or the resolution / read / parse error.
   */
  function hostLoadImportedModule(
    ...[referrer, request, , payload]: Parameters<typeof defaultHostHooks.HostLoadImportedModule>
  ): void {
    let completion: Completion<ModuleRecord>;
    try {
      const url = referrer.source.url;
      const attributes: Record<string, string> = {};
      // (records/ lists have no prototype: index them, do not iterate them)
      for (let i = 0; i < request.attributes.length; i++)
        attributes[request.attributes[i]!.key] = request.attributes[i]!.value;
      const resolved = resolve(request.specifier, url);
      completion = NormalCompletion(
        moduleRecordOf(moduleFor(resolved.url, resolved.format, attributes, request.specifier, url))!,
      );
    } catch (error) {
      completion = ThrowCompletion(error);
    }
    FinishLoadingImportedModule(referrer, request, payload, completion);
  }

  const commonjs = createHostCommonJS({
    realm,
    resolver,
    requireConditions,
    options: options.commonjs ?? {},
    moduleRecordFor: (url, format) => moduleRecordOf(moduleFor(url, format))!,
    importFrom: dynamicImport,
    facadeRecord: (text, url) =>
      moduleRecordOf(createModuleInRealm(new ModuleSource(text, { url }), handlerFor(url), realm))!,
    parsesAsModule(text, url) {
      try {
        sourceFor(text, url);
        return true;
      } catch {
        return false;
      }
    },
  });

  /** `import(specifier, options)` from CommonJS code at `referrerURL` (always a promise). */
  function dynamicImport(specifier: unknown, importOptions: unknown, referrerURL: string): Promise<unknown> {
    try {
      const text = `${specifier as string}`;
      // EvaluateImportCall steps 10-11, as module code's import() takes them.
      const attributes: Record<string, string> = {};
      const list = ImportCallAttributes({ realm }, importOptions, referrerURL);
      // (a records List: null-prototype, so no iterator)
      for (let i = 0; i < list.length; i++) {
        const attribute = list[i];
        if (attribute !== undefined) attributes[attribute.key] = attribute.value;
      }
      const resolved = resolve(text, referrerURL);
      return importModule(moduleFor(resolved.url, resolved.format, attributes, text, referrerURL));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function handlerFor(url: string): ModuleHandler {
    return {
      importMetaHook(meta) {
        const m = meta as Record<string, unknown>;
        m.url = url;
        if (url.startsWith('file:')) {
          const filename = fileURLToPath(url);
          m.filename = filename;
          m.dirname = dirname(filename);
        }
        m.resolve = (specifier: unknown) => resolve(`${specifier as string}`, url).url;
      },
    };
  }

  function checkAttributes(
    url: string,
    format: string | undefined,
    attributes: Readonly<Record<string, string>>,
    specifier: string | undefined,
    referrer: string | undefined,
  ): void {
    const type = attributes.type;
    const context = { url, specifier, referrer };
    // `with { type: 'text' }` imports any file's text (a TextModuleSource), whatever its format.
    if (type === 'text') return;
    if (format === 'json') {
      if (type === undefined)
        throw createError(
          'ERR_IMPORT_ATTRIBUTE_MISSING',
          `Module "${url}" needs an import attribute of "type: json"`,
          context,
        );
      if (type !== 'json')
        throw createError(
          'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
          `Import attribute "type" with value "${type}" is not supported`,
          context,
        );
    } else if (type !== undefined) {
      if (type === 'json')
        throw createError('ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE', `Module "${url}" is not of type "json"`, context);
      throw createError(
        'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
        `Import attribute "type" with value "${type}" is not supported`,
        context,
      );
    }
  }

  function moduleFor(
    url: string,
    format: string | undefined,
    attributes: Readonly<Record<string, string>> = {},
    specifier?: string,
    referrer?: string,
  ): Module {
    checkAttributes(url, format, attributes, specifier, referrer);
    // Import attributes are part of the module map key where they select another module: a text
    // import of a file is a different module from its JavaScript/JSON/wasm one.
    const text = attributes.type === 'text';
    const key = text ? `text ${url}` : url;
    let module = modules.get(key);
    if (module === undefined) {
      module = text ? textModule(url, specifier, referrer) : createModule(url, format, specifier, referrer);
      modules.set(key, module);
      stats.modules += 1;
    }
    return module;
  }

  function readText(url: string, specifier: string | undefined, referrer: string | undefined): string {
    try {
      return readFileSync(fileURLToPath(url), 'utf8');
    } catch (cause) {
      throw createError(
        'ERR_MODULE_NOT_FOUND',
        `Cannot read module "${url}"${referrer ? ` imported from ${referrer}` : ''}`,
        { url, specifier, referrer, cause },
      );
    }
  }

  function createModule(
    url: string,
    format: string | undefined,
    specifier: string | undefined,
    referrer: string | undefined,
  ): Module {
    switch (format) {
      case 'builtin': {
        const name = url.startsWith('node:') ? url.slice(5) : url;
        const builtin = createRequire(import.meta.url)(`node:${name}`) as Record<string, unknown>;
        return syntheticModule(realm, url, Object.keys(builtin), () => ({
          default: builtin,
          named: (n) => builtin[n],
        }));
      }
      case 'json': {
        const text = readText(url, specifier, referrer);
        stats.bytesParsed += text.length;
        return syntheticModule(realm, url, [], () => {
          try {
            return { default: JSON.parse(text) as unknown, named: () => undefined };
          } catch (cause) {
            throw createError('ERR_MODHOST_PARSE', `${url}: ${(cause as Error).message}`, { url, cause });
          }
        });
      }
      case 'commonjs':
        return moduleFromRecord(commonjs.moduleRecord(url, undefined));
      case 'wasm': {
        // A WebAssembly module (ESM integration): imports are module imports resolved from this
        // URL; `import source m from './x.wasm'` binds the WebAssembly.Module.
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(fileURLToPath(url));
        } catch (cause) {
          throw createError(
            'ERR_MODULE_NOT_FOUND',
            `Cannot read module "${url}"${referrer ? ` imported from ${referrer}` : ''}`,
            { url, specifier, referrer, cause },
          );
        }
        stats.bytesParsed += bytes.length;
        return createModuleInRealm(new WasmModuleSource(bytes, { url }), handlerFor(url), realm);
      }
      case 'module':
      case undefined: {
        const text = readText(url, specifier, referrer);
        stats.bytesParsed += text.length;
        // An ambiguous file (no package "type"): CommonJS unless its syntax says ES module, as Node decides.
        if (format === undefined && url.startsWith('file:') && commonjs.detect(url, text) === 'commonjs') {
          return moduleFromRecord(commonjs.moduleRecord(url, text));
        }
        return createModuleInRealm(sourceFor(text, url), handlerFor(url), realm);
      }
      default:
        throw createError('ERR_UNKNOWN_FILE_EXTENSION', `Unknown module format "${format}" for ${url}`, {
          url,
          specifier,
          referrer,
        });
    }
  }

  /** `import x from url with { type: 'text' }`: a TextModuleSource of the file's text. */
  function textModule(url: string, specifier: string | undefined, referrer: string | undefined): Module {
    const text = readText(url, specifier, referrer);
    stats.bytesParsed += text.length;
    return createModuleInRealm(new TextModuleSource(text, { url }), undefined, realm);
  }

  /** The ModuleSource for a module's text (from the compile cache when it has one). */
  function sourceFor(text: string, url: string): ModuleSource {
    const start = now();
    let source = options.compileCache?.get(text, url);
    if (source === undefined) {
      source = new ModuleSource(text, { url });
      options.compileCache?.set(text, url, source);
    } else {
      stats.cacheHits += 1;
    }
    stats.compileMs += now() - start;
    return source;
  }

  function formatOf(url: string): string | undefined {
    const format: ModuleFormat | 'module' | 'commonjs' = resolver.resolve(url, url).format;
    if (format !== undefined || !url.startsWith('file:')) return format;
    return commonjs.detect(url, readText(url, undefined, undefined));
  }

  async function importURL(url: string, format: string | undefined): Promise<ModuleNamespace> {
    const record = await evaluateURL(url, format);
    return GetModuleNamespace(record) as ModuleNamespace;
  }

  /** Loads, links and evaluates the module at `url`; resolves to its record. */
  async function evaluateURL(url: string, format: string | undefined): Promise<ModuleRecord> {
    const module = moduleFor(url, format);
    const record = moduleRecordOf(module)!;
    await LoadRequestedModules(record);
    let start = now();
    Link(record);
    stats.linkMs += now() - start;
    start = now();
    try {
      await Evaluate(record);
    } finally {
      stats.evaluateMs += now() - start;
    }
    return record;
  }

  return {
    realm,
    stats,
    resolve: (specifier, parentURL) => resolve(specifier, parentURL).url,
    moduleFor: (url, format, attributes) => moduleFor(url, format, attributes),
    formatOf,
    get commonjs() {
      return commonjs.runtime;
    },
    import(specifier, parentURL = pathToFileURL(`${process.cwd()}/`).href) {
      try {
        const resolved = resolve(specifier, parentURL);
        return importURL(resolved.url, resolved.format);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async run(specifier, parentURL = pathToFileURL(`${process.cwd()}/`).href) {
      const resolved = resolve(specifier, parentURL);
      await evaluateURL(resolved.url, resolved.format);
    },
  };
}
