/**
 * modhost as a contender: loaded lazily (dynamic import) so that a broken or unfinished engine
 * turns into an error in its table cells instead of stopping the suite.
 */
import type * as Modhost from '../../src/index.js';
import type { Files, GraphNamespace } from './graph.js';

export type ModhostApi = typeof Modhost;

let api: Promise<ModhostApi> | undefined;

/** The public API (src/index.ts, compiled). */
export function loadModhost(): Promise<ModhostApi> {
  api ??= import('../../src/index.js');
  return api;
}

/**
 * Loads an in-memory graph through the public API: one ModuleSource and one Module per specifier
 * (specifiers are the keys of `files`, used as they are), with an importHook that hands out the
 * memoised Module, then importModule(entry).
 */
export async function loadGraphWithModhost(files: Files, entry: string): Promise<GraphNamespace> {
  const { ModuleSource, Module, importModule } = await loadModhost();
  const modules = new Map<string, Modhost.Module>();
  const handler: Modhost.ModuleHandler = {
    importHook(specifier: string) {
      return moduleFor(specifier);
    },
  };
  function moduleFor(specifier: string): Modhost.Module {
    let module = modules.get(specifier);
    if (module === undefined) {
      const text = files.get(specifier);
      if (text === undefined) throw new Error(`no module ${specifier}`);
      module = new Module(new ModuleSource(text, { url: `memory:/${specifier}` }), handler);
      modules.set(specifier, module);
    }
    return module;
  }
  return (await importModule(moduleFor(entry))) as GraphNamespace;
}
