/**
 * `ExternalModule.load(requirer)`: modules a host produces at each `require` (the Node host's
 * ES modules). Called with the requiring module's filename, not before the module is really
 * required (a `require.async` prefetch does not call it), and called again after it throws.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CommonJSLoader, createCommonJS, createMemoryLoader } from '../../src/commonjs/index.js';

function setup() {
  const calls: (string | null)[] = [];
  let fail = true;
  const memory = createMemoryLoader(
    {
      'memory:///app/main.js':
        'exports.first = (function () { try { return require("ext:thing"); } catch (e) { return e.message; } ' +
        '})();\nexports.second = require("ext:thing");',
      'memory:///app/lazy.js': 'exports.value = require("ext:thing");',
    },
    { base: 'memory:///app/' },
  );
  const loader: CommonJSLoader = {
    ...memory,
    resolve: (id, parent, roots) => (id === 'ext:thing' ? id : memory.resolve(id, parent, roots)),
    external(uri) {
      if (uri !== 'ext:thing') return undefined;
      return {
        exports: 'unused when load is given',
        load(requirer) {
          calls.push(requirer);
          if (fail) {
            fail = false;
            throw new Error('not ready');
          }
          return { made: 'by load' };
        },
      };
    },
  };
  return { cjs: createCommonJS({ loader }), calls };
}

describe('ExternalModule.load', () => {
  it('runs at each require, with the requiring filename; an error propagates, the next require calls again', () => {
    const { cjs, calls } = setup();
    const main = cjs.use('./main.js') as { first: unknown; second: unknown };
    assert.equal(main.first, 'not ready');
    assert.deepEqual(main.second, { made: 'by load' });
    assert.deepEqual(calls, ['memory:///app/main.js', 'memory:///app/main.js']);
    cjs.require('ext:thing');
    assert.deepEqual(calls.at(-1), null, 'a host-level require passes null');
  });

  it('is not called by the prefetch of require.async, only when the module runs', async () => {
    const { cjs, calls } = setup();
    const [lazy] = await cjs.require.async('./lazy.js');
    assert.equal(calls.length, 1);
    assert.equal(calls[0], 'memory:///app/lazy.js');
    assert.equal(lazy, null, 'the first load failed, so require.async reports null');
  });
});
