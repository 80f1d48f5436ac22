/**
 * `import.meta.hot` (and CommonJS `module.hot`): Vite's HMR API
 * (vitejs/vite docs/guide/api-hmr.md, packages/vite/src/shared/hmr.ts) on modhost's hot hosts.
 *
 * One {@link HotContext} per module *instance*: a new instance (made by an update) gets a new
 * context, so the callbacks an instance registered are exactly those of the code that ran. What
 * outlives instances is kept per module id (its URL) in a {@link HotRegistry}: `data`, and the
 * context of the instance currently in the graph.
 */
import { createError } from '../errors/codes.js';
import type { ImportMetaHot } from './hot-api.js';

/** A module namespace as accept callbacks receive it. */
export type HotModuleNamespace = Record<string, unknown>;

/** The payload of the events modhost sends to `hot.on(...)` listeners. */
export interface HotEventPayloads {
  /** An update is about to be applied: the modules that will be evaluated again. */
  'modhost:beforeUpdate': { updates: readonly string[] };
  /** An update was applied. */
  'modhost:afterUpdate': { updates: readonly string[] };
  /** No module accepts an update: the program needs a full reload. */
  'modhost:beforeFullReload': { triggeredBy: readonly string[]; reason: string };
  /** Modules are no longer imported and are about to be pruned. */
  'modhost:beforePrune': { paths: readonly string[] };
  /** A module called `hot.invalidate()`. */
  'modhost:invalidate': { path: string; message: string | undefined };
  /** An update failed (the old modules keep running). */
  'modhost:error': { err: { message: string; stack: string | undefined } };
}

/** The controller's view of a context (set by HotContext's static block). */
export let hotInternals: HotInternals;

/** A listener registered with `hot.on`. */
export type HotListener = (payload: unknown) => void;

/** One accept registration: the module ids it accepts and its callback. */
export interface HotAcceptEntry {
  /** Resolved ids (URLs) of the dependencies; the module's own id for a self-accept. */
  readonly deps: readonly string[];
  readonly callback: ((namespaces: (HotModuleNamespace | undefined)[]) => unknown) | undefined;
  /** Self-accepting (`accept()`, `accept(cb)`, `acceptExports`). */
  readonly self: boolean;
  /** `acceptExports(names)`: the export names this self-accept covers. */
  readonly exports?: readonly string[];
}

/** What a host gives the contexts it makes. */
export interface HotContextHost {
  /** Resolves an accepted dependency's specifier from the module, as its imports are resolved. */
  resolveDependency(specifier: string, referrerId: string): string;
  /** `hot.invalidate()`: propagate an update from this module as if it did not accept itself. */
  invalidate(id: string, message: string | undefined): void;
  /** `hot.send(event, data)`. */
  send(event: string, data: unknown): void;
}

/**
 * Per-host state that outlives module instances: `data` per module id, event listeners, and the
 * context of each module's current instance.
 */
export class HotRegistry {
  readonly host: HotContextHost;
  /** `hot.data`, kept across replacements of one module (Vite's dataMap). */
  readonly data = new Map<string, Record<string, unknown>>();
  /** Listeners by event name, with the context that registered each (a replaced instance's are dropped). */
  readonly listeners = new Map<string, { listener: HotListener; context: HotContext }[]>();

  constructor(host: HotContextHost) {
    this.host = host;
  }

  /** A new context for a new instance of module `id`. */
  createContext(id: string): HotContext {
    return new HotContext(this, id);
  }

  /** Calls every listener of `event` (errors are reported, not thrown: listeners are independent). */
  async emit(event: string, payload: unknown): Promise<unknown[]> {
    const list = this.listeners.get(event);
    if (list === undefined) return [];
    const errors: unknown[] = [];
    for (const { listener } of [...list]) {
      try {
        await listener(payload);
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }

  /** Emits one of modhost's own HMR events as `modhost:<name>`, then as Vite's `vite:<name>`. */
  async emitHmrEvent(name: string, payload: unknown): Promise<void> {
    await this.emit(`modhost:${name}`, payload);
    await this.emit(`vite:${name}`, payload);
  }

  /** Forgets the listeners a (replaced or pruned) instance registered. */
  dropListeners(context: HotContext): void {
    for (const [event, list] of this.listeners) {
      const kept = list.filter((entry) => entry.context !== context);
      if (kept.length === 0) this.listeners.delete(event);
      else this.listeners.set(event, kept);
    }
  }
}

function checkCallback(value: unknown, what: string): void {
  if (value !== undefined && typeof value !== 'function')
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', `${what} must be a function`);
}

/**
 * `import.meta.hot`: what a module instance registers for hot updates (Vite's `ViteHotContext`).
 *
 * @example
 * // counter.js, in a host made with `hot: true`
 * export let count = 0;
 * const timer = setInterval(() => count++, 1000);
 * if (import.meta.hot) {
 *   import.meta.hot.dispose((data) => { clearInterval(timer); data.count = count; });
 *   if (import.meta.hot.data.count !== undefined) count = import.meta.hot.data.count;
 *   import.meta.hot.accept();
 * }
 */
export class HotContext implements ImportMetaHot {
  readonly #registry: HotRegistry;
  /** The module id (URL). */
  readonly #id: string;
  readonly #accepts: HotAcceptEntry[] = [];
  readonly #dispose: ((data: Record<string, unknown>) => unknown)[] = [];
  readonly #prune: ((data: Record<string, unknown>) => unknown)[] = [];
  #declined = false;

  constructor(registry: HotRegistry, id: string) {
    this.#registry = registry;
    this.#id = id;
    if (!registry.data.has(id)) registry.data.set(id, {});
  }

  /** Kept across the replacements of this module: pass state from one version to the next. */
  get data(): Record<string, unknown> {
    let data = this.#registry.data.get(this.#id);
    if (data === undefined) {
      data = {};
      this.#registry.data.set(this.#id, data);
    }
    return data;
  }

  /**
   * `accept()` / `accept(cb)`: this module accepts updates of itself (it is evaluated again and
   * `cb` receives its new namespace; its importers are relinked, not evaluated again).
   * `accept(dep, cb)` / `accept([deps], cb)`: this module accepts updates of those dependencies
   * (specifiers as in its imports): it is not evaluated again, its imports are relinked, and `cb`
   * receives the new namespace (an array, in `deps` order, `undefined` for those not updated).
   */
  accept(deps?: unknown, callback?: unknown): void {
    if (deps === undefined || typeof deps === 'function') {
      checkCallback(deps, 'hot.accept(callback)');
      const cb = deps as ((ns: HotModuleNamespace | undefined) => unknown) | undefined;
      this.#accepts.push({
        deps: [this.#id],
        self: true,
        callback: cb === undefined ? undefined : ([ns]) => cb(ns),
      });
      return;
    }
    checkCallback(callback, 'The callback of hot.accept');
    if (typeof deps === 'string') {
      const cb = callback as ((ns: HotModuleNamespace | undefined) => unknown) | undefined;
      this.#accepts.push({
        deps: [this.#resolve(deps)],
        self: false,
        callback: cb === undefined ? undefined : ([ns]) => cb(ns),
      });
      return;
    }
    if (Array.isArray(deps) && deps.every((dep) => typeof dep === 'string')) {
      const cb = callback as ((ns: (HotModuleNamespace | undefined)[]) => unknown) | undefined;
      this.#accepts.push({
        deps: (deps as string[]).map((dep) => this.#resolve(dep)),
        self: false,
        callback: cb === undefined ? undefined : (namespaces) => cb(namespaces),
      });
      return;
    }
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'hot.accept() takes nothing, a callback, a dependency specifier or an array of them, then a callback',
    );
  }

  /**
   * `acceptExports(names, cb)`: this module accepts updates of itself as long as its importers
   * use no other export than `names` (Vite's partial accept): importers that import only these
   * names are relinked, others are updated as if the module did not accept.
   */
  acceptExports(names: string | readonly string[], callback?: (ns: HotModuleNamespace | undefined) => void): void {
    const list = typeof names === 'string' ? [names] : names;
    if (!Array.isArray(list) || !list.every((name) => typeof name === 'string'))
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'hot.acceptExports() takes an export name or an array of them');
    checkCallback(callback, 'The callback of hot.acceptExports');
    this.#accepts.push({
      deps: [this.#id],
      self: true,
      exports: [...list],
      callback: callback === undefined ? undefined : ([ns]) => callback(ns),
    });
  }

  /** Called before this instance is replaced (or the program reloaded): clean up its side effects. */
  dispose(callback: (data: Record<string, unknown>) => unknown): void {
    checkCallback(callback, 'hot.dispose(callback)');
    this.#dispose.push(callback);
  }

  /** Called when this module is no longer imported by anything after an update. */
  prune(callback: (data: Record<string, unknown>) => unknown): void {
    checkCallback(callback, 'hot.prune(callback)');
    this.#prune.push(callback);
  }

  /**
   * A change to this module cannot be applied while the program runs: an update that must
   * evaluate it again is a full reload (Vite 2–3's `decline`).
   */
  decline(): void {
    this.#declined = true;
  }

  /**
   * This module cannot take the update it is in (call it from an accept callback), or wants its
   * importers updated now: the update propagates to its importers as if it did not accept itself.
   */
  invalidate(message?: string): void {
    this.#registry.host.invalidate(this.#id, message === undefined ? undefined : `${message}`);
  }

  /** Listens to an HMR event (`modhost:beforeUpdate`, …, also named `vite:…`) or a custom one. */
  on(event: string, callback: (payload: unknown) => void): void {
    if (typeof event !== 'string') throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'hot.on(event) needs a string');
    checkCallback(callback, 'hot.on(event, callback)');
    const list = this.#registry.listeners.get(event) ?? [];
    list.push({ listener: callback, context: this });
    this.#registry.listeners.set(event, list);
  }

  /** Removes a listener registered with `on`. */
  off(event: string, callback: (payload: unknown) => void): void {
    const list = this.#registry.listeners.get(event);
    if (list === undefined) return;
    const kept = list.filter((entry) => entry.listener !== callback);
    if (kept.length === 0) this.#registry.listeners.delete(event);
    else this.#registry.listeners.set(event, kept);
  }

  /** Sends a custom event to the `on` listeners of every module of the host. */
  send(event: string, data?: unknown): void {
    if (typeof event !== 'string') throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'hot.send(event) needs a string');
    this.#registry.host.send(event, data);
  }

  #resolve(specifier: string): string {
    return this.#registry.host.resolveDependency(specifier, this.#id);
  }

  // --- for the controller (not part of the API; reached through the functions below) ---

  static {
    hotInternals = {
      accepts: (context) => context.#accepts,
      declined: (context) => context.#declined,
      disposers: (context) => context.#dispose,
      pruners: (context) => context.#prune,
    };
  }
}

/** The controller's view of a context. */
export interface HotInternals {
  accepts(context: HotContext): readonly HotAcceptEntry[];
  declined(context: HotContext): boolean;
  disposers(context: HotContext): readonly ((data: Record<string, unknown>) => unknown)[];
  pruners(context: HotContext): readonly ((data: Record<string, unknown>) => unknown)[];
}
