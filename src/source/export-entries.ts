/**
 * ExportEntries (ECMA-262 16.2.3.4), ExportEntriesForModule (16.2.3.5) and the classification of
 * export entries into [[LocalExportEntries]], [[IndirectExportEntries]] and [[StarExportEntries]]
 * done by ParseModule (16.2.1.7.1 step 10).
 */

import { declarationBoundIdentifiers } from './bound-names.js';
import { nameValue } from './names.js';
import type { ESTree } from './parse.js';
import type { ImportEntry, IndirectExportEntry, LocalExportEntry, ModuleRequest, StarExportEntry } from './types.js';

/** ~all~ (`export * as ns from 'm'`). */
export const ALL: unique symbol = Symbol('all');
/** ~all-but-default~ (`export * from 'm'`). */
export const ALL_BUT_DEFAULT: unique symbol = Symbol('all-but-default');

/** An ExportEntry Record as the spec has it, plus the offset of the node that names it. */
export interface ExportEntryRecord {
  readonly exportName: string | null;
  readonly moduleRequest: ModuleRequest | null;
  readonly importName: string | typeof ALL | typeof ALL_BUT_DEFAULT | null;
  readonly localName: string | null;
  /** Source offset of the ExportedName (or of the declaration), for early-error locations. */
  readonly at: number;
}

/** The synthetic local name of anonymous default exports (16.2.3.4 NOTE). */
export const DEFAULT_LOCAL_NAME = '*default*';

/**
 * ExportEntries of one ExportDeclaration. `module` is the sole element of its ModuleRequests
 * (the canonical record) when it has a FromClause, else null.
 */
export function exportEntriesOf(
  declaration: ESTree.ExportAllDeclaration | ESTree.ExportNamedDeclaration | ESTree.ExportDefaultDeclaration,
  module: ModuleRequest | null,
): ExportEntryRecord[] {
  switch (declaration.type) {
    case 'ExportAllDeclaration': {
      const exported = declaration.exported;
      if (exported === null) {
        // ExportFromClause : `*`
        return [
          {
            exportName: null,
            moduleRequest: module,
            importName: ALL_BUT_DEFAULT,
            localName: null,
            at: declaration.start!,
          },
        ];
      }
      // ExportFromClause : `*` `as` ModuleExportName
      return [
        {
          exportName: nameValue(exported),
          moduleRequest: module,
          importName: ALL,
          localName: null,
          at: exported.start!,
        },
      ];
    }
    case 'ExportNamedDeclaration': {
      const entries: ExportEntryRecord[] = [];
      if (declaration.declaration !== null) {
        // `export` VariableStatement / `export` Declaration: one entry per BoundName.
        for (const id of declarationBoundIdentifiers(declaration.declaration)) {
          entries.push({
            exportName: id.name,
            moduleRequest: null,
            importName: null,
            localName: id.name,
            at: id.start!,
          });
        }
        return entries;
      }
      // ExportSpecifier : ModuleExportName | ModuleExportName `as` ModuleExportName
      for (const specifier of declaration.specifiers) {
        const sourceName = nameValue(specifier.local);
        const exportName = nameValue(specifier.exported);
        entries.push(
          module === null
            ? {
                exportName,
                moduleRequest: null,
                importName: null,
                localName: sourceName,
                at: specifier.exported.start!,
              }
            : {
                exportName,
                moduleRequest: module,
                importName: sourceName,
                localName: null,
                at: specifier.exported.start!,
              },
        );
      }
      return entries;
    }
    case 'ExportDefaultDeclaration': {
      const inner = declaration.declaration;
      let localName = DEFAULT_LOCAL_NAME;
      // `export default` HoistableDeclaration / ClassDeclaration: the sole BoundName, which is
      // "*default*" when the declaration is anonymous.
      if ((inner.type === 'FunctionDeclaration' || inner.type === 'ClassDeclaration') && inner.id)
        localName = inner.id.name;
      return [{ exportName: 'default', moduleRequest: null, importName: null, localName, at: declaration.start! }];
    }
  }
}

/** The three lists ParseModule stores in the Source Text Module Record. */
export interface ClassifiedExports {
  readonly local: LocalExportEntry[];
  readonly indirect: IndirectExportEntry[];
  readonly star: StarExportEntry[];
}

/** ParseModule (16.2.1.7.1) steps 5-10. */
export function classifyExportEntries(
  exportEntries: readonly ExportEntryRecord[],
  importEntries: readonly ImportEntry[],
): ClassifiedExports {
  // 5. Let importedBoundNames be ImportedLocalNames(importEntries).
  const importsByLocal = new Map<string, ImportEntry>();
  for (const ie of importEntries) importsByLocal.set(ie.localName, ie);
  // 6-8.
  const indirect: IndirectExportEntry[] = [];
  const local: LocalExportEntry[] = [];
  const star: StarExportEntry[] = [];
  // 10. For each ExportEntry Record ee of exportEntries, do
  for (const ee of exportEntries) {
    // a. If ee.[[ModuleRequest]] is null, then
    if (ee.moduleRequest === null) {
      const ie = importsByLocal.get(ee.localName!);
      // i. If importedBoundNames does not contain ee.[[LocalName]], append ee to localExportEntries.
      // ii.2. Else if ie.[[ImportName]] is ~namespace-object~: a re-export of an imported module
      //       namespace object stays a local export.
      if (ie === undefined || ie.importName === null) {
        local.push(Object.freeze({ exportName: ee.exportName!, localName: ee.localName! }));
      } else {
        // ii.3. A re-export of a single imported name becomes an indirect export.
        indirect.push(
          Object.freeze({ exportName: ee.exportName!, moduleRequest: ie.moduleRequest, importName: ie.importName }),
        );
      }
    } else if (ee.importName === ALL_BUT_DEFAULT) {
      // b. Else if ee.[[ImportName]] is ~all-but-default~: a star export.
      star.push(Object.freeze({ moduleRequest: ee.moduleRequest }));
    } else {
      // c. Else, append ee to indirectExportEntries (~all~ is null in IndirectExportEntry).
      const importName = ee.importName === ALL ? null : (ee.importName as string);
      indirect.push(Object.freeze({ exportName: ee.exportName!, moduleRequest: ee.moduleRequest, importName }));
    }
  }
  return { local, indirect, star };
}
