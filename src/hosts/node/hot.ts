/**
 * Hot module replacement in the Node host (`createNodeHost({ hot: true })`): the host's side of
 * the hot controller (../../hot/): which modules a file is, reading a module again through the
 * load stage (so load hooks see it), new instances in the module map, `import.meta.hot` and
 * CommonJS `module.hot`.
 *
 * CommonJS modules take part as nodes of the graph too. Each one the runtime has run is a module
 * id (its file URL), held by the ES modules that import it and by the CommonJS modules whose
 * `require` loaded it (their `dependencies`). A CommonJS module that `import` never reached gets
 * a synthetic record for the update only (the same record `import` would get). Evaluating one
 * again runs its file again: its old `module` leaves the `require` cache right before the new
 * instances evaluate (and comes back if the update fails). A `require()` result a module keeps is
 * a value, not a binding: a CommonJS module that accepts a dependency reads it again in its accept
 * callback (`dep = require('./dep')`).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createModuleInRealm, type Module, moduleFromRecord } from '../../api/module.js';
import type { CommonJSModule } from '../../commonjs/index.js';
import { createError } from '../../errors/codes.js';
import {
  createHotController,
  type HotContext,
  type HotController,
  type HotUpdateReport,
  handlerKeyOf,
} from '../../hot/index.js';
import { Evaluate, Link, type ModuleRecord, ModuleSourceObjectOf, type Realm } from '../../records/index.js';
import type { HostCommonJS } from './host-commonjs.js';
import { type LoadedModule, readModuleText } from './load.js';
import { type NodeLoader, recordOfModule } from './loader.js';
import { ModuleMap } from './module-map.js';
import type { Translators } from './translators.js';

/** What the hot side needs from the host. */
export interface NodeHotParts {
  readonly realm: Realm;
  readonly loader: () => NodeLoader;
  readonly commonjs: () => HostCommonJS;
  readonly translators: Translators;
  /** The handler of a new instance of the ES module at `url` (as its first instance had). */
  handlerFor(url: string): object;
  /** Told when an update starts and ends. */
  updating(active: boolean): void;
}

/** The hot side of a Node host. */
export interface NodeHot {
  readonly controller: HotController;
  /** The loader's `onModule`: remembers what each module was made from. */
  onModule(key: string, module: Module, loaded: LoadedModule): void;
  /** The CommonJS runtime's `onModule`: `module.hot`, and the text it runs. */
  onCommonJSModule(module: CommonJSModule, text: string): void;
  /** `import.meta.hot` of the instance whose Module has `handler`. */
  contextFor(handler: object, url: string): HotContext;
  update(urls: Iterable<string>): Promise<HotUpdateReport>;
  /** file: URLs of every module the host loaded (ES modules, JSON, CommonJS, …). */
  loadedFiles(): string[];
  /** The text the module of `record` was made from, if it was loaded as text. */
  textOf(record: ModuleRecord): string | undefined;
}

/** `host.update()` takes URLs, or absolute paths for files. */
function toURL(value: string): string {
  if (/^[a-zA-Z][a-zA-Z\d+.-]*:/.test(value) && !/^[a-zA-Z]:[\\/]/.test(value)) return value;
  return pathToFileURL(value).href;
}

function sameSource(a: LoadedModule['source'], b: LoadedModule['source']): boolean {
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const readText = (url: string): string => readModuleText(url, { specifier: undefined, referrer: undefined });

/** Creates the hot side of a Node host. */
export function createNodeHot(parts: NodeHotParts): NodeHot {
  /** What each instance was made from (its text, to tell whether a file changed). */
  const loadedOf = new WeakMap<ModuleRecord, LoadedModule>();
  const keyOf = new WeakMap<ModuleRecord, string>();
  const moduleOf = new WeakMap<ModuleRecord, Module>();
  /** CommonJS: the text each `module` ran, the `module` of each record, records of require-only modules. */
  const commonJSText = new WeakMap<CommonJSModule, string>();
  const commonJSModuleOf = new WeakMap<ModuleRecord, CommonJSModule>();
  const commonJSNodes = new Map<string, ModuleRecord>();

  const remember = (key: string, module: Module, loaded: LoadedModule | undefined): ModuleRecord => {
    const record = recordOfModule(module);
    if (loaded !== undefined) loadedOf.set(record, loaded);
    keyOf.set(record, key);
    moduleOf.set(record, module);
    return record;
  };

  const cjs = () => parts.commonjs().created;
  const cachedModule = (url: string): CommonJSModule | undefined => {
    if (!url.startsWith('file:')) return undefined;
    const module = cjs()?.cache[fileURLToPath(url)];
    return module?.loaded === true ? module : undefined;
  };

  /**
   * The record standing for the CommonJS module at `url` in an update, made if need be (and
   * evaluated at once: it only reads the module's exports from the cache).
   */
  function commonJSNode(url: string): ModuleRecord | undefined {
    let record = commonJSNodes.get(url);
    if (record !== undefined) return record;
    const module = cachedModule(url);
    if (module === undefined) return undefined;
    record = parts.commonjs().moduleRecord(url, commonJSText.get(module));
    Link(record);
    void Evaluate(record);
    keyOf.set(record, url);
    commonJSModuleOf.set(record, module);
    commonJSNodes.set(url, record);
    return record;
  }

  const recordOf = (id: string): ModuleRecord | undefined => {
    const module = parts.loader().map.get(id);
    if (module !== undefined) return recordOfModule(module);
    return commonJSNode(id);
  };

  /** The CommonJS `module` of a record, once it has run. */
  function commonJSModuleOfRecord(record: ModuleRecord): CommonJSModule | undefined {
    let module = commonJSModuleOf.get(record);
    if (module === undefined && record.kind === 'synthetic' && record.evaluationResult !== undefined) {
      const id = keyOf.get(record);
      module = id === undefined ? undefined : cachedModule(id);
      if (module !== undefined) commonJSModuleOf.set(record, module);
    }
    return module;
  }

  const isCommonJS = (record: ModuleRecord): boolean =>
    record.kind === 'synthetic' && (record.hostDefined as { commonjs?: boolean } | undefined)?.commonjs === true;

  /** A new record for the CommonJS module `id` whose text is `text` (not run yet). */
  function newCommonJSRecord(id: string, text: string): ModuleRecord {
    parts.commonjs().forget(fileURLToPath(id));
    const record = parts.commonjs().moduleRecord(id, text);
    keyOf.set(record, id);
    return record;
  }

  const controller = createHotController({
    idsOf(url) {
      const target = toURL(url);
      const map = parts.loader().map;
      const ids = [target, ModuleMap.keyOf(target, { type: 'text' })].filter((key) => map.get(key) !== undefined);
      if (ids.length === 0 && cachedModule(target) !== undefined) ids.push(target);
      return ids;
    },
    recordOf,
    idOf: (record) => keyOf.get(record),
    async reread(id) {
      const record = recordOf(id);
      if (record !== undefined && isCommonJS(record)) {
        const ran = commonJSModuleOfRecord(record);
        const { url } = ModuleMap.parseKey(id);
        const text = readText(url);
        if (ran !== undefined && commonJSText.get(ran) === text) return undefined;
        return newCommonJSRecord(id, text);
      }
      const before = record === undefined ? undefined : loadedOf.get(record);
      const loaded = await parts.loader().loadAgain(id);
      if (before !== undefined && before.format === loaded.format && sameSource(before.source, loaded.source))
        return undefined;
      if (loaded.format === 'builtin') return undefined;
      if (loaded.format === 'commonjs')
        return newCommonJSRecord(id, typeof loaded.source === 'string' ? loaded.source : readText(id));
      return remember(id, parts.translators.translate(loaded), loaded);
    },
    reinstantiate(id) {
      const record = recordOf(id);
      if (record === undefined) throw createError('ERR_MODHOST_INTERNAL', `no module ${id} to evaluate again`);
      if (isCommonJS(record)) {
        const ran = commonJSModuleOfRecord(record);
        const text = ran === undefined ? undefined : commonJSText.get(ran);
        return newCommonJSRecord(id, text ?? readText(id));
      }
      const loaded = loadedOf.get(record);
      if (loaded === undefined) throw createError('ERR_MODHOST_INTERNAL', `no module ${id} to evaluate again`);
      // The same ModuleSource again (nothing is parsed), or the same loaded text translated again.
      const { url } = ModuleMap.parseKey(id);
      const source = ModuleSourceObjectOf(record);
      const module =
        loaded.format === 'module' && source !== undefined
          ? createModuleInRealm(source as never, parts.handlerFor(url), parts.realm)
          : parts.translators.translate(loaded);
      return remember(id, module, loaded);
    },
    setRecord(id, record) {
      const map = parts.loader().map;
      if (map.get(id) === undefined && commonJSNodes.has(id)) {
        if (record === undefined) commonJSNodes.delete(id);
        else commonJSNodes.set(id, record);
        return;
      }
      if (record === undefined) map.delete(id);
      else map.set(id, moduleOf.get(record) ?? moduleFromRecord(record));
    },
    roots() {
      const roots = [...parts.loader().roots];
      const main = cjs()?.require.main;
      if (main !== undefined) roots.push(pathToFileURL(main.filename).href);
      return roots;
    },
    resolve(specifier, referrerId) {
      const parent = ModuleMap.parseKey(referrerId).url;
      return parts.loader().resolveNow(specifier, parent, 'import.meta.hot.accept()').url;
    },
    updating: (active) => parts.updating(active),
    contextKeyOf(record) {
      if (isCommonJS(record)) return commonJSModuleOfRecord(record);
      return handlerKeyOf(record);
    },
    importersOf(record) {
      const importers = [...Array.prototype.slice.call(record.importers)] as ModuleRecord[];
      const runtime = cjs();
      const id = keyOf.get(record);
      if (runtime === undefined || id === undefined) return importers;
      // CommonJS modules whose require loaded this one.
      for (const filename of Object.keys(runtime.cache)) {
        const module = runtime.cache[filename];
        if (module === undefined || !module.dependencies.includes(id)) continue;
        const requirer = recordOf(module.uri);
        if (requirer !== undefined && !importers.includes(requirer)) importers.push(requirer);
      }
      return importers;
    },
    beforeEvaluate(ids) {
      // The CommonJS modules to run again leave the require cache (their new records run them).
      const runtime = cjs();
      if (runtime === undefined) return () => undefined;
      const removed = new Map<string, CommonJSModule>();
      for (const id of ids) {
        const { url } = ModuleMap.parseKey(id);
        if (!url.startsWith('file:')) continue;
        const filename = fileURLToPath(url);
        const module = runtime.cache[filename];
        if (module === undefined) continue;
        removed.set(filename, module);
        delete runtime.cache[filename];
      }
      return () => {
        for (const [filename, module] of removed) runtime.cache[filename] = module;
      };
    },
  });

  return {
    controller,
    onModule(key, module, loaded) {
      remember(key, module, loaded);
    },
    onCommonJSModule(module, text) {
      commonJSText.set(module, text);
      Object.defineProperty(module, 'hot', {
        value: controller.contextFor(module, module.uri),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    },
    contextFor: (handler, url) => controller.contextFor(handler, url),
    update: (urls) => controller.update([...urls].map(toURL)),
    loadedFiles() {
      const files = new Set<string>();
      for (const key of parts.loader().map.keys()) {
        const { url } = ModuleMap.parseKey(key);
        if (url.startsWith('file:')) files.add(url);
      }
      const runtime = cjs();
      if (runtime !== undefined)
        for (const filename of Object.keys(runtime.cache)) files.add(pathToFileURL(filename).href);
      return [...files];
    },
    textOf(record) {
      const source = loadedOf.get(record)?.source;
      return typeof source === 'string' ? source : undefined;
    },
  };
}
