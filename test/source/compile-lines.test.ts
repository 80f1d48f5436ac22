/**
 * Line numbers in stack traces of compiled code equal V8's for the same module text (columns too,
 * except on line 1, where the header shifts them, and after a rewrite on the same line).
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAIN_URL, runModhost, runV8 } from './harness.js';

const DEP = { dep: 'export const c = 1; export default function () {}' };

/** Every `file:///main:line:column` of every string export, in export order. */
function positions(exports: Record<string, unknown>): [number, number][] {
  const out: [number, number][] = [];
  const pattern = new RegExp(`${MAIN_URL}:(\\d+):(\\d+)`, 'g');
  for (const key of Object.keys(exports).sort()) {
    const value = exports[key];
    if (typeof value !== 'string') continue;
    for (const match of value.matchAll(pattern)) out.push([Number(match[1]), Number(match[2])]);
  }
  return out;
}

async function compare(text: string, columnsToo = true): Promise<void> {
  const ours = await runModhost(text, DEP);
  const v8 = await runV8(text, DEP);
  assert.equal(ours.error, undefined);
  assert.equal(v8.error, undefined);
  const expected = positions(v8.exports);
  const actual = positions(ours.exports);
  assert.ok(expected.length > 0, 'the oracle produced positions');
  assert.deepEqual(
    actual.map(([line]) => line),
    expected.map(([line]) => line),
    'lines',
  );
  if (columnsToo) {
    const skipLine1 = (list: [number, number][]) => list.filter(([line]) => line > 1);
    assert.deepEqual(skipLine1(actual), skipLine1(expected), 'columns');
  }
}

test('after multi-line imports, exports and defaults', async () => {
  await compare(
    [
      'import {',
      '  c',
      '} from "dep";',
      'import d,',
      '  * as ns from "dep";',
      'export const s1 = new Error().stack;',
      'export {',
      '  c as cc',
      '};',
      'function f() {',
      '  return new Error().stack;',
      '}',
      'export const s2 = f();',
      'export const s3 = (() => new Error().stack)();',
      'export let s4; { class K { static { s4 = new Error().stack; } } }',
    ].join('\n'),
  );
});

test('inside an export default expression split over lines', async () => {
  await compare(
    ['const x = 1;', 'export default', '  { s: new Error().stack };', 'export const s = new Error().stack;']
      .join('\n')
      .replace('export default\n  { s', 'export default (\n  { s')
      .replace('.stack };', '.stack });'),
    false,
  );
});

test('after anonymous default function and class declarations', async () => {
  await compare(['export default function', '(a,', ' b) {}', 'export const s = new Error().stack;'].join('\n'));
  await compare(
    ['export default class', '{', '  static s = new Error().stack;', '}', 'export const s = new Error().stack;'].join(
      '\n',
    ),
  );
});

test('with CR LF line ends and line separators in strings and comments', async () => {
  await compare('const a = 1;\r\nexport const s1 = new Error().stack;\r\n\r\nexport const s2 = new Error().stack;\r\n');
  await compare('const a = "\u2028";\n/* \u2029 */\nexport const s = new Error().stack;\n');
});

test('after top-level await and inside and after a top-level for await', async () => {
  await compare(
    [
      'await null;',
      'export const s1 = new Error().stack;',
      'export let s2;',
      'for await (const x of',
      '  [1]) {',
      '  s2 = new Error().stack;',
      '}',
      'export const s3 = new Error().stack;',
    ].join('\n'),
    false,
  );
});

test('after removed import/export lines, columns of the rest of the line are kept', async () => {
  await compare(
    [
      'import { c } from "dep"; export const s1 = new Error().stack;',
      'export { c as x } from "dep"; export const s2 = new Error().stack;',
      'export let s3 = new Error().stack;',
    ].join('\n'),
  );
});

test('on line 1, the line is right', async () => {
  await compare('export const s = new Error().stack;');
});
