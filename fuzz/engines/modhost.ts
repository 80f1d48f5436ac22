/**
 * modhost, driven only through its public API: one `Module` per specifier, whose importHook maps
 * a specifier to the graph's instance and whose importMetaHook fills `url`.
 */
import { importModule, Module, ModuleSource } from '../../src/index.js';
import type { Engine } from '../engine.js';
import { type GraphTexts, urlOf } from '../graph.js';
import { LoadError } from '../runtime.js';

/** modhost through Module / ModuleSource / importModule. */
export const modhostEngine: Engine = {
  name: 'modhost',
  importEntry(texts: GraphTexts, entry: string): Promise<unknown> {
    const modules = new Map<string, Module>();
    const get = (name: string): Module => {
      const existing = modules.get(name);
      if (existing !== undefined) return existing;
      const text = texts[name];
      if (text === undefined) throw new LoadError(name);
      const url = urlOf(name);
      const module = new Module(new ModuleSource(text, { url }), {
        importHook: (specifier: string) => get(specifier),
        importMetaHook(meta: object) {
          (meta as { url?: string }).url = url;
        },
      });
      modules.set(name, module);
      return module;
    };
    try {
      return importModule(get(entry));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};
