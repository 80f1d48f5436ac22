/**
 * [[HasTLA]] = the body Contains `await` (ECMA-262 16.2.1.7.1 step 11): AwaitExpressions and
 * `for await` outside functions, including class heritage and computed keys (Contains looks
 * into those) but not into function bodies, methods, field initializers or static blocks.
 *
 * Oracle: V8 evaluates a module with [[HasTLA]] asynchronously even when no `await` runs, so an
 * importer evaluated after it runs after an already queued promise job; without, it runs first.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { createModuleSourceRecord } from '../../src/source/index.js';

const WITH_TLA = [
  'await 1;',
  'await\n1;',
  'if (0) { await 1; }',
  'for await (const x of []);',
  'if (0) for await (const x of []);',
  'label: for await (x of []);',
  'class C { [await 1]() {} }',
  'class C extends (await Object) {}',
  '({ [await 1]: 1 });',
  'const o = { m: await 1 };',
  'try {} finally { await 1; }',
  'switch (await 1) {}',
  'export default await 1;',
  'export const a = await 1;',
  'var x = `${await 1}`;',
  'new (class { static [await "k"] = 1 })();',
  '(await 0) ? 1 : 2;',
  'const f = (a = 1) => a; f(await 1);',
];

const WITHOUT_TLA = [
  '1;',
  'async function f() { await 1; }',
  'const f = async () => await 1;',
  'const g = async function () { for await (const x of []); };',
  '({ async m() { await 1; } });',
  'class C { async m() { await 1; } static async s() { for await (const a of []); } }',
  'class C { static { } }',
  'async function* g() { for await (const a of []); yield await 1; }',
  'export default async function () { await 1; }',
  'const s = "await 1";',
  '// await 1\n/* await 1 */',
  'const o = { await: 1 }; o.await;',
  'class C { f = async () => await 1; }',
];

async function evaluatesAsynchronously(text: string): Promise<boolean> {
  const out: string[] = [];
  (globalThis as Record<string, unknown>).tlaLog = (x: string) => out.push(x);
  const modules: Record<string, string> = { pre: 'Promise.resolve().then(() => tlaLog("tick"));', a: text };
  const main = new vm.SourceTextModule('import "pre"; import "a"; tlaLog("main");');
  await main.link(async (specifier: string) => new vm.SourceTextModule(modules[specifier]!));
  await main.evaluate();
  return out[0] === 'tick';
}

for (const text of WITH_TLA) {
  test(`HasTLA: ${JSON.stringify(text)}`, async () => {
    assert.equal(await evaluatesAsynchronously(text), true, 'V8 treats it as async');
    assert.equal(createModuleSourceRecord(text).hasTLA, true);
  });
}

for (const text of WITHOUT_TLA) {
  test(`no HasTLA: ${JSON.stringify(text)}`, async () => {
    assert.equal(await evaluatesAsynchronously(text), false, 'V8 treats it as sync');
    assert.equal(createModuleSourceRecord(text).hasTLA, false);
  });
}

test('needsImport / needsImportMeta: anywhere in the module, also inside functions', () => {
  const flags = (text: string) => {
    const r = createModuleSourceRecord(text);
    return [r.needsImport, r.needsImportMeta];
  };
  assert.deepEqual(flags('1;'), [false, false]);
  assert.deepEqual(flags('function f() { return import("x"); }'), [true, false]);
  assert.deepEqual(flags('class C { m() { return import.meta.url; } }'), [false, true]);
  assert.deepEqual(flags('import("a", { with: {} }); import.meta;'), [true, true]);
  assert.deepEqual(flags('const s = "import(x) import.meta"; // import.meta'), [false, false]);
  assert.deepEqual(flags('import "m"; export * from "n";'), [false, false]);
});
