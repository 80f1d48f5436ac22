/**
 * The Import Hook proposal's shape: no Module, the handler goes to the ModuleSource, its
 * importHook answers with ModuleSources, and `importModule(source)` (`import(source)`) imports the
 * source's one instance. A Module of the seed's API can be served too, and a failing hook is
 * reported with the import that asked.
 */
import { importModule, Module, ModuleSource } from '../src/index.js';

export async function importHook(): Promise<string[]> {
  const fakeClock = new ModuleSource(`export function now() { return '2000-01-01T00:00:00Z'; }`);
  const format = new Module(new ModuleSource(`export const bracket = (s) => '[' + s + ']';`));
  const logger = new ModuleSource(
    `import { now } from './clock.js';
     import { bracket } from './format.js';
     export const where = import.meta.url;
     export function stamp(message) { return bracket(now()) + ' ' + message; }`,
    {
      url: 'memory:/logger.js',
      importHook(specifier) {
        if (specifier === './clock.js') return fakeClock; // a ModuleSource: its one instance here
        if (specifier === './format.js') return format; // a Module of the seed's API
        throw new Error(`unexpected import ${specifier}`);
      },
      importMetaHook(meta) {
        meta.url = this.url; // once, just before the body runs
      },
    },
  );
  const ns = await importModule(logger);
  const again = await importModule(logger);
  const failing = new ModuleSource(`import './missing.js';`, {
    url: 'memory:/app.js',
    importHook() {
      throw new Error('not in the bundle');
    },
  });
  const error = (await importModule(failing).catch((e: unknown) => e)) as Error & { code: string; cause: Error };
  return [
    `${(ns.stamp as (m: string) => string)('mocked')} (from ${String(ns.where)})`,
    `one instance per realm: ${ns === again}`,
    `${error.code}: ${error.message} (cause: ${error.cause.message})`,
  ];
}
