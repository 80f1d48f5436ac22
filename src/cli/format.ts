/** The format Node gives a file, for the commands that read files without running them. */
import { ModuleSource } from '../api/module-source.js';
import { detectFormatOfText } from '../hosts/node/detect-format.js';

/**
 * An ambiguous file's format (a `.js` file without package "type"): CommonJS unless its syntax
 * says ES module, as Node decides (its text parses as a module and not as CommonJS).
 */
export function formatBySyntax(text: string, path: string, url: string): 'module' | 'commonjs' {
  return detectFormatOfText(text, path, () => {
    try {
      new ModuleSource(text, { url });
      return true;
    } catch {
      return false;
    }
  });
}
