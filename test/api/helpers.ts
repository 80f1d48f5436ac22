/** In-memory module graphs for API tests: specifier → text, one Module per specifier. */
import assert from 'node:assert/strict';
import { Module, ModuleSource } from '../../src/index.js';

export interface Graph {
  modules: Map<string, Module>;
  get(name: string): Module;
  hookCalls: string[];
}

/**
 * Every module's importHook resolves the specifier by name in `texts` (bare names, no paths), so
 * a graph is shared the way a host shares one instance per URL.
 */
export function graph(
  texts: Record<string, string>,
  options: { async?: boolean; hook?: (specifier: string, get: (name: string) => Module) => unknown } = {},
): Graph {
  const modules = new Map<string, Module>();
  const hookCalls: string[] = [];
  const handlerFor = (referrer: string) => ({
    importHook(specifier: string) {
      hookCalls.push(`${referrer}->${specifier}`);
      // `hook` replaces the default answer (the module of that name) for tests that script it.
      const found = options.hook ? options.hook(specifier, get) : get(specifier);
      return (options.async ? Promise.resolve(found) : found) as Module | Promise<Module>;
    },
  });
  function get(name: string): Module {
    let module = modules.get(name);
    if (module === undefined) {
      const text = texts[name];
      if (text === undefined) throw new Error(`no module named ${name}`);
      module = new Module(new ModuleSource(text, { url: `memory:/${name}` }), handlerFor(name));
      modules.set(name, module);
    }
    return module;
  }
  return { modules, get, hookCalls };
}

/** A log that module code can reach as globalThis.__log during a test. */
export function withLog(): { log: unknown[]; restore(): void } {
  const log: unknown[] = [];
  (globalThis as Record<string, unknown>).__log = log;
  return { log, restore: () => delete (globalThis as Record<string, unknown>).__log };
}

/**
 * Asserts that `reason` is the error an import gets when an importHook throws or rejects
 * (ERR_MODHOST_IMPORT_HOOK_FAILED, naming the specifier and the referrer) and returns the hook's
 * own error, its `cause`.
 */
export function hookFailureCause(reason: unknown, specifier?: string, referrer?: string): unknown {
  const error = reason as Error & { code?: unknown; specifier?: unknown; referrer?: unknown; cause?: unknown };
  assert.ok(error instanceof Error, `expected an Error, got ${String(reason)}`);
  assert.equal(error.code, 'ERR_MODHOST_IMPORT_HOOK_FAILED', error.message);
  if (specifier !== undefined) assert.equal(error.specifier, specifier);
  if (referrer !== undefined) assert.equal(error.referrer, referrer);
  assert.ok(Object.hasOwn(error, 'cause'), 'the hook error is kept as `cause`');
  return error.cause;
}
