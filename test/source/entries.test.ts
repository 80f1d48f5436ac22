/**
 * ImportEntries (16.2.2.2-3), ExportEntries (16.2.3.4-5) and the classification of
 * ParseModule (16.2.1.7.1 step 10). Expected values follow the spec's tables.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModuleSourceRecord } from '../../src/source/index.js';

function entries(text: string) {
  const r = createModuleSourceRecord(text);
  const spec = (m: { specifier: string } | null) => (m === null ? null : m.specifier);
  return {
    imports: r.importEntries.map((e) => [spec(e.moduleRequest), e.importName, e.localName]),
    local: r.localExportEntries.map((e) => [e.exportName, e.localName]),
    indirect: r.indirectExportEntries.map((e) => [e.exportName, spec(e.moduleRequest), e.importName]),
    star: r.starExportEntries.map((e) => spec(e.moduleRequest)),
  };
}

test('Table "Import Forms Mappings to ImportEntry Records"', () => {
  assert.deepEqual(entries('import v from "mod";').imports, [['mod', 'default', 'v']]);
  assert.deepEqual(entries('import * as ns from "mod";').imports, [['mod', null, 'ns']]);
  assert.deepEqual(entries('import {x} from "mod";').imports, [['mod', 'x', 'x']]);
  assert.deepEqual(entries('import {x as v} from "mod";').imports, [['mod', 'x', 'v']]);
  assert.deepEqual(entries('import "mod";').imports, []);
});

test('ImportEntries in source order, default before namespace or named', () => {
  assert.deepEqual(
    entries('import d, * as n from "a"; import e, { f, "g h" as g, default as i } from "b"; import {} from "c";')
      .imports,
    [
      ['a', 'default', 'd'],
      ['a', null, 'n'],
      ['b', 'default', 'e'],
      ['b', 'f', 'f'],
      ['b', 'g h', 'g'],
      ['b', 'default', 'i'],
    ],
  );
});

test('Table "Export Forms Mappings to ExportEntry Records" (classified)', () => {
  assert.deepEqual(entries('export var v;').local, [['v', 'v']]);
  assert.deepEqual(entries('export default function f() {}').local, [['default', 'f']]);
  assert.deepEqual(entries('export default function () {}').local, [['default', '*default*']]);
  assert.deepEqual(entries('export default 42;').local, [['default', '*default*']]);
  assert.deepEqual(entries('var x; export {x};').local, [['x', 'x']]);
  assert.deepEqual(entries('var v; export {v as x};').local, [['x', 'v']]);
  assert.deepEqual(entries('export {x} from "mod";').indirect, [['x', 'mod', 'x']]);
  assert.deepEqual(entries('export {v as x} from "mod";').indirect, [['x', 'mod', 'v']]);
  assert.deepEqual(entries('export * from "mod";').star, ['mod']);
  assert.deepEqual(entries('export * as ns from "mod";').indirect, [['ns', 'mod', null]]);
});

test('declarations export every BoundName', () => {
  const e = entries(
    'export let a, { b, c: [d], ...e } = {}; export const [f = 1, , ...g] = []; export function h() {} export ' +
      'class I {} export async function* j() {}',
  );
  assert.deepEqual(
    e.local.map(([name]) => name),
    ['a', 'b', 'd', 'e', 'f', 'g', 'h', 'I', 'j'],
  );
});

test('default class declarations and expressions', () => {
  assert.deepEqual(entries('export default class C {}').local, [['default', 'C']]);
  assert.deepEqual(entries('export default class {}').local, [['default', '*default*']]);
  assert.deepEqual(entries('export default (class C {});').local, [['default', '*default*']]);
  assert.deepEqual(entries('export default async function f() {}').local, [['default', 'f']]);
});

test('ParseModule 10.a.ii.3: re-export of an imported single name becomes indirect', () => {
  const e = entries('import { a as b } from "m"; import d from "n"; export { b, b as c, d };');
  assert.deepEqual(e.local, []);
  assert.deepEqual(e.indirect, [
    ['b', 'm', 'a'],
    ['c', 'm', 'a'],
    ['d', 'n', 'default'],
  ]);
});

test('ParseModule 10.a.ii.2 (tc39/ecma262#3715): a re-exported namespace import is `export * as`', () => {
  const e = entries('import * as ns from "m"; export { ns, ns as other };');
  assert.deepEqual(e.local, []);
  // [[ImportName]] ~namespace~ (~all~ before tc39/ecma262#3775) is null, as for `export * as ns from "m"`.
  assert.deepEqual(e.indirect, [
    ['ns', 'm', null],
    ['other', 'm', null],
  ]);
  assert.deepEqual(entries('export * as ns from "m";').indirect, [['ns', 'm', null]]);
  const r = createModuleSourceRecord('import * as ns from "m"; export { ns, ns as other };');
  // No local binding is exported, so the compiled code hands out no getter.
  assert.deepEqual(r.compiled.getterNames, []);
});

test('ParseModule 10.a.ii: a re-exported deferred namespace import keeps its ~defer~ request', () => {
  const r = createModuleSourceRecord('import defer * as ns from "m"; export { ns };');
  assert.deepEqual(r.localExportEntries, []);
  assert.deepEqual(
    r.indirectExportEntries.map((e) => [e.exportName, e.moduleRequest.specifier, e.moduleRequest.phase, e.importName]),
    [['ns', 'm', 'defer', null]],
  );
});

test('string export names', () => {
  const e = entries(
    'var x; export { x as "a b" }; export { "c d" as "e f", g as "h" } from "m"; export * as "i j" from "m";',
  );
  assert.deepEqual(e.local, [['a b', 'x']]);
  assert.deepEqual(e.indirect, [
    ['e f', 'm', 'c d'],
    ['h', 'm', 'g'],
    ['i j', 'm', null],
  ]);
});

test('export order is source order across forms; getterNames are unique local names', () => {
  const r = createModuleSourceRecord('export { a as z }; var a; export let b; export default 1; export { a, b as y };');
  assert.deepEqual(
    r.localExportEntries.map((e) => [e.exportName, e.localName]),
    [
      ['z', 'a'],
      ['b', 'b'],
      ['default', '*default*'],
      ['a', 'a'],
      ['y', 'b'],
    ],
  );
  assert.deepEqual(r.compiled.getterNames, ['a', 'b', '*default*']);
});

test('importNames are ImportedLocalNames in ImportEntries order', () => {
  const r = createModuleSourceRecord('import b, { c as d } from "m"; import * as e from "n"; import "o";');
  assert.deepEqual(r.compiled.importNames, ['b', 'd', 'e']);
});

test('escaped identifiers use their StringValue', () => {
  const e = entries('import { \\u0061 as \\u0062 } from "m"; export { \\u0062 as \\u{63} };');
  assert.deepEqual(e.imports, [['m', 'a', 'b']]);
  assert.deepEqual(e.indirect, [['c', 'm', 'a']]);
});
