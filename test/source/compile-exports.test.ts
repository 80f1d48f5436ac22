/**
 * Compiled exports and default exports behave as V8 runs the same module text: values, live
 * bindings, hoisting, TDZ, function and class names (NamedEvaluation with "default").
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bothWays } from './harness.js';

/** [name, module text, dependencies] — dependencies may import "main" to observe it mid-evaluation. */
const CASES: [string, string, Record<string, string>?][] = [
  [
    'declarations',
    'export let a = 1; export const b = 2; export var c = 3; export function f(x, y) {} export class C {} export ' +
      'async function g() {} export function* h() {} export async function* i() {}',
  ],
  [
    'destructuring declarations',
    'export const { a, b: [c, d = 4], ...e } = { a: 1, b: [3], z: 5 }; export let [f, , ...g] = [1, 2, 3, 4];',
  ],
  ['export list, renamed, string names', 'let a = 1, b = 2; export { a, a as x, b as "b b" };'],
  ['default expression', 'export default 1 + 2;'],
  ['default anonymous function', 'export default function () { return 1; }'],
  ['default anonymous generator', 'export default function* () {}'],
  ['default anonymous async function', 'export default async function () {}'],
  ['default anonymous async generator', 'export default async function* () {}'],
  ['default named function', 'export default function f() {} f.extra = 1; export { f };'],
  ['default named function reassigned (live)', 'export default function f() {} f = 2;'],
  ['default anonymous class', 'export default class { static s = this.name; m() {} }'],
  ['default anonymous class, static block reads this.name', 'export default class { static { log(this.name); } }'],
  ['default anonymous class with a static name method', 'export default class { static name() { return "m"; } }'],
  [
    'default anonymous class extending',
    'class B {} export default class extends B { static { log(this.name, super.constructor === ' +
      'Function.prototype.constructor); } }',
  ],
  ['default named class', 'export default class C { static { log(this.name); } }'],
  ['default arrow', 'export default () => {};'],
  ['default async arrow', 'export default async (a, b) => a;'],
  ['default parenthesized function', 'export default (function () {});'],
  ['default parenthesized class', 'export default (class { static { log(this.name); } });'],
  ['default doubly parenthesized arrow', 'export default ((x) => x);'],
  ['default named function expression', 'export default (function g() {});'],
  ['default comma expression: no name', 'export default (0, function () {});'],
  ['default conditional: no name', 'export default true ? function () {} : 0;'],
  ['default identifier', 'const f = function () {}; export default f;'],
  ['default with comments and line breaks', 'export /* a */ default /* b */\n  function /* c */ * /* d */ (x) {}'],
  ['default class then a line starting with [', 'export default class {}\n[1].forEach(log);'],
  ['default function then a line starting with (', 'export default function () {}\n(log)("called");'],
  [
    'hoisted function export seen from a dependency before main runs',
    'import "dep"; export function f() { return "f"; } export default function () { return "d"; }',
    { dep: 'import d, { f } from "main"; log(f(), d(), d.name);' },
  ],
  [
    'var export is undefined before main runs',
    'import "dep"; export var v = 1;',
    { dep: 'import { v } from "main"; log(v === undefined);' },
  ],
  [
    'let export is in TDZ before main runs',
    'import "dep"; export let l = 1;',
    { dep: 'import { l } from "main"; try { l; log("no TDZ"); } catch (e) { log(e.constructor.name); }' },
  ],
  [
    'default expression is in TDZ before main runs',
    'import "dep"; export default 1;',
    { dep: 'import d from "main"; try { d; log("no TDZ"); } catch (e) { log(e.constructor.name); }' },
  ],
  [
    'default anonymous class is in TDZ before main runs',
    'import "dep"; export default class {}',
    { dep: 'import d from "main"; try { d; log("no TDZ"); } catch (e) { log(e.constructor.name); }' },
  ],
  [
    'default named class is in TDZ before main runs',
    'import "dep"; export default class K {}',
    { dep: 'import d from "main"; try { d; log("no TDZ"); } catch (e) { log(e.constructor.name); }' },
  ],
  ['default expression is evaluated in order', 'log("before"); export default log("default"); log("after");'],
  [
    'exported function names',
    'export function a() {} export const b = function () {}; export const c = () => {}; export const d = class {};',
  ],
  [
    'namespace re-export is a local export',
    'import * as ns from "dep"; export { ns };',
    { dep: 'export const x = 1;' },
  ],
  [
    're-exports',
    'export { x as y } from "dep"; export * as all from "dep"; import { x } from "dep"; export { x as z };',
    { dep: 'export let x = 1;' },
  ],
  ['evaluation error', 'export let a = 1; throw new RangeError("boom"); export let b = 2;'],
];

for (const [name, text, deps] of CASES) {
  test(`as V8: ${name}`, async () => {
    const [ours, v8] = await bothWays(text, deps);
    assert.deepEqual(ours, v8);
  });
}

test('the comparison is not vacuous: V8 and modhost agree on the spec-required names', async () => {
  const [ours, v8] = await bothWays('export default function () {} export const f = () => {};');
  const expected = { exports: { default: 'function "default"/0', f: 'function "f"/0' }, log: [], error: undefined };
  assert.deepEqual(v8, expected);
  assert.deepEqual(ours, expected);
});
