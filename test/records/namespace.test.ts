/**
 * 10.4.6 Module Namespace Exotic Objects, 28.3 Module Namespace Objects, 16.2.1.13
 * GetModuleNamespace — each internal method by its steps, and a V8 namespace as the oracle.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import {
  Evaluate,
  GetModuleNamespace,
  Link,
  LoadRequestedModules,
  type SourceTextModuleRecord,
} from '../../src/records/index.js';
import { type TextGraph, textGraph } from './fixtures.js';

async function evaluated(
  texts: Record<string, string>,
  entry = 'A',
): Promise<{ g: TextGraph; A: SourceTextModuleRecord; ns: Record<PropertyKey, unknown> }> {
  const g = textGraph(texts);
  const A = g.record(entry);
  await LoadRequestedModules(A);
  Link(A);
  await Evaluate(A).catch(() => undefined);
  return { g, A, ns: GetModuleNamespace(A) as Record<PropertyKey, unknown> };
}

/** Runs reflective operations on a namespace and records each outcome. */
function probe(ns: Record<PropertyKey, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attempt = (label: string, f: () => unknown): void => {
    try {
      const v = f();
      out[label] = v === ns ? '<ns>' : v;
    } catch (e) {
      out[label] = `throws ${(e as Error).constructor.name}`;
    }
  };
  const other = Symbol('other');
  attempt('getPrototypeOf', () => Reflect.getPrototypeOf(ns));
  attempt('setPrototypeOf null', () => Reflect.setPrototypeOf(ns, null));
  attempt('setPrototypeOf {}', () => Reflect.setPrototypeOf(ns, {}));
  attempt('Object.setPrototypeOf {}', () => Object.setPrototypeOf(ns, {}));
  attempt('isExtensible', () => Reflect.isExtensible(ns));
  attempt('preventExtensions', () => Reflect.preventExtensions(ns));
  attempt('ownKeys', () => Reflect.ownKeys(ns).map(String));
  attempt('keys', () => Object.keys(ns));
  attempt('gOPD x', () => ({ ...Reflect.getOwnPropertyDescriptor(ns, 'x') }));
  attempt('gOPD tdz', () => Reflect.getOwnPropertyDescriptor(ns, 'tdz'));
  attempt('gOPD missing', () => Reflect.getOwnPropertyDescriptor(ns, 'missing'));
  attempt('gOPD tag', () => ({ ...Reflect.getOwnPropertyDescriptor(ns, Symbol.toStringTag) }));
  attempt('gOPD other symbol', () => Reflect.getOwnPropertyDescriptor(ns, other));
  attempt('define x same', () => Reflect.defineProperty(ns, 'x', { value: 1 }));
  attempt('define x different', () => Reflect.defineProperty(ns, 'x', { value: 2 }));
  attempt('define x full', () =>
    Reflect.defineProperty(ns, 'x', { value: 1, writable: true, enumerable: true, configurable: false }),
  );
  attempt('define x configurable', () => Reflect.defineProperty(ns, 'x', { configurable: true }));
  attempt('define x non-enumerable', () => Reflect.defineProperty(ns, 'x', { enumerable: false }));
  attempt('define x accessor', () => Reflect.defineProperty(ns, 'x', { get: () => 1 }));
  attempt('define x non-writable', () => Reflect.defineProperty(ns, 'x', { writable: false }));
  attempt('define x empty', () => Reflect.defineProperty(ns, 'x', {}));
  attempt('define missing', () => Reflect.defineProperty(ns, 'missing', { value: 1 }));
  attempt('define tdz', () => Reflect.defineProperty(ns, 'tdz', {}));
  attempt('define tag same', () => Reflect.defineProperty(ns, Symbol.toStringTag, { value: 'Module' }));
  attempt('define tag other', () => Reflect.defineProperty(ns, Symbol.toStringTag, { value: 'X' }));
  attempt('define other symbol', () => Reflect.defineProperty(ns, other, { value: 1 }));
  attempt('Object.defineProperty x 2', () => Object.defineProperty(ns, 'x', { value: 2 }));
  attempt('has x', () => Reflect.has(ns, 'x'));
  attempt('has tdz', () => Reflect.has(ns, 'tdz'));
  attempt('has missing', () => Reflect.has(ns, 'missing'));
  attempt('has toString', () => Reflect.has(ns, 'toString'));
  attempt('has tag', () => Reflect.has(ns, Symbol.toStringTag));
  attempt('has other', () => Reflect.has(ns, other));
  attempt('get x', () => ns.x);
  attempt('get fn', () => typeof ns.fn);
  attempt('get tdz', () => ns.tdz);
  attempt('get missing', () => ns.missing);
  attempt('get tag', () => ns[Symbol.toStringTag]);
  attempt('get other', () => ns[other]);
  attempt('toString tag', () => Object.prototype.toString.call(ns));
  attempt('set x', () => Reflect.set(ns, 'x', 5));
  attempt('set missing', () => Reflect.set(ns, 'missing', 5));
  attempt('set tag', () => Reflect.set(ns, Symbol.toStringTag, 'X'));
  attempt('strict assign', () => {
    ns.x = 5;
  });
  attempt('delete x', () => Reflect.deleteProperty(ns, 'x'));
  attempt('delete tdz', () => Reflect.deleteProperty(ns, 'tdz'));
  attempt('delete missing', () => Reflect.deleteProperty(ns, 'missing'));
  attempt('delete tag', () => Reflect.deleteProperty(ns, Symbol.toStringTag));
  attempt('delete other', () => Reflect.deleteProperty(ns, other));
  attempt('freeze', () => Object.freeze(ns));
  attempt('isFrozen', () => Object.isFrozen(ns));
  attempt('isSealed', () => Object.isSealed(ns));
  attempt('seal', () => Object.seal(ns));
  const shown = (v: unknown): unknown => (typeof v === 'function' ? '<function>' : v);
  attempt('entries', () => Object.entries(ns).map(([k, v]) => [k, shown(v)]));
  attempt('spread', () => Object.fromEntries(Object.entries({ ...ns }).map(([k, v]) => [k, shown(v)])));
  attempt('JSON', () => JSON.stringify(ns));
  attempt('x after', () => ns.x);
  return out;
}

const PROBE_MODULE = `
export const x = 1;
export function fn() {}
export { z as 'zz', a as '\\uFFFF', a as '\\u{10000}', a as 'B', a as 'a' };
const z = 'z', a = 'a';
throw new Error('stop before tdz is initialized');
export let tdz = 'late';
`;

describe('10.4.6 Module namespace exotic objects: V8 as the oracle', () => {
  it('every internal method behaves as a native namespace (including TDZ and sort order)', async () => {
    const { ns } = await evaluated({ A: PROBE_MODULE });
    const SourceTextModule = (
      vm as unknown as {
        SourceTextModule: new (
          t: string,
          o: object,
        ) => {
          link(l: () => never): Promise<void>;
          evaluate(): Promise<void>;
          namespace: Record<PropertyKey, unknown>;
        };
      }
    ).SourceTextModule;
    const native = new SourceTextModule(PROBE_MODULE, { identifier: 'native:/probe' });
    await native.link(() => {
      throw new Error('no imports');
    });
    await native.evaluate().catch(() => undefined);
    const expected = probe(native.namespace);
    const actual = probe(ns);
    assert.deepEqual(actual, expected);
    // The probe saw the interesting cases.
    assert.equal(expected['get tdz'], 'throws ReferenceError');
    // 10.4.6.11: exports sorted by code units ('\u{10000}' is \uD800\uDC00 < \uFFFF), then symbols.
    assert.deepEqual(expected.ownKeys, [
      'B',
      'a',
      'fn',
      'tdz',
      'x',
      'zz',
      '\u{10000}',
      '\uFFFF',
      'Symbol(Symbol.toStringTag)',
    ]);
    assert.equal(expected.keys, 'throws ReferenceError');
  });
});

describe('10.4.6 internal methods, step by step', () => {
  it('10.4.6.8 [[Get]] step 12: reads the live binding; step 9: a ~namespace~ binding is the namespace', async () => {
    const { g, ns } = await evaluated({
      A: `export let n = 1; export function inc() { n++; } export * as self from './A'; export * as b from './B';`,
      B: `export const v = 'b';`,
    });
    assert.equal(ns.n, 1);
    (ns.inc as () => void)();
    assert.equal(ns.n, 2);
    assert.equal(ns.self, ns);
    assert.equal(ns.b, GetModuleNamespace(g.record('B')));
    assert.equal((ns.b as Record<string, unknown>).v, 'b');
  });

  it('10.4.6.8 step 11: a binding whose module has no environment throws a ReferenceError', async () => {
    // B's InitializeEnvironment creates A's namespace while A is ~linking~; A's own
    // InitializeEnvironment then fails, so A goes back to ~unlinked~ without an environment.
    const g = textGraph({
      A: `import './B'; import { nope } from './C'; export const own = 1;`,
      B: `import * as nsA from './A';`,
      C: ``,
    });
    const A = g.record('A');
    await LoadRequestedModules(A);
    assert.throws(() => Link(A), { code: 'ERR_MODHOST_UNRESOLVED_IMPORT' });
    const nsA = A.namespace as Record<string, unknown>;
    assert.ok(nsA !== undefined);
    assert.throws(
      () => nsA.own,
      (e: unknown) => e instanceof ReferenceError && (e as { code?: string }).code === 'ERR_MODHOST_TDZ',
    );
    assert.equal('own' in nsA, true);
  });

  it('16.2.1.13 step 3.c: ambiguous star names are left out of the namespace', async () => {
    const { ns } = await evaluated({
      A: `export * from './P'; export * from './Q'; export const own = 1;`,
      P: `export const x = 1, p = 1;`,
      Q: `export const x = 2, q = 2;`,
    });
    assert.deepEqual(Object.keys(ns), ['own', 'p', 'q']);
    assert.equal('x' in ns, false);
  });

  it('16.2.1.13: GetModuleNamespace returns the same object every time', async () => {
    const { A, ns } = await evaluated({ A: `export const x = 1;` });
    assert.equal(GetModuleNamespace(A), ns);
    assert.equal(A.namespace, ns);
  });

  it('16.2.1.13 step 1: asking for the namespace of a module that is not linked is an internal error', () => {
    const g = textGraph({ A: `export const x = 1;` });
    assert.throws(() => GetModuleNamespace(g.record('A')), { code: 'ERR_MODHOST_INTERNAL' });
  });

  it('10.4.6.5 / 10.4.6.6: property descriptors are plain data and ignore a poisoned Object.prototype', async () => {
    const { ns } = await evaluated({ A: `export const x = 1;` });
    const proto = Object.prototype as Record<string, unknown>;
    Object.defineProperty(Object.prototype, 'get', { value: () => 'poison', configurable: true, writable: true });
    try {
      const desc = Reflect.getOwnPropertyDescriptor(ns, 'x');
      assert.equal(Object.hasOwn(desc!, 'get'), false);
      assert.equal(desc!.value, 1);
      assert.equal(Reflect.defineProperty(ns, 'x', { __proto__: null, value: 1 } as PropertyDescriptor), true);
      assert.equal(Reflect.getOwnPropertyDescriptor(ns, Symbol.toStringTag)!.value, 'Module');
    } finally {
      delete proto.get;
    }
  });
});
