/**
 * Early errors of ECMA-262 16.2.1.1, 16.2.2.1 and 16.2.3.1 that are about the module's import
 * and export declarations. meriyah (with `lexical: true`) reports them too; modhost checks them
 * itself as well because its compiler relies on them (an import binding that is also declared
 * would be compiled wrongly), so a parser change cannot silently let one through. The remaining
 * 16.2.1.1 rules (super, new.target, labels, private names, duplicate lexical names) and
 * 13.3.1.1 are left to the parser.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */

import { STRICT_RESERVED_WORDS } from '../lexical/reserved-words.js';
import type { ExportEntryRecord } from './export-entries.js';
import { isStringWellFormedUnicode, nameValue } from './names.js';
import type { ESTree } from './parse.js';
import { sourceSyntaxError } from './source-errors.js';

/** Where errors are reported. */
export interface ErrorSite {
  readonly text: string;
  readonly url: string;
}

function fail(site: ErrorSite, offset: number, message: string): never {
  throw sourceSyntaxError(site.text, site.url, offset, message);
}

/** 16.2.2.1: WithClauseToAttributes has no two entries with the same [[Key]]. */
export function checkWithClause(site: ErrorSite, attributes: readonly ESTree.ImportAttribute[]): void {
  if (attributes.length < 2) return;
  const seen = new Set<string>();
  for (const attribute of attributes) {
    const key = nameValue(attribute.key);
    if (seen.has(key)) fail(site, attribute.key.start!, `Import attribute has duplicate key '${key}'`);
    seen.add(key);
  }
}

/** 16.2.1.1 ModuleExportName : StringLiteral — IsStringWellFormedUnicode(SV) must be true. */
export function checkModuleExportName(site: ErrorSite, node: ESTree.Identifier | ESTree.Literal): void {
  if (node.type === 'Literal' && !isStringWellFormedUnicode(String(node.value))) {
    fail(site, node.start!, 'Invalid module export name: contains unpaired surrogate');
  }
}

/** Every ModuleExportName of an import or export declaration. */
export function checkModuleExportNames(site: ErrorSite, declaration: ESTree.Node): void {
  switch (declaration.type) {
    case 'ImportDeclaration':
      for (const specifier of declaration.specifiers) {
        if (specifier.type === 'ImportSpecifier')
          checkModuleExportName(site, specifier.imported as ESTree.Identifier | ESTree.Literal);
      }
      return;
    case 'ExportNamedDeclaration':
      for (const specifier of declaration.specifiers) {
        checkModuleExportName(site, specifier.local);
        checkModuleExportName(site, specifier.exported);
      }
      return;
    case 'ExportAllDeclaration':
      if (declaration.exported !== null) checkModuleExportName(site, declaration.exported);
      return;
    default:
      return;
  }
}

/** 16.2.3.1 `export` NamedExports `;` — ReferencedBindings are IdentifierReferences, not strings or reserved words. */
export function checkNamedExportsReferencedBindings(site: ErrorSite, declaration: ESTree.ExportNamedDeclaration): void {
  for (const specifier of declaration.specifiers) {
    const local = specifier.local;
    if (local.type === 'Literal') {
      fail(site, local.start!, "String literal module export names must be followed by a 'from' clause");
    }
    if (STRICT_RESERVED_WORDS.has(local.name)) fail(site, local.start!, `Unexpected reserved word '${local.name}'`);
  }
}

/** 16.2.1.1: ExportedNames has no duplicate entries. */
export function checkExportedNames(site: ErrorSite, entries: readonly ExportEntryRecord[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const name = entry.exportName;
    if (name === null) continue;
    if (seen.has(name)) fail(site, entry.at, `Duplicate export of '${name}'`);
    seen.add(name);
  }
}

/**
 * 16.2.1.1: every ExportedBindings element occurs in VarDeclaredNames or LexicallyDeclaredNames.
 * Only `export { … }` without `from` can break it (other forms export what they declare).
 */
export function checkExportedBindings(
  site: ErrorSite,
  references: readonly ESTree.Identifier[],
  isDeclared: (name: string) => boolean,
): void {
  for (const id of references) {
    if (!isDeclared(id.name)) fail(site, id.start!, `Export '${id.name}' is not defined in module`);
  }
}

/**
 * 16.2.2.1 (BoundNames of an ImportDeclaration have no duplicates) and 16.2.1.1
 * (LexicallyDeclaredNames have no duplicates and do not occur in VarDeclaredNames), restricted to
 * the import bindings.
 */
export function checkImportBindings(
  site: ErrorSite,
  importIds: readonly ESTree.Identifier[],
  topLexical: ReadonlyMap<string, number>,
  topVar: ReadonlyMap<string, number>,
): void {
  const seen = new Set<string>();
  for (const id of importIds) {
    if (seen.has(id.name)) fail(site, id.start!, `Identifier '${id.name}' has already been declared`);
    seen.add(id.name);
    const other = topLexical.get(id.name) ?? topVar.get(id.name);
    if (other !== undefined)
      fail(site, Math.max(other, id.start!), `Identifier '${id.name}' has already been declared`);
  }
}
