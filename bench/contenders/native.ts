/**
 * Native V8 contenders: vm.SourceTextModule (needs --experimental-vm-modules) and Node's own ESM
 * loader (files written to a temporary directory and imported).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { Files, GraphNamespace } from './graph.js';

/** Throws a clear error when the process was started without --experimental-vm-modules. */
export function requireVmModules(): typeof vm.SourceTextModule {
  if (typeof vm.SourceTextModule !== 'function') throw new Error('vm.SourceTextModule needs --experimental-vm-modules');
  return vm.SourceTextModule;
}

/**
 * Loads an in-memory graph with vm.SourceTextModule: one module per specifier, a linker that hands
 * out the memoised module, then link() and evaluate().
 */
export async function loadGraphWithVm(files: Files, entry: string): Promise<GraphNamespace> {
  const SourceTextModule = requireVmModules();
  const modules = new Map<string, vm.SourceTextModule>();
  const moduleFor = (specifier: string): vm.SourceTextModule => {
    let module = modules.get(specifier);
    if (module === undefined) {
      const text = files.get(specifier);
      if (text === undefined) throw new Error(`no module ${specifier}`);
      module = new SourceTextModule(text, { identifier: `memory:/${specifier}` });
      modules.set(specifier, module);
    }
    return module;
  };
  const main = moduleFor(entry);
  await main.link((specifier) => moduleFor(specifier));
  await main.evaluate();
  return main.namespace as GraphNamespace;
}

/**
 * Writes the graph to a fresh temporary directory and imports the entry with Node's own loader.
 * Returns the namespace and a function that removes the directory (the loader keeps the modules).
 */
export async function loadGraphWithNodeLoader(
  files: Files,
  entry: string,
): Promise<{ namespace: GraphNamespace; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-bench-native-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  for (const [specifier, text] of files) writeFileSync(join(dir, specifier), text);
  const namespace = (await import(pathToFileURL(join(dir, entry)).href)) as GraphNamespace;
  return { namespace, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
