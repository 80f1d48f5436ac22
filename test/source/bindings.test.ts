/** `bindings` (proposal layer 1 reflection), as documented on ModuleBinding in src/source/types.ts. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModuleSourceRecord } from '../../src/source/index.js';

const bindings = (text: string) =>
  createModuleSourceRecord(text).bindings.map((b) => ({ ...b, ...(b.with ? { with: { ...b.with } } : {}) }));

test('import forms', () => {
  assert.deepEqual(bindings('import d from "m";'), [{ import: 'default', as: 'd', from: 'm' }]);
  assert.deepEqual(bindings('import { x } from "m";'), [{ import: 'x', from: 'm' }]);
  assert.deepEqual(bindings('import { x as y, "a b" as c } from "m";'), [
    { import: 'x', as: 'y', from: 'm' },
    { import: 'a b', as: 'c', from: 'm' },
  ]);
  assert.deepEqual(bindings('import * as ns from "m";'), [{ importAllFrom: 'm', as: 'ns' }]);
  assert.deepEqual(bindings('import d, * as ns from "m";'), [
    { import: 'default', as: 'd', from: 'm' },
    { importAllFrom: 'm', as: 'ns' },
  ]);
  assert.deepEqual(bindings('import "m";'), [{ importFrom: 'm' }]);
  assert.deepEqual(bindings('import {} from "m";'), [{ importFrom: 'm' }]);
});

test('local export forms', () => {
  assert.deepEqual(bindings('var x; export { x as y };'), [{ export: 'x', as: 'y' }]);
  assert.deepEqual(bindings('export let x;'), [{ export: 'x' }]);
  assert.deepEqual(bindings('export const { a, b: [c] } = {};'), [{ export: 'a' }, { export: 'c' }]);
  assert.deepEqual(bindings('export function f() {} export class C {}'), [{ export: 'f' }, { export: 'C' }]);
  assert.deepEqual(bindings('export default 1 + 1;'), [{ export: 'default' }]);
  assert.deepEqual(bindings('export default function () {}'), [{ export: 'default' }]);
  assert.deepEqual(bindings('export default class {}'), [{ export: 'default' }]);
  assert.deepEqual(bindings('export default function f() {}'), [{ export: 'f', as: 'default' }]);
  assert.deepEqual(bindings('export default class C {}'), [{ export: 'C', as: 'default' }]);
  assert.deepEqual(bindings('var x; export { x as "a b" };'), [{ export: 'x', as: 'a b' }]);
});

test('re-export forms', () => {
  assert.deepEqual(bindings('export { x as y } from "m";'), [{ export: 'x', as: 'y', from: 'm' }]);
  assert.deepEqual(bindings('export { x } from "m";'), [{ export: 'x', from: 'm' }]);
  assert.deepEqual(bindings('export * from "m";'), [{ exportAllFrom: 'm' }]);
  assert.deepEqual(bindings('export * as ns from "m";'), [{ exportAllFrom: 'm', as: 'ns' }]);
  assert.deepEqual(bindings('export {} from "m";'), [{ importFrom: 'm' }]);
});

test('with: the attributes of the request, on entries that have a from', () => {
  assert.deepEqual(bindings('import d from "m" with { type: "json" };'), [
    { import: 'default', as: 'd', from: 'm', with: { type: 'json' } },
  ]);
  assert.deepEqual(bindings('import * as n from "m" with { type: "json" };'), [
    { importAllFrom: 'm', as: 'n', with: { type: 'json' } },
  ]);
  assert.deepEqual(bindings('export * from "m" with { b: "2", a: "1" };'), [
    { exportAllFrom: 'm', with: { a: '1', b: '2' } },
  ]);
  const attributes = createModuleSourceRecord('import "m" with { "__proto__": "x", b: "y" };').bindings[0]!.with!;
  assert.equal(Object.getPrototypeOf(attributes), null);
  assert.deepEqual(Object.keys(attributes), ['__proto__', 'b']);
  // biome-ignore lint/suspicious/noProto: an attribute key spelt __proto__ is an own data property
  assert.equal(attributes.__proto__, 'x');
  assert.equal(createModuleSourceRecord('import "m";').bindings[0]!.with, undefined);
});

test('source order across declarations; statements contribute nothing', () => {
  assert.deepEqual(bindings('export let a; import b from "m"; const z = 1; export * from "n"; export { z };'), [
    { export: 'a' },
    { import: 'default', as: 'b', from: 'm' },
    { exportAllFrom: 'n' },
    { export: 'z' },
  ]);
});

test('frozen', () => {
  const r = createModuleSourceRecord('import d from "m" with { type: "json" };');
  assert.ok(Object.isFrozen(r.bindings));
  assert.ok(Object.isFrozen(r.bindings[0]));
  assert.ok(Object.isFrozen(r.bindings[0]!.with));
  assert.ok(Object.isFrozen(r));
  assert.ok(Object.isFrozen(r.compiled));
});
