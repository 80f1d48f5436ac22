/**
 * Runs a program from disk in an Endo Compartment (ses + @endo/module-source): the peer of
 * `modhost run` in the cold-load workload. Resolution is Node's own (import.meta.resolve with a
 * parent, which Node 20 gives behind --experimental-import-meta-resolve), so only module loading
 * differs. ES modules only: CommonJS files fail, and the table says so.
 *
 * Usage: node --experimental-import-meta-resolve dist/bench/children/endo-run.js <entry>
 */
import 'ses';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Compartment {
  globalThis: Record<string, unknown>;
  import(specifier: string): Promise<{ namespace: Record<string, unknown> }>;
}
type CompartmentConstructor = new (options: Record<string, unknown>) => Compartment;

type ModuleSourceConstructor = new (text: string, url: string) => object;
// Through a variable: the package's types point at its TypeScript sources, which do not
// type-check under this project's settings (missing Babel typings).
const moduleSourcePackage: string = '@endo/module-source';
const { ModuleSource } = (await import(moduleSourcePackage)) as { ModuleSource: ModuleSourceConstructor };

const entry = process.argv[2];
if (entry === undefined) {
  process.stderr.write('usage: endo-run <entry>\n');
  process.exit(2);
}
const Compartment = (globalThis as unknown as { Compartment: CompartmentConstructor }).Compartment;
const compartment = new Compartment({
  __options__: true,
  name: 'endo-run',
  // A compartment's global has only the language's intrinsics; libraries may touch these at load.
  globals: {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    URL,
    TextEncoder,
    TextDecoder,
  },
  resolveHook: (specifier: string, referrer: string) => import.meta.resolve(specifier, referrer),
  importHook: async (url: string) => {
    if (!url.startsWith('file:')) throw new Error(`endo-run loads files only: ${url}`);
    const text = readFileSync(fileURLToPath(url), 'utf8');
    return { source: new ModuleSource(text, url) };
  },
});
// Libraries find the global object through `global` / `self` (lodash's _root.js does).
compartment.globalThis.global = compartment.globalThis;
compartment.globalThis.self = compartment.globalThis;
await compartment.import(pathToFileURL(resolve(entry)).href);
