/**
 * Small scanners over the original text between AST nodes (the AST has no token positions):
 * skipping whitespace and comments, finding line terminators to keep lines aligned.
 */

/** True for ECMA-262 LineTerminator code units (LF, CR, LS, PS). */
export function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

function isWhiteSpace(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || (c >= 0x1680 && isUnicodeSpace(c))
  );
}

const UNICODE_SPACE = /\p{Zs}/u;
function isUnicodeSpace(c: number): boolean {
  return UNICODE_SPACE.test(String.fromCharCode(c));
}

/**
 * Offset of the first token at or after `pos`, skipping whitespace, line terminators and
 * comments. Only used between tokens of a parsed module, so comments are well formed.
 */
export function skipTrivia(text: string, pos: number): number {
  const length = text.length;
  while (pos < length) {
    const c = text.charCodeAt(pos);
    if (isWhiteSpace(c) || isLineTerminator(c)) {
      pos++;
    } else if (c === 47 /* / */) {
      const next = text.charCodeAt(pos + 1);
      if (next === 47) {
        pos += 2;
        while (pos < length && !isLineTerminator(text.charCodeAt(pos))) pos++;
      } else if (next === 42 /* * */) {
        const close = text.indexOf('*/', pos + 2);
        pos = close < 0 ? length : close + 2;
      } else {
        return pos;
      }
    } else {
      return pos;
    }
  }
  return pos;
}

/** True when [start, end) contains a line terminator (also one inside a comment). */
export function hasLineTerminator(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (isLineTerminator(text.charCodeAt(i))) return true;
  return false;
}

/** The line terminators of [start, end), in order ("\r\n" kept as is), so that lines stay aligned. */
export function lineTerminatorsOf(text: string, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isLineTerminator(c)) out += text[i];
  }
  return out;
}

/**
 * [start, end) with every code unit but line terminators turned into a space: removing code this
 * way keeps both the lines and the columns of whatever follows.
 */
export function blankOut(text: string, start: number, end: number): string {
  let out = '';
  let run = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isLineTerminator(c)) {
      if (run > 0) out += ' '.repeat(run);
      run = 0;
      out += text[i];
    } else {
      run++;
    }
  }
  if (run > 0) out += ' '.repeat(run);
  return out;
}
