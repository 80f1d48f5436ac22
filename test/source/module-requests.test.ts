/**
 * [[RequestedModules]]: ECMA-262 16.2.1.4 ModuleRequests, 16.2.1.3.1 ModuleRequestsEqual, 16.2.2.4
 * WithClauseToAttributes.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { createModuleSourceRecord } from '../../src/source/index.js';
import { moduleRequestsEqual } from '../../src/source/module-requests.js';

const requests = (text: string) =>
  createModuleSourceRecord(text).requestedModules.map((r) => ({
    specifier: r.specifier,
    attributes: r.attributes.map((a) => ({ ...a })),
  }));

test('source order over imports and export-from, statements in between do not count', () => {
  const text =
    'import "b"; let x = 1; export * from "a"; import y from "c"; export { z } from "d"; export * as w from "e"; ' +
    'import("f");';
  assert.deepEqual(
    requests(text).map((r) => r.specifier),
    ['b', 'a', 'c', 'd', 'e'],
  );
});

test('order agrees with V8 (vm.SourceTextModule dependencySpecifiers)', () => {
  const text =
    'export * from "x"; import "y"; import a from "x"; import b from "x" with { type: "json" }; export { c } from "z";';
  const oracle = new vm.SourceTextModule(text).dependencySpecifiers;
  assert.deepEqual(
    requests(text).map((r) => r.specifier),
    oracle,
  );
});

test('de-duplicated by ModuleRequestsEqual: same specifier and same attributes', () => {
  const list = requests('import "m"; import a from "m"; export * from "m"; export { b } from "m";');
  assert.deepEqual(list, [{ specifier: 'm', attributes: [] }]);
});

test('same specifier, different attributes: different requests; attribute order is irrelevant', () => {
  const list = requests(
    'import a from "m"; import b from "m" with { type: "json" }; import c from "m" with { type: "json", x: "1" }; ' +
      'import d from "m" with { x: "1", type: "json" }; import e from "m" with { type: "css" };',
  );
  assert.deepEqual(list, [
    { specifier: 'm', attributes: [] },
    { specifier: 'm', attributes: [{ key: 'type', value: 'json' }] },
    {
      specifier: 'm',
      attributes: [
        { key: 'type', value: 'json' },
        { key: 'x', value: '1' },
      ],
    },
    { specifier: 'm', attributes: [{ key: 'type', value: 'css' }] },
  ]);
});

test('attributes are sorted by key in UTF-16 code-unit order; string keys; StringValue of escapes', () => {
  const list = requests(
    'import "m" with { "b": "2", a: "1", "\\u{1F600}": "4", "\\uFFFF": "3", B: "0", "\\x41": "x" };',
  );
  // Code units: "A" 0x41 < "B" 0x42 < "a" < "b" < "\uD83D\uDE00" (0xD83D) < "\uFFFF".
  assert.deepEqual(
    list[0]!.attributes.map((a) => a.key),
    ['A', 'B', 'a', 'b', '\u{1F600}', '\uFFFF'],
  );
  assert.equal(list[0]!.attributes[0]!.value, 'x');
});

test('specifier is the SV of the string literal (escapes decoded, not normalised)', () => {
  assert.deepEqual(
    requests('import "\\u0041./x.js"; import "A./x.js"; import "./a/../b.js";').map((r) => r.specifier),
    ['A./x.js', './a/../b.js'],
  );
});

test('entries share the canonical request record', () => {
  const record = createModuleSourceRecord('import a from "m"; import { b } from "m"; export { c } from "m";');
  assert.equal(record.requestedModules.length, 1);
  assert.equal(record.importEntries[0]!.moduleRequest, record.requestedModules[0]);
  assert.equal(record.importEntries[1]!.moduleRequest, record.requestedModules[0]);
  assert.equal(record.indirectExportEntries[0]!.moduleRequest, record.requestedModules[0]);
});

test('an empty module and a module without imports request nothing', () => {
  assert.deepEqual(requests(''), []);
  assert.deepEqual(requests('export const x = import("y");'), []);
});

test('ModuleRequestsEqual (16.2.1.3.1)', () => {
  const r = (specifier: string, attributes: [string, string][]) => ({
    specifier,
    attributes: attributes.map(([key, value]) => ({ key, value })),
  });
  assert.equal(moduleRequestsEqual(r('a', []), r('a', [])), true);
  assert.equal(moduleRequestsEqual(r('a', []), r('b', [])), false);
  assert.equal(moduleRequestsEqual(r('a', [['t', 'j']]), r('a', [])), false);
  assert.equal(
    moduleRequestsEqual(
      r('a', [
        ['t', 'j'],
        ['x', 'y'],
      ]),
      r('a', [
        ['x', 'y'],
        ['t', 'j'],
      ]),
    ),
    true,
  );
  assert.equal(moduleRequestsEqual(r('a', [['t', 'j']]), r('a', [['t', 'k']])), false);
  assert.equal(moduleRequestsEqual(r('a', [['t', 'j']]), r('a', [['u', 'j']])), false);
});

test('records are frozen', () => {
  const record = createModuleSourceRecord('import "m" with { type: "json" };');
  assert.ok(Object.isFrozen(record.requestedModules));
  assert.ok(Object.isFrozen(record.requestedModules[0]));
  assert.ok(Object.isFrozen(record.requestedModules[0]!.attributes));
  assert.ok(Object.isFrozen(record.requestedModules[0]!.attributes[0]));
});
