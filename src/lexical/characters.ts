/**
 * The one definition of the characters that separate tokens, for every scanner in modhost:
 * ECMA-262 12.2 WhiteSpace (https://tc39.es/ecma262/#sec-white-space) and 12.3 LineTerminator
 * (https://tc39.es/ecma262/#sec-line-terminators), on UTF-16 code units.
 */

/** U+2028 LINE SEPARATOR. */
export const LS = 0x2028;
/** U+2029 PARAGRAPH SEPARATOR. */
export const PS = 0x2029;

/** LineTerminator: LF, CR, LS, PS. */
export function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === LS || c === PS;
}

/** The general category Zs ("space separator"), per the engine's Unicode data. */
const SPACE_SEPARATOR = /\p{Zs}/u;

/**
 * WhiteSpace: TAB, VT, FF, ZWNBSP (U+FEFF) and every code point of category Zs (which holds SP
 * and NBSP, the only ones below U+1680).
 */
export function isWhiteSpace(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 11 ||
    c === 12 ||
    c === 0xa0 ||
    c === 0xfeff ||
    (c >= 0x1680 && SPACE_SEPARATOR.test(String.fromCharCode(c)))
  );
}

/**
 * Characters a scanner without a parser counts as part of a name: ASCII letters, digits, `_`,
 * `$`, `\` (the start of an escape) and every non-ASCII character that is neither WhiteSpace nor
 * a LineTerminator. A superset of IdentifierPart, which is all a token-level scanner needs to find
 * where a word ends.
 */
export function isNameCharacter(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 36 ||
    c === 92 ||
    (c > 0x7f && !isWhiteSpace(c) && c !== LS && c !== PS)
  );
}
