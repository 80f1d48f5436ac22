/**
 * Top-level await compiled to `(yield …)`: results, errors and the interleaving with other
 * promise jobs (counted by a ticker) are V8's for the same module text.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModuleSourceRecord } from '../../src/source/index.js';
import { bothWays } from './harness.js';

// A promise-job counter: `tick` grows by one per microtask turn while the module runs.
const DEPS = {
  ticker:
    'export let tick = 0; export function start(n = 60) { const step = () => { tick++; if (--n > 0) ' +
    'Promise.resolve().then(step); }; Promise.resolve().then(step); }',
};
const HEAD = 'import { tick, start } from "ticker"; start();\n';

const CASES: [string, string][] = [
  [
    'await of values, promises, thenables',
    'log(tick); await 1; log(tick); await Promise.resolve(2); log(tick); log(await { then(r) { r(3); } }); log(tick);',
  ],
  [
    'await of a rejection, caught',
    'try { await Promise.reject(new TypeError("x")); } catch (e) { log(e.constructor.name, tick); }',
  ],
  ['await of a rejection, uncaught', 'log(tick); await Promise.reject(new RangeError("r")); log("not reached");'],
  ['await inside expressions', 'log((await 1) + (await 2), tick, [await 3, ...[await 4]], `${await 5}`, tick);'],
  ['await await', 'log(await await Promise.resolve(Promise.resolve(7)), tick);'],
  [
    'await in conditional and logical positions',
    'log(tick ? await 1 : await 2, tick, false && await 3, tick, true || await 4, tick, null ?? await 5, tick);',
  ],
  ['await in call arguments and as callee', 'const f = (...a) => a; log(f(await 1, await 2), (await f)(3), tick);'],
  [
    'await in class heritage and computed keys',
    'class A { static a = 1; } class B extends (await A) { static [await "k"] = 2; [await "m"]() { return 3; } } ' +
      'log(B.a, B.k, new B().m(), tick);',
  ],
  ['await in object literal keys and values', 'log({ [await "a"]: await 1, b: await 2 }, tick);'],
  ['await in a default export', 'export default await Promise.resolve(9); log(tick);'],
  [
    'await in exported declarations',
    'export const x = await 1, y = await 2; export let { z } = await { z: 3 }; log(tick);',
  ],
  ['await with a line break before the operand', 'log(await\n  1, tick);\nconst v = await\n/*\n*/ 2; log(v);'],
  [
    'await starting a statement after a line without semicolon',
    'const f = () => log("f")\nawait null\nlog(tick)\nawait (f)\nlog(tick)\nawait 1 + 1\nlog(tick)',
  ],
  [
    'await in blocks, loops, switch, try/finally',
    'for (let i = 0; i < 3; i++) { await i; } log(tick); switch (await 1) { case 1: await 2; } log(tick); try { ' +
      'await 3; } finally { await 4; } log(tick); while (tick < 30) await 0; log(tick);',
  ],
  ['await in if without braces', 'if (tick === 0) await 1; else await 2; log(tick);'],
  ['await in a labelled block', 'l: { await 1; break l; } log(tick);'],
  [
    'TDZ across await',
    'try { log(later); } catch (e) { log(e.constructor.name); } await 1; let later = 1; log(later);',
  ],
  [
    'functions keep their own await',
    'const f = async () => { await 1; return tick; }; log(await f(), tick); async function g() { for await (const ' +
      'x of [1]) return x; } log(await g());',
  ],
];

for (const [name, body] of CASES) {
  test(`as V8: ${name}`, async () => {
    const [ours, v8] = await bothWays(HEAD + body, DEPS);
    assert.deepEqual(ours, v8);
  });
}

test('the compiled form of await', () => {
  const code = (text: string) => createModuleSourceRecord(text).compiled.code;
  assert.ok(code('x = await y;').includes('x = (yield y);'));
  assert.ok(code('a()\nawait b').includes('a()\n;(yield b)'));
  assert.ok(code('await\nb').includes('(yield(\nb))'));
  assert.ok(code('async function f() { await b; }').includes('await b;'));
});
