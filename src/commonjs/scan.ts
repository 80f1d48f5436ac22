/**
 * Questions about CommonJS module text, answered on tokens (src/lexical/) without a parser (only
 * src/source/ may load meriyah, and a full parse of every required file would cost more than
 * Node's own `require`):
 *
 * 1. {@link detectWrapperForm}: is the file a wrapped module, i.e. is its whole top level one
 *    `define(...)` call?
 * 2. {@link scanRequires}: which literal ids does the file pass to `require(...)`? Used only to
 *    prefetch dependencies for `require.async`, so a miss costs a synchronous read, never a
 *    wrong result.
 * 3. {@link findDynamicImports}: where are its `import(...)` calls? (The Node host rewrites them.)
 *
 * The rule for the wrapper form, stated on tokens (comments and white space are skipped
 * everywhere; a leading hashbang line is skipped):
 *
 * ```
 * WrappedModule : DirectivePrologue? `define` `(` BalancedTokens `)` `;`? <end of text>
 * DirectivePrologue : (StringLiteral (`;` | <line break>))+
 * ```
 *
 * BalancedTokens is any token sequence in which `(`/`)`, `[`/`]`, `{`/`}` and template
 * substitutions nest; strings, template literals, comments and regular expression literals are
 * units (src/lexical/tokens.ts says how a `/` is read). Anything else - other statements around
 * the call, `define.amd`, `define(...)(...)`, text that does not balance - is a plain CommonJS
 * module (where `define` is not bound, as in Node). The rule is cheap for plain modules: it stops
 * at the first significant token that is not a directive or `define`.
 */

import { isNameCharacter } from '../lexical/characters.js';
import { scanTokens, skipParenthesized, skipStringLiteral } from '../lexical/tokens.js';
import { hashbangEnd, hasLineTerminator, skipTrivia } from '../lexical/trivia.js';

/** The two module formats a `.js` file can have. */
export type WrapperForm = 'define' | 'plain' | 'multiple-define';

const CH_DQUOTE = 34;
const CH_SQUOTE = 39;
const CH_LPAREN = 40;
const CH_SEMI = 59;
const CH_LBRACE = 123;

/**
 * Decides whether `text` is a wrapped module (its whole top level is one `define(...)` call) or
 * a plain CommonJS module. See the module comment for the exact rule. A top level made only of
 * two or more `define(...)` call statements is `'multiple-define'`: the runtime reports it as
 * ERR_MODHOST_DUPLICATE_DEFINE rather than running it as plain code where `define` is unbound.
 *
 * @example
 * detectWrapperForm('define(function (require, exports) { exports.a = 1 });') // 'define'
 * detectWrapperForm('exports.a = 1;') // 'plain'
 */
export function detectWrapperForm(text: string): WrapperForm {
  let i = skipTrivia(text, hashbangEnd(text));
  // Directive prologue: string literals ended by `;` or a line break.
  while (true) {
    const c = text.charCodeAt(i);
    if (c !== CH_SQUOTE && c !== CH_DQUOTE) break;
    const end = skipStringLiteral(text, i);
    const next = skipTrivia(text, end);
    if (text.charCodeAt(next) === CH_SEMI) i = skipTrivia(text, next + 1);
    else if (hasLineTerminator(text, end, next) && text.startsWith('define', next)) i = next;
    else return 'plain';
  }
  let calls = 0;
  while (i < text.length) {
    if (!text.startsWith('define', i) || isNameCharacter(text.charCodeAt(i + 6))) return 'plain';
    i = skipTrivia(text, i + 6);
    if (text.charCodeAt(i) !== CH_LPAREN) return 'plain';
    const end = skipParenthesized(text, i + 1);
    if (end === -1) return 'plain';
    calls++;
    i = skipTrivia(text, end);
    if (text.charCodeAt(i) === CH_SEMI) i = skipTrivia(text, i + 1);
  }
  if (calls === 0) return 'plain';
  return calls === 1 ? 'define' : 'multiple-define';
}

/**
 * Lists the ids of `require('literal')` calls in `text` (not `x.require(...)`), in text order,
 * without duplicates. An approximation for prefetching: calls inside dead branches are listed
 * too, and computed ids are not.
 */
export function scanRequires(text: string): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  scanTokens(text, hashbangEnd(text), {
    onRequire(id) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    },
  });
  return ids;
}

/** `import` followed by `(` or the start of a comment, after optional white space. */
const MAYBE_IMPORT_CALL = /\bimport\s*(?:\(|\/[*/])/;

/**
 * Start offsets of the `import` keyword of each dynamic `import(...)` call in `text` (not
 * `x.import(...)`, and not a method named `import`, i.e. `import(...) {` in an object literal or
 * class body). The Node host rewrites these calls so that CommonJS code's `import()` loads through
 * modhost (V8 would hand them to Node's own loader).
 *
 * @example
 * findDynamicImports('import("./a.mjs").then(f)') // [0]
 * findDynamicImports('obj.import(x); ({ import() {} })') // []
 */
export function findDynamicImports(text: string): number[] {
  const starts: number[] = [];
  // Only white space and comments may stand between `import` and `(`: text without such a
  // sequence has no call (the full scan costs ~10 ms for lodash.js, which mentions "import").
  if (!MAYBE_IMPORT_CALL.test(text)) return starts;
  scanTokens(text, hashbangEnd(text), {
    onImport(keyword, paren) {
      // A method definition `import(params) { … }` has a body right after its parameter list.
      const end = skipParenthesized(text, paren + 1);
      if (end !== -1 && text.charCodeAt(skipTrivia(text, end)) === CH_LBRACE) return;
      starts.push(keyword);
    },
  });
  return starts;
}
