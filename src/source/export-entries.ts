/**
 * ExportEntries (ECMA-262 16.2.3.4), ExportEntriesForModule (16.2.3.5) and the classification of
 * export entries into [[LocalExportEntries]], [[IndirectExportEntries]] and [[StarExportEntries]]
 * done by ParseModule (16.2.1.7.1 step 10).
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */

import { declarationBoundIdentifiers } from './bound-names.js';
import { nameValue } from './names.js';
import type { ESTree } from './parse.js';
import type { ImportEntry, IndirectExportEntry, LocalExportEntry, ModuleRequest, StarExportEntry } from './types.js';

/**
 * [[ImportName]] ~namespace~ of an ExportEntry (`export * as ns from 'm'`; named ~all~ before
 * tc39/ecma262#3775).
 */
export const NAMESPACE: unique symbol = Symbol('namespace');
/** ~all-but-default~ (`export * from 'm'`). */
export const ALL_BUT_DEFAULT: unique symbol = Symbol('all-but-default');

/** An ExportEntry Record as the spec has it, plus the offset of the node that names it. */
export interface ExportEntryRecord {
  readonly exportName: string | null;
  readonly moduleRequest: ModuleRequest | null;
  readonly importName: string | typeof NAMESPACE | typeof ALL_BUT_DEFAULT | null;
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
          importName: NAMESPACE,
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
      if (ie === undefined) {
        // i. importedBoundNames does not contain ee.[[LocalName]]: append ee to localExportEntries.
        local.push(Object.freeze({ exportName: ee.exportName!, localName: ee.localName! }));
      } else {
        // ii.1-3. A re-export of an import becomes the indirect export that the one-step form
        //   makes: of a single name (`export { x } from 'm'`), and, since tc39/ecma262#3715, of
        //   an imported namespace object (`export * as ns from 'm'`, [[ImportName]] ~namespace~;
        //   null here). The request keeps its phase, so `import defer * as ns` / `import source x`
        //   re-exported resolve to the deferred namespace / module source (ResolveExport 6.a.iii;
        //   tc39/proposal-source-phase-imports#76).
        indirect.push(
          Object.freeze({ exportName: ee.exportName!, moduleRequest: ie.moduleRequest, importName: ie.importName }),
        );
      }
    } else if (ee.importName === ALL_BUT_DEFAULT) {
      // b. Else if ee.[[ImportName]] is ~all-but-default~: a star export.
      star.push(Object.freeze({ moduleRequest: ee.moduleRequest }));
    } else {
      // c. Else, append ee to indirectExportEntries (~namespace~ is null in IndirectExportEntry).
      const importName = ee.importName === NAMESPACE ? null : ee.importName;
      indirect.push(Object.freeze({ exportName: ee.exportName!, moduleRequest: ee.moduleRequest, importName }));
    }
  }
  return { local, indirect, star };
}
