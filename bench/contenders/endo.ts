/**
 * Endo as the peer: `ses`'s Compartment with `@endo/module-source`'s ModuleSource (a Babel-based
 * transform to a program that the Compartment links and runs). Loaded lazily: importing `ses`
 * installs globals (Compartment, harden, a tamed Function.prototype.toString) and we only want
 * that in processes that measure Endo. `lockdown()` is never called, so intrinsics stay unfrozen
 * and the other contenders in the same process run on an ordinary realm.
 *
 * Known limit, shown in the table: the Compartment cannot evaluate modules that use top-level
 * await.
 */
import type { Files, GraphNamespace } from './graph.js';

/** The part of @endo/module-source's ModuleSource that we use. */
export type EndoModuleSourceConstructor = new (text: string, options?: string | { sourceUrl?: string }) => object;

interface CompartmentInstance {
  import(specifier: string): Promise<{ namespace: GraphNamespace }>;
}
type CompartmentConstructor = new (options: {
  __options__: true;
  name?: string;
  resolveHook(specifier: string, referrer: string): string;
  importHook(
    specifier: string,
  ): Promise<{ source: object; specifier?: string }> | { source: object; specifier?: string };
}) => CompartmentInstance;

export interface EndoApi {
  ModuleSource: EndoModuleSourceConstructor;
  Compartment: CompartmentConstructor;
}

let api: Promise<EndoApi> | undefined;

/** Imports ses (for Compartment) and @endo/module-source. */
export function loadEndo(): Promise<EndoApi> {
  api ??= (async () => {
    await import('ses');
    // Through a variable: the package's types point at its TypeScript sources, which do not
    // type-check under this project's settings (missing Babel typings).
    const moduleSourcePackage: string = '@endo/module-source';
    const { ModuleSource } = (await import(moduleSourcePackage)) as { ModuleSource: EndoModuleSourceConstructor };
    const Compartment = (globalThis as unknown as { Compartment: CompartmentConstructor }).Compartment;
    return { ModuleSource, Compartment };
  })();
  return api;
}

/** Loads an in-memory graph in a fresh Compartment; specifiers are flat and resolve to themselves. */
export async function loadGraphWithEndo(files: Files, entry: string): Promise<GraphNamespace> {
  const { ModuleSource, Compartment } = await loadEndo();
  const compartment = new Compartment({
    __options__: true,
    name: 'bench',
    resolveHook: (specifier) => specifier,
    importHook(specifier) {
      const text = files.get(specifier);
      if (text === undefined) throw new Error(`no module ${specifier}`);
      return { source: new ModuleSource(text, `memory:/${specifier}`) };
    },
  });
  const { namespace } = await compartment.import(entry);
  return namespace;
}
