/**
 * A small tokenizer-level scanner for CommonJS module text. It answers two questions without a
 * parser (only src/source/ may load meriyah, and a full parse of every required file would cost
 * more than Node's own `require`):
 *
 * 1. {@link detectWrapperForm}: is the file a wrapped module, i.e. is its whole top level one
 *    `define(...)` call?
 * 2. {@link scanRequires}: which literal ids does the file pass to `require(...)`? Used only to
 *    prefetch dependencies for `require.async`, so a miss costs a synchronous read, never a
 *    wrong result.
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
 * substitutions nest. Strings, template literals, comments and regular expression literals are
 * skipped as units. As in other lexers (es-module-lexer, cjs-module-lexer), a `/` starts a
 * regular expression unless the previous significant token ends an operand (an identifier that
 * is not a keyword, a number, a string, `)` not closing an `if`/`while`/`for`/`with` head, or `]`).
 * Anything else - other statements around the call, `define.amd`, `define(...)(...)`, text that
 * does not balance - is a plain CommonJS module (where `define` is not bound, as in Node). The rule is cheap for plain modules: it stops at the
 * first significant token that is not a directive or `define`.
 */

/** The two module formats a `.js` file can have. */
export type WrapperForm = 'define' | 'plain' | 'multiple-define';

const CH_TAB = 9;
const CH_LF = 10;
const CH_VT = 11;
const CH_FF = 12;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_BANG = 33;
const CH_DQUOTE = 34;
const CH_HASH = 35;
const CH_SQUOTE = 39;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_STAR = 42;
const CH_PLUS = 43;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_SEMI = 59;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_BACKTICK = 96;
const CH_LBRACE = 123;
const CH_NBSP = 0xa0;
const CH_LS = 0x2028;
const CH_PS = 0x2029;
const CH_BOM = 0xfeff;

/** Keywords after which a `/` begins a regular expression rather than a division. */
const REGEX_AFTER_KEYWORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
  'extends',
]);

/** Keywords whose parenthesised head is followed by a statement, where `/` starts a regex. */
const STATEMENT_HEAD_KEYWORD = new Set(['if', 'while', 'for', 'with']);

function isLineTerminator(c: number): boolean {
  return c === CH_LF || c === CH_CR || c === CH_LS || c === CH_PS;
}

function isWhiteSpace(c: number): boolean {
  return (
    c === CH_SPACE ||
    c === CH_TAB ||
    c === CH_VT ||
    c === CH_FF ||
    c === CH_NBSP ||
    c === CH_BOM ||
    (c > 0x7f && c !== CH_LS && c !== CH_PS && /\s/.test(String.fromCharCode(c)))
  );
}

/** Identifier characters as the scanner treats them: ASCII word characters, `$`, `\` (escapes) and all non-ASCII. */
function isIdentifierChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 36 ||
    c === CH_BACKSLASH ||
    (c > 0x7f && !isWhiteSpace(c) && c !== CH_LS && c !== CH_PS)
  );
}

/**
 * Skips white space, line terminators and comments from `i`.
 * @returns the index of the next significant character (or `text.length`).
 */
function skipTrivia(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH_SLASH) {
      const d = text.charCodeAt(i + 1);
      if (d === CH_SLASH) {
        i += 2;
        while (i < n && !isLineTerminator(text.charCodeAt(i))) i++;
        continue;
      }
      if (d === CH_STAR) {
        const end = text.indexOf('*/', i + 2);
        if (end === -1) return n;
        i = end + 2;
        continue;
      }
      return i;
    }
    if (isWhiteSpace(c) || isLineTerminator(c)) {
      i++;
      continue;
    }
    return i;
  }
  return n;
}

/** True when the trivia between `from` and `to` contains a line break (for ASI after a directive). */
function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (isLineTerminator(text.charCodeAt(i))) return true;
  }
  return false;
}

/** @returns the index just after the string literal that opens at `i` (quote at `i`). */
function skipString(text: string, i: number): number {
  const quote = text.charCodeAt(i);
  const n = text.length;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === CH_BACKSLASH) i += 2;
    else if (c === CH_LF || c === CH_CR)
      return i; // unterminated: stop at the line end
    else i++;
  }
  return n;
}

// Sticky regular expressions do the character-level skipping: the engine runs them as native
// code from the first call, where a hand-written character loop runs in the interpreter until it
// gets hot - which, for a loader that scans each file once, it rarely does.

/** A run of characters that cannot change the scanner's state. */
const BORING = /[^'"`/(){}[\]]+/y;
/** String literal bodies (an unterminated one stops at the line end). */
const SINGLE_QUOTED = /'(?:[^'\\\n\r]+|\\[\s\S])*'?/y;
const DOUBLE_QUOTED = /"(?:[^"\\\n\r]+|\\[\s\S])*"?/y;
/** Template characters up to the closing backtick or a `${`. */
const TEMPLATE_CHARS = /(?:[^`\\$]+|\\[\s\S]|\$(?!\{))*/y;
/** A regular expression literal with its flags (classes may contain `/`). */
const REGEXP_LITERAL = /\/(?:[^/\\[\n\r]+|\\.|\[(?:[^\]\\\n\r]+|\\.)*\]?)*\/?[\w$]*/y;
/** The rest of a line comment. */
const LINE_COMMENT_REST = /[^\n\r\u2028\u2029]*/y;

function skipWith(pattern: RegExp, text: string, i: number): number {
  pattern.lastIndex = i;
  pattern.test(text);
  return pattern.lastIndex;
}

/**
 * Scans template characters from `i` (just after the opening backtick or a closing `}` of a
 * substitution).
 * @returns `[index, opensSubstitution]`: the index after the closing backtick, or after `${`.
 */
function skipTemplate(text: string, i: number): [number, boolean] {
  i = skipWith(TEMPLATE_CHARS, text, i);
  if (i >= text.length) return [text.length, false];
  if (text.charCodeAt(i) === CH_BACKTICK) return [i + 1, false];
  return [i + 2, true]; // `${`
}

/** What the previous significant token was, for the regex-or-division decision. */
enum Prev {
  /** Start of input or a punctuator after which an expression may start: `/` is a regex. */
  ExpressionStart,
  /** An operand ended (string, template, regex, `)`, `]`): `/` is a division. */
  OperandEnd,
  /** The last significant characters are plain text (a name, number or punctuator) ending at `prevEnd`. */
  Run,
}

/** Per-bracket bookkeeping: which bracket, and (for `(`) whether a statement keyword preceded it. */
const BRACKET_PAREN = 0;
const BRACKET_PAREN_STATEMENT_HEAD = 1;
const BRACKET_SQUARE = 2;
const BRACKET_BRACE = 3;
const BRACKET_TEMPLATE = 4;

/** Start index of the word ending at `end` (exclusive), or `end` when the character before `end` is not a word character. */
function wordStart(text: string, end: number): number {
  let i = end;
  while (i > 0 && isIdentifierChar(text.charCodeAt(i - 1))) i--;
  return i;
}

/** True when the word starting at `start` follows a `.` (a property name, never a keyword). */
function followsDot(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (isWhiteSpace(text.charCodeAt(i)) || isLineTerminator(text.charCodeAt(i)))) i--;
  return i >= 0 && text.charCodeAt(i) === CH_DOT;
}

/** The keyword-ish word that ends at `end` (not after `.`), or `''`. */
function wordBefore(text: string, end: number): string {
  const start = wordStart(text, end);
  if (start === end) return '';
  const first = text.charCodeAt(start);
  if (first >= 48 && first <= 57) return ''; // a number
  if (followsDot(text, start)) return '';
  return text.slice(start, end);
}

/** For a run ending at `end`: may a `/` that follows start a regular expression? */
function regexAfterRun(text: string, end: number): boolean {
  const last = text.charCodeAt(end - 1);
  if (isIdentifierChar(last)) {
    const word = wordBefore(text, end);
    return word !== '' && REGEX_AFTER_KEYWORD.has(word);
  }
  if ((last === CH_PLUS || last === CH_MINUS) && text.charCodeAt(end - 2) === last) {
    // `a++ / b` divides; `x = ++/re/.lastIndex` is not worth distinguishing.
    let i = end - 3;
    while (i >= 0 && isWhiteSpace(text.charCodeAt(i))) i--;
    const before = i >= 0 ? text.charCodeAt(i) : -1;
    return !(isIdentifierChar(before) || before === CH_RPAREN || before === CH_RBRACKET);
  }
  return true;
}

/**
 * The token loop shared by both entry points. Scans from `start` with the given bracket stack;
 * stops when the stack becomes empty after a `)` (when `stopWhenBalanced`), or at the end of text.
 * Calls `onRequire` for each `require(<string literal>)` not preceded by `.`.
 *
 * @returns the index after the closing `)` that balanced the stack, `-1` if the text ended or a
 * closing bracket did not match, or `text.length` when not stopping.
 */
function scanTokens(
  text: string,
  start: number,
  stack: number[],
  stopWhenBalanced: boolean,
  onRequire: ((id: string) => void) | null,
  onImport: ((keyword: number, paren: number) => void) | null = null,
): number {
  const n = text.length;
  const fail = stopWhenBalanced ? -1 : n;
  let i = start;
  let prev: Prev = Prev.ExpressionStart;
  let prevEnd = start;
  while (i < n) {
    BORING.lastIndex = i;
    if (BORING.test(text)) {
      const end = BORING.lastIndex;
      let j = end - 1;
      while (j >= i && (isWhiteSpace(text.charCodeAt(j)) || isLineTerminator(text.charCodeAt(j)))) j--;
      if (j >= i) {
        prev = Prev.Run;
        prevEnd = j + 1;
      }
      i = end;
      if (i >= n) break;
    }
    const c = text.charCodeAt(i);
    switch (c) {
      case CH_SQUOTE:
        i = skipWith(SINGLE_QUOTED, text, i);
        prev = Prev.OperandEnd;
        continue;
      case CH_DQUOTE:
        i = skipWith(DOUBLE_QUOTED, text, i);
        prev = Prev.OperandEnd;
        continue;
      case CH_BACKTICK: {
        const [next, opens] = skipTemplate(text, i + 1);
        i = next;
        if (opens) stack.push(BRACKET_TEMPLATE);
        prev = opens ? Prev.ExpressionStart : Prev.OperandEnd;
        continue;
      }
      case CH_SLASH: {
        const d = text.charCodeAt(i + 1);
        if (d === CH_SLASH) {
          i = skipWith(LINE_COMMENT_REST, text, i + 2);
          continue;
        }
        if (d === CH_STAR) {
          const close = text.indexOf('*/', i + 2);
          i = close === -1 ? n : close + 2;
          continue;
        }
        const regex = prev === Prev.ExpressionStart || (prev === Prev.Run && regexAfterRun(text, prevEnd));
        if (regex) {
          i = skipWith(REGEXP_LITERAL, text, i);
          prev = Prev.OperandEnd;
        } else {
          i++;
          prev = Prev.ExpressionStart;
        }
        continue;
      }
      case CH_LPAREN: {
        const word = prev === Prev.Run ? wordBefore(text, prevEnd) : '';
        if (onRequire !== null && word === 'require') {
          const id = literalCallArgument(text, i);
          if (id !== null) onRequire(id);
        }
        if (onImport !== null && word === 'import') onImport(prevEnd - 6, i);
        stack.push(STATEMENT_HEAD_KEYWORD.has(word) ? BRACKET_PAREN_STATEMENT_HEAD : BRACKET_PAREN);
        i++;
        prev = Prev.ExpressionStart;
        continue;
      }
      case CH_RPAREN: {
        const top = stack.pop();
        if (top !== BRACKET_PAREN && top !== BRACKET_PAREN_STATEMENT_HEAD) return fail;
        i++;
        if (stopWhenBalanced && stack.length === 0) return i;
        prev = top === BRACKET_PAREN_STATEMENT_HEAD ? Prev.ExpressionStart : Prev.OperandEnd;
        continue;
      }
      case CH_LBRACKET:
        stack.push(BRACKET_SQUARE);
        i++;
        prev = Prev.ExpressionStart;
        continue;
      case CH_RBRACKET:
        if (stack.pop() !== BRACKET_SQUARE) return fail;
        i++;
        prev = Prev.OperandEnd;
        continue;
      case CH_LBRACE:
        stack.push(BRACKET_BRACE);
        i++;
        prev = Prev.ExpressionStart;
        continue;
      default: {
        // CH_RBRACE: the only character left that BORING does not take.
        const top = stack.pop();
        if (top === BRACKET_TEMPLATE) {
          const [next, opens] = skipTemplate(text, i + 1);
          i = next;
          if (opens) stack.push(BRACKET_TEMPLATE);
          prev = opens ? Prev.ExpressionStart : Prev.OperandEnd;
          continue;
        }
        if (top !== BRACKET_BRACE) return fail;
        i++;
        // A `}` usually ends a block (a regex may follow); object literals followed by `/` are rare.
        prev = Prev.ExpressionStart;
        continue;
      }
    }
  }
  return fail;
}

/**
 * If the text at `i` is `(` string-literal `)` (with trivia around), returns the literal's value
 * (simple escapes only; ids with other escapes are skipped).
 */
function literalCallArgument(text: string, i: number): string | null {
  i = skipTrivia(text, i);
  if (text.charCodeAt(i) !== CH_LPAREN) return null;
  i = skipTrivia(text, i + 1);
  const q = text.charCodeAt(i);
  if (q !== CH_SQUOTE && q !== CH_DQUOTE) return null;
  const end = skipString(text, i);
  if (text.charCodeAt(end - 1) !== q || end - i < 2) return null;
  const raw = text.slice(i + 1, end - 1);
  if (raw.includes('\\')) return null;
  const close = skipTrivia(text, end);
  if (text.charCodeAt(close) !== CH_RPAREN) return null;
  return raw;
}

/** @returns the index after a leading hashbang line (`#!…`), or 0. */
export function hashbangEnd(text: string): number {
  if (text.charCodeAt(0) !== CH_HASH || text.charCodeAt(1) !== CH_BANG) return 0;
  let i = 2;
  while (i < text.length && !isLineTerminator(text.charCodeAt(i))) i++;
  return i;
}

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
    const end = skipString(text, i);
    const next = skipTrivia(text, end);
    if (text.charCodeAt(next) === CH_SEMI) i = skipTrivia(text, next + 1);
    else if (hasLineBreak(text, end, next) && text.startsWith('define', next)) i = next;
    else return 'plain';
  }
  let calls = 0;
  while (i < text.length) {
    if (!text.startsWith('define', i) || isIdentifierChar(text.charCodeAt(i + 6))) return 'plain';
    i = skipTrivia(text, i + 6);
    if (text.charCodeAt(i) !== CH_LPAREN) return 'plain';
    const end = scanTokens(text, i + 1, [BRACKET_PAREN], true, null);
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
  scanTokens(text, hashbangEnd(text), [], false, (id) => {
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
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
  scanTokens(text, hashbangEnd(text), [], false, null, (keyword, paren) => {
    // A method definition `import(params) { … }` has a body right after its parameter list.
    const end = scanTokens(text, paren + 1, [BRACKET_PAREN], true, null);
    if (end !== -1 && text.charCodeAt(skipTrivia(text, end)) === CH_LBRACE) return;
    starts.push(keyword);
  });
  return starts;
}
