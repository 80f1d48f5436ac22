/**
 * The module-level pass: ModuleRequests, ImportEntries and ExportEntries of the module items,
 * the import/export early errors, the bindings reflection, and the rewrite of import/export
 * declarations; statements are handed to the body walker.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */

import { blankOut, lineTerminatorsOf, skipTrivia } from '../lexical/trivia.js';
import { appendBindings } from './bindings.js';
import {
  checkExportedBindings,
  checkExportedNames,
  checkImportBindings,
  checkModuleExportNames,
  checkNamedExportsReferencedBindings,
  checkWithClause,
  type ErrorSite,
} from './early-errors.js';
import {
  type ClassifiedExports,
  classifyExportEntries,
  DEFAULT_LOCAL_NAME,
  type ExportEntryRecord,
  exportEntriesOf,
} from './export-entries.js';
import { importEntriesOf } from './import-entries.js';
import { ModuleRequestCollector, withClauseToAttributes } from './module-requests.js';
import type { ESTree } from './parse.js';
import type { RawPoints } from './positions.js';
import type { ImportEntry, ImportPhase, ModuleBinding, ModuleRequest } from './types.js';
import { StatementWalker } from './walk-statements.js';

/** Everything the record and the code generator need from one pass over the module. */
export interface ModuleAnalysis {
  readonly requestedModules: readonly ModuleRequest[];
  readonly importEntries: readonly ImportEntry[];
  readonly exports: ClassifiedExports;
  readonly hasTLA: boolean;
  readonly needsImport: boolean;
  readonly needsImportMeta: boolean;
  readonly bindings: readonly ModuleBinding[];
  /** The module text with its declarations and references rewritten (same lines). */
  readonly body: string;
  /** Where `body` differs in columns from the text (source/positions.ts raw points). */
  readonly bodyPoints: RawPoints;
  /** ImportedLocalNames, index = the N of `PREFIX_iN`. */
  readonly importNames: readonly string[];
  readonly getterNames: readonly string[];
  /** Expression read by each getter, parallel to getterNames. */
  readonly getterExpressions: readonly string[];
  /** An anonymous `export default function` was compiled to a named declaration. */
  readonly nameDefault: boolean;
  /** StringValues of identifiers written with escapes (may spell the prefix). */
  readonly escapedNames: readonly string[] | null;
}

interface ImportPass {
  readonly requests: ModuleRequestCollector;
  /** The canonical ModuleRequest of each module item (null when it has none). */
  readonly itemRequests: (ModuleRequest | null)[];
  readonly importEntries: ImportEntry[];
  readonly importIds: ESTree.Identifier[];
}

/** 16.2.1.4 ModuleRequests and 16.2.2.2 ImportEntries, before the body walk needs the import names. */
function collectImports(site: ErrorSite, items: readonly ESTree.Node[]): ImportPass {
  const requests = new ModuleRequestCollector();
  const itemRequests: (ModuleRequest | null)[] = [];
  const importEntries: ImportEntry[] = [];
  const importIds: ESTree.Identifier[] = [];
  for (const item of items) {
    let request: ModuleRequest | null = null;
    if (item.type === 'ImportDeclaration') {
      checkWithClause(site, item.attributes);
      checkModuleExportNames(site, item);
      request = requests.request(
        String(item.source.value),
        withClauseToAttributes(item.attributes),
        importPhaseOf(item),
      );
      for (const entry of importEntriesOf(item, request)) importEntries.push(entry);
      for (const specifier of item.specifiers) importIds.push(specifier.local);
    } else if ((item.type === 'ExportNamedDeclaration' || item.type === 'ExportAllDeclaration') && item.source) {
      checkWithClause(site, item.attributes);
      request = requests.request(String(item.source.value), withClauseToAttributes(item.attributes));
    }
    itemRequests.push(request);
  }
  return { requests, itemRequests, importEntries, importIds };
}

/**
 * [[Phase]] of an ImportDeclaration's ModuleRequest: meriyah's `phase` ('source' for
 * `import source x from`, 'defer' for `import defer * as ns from`, null otherwise).
 */
function importPhaseOf(item: ESTree.ImportDeclaration): ImportPhase {
  const phase = (item as { phase?: unknown }).phase;
  return phase === 'source' || phase === 'defer' ? phase : 'evaluation';
}

class ModuleWalker extends StatementWalker {
  readonly exportEntries: ExportEntryRecord[] = [];
  readonly bindings: ModuleBinding[] = [];
  /** IdentifierReferences of `export { … }` lists without `from`. */
  readonly localExportReferences: ESTree.Identifier[] = [];
  nameDefault = false;

  constructor(
    text: string,
    prefix: string,
    importIndex: Map<string, number> | null,
    private readonly site: ErrorSite,
  ) {
    super(text, prefix, importIndex);
  }

  items(items: readonly ESTree.Node[], itemRequests: readonly (ModuleRequest | null)[]): void {
    // A hashbang comment is only valid at the very start; the compiled code has a header first.
    if (this.text.startsWith('#!')) this.edits.replace(0, 2, '//');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const request = itemRequests[i]!;
      switch (item.type) {
        case 'ImportDeclaration':
          this.removeDeclaration(item);
          break;
        case 'ExportAllDeclaration':
          checkModuleExportNames(this.site, item);
          this.removeDeclaration(item);
          this.addExportEntries(item, request);
          break;
        case 'ExportNamedDeclaration':
          checkModuleExportNames(this.site, item);
          if (item.declaration !== null) {
            // `export` VariableStatement / Declaration: drop the keyword, keep the declaration.
            this.edits.replace(item.start!, item.start! + 6, '      ');
            this.statement(item.declaration);
          } else {
            if (request === null) {
              checkNamedExportsReferencedBindings(this.site, item);
              for (const specifier of item.specifiers)
                this.localExportReferences.push(specifier.local as ESTree.Identifier);
            }
            this.removeDeclaration(item);
          }
          this.addExportEntries(item, request);
          break;
        case 'ExportDefaultDeclaration':
          this.exportDefault(item);
          this.addExportEntries(item, null);
          break;
        default:
          if (item.type === 'ExpressionStatement') this.asiStart = item.start!;
          this.statement(item);
          continue;
      }
      appendBindings(this.bindings, item, request);
    }
    this.resolveModuleScope();
  }

  private addExportEntries(
    item: ESTree.ExportAllDeclaration | ESTree.ExportNamedDeclaration | ESTree.ExportDefaultDeclaration,
    request: ModuleRequest | null,
  ): void {
    for (const entry of exportEntriesOf(item, request)) this.exportEntries.push(entry);
  }

  /** An import or export-list declaration leaves an empty statement of the same shape. */
  private removeDeclaration(item: ESTree.Node): void {
    const start = item.start!;
    this.edits.replace(start, item.end!, `;${blankOut(this.text, start + 1, item.end!)}`);
  }

  private exportDefault(node: ESTree.ExportDefaultDeclaration): void {
    const { text, edits, prefix: p } = this;
    const start = node.start!;
    const declaration = node.declaration;
    switch (declaration.type) {
      case 'FunctionDeclaration': {
        edits.replace(start, declaration.start!, blankOut(text, start, declaration.start!));
        if (declaration.id) {
          this.declareLexical(declaration.id);
        } else {
          // Stays a hoisted declaration; its generated name is renamed "default" in the prologue.
          let pos = declaration.start!;
          if (declaration.async) pos = skipTrivia(text, pos + 5);
          pos += 8; // `function`
          if (declaration.generator) pos = skipTrivia(text, pos) + 1; // `*`
          edits.insert(pos, ` ${p}_d`);
          this.nameDefault = true;
        }
        this.fn(declaration, false);
        return;
      }
      case 'ClassDeclaration':
        if (declaration.id) {
          edits.replace(start, declaration.start!, blankOut(text, start, declaration.start!));
          this.declareLexical(declaration.id);
          this.cls(declaration);
        } else {
          // A `const` keeps the TDZ until the class is evaluated; the property definition gives the
          // class the name "default" by NamedEvaluation before its static elements run.
          edits.replace(
            start,
            declaration.start!,
            `const ${p}_d=({default:${lineTerminatorsOf(text, start, declaration.start!)}`,
          );
          this.cls(declaration);
          edits.insert(declaration.end!, '}).default;');
        }
        return;
      default: {
        const afterDefault = skipTrivia(text, start + 6) + 7;
        edits.replace(start, afterDefault, `const ${p}_d=${lineTerminatorsOf(text, start, afterDefault)}`);
        // IsAnonymousFunctionDefinition: NamedEvaluation with "default" (parentheses are transparent).
        const anonymous =
          declaration.type === 'ArrowFunctionExpression' ||
          ((declaration.type === 'FunctionExpression' || declaration.type === 'ClassExpression') && !declaration.id);
        if (anonymous) edits.insert(declaration.start!, '({default:');
        this.expr(declaration);
        if (anonymous) edits.insert(declaration.end!, '}).default');
      }
    }
  }
}

/**
 * Analyses and rewrites a parsed module. `prefix` must not occur in `text`; the caller checks
 * `escapedNames` against it (and reruns with another prefix in the rare case of a clash).
 */
export function analyzeModule(program: ESTree.Program, text: string, url: string, prefix: string): ModuleAnalysis {
  const site: ErrorSite = { text, url };
  const items = program.body as readonly ESTree.Node[];
  const pass = collectImports(site, items);
  const importNames = pass.importEntries.map((entry) => entry.localName);
  let importIndex: Map<string, number> | null = null;
  if (importNames.length > 0) {
    importIndex = new Map();
    for (let i = 0; i < importNames.length; i++)
      if (!importIndex.has(importNames[i]!)) importIndex.set(importNames[i]!, i);
  }

  const walker = new ModuleWalker(text, prefix, importIndex, site);
  walker.items(items, pass.itemRequests);

  // Early errors that need the whole module (16.2.1.1, 16.2.2.1).
  checkImportBindings(site, pass.importIds, walker.topLexical, walker.topVar);
  checkExportedBindings(
    site,
    walker.localExportReferences,
    (name) => walker.topLexical.has(name) || walker.topVar.has(name) || importIndex?.has(name) === true,
  );
  checkExportedNames(site, walker.exportEntries);

  const exports = classifyExportEntries(walker.exportEntries, pass.importEntries);
  const getterNames: string[] = [];
  const getterExpressions: string[] = [];
  const seen = new Set<string>();
  for (const entry of exports.local) {
    const name = entry.localName;
    if (seen.has(name)) continue;
    seen.add(name);
    getterNames.push(name);
    const importNumber = importIndex?.get(name);
    getterExpressions.push(
      name === DEFAULT_LOCAL_NAME ? `${prefix}_d` : importNumber !== undefined ? `${prefix}_i${importNumber}()` : name,
    );
  }

  const bodyPoints: RawPoints = [];
  return {
    requestedModules: pass.requests.list,
    importEntries: pass.importEntries,
    exports,
    hasTLA: walker.hasTLA,
    needsImport: walker.needsImport,
    needsImportMeta: walker.needsImportMeta,
    bindings: walker.bindings,
    body: walker.edits.apply(text, bodyPoints),
    bodyPoints,
    importNames,
    getterNames,
    getterExpressions,
    nameDefault: walker.nameDefault,
    escapedNames: walker.escapedNames,
  };
}
