import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCommonJS, createMemoryLoader } from '../../src/commonjs/index.js';
import { fields, SETUPS } from './helpers.js';

for (const make of SETUPS) {
  describe(`missing modules - ${make().name}`, () => {
    it('MODULE_NOT_FOUND naming the id, the requiring module and the require stack', () => {
      const { cjs, filename } = make();
      assert.throws(
        () => cjs.require('./missing/a'),
        (error: unknown) => {
          assert.ok(error instanceof Error);
          const e = fields(error);
          assert.equal(e.code, 'MODULE_NOT_FOUND');
          assert.equal(e.specifier, './does-not-exist');
          assert.equal(e.referrer, filename('missing/b.js'));
          assert.deepEqual(e.requireStack, [filename('missing/b.js'), filename('missing/a.js')]);
          assert.equal(
            error.message,
            `Cannot find module './does-not-exist'\nRequire stack:\n- ${filename('missing/b.js')}\n- ` +
              `${filename('missing/a.js')}`,
          );
          return true;
        },
      );
    });

    it('nothing of the failed chain stays cached', () => {
      const { cjs } = make();
      assert.throws(() => cjs.require('./missing/a'), { code: 'MODULE_NOT_FOUND' });
      assert.deepEqual(Object.keys(cjs.cache), []);
    });

    it('a missing top-level id (roots and node_modules searched)', () => {
      const { cjs, filename } = make({ roots: [make().filename('missing')] });
      assert.throws(
        () => cjs.require('./missing/top'),
        (error: unknown) => {
          assert.equal(fields(error).code, 'MODULE_NOT_FOUND');
          assert.equal(fields(error).specifier, 'no-such-package-anywhere');
          assert.deepEqual(fields(error).requireStack, [filename('missing/top.js')]);
          return true;
        },
      );
    });

    it('a module missing at the host level: the message says the host required it', () => {
      const { cjs } = make();
      assert.throws(
        () => cjs.require('./missing/nope'),
        (error: unknown) => {
          assert.equal(fields(error).code, 'MODULE_NOT_FOUND');
          assert.deepEqual(fields(error).requireStack, []);
          assert.equal((error as Error).message, "Cannot find module './missing/nope' (required by the host)");
          return true;
        },
      );
      assert.throws(() => cjs.use('./missing/nope'), { code: 'MODULE_NOT_FOUND' });
    });

    it("onMissing: 'null' - require returns null and the module carries on", () => {
      const { cjs } = make({ onMissing: 'null' });
      assert.deepEqual(cjs.require('./missing/lenient'), { value: null, after: 'still ran' });
      assert.equal(cjs.require('./missing/nope'), null);
      assert.equal(cjs.use('./missing/nope'), null);
    });

    it("onMissing: 'null' does not hide other errors", () => {
      const { cjs } = make({ onMissing: 'null' });
      assert.throws(() => cjs.require('./errors/throws'), { message: 'boom from throws.js' });
      assert.throws(() => cjs.require('./errors/bad.json'), SyntaxError);
    });

    it('require.resolve throws MODULE_NOT_FOUND whatever onMissing says', () => {
      for (const onMissing of ['throw', 'null'] as const) {
        const { cjs, filename } = make({ onMissing });
        const probe = cjs.require('./missing/resolve') as { resolve(id: string): string };
        assert.throws(
          () => probe.resolve('./nope'),
          (error: unknown) => {
            assert.equal(fields(error).code, 'MODULE_NOT_FOUND');
            assert.deepEqual(fields(error).requireStack, [filename('missing/resolve.js')]);
            return true;
          },
        );
        assert.equal(probe.resolve('./a'), filename('missing/a.js'));
      }
    });

    it('an unknown onMissing value is rejected', () => {
      assert.throws(() => make({ onMissing: 'ignore' as 'null' }), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    });
  });
}

describe('missing modules - misses are not cached', () => {
  it('a module that appears after a miss is found by the next require', () => {
    const loader = createMemoryLoader({
      'memory:///main.js': 'exports.get = function () { return require("./later"); };',
    });
    const cjs = createCommonJS({ loader });
    const main = cjs.require('./main') as { get(): unknown };
    assert.throws(() => main.get(), { code: 'MODULE_NOT_FOUND' });
    loader.set('memory:///later.js', 'exports.here = true;');
    assert.deepEqual(main.get(), { here: true });
  });

  it('a file the loader resolves but cannot read is missing too', () => {
    const loader = createMemoryLoader({ 'memory:///main.js': 'exports.x = 1;' });
    const cjs = createCommonJS({ loader: { ...loader, read: () => null } });
    assert.throws(() => cjs.require('./main'), { code: 'MODULE_NOT_FOUND' });
    const lenient = createCommonJS({ loader: { ...loader, read: () => null }, onMissing: 'null' });
    assert.equal(lenient.require('./main'), null);
  });
});
