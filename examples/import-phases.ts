/**
 * Import phases (source phase imports, import defer), a virtual module source and a JSON source:
 * the module proposals engines are still shipping, running on Node 20's V8 through modhost.
 */
import { importModule, JsonModuleSource, Module, ModuleSource } from '../src/index.js';

export async function importPhases(): Promise<string[]> {
  const lines: string[] = [];
  const say = (line: string): void => {
    lines.push(line);
  };
  (globalThis as { say?: (line: string) => void }).say = say;
  const modules: Record<string, Module> = {};
  const handler = {
    importHook(specifier: string): Module {
      const module = modules[specifier];
      if (module === undefined) throw new Error(`unknown module ${specifier}`);
      return module;
    },
  };
  modules['./heavy.js'] = new Module(
    new ModuleSource(`say('heavy.js evaluates now'); export const answer = 42;`, { url: 'memory:/heavy.js' }),
    handler,
  );
  modules['./worker.js'] = new Module(
    new ModuleSource(`import './never-loaded.js'; export default 'worker';`, { url: 'memory:/worker.js' }),
    handler,
  );
  // A virtual module source (layer 2): its bindings and an execute function.
  modules['./greeting.js'] = new Module(
    {
      bindings: [{ import: 'default', as: 'config', from: './config.json' }, { export: 'greeting' }],
      execute(env: Record<string, unknown>) {
        env.greeting = `hello, ${(env.config as { name: string }).name}`;
      },
    },
    handler,
  );
  modules['./config.json'] = new Module(new JsonModuleSource('{"name":"modhost"}'));
  const main = new Module(
    new ModuleSource(
      `
    import source worker from './worker.js';      // loads worker.js only (not its imports)
    import defer * as heavy from './heavy.js';     // loaded and linked, not evaluated
    import { greeting } from './greeting.js';
    say(greeting);
    say('worker source: ' + Object.prototype.toString.call(worker));
    say('deferred: ' + heavy[Symbol.toStringTag]);
    say('heavy.answer = ' + heavy.answer);         // evaluates heavy.js here
  `,
      { url: 'memory:/main.js' },
    ),
    handler,
  );
  await importModule(main);
  delete (globalThis as { say?: unknown }).say;
  return lines;
}
