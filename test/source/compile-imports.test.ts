/**
 * References to import bindings, compiled to binding-function calls, behave as in V8: live
 * reads, `this` of calls, `new`, shorthand properties, shadowing by every kind of nearer
 * declaration, and TypeErrors (in spec order) for every kind of assignment.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModuleSourceRecord } from '../../src/source/index.js';
import { bothWays } from './harness.js';

const DEP = {
  dep: `export let c = 1;
export function who() { return this; }
export class D { constructor() { this.k = 1; } }
D.E = class {};
export function inc() { c++; }
export const nothing = null;`,
};

const IMPORT =
  'import { c, who, D, inc, nothing } from "dep"; import * as ns from "dep"; const t = (f) => { try { f(); ' +
  'log("no error"); } catch (e) { log(e.constructor.name); } };\n';

const CASES: [string, string][] = [
  ['reads', 'log(c, typeof c, `${c}`, [c], { c }, c + 1, -c, c ? 1 : 2, (c), [...[c]]);'],
  ['live binding', 'log(c); inc(); log(c); const f = () => c; inc(); log(f());'],
  [
    'calls keep this undefined',
    'log(who() === undefined, who`t` === undefined, (who)() === undefined, who?.() === undefined, (0, who)() === ' +
      'undefined);',
  ],
  [
    'namespace member call has the namespace as this',
    'log(ns.who() === ns, ns.who`x` === ns, Object.prototype.toString.call(ns));',
  ],
  [
    'new',
    'log(new D().k, new D instanceof D, new D.E() instanceof D.E, new (D)().k, new ns.D().k, new ns.D.E() ' +
      'instanceof D.E);',
  ],
  ['optional chains', 'log(nothing?.x, nothing?.(), D?.E === D.E, who?.call(5) === 5);'],
  ['shorthand properties', 'const o = { c, who, nothing }; log(o.c, typeof o.who, o.nothing, Object.keys(o));'],
  ['escaped shorthand', 'log({ \\u0063 }, \\u{63});'],
  [
    'class heritage and computed keys',
    'class X extends D { [c]() { return 2; } static [`s${c}`] = c; } log(new X().k, new X()[1](), X.s1);',
  ],
  [
    'inside nested functions, methods, fields, async',
    'function f() { return () => c; } const o = { m() { return c; }, get g() { return c; } }; class K { x = c; ' +
      'static y = c; static { log(c); } } log(f()(), o.m(), o.g, new K().x, K.y); (async () => c)().then(log);',
  ],
  ['default parameters see the import', 'function f(a = c) { var c = 2; return [a, c]; } log(f(), ((a = c) => a)());'],
  ['parameter TDZ wins over the import', 'function k(a = c, c = 2) { return a; } t(() => k());'],
  [
    'shadowed by parameters',
    'function f(c) { return c; } log(f(5), ((c) => c)(6), (({ c }) => c)({ c: 7 }), ((...c) => c)(8), (function ' +
      '([c]) { return c; })([9]));',
  ],
  ['shadowed by a later var', 'function g() { c = 9; var c; return c; } log(g(), c);'],
  [
    'shadowed by let/const/class/function in blocks',
    '{ let c = 3; log(c); } { const c = 4; log(c); } { class c {} log(typeof c); } { function c() {} log(typeof ' +
      'c); } log(c);',
  ],
  [
    'shadowed by catch parameters',
    'try { throw 4; } catch (c) { log(c); } try { throw [5]; } catch ([c]) { log(c); } log(c);',
  ],
  [
    'shadowed by class and function expression names',
    'log(new (class c { n() { return typeof c; } })().n(), (function c() { return typeof c; })());',
  ],
  [
    'shadowed by loop heads',
    'for (let c = 0; c < 1; c++) log(c); for (const c of [7]) log(c); for (const c in { k: 1 }) log(c); log(c);',
  ],
  ['shadowed in switch cases', 'switch (1) { case 1: let c = 12; log(c); } log(c);'],
  [
    'labels, property keys and member names are not references',
    'c: for (;;) break c; const o = { c: 5, c2() {} }; log(o.c, ns.c, new (class { c = 6 })().c, ({ c() { return ' +
      '7; } }).c());',
  ],
  ['assignment evaluates the right side, then throws TypeError', 't(() => { c = (log("rhs"), 2); }); log(c);'],
  ['compound assignment reads, evaluates, then throws', 't(() => { c += (log("rhs"), 1); }); log(c);'],
  ['update expressions', 't(() => c++); t(() => --c); log(c);'],
  [
    'logical assignment short-circuits',
    't(() => { c ??= (log("no"), 1); }); t(() => { c ||= (log("no"), 2); }); t(() => { c &&= (log("yes"), 2); }); ' +
      't(() => { nothing ??= 1; });',
  ],
  [
    'array destructuring targets',
    't(() => { [c] = [5]; }); t(() => { [, ...c] = [1]; }); t(() => { [c = (log("default"), 1)] = []; });',
  ],
  [
    'object destructuring targets',
    't(() => { ({ c } = { c: 1 }); }); t(() => { ({ c = (log("default"), 1) } = {}); }); t(() => { ({ x: c } = { ' +
      'get x() { log("get"); return 1; } }); }); t(() => { ({ ...c } = {}); });',
  ],
  [
    'for-in/of heads',
    't(() => { for (c of [1]) log("body"); }); t(() => { for (c in { a: 1 }) log("body"); }); t(() => { for ([c] ' +
      'of [[1]]); }); t(() => { for (c of []) log("body"); });',
  ],
  ['namespace object is immutable', 't(() => { ns = 1; }); t(() => { ns.c = 1; }); t(() => { delete ns.c; });'],
  ['assignment inside a function', 'function set() { c = 2; } t(set); log(c);'],
  [
    'shadowed assignments are ordinary',
    '{ let c; c = 5; log(c); } (function () { c = 6; var c; log(c); })(); for (let c of [1]) { c = 2; log(c); }',
  ],
  ['exporting an import keeps it live', 'export { c }; inc();'],
  ['default export of an import takes its value once', 'export default c; inc();'],
  ['the prefix changes when the text contains it', 'const $mh = 5, $mh_i0 = 6; log(c + $mh, $mh_i0);'],
  [
    'an escaped identifier cannot capture a generated name',
    'const \\u0024mh_i0 = 6, \\u{24}mh = 7; log(c, $mh_i0, $mh);',
  ],
  [
    'arguments of nested functions are not the global arguments',
    'function f() { return arguments.length; } log(f(1, 2), (function () { return (() => arguments[0])(); })(3));',
  ],
];

for (const [name, body] of CASES) {
  test(`as V8: ${name}`, async () => {
    const [ours, v8] = await bothWays(IMPORT + body, DEP);
    assert.deepEqual(ours, v8);
  });
}

// meriyah 7.4.2 reports "Duplicate binding" for a `var` in a class static block whose name is
// also a module-level lexical name (V8 accepts it: a static block is its own var scope).
test('as V8: shadowed by a static block var', {
  todo: 'meriyah rejects var in a static block that shadows a top-level name',
}, async () => {
  const [ours, v8] = await bothWays(`${IMPORT}class Q { static { var c = 11; log(c); } } log(c);`, DEP);
  assert.deepEqual(ours, v8);
});

test('rewrites are what the protocol says (spot check of the generated code)', () => {
  const { code } = createModuleSourceRecord('import { c, D } from "dep"; c(); new D(); ({ c }); c = 1;').compiled;
  assert.ok(code.includes('$mh_i0()();'), code);
  assert.ok(code.includes('new ($mh_i1())();'), code);
  assert.ok(code.includes('({ c: $mh_i0() });'), code);
  assert.ok(code.includes('$mh.ref(0).v = 1;'), code);
});

test('prefix avoids every spelling in the source', () => {
  const code = (text: string) => createModuleSourceRecord(text).compiled.code;
  assert.ok(code('import { c } from "d"; c;').startsWith('"use strict";(function*($mh){'));
  assert.ok(code('import { c } from "d"; c; "$mh";').startsWith('"use strict";(function*($mh1){'));
  assert.ok(code('import { c } from "d"; c; "$mh $mh1";').startsWith('"use strict";(function*($mh2){'));
  assert.ok(code('import { c } from "d"; c; let \\u0024mh_x;').startsWith('"use strict";(function*($mh1){'));
});
