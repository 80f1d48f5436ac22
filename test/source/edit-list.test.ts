/** The edit list (slice/join application of sorted edits). */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EditList } from '../../src/source/edit-list.js';

test('replacements and insertions apply in source order, whatever the creation order', () => {
  const edits = new EditList();
  edits.replace(6, 11, 'there');
  edits.insert(0, '>');
  edits.replace(0, 5, 'HELLO');
  edits.insert(11, '!');
  assert.equal(edits.apply('hello world'), '>HELLO there!');
});

test('insertions at one offset keep their creation order and come before a replacement starting there', () => {
  const edits = new EditList();
  edits.replace(2, 3, 'C');
  edits.insert(2, '1');
  edits.insert(2, '2');
  assert.equal(edits.apply('abcd'), 'ab12Cd');
});

test('a composite drops the edits inside it and renders moved ranges with their edits', () => {
  const text = 'for (HEAD of EXPR) BODY';
  const edits = new EditList();
  edits.replace(5, 9, 'head'); // inside the moved range
  edits.replace(13, 17, 'expr'); // stays in place
  edits.composite(0, 13, ['{pre(']);
  edits.composite(17, 19, [')', { start: 5, end: 9 }, '=x;']);
  edits.insert(23, '}');
  assert.equal(edits.apply(text), '{pre(expr)head=x;BODY}');
});

test('no edits: the text itself', () => {
  assert.equal(new EditList().apply('x'), 'x');
});
