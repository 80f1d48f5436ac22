/**
 * The Node host: ES modules from disk through modhost, with Node's resolution (`exports`,
 * `imports`, conditions), `node:` built-ins and JSON modules as source-less modules, and
 * `import.meta.url` / `filename` / `dirname` / `resolve`. One Module instance per resolved URL per
 * host, so a graph is shared as in Node; a fresh host gives fresh instances (per-test isolation).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseCjsExports, initSync as initCjsLexer } from 'cjs-module-lexer';
import { createError } from '../../errors/codes.js';
import { ModuleSource } from '../../api/module-source.js';
import { createModuleInRealm, type Module, type ModuleHandler } from '../../api/module.js';
import { createRealm } from '../../api/realm.js';
import { moduleRecordOf } from '../../api/slots.js';
import type { ModuleNamespace } from '../../api/import-module.js';
import { Evaluate, GetModuleNamespace, Link, LoadRequestedModules, defaultHostHooks, type Realm } from '../../records/index.js';
import { createResolver } from './resolve.js';
import { evaluateWithVm } from './evaluator.js';
import { syntheticModule } from './synthetic.js';
import type { CompileCache } from './compile-cache.js';

export interface NodeHostOptions {
  /** Export/import conditions, in priority order. Default: ['modhost', 'import', 'node', 'default']. */
  conditions?: readonly string[];
  /** A persistent compile cache (see createCompileCache), or undefined for none. */
  compileCache?: CompileCache;
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
  /** Resolves like `import.meta.resolve`. */
  resolve(specifier: string, parentURL: string): string;
  /** The Module for a URL (creating it on first use), checking the import attributes. */
  moduleFor(url: string, format: string | undefined, attributes?: Readonly<Record<string, string>>): Module;
  readonly stats: NodeHostStats;
  readonly realm: Realm;
}

const DEFAULT_CONDITIONS = ['modhost', 'import', 'node', 'default'] as const;
let cjsLexerReady = false;

function now(): number {
  return performance.now();
}

/** Creates a Node host. */
export function createNodeHost(options: NodeHostOptions = {}): NodeHost {
  const resolver = createResolver({ conditions: options.conditions ?? DEFAULT_CONDITIONS });
  const modules = new Map<string, Module>();
  const compileCache = options.compileCache;
  const realm = createRealm({
    // With a compile cache, V8's code cache for each module's compiled code is stored too.
    evaluator: compileCache === undefined ? evaluateWithVm : (code, url) => compileCache.evaluate(code, url),
    hostHooks: { ...defaultHostHooks, HostGetSupportedImportAttributes: () => ['type'] },
  });
  const stats: NodeHostStats = { modules: 0, bytesParsed: 0, cacheHits: 0, resolveMs: 0, compileMs: 0, linkMs: 0, evaluateMs: 0 };

  function resolve(specifier: string, parentURL: string): { url: string; format: string | undefined } {
    const start = now();
    try {
      return resolver.resolve(specifier, parentURL);
    } finally {
      stats.resolveMs += now() - start;
    }
  }

  function handlerFor(url: string): ModuleHandler {
    return {
      importHook(specifier, attributes) {
        const resolved = resolve(specifier, url);
        return moduleFor(resolved.url, resolved.format, attributes, specifier, url);
      },
      importMetaHook(meta) {
        const m = meta as Record<string, unknown>;
        m['url'] = url;
        if (url.startsWith('file:')) {
          const filename = fileURLToPath(url);
          m['filename'] = filename;
          m['dirname'] = dirname(filename);
        }
        m['resolve'] = (specifier: unknown) => resolve(`${specifier as string}`, url).url;
      },
    };
  }

  function checkAttributes(url: string, format: string | undefined, attributes: Readonly<Record<string, string>>, specifier: string | undefined, referrer: string | undefined): void {
    const type = attributes['type'];
    const context = { url, specifier, referrer };
    if (format === 'json') {
      if (type === undefined) throw createError('ERR_IMPORT_ATTRIBUTE_MISSING', `Module "${url}" needs an import attribute of "type: json"`, context);
      if (type !== 'json') throw createError('ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', `Import attribute "type" with value "${type}" is not supported`, context);
    } else if (type !== undefined) {
      if (type === 'json') throw createError('ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE', `Module "${url}" is not of type "json"`, context);
      throw createError('ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', `Import attribute "type" with value "${type}" is not supported`, context);
    }
  }

  function moduleFor(url: string, format: string | undefined, attributes: Readonly<Record<string, string>> = {}, specifier?: string, referrer?: string): Module {
    checkAttributes(url, format, attributes, specifier, referrer);
    let module = modules.get(url);
    if (module === undefined) {
      module = createModule(url, format, specifier, referrer);
      modules.set(url, module);
      stats.modules += 1;
    }
    return module;
  }

  function readText(url: string, specifier: string | undefined, referrer: string | undefined): string {
    try {
      return readFileSync(fileURLToPath(url), 'utf8');
    } catch (cause) {
      throw createError('ERR_MODULE_NOT_FOUND', `Cannot read module "${url}"${referrer ? ` imported from ${referrer}` : ''}`, { url, specifier, referrer, cause });
    }
  }

  function createModule(url: string, format: string | undefined, specifier: string | undefined, referrer: string | undefined): Module {
    switch (format) {
      case 'builtin': {
        const name = url.startsWith('node:') ? url.slice(5) : url;
        const builtin = createRequire(import.meta.url)(`node:${name}`) as Record<string, unknown>;
        return syntheticModule(realm, url, Object.keys(builtin), () => ({ default: builtin, named: (n) => builtin[n] }));
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
        return commonJsModule(url, specifier, referrer);
      case 'module':
      case undefined: {
        const text = readText(url, specifier, referrer);
        stats.bytesParsed += text.length;
        const start = now();
        let source = options.compileCache?.get(text, url);
        if (source === undefined) {
          source = new ModuleSource(text, { url });
          options.compileCache?.set(text, url, source);
        } else {
          stats.cacheHits += 1;
        }
        stats.compileMs += now() - start;
        return createModuleInRealm(source, handlerFor(url), realm);
      }
      default:
        throw createError('ERR_UNKNOWN_FILE_EXTENSION', `Unknown module format "${format}" for ${url}`, { url, specifier, referrer });
    }
  }

  /**
   * CommonJS as Node's ESM loader presents it: `default` is `module.exports`, named exports are the
   * names cjs-module-lexer detects (following re-exports), read when the module evaluates.
   */
  function commonJsModule(url: string, specifier: string | undefined, referrer: string | undefined): Module {
    if (!cjsLexerReady) {
      initCjsLexer();
      cjsLexerReady = true;
    }
    const filename = fileURLToPath(url);
    const names = new Set<string>();
    const seen = new Set<string>();
    const collect = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return;
      }
      const found = parseCjsExports(text);
      for (const name of found.exports) names.add(name);
      const localRequire = createRequire(file);
      for (const re of found.reexports) {
        try {
          const target = localRequire.resolve(re);
          if (target.endsWith('.js') || target.endsWith('.cjs')) collect(target);
        } catch {
          // An unresolvable re-export contributes no names, as in Node.
        }
      }
    };
    collect(filename);
    names.delete('default');
    void specifier;
    void referrer;
    return syntheticModule(realm, url, [...names], () => {
      const exports = createRequire(url)(filename) as Record<string, unknown>;
      return { default: exports, named: (n) => (exports === null || exports === undefined ? undefined : exports[n]) };
    });
  }

  async function importURL(url: string, format: string | undefined): Promise<ModuleNamespace> {
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
    return GetModuleNamespace(record) as ModuleNamespace;
  }

  return {
    realm,
    stats,
    resolve: (specifier, parentURL) => resolve(specifier, parentURL).url,
    moduleFor: (url, format, attributes) => moduleFor(url, format, attributes),
    import(specifier, parentURL = pathToFileURL(`${process.cwd()}/`).href) {
      try {
        const resolved = resolve(specifier, parentURL);
        return importURL(resolved.url, resolved.format);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
