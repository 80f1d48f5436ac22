/** The invariant the minimiser must keep: synchronous import() only of started modules. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateGraph } from '../../fuzz/generate.js';
import type { FuzzGraph } from '../../fuzz/graph.js';
import { brokenInvariant } from '../../fuzz/invariants.js';

const g = (modules: Record<string, string[]>): FuzzGraph => ({
  entry: 'm0',
  modules: Object.entries(modules).map(([name, lines]) => ({ name, lines })),
});

describe('brokenInvariant', () => {
  it('accepts a synchronous import of a (transitive) static dependency or of the module itself', () => {
    assert.equal(
      brokenInvariant(
        g({ m0: ['import "m1";', '__dyn("t", () => import("m2"), -1);'], m1: ['export * from "m2";'], m2: [] }),
      ),
      null,
    );
    assert.equal(brokenInvariant(g({ m0: ['__dyn("t", () => import("m0"), -1);'] })), null);
  });

  it('rejects a synchronous import of a module the importer does not depend on', () => {
    assert.match(
      brokenInvariant(g({ m0: ['__dyn("t", () => import("m1"), -1);'], m1: [] })) ?? '',
      /m0 imports m1 at once/,
    );
  });

  it('does not constrain deferred imports', () => {
    assert.equal(brokenInvariant(g({ m0: ['__dyn("t", () => import("m1"), 3);'], m1: [] })), null);
  });

  it('holds for every generated graph', () => {
    for (let seed = 1; seed <= 1000; seed++)
      assert.equal(brokenInvariant(generateGraph(seed).graph), null, `seed ${seed}`);
  });
});
