/**
 * ImportEntries (ECMA-262 16.2.2.2) and ImportEntriesForModule (16.2.2.3).
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */

import { nameValue } from './names.js';
import type { ESTree } from './parse.js';
import type { ImportEntry, ModuleRequest } from './types.js';

/**
 * ImportEntriesForModule of the ImportClause of `declaration` with argument `module`
 * (16.2.2.3); empty for `import 'm'` (16.2.2.2, ImportDeclaration : `import` ModuleSpecifier).
 */
export function importEntriesOf(declaration: ESTree.ImportDeclaration, module: ModuleRequest): ImportEntry[] {
  const entries: ImportEntry[] = [];
  for (const specifier of declaration.specifiers) {
    const localName = specifier.local.name;
    let importName: string | null;
    if (module.phase === 'source') {
      // `import source x from 'm'`: [[ImportName]] ~source~ (null with a 'source' request; see ImportEntry).
      importName = null;
    } else if (specifier.type === 'ImportDefaultSpecifier') {
      // ImportedDefaultBinding: [[ImportName]] "default".
      importName = 'default';
    } else if (specifier.type === 'ImportNamespaceSpecifier') {
      // NameSpaceImport: [[ImportName]] ~namespace-object~ (null here).
      importName = null;
    } else {
      // ImportSpecifier : ImportedBinding | ModuleExportName `as` ImportedBinding.
      importName = nameValue(specifier.imported as ESTree.Identifier | ESTree.Literal);
    }
    entries.push(Object.freeze({ moduleRequest: module, importName, localName }));
  }
  return entries;
}
