/**
 * The browser host: ES modules fetched over HTTP(S), resolved relative to the importing module
 * and through import maps (the HTML Standard's algorithm), `import.meta.url` and
 * `import.meta.resolve`, JSON modules (`with { type: 'json' }`), one Module instance per URL per
 * host, and precompiled modules for pages whose Content-Security-Policy forbids eval.
 */

import { TextModuleSource, WasmModuleSource } from '../../api/builtin-sources.js';
import { hostHandler } from '../../api/handler.js';
import { importModule, type ModuleNamespace } from '../../api/import-module.js';
import { createModuleInRealm, type Module, type ModuleHandler, moduleFromRecord } from '../../api/module.js';
import { ModuleSource, moduleSourceFromRecord } from '../../api/module-source.js';
import { createRealm } from '../../api/realm.js';
import { createError } from '../../errors/codes.js';
import {
  createSyntheticModuleRecord,
  defaultHostHooks,
  type Realm,
  SetSyntheticModuleExport,
} from '../../records/index.js';
import type { ModuleSourceRecord } from '../../source/types.js';
import { installStackTraceMapping } from '../stack-traces.js';
import { type CompiledESModule, compiledModule, installCompiledQueue } from './compiled.js';
import { currentDocument, defaultBaseURL, loadClassicScript, type ScriptElement } from './dom.js';
import { createModuleEvaluator, type EvaluationMode, precompiledCode } from './evaluator.js';
import { type FetchFunction, fetchModuleText, globalFetch } from './fetch-text.js';
import {
  EMPTY_IMPORT_MAP,
  type ImportMap,
  importMapToJSON,
  mergeImportMaps,
  parseImportMap,
  type ResolvedModuleRecord,
  resolveModuleSpecifier,
  resolveURLLikeModuleSpecifier,
} from './import-map.js';

/** Options of {@link createBrowserHost}. */
export interface BrowserHostOptions {
  /**
   * An import map (JSON text or its parsed object) applied after the page's
   * `<script type="importmap">` elements (earlier rules win, as when a page has several maps).
   */
  importMap?: string | object;
  /** Base URL of `importMap` (default: `baseURL`). */
  importMapBaseURL?: string;
  /** Read the document's `<script type="importmap">` elements (default true when there is a document). */
  documentImportMaps?: boolean;
  /** The URL top-level specifiers resolve against (default: the document's base URL). */
  baseURL?: string;
  /** The fetch to use (default: the global fetch). */
  fetch?: FetchFunction;
  /**
   * `'eval'` (default): fetched text is compiled by modhost and turned into code with indirect eval;
   * precompiled modules already registered are used without eval. `'compiled'`: modules must be
   * precompiled (`modhost compile`); a module not registered yet is loaded with a `<script src>`
   * element, which registers it. For pages whose Content-Security-Policy forbids eval.
   */
  evaluation?: EvaluationMode;
  /** Check Content-Type as browsers do for module scripts (default true). */
  strictMimeTypes?: boolean;
  /** Receives import map warnings (rules that were dropped). Default: `console.warn`. */
  onWarning?: (message: string) => void;
}

/** Options of {@link BrowserHost.load}. */
export interface LoadOptions {
  /** Import attributes (`{ type: 'json' }` for a JSON module). */
  attributes?: Readonly<Record<string, string>>;
  /** For error messages: the specifier as written and the importing module. */
  specifier?: string;
  referrer?: string;
}

/** A browser host (see {@link createBrowserHost}). */
export interface BrowserHost {
  /** Resolves `specifier` (against `parentURL`, default the base URL), loads, links and evaluates it; resolves to the namespace. */
  import(specifier: string, parentURL?: string): Promise<ModuleNamespace>;
  /** Resolves `specifier` as `import.meta.resolve` does from `parentURL` (default: the base URL). */
  resolve(specifier: string, parentURL?: string): string;
  /** The host's Module for `url` (fetched and created on first use; one per URL and module type). */
  load(url: string, options?: LoadOptions): Promise<Module>;
  /** The ModuleSource for the JavaScript module at `url` (fetched and compiled once per host), e.g. for fresh instances. */
  sourceFor(url: string, options?: LoadOptions): Promise<ModuleSource>;
  /**
   * `new Module(source, handler)` in this host's realm, so that it evaluates with this host's
   * evaluator (needed for precompiled sources when eval is forbidden).
   */
  createModule(source: ModuleSource, handler?: ModuleHandler): Module;
  /** Adds an import map (merged as the HTML Standard merges a later `<script type="importmap">`). */
  addImportMap(map: string | object, baseURL?: string): void;
  /** The current import map, normalized (a JSON view). */
  readonly importMap: ReturnType<typeof importMapToJSON>;
  /** Warnings from parsing and merging import maps. */
  readonly importMapWarnings: readonly string[];
  readonly evaluation: EvaluationMode;
  readonly baseURL: string;
  readonly realm: Realm;
}

/**
 * A JavaScript module is keyed by URL; a JSON or text module by URL too, but apart (HTML's module
 * map key is (URL, type)).
 */
function mapKey(url: string, type: string | undefined): string {
  return type === 'json' || type === 'text' ? `${type} ${url}` : url;
}

/**
 * A WebAssembly module URL. DEVIATION(WebAssembly ESM integration, "fetch a single module
 * script"): browsers choose WebAssembly by the response's MIME type (application/wasm); this host
 * decides before fetching, by the `.wasm` path extension, because a JavaScript module is fetched
 * as text.
 */
function isWasmURL(url: string): boolean {
  try {
    return new URL(url).pathname.endsWith('.wasm');
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** The ModuleSource of a precompiled ES module (its code replaced by a marker the evaluator knows). */
function sourceFromCompiled(url: string, entry: CompiledESModule): ModuleSource {
  const record = entry.record;
  const code = precompiledCode(url, entry.factory);
  // The record's url was the compile-time ref; diagnostics name the URL the module really has.
  const full: ModuleSourceRecord = { ...record, url, compiled: { ...record.compiled, code } };
  return moduleSourceFromRecord(deepFreeze(full));
}

/** Loads a compiled module's script (compiled mode), or rejects naming the URL and the importer. */
async function loadCompiledScript(url: string, referrer: string | undefined): Promise<void> {
  const pending = loadClassicScript(url);
  if (pending === undefined) {
    throw createError(
      'ERR_MODHOST_EVAL_BLOCKED',
      `Cannot load compiled module ${url}: there is no document to add a <script> to`,
      { url },
    );
  }
  if (!(await pending)) {
    throw createError(
      'ERR_MODULE_NOT_FOUND',
      `Cannot load compiled module ${url}${referrer ? ` imported from ${referrer}` : ''}: the <script> request failed (HTTP error status or network error)`,
      { url, referrer },
    );
  }
}

/**
 * Creates a browser host. Each host has its own module map: a fresh host gives fresh instances.
 *
 * @example
 * import { createBrowserHost } from 'modhost/browser';
 * const host = createBrowserHost({ importMap: { imports: { 'lodash/': '/vendor/lodash-es/' } } });
 * const ns = await host.import('./app.js');
 */
export function createBrowserHost(options: BrowserHostOptions = {}): BrowserHost {
  const evaluation: EvaluationMode = options.evaluation ?? 'eval';
  if (evaluation !== 'eval' && evaluation !== 'compiled') {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `createBrowserHost: evaluation must be 'eval' or 'compiled', got ${String(evaluation)}`,
    );
  }
  const baseURL = options.baseURL ?? defaultBaseURL();
  if (baseURL === undefined) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'createBrowserHost: there is no document; pass options.baseURL');
  }
  const fetchFn = options.fetch ?? globalFetch();
  const strictMimeTypes = options.strictMimeTypes !== false;
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    if (options.onWarning !== undefined) options.onWarning(message);
    else (globalThis as { console?: { warn(m: string): void } }).console?.warn(`modhost import map: ${message}`);
  };
  installCompiledQueue();
  // Stack traces show modules' own lines and columns (../stack-traces.ts; Chromium is V8).
  installStackTraceMapping();

  const realm = createRealm({
    evaluator: createModuleEvaluator(evaluation),
    hostHooks: { ...defaultHostHooks, HostGetSupportedImportAttributes: () => ['type'] },
  });

  // The import map: the document's maps in order, then the option's.
  let importMap: ImportMap = EMPTY_IMPORT_MAP;
  const resolvedSet = new Map<string, ResolvedModuleRecord>();
  function addImportMap(map: string | object, mapBaseURL: string = baseURL as string): void {
    const parsed = parseImportMap(map, mapBaseURL, warn);
    importMap = mergeImportMaps(importMap, parsed, resolvedSet.values(), warn);
  }
  const doc = currentDocument();
  if (doc !== undefined && options.documentImportMaps !== false) {
    const scripts = doc.querySelectorAll('script[type="importmap"]');
    for (let i = 0; i < scripts.length; i++) {
      const script = scripts[i] as ScriptElement;
      if (script.getAttribute('src') !== null) {
        warn('External import maps (<script type="importmap" src>) are not supported; inline the map');
        continue;
      }
      try {
        addImportMap(script.textContent ?? '', doc.baseURI);
      } catch (error) {
        // A page's broken map is reported, as browsers report it, and does not stop the host.
        warn(`Ignoring an invalid <script type="importmap">: ${(error as Error).message}`);
      }
    }
  }
  if (options.importMap !== undefined) addImportMap(options.importMap, options.importMapBaseURL ?? baseURL);

  function resolve(specifier: string, parentURL: string = baseURL as string): string {
    const url = resolveModuleSpecifier(importMap, specifier, parentURL, parentURL === baseURL ? undefined : parentURL);
    const key = `${parentURL}\u0000${specifier}`;
    if (!resolvedSet.has(key)) {
      resolvedSet.set(key, {
        serializedBaseURL: parentURL,
        specifier,
        specifierAsURL: resolveURLLikeModuleSpecifier(specifier, parentURL),
      });
    }
    return url.href;
  }

  /** Module map: key → promise of the Module (settled entries stay; failed ones are removed so a later import retries). */
  const modules = new Map<string, Promise<Module>>();
  const sources = new Map<string, Promise<{ source: ModuleSource; baseURL: string }>>();

  function handlerFor(moduleBaseURL: string): ModuleHandler {
    // The host's own loader: its errors reach importers as they are (not wrapped as a user hook's).
    return hostHandler({
      importHook(specifier, attributes) {
        const target = resolve(specifier, moduleBaseURL);
        return load(target, { attributes, specifier, referrer: moduleBaseURL });
      },
      importMetaHook(meta) {
        const m = meta as Record<string, unknown>;
        m.url = moduleBaseURL;
        // HTML: import.meta.resolve converts its argument to a string and throws a TypeError when it cannot resolve.
        m.resolve = function resolveFromModule(specifier: unknown): string {
          return resolve(`${specifier as string}`, moduleBaseURL);
        };
      },
    });
  }

  async function fetchSource(url: string, context: LoadOptions): Promise<{ source: ModuleSource; baseURL: string }> {
    let entry = compiledModule(url);
    if (entry === undefined && evaluation === 'compiled') {
      await loadCompiledScript(url, context.referrer);
      entry = compiledModule(url);
      if (entry === undefined) {
        throw createError(
          'ERR_MODHOST_EVAL_BLOCKED',
          `${url}${context.referrer ? ` (imported from ${context.referrer})` : ''} loaded as a script but registered no compiled module; run \`modhost compile\` on it and serve the output`,
          { url, specifier: context.specifier, referrer: context.referrer },
        );
      }
    }
    if (entry !== undefined) {
      if (entry.kind !== 'esm') {
        throw createError(
          'ERR_MODHOST_INVALID_ARGUMENT',
          `${url} was compiled as ${entry.kind === 'cjs' ? 'a CommonJS module' : 'JSON'}, not as an ES module`,
          { url },
        );
      }
      return { source: sourceFromCompiled(url, entry), baseURL: url };
    }
    const fetched = await fetchModuleText(fetchFn, url, {
      specifier: context.specifier,
      referrer: context.referrer,
      integrity: importMap.integrity.get(url),
      strictMimeTypes,
      expected: 'javascript',
    });
    return { source: new ModuleSource(fetched.text, { url: fetched.responseURL }), baseURL: fetched.responseURL };
  }

  function sourceFor(url: string, context: LoadOptions = {}): Promise<{ source: ModuleSource; baseURL: string }> {
    let pending = sources.get(url);
    if (pending === undefined) {
      pending = fetchSource(url, context);
      sources.set(url, pending);
      pending.catch(() => {
        if (sources.get(url) === pending) sources.delete(url);
      });
    }
    return pending;
  }

  async function createJsonModule(url: string, context: LoadOptions): Promise<Module> {
    const entry = compiledModule(url);
    let text: string;
    if (entry !== undefined && entry.kind === 'json') {
      text = entry.text;
    } else {
      const fetched = await fetchModuleText(fetchFn, url, {
        specifier: context.specifier,
        referrer: context.referrer,
        integrity: importMap.integrity.get(url),
        strictMimeTypes,
        expected: 'json',
      });
      text = fetched.text;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw createError('ERR_MODHOST_PARSE', `${url} is not valid JSON: ${(cause as Error).message}`, { url, cause });
    }
    const record = createSyntheticModuleRecord(
      ['default'],
      (module) => {
        SetSyntheticModuleExport(module, 'default', value);
      },
      realm,
      { url },
    );
    return moduleFromRecord(record);
  }

  /** `with { type: 'text' }`: the response text as a TextModuleSource (any MIME type). */
  async function createTextModule(url: string, context: LoadOptions): Promise<Module> {
    const fetched = await fetchModuleText(fetchFn, url, {
      specifier: context.specifier,
      referrer: context.referrer,
      integrity: importMap.integrity.get(url),
      strictMimeTypes: false,
      expected: 'any',
    });
    return createModuleInRealm(new TextModuleSource(fetched.text, { url: fetched.responseURL }), undefined, realm);
  }

  /** A `.wasm` URL: compiled asynchronously (WebAssembly.compile), linked as a WasmModuleSource. */
  async function createWasmModule(url: string, context: LoadOptions): Promise<Module> {
    const wasm = (globalThis as { WebAssembly?: { compile(bytes: ArrayBuffer): Promise<object> } }).WebAssembly;
    const response = (await fetchFn(url, { credentials: 'same-origin', mode: 'cors' })) as Awaited<
      ReturnType<FetchFunction>
    > & { arrayBuffer?(): Promise<ArrayBuffer> };
    if (!response.ok || typeof response.arrayBuffer !== 'function' || wasm === undefined) {
      throw createError(
        'ERR_MODULE_NOT_FOUND',
        `Cannot load WebAssembly module ${url}${context.referrer ? ` imported from ${context.referrer}` : ''} (HTTP ${response.status})`,
        { url, specifier: context.specifier, referrer: context.referrer, status: response.status },
      );
    }
    const module = await wasm.compile(await response.arrayBuffer());
    const responseURL = response.url || url;
    return createModuleInRealm(new WasmModuleSource(module, { url: responseURL }), handlerFor(responseURL), realm);
  }

  function load(url: string, context: LoadOptions = {}): Promise<Module> {
    const attributes = context.attributes ?? {};
    const type = attributes.type;
    if (type !== undefined && type !== 'json' && type !== 'text') {
      return Promise.reject(
        createError(
          'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
          `Import attribute "type" with value "${type}" is not supported (for ${url}${context.referrer ? `, imported from ${context.referrer}` : ''})`,
          { url, specifier: context.specifier, referrer: context.referrer },
        ),
      );
    }
    const key = mapKey(url, type);
    let pending = modules.get(key);
    if (pending !== undefined) return pending;
    pending =
      type === 'json'
        ? createJsonModule(url, context)
        : type === 'text'
          ? createTextModule(url, context)
          : isWasmURL(url)
            ? createWasmModule(url, context)
            : sourceFor(url, context).then(({ source, baseURL: moduleBase }) =>
                createModuleInRealm(source, handlerFor(moduleBase), realm),
              );
    modules.set(key, pending);
    pending.catch(() => {
      if (modules.get(key) === pending) modules.delete(key);
    });
    return pending;
  }

  return {
    import(specifier, parentURL = baseURL) {
      try {
        const url = resolve(specifier, parentURL);
        return load(url, { specifier, referrer: parentURL === baseURL ? undefined : parentURL }).then((module) =>
          importModule(module),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    resolve,
    load,
    sourceFor: (url, context) => sourceFor(url, context).then((s) => s.source),
    createModule: (source, handler) => createModuleInRealm(source, handler, realm),
    addImportMap,
    get importMap() {
      return importMapToJSON(importMap);
    },
    importMapWarnings: warnings,
    evaluation,
    baseURL,
    realm,
  };
}
