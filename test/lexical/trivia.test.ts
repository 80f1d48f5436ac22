/** Trivia between tokens: white space, line terminators, comments and a hashbang. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankOut, hashbangEnd, hasLineTerminator, lineTerminatorsOf, skipTrivia } from '../../src/lexical/trivia.js';

test('skipTrivia skips whitespace, line terminators and both comment forms', () => {
  const text = 'a /* x */ // y\n\u2028 \t b';
  assert.equal(skipTrivia(text, 1), text.indexOf('b'));
  assert.equal(skipTrivia('a / b', 1), 2, 'a division is not a comment');
});

test('skipTrivia: Unicode space separators and U+FEFF are white space; an open block comment ends the text', () => {
  const text = 'a\u3000\u1680\ufeff\u2003/* */b';
  assert.equal(skipTrivia(text, 1), text.indexOf('b'));
  assert.equal(skipTrivia('a /* open', 1), 'a /* open'.length);
  assert.equal(skipTrivia('a // to the end', 1), 'a // to the end'.length);
  // A line comment ends at any LineTerminator, LS and PS included.
  assert.equal(skipTrivia('// c\u2029b', 0), 5);
});

test('line terminators are kept, other code units become spaces', () => {
  const text = 'ab\r\ncd\u2028e\u2029f\ng';
  assert.equal(blankOut(text, 0, text.length), '  \r\n  \u2028 \u2029 \n ');
  assert.equal(lineTerminatorsOf(text, 0, text.length), '\r\n\u2028\u2029\n');
  assert.equal(hasLineTerminator(text, 0, 2), false);
  assert.equal(hasLineTerminator(text, 0, 3), true);
});

test('hashbangEnd: the end of a leading #! line (any LineTerminator ends it), else 0', () => {
  assert.equal(hashbangEnd('#!/usr/bin/env node\nx'), 19);
  assert.equal(hashbangEnd('#!node\u2028x'), 6);
  assert.equal(hashbangEnd('#!only'), 6);
  assert.equal(hashbangEnd(' #!x'), 0);
  assert.equal(hashbangEnd('x'), 0);
});
