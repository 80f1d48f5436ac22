import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SETUPS } from './helpers.js';

for (const make of SETUPS) {
  describe(`cycles - ${make().name}`, () => {
    it('a module in a cycle gets the partial exports of the module still running: the very object', () => {
      const { cjs } = make();
      const main = cjs.use('./cycles/main') as Record<string, unknown>;
      const a = main.a as Record<string, unknown>;
      assert.equal(a.bSawPartialAIsExports, true);
      assert.equal(a.bSawPartialA, a);
      // When b ran, a had only set startedA.
      assert.equal(a.bSawStartedOnly, 'startedA');
      assert.equal(a.finishedA, true);
    });

    it("a dependency that adds to the main module's exports is seen by the main module", () => {
      const { cjs } = make();
      const main = cjs.use('./cycles/main') as Record<string, unknown>;
      assert.equal(main.monkey, 'added by b');
      assert.equal(main.aSawMain, 'set before requiring a');
      assert.equal(main.aSawMainIsMainExports, true);
    });

    it('a module requiring itself gets its own exports object', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./cycles/self'), { before: true, selfIsExports: true });
    });

    it("wrapped modules in a cycle see each other's partial exports", () => {
      const { cjs } = make();
      const a = cjs.require('./cycles/define-a') as { name: string; b: Record<string, unknown> };
      assert.equal(a.name, 'define-a');
      assert.deepEqual(a.b, { sawA: 'define-a', aIsPartial: true });
      assert.equal(cjs.require('./cycles/define-b'), a.b);
    });

    it('a cycle member keeps the original object when the module later replaces module.exports', () => {
      const { cjs } = make();
      const replaced = cjs.require('./cycles/replaced') as Record<string, unknown>;
      assert.deepEqual(replaced, { replacement: true });
      const taker = cjs.require('./cycles/takes-replaced') as { got: Record<string, unknown> };
      assert.notEqual(taker.got, replaced);
      assert.equal(taker.got.original, true);
    });

    it('the module in the cycle is both in the cache and not yet loaded while the cycle runs', () => {
      const { cjs, filename } = make();
      cjs.use('./cycles/main');
      for (const path of ['cycles/main.js', 'cycles/a.js', 'cycles/b.js']) {
        assert.equal(cjs.cache[filename(path)]!.loaded, true, path);
      }
      const b = cjs.cache[filename('cycles/b.js')]!;
      assert.equal(b.parent, cjs.cache[filename('cycles/a.js')]);
      assert.deepEqual(
        b.children.map((m) => m.id),
        [filename('cycles/a.js'), filename('cycles/main.js')],
      );
    });
  });
}
