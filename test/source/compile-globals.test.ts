/**
 * Top-level `this`, `arguments`, `import.meta` and `import()` in compiled code: as V8 where V8
 * can run the text; with a fake `rt` (checking what the protocol hands to the host) otherwise.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModuleSourceRecord } from '../../src/source/index.js';
import { bothWays, fakeRuntime, generatorOf, logged } from './harness.js';

const T = 'const t = (f) => { try { log(f()); } catch (e) { log(e.constructor.name); } };\n';

test('as V8: top-level this is undefined, also in arrows and class computed keys', async () => {
  const [ours, v8] = await bothWays(
    'log(this === undefined, (() => this)() === undefined, typeof this); class C { [String(this)]() {} } ' +
      'log(Object.getOwnPropertyNames(C.prototype));',
  );
  assert.deepEqual(ours, v8);
});

test('as V8: top-level arguments without a global arguments', async () => {
  const [ours, v8] = await bothWays(
    `${T}t(() => typeof arguments); t(() => typeof (arguments)); t(() => arguments); t(() => ({ arguments }));`,
  );
  assert.deepEqual(ours, v8);
});

test('top-level arguments without a global: the ReferenceError carries ERR_MODHOST_NOT_DEFINED', async () => {
  const [ours, v8] = await bothWays(
    "try { arguments; } catch (e) { log(e instanceof ReferenceError, e.message, e.code ?? 'no code'); }",
  );
  assert.deepEqual((ours as { log: unknown }).log, [[true, 'arguments is not defined', 'ERR_MODHOST_NOT_DEFINED']]);
  // V8's own error has the same class and message (and no code).
  assert.deepEqual((v8 as { log: unknown }).log, [[true, 'arguments is not defined', 'no code']]);
});

test('as V8: top-level arguments reads a global arguments property', async () => {
  (globalThis as Record<string, unknown>).arguments = ['global'];
  try {
    const [ours, v8] = await bothWays(
      T +
        't(() => typeof arguments); t(() => arguments[0]); t(() => ({ arguments }).arguments[0]); t(() => (() => ' +
        'arguments)()[0]);',
    );
    assert.deepEqual(ours, v8);
  } finally {
    delete (globalThis as Record<string, unknown>).arguments;
  }
});

test('as V8: arguments inside functions, methods and their arrows is theirs', async () => {
  const [ours, v8] = await bothWays(
    T +
      'function f() { return arguments.length; } const o = { m() { return (() => arguments[0])(); } }; class C { ' +
      'static s() { return typeof arguments; } } t(() => [f(1, 2), o.m(3), C.s()]);',
  );
  assert.deepEqual(ours, v8);
});

test('as V8: new.target and super inside functions are untouched', async () => {
  const [ours, v8] = await bothWays(
    'function F() { log(new.target === F); } new F(); const o = { __proto__: { p: 1 }, m() { return super.p; } }; ' +
      'log(o.m());',
  );
  assert.deepEqual(ours, v8);
});

function run(text: string, calls: unknown[][] = []) {
  const record = createModuleSourceRecord(text);
  const rt = fakeRuntime(() => [], calls);
  const gen = generatorOf(record)(rt);
  logged.length = 0;
  gen.next();
  gen.next();
  return { rt, record, log: [...logged] };
}

test('import.meta is rt.meta(), every time, inside functions too', () => {
  const { rt, log } = run(
    'const a = import.meta; function f() { return import.meta; } log(a === f(), a === import . meta);',
  );
  assert.deepEqual(log, [[true, true]]);
  assert.equal(typeof rt.meta, 'function');
});

test('import() passes the evaluated specifier (and options) to rt.import, arguments evaluated first, in order', () => {
  const calls: unknown[][] = [];
  const { log } = run(
    'const p = import((log("s"), "./a.js")); const q = import((log("s2"), "./b.js"), (log("o"), { with: { type: ' +
      '"json" } })); import("./c.js",); log(p instanceof Promise);',
    calls,
  );
  assert.deepEqual(log, ['s', 's2', 'o', true]);
  assert.deepEqual(calls, [['./a.js'], ['./b.js', { with: { type: 'json' } }], ['./c.js']]);
});

test('import() inside functions and nested in expressions', () => {
  const calls: unknown[][] = [];
  run('function load(x) { return import(x); } load("./d.js"); [import("./e.js")];', calls);
  assert.deepEqual(calls, [['./d.js'], ['./e.js']]);
});

test('the generated code for globals', () => {
  const { code } = createModuleSourceRecord('arguments; typeof arguments; import.meta; import("x");').compiled;
  assert.ok(code.includes('$mh.globalArguments();'));
  assert.ok(code.includes('$mh.typeofGlobalArguments();'));
  assert.ok(code.includes('$mh.meta();'));
  assert.ok(code.includes('$mh.import("x");'));
});

test('`<!--` in module code is `<`, `!`, `--` (B.1.1 excludes Module), not a comment in the compiled Script', () => {
  // V8 rejects this text as a module ("HTML comments are not allowed in modules"); the spec
  // reads it as `x = 1 < !(--y)`: y becomes 4 and x is `1 < false`, i.e. false.
  const record = createModuleSourceRecord('let y = 5; export const x = 1 <!-- y\n; export { y };');
  const gen = generatorOf(record)(fakeRuntime(() => []));
  const init = gen.next().value as { getters: (() => unknown)[] };
  gen.next();
  assert.deepEqual(record.compiled.getterNames, ['x', 'y']);
  assert.deepEqual(
    init.getters.map((g) => g()),
    [false, 4],
  );
});
