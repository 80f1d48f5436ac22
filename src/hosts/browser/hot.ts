/**
 * Hot module replacement in the browser host (`createBrowserHost({ hot: true })`): the host's side
 * of the hot controller (../../hot/). A module is read again by fetching its URL with the HTTP
 * cache revalidating (`cache: 'no-cache'`); JavaScript modules the host fetched as text, JSON and
 * text modules can be updated (a precompiled module or a WebAssembly module counts as unchanged).
 */
import { type Module, moduleFromRecord, moduleRecordOf } from '../../api/module.js';
import { createError } from '../../errors/codes.js';
import {
  createHotController,
  type HotContext,
  type HotController,
  type HotUpdateReport,
  handlerKeyOf,
} from '../../hot/index.js';
import type { ModuleRecord } from '../../records/index.js';
import { moduleMapKey, type PromiseMap, parseModuleMapKey } from './module-map.js';

/** How a module of the map was made: enough to make it again, and to tell whether it changed. */
export interface BrowserModuleOrigin {
  readonly kind: 'javascript' | 'json' | 'text' | 'other';
  /** The text it was made from (JavaScript fetched as text, JSON, text modules). */
  readonly text: string | undefined;
  /** The URL its imports resolve against (the response URL). */
  readonly baseURL: string;
}

/** What the hot side needs from the host. */
export interface BrowserHotParts {
  readonly modules: PromiseMap<Module>;
  /** The host's base URL (update() takes URLs relative to it). */
  readonly baseURL: string;
  resolve(specifier: string, parentURL: string): string;
  /**
   * Fetches the module of map key `key` again: its new origin, and how to make a Module of it
   * (called only when the text changed); undefined when it cannot change (precompiled, WebAssembly).
   */
  refetch(key: string): Promise<{ origin: BrowserModuleOrigin; make(): Module } | undefined>;
  /** A new instance of the module `key` from the same origin (same ModuleSource for JavaScript). */
  remake(key: string, record: ModuleRecord, origin: BrowserModuleOrigin): Module;
}

/** The hot side of a browser host. */
export interface BrowserHot {
  readonly controller: HotController;
  /** Remembers how the host made a module of its map. */
  made(key: string, module: Module, origin: BrowserModuleOrigin): void;
  /** `import.meta.hot` of the instance whose Module has `handler`. */
  contextFor(handler: object, url: string): HotContext;
  /** Records that the program imported `key` through the host (an entry point). */
  root(key: string): void;
  update(urls: Iterable<string>): Promise<HotUpdateReport>;
  loadedURLs(): string[];
}

/** Creates the hot side of a browser host. */
export function createBrowserHot(parts: BrowserHotParts): BrowserHot {
  const keyOf = new WeakMap<ModuleRecord, string>();
  const originOf = new WeakMap<ModuleRecord, BrowserModuleOrigin>();
  const moduleOf = new WeakMap<ModuleRecord, Module>();
  const roots: string[] = [];

  const made = (key: string, module: Module, origin: BrowserModuleOrigin): ModuleRecord => {
    const record = moduleRecordOf(module);
    if (record === undefined) throw createError('ERR_MODHOST_INTERNAL', 'a host module has no module record');
    keyOf.set(record, key);
    originOf.set(record, origin);
    moduleOf.set(record, module);
    return record;
  };
  const recordOf = (id: string): ModuleRecord | undefined => {
    const module = parts.modules.settled(id);
    return module === undefined ? undefined : moduleRecordOf(module);
  };

  const controller = createHotController({
    idsOf(url) {
      const target = new URL(url, parts.baseURL).href;
      const keys = [target, moduleMapKey(target, 'json'), moduleMapKey(target, 'text')];
      return keys.filter((key) => parts.modules.settled(key) !== undefined);
    },
    recordOf,
    idOf: (record) => keyOf.get(record),
    async reread(id) {
      const record = recordOf(id);
      const before = record === undefined ? undefined : originOf.get(record);
      if (before === undefined || before.kind === 'other' || before.text === undefined) return undefined;
      const next = await parts.refetch(id);
      if (next === undefined || (next.origin.kind === before.kind && next.origin.text === before.text))
        return undefined;
      return made(id, next.make(), next.origin);
    },
    reinstantiate(id) {
      const record = recordOf(id);
      const origin = record === undefined ? undefined : originOf.get(record);
      if (record === undefined || origin === undefined)
        throw createError('ERR_MODHOST_INTERNAL', `no module ${id} to evaluate again`);
      return made(id, parts.remake(id, record, origin), origin);
    },
    setRecord(id, record) {
      parts.modules.replace(id, record === undefined ? undefined : (moduleOf.get(record) ?? moduleFromRecord(record)));
    },
    roots: () => roots,
    resolve(specifier, referrerId) {
      const record = recordOf(referrerId);
      const base =
        (record === undefined ? undefined : originOf.get(record)?.baseURL) ?? parseModuleMapKey(referrerId).url;
      return parts.resolve(specifier, base);
    },
    contextKeyOf: handlerKeyOf,
  });

  return {
    controller,
    made(key, module, origin) {
      made(key, module, origin);
    },
    contextFor: (handler, url) => controller.contextFor(handler, url),
    root(key) {
      if (!roots.includes(key)) roots.push(key);
    },
    update: (urls) => controller.update(urls),
    loadedURLs() {
      const urls = new Set<string>();
      for (const key of parts.modules.settledKeys()) urls.add(parseModuleMapKey(key).url);
      return [...urls];
    },
  };
}
