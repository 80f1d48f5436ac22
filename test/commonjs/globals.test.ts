import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCommonJS, createMemoryLoader, createPrint } from '../../src/commonjs/index.js';
import { SETUPS } from './helpers.js';

for (const make of SETUPS) {
  describe(`globals option - ${make().name}`, () => {
    it('extra globals are visible to plain and wrapped modules, and never put on globalThis', () => {
      const greet = (who: string): string => `hello ${who}`;
      const { cjs } = make({ globals: { greet } });
      assert.deepEqual(cjs.require('./define/uses-global'), { greeting: 'hello define' });
      assert.deepEqual(cjs.require('./define/plain-uses-global'), {
        greeting: 'hello plain',
        onGlobalThis: 'undefined',
      });
      assert.equal('greet' in globalThis, false);
      assert.equal('trace' in globalThis, false);
    });

    it('names that cannot be wrapper parameters are rejected', () => {
      for (const name of [
        'require',
        'exports',
        'module',
        '__filename',
        '__dirname',
        'define',
        'class',
        'eval',
        'arguments',
        '1x',
        'a-b',
        '',
      ]) {
        assert.throws(() => make({ globals: { [name]: 1 } }), { code: 'ERR_MODHOST_INVALID_ARGUMENT' }, name);
      }
    });
  });
}

describe("createPrint (the article host's print)", () => {
  it('objects print as JSON, other values as strings', () => {
    const lines: string[] = [];
    const print = createPrint((line) => lines.push(line));
    print({ a: [1, 'x'] });
    print([1, 2]);
    print('text');
    print(42);
    print(null);
    print(undefined);
    print(function named() {});
    assert.deepEqual(lines.slice(0, 6), ['{"a":[1,"x"]}', '[1,2]', 'text', '42', 'null', 'undefined']);
    assert.match(lines[6]!, /^function named\(\) \{\s*\}$/);
  });

  it('is usable as the print global of module code', () => {
    const lines: string[] = [];
    const loader = createMemoryLoader({
      'memory:///main.js': 'define(function () { print({ ok: true }); print("done"); });',
    });
    createCommonJS({ loader, globals: { print: createPrint((line) => lines.push(line)) } }).use('./main');
    assert.deepEqual(lines, ['{"ok":true}', 'done']);
  });
});

describe('createCommonJS argument checks', () => {
  it('a loader without resolve/read is rejected', () => {
    for (const loader of [undefined, null, {}, { resolve() {} }, { read() {} }]) {
      assert.throws(() => createCommonJS({ loader: loader as never }), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    }
  });

  it('globals must be an object', () => {
    const loader = createMemoryLoader({});
    assert.throws(() => createCommonJS({ loader, globals: 'x' as never }), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
  });

  it('a custom evaluator receives body, params, filename and uri, and its function is called', () => {
    const seen: Array<{ params: readonly string[]; filename: string; uri: string; body: string }> = [];
    const loader = createMemoryLoader({ 'memory:///m.js': 'exports.v = value;' });
    const cjs = createCommonJS({
      loader,
      globals: { value: 7 },
      evaluator: (input) => {
        seen.push({ ...input });
        // The function the runtime calls: a stand-in for compiled code.
        return ((
          _require: unknown,
          exports: Record<string, unknown>,
          _module: unknown,
          _f: string,
          _d: string,
          value: number,
        ) => {
          exports.v = value;
        }) as unknown as (...args: never[]) => unknown;
      },
    });
    assert.deepEqual(cjs.require('./m'), { v: 7 });
    assert.deepEqual(seen, [
      {
        params: ['require', 'exports', 'module', '__filename', '__dirname', 'value'],
        filename: 'memory:///m.js',
        uri: 'memory:///m.js',
        body: 'exports.v = value;',
      },
    ]);
  });

  it('the API object is frozen and exposes define, require, use, cache', () => {
    const cjs = createCommonJS({ loader: createMemoryLoader({}) });
    assert.ok(Object.isFrozen(cjs));
    assert.deepEqual(Object.keys(cjs).sort(), ['cache', 'define', 'require', 'use']);
    assert.equal(typeof cjs.require.async, 'function');
    assert.equal(typeof cjs.require.resolve, 'function');
  });
});
