/**
 * Lines of code are at most 120 characters, the formatter's line width (biome.json). The formatter
 * wraps code but not comments or string literals, so this test covers what it leaves long.
 *
 * The one exception: a line may run over to hold a URL whole (a URL cannot be wrapped), as long
 * as the line without its URLs fits.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeFiles } from './code-files.js';

const MAX_LENGTH = 120;
const URLS = /\bhttps?:\/\/\S+/g;

/** Characters as a reader counts them (code points, not UTF-16 code units). */
function lengthOf(line: string): number {
  let length = 0;
  for (const _ of line) length++;
  return length;
}

/** Why `line` may not stay as it is, or `undefined` when it may. */
function lineLengthProblem(line: string): string | undefined {
  const length = lengthOf(line);
  if (length <= MAX_LENGTH) return undefined;
  if (lengthOf(line.replace(URLS, '')) <= MAX_LENGTH) return undefined;
  return `${length} characters`;
}

describe('house rules: line length', () => {
  it(`no line of code is longer than ${MAX_LENGTH} characters (but for the URL it holds)`, () => {
    const long: string[] = [];
    for (const file of codeFiles()) {
      const lines = file.text.split(/\r\n|\r|\n/);
      for (let i = 0; i < lines.length; i++) {
        const problem = lineLengthProblem(lines[i] ?? '');
        if (problem !== undefined) long.push(`${file.path}:${i + 1}: ${problem}`);
      }
    }
    assert.deepEqual(long, []);
  });

  it('the rule: 120 characters, counted in code points; a URL may make a line longer, nothing else', () => {
    assert.equal(lineLengthProblem('x'.repeat(120)), undefined);
    assert.equal(lineLengthProblem('x'.repeat(121)), '121 characters');
    assert.equal(lineLengthProblem('é'.repeat(120)), undefined, 'one character each, whatever its UTF-8 size');
    assert.equal(lineLengthProblem('😀'.repeat(120)), undefined, 'one code point, two UTF-16 code units');
    const url = `https://tc39.es/ecma262/#sec-${'x'.repeat(120)}`;
    assert.equal(lineLengthProblem(` * See ${url}.`), undefined);
    assert.equal(lineLengthProblem(`${'y'.repeat(119)} ${url}`), undefined);
    assert.equal(lineLengthProblem(`${'y'.repeat(121)} ${url}`), `${121 + 1 + url.length} characters`);
  });
});
