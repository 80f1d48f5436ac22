/**
 * V8's own modules (vm.SourceTextModule, under --experimental-vm-modules) as a test oracle: an
 * in-memory graph with one module per name, `import()` included.
 */
import vm from 'node:vm';

export type VmModule = {
  link(l: (s: string) => unknown): Promise<void>;
  evaluate(): Promise<void>;
  namespace: Record<string, unknown>;
  status: string;
};
type SourceTextModuleCtor = new (text: string, options: object) => VmModule;

/**
 * A getter for the graph's modules, made on first request: `nameOf` maps a specifier to a key of
 * `texts`, `identifierPrefix` names them in stack traces. Dynamic `import()` links and evaluates
 * its target the way a host does.
 */
export function nativeModules(
  texts: Record<string, string>,
  identifierPrefix: string,
  nameOf: (specifier: string) => string = (s) => s,
): (specifier: string) => VmModule {
  const SourceTextModule = (vm as unknown as { SourceTextModule?: SourceTextModuleCtor }).SourceTextModule;
  if (SourceTextModule === undefined) throw new Error('run with --experimental-vm-modules');
  const modules = new Map<string, VmModule>();
  const get = (specifier: string): VmModule => {
    const name = nameOf(specifier);
    let m = modules.get(name);
    if (!m) {
      const text = texts[name];
      if (text === undefined) throw new Error(`no module named ${name}`);
      m = new SourceTextModule(text, {
        identifier: `${identifierPrefix}${name}`,
        importModuleDynamically: async (target: string) => {
          const module = get(target);
          if (module.status === 'unlinked') await module.link(get);
          if (module.status === 'linked') await module.evaluate();
          return module;
        },
      });
      modules.set(name, m);
    }
    return m;
  };
  return get;
}
