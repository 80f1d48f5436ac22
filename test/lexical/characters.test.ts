/**
 * The one definition of WhiteSpace and LineTerminator (ECMA-262 12.2, 12.3) that every scanner
 * uses, checked against the engine: its RegExp `\s` is exactly WhiteSpace ∪ LineTerminator, and a
 * WhiteSpace code unit separates tokens where a LineTerminator ends a single-line comment.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLineTerminator, isNameCharacter, isWhiteSpace } from '../../src/lexical/characters.js';

/** Every UTF-16 code unit. */
function* codeUnits(): Generator<number> {
  for (let c = 0; c <= 0xffff; c++) yield c;
}

describe('lexical characters', () => {
  it('WhiteSpace ∪ LineTerminator is the engine’s \\s, code unit by code unit, and the two are disjoint', () => {
    const engineSpace = /^\s$/;
    const mismatches: string[] = [];
    for (const c of codeUnits()) {
      const ours = isWhiteSpace(c) || isLineTerminator(c);
      if (ours !== engineSpace.test(String.fromCharCode(c))) mismatches.push(c.toString(16));
      if (isWhiteSpace(c) && isLineTerminator(c)) mismatches.push(`both ${c.toString(16)}`);
    }
    assert.deepEqual(mismatches, []);
  });

  it('LineTerminator is LF, CR, LS and PS only', () => {
    const terminators = [...codeUnits()].filter(isLineTerminator);
    assert.deepEqual(terminators, [0x0a, 0x0d, 0x2028, 0x2029]);
  });

  it('WhiteSpace holds TAB, VT, FF, ZWNBSP and every Zs code point (U+1680, U+2000–U+200A, U+3000 …)', () => {
    for (const c of [0x09, 0x0b, 0x0c, 0x20, 0xa0, 0xfeff, 0x1680, 0x2000, 0x200a, 0x202f, 0x205f, 0x3000]) {
      assert.equal(isWhiteSpace(c), true, c.toString(16));
    }
    // Not WhiteSpace: NEL (a control character), ZWSP (Cf), the Mongolian vowel separator (Cf since Unicode 6.3).
    for (const c of [0x85, 0x200b, 0x180e, 0x0a, 0x0d]) assert.equal(isWhiteSpace(c), false, c.toString(16));
  });

  it('the engine agrees that each WhiteSpace code unit separates two tokens', () => {
    for (const c of codeUnits()) {
      if (!isWhiteSpace(c)) continue;
      const separator = String.fromCharCode(c);
      // `1<ws>+<ws>2` is 3 only if both are token separators (a name character would be a SyntaxError).
      assert.equal(new Function(`return 1${separator}+${separator}2`)(), 3, c.toString(16));
    }
  });

  it('name characters: ASCII word characters, $, \\ and non-ASCII that separates nothing', () => {
    for (const ch of ['a', 'Z', '0', '_', '$', '\\', 'é', '中'])
      assert.equal(isNameCharacter(ch.charCodeAt(0)), true, ch);
    for (const ch of [' ', '\u00a0', '\u2028', '\ufeff', '(', '.', '-', '/']) {
      assert.equal(isNameCharacter(ch.charCodeAt(0)), false, ch);
    }
  });
});
