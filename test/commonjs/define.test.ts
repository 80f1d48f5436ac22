import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCommonJS, createMemoryLoader } from '../../src/commonjs/index.js';
import { fields, SETUPS } from './helpers.js';

for (const make of SETUPS) {
  describe(`define (wrapped modules) - ${make().name}`, () => {
    it('define(factory): factory(require, exports, module) with this = exports; no __filename/__dirname', () => {
      const { cjs, filename } = make();
      const exports = cjs.require('./define/factory') as Record<string, unknown>;
      assert.equal(exports.kind, 'factory');
      assert.equal(exports.thisIsExports, true);
      assert.equal(exports.moduleExportsIsExports, true);
      assert.deepEqual(exports.argTypes, ['function', 'object', 'object']);
      assert.equal(exports.hasRequireAsync, true);
      assert.equal(exports.filename, filename('define/factory.js'));
      assert.deepEqual(exports.plainNamesHidden, ['undefined', 'undefined']);
    });

    it('a factory return value other than undefined replaces the exports', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./define/returns'), { replaced: true });
    });

    it('a factory returning undefined keeps the exports object', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./define/returns-undefined'), { kept: true });
    });

    it('module.exports assignment inside a factory replaces the exports', () => {
      const { cjs } = make();
      const hello = cjs.require('./define/module-exports') as () => string;
      assert.equal(typeof hello, 'function');
      assert.equal(hello(), 'hi');
    });

    it('define(value) makes any non-function value the exports, falsy ones included', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./define/value-object'), { foo: 'bar' });
      assert.deepEqual(cjs.require('./define/value-array'), ['foo', 'bar']);
      assert.equal(cjs.require('./define/value-string'), 'foo bar');
      assert.equal(cjs.require('./define/value-number'), 42);
      assert.equal(cjs.require('./define/value-zero'), 0);
      assert.equal(cjs.require('./define/value-false'), false);
      assert.equal(cjs.require('./define/value-true'), true);
      assert.equal(cjs.require('./define/value-empty-string'), '');
      assert.equal(cjs.require('./define/value-null'), null);
    });

    it('define(value) exports are singletons too', () => {
      const { cjs } = make();
      assert.equal(cjs.require('./define/value-object'), cjs.require('./define/value-object.js'));
    });

    it('the CMD long form define(id, deps, factory) is accepted', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./define/cmd-long'), { dep: 'bar' });
    });

    it('define.cmd is present for feature detection (define.amd is not)', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./define/feature'), { cmd: 'object', cmdTruthy: true, amd: 'undefined' });
      assert.equal(typeof cjs.define.cmd, 'object');
    });

    it('a plain module does not see define', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./define/plain-no-define'), { defineType: 'undefined', requireType: 'function' });
    });

    it('a directive prologue before define applies to the factory', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./define/strict'), { strict: true });
    });

    it('the factory runs on the first require only', () => {
      const { cjs, traces } = make();
      assert.deepEqual(traces, []);
      const first = cjs.require('./define/traced');
      const second = cjs.require('./define/traced');
      assert.equal(first, second);
      assert.deepEqual(traces, ['traced: factory']);
    });

    it('define after another statement is not a wrapped module: define is unbound there', () => {
      const { cjs, traces } = make();
      assert.throws(
        () => cjs.require('./define/define-after-statement'),
        (error: unknown) => {
          assert.ok(error instanceof ReferenceError);
          assert.match(error.message, /define is not defined/);
          return true;
        },
      );
      assert.deepEqual(traces, ['counted: top level']);
    });

    it('two top-level define calls: ERR_MODHOST_DUPLICATE_DEFINE, nothing cached', () => {
      const { cjs, uri } = make();
      assert.throws(
        () => cjs.require('./define/twice-top'),
        (error: unknown) => {
          assert.equal(fields(error).code, 'ERR_MODHOST_DUPLICATE_DEFINE');
          assert.equal(fields(error).url, uri('define/twice-top.js'));
          assert.ok(error instanceof Error);
          return true;
        },
      );
      assert.deepEqual(Object.keys(cjs.cache), []);
    });

    it('define called again from a running factory: ERR_MODHOST_DUPLICATE_DEFINE, module not cached', () => {
      const { cjs } = make();
      assert.throws(() => cjs.require('./define/twice-factory'), { code: 'ERR_MODHOST_DUPLICATE_DEFINE' });
      assert.deepEqual(Object.keys(cjs.cache), []);
      // Runs again (and fails again) on the next require.
      assert.throws(() => cjs.require('./define/twice-factory'), { code: 'ERR_MODHOST_DUPLICATE_DEFINE' });
    });

    it('define() and define(undefined): ERR_MODHOST_INVALID_ARGUMENT (TypeError)', () => {
      const { cjs } = make();
      for (const id of ['./define/no-arg', './define/undefined-arg', './define/too-many']) {
        assert.throws(
          () => cjs.require(id),
          (error: unknown) => {
            assert.ok(error instanceof TypeError);
            assert.equal(fields(error).code, 'ERR_MODHOST_INVALID_ARGUMENT');
            return true;
          },
          id,
        );
      }
    });

    it('an error while computing the define argument propagates; nothing cached', () => {
      const { cjs } = make();
      assert.throws(() => cjs.require('./errors/define-arg-throws'), /while computing the define argument/);
      assert.deepEqual(Object.keys(cjs.cache), []);
    });

    it('the runtime define outside a loading file: ERR_MODHOST_INVALID_ARGUMENT', () => {
      const { cjs } = make();
      assert.throws(() => cjs.define({ a: 1 }), { code: 'ERR_MODHOST_INVALID_ARGUMENT', name: 'TypeError' });
    });
  });
}

describe('define: the runtime define attaches to the file whose top level is running', () => {
  it('a wrapped file may call the host-level define (e.g. a global) instead of its own', () => {
    const holder: { define?: (value: unknown) => void } = {};
    const loader = createMemoryLoader({
      'memory:///a.js': 'define(1);',
      'memory:///b.js': 'define(host.define({ via: "host" }));',
    });
    // b.js: the argument expression calls the runtime's define first, so the file's own define
    // call that follows is the second one for b.js.
    const cjs = createCommonJS({ loader, globals: { host: holder } });
    holder.define = cjs.define;
    assert.equal(cjs.require('./a'), 1);
    assert.throws(() => cjs.require('./b'), { code: 'ERR_MODHOST_DUPLICATE_DEFINE' });
  });
});
