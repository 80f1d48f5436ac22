/**
 * A token-level scanner for JavaScript text, without a parser: it skips strings, template
 * literals (with nested substitutions), comments and regular expression literals as units, and
 * keeps a stack of brackets. As in other lexers (es-module-lexer, cjs-module-lexer), a `/` starts
 * a regular expression unless the previous significant token ends an operand (an identifier that
 * is not a keyword, a number, a string, `)` not closing an `if`/`while`/`for`/`with` head, or
 * `]`). The CommonJS questions (src/commonjs/scan.ts) are answered with it.
 */
import { isLineTerminator, isNameCharacter, isWhiteSpace } from './characters.js';
import { skipTrivia } from './trivia.js';

const CH_LF = 10;
const CH_CR = 13;
const CH_DQUOTE = 34;
const CH_SQUOTE = 39;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_STAR = 42;
const CH_PLUS = 43;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_BACKTICK = 96;
const CH_LBRACE = 123;

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

/**
 * @returns the index just after the string literal that opens at `i` (quote at `i`); an
 * unterminated one stops at the line end.
 */
export function skipStringLiteral(text: string, i: number): number {
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

/**
 * Start index of the word ending at `end` (exclusive), or `end` when the character before `end` is
 * not a word character.
 */
function wordStart(text: string, end: number): number {
  let i = end;
  while (i > 0 && isNameCharacter(text.charCodeAt(i - 1))) i--;
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
  if (isNameCharacter(last)) {
    const word = wordBefore(text, end);
    return word !== '' && REGEX_AFTER_KEYWORD.has(word);
  }
  if ((last === CH_PLUS || last === CH_MINUS) && text.charCodeAt(end - 2) === last) {
    // `a++ / b` divides; `x = ++/re/.lastIndex` is not worth distinguishing.
    let i = end - 3;
    while (i >= 0 && isWhiteSpace(text.charCodeAt(i))) i--;
    const before = i >= 0 ? text.charCodeAt(i) : -1;
    return !(isNameCharacter(before) || before === CH_RPAREN || before === CH_RBRACKET);
  }
  return true;
}

/**
 * The token loop behind {@link skipParenthesized} and {@link scanTokens}. Scans from `start` with
 * the given bracket stack; stops when the stack becomes empty after a `)` (when
 * `stopWhenBalanced`), or at the end of text. Calls `onRequire` for each
 * `require(<string literal>)` not preceded by `.`.
 *
 * @returns the index after the closing `)` that balanced the stack, `-1` if the text ended or a
 * closing bracket did not match, or `text.length` when not stopping.
 */
function scanTokenLoop(
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
  const end = skipStringLiteral(text, i);
  if (text.charCodeAt(end - 1) !== q || end - i < 2) return null;
  const raw = text.slice(i + 1, end - 1);
  if (raw.includes('\\')) return null;
  const close = skipTrivia(text, end);
  if (text.charCodeAt(close) !== CH_RPAREN) return null;
  return raw;
}

/**
 * Skips the rest of a parenthesised token sequence: from just after its opening `(` (at
 * `start - 1`), the index after the matching `)`, or -1 when the text ends first or a closing
 * bracket does not match.
 */
export function skipParenthesized(text: string, start: number): number {
  return scanTokenLoop(text, start, [BRACKET_PAREN], true, null);
}

/** What {@link scanTokens} reports. */
export interface TokenVisitor {
  /** Each `require(<string literal>)` call not preceded by `.`, with the literal's value. */
  readonly onRequire?: (id: string) => void;
  /** Each `import` keyword followed by `(` (not preceded by `.`): the offsets of `import` and `(`. */
  readonly onImport?: (keyword: number, paren: number) => void;
}

/** Scans `text` from `start` to its end, telling `visitor` what it meets. */
export function scanTokens(text: string, start: number, visitor: TokenVisitor): void {
  scanTokenLoop(text, start, [], false, visitor.onRequire ?? null, visitor.onImport ?? null);
}
