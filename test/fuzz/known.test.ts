/** Known V8 deviations: zone detection and the oracle correction. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import type { Outcome } from '../../fuzz/engine.js';
import type { FuzzGraph } from '../../fuzz/graph.js';
import { correctOracle, detectAsyncFromSyncDeviations, KNOWN_V8_DEVIATIONS, oracleZones } from '../../fuzz/known.js';
import { importModule, Module, ModuleSource } from '../../src/index.js';

const g = (modules: Record<string, string[]>): FuzzGraph => ({
  entry: 'm0',
  modules: Object.entries(modules).map(([name, lines]) => ({ name, lines })),
});

const outcome = (log: string[]): Outcome => ({
  log,
  entry: 'ns {}',
  settledTurn: 0,
  artefact: null,
  hung: false,
  internal: [],
  entryKeys: [],
  notes: [],
});

describe('oracleZones', () => {
  it('finds a star export on a cycle of re-exports', () => {
    assert.deepEqual(oracleZones(g({ m0: ['export { e } from "m2";'], m2: ['export * from "m0";'] })), [
      'v8-cyclic-reexports',
    ]);
    assert.deepEqual(oracleZones(g({ m0: ['export * from "m0";'] })), ['v8-cyclic-reexports']);
    // A cycle of plain imports is not a re-export cycle.
    assert.deepEqual(oracleZones(g({ m0: ['import "m1";', 'export * from "m1";'], m1: ['import "m0";'] })), []);
  });

  it('finds nested star exports', () => {
    assert.deepEqual(
      oracleZones(
        g({ m0: ['export * from "m1";'], m1: ['export * from "m2";', 'export * from "m3";'], m2: [], m3: [] }),
      ),
      ['v8-nested-star-ambiguity'],
    );
    assert.deepEqual(oracleZones(g({ m0: ['export * from "m1";', 'export * from "m2";'], m1: [], m2: [] })), []);
  });

  it('finds one namespace reached through two star exports, also through a renaming re-export', () => {
    const direct = g({
      m0: ['export * from "a";', 'export * from "b";'],
      a: ['export * as ns from "d";'],
      b: ['export * as ns from "d";'],
      d: [],
    });
    assert.deepEqual(oracleZones(direct), ['v8-namespace-via-two-stars']);
    const renamed = g({
      m0: ['export * from "a";', 'export * from "b";'],
      a: ['export * as ns from "d";'],
      b: ['export { q as ns } from "c";'],
      c: ['export * as q from "d";'],
      d: [],
    });
    assert.deepEqual(oracleZones(renamed), ['v8-namespace-via-two-stars']);
    const different = g({
      m0: ['export * from "a";', 'export * from "b";'],
      a: ['export * as ns from "d";'],
      b: ['export * as ns from "e";'],
      d: [],
      e: [],
    });
    assert.deepEqual(oracleZones(different), []);
  });

  it('finds an import() of a module of a cycle in which two modules throw', () => {
    const cycle = {
      m1: ['import "m0";', 'throw new __E("m1");'],
      m2: ['import "m0"; import "m3";', 'throw new __E("m2");'],
      m3: ['await 0;'],
    };
    assert.deepEqual(
      oracleZones(g({ m0: ['import "m1";', 'import "m2";', '__dyn("x", () => import("m2"), 5);'], ...cycle })),
      ['v8-errored-cycle-member-error'],
    );
    // No import() of a cycle member, or only one thrower: not the zone.
    assert.deepEqual(
      oracleZones(g({ m0: ['import "m1";', 'import "m2";', '__dyn("x", () => import("m3"), 5);'], ...cycle })),
      [],
    );
    assert.deepEqual(
      oracleZones(
        g({ m0: ['import "m1";', '__dyn("x", () => import("m1"), 5);'], m1: ['import "m0";', 'throw new __E("m1");'] }),
      ),
      [],
    );
  });

  it('finds an import() of a failed cycle member whose cycle root failed from below (seed 10604)', () => {
    // m1 rejects on its own (await __reject), the cycle root m0 got m2's error through m4: the spec's
    // import("m1") rejects with the root's error, V8 with m1's own.
    const graph = g({
      m0: ['export * as ns from "m4";'],
      m1: ['await __reject(0, "m1.1");', 'export { n1 as ns }; import * as n1 from "m0";'],
      m2: ['throw new __E("m2.0");', 'export default await __delay(0, "m2.default");'],
      m3: ['export { a as "a-b" };', '__dyn("m3.3 import(m1)", () => import("m1"), 2);', 'var a = "m3.a" + "-";'],
      m4: ['export { "a-b" } from "m3";', 'export * from "m1";', 'export * from "m2";'],
    });
    assert.ok(oracleZones(graph).includes('v8-errored-cycle-member-error'));
    // A caught rejection is not a failure.
    const caught = g({
      m0: ['import "m1";', '__dyn("x", () => import("m1"), 5);'],
      m1: ['import "m0";', 'try { await __reject(0, "m1"); } catch (e) {}', 'throw new __E("m1");'],
    });
    assert.deepEqual(oracleZones(caught), []);
  });

  it('counts `export default x;` as a way to fail (seed 31019910: x is declared nowhere)', () => {
    // m5 throws and ends the cycle rooted at m0; m4 fails with its own ReferenceError. The spec's
    // import("m4") rejects with the root's error (m5's), V8's with m4's own.
    const graph = g({
      m0: ['import { a as i0 } from "m1";', 'export function b(arg) { return "m0.b"; }'],
      m1: ['export * from "m2";', 'export * from "m4";'],
      m2: ['import { b as i1 } from "m5";'],
      m4: ['export default e;', 'export * from "m0";', 'await __thenable(1);', 'export let a = "m4.a";'],
      m5: ['__dyn("m5.0 import(m4)", () => import("m4"), 5);', 'throw new __E("m5.3");', 'export * from "m0";'],
    });
    assert.ok(oracleZones(graph).includes('v8-errored-cycle-member-error'));
    // A default export of an expression that cannot throw is not a failure.
    const safe = g({
      m0: ['import "m1";', '__dyn("x", () => import("m1"), 5);'],
      m1: ['import "m0";', 'export default "text";', 'throw new __E("m1");'],
    });
    assert.deepEqual(oracleZones(safe), []);
  });

  it('names only documented deviations', () => {
    const ids = new Set(KNOWN_V8_DEVIATIONS.map((d) => d.id));
    const graphs = [
      g({
        m0: ['export * from "m0";', 'export * from "m1";'],
        m1: ['export * from "m2";', 'export * from "m3";'],
        m2: ['export * as ns from "m3";'],
        m3: ['export * as ns from "m3";'],
      }),
    ];
    for (const graph of graphs) for (const z of oracleZones(graph)) assert.ok(ids.has(z), z);
  });
});

describe('correctOracle', () => {
  it("turns V8's TypeError for a TDZ write to a later const into the spec's ReferenceError", () => {
    const graph = g({
      m0: [
        'try { a = "m0.1 wrote"; __log.push("m0.1 wrote a"); } catch (e) { __log.push("m0.1 " + __err(e)); }',
        'export const a = 1;',
      ],
    });
    const { outcome: fixed, applied } = correctOracle(graph, outcome(['m0.1 TypeError#0']));
    assert.deepEqual(fixed.log, ['m0.1 ReferenceError#0']);
    assert.deepEqual(applied, ['v8-exported-const-tdz-assignment']);
  });

  it('leaves a write after the declaration alone (TypeError is right there)', () => {
    const graph = g({
      m0: [
        'export const a = 1;',
        'try { a = "m0.1 wrote"; __log.push("m0.1 wrote a"); } catch (e) { __log.push("m0.1 " + __err(e)); }',
      ],
    });
    const { outcome: fixed, applied } = correctOracle(graph, outcome(['m0.1 TypeError#0']));
    assert.deepEqual(fixed.log, ['m0.1 TypeError#0']);
    assert.deepEqual(applied, []);
  });

  it('leaves let bindings alone', () => {
    const graph = g({
      m0: ['try { a = "m0.1 wrote"; } catch (e) { __log.push("m0.1 " + __err(e)); }', 'export let a = 1;'],
    });
    assert.deepEqual(correctOracle(graph, outcome(['m0.1 TypeError#0'])).outcome.log, ['m0.1 TypeError#0']);
  });
});

describe('detectAsyncFromSyncDeviations', () => {
  it('names known deviations only, and never both (they are an old and a new V8)', async () => {
    const found = await detectAsyncFromSyncDeviations();
    const ids = new Set(KNOWN_V8_DEVIATIONS.map((d) => d.id));
    for (const id of found) assert.ok(ids.has(id), id);
    assert.ok(found.length <= 1, found.join(', '));
  });
});

describe("'v8-rejection-order'", () => {
  const macrotask = () => new Promise((resolve) => setImmediate(resolve));
  const gate = () => {
    let reject!: (e: unknown) => void;
    (globalThis as { __gate?: unknown }).__gate = new Promise((_, r) => {
      reject = r;
    });
    return reject;
  };
  /** b waits on the gate; a imports b and is evaluated after b started. Who rejects first? */
  const order = async (pb: Promise<unknown>, pa: Promise<unknown>, reject: (e: unknown) => void) => {
    const seen: string[] = [];
    pa.catch(() => seen.push('A'));
    pb.catch(() => seen.push('B'));
    await macrotask();
    reject(new Error('b failed'));
    await macrotask();
    return seen;
  };

  it('V8 before 14 (Node 20-24) rejects the later importer first; modhost follows the current text', {
    skip:
      typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function' &&
      'needs --experimental-vm-modules',
  }, async () => {
    type VmModule = { link(l: () => unknown): Promise<void>; evaluate(): Promise<void> };
    const STM = (vm as unknown as { SourceTextModule: new (t: string, o: object) => VmModule }).SourceTextModule;
    try {
      const rejectV8 = gate();
      const b = new STM('await globalThis.__gate;', { identifier: 'b' });
      const a = new STM('import "b";', { identifier: 'a' });
      await b.link(() => {
        throw new Error('b has no imports');
      });
      await a.link(() => b);
      const pbV8 = b.evaluate();
      const paV8 = a.evaluate();
      // V8 13 and older recurse first (this deviation); V8 14 (Node 26) follows the current text.
      const v8 = await order(pbV8, paV8, rejectV8);
      const major = Number(process.versions.v8.split('.')[0]);
      assert.deepEqual(v8, major < 14 ? ['A', 'B'] : ['B', 'A']);

      const rejectModhost = gate();
      const mb = new Module(new ModuleSource('await globalThis.__gate;'));
      const ma = new Module(new ModuleSource('import "b";'), { importHook: () => mb });
      const pb = importModule(mb);
      await macrotask(); // b is evaluating (waiting on the gate)
      const pa = importModule(ma);
      await macrotask(); // a is evaluating-async, waiting on b
      assert.deepEqual(await order(pb, pa, rejectModhost), ['B', 'A']);
    } finally {
      delete (globalThis as { __gate?: unknown }).__gate;
    }
  });
});
