/**
 * The `node:test` that test files see under `modhost test`: Node's own module, with three things
 * added so that many files can share one process as if each had its own:
 *
 * 1. **Where tests were declared.** `test()`, `describe()`, … are called through a trampoline at
 *    the caller's original position (./call-sites.ts), so reporters show the locations
 *    `node --test` shows.
 * 2. **When a file is done.** The promises `test()` / `describe()` return (settled when the test
 *    or suite has finished) are collected per file; the runner waits for them before it disposes
 *    the file's host and starts the next file.
 * 3. **File-level hooks.** `before`, `after`, `beforeEach`, `afterEach` called at a file's top
 *    level belong to that file only (in `node --test` each file's root is its own process; Node's
 *    `--test-isolation=none` lets them leak into every later file). `beforeEach` / `afterEach` /
 *    `before` run from one root hook pair the runner installs, for the tests of the current
 *    file; `after` runs when the file's tests have finished. Inside a suite or a test they are
 *    Node's, unchanged.
 *
 * Everything else (`mock`, `run`, `snapshot`, `assert`, …) is Node's own value. The real module
 * is the one Node gives the runner; `modhost test` mocks `node:test` in each file's host with
 * the facade's exports.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isThenable } from '../hosts/hooks/chain.js';
import { callerOf, callFrom } from './call-sites.js';

/** A hook function as node:test takes it: `(context)` or `(context, done)`. */
export type HookFunction = (this: unknown, context: unknown, done?: (error?: unknown) => void) => unknown;

/** The facade's per-file state (the runner creates one per test file). */
export interface FacadeFile {
  /** Promises of the tests and suites the file declared (settled, never rejected). */
  readonly pending: Promise<unknown>[];
  /** File-level hooks. */
  readonly before: HookFunction[];
  readonly after: HookFunction[];
  readonly beforeEach: HookFunction[];
  readonly afterEach: HookFunction[];
  /** The file-level `before` hooks' run, once started (every test of the file awaits it). */
  beforeRun: Promise<void> | undefined;
  /** Called when the file is done: drop what node:test would keep of the file's code. */
  readonly release: (() => void)[];
}

/** Creates the per-file state. */
export function createFacadeFile(): FacadeFile {
  return { pending: [], before: [], after: [], beforeEach: [], afterEach: [], beforeRun: undefined, release: [] };
}

/** The facade and what the runner does with it. */
export interface NodeTestFacade {
  /** The module's exports (named and `default`), for the mock of `node:test`. */
  readonly exports: Record<string, unknown>;
  /**
   * Installs, once, the root `beforeEach` / `afterEach` that run the current file's file-level
   * hooks (before any test runs).
   */
  installRootHooks(): void;
  /** Runs hooks as node:test would run them with `context` (callback-style ones included). */
  runHooks(hooks: readonly HookFunction[], context: unknown): Promise<void>;
}

/** Names of node:test exports (and of their properties) that declare tests or suites. */
const DECLARES = new Set(['test', 'it', 'describe', 'suite', 'only', 'skip', 'todo', 'expectFailure']);
const HOOKS = new Set(['before', 'after', 'beforeEach', 'afterEach']);

function noop(): void {}

/** `wrapper` with `original`'s name and length (node:test reads both: test names, `done` callbacks). */
function likeFunction<F extends Function>(wrapper: F, original: Function): F {
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  return wrapper;
}

/** Calls a hook that may take a `done` callback; resolves when it has finished. */
function callHook(hook: HookFunction, context: unknown): Promise<void> {
  if (hook.length >= 2) {
    return new Promise<void>((resolve, reject) => {
      try {
        hook.call(context, context, (error?: unknown) => (error ? reject(error) : resolve()));
      } catch (error) {
        reject(error);
      }
    });
  }
  try {
    return Promise.resolve(hook.call(context, context)).then(noop);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Builds the facade over Node's `node:test` (`real`: its CommonJS exports, the `test` function
 * with its properties). `current()` is the file being run (undefined between files).
 */
export function createNodeTestFacade(
  real: Record<string, unknown>,
  current: () => FacadeFile | undefined,
): NodeTestFacade {
  /** Set while a test or suite function declared through the facade runs (in its async context too). */
  const inside = new AsyncLocalStorage<true>();
  const facades = new Map<unknown, unknown>();

  /** A test or suite function that marks its run as "inside", keeping name and arity. */
  function insideFunction(fn: Function, file: FacadeFile | undefined): Function {
    // node:test keeps every test (and its function) until the report ends; the file's functions
    // are let go when the file is done, so its host's instances can be collected.
    const held: { fn: Function | undefined } = { fn };
    file?.release.push(() => {
      held.fn = undefined;
    });
    return likeFunction(function (this: unknown, ...args: unknown[]) {
      const target = held.fn;
      if (target === undefined) return undefined;
      return inside.run(true, () => Reflect.apply(target, this, args));
    }, fn);
  }

  function declarer(realFn: Function): Function {
    const facade = likeFunction((...args: unknown[]) => {
      const site = callerOf(facade);
      const file = current();
      const last = args.length - 1;
      const fn = args[last];
      if (typeof fn === 'function') args[last] = insideFunction(fn, file);
      const result = callFrom(site, realFn, args);
      if (file !== undefined && isThenable(result)) file.pending.push(Promise.resolve(result).then(noop, noop));
      return result;
    }, realFn);
    return facade;
  }

  function hook(name: string, realFn: Function): Function {
    const facade = likeFunction((fn: unknown, ...rest: unknown[]) => {
      const file = current();
      if (file !== undefined && inside.getStore() !== true && typeof fn === 'function') {
        // A file-level hook: this file's, run by the runner's root hooks (or after the file).
        file[name as 'before' | 'after' | 'beforeEach' | 'afterEach'].push(fn as HookFunction);
        return undefined;
      }
      return callFrom(callerOf(facade), realFn, [fn, ...rest]);
    }, realFn);
    return facade;
  }

  /** The facade of one value of node:test (memoised: `test.test === test` stays true). */
  function facadeOf(name: string, value: unknown): unknown {
    if (typeof value !== 'function') return value;
    if (!DECLARES.has(name) && !HOOKS.has(name) && name !== 'default') return value;
    const known = facades.get(value);
    if (known !== undefined) return known;
    const made = HOOKS.has(name) ? hook(name, value) : declarer(value);
    facades.set(value, made);
    // `test.skip`, `describe.only`, `test.describe`, `test.beforeEach`, … are facades too.
    for (const key of Object.getOwnPropertyNames(value)) {
      if (key === 'length' || key === 'name' || key === 'prototype') continue;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) continue;
      Object.defineProperty(made, key, { ...descriptor, value: facadeOf(key, descriptor.value) });
    }
    return made;
  }

  const exports: Record<string, unknown> = {};
  for (const key of Object.keys(real)) exports[key] = facadeOf(key, real[key]);
  exports.default = facadeOf('default', real);
  // `require('node:test')` gives the test function itself, as in Node; not enumerable, so it is
  // not an export name of `import * as t from 'node:test'` (a built-in's namespace has none).
  Object.defineProperty(exports, 'module.exports', { value: exports.default, enumerable: false });

  async function runHooks(hooks: readonly HookFunction[], context: unknown): Promise<void> {
    for (const h of hooks) await callHook(h, context);
  }

  let installed = false;
  return {
    exports,
    runHooks,
    installRootHooks() {
      if (installed) return;
      installed = true;
      const beforeEach = real.beforeEach as (fn: HookFunction) => void;
      const afterEach = real.afterEach as (fn: HookFunction) => void;
      beforeEach(async (context) => {
        const file = current();
        if (file === undefined) return;
        if (file.before.length > 0) {
          file.beforeRun ??= runHooks(file.before.slice(), context);
          await file.beforeRun;
        }
        if (file.beforeEach.length > 0) await runHooks(file.beforeEach.slice(), context);
      });
      afterEach(async (context) => {
        const file = current();
        if (file !== undefined && file.afterEach.length > 0) await runHooks(file.afterEach.slice(), context);
      });
    },
  };
}
