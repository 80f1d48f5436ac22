/**
 * `import.meta` of the Node host's ES modules, as the Node that runs modhost sets it
 * (lib/internal/modules/esm/initialize_import_meta.js), in its order: for file: URLs `dirname`
 * and `filename`; `main` (Node 22.18+ / 24.2+: whether the module is the program's entry); `resolve`,
 * which resolves as an `import` of the module would; `url`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleHandler } from '../../api/module.js';
import { type NodeBehaviour, RUNNING_NODE } from './node-release.js';

/**
 * The handler of the module at `url`; `resolve(specifier, parentURL)` gives a resolved URL and
 * `isMain(url)` tells whether the module is the program's entry point.
 */
export function importMetaHandler(
  url: string,
  resolve: (specifier: string, parentURL: string) => string,
  isMain: (url: string) => boolean = () => false,
  node: NodeBehaviour = RUNNING_NODE,
  hot?: (handler: object, url: string) => object,
): ModuleHandler {
  return {
    importMetaHook(this: object, meta) {
      const m = meta as Record<string, unknown>;
      if (url.startsWith('file:')) {
        const filename = fileURLToPath(url);
        m.dirname = dirname(filename);
        m.filename = filename;
      }
      if (node.importMetaMain) m.main = isMain(url);
      m.resolve = (specifier: unknown) => resolve(`${specifier as string}`, url);
      m.url = url;
      // A hot host's modules (`createNodeHost({ hot: true })`): Vite's HMR API. Absent otherwise,
      // so that `if (import.meta.hot)` guards work as in Vite.
      if (hot !== undefined) m.hot = hot(this, url);
    },
  };
}
