/**
 * `import.meta` of the Node host's ES modules, as Node sets it (lib/internal/modules/esm/
 * initialize_import_meta.js): `url`, and for file: URLs `filename` and `dirname`; `resolve`
 * resolves as an `import` of the module would.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleHandler } from '../../api/module.js';

/** The handler of the module at `url`; `resolve(specifier, parentURL)` gives a resolved URL. */
export function importMetaHandler(
  url: string,
  resolve: (specifier: string, parentURL: string) => string,
): ModuleHandler {
  return {
    importMetaHook(meta) {
      const m = meta as Record<string, unknown>;
      m.url = url;
      if (url.startsWith('file:')) {
        const filename = fileURLToPath(url);
        m.filename = filename;
        m.dirname = dirname(filename);
      }
      m.resolve = (specifier: unknown) => resolve(`${specifier as string}`, url);
    },
  };
}
