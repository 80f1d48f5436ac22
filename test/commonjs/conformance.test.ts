/**
 * The ideas of the CommonJS Modules/1.0 conformance suite (absolute, cyclic, determinism,
 * exactExports, hasOwnProperty, method, missing, monkeys, nested, relative, transitive), as fixture
 * programs under test/fixtures/commonjs/modules-1.0/. Each program runs as the main module with
 * its folder and the shared `test` module's folder as roots, and prints through the `print`
 * global; every assertion prints "pass: …" or "fail: …", and the program ends with "info: DONE".
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCommonJS, createMemoryLoader, createPrint } from '../../src/commonjs/index.js';
import { createNodeCommonJS } from '../../src/hosts/node/commonjs-loader.js';
import { FIXTURES, fixtureMap } from './helpers.js';

/** What each program must print, written from the suite's assertions. */
const EXPECTED: Record<string, string[]> = {
  absolute: ['pass: top-level ids from a nested module reach the same module'],
  cyclic: [
    'pass: a exists',
    'pass: b exists',
    'pass: a reaches b through the cycle',
    'pass: b reaches a through the cycle',
  ],
  determinism: ["pass: a top-level id does not fall back to the requiring module's folder"],
  exactExports: ['pass: require returns the very exports object of the main module'],
  hasOwnProperty: ['pass: an id named hasOwnProperty loads its file', 'pass: an id named toString loads its file'],
  method: [
    'pass: a member called through the exports gets them as this',
    'pass: members are not bound to the exports',
    'pass: set then get through this',
    'pass: set through this, read through the closed-over exports',
  ],
  missing: ['pass: require of a missing module throws'],
  monkeys: ["pass: a dependency may add to the main module's exports"],
  nested: ['pass: a nested top-level id'],
  relative: ['pass: a relative id reaches the same module as the top-level id'],
  transitive: ['pass: exports pass through a chain of modules'],
};

const SUITE = join(FIXTURES, 'modules-1.0');

describe('CommonJS Modules/1.0 conformance (ported ideas)', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} - node loader`, () => {
      const lines: string[] = [];
      const cjs = createNodeCommonJS({
        base: join(SUITE, name),
        roots: [join(SUITE, name), join(SUITE, '_shared')],
        globals: { print: createPrint((line) => lines.push(line)) },
      });
      cjs.use('program');
      assert.deepEqual(lines, [...expected, 'info: DONE']);
    });

    it(`${name} - memory loader`, () => {
      const lines: string[] = [];
      const base = 'memory:///fixtures/modules-1.0/';
      const cjs = createCommonJS({
        loader: createMemoryLoader(fixtureMap(), { base: `${base}${name}/` }),
        roots: [`${base}${name}/`, `${base}_shared/`],
        globals: { print: createPrint((line) => lines.push(line)) },
      });
      cjs.use('program');
      assert.deepEqual(lines, [...expected, 'info: DONE']);
    });
  }
});
