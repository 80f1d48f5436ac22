/**
 * A minimal hot host over in-memory files, for testing the controller on its own: one Module per
 * name, importHooks that answer with the current instance, `import.meta.hot` from the controller.
 * Edit `files` and call `update(names)`.
 */
import { importModule, type ModuleNamespace } from '../../src/api/import-module.js';
import { createModuleInRealm, type Module, moduleRecordOf } from '../../src/api/module.js';
import { ModuleSource } from '../../src/api/module-source.js';
import { createRealm } from '../../src/api/realm.js';
import { createHotController, type HotController, type HotUpdateReport, handlerKeyOf } from '../../src/hot/index.js';
import type { ModuleRecord } from '../../src/records/index.js';

export interface MemoryHotHost {
  files: Record<string, string>;
  controller: HotController;
  import(name: string): Promise<ModuleNamespace>;
  update(...names: string[]): Promise<HotUpdateReport>;
  current(name: string): Module | undefined;
}

export function memoryHotHost(files: Record<string, string>): MemoryHotHost {
  const realm = createRealm({ trackImporters: true });
  const modules = new Map<string, Module>();
  const texts = new Map<string, string>();
  const sources = new Map<string, ModuleSource>();
  const ids = new WeakMap<ModuleRecord, string>();
  const moduleOf = new WeakMap<ModuleRecord, Module>();
  const roots: string[] = [];

  function make(id: string, source: ModuleSource): Module {
    const module = createModuleInRealm(
      source,
      {
        importHook(specifier: string) {
          return moduleFor(specifier);
        },
        importMetaHook(this: object, meta: Record<string, unknown>) {
          meta.url = `memory:/${id}`;
          meta.hot = controller.contextFor(this, id);
        },
      },
      realm,
    );
    const record = moduleRecordOf(module) as ModuleRecord;
    ids.set(record, id);
    moduleOf.set(record, module);
    return module;
  }

  function moduleFor(id: string): Module {
    let module = modules.get(id);
    if (module === undefined) {
      const text = files[id];
      if (text === undefined) throw new Error(`no module named ${id}`);
      const source = new ModuleSource(text, { url: `memory:/${id}` });
      texts.set(id, text);
      sources.set(id, source);
      module = make(id, source);
      modules.set(id, module);
    }
    return module;
  }

  const controller = createHotController({
    idsOf: (url) => (modules.has(url) ? [url] : []),
    recordOf: (id) => {
      const module = modules.get(id);
      return module === undefined ? undefined : moduleRecordOf(module);
    },
    idOf: (record) => ids.get(record),
    reread(id) {
      const text = files[id];
      if (text === undefined || text === texts.get(id)) return undefined;
      const source = new ModuleSource(text, { url: `memory:/${id}` });
      texts.set(id, text);
      sources.set(id, source);
      return moduleRecordOf(make(id, source)) as ModuleRecord;
    },
    reinstantiate(id) {
      return moduleRecordOf(make(id, sources.get(id) as ModuleSource)) as ModuleRecord;
    },
    setRecord(id, record) {
      if (record === undefined) modules.delete(id);
      else modules.set(id, moduleOf.get(record) as Module);
    },
    roots: () => roots,
    resolve: (specifier) => specifier,
    contextKeyOf: handlerKeyOf,
  });

  return {
    files,
    controller,
    import(name) {
      if (!roots.includes(name)) roots.push(name);
      return importModule(moduleFor(name));
    },
    update: (...names) => controller.update(names),
    current: (name) => modules.get(name),
  };
}
