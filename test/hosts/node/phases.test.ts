/**
 * Issue 8 in the Node host: WebAssembly modules (source phase and evaluation), JSON and text
 * modules through import attributes, and the failures the proposals require (a source phase import
 * of a module without a source is a SyntaxError; an unsupported attribute is a typed error).
 * Expected values follow the proposals' spec texts; V8 in Node 20 has none of this syntax.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createNodeHost } from '../../../src/hosts/node/host.js';

/**
 * (module (import "./env.js" "get" (func (result i32)))
 *   (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add call 0 i32.add))
 */
const WASM_ADD = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0b, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00,
  0x01, 0x7f, 0x02, 0x10, 0x01, 0x08, 0x2e, 0x2f, 0x65, 0x6e, 0x76, 0x2e, 0x6a, 0x73, 0x03, 0x67, 0x65, 0x74, 0x00,
  0x01, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x01, 0x0a, 0x0c, 0x01, 0x0a, 0x00,
  0x20, 0x00, 0x20, 0x01, 0x6a, 0x10, 0x00, 0x6a, 0x0b,
]);

function project(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-phases-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return pathToFileURL(`${dir}/`).href;
}

test('import source of a .wasm file binds its WebAssembly.Module without loading its imports', async () => {
  const base = project({
    'add.wasm': WASM_ADD,
    'env.js': 'globalThis.__envLoaded = true; export function get() { return 100; }',
    'main.js':
      "import source mod from './add.wasm'; export { mod }; export const exportsOf = " +
      'WebAssembly.Module.exports(mod).map((e) => e.name);',
  });
  delete (globalThis as { __envLoaded?: boolean }).__envLoaded;
  const host = createNodeHost();
  const ns = await host.import('./main.js', base);
  assert.ok(
    ns.mod instanceof (globalThis as unknown as { WebAssembly: { Module: new () => object } }).WebAssembly.Module,
  );
  assert.deepEqual(ns.exportsOf, ['add']);
  // ~single~ load: the wasm module's own import ('./env.js') was neither loaded nor evaluated.
  assert.equal((globalThis as { __envLoaded?: boolean }).__envLoaded, undefined);
});

test('importing a .wasm file instantiates it with its JavaScript imports (evaluation phase)', async () => {
  const base = project({
    'add.wasm': WASM_ADD,
    'env.js': 'export function get() { return 100; }',
    'main.js': "import { add } from './add.wasm'; export const sum = add(1, 2);",
  });
  const ns = await createNodeHost().import('./main.js', base);
  assert.equal(ns.sum, 103);
});

test('the source phase and the evaluation phase of one URL share one module (one WebAssembly.Module)', async () => {
  const base = project({
    'add.wasm': WASM_ADD,
    'env.js': 'export function get() { return 0; }',
    'main.js':
      "import source a from './add.wasm'; const b = await import.source('./add.wasm'); export const same = a === " +
      'b; export const viaImport = (await import(a)).add(2, 3);',
  });
  const ns = await createNodeHost().import('./main.js', base);
  assert.equal(ns.same, true);
  // ESM phase imports: import(source) imports the host's canonical instance.
  assert.equal(ns.viaImport, 5);
});

test('a source phase import of a module without a source (built-in, JSON) is a SyntaxError', async () => {
  const base = project({
    'data.json': '{"a":1}',
    'builtin.js': "import source fs from 'node:fs'; export { fs };",
    'json.js': "import source j from './data.json' with { type: 'json' }; export { j };",
    'dynamic.js': "export const p = import.source('node:path');",
  });
  const host = createNodeHost();
  for (const file of ['./builtin.js', './json.js']) {
    await assert.rejects(
      host.import(file, base),
      (error: Error & { code?: string }) =>
        error instanceof SyntaxError && error.code === 'ERR_MODHOST_NO_MODULE_SOURCE',
      file,
    );
  }
  const ns = await host.import('./dynamic.js', base);
  await assert.rejects(ns.p as Promise<unknown>, SyntaxError);
});

test('JSON and text modules through import attributes; attributes are part of the module key', async () => {
  const base = project({
    'data.json': '{"answer":42}',
    'notes.txt': 'hello\nworld',
    'main.js': [
      "import data from './data.json' with { type: 'json' };",
      "import text from './notes.txt' with { type: 'text' };",
      "import jsonText from './data.json' with { type: 'text' };",
      "import source textSource from './notes.txt' with { type: 'text' };",
      'export { data, text, jsonText };',
      'export const tag = Object.prototype.toString.call(textSource);',
    ].join('\n'),
  });
  const ns = await createNodeHost().import('./main.js', base);
  assert.deepEqual(ns.data, { answer: 42 });
  assert.equal(ns.text, 'hello\nworld');
  assert.equal(ns.jsonText, '{"answer":42}');
  assert.equal(ns.tag, '[object TextModuleSource]');
});

test('unsupported attribute keys and values fail with typed errors, statically and dynamically', async () => {
  const base = project({
    'data.json': '{}',
    'key.js': "import x from './data.json' with { type: 'json', integrity: 'sha384-x' };",
    'value.js': "import x from './data.json' with { type: 'css' };",
    'dynamic.js': "export const p = import('./data.json', { with: { lang: 'en' } });",
  });
  const host = createNodeHost();
  // 16.2.1.6.1.1.1 step 2.d.i: an unsupported key is a SyntaxError of the loading process.
  await assert.rejects(
    host.import('./key.js', base),
    (e: Error & { code?: string; attribute?: string }) =>
      e instanceof SyntaxError && e.code === 'ERR_MODHOST_UNSUPPORTED_ATTRIBUTE' && e.attribute === 'integrity',
  );
  // A supported key with a value the host does not know: the host's TypeError.
  await assert.rejects(
    host.import('./value.js', base),
    (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
  );
  // 13.3.10.2 EvaluateImportCall step 11.e: a TypeError.
  const ns = await host.import('./dynamic.js', base);
  await assert.rejects(
    ns.p as Promise<unknown>,
    (e: Error & { code?: string }) =>
      e instanceof TypeError && e.code === 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED' && /'lang'/.test(e.message),
  );
});

test('import defer in the Node host: loaded and linked eagerly, evaluated on first access', async () => {
  const base = project({
    'dep.js': "globalThis.__deferLog.push('dep'); export const x = 1;",
    'main.js':
      "import defer * as ns from './dep.js'; globalThis.__deferLog.push('main'); export const read = () => ns.x;",
  });
  (globalThis as { __deferLog?: string[] }).__deferLog = [];
  const ns = await createNodeHost().import('./main.js', base);
  assert.deepEqual((globalThis as { __deferLog?: string[] }).__deferLog, ['main']);
  assert.equal((ns.read as () => number)(), 1);
  assert.deepEqual((globalThis as { __deferLog?: string[] }).__deferLog, ['main', 'dep']);
});
