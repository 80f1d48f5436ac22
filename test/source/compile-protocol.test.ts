/** The compiled module protocol (ARCHITECTURE.md, CompiledModule in src/source/types.ts). */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstantiationResult } from '../../src/source/index.js';
import { createModuleSourceRecord } from '../../src/source/index.js';
import { fakeRuntime, generatorOf, logged } from './harness.js';

function start(text: string, url?: string) {
  const record = createModuleSourceRecord(text, url === undefined ? undefined : { url });
  let bound: readonly (() => unknown)[] = [];
  const gen = generatorOf(record)(fakeRuntime(() => bound));
  logged.length = 0;
  const first = gen.next();
  const init = first.value as InstantiationResult;
  return {
    record,
    gen,
    init,
    first,
    link(fns: readonly (() => unknown)[]) {
      bound = fns;
      init.setImports(fns);
    },
    get: (name: string) => init.getters[record.compiled.getterNames.indexOf(name)]!(),
  };
}

test('shape: strict generator, header on line 1, sourceURL last', () => {
  const text = 'export let a = 1;\nexport default 2;\n';
  const { code } = createModuleSourceRecord(text, { url: 'file:///p.js' }).compiled;
  assert.match(code, /^"use strict";\(function\*\(\$mh\)\{/);
  // Then the position map (source/positions.ts), a comment to the end.
  assert.match(code, /\n\}\)\n\/\/# sourceURL=file:\/\/\/p\.js\n\/\/# modhostPositions=[^\n]*$/);
  assert.equal(code.split('\n').length, text.split('\n').length + 3);
  // biome-ignore lint/security/noGlobalEval: an evaluator's job is to run code as a global script
  const G = (0, eval)(code) as Function;
  assert.equal(Object.prototype.toString.call(G), '[object GeneratorFunction]');
  const strict = start('log((function () { return this; })() === undefined);');
  strict.gen.next();
  assert.deepEqual(logged, [true], 'module code is strict');
});

test('nothing of the module runs before the first yield; it runs when resumed', () => {
  const m = start('log("body");');
  assert.equal(m.first.done, false);
  assert.deepEqual(logged, []);
  assert.equal(m.gen.next().done, true);
  assert.deepEqual(logged, ['body']);
});

test('the first yield: getters in getterNames order, hoisting and TDZ before evaluation', () => {
  const m = start(
    'export let l = 1; export var v = 2; export function f() {} export default class {} export { l as l2 };',
  );
  assert.deepEqual(m.record.compiled.getterNames, ['l', 'v', 'f', '*default*']);
  assert.equal(m.init.getters.length, 4);
  assert.throws(() => m.get('l'), ReferenceError);
  assert.equal(m.get('v'), undefined);
  assert.equal(typeof m.get('f'), 'function');
  assert.throws(() => m.get('*default*'), ReferenceError);
  m.gen.next();
  assert.equal(m.get('l'), 1);
  assert.equal(m.get('v'), 2);
  assert.equal((m.get('*default*') as Function).name, 'default');
});

test('anonymous default function is named "default" before the body runs', () => {
  const m = start('export default function () {}');
  assert.equal((m.get('*default*') as Function).name, 'default');
});

test('setImports: bindings in importNames order, replaceable, read live', () => {
  const m = start('import a, { b } from "m"; import * as ns from "n"; export const read = () => [a, b, ns];');
  assert.deepEqual(m.record.compiled.importNames, ['a', 'b', 'ns']);
  let b = 'b1';
  m.link([() => 'a', () => b, () => 'ns']);
  m.gen.next();
  const read = m.get('read') as () => unknown[];
  assert.deepEqual(read(), ['a', 'b1', 'ns']);
  b = 'b2';
  assert.deepEqual(read(), ['a', 'b2', 'ns']);
  m.init.setImports([() => 'A', () => 'B', () => 'NS']);
  assert.deepEqual(read(), ['A', 'B', 'NS']);
});

test('an import read before setImports is a ReferenceError that says so', () => {
  const m = start('import { x } from "m"; x;');
  assert.throws(
    () => m.gen.next(),
    (error: unknown) =>
      error instanceof ReferenceError &&
      (error as { code?: string }).code === 'ERR_MODHOST_TDZ' &&
      /linked/.test((error as Error).message),
  );
});

test('a re-exported import is read through the import binding, not a getter of its own', () => {
  // `import * as ns; export { ns }` is an indirect export (tc39/ecma262#3715): importers resolve it
  // to the namespace itself; the module still has its own `ns` import binding.
  const m = start('import * as ns from "m"; export { ns }; export function seen() { return ns; }');
  const namespace = {};
  m.link([() => namespace]);
  assert.equal((m.get('seen') as () => unknown)(), namespace);
});

test('each call of the generator function is a separate module instance', () => {
  const record = createModuleSourceRecord('export let n = 0; export function inc() { n++; }');
  const G = generatorOf(record);
  const one = G(fakeRuntime(() => []));
  const two = G(fakeRuntime(() => []));
  const a = one.next().value as InstantiationResult;
  const b = two.next().value as InstantiationResult;
  one.next();
  two.next();
  (a.getters[1]!() as () => void)();
  assert.equal(a.getters[0]!(), 1);
  assert.equal(b.getters[0]!(), 0);
});

test('the url cannot inject code through the sourceURL comment', () => {
  const url = 'file:///a b\n;log("injected")\u2028;log("again")\r\n';
  const m = start('log("module");', url);
  m.gen.next();
  assert.deepEqual(logged, ['module']);
  const last = m.record.compiled.code.split('\n').at(-2)!;
  assert.equal(last, '//# sourceURL=file:///a%20b%0A;log("injected")%E2%80%A8;log("again")%0D%0A');
});

test('a hashbang line is kept as a comment', () => {
  const m = start('#!/usr/bin/env node\nlog("ran");');
  m.gen.next();
  assert.deepEqual(logged, ['ran']);
  assert.equal(m.record.compiled.code.split('\n').length, 5);
});

test('default url is a generated modhost:source/N name', () => {
  const a = createModuleSourceRecord('').url;
  const b = createModuleSourceRecord('').url;
  assert.match(a, /^modhost:source\/\d+$/);
  assert.notEqual(a, b);
  assert.equal(createModuleSourceRecord('', { url: 'x:y' }).url, 'x:y');
});

test('source lines stay on their line (edits keep line breaks)', () => {
  const text = [
    'import {',
    '  a,',
    '  b as c',
    '} from "m";',
    'export default class',
    '{',
    '}',
    'export',
    'default',
    '(function () {});',
  ].join('\n');
  assert.throws(() => createModuleSourceRecord(text), SyntaxError, 'two defaults');
  const ok = text.replace('export default class', 'export class K');
  const lines = createModuleSourceRecord(ok).compiled.code.split('\n');
  const source = ok.split('\n');
  assert.equal(lines.length, source.length + 3);
  assert.equal(lines[5], '{');
  assert.equal(lines[6], '}');
});
