/** Known V8 deviations: zone detection and the oracle correction. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Outcome } from '../../fuzz/engine.js';
import type { FuzzGraph } from '../../fuzz/graph.js';
import { correctOracle, detectAsyncFromSyncDeviations, KNOWN_V8_DEVIATIONS, oracleZones } from '../../fuzz/known.js';

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
