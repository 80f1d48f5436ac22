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
 * every import of a module graph. Without hooks (or with synchronous ones) each load finishes
 * synchronously: so `require()` of an ES module can load a whole graph without waiting for
 * promise jobs (./require-esm.ts).
 *
 * Programmable parts, each skipped entirely when unused:
 * - **hook chains** (../hooks/chain.ts, Node's `module.registerHooks({ resolve, load })` shape)
 *   wrap stage 1 and stage 2 (./loader-hooks.ts); an asynchronous hook makes that load finish
 *   later, which ES imports wait for and `require()` refuses (ERR_MODHOST_ASYNC_IN_REQUIRE);
 * - **mocks** (../hooks/mocks.ts) are consulted after resolution and before the module map;
 * - **sharing** (a fork's `share`, ../hooks/share.ts) may answer with the parent's instance before the
 *   load stage;
 * - **dispose** empties the map; every later request fails with ERR_MODHOST_HOST_DISPOSED.
 */
import { pathToFileURL } from 'node:url';
import { importModule } from '../../api/import-module.js';
import { type Module, moduleRecordOf } from '../../api/module.js';
import { createError } from '../../errors/codes.js';
import {
  type Completion,
  type CyclicModuleRecord,
  Evaluate,
  FinishLoadingImportedModule,
  type HostHooks,
  ImportCallAttributes,
  Link,
  type LoadPayload,
  LoadRequestedModules,
  type ModuleRecord,
  NormalCompletion,
  type Realm,
  ThrowCompletion,
} from '../../records/index.js';
import type { ModuleRequest } from '../../source/types.js';
import { type HookChains, isThenable } from '../hooks/chain.js';
import type { MockRegistry } from '../hooks/mocks.js';
import type { SharedModules } from '../hooks/share.js';
import { addESModuleScopeHint } from './es-scope-hint.js';
import { checkImportAttributes, type ImportAttributes, NO_ATTRIBUTES, requestAttributes } from './import-attributes.js';
import { nowMs } from './lazy-builtin.js';
import type { LoadedModule, NodeLoad, NodeLoadParts } from './load.js';
import { loadThroughHooks, resolveThroughHooks } from './loader-hooks.js';
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
  /** Import attributes a resolve hook gave for this request (they replace the request's). */
  readonly attributes?: ImportAttributes | undefined;
}

type MaybePromise<T> = T | Promise<T>;

/** What the loader is made of. */
export interface NodeLoaderParts {
  readonly resolver: Resolver;
  readonly load: NodeLoad;
  readonly translators: Translators;
  readonly stats: NodeHostStats;
  /** The host's realm (import() options are read as its module code's import() reads them). */
  readonly realm: Realm;
  /** Export conditions of `import` requests (what resolve and load hooks see). */
  readonly conditions: readonly string[];
  /** The host's hook chains, if it has hooks. */
  readonly hooks: HookChains | undefined;
  readonly mocks: MockRegistry;
  /** Set in a fork whose `share` selects modules of its parent. */
  readonly shared: SharedModules | undefined;
  /** The format of an ambiguous text, by its syntax (a load hook's result without `format`). */
  detectFormat(url: string, text: string): 'module' | 'commonjs';
  /** The package.json scoping a URL, for the "in ES module scope" hint. */
  packageScope: NodeLoadParts['packageScope'];
  /** Throws ERR_MODHOST_HOST_DISPOSED once the host is disposed. */
  checkLive(): void;
  /** A Module for a separate instance of a CommonJS file (outside the runtime's cache). */
  freshCommonJS(url: string, text: string | undefined): Module;
  /** Hot hosts: told of each module the map gets, with what was loaded for it. */
  onModule?(key: string, module: Module, loaded: LoadedModule): void;
}

export interface NodeLoader {
  /**
   * Stage 1: resolves `specifier` from the module at `parentURL`. `syncFor` names a caller that
   * needs the answer now (`'require()'`, `'import.meta.resolve()'`, …): an asynchronous resolve
   * hook is then an error.
   */
  resolve(
    specifier: string,
    parentURL: string | undefined,
    attributes?: ImportAttributes,
    syncFor?: string,
  ): MaybePromise<ResolvedURL>;
  /** {@link resolve} for callers that need the answer now. */
  resolveNow(specifier: string, parentURL: string | undefined, syncFor: string): ResolvedURL;
  /**
   * The Module for `url` (stages 2-3 on first use), after checking the import attributes;
   * `specifier` and `referrer` name the import in errors. A promise only when a hook, an async
   * mock factory or the parent of a fork answers later.
   */
  moduleFor(
    url: string,
    format: string | undefined,
    attributes?: ImportAttributes,
    specifier?: string,
    referrer?: string,
    syncFor?: string,
  ): MaybePromise<Module>;
  /** {@link moduleFor} for callers that need the Module now (`require()`). */
  moduleNow(url: string, format: string | undefined, syncFor: string): Module;
  /** 16.2.1.10 HostLoadImportedModule for the host's realm. */
  readonly hostLoadImportedModule: HostHooks['HostLoadImportedModule'];
  /** Stage 4: loads, links and evaluates the module at `url`; resolves to its record. */
  evaluate(url: string, format: string | undefined): Promise<ModuleRecord>;
  /** `import(specifier, options)` from the module at `referrerURL` (always a promise). */
  dynamicImport(specifier: unknown, options: unknown, referrerURL: string): Promise<unknown>;
  /**
   * Runs `fn` (a `require()` of an ES module graph) with every load it causes needing a
   * synchronous answer: hooks or mock factories that return promises fail it.
   */
  synchronously<T>(syncFor: string, fn: () => T): T;
  /**
   * A separate instance of the module at `url`: stages 2-3 (hooks included) without mocks, and
   * not put in the map (`importOriginal()` of a mocked module).
   */
  instantiate(url: string): Promise<Module>;
  /** The Modules of the map (a host's first fork records their sources for the family). */
  modules(): Module[];
  /** The map's Module for a URL, if any (for sharing with forks). */
  loadedModule(url: string, attributes: ImportAttributes): Module | undefined;
  /** Empties the module map (dispose). */
  clear(): void;
  /** The module map (hot updates replace its entries). */
  readonly map: ModuleMap;
  /**
   * Loads the module of map key `key` again (stage 2 as its first load went, load hooks included):
   * what it is now. A promise only when a hook answers later.
   */
  loadAgain(key: string): MaybePromise<LoadedModule>;
  /** The URLs of the modules evaluated through {@link evaluate} (entry points), in order. */
  readonly roots: readonly string[];
}

/** The record of a Module the host made. */
export function recordOfModule(module: Module): ModuleRecord {
  const record = moduleRecordOf(module);
  if (record === undefined) throw createError('ERR_MODHOST_INTERNAL', 'a host module has no module record');
  return record;
}

function then<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isThenable(value) ? (value as Promise<T>).then(next) : next(value as T);
}

/** The host's default loads are synchronous; a promise here is a hook's or a factory's. */
function asyncRefused(syncFor: string, url: string, referrer: string | undefined): Error {
  return createError(
    'ERR_MODHOST_ASYNC_IN_REQUIRE',
    `${syncFor} needs a synchronous answer, but loading ` +
      `${url}${referrer === undefined ? '' : ` (imported from ${referrer})`} ` +
      'returned a promise (an async mock factory, or a parent host loading asynchronously); use import()',
    { url, referrer },
  );
}

/** Creates the loader of a host. */
export function createNodeLoader(parts: NodeLoaderParts): NodeLoader {
  const { resolver, load, translators, stats, realm, hooks, mocks, shared } = parts;
  const modules = new ModuleMap();
  /** With load hooks: the format each module of the map was loaded as (for the attribute checks). */
  const hookedFormats = new Map<string, string>();
  /** The format each key was loaded in (what loading it again asks for). */
  const formats = new Map<string, string | undefined>();
  const roots: string[] = [];
  /** Modules whose load is in progress (an async hook or factory), so importers share one. */
  const pending = new Map<string, Promise<Module>>();
  /** Set while a `require()` of an ES module graph runs (its loads must finish synchronously). */
  let syncScope: string | undefined;
  const resolveHooked = hooks !== undefined && hooks.resolveCount > 0;
  const loadHooked = hooks !== undefined && hooks.loadCount > 0;

  function defaultResolve(specifier: string, parentURL: string): ResolvedURL {
    const start = nowMs();
    try {
      return resolver.resolve(specifier, parentURL);
    } finally {
      stats.resolveMs += nowMs() - start;
    }
  }

  function defaultResolveFrom(specifier: string, parentURL: string | undefined): ResolvedURL {
    return defaultResolve(specifier, parentURL ?? cwdParent());
  }

  function resolve(
    specifier: string,
    parentURL: string | undefined,
    attributes: ImportAttributes = NO_ATTRIBUTES,
    syncFor: string | undefined = syncScope,
  ): MaybePromise<ResolvedURL> {
    parts.checkLive();
    if (!resolveHooked) return defaultResolve(specifier, parentURL ?? cwdParent());
    const result = resolveThroughHooks(hooks as HookChains, parts.conditions, defaultResolveFrom, {
      specifier,
      parentURL,
      attributes,
      syncFor,
    });
    return then(result, (r) => {
      parts.checkLive();
      return r;
    });
  }

  function resolveNow(specifier: string, parentURL: string | undefined, syncFor: string): ResolvedURL {
    const result = resolve(specifier, parentURL, NO_ATTRIBUTES, syncFor);
    if (isThenable(result)) throw createError('ERR_MODHOST_INTERNAL', 'a synchronous resolution returned a promise');
    return result as ResolvedURL;
  }

  function create(
    key: string,
    url: string,
    format: string | undefined,
    attributes: ImportAttributes,
    specifier: string | undefined,
    referrer: string | undefined,
    syncFor: string | undefined,
  ): MaybePromise<Module> {
    if (!loadHooked) {
      // A fork takes what its family compiled, without reading the file again.
      if (attributes.type !== 'text' && (format === 'module' || format === undefined)) {
        const known = translators.fromFamily(url);
        if (known !== undefined) {
          modules.set(key, known);
          stats.modules += 1;
          return known;
        }
      }
      // `with { type: 'text' }` loads any file as text, whatever its format.
      const loaded = load.load(url, attributes.type === 'text' ? 'text' : format, { specifier, referrer });
      return finish(loaded, key, url, format, attributes, specifier, referrer);
    }
    const loaded = loadThroughHooks(hooks as HookChains, load, parts, {
      url,
      format,
      attributes,
      specifier,
      referrer,
      syncFor,
    });
    if (!isThenable(loaded)) return finish(loaded as LoadedModule, key, url, format, attributes, specifier, referrer);
    return finishLater(loaded as Promise<LoadedModule>, key, url, format, attributes, specifier, referrer);
  }

  // (Code that needs closures over a request's variables is in functions of its own, such as
  // this one: V8 allocates the variables a function's closures capture on every call of it, even
  // when the closures are not made, and the calls above run once per import.)
  function finishLater(
    loaded: Promise<LoadedModule>,
    key: string,
    url: string,
    format: string | undefined,
    attributes: ImportAttributes,
    specifier: string | undefined,
    referrer: string | undefined,
  ): Promise<Module> {
    const promise = loaded
      .then((result) => finish(result, key, url, format, attributes, specifier, referrer))
      .finally(() => pending.delete(key));
    pending.set(key, promise);
    return promise;
  }

  /** Stage 3 for a loaded module, into the map (unless a load that finished first is there). */
  function finish(
    loaded: LoadedModule,
    key: string,
    url: string,
    format: string | undefined,
    attributes: ImportAttributes,
    specifier: string | undefined,
    referrer: string | undefined,
  ): Module {
    parts.checkLive();
    const existing = modules.get(key);
    if (existing !== undefined) return existing;
    // With hooks, the attributes are checked against the format the load gave.
    if (loadHooked) {
      checkImportAttributes(url, loaded.format, attributes, specifier, referrer);
      hookedFormats.set(key, loaded.format);
    }
    const module = translators.translate(loaded);
    modules.set(key, module);
    formats.set(key, attributes.type === 'text' ? 'text' : format);
    stats.modules += 1;
    parts.onModule?.(key, module, loaded);
    return module;
  }

  function moduleFor(
    url: string,
    format: string | undefined,
    attributes: ImportAttributes = NO_ATTRIBUTES,
    specifier?: string,
    referrer?: string,
    syncFor: string | undefined = syncScope,
  ): MaybePromise<Module> {
    parts.checkLive();
    if (mocks.size !== 0) {
      const mocked = mocks.moduleFor(url);
      if (mocked !== undefined) {
        if (syncFor !== undefined && isThenable(mocked)) throw asyncRefused(syncFor, url, referrer);
        return mocked;
      }
    }
    if (!loadHooked) checkImportAttributes(url, format, attributes, specifier, referrer);
    const key = ModuleMap.keyOf(url, attributes);
    const known = modules.get(key);
    if (known !== undefined) {
      // (with load hooks, the attributes are checked against the format the hooks gave)
      if (loadHooked) checkImportAttributes(url, hookedFormats.get(key), attributes, specifier, referrer);
      return known;
    }
    const inProgress = pending.get(key);
    if (inProgress !== undefined) {
      if (syncFor !== undefined) throw asyncRefused(syncFor, url, referrer);
      return inProgress;
    }
    if (shared !== undefined) {
      const fromParent = shared.moduleFor(url, format, attributes, syncFor !== undefined);
      if (isThenable(fromParent)) {
        return fromParentLater(
          fromParent as Promise<Module | undefined>,
          key,
          url,
          format,
          attributes,
          specifier,
          referrer,
        );
      }
      if (fromParent !== undefined) {
        modules.set(key, fromParent as Module);
        return fromParent as Module;
      }
    }
    return create(key, url, format, attributes, specifier, referrer, syncFor);
  }

  /**
   * The parent of a fork answers later: its Module, or the fork's own. (Not inlined in moduleFor:
   * closures there would make every call allocate what they capture.)
   */
  function fromParentLater(
    fromParent: Promise<Module | undefined>,
    key: string,
    url: string,
    format: string | undefined,
    attributes: ImportAttributes,
    specifier: string | undefined,
    referrer: string | undefined,
  ): Promise<Module> {
    const promise = fromParent
      .then((module) => {
        parts.checkLive();
        const existing = modules.get(key);
        if (existing !== undefined) return existing;
        if (module !== undefined) {
          modules.set(key, module);
          return module;
        }
        pending.delete(key);
        return create(key, url, format, attributes, specifier, referrer, undefined);
      })
      .finally(() => {
        if (pending.get(key) === promise) pending.delete(key);
      });
    pending.set(key, promise);
    return promise;
  }

  function moduleNow(url: string, format: string | undefined, syncFor: string): Module {
    const module = moduleFor(url, format, NO_ATTRIBUTES, undefined, undefined, syncFor);
    if (isThenable(module)) throw asyncRefused(syncFor, url, undefined);
    return module as Module;
  }

  /** Resolves and gets the Module of one request (a promise only when something answers later). */
  function request(
    specifier: string,
    referrerURL: string,
    attributes: ImportAttributes,
    syncFor: string | undefined,
  ): MaybePromise<Module> {
    if (!resolveHooked) {
      const found = resolve(specifier, referrerURL, attributes, syncFor) as ResolvedURL;
      return moduleFor(found.url, found.format, attributes, specifier, referrerURL, syncFor);
    }
    return requestHooked(specifier, referrerURL, attributes, syncFor);
  }

  /** {@link request} through the resolve hooks (see finishLater on why it is a function of its own). */
  function requestHooked(
    specifier: string,
    referrerURL: string,
    attributes: ImportAttributes,
    syncFor: string | undefined,
  ): MaybePromise<Module> {
    const resolved = resolve(specifier, referrerURL, attributes, syncFor);
    return then(resolved, (r) =>
      moduleFor(r.url, r.format, r.attributes ?? attributes, specifier, referrerURL, syncFor),
    );
  }

  /**
   * Resolves from the referrer's URL and finishes the load with the Module's record or the
   * resolution / read / parse error: at once, unless a hook or mock answers later.
   */
  const hostLoadImportedModule: HostHooks['HostLoadImportedModule'] = (
    referrer,
    moduleRequest,
    _hostDefined,
    payload,
  ) => {
    let outcome: MaybePromise<Module>;
    try {
      outcome = request(
        moduleRequest.specifier,
        referrer.source.url,
        requestAttributes(moduleRequest.attributes),
        syncScope,
      );
    } catch (error) {
      FinishLoadingImportedModule(referrer, moduleRequest, payload, ThrowCompletion(error));
      return;
    }
    if (!isThenable(outcome)) {
      FinishLoadingImportedModule(
        referrer,
        moduleRequest,
        payload,
        NormalCompletion(recordOfModule(outcome as Module)),
      );
      return;
    }
    finishLoadingLater(outcome as Promise<Module>, referrer, moduleRequest, payload);
  };

  /** Finishes a load whose Module comes later (see finishLater on why it is a function of its own). */
  function finishLoadingLater(
    outcome: Promise<Module>,
    referrer: CyclicModuleRecord,
    moduleRequest: ModuleRequest,
    payload: LoadPayload,
  ): void {
    outcome.then(
      (module) => {
        let completion: Completion<ModuleRecord>;
        try {
          parts.checkLive();
          completion = NormalCompletion(recordOfModule(module));
        } catch (error) {
          completion = ThrowCompletion(error);
        }
        FinishLoadingImportedModule(referrer, moduleRequest, payload, completion);
      },
      (error: unknown) => FinishLoadingImportedModule(referrer, moduleRequest, payload, ThrowCompletion(error)),
    );
  }

  async function evaluate(url: string, format: string | undefined): Promise<ModuleRecord> {
    const record = recordOfModule(await moduleFor(url, format));
    if (!roots.includes(url)) roots.push(url);
    await LoadRequestedModules(record);
    parts.checkLive();
    let start = nowMs();
    Link(record);
    stats.linkMs += nowMs() - start;
    start = nowMs();
    try {
      await Evaluate(record);
    } catch (error) {
      addESModuleScopeHint(error, url, parts.packageScope);
      throw error;
    } finally {
      stats.evaluateMs += nowMs() - start;
    }
    return record;
  }

  function dynamicImport(specifier: unknown, options: unknown, referrerURL: string): Promise<unknown> {
    try {
      const text = `${specifier as string}`;
      // EvaluateImportCall steps 10-11, as module code's import() takes them.
      const attributes = requestAttributes(ImportCallAttributes({ realm }, options, referrerURL));
      const module = request(text, referrerURL, attributes, undefined);
      return isThenable(module) ? (module as Promise<Module>).then(importModule) : importModule(module as Module);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stage 2 through the load hooks for a module no import asked for (an update, a fresh instance). */
  function loadHookedNoImporter(
    url: string,
    format: string | undefined,
    attributes: ImportAttributes,
  ): MaybePromise<LoadedModule> {
    const request = { url, format, attributes, specifier: undefined, referrer: undefined, syncFor: undefined };
    return loadThroughHooks(hooks as HookChains, load, parts, request);
  }

  function loadAgain(key: string): MaybePromise<LoadedModule> {
    const { url, text } = ModuleMap.parseKey(key);
    const format = text ? undefined : formats.get(key);
    if (loadHooked) return loadHookedNoImporter(url, format, text ? { type: 'text' } : NO_ATTRIBUTES);
    return load.load(url, text ? 'text' : format, { specifier: undefined, referrer: undefined });
  }

  return {
    map: modules,
    loadAgain,
    roots,
    resolve,
    resolveNow,
    moduleFor,
    moduleNow,
    hostLoadImportedModule,
    evaluate,
    dynamicImport,
    synchronously(syncFor, fn) {
      const outer = syncScope;
      syncScope = outer ?? syncFor;
      try {
        return fn();
      } finally {
        syncScope = outer;
      }
    },
    async instantiate(url) {
      parts.checkLive();
      // (the URL is resolved already; the resolver only says what format a file: or node: URL has)
      const format = url.startsWith('file:') || url.startsWith('node:') ? defaultResolve(url, url).format : undefined;
      const loaded = loadHooked
        ? await loadHookedNoImporter(url, format, NO_ATTRIBUTES)
        : load.load(url, format, { specifier: undefined, referrer: undefined });
      parts.checkLive();
      if (loaded.format === 'commonjs') {
        return parts.freshCommonJS(loaded.url, typeof loaded.source === 'string' ? loaded.source : undefined);
      }
      return translators.translate(loaded);
    },
    modules: () => [...modules.values()],
    loadedModule: (url, attributes) => modules.get(ModuleMap.keyOf(url, attributes)),
    clear() {
      modules.clear();
      pending.clear();
      hookedFormats.clear();
    },
  };
}

let cwdParentURL: string | undefined;
let cwdParentDir: string | undefined;

/** The parent URL of a request without an importer: the working directory (as a folder URL). */
export function cwdParent(): string {
  const cwd = process.cwd();
  if (cwdParentDir !== cwd || cwdParentURL === undefined) {
    cwdParentDir = cwd;
    cwdParentURL = pathToFileURL(`${cwd}/`).href;
  }
  return cwdParentURL;
}
