/**
 * The only file of modhost that imports meriyah. It parses module text with the Module goal and
 * turns meriyah's errors into modhost's ERR_MODHOST_PARSE SyntaxErrors, so that neither meriyah's
 * error class nor its AST leaves source/ (the AST types are re-exported for source/ only).
 */
import { type ESTree, isParseError, type Options, parseModule } from 'meriyah';
import { sourceSyntaxError } from './source-errors.js';

export type { ESTree };

// `ranges` as start/end numbers only: the `range` arrays cost an allocation per node and we
// never read them. No `loc`: line/column are computed from the offset when an error needs them
// (bench/module-source.bench.ts measures what `loc` would cost).
// `webcompat` enables Annex B; what it changes in module code is B.3.4 (`var e` in
// `catch (e) {}`), which V8 accepts in modules too. Everything else in Annex B that meriyah gates
// on it is a strict-mode or Module-goal error regardless.
const RANGES = { start: true, end: true, range: false } as const;
// `features` (an internal option of meriyah 7, typed InternalOptions in its .d.ts; meriyah is
// pinned, and test/source/phase-syntax.test.ts fails if a version drops it) turns on exactly two
// of meriyah's `next` features (not decorators): import defer
// (bit 2: `import defer * as ns`, `import.defer()`) and source phase imports (bit 4:
// `import source x`, `import.source()`). The AST then carries `phase` on ImportDeclaration and
// ImportExpression; `source` and `defer` stay ordinary identifiers everywhere else
// (test/source/phase-syntax.test.ts checks the rest of the grammar is unaffected).
const PHASE_FEATURES = 2 | 4;
const LEXICAL_OPTIONS = {
  ranges: RANGES,
  lexical: true,
  webcompat: true,
  next: false,
  features: PHASE_FEATURES,
} as Options;
const PLAIN_OPTIONS = {
  ranges: RANGES,
  lexical: false,
  webcompat: true,
  next: false,
  features: PHASE_FEATURES,
} as Options;

/**
 * Parses `text` with the Module goal (ParseText(sourceText, Module)).
 *
 * @param lexical - false skips meriyah's scope analysis (only for tests of our own early-error
 *   checks, which must be able to see ASTs meriyah would have rejected).
 * @throws ERR_MODHOST_PARSE SyntaxError with url, line and column.
 */
export function parseModuleText(text: string, url: string, lexical = true): ESTree.Program {
  try {
    return parseModule(text, lexical ? LEXICAL_OPTIONS : PLAIN_OPTIONS);
  } catch (error) {
    if (isParseError(error)) {
      throw sourceSyntaxError(text, url, error.start, error.description);
    }
    throw error;
  }
}
