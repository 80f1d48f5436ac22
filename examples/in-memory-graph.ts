/**
 * An in-memory module graph: module texts live in a Map, importHook resolves specifiers against
 * it and hands out one Module per name (so the graph is shared, cycles included).
 */
import { importModule, Module, ModuleSource } from '../src/index.js';

export async function inMemoryGraph(): Promise<string[]> {
  const files = new Map<string, string>([
    [
      'main.js',
      `import { greet } from './greeter.js'; import { even } from './parity.js'; export const lines = ` +
        `[greet('modhost'), 'even(10) = ' + even(10)];`,
    ],
    ['greeter.js', `export function greet(name) { return 'Hello, ' + name + '!'; }`],
    // A cycle: even and odd call each other across two modules.
    ['parity.js', `import { odd } from './odd.js'; export function even(n) { return n === 0 ? true : odd(n - 1); }`],
    ['odd.js', `import { even } from './parity.js'; export function odd(n) { return n === 0 ? false : even(n - 1); }`],
  ]);
  const instances = new Map<string, Module>();
  const load = (name: string): Module => {
    let module = instances.get(name);
    if (module === undefined) {
      const text = files.get(name);
      if (text === undefined) throw new Error(`No module named ${name}`);
      module = new Module(new ModuleSource(text, { url: `memory:/${name}` }), {
        importHook: (specifier) => load(specifier.replace(/^\.\//, '')),
      });
      instances.set(name, module);
    }
    return module;
  };
  const ns = await importModule(load('main.js'));
  return ns.lines as string[];
}
