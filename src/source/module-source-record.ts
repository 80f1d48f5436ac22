/** createModuleSourceRecord: module text → frozen, analysed and compiled ModuleSourceRecord. */

import { createError, hasCode } from '../errors/codes.js';
import { analyzeModule } from './analyze-module.js';
import { compiledCode } from './compile.js';
import { parseModuleText } from './parse.js';
import { choosePrefix, prefixClashes } from './prefix.js';
import type { ModuleSourceRecord } from './types.js';

/** Options of {@link createModuleSourceRecord}. */
export interface ModuleSourceRecordOptions {
  /** Diagnostic URL: error locations and `//# sourceURL`. Default: `modhost:source/N`. */
  readonly url?: string;
}

let anonymousSources = 0;

type Located = { line?: number; column?: number; code?: string };

/**
 * meriyah reports some module-level early errors (duplicate or undeclared exports, duplicate
 * attribute keys, string names without `from`) at the token where it noticed them, often the end
 * of the statement. modhost checks those itself with the offending name's location; on this
 * error path only, parse again without the scope analysis and run those checks, and report
 * whichever error comes first in the text.
 */
function refineParseError(text: string, url: string, error: unknown): unknown {
  let own: unknown;
  try {
    const program = parseModuleText(text, url, false);
    analyzeModule(program, text, url, choosePrefix(text, null));
    return error;
  } catch (ownError) {
    own = ownError;
  }
  const a = error as Located;
  const b = own as Located;
  if (b.code !== 'ERR_MODHOST_PARSE' || a.code !== 'ERR_MODHOST_PARSE') return error;
  const earlier = b.line! < a.line! || (b.line === a.line && b.column! < a.column!);
  return earlier ? own : error;
}

/**
 * Parses `text` as a Module (ECMA-262 ParseModule), computes its static semantics and compiles
 * its body (ARCHITECTURE.md "Compiled module protocol"). ToString of the argument is the
 * caller's job.
 *
 * @throws SyntaxError with code ERR_MODHOST_PARSE (and url, line, column) for any parse or early error.
 * @example
 * const record = createModuleSourceRecord('import { x } from "./x.js"; export default x;', { url: 'file:///m.js' });
 * record.requestedModules; // [{ specifier: './x.js', attributes: [] }]
 */
export function createModuleSourceRecord(text: string, options?: ModuleSourceRecordOptions): ModuleSourceRecord {
  try {
    return buildModuleSourceRecord(text, options);
  } catch (error) {
    // The parser and the analysis walk the tree recursively: text nested deeper than the call
    // stack allows (≈1,000-5,000 levels, the same order as V8's own parser limit) ends in a stack
    // overflow. Report it as a typed RangeError (V8 throws RangeError for the same) naming the module.
    if (
      error instanceof RangeErrorCtor &&
      !hasCode(error, 'ERR_MODHOST_SOURCE_TOO_DEEP') &&
      /call stack/.test(`${(error as Error).message}`)
    ) {
      const where = options?.url === undefined ? '' : ` ${options.url}`;
      throw createError(
        'ERR_MODHOST_SOURCE_TOO_DEEP',
        `The module text${where} nests too deeply for modhost to parse and compile it`,
        {
          url: options?.url,
          cause: error,
        },
      );
    }
    throw error;
  }
}

const RangeErrorCtor = RangeError;

function buildModuleSourceRecord(text: string, options?: ModuleSourceRecordOptions): ModuleSourceRecord {
  const url = options?.url ?? `modhost:source/${++anonymousSources}`;
  let program: ReturnType<typeof parseModuleText>;
  try {
    program = parseModuleText(text, url);
  } catch (error) {
    throw refineParseError(text, url, error);
  }
  let prefix = choosePrefix(text, null);
  let analysis = analyzeModule(program, text, url, prefix);
  if (prefixClashes(prefix, analysis.escapedNames)) {
    prefix = choosePrefix(text, analysis.escapedNames);
    analysis = analyzeModule(program, text, url, prefix);
  }
  const compiled = Object.freeze({
    code: compiledCode(analysis, prefix, url, text),
    getterNames: Object.freeze(analysis.getterNames),
    importNames: Object.freeze(analysis.importNames),
  });
  return Object.freeze({
    url,
    requestedModules: Object.freeze(analysis.requestedModules),
    importEntries: Object.freeze(analysis.importEntries),
    localExportEntries: Object.freeze(analysis.exports.local),
    indirectExportEntries: Object.freeze(analysis.exports.indirect),
    starExportEntries: Object.freeze(analysis.exports.star),
    hasTLA: analysis.hasTLA,
    needsImport: analysis.needsImport,
    needsImportMeta: analysis.needsImportMeta,
    bindings: Object.freeze(analysis.bindings),
    compiled,
  });
}
