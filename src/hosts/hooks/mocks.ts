/**
 * A host's module mocks (`host.mock(specifier, factory, { parentURL })`), for the Node and browser
 * hosts. Engine-neutral: no `node:*` imports.
 *
 * A mock is keyed by the URL its specifier resolves to. While it is registered, every later load
 * of that URL in the host gets the mock instead of the module, whoever imports it and however
 * (static `import`, `import()`, `require`, at any depth of the graph): the host consults the
 * registry after resolution and before its module map, so no importer needs to know.
 *
 * - ES importers get a Synthetic Module Record (ECMA-262 16.2.1.8) whose export names are the own
 *   enumerable string keys of the factory's object and whose values are read from it when the mock
 *   module evaluates (as Node reads a CommonJS module's named exports). An importer asking for a
 *   name the mock lacks fails at link time with the same SyntaxError as with a real module.
 * - `require()` gets the object's `'module.exports'` value if it has that own key (Node's name for a
 *   CommonJS module's whole exports), else the object itself. Defined as non-enumerable, that key
 *   gives `require()` its value without being an ES export name.
 * - The factory runs once, on first use, and gets `importOriginal()`, which loads a separate
 *   instance of the real module (never returned by resolution) and resolves to its namespace.
 *   A factory may return a promise (an async factory) for ES importers; `require()` of such a
 *   mock throws ERR_MODHOST_ASYNC_IN_REQUIRE. A factory that throws or rejects fails that import
 *   with ERR_MODHOST_MOCK_FAILED (not remembered: the next import calls it again).
 * - `restore()` removes the mock: later loads get the module again. Importers already linked to
 *   the mock keep it (their bindings were resolved then). Mocking a URL twice stacks: restoring
 *   the newer mock brings the older one back.
 */
import { type Module, moduleFromRecord } from '../../api/module.js';
import { createError } from '../../errors/codes.js';
import {
  createSyntheticModuleRecord,
  type ModuleRecord,
  type Realm,
  SetSyntheticModuleExport,
} from '../../records/index.js';
import { isThenable } from './chain.js';

/** What `importOriginal()` resolves to: the real module's namespace. */
export type ModuleNamespaceObject = Record<string, unknown>;

/**
 * Makes a mock's exports: an object (or a promise of one) whose own enumerable keys are the
 * export names. `importOriginal()` loads a separate instance of the real module.
 */
export type MockFactory = (importOriginal: () => Promise<ModuleNamespaceObject>) => object | Promise<object>;

/** Options of `host.mock()`. */
export interface MockOptions {
  /** The URL `specifier` resolves from (default: the working directory, or the page's base URL). */
  parentURL?: string | undefined;
}

/** What `host.mock()` returns. */
export interface MockHandle {
  /** The URL the mock replaces. */
  readonly url: string;
  /** Removes the mock (idempotent): later imports and requires get the real module again. */
  restore(): void;
}

/** One registered mock. */
interface MockEntry {
  readonly url: string;
  readonly factory: MockFactory;
  /** The factory's object once it has settled. */
  exports: object | undefined;
  /** The factory's pending promise (an async factory), shared by concurrent importers. */
  pending: Promise<object> | undefined;
  /** The module ES importers get (made on first ES import). */
  module: Module | undefined;
}

/** What the registry needs from its host. */
export interface MockParts {
  readonly realm: Realm;
  /** Loads a separate instance of the real module at `url` and resolves to its namespace. */
  importOriginal(url: string): Promise<ModuleNamespaceObject>;
}

/** A host's mocks (see the file comment). */
export interface MockRegistry {
  /** Number of URLs mocked now (hosts test this first: zero costs nothing). */
  readonly size: number;
  /** Registers a mock for the resolved `url`. */
  add(url: string, factory: MockFactory): MockHandle;
  /** True when `url` is mocked now. */
  has(url: string): boolean;
  /**
   * The Module ES importers of `url` get (a Synthetic Module Record's), or a promise of it (an
   * async factory); `undefined` when `url` is not mocked.
   *
   * @throws ERR_MODHOST_MOCK_FAILED, ERR_MODHOST_INVALID_MOCK
   */
  moduleFor(url: string): Module | Promise<Module> | undefined;
  /**
   * What `require()` of `url` returns, or `NOT_MOCKED`.
   *
   * @throws ERR_MODHOST_ASYNC_IN_REQUIRE for an async factory, ERR_MODHOST_MOCK_FAILED, ERR_MODHOST_INVALID_MOCK
   */
  requireValue(url: string, requirer: string | null): unknown;
  /** True for the record of a mock this registry made (restored or not). */
  isMockModuleRecord(record: ModuleRecord): boolean;
  /** Every URL mocked now. */
  urls(): string[];
  /** Removes every mock. */
  clear(): void;
}

/** {@link MockRegistry.requireValue}'s answer for a URL that is not mocked. */
export const NOT_MOCKED: unique symbol = Symbol('modhost.notMocked');

const ObjectKeys = Object.keys;
const ObjectHasOwn = Object.hasOwn;

/**
 * Checks `factory` for `host.mock()`.
 *
 * @throws TypeError ERR_MODHOST_INVALID_ARGUMENT
 */
export function checkMockArguments(specifier: unknown, factory: unknown, options: unknown): void {
  if (typeof specifier !== 'string' || specifier === '') {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'host.mock(specifier, factory): specifier must be a non-empty string',
    );
  }
  if (typeof factory !== 'function') {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `host.mock(${JSON.stringify(specifier)}, factory): factory must be a function returning the mock's exports ` +
        `object`,
      { specifier },
    );
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'host.mock(specifier, factory, options): options must be an object',
      {
        specifier,
      },
    );
  }
  const parentURL = (options as MockOptions | undefined)?.parentURL;
  if (parentURL !== undefined && typeof parentURL !== 'string') {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'host.mock(): options.parentURL must be a URL string', {
      specifier,
    });
  }
}

/** Creates a host's mock registry. */
export function createMockRegistry(parts: MockParts): MockRegistry {
  /** URL → its mocks, the newest last (the active one). */
  const mocks = new Map<string, MockEntry[]>();
  /** The records of every mock module made (forks must not share what reaches them). */
  const mockRecords = new WeakSet<ModuleRecord>();

  function active(url: string): MockEntry | undefined {
    const list = mocks.get(url);
    return list === undefined ? undefined : list[list.length - 1];
  }

  function failed(entry: MockEntry, cause: unknown): Error {
    const message =
      typeof cause === 'object' && cause !== null && typeof (cause as { message?: unknown }).message === 'string'
        ? (cause as { message: string }).message
        : String(cause);
    return createError('ERR_MODHOST_MOCK_FAILED', `The mock factory for ${entry.url} failed: ${message}`, {
      url: entry.url,
      cause,
    });
  }

  function checkExports(entry: MockEntry, value: unknown): object {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
      throw createError(
        'ERR_MODHOST_INVALID_MOCK',
        `The mock factory for ${entry.url} must return the mock's exports object (or a promise of one), got ` +
          `${value === null ? 'null' : typeof value}`,
        { url: entry.url },
      );
    }
    return value;
  }

  /** The factory's object, or a promise of it. */
  function exportsOf(entry: MockEntry): object | Promise<object> {
    if (entry.exports !== undefined) return entry.exports;
    if (entry.pending !== undefined) return entry.pending;
    let result: unknown;
    try {
      result = entry.factory(() => parts.importOriginal(entry.url));
    } catch (cause) {
      throw failed(entry, cause);
    }
    if (isThenable(result)) {
      const pending = Promise.resolve(result).then(
        (value) => {
          if (entry.pending === pending) entry.pending = undefined;
          entry.exports = checkExports(entry, value);
          return entry.exports;
        },
        (cause: unknown) => {
          if (entry.pending === pending) entry.pending = undefined;
          throw failed(entry, cause);
        },
      );
      entry.pending = pending;
      return pending;
    }
    entry.exports = checkExports(entry, result);
    return entry.exports;
  }

  function moduleOf(entry: MockEntry, exports: object): Module {
    if (entry.module !== undefined) return entry.module;
    const names = ObjectKeys(exports);
    const record = createSyntheticModuleRecord(
      names,
      (module) => {
        // Read once, when the mock module evaluates (a snapshot, as for a CommonJS module's names).
        for (const name of names) SetSyntheticModuleExport(module, name, (exports as Record<string, unknown>)[name]);
      },
      parts.realm,
      { url: entry.url },
    );
    mockRecords.add(record);
    entry.module = moduleFromRecord(record);
    return entry.module;
  }

  return {
    get size() {
      return mocks.size;
    },
    add(url, factory) {
      const entry: MockEntry = { url, factory, exports: undefined, pending: undefined, module: undefined };
      let list = mocks.get(url);
      if (list === undefined) {
        list = [];
        mocks.set(url, list);
      }
      list.push(entry);
      let restored = false;
      return Object.freeze({
        url,
        restore() {
          if (restored) return;
          restored = true;
          const current = mocks.get(url);
          if (current === undefined) return;
          const at = current.lastIndexOf(entry);
          if (at !== -1) current.splice(at, 1);
          if (current.length === 0) mocks.delete(url);
        },
      });
    },
    has: (url) => mocks.has(url),
    moduleFor(url) {
      const entry = active(url);
      if (entry === undefined) return undefined;
      const exports = exportsOf(entry);
      if (isThenable(exports)) return (exports as Promise<object>).then((value) => moduleOf(entry, value));
      return moduleOf(entry, exports as object);
    },
    requireValue(url, requirer) {
      const entry = active(url);
      if (entry === undefined) return NOT_MOCKED;
      const exports = exportsOf(entry);
      if (isThenable(exports)) {
        // (an ES importer may still use it; nothing here waits for it)
        (exports as Promise<object>).then(undefined, () => {});
        throw createError(
          'ERR_MODHOST_ASYNC_IN_REQUIRE',
          `require() of ${url}${requirer === null ? '' : ` from ${requirer}`} needs a synchronous answer, but its ` +
            `mock factory returned a promise; ` +
            'return the exports object itself from the factory, or import() the module',
          { url, referrer: requirer ?? undefined },
        );
      }
      const object = exports as Record<string, unknown>;
      return ObjectHasOwn(object, 'module.exports') ? object['module.exports'] : object;
    },
    isMockModuleRecord: (record) => mockRecords.has(record),
    urls: () => [...mocks.keys()],
    clear() {
      mocks.clear();
    },
  };
}
