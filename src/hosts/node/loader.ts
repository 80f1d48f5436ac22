/**
 * The Node host's module loader: the pipeline every import goes through, and the module map it
 * fills (Node's lib/internal/modules/esm/loader.js plays this part there).
 *
 * 1. **resolve** — specifier + importer URL → URL + format (./resolve.ts, Node's algorithm);
 * 2. **load** — URL + format → source (./load.ts; an ambiguous file's format is decided here);
 * 3. **translate** — source → a Module in the host's realm (./translators.ts);
 * 4. **instantiate** — LoadRequestedModules → Link → Evaluate (records/).
 *
 * Stages 1-3 run once per module (the map keeps the Module), from HostLoadImportedModule for
 * every import of a module graph, which finishes each load synchronously: so `require()` of an
 * ES module can load a whole graph without waiting for promise jobs (./require-esm.ts).
 *
 * Hook chains (Node's `module.registerHooks({ resolve, load })` shape) wrap {@link
 * NodeLoader.resolve} and the load stage; everything else reaches modules through these two.
 */
import { importModule } from '../../api/import-module.js';
import type { Module } from '../../api/module.js';
import { moduleRecordOf } from '../../api/slots.js';
import { createError } from '../../errors/codes.js';
import {
  type Completion,
  Evaluate,
  FinishLoadingImportedModule,
  type HostHooks,
  ImportCallAttributes,
  Link,
  LoadRequestedModules,
  type ModuleRecord,
  NormalCompletion,
  type Realm,
  ThrowCompletion,
} from '../../records/index.js';
import { checkImportAttributes, type ImportAttributes, requestAttributes } from './import-attributes.js';
import type { NodeLoad } from './load.js';
import { ModuleMap } from './module-map.js';
import type { ModuleFormat, Resolver } from './resolve.js';
import type { Translators } from './translators.js';

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

/** The resolve stage's result. */
export interface ResolvedURL {
  readonly url: string;
  readonly format: ModuleFormat;
}

/** What the loader is made of. */
export interface NodeLoaderParts {
  readonly resolver: Resolver;
  readonly load: NodeLoad;
  readonly translators: Translators;
  readonly stats: NodeHostStats;
  /** The host's realm (import() options are read as its module code's import() reads them). */
  readonly realm: Realm;
}

export interface NodeLoader {
  /** Stage 1: resolves `specifier` from the module at `parentURL`. */
  resolve(specifier: string, parentURL: string): ResolvedURL;
  /**
   * The Module for `url` (stages 2-3 on first use), after checking the import attributes;
   * `specifier` and `referrer` name the import in errors.
   */
  moduleFor(
    url: string,
    format: string | undefined,
    attributes?: ImportAttributes,
    specifier?: string,
    referrer?: string,
  ): Module;
  /** 16.2.1.10 HostLoadImportedModule for the host's realm. */
  readonly hostLoadImportedModule: HostHooks['HostLoadImportedModule'];
  /** Stage 4: loads, links and evaluates the module at `url`; resolves to its record. */
  evaluate(url: string, format: string | undefined): Promise<ModuleRecord>;
  /** `import(specifier, options)` from the module at `referrerURL` (always a promise). */
  dynamicImport(specifier: unknown, options: unknown, referrerURL: string): Promise<unknown>;
}

/** The record of a Module the host made. */
export function recordOfModule(module: Module): ModuleRecord {
  const record = moduleRecordOf(module);
  if (record === undefined) throw createError('ERR_MODHOST_INTERNAL', 'a host module has no module record');
  return record;
}

const NO_ATTRIBUTES: ImportAttributes = Object.freeze({});

/** Creates the loader of a host. */
export function createNodeLoader(parts: NodeLoaderParts): NodeLoader {
  const { resolver, load, translators, stats, realm } = parts;
  const modules = new ModuleMap();

  function resolve(specifier: string, parentURL: string): ResolvedURL {
    const start = performance.now();
    try {
      return resolver.resolve(specifier, parentURL);
    } finally {
      stats.resolveMs += performance.now() - start;
    }
  }

  function moduleFor(
    url: string,
    format: string | undefined,
    attributes: ImportAttributes = NO_ATTRIBUTES,
    specifier?: string,
    referrer?: string,
  ): Module {
    checkImportAttributes(url, format, attributes, specifier, referrer);
    const key = ModuleMap.keyOf(url, attributes);
    let module = modules.get(key);
    if (module === undefined) {
      // `with { type: 'text' }` loads any file as text, whatever its format.
      const loaded = load.load(url, attributes.type === 'text' ? 'text' : format, { specifier, referrer });
      module = translators.translate(loaded);
      modules.set(key, module);
      stats.modules += 1;
    }
    return module;
  }

  /**
   * Resolves from the referrer's URL and finishes the load at once (synchronously), with the
   * Module's record or the resolution / read / parse error.
   */
  const hostLoadImportedModule: HostHooks['HostLoadImportedModule'] = (referrer, request, _hostDefined, payload) => {
    let completion: Completion<ModuleRecord>;
    try {
      const url = referrer.source.url;
      const resolved = resolve(request.specifier, url);
      const attributes = requestAttributes(request.attributes);
      completion = NormalCompletion(
        recordOfModule(moduleFor(resolved.url, resolved.format, attributes, request.specifier, url)),
      );
    } catch (error) {
      completion = ThrowCompletion(error);
    }
    FinishLoadingImportedModule(referrer, request, payload, completion);
  };

  async function evaluate(url: string, format: string | undefined): Promise<ModuleRecord> {
    const record = recordOfModule(moduleFor(url, format));
    await LoadRequestedModules(record);
    let start = performance.now();
    Link(record);
    stats.linkMs += performance.now() - start;
    start = performance.now();
    try {
      await Evaluate(record);
    } finally {
      stats.evaluateMs += performance.now() - start;
    }
    return record;
  }

  function dynamicImport(specifier: unknown, options: unknown, referrerURL: string): Promise<unknown> {
    try {
      const text = `${specifier as string}`;
      // EvaluateImportCall steps 10-11, as module code's import() takes them.
      const attributes = requestAttributes(ImportCallAttributes({ realm }, options, referrerURL));
      const resolved = resolve(text, referrerURL);
      return importModule(moduleFor(resolved.url, resolved.format, attributes, text, referrerURL));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  return { resolve, moduleFor, hostLoadImportedModule, evaluate, dynamicImport };
}
