/**
 * Trivia: white space, line terminators, comments and a leading hashbang, skipped or kept between
 * tokens without a parser (the AST has no token positions, and CommonJS text is never parsed).
 */
import { isLineTerminator, isWhiteSpace } from './characters.js';

/**
 * Offset of the first token at or after `pos`, skipping white space, line terminators and
 * comments (an unterminated block comment runs to the end of the text).
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

/** @returns the index after a leading hashbang line (`#!…`), or 0. */
export function hashbangEnd(text: string): number {
  if (text.charCodeAt(0) !== 35 /* # */ || text.charCodeAt(1) !== 33 /* ! */) return 0;
  let i = 2;
  while (i < text.length && !isLineTerminator(text.charCodeAt(i))) i++;
  return i;
}
