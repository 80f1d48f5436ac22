/**
 * `import.meta` of the Node host's ES modules, as the Node that runs modhost sets it
 * (lib/internal/modules/esm/initialize_import_meta.js), in its order: for file: URLs `dirname`
 * and `filename`; `main` (Node 22.18+ / 24.2+: whether the module is the program's entry); `resolve`,
 * which resolves as an `import` of the module would; `url`.
 *
 * A host's modules get it from the realm's HostFinalizeImportMeta (no handler, hence no hook
 * closure, per module); a hot host's modules from a handler of their own, whose importMetaHook
 * adds `import.meta.hot` (the hot side keys each instance's context by that handler).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleHandler } from '../../api/module.js';
import { type NodeBehaviour, RUNNING_NODE } from './node-release.js';

/** Fills `meta`, the `import.meta` of the module at `url` (see the file comment). */
export function fillImportMeta(
  meta: Record<string, unknown>,
  url: string,
  resolve: (specifier: string, parentURL: string) => string,
  isMain: (url: string) => boolean,
  node: NodeBehaviour = RUNNING_NODE,
): void {
  if (url.startsWith('file:')) {
    const filename = fileURLToPath(url);
    meta.dirname = dirname(filename);
    meta.filename = filename;
  }
  if (node.importMetaMain) meta.main = isMain(url);
  meta.resolve = (specifier: unknown) => resolve(`${specifier as string}`, url);
  meta.url = url;
}

/**
 * The handler of the module at `url` in a hot host; `resolve(specifier, parentURL)` gives a
 * resolved URL, `isMain(url)` tells whether the module is the program's entry point and `hot`
 * makes `import.meta.hot` (Vite's HMR API) for the handler.
 */
export function importMetaHandler(
  url: string,
  resolve: (specifier: string, parentURL: string) => string,
  isMain: (url: string) => boolean,
  hot: (handler: object, url: string) => object,
  node: NodeBehaviour = RUNNING_NODE,
): ModuleHandler {
  return {
    importMetaHook(this: object, meta) {
      fillImportMeta(meta as Record<string, unknown>, url, resolve, isMain, node);
      // Absent from other hosts' modules, so that `if (import.meta.hot)` guards work as in Vite.
      meta.hot = hot(this, url);
    },
  };
}
