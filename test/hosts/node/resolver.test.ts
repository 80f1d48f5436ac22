/**
 * Resolver instances: their caches, symlink handling, default conditions, the free functions,
 * and PATTERN_KEY_COMPARE as the spec defines it.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createPackageJsonCache } from '../../../src/hosts/node/package-json.js';
import {
  createResolver,
  DEFAULT_IMPORT_CONDITIONS,
  DEFAULT_REQUIRE_CONDITIONS,
  getDefaultResolver,
  patternKeyCompare,
  resolveModule,
  resolveRequire,
} from '../../../src/hosts/node/resolve.js';
import { makeTree, removeTree } from './resolve-helpers.js';

const json = (value: unknown): string => JSON.stringify(value);

const root = makeTree({
  'package.json': json({ type: 'module' }),
  'main.js': '',
  'wasm-noext': '\u0000asm\u0001\u0000\u0000\u0000',
  'text-noext': 'export {};',
  'real/target.js': '',
  'real/package.json': json({ type: 'commonjs' }),
  link: { symlink: './real' },
  'node_modules/conds/package.json': json({
    exports: { modhost: './m.js', import: './i.js', require: './r.cjs', default: './d.js' },
  }),
  'node_modules/conds/m.js': '',
  'node_modules/conds/i.js': '',
  'node_modules/conds/r.cjs': '',
  'node_modules/conds/d.js': '',
  'node_modules/only-default/package.json': json({ exports: { default: './d.js' } }),
  'node_modules/only-default/d.js': '',
  'node_modules/changing/package.json': json({ exports: './a.js' }),
  'node_modules/changing/a.js': '',
  'node_modules/changing/b.js': '',
});
after(() => removeTree(root));
const base = pathToFileURL(root).href;
const parentURL = `${base}/main.js`;
const parentPath = `${root}/main.js`;

describe('conditions', () => {
  test('defaults: modhost, import, node, default for import; require, node, default for require', () => {
    assert.deepEqual(DEFAULT_IMPORT_CONDITIONS, ['modhost', 'import', 'node', 'default']);
    assert.deepEqual(DEFAULT_REQUIRE_CONDITIONS, ['require', 'node', 'default']);
    const resolver = createResolver();
    assert.equal(resolver.resolve('conds', parentURL).url, `${base}/node_modules/conds/m.js`);
    assert.equal(resolver.resolveRequire('conds', parentPath), `${root}/node_modules/conds/r.cjs`);
  });

  test('"default" matches even when the list leaves it out', () => {
    const resolver = createResolver({ conditions: [], requireConditions: [] });
    assert.equal(resolver.resolve('only-default', parentURL).url, `${base}/node_modules/only-default/d.js`);
    assert.equal(resolver.resolveRequire('only-default', parentPath), `${root}/node_modules/only-default/d.js`);
    assert.equal(resolver.resolve('conds', parentURL).url, `${base}/node_modules/conds/d.js`);
  });

  test('keys are tried in the package.json order, not the conditions order', () => {
    const resolver = createResolver({ conditions: ['import', 'modhost'] });
    assert.equal(resolver.resolve('conds', parentURL).url, `${base}/node_modules/conds/m.js`);
  });
});

describe('symlinks', () => {
  test('resolved to real paths by default, with the real scope deciding the format', () => {
    assert.deepEqual(createResolver().resolve('./link/target.js', parentURL), {
      url: `${base}/real/target.js`,
      format: 'commonjs',
    });
    assert.equal(createResolver().resolveRequire('./link/target.js', parentPath), `${root}/real/target.js`);
  });

  test('kept with preserveSymlinks', () => {
    const resolver = createResolver({ preserveSymlinks: true });
    assert.deepEqual(resolver.resolve('./link/target.js', parentURL), {
      url: `${base}/link/target.js`,
      format: 'commonjs',
    });
    assert.equal(resolver.resolveRequire('./link/target.js', parentPath), `${root}/link/target.js`);
  });
});

describe('caches', () => {
  test('a resolver remembers what it saw until clearCache()', () => {
    const resolver = createResolver();
    assert.throws(() => resolver.resolve('./late.js', parentURL), { code: 'ERR_MODULE_NOT_FOUND' });
    writeFileSync(`${root}/late.js`, '');
    try {
      assert.throws(() => resolver.resolve('./late.js', parentURL), { code: 'ERR_MODULE_NOT_FOUND' });
      assert.equal(createResolver().resolve('./late.js', parentURL).url, `${base}/late.js`);
      resolver.clearCache();
      assert.equal(resolver.resolve('./late.js', parentURL).url, `${base}/late.js`);
    } finally {
      rmSync(`${root}/late.js`);
    }
  });

  test('package.json contents are cached per resolver (or per shared reader)', () => {
    const shared = createPackageJsonCache();
    const one = createResolver({ packageJsonCache: shared });
    const two = createResolver({ packageJsonCache: shared });
    assert.equal(one.packageJson, shared);
    assert.equal(one.resolve('changing', parentURL).url, `${base}/node_modules/changing/a.js`);
    writeFileSync(`${root}/node_modules/changing/package.json`, json({ exports: './b.js' }));
    try {
      assert.equal(
        two.resolve('changing', parentURL).url,
        `${base}/node_modules/changing/a.js`,
        'two reads the shared cache',
      );
      assert.equal(
        createResolver().resolve('changing', parentURL).url,
        `${base}/node_modules/changing/b.js`,
        'a fresh resolver reads the disk',
      );
      one.clearCache();
      assert.equal(
        one.resolve('changing', parentURL).url,
        `${base}/node_modules/changing/b.js`,
        'clearing drops the reader too',
      );
    } finally {
      writeFileSync(`${root}/node_modules/changing/package.json`, json({ exports: './a.js' }));
    }
  });

  test('the same specifier from two files of one folder gives the same answer; errors name each importer', () => {
    const resolver = createResolver();
    assert.equal(resolver.resolve('./main.js', `${base}/a.js`).url, resolver.resolve('./main.js', `${base}/b.js`).url);
    assert.throws(() => resolver.resolve('./nope.js', `${base}/a.js`), { referrer: `${base}/a.js` });
    assert.throws(() => resolver.resolve('./nope.js', `${base}/b.js`), { referrer: `${base}/b.js` });
  });

  test('results depend on the conditions of the call', () => {
    const resolver = createResolver();
    assert.equal(resolver.resolve('conds', parentURL).url, `${base}/node_modules/conds/m.js`);
    assert.equal(
      resolver.resolve('conds', parentURL, { conditions: ['import'] }).url,
      `${base}/node_modules/conds/i.js`,
    );
    assert.equal(resolver.resolve('conds', parentURL).url, `${base}/node_modules/conds/m.js`);
  });
});

describe('formats modhost decides where Node needs a flag', () => {
  test('an extension-less file in a "module" scope is "wasm" when it starts with the WebAssembly magic', () => {
    const resolver = createResolver();
    assert.deepEqual(resolver.resolve('./wasm-noext', parentURL), { url: `${base}/wasm-noext`, format: 'wasm' });
    assert.deepEqual(resolver.resolve('./text-noext', parentURL), { url: `${base}/text-noext`, format: 'module' });
  });
});

describe('free functions', () => {
  test('resolveModule and resolveRequire use one default resolver', () => {
    assert.deepEqual(resolveModule('./main.js', parentURL), { url: `${base}/main.js`, format: 'module' });
    assert.deepEqual(resolveModule('node:path', parentURL), { url: 'node:path', format: 'builtin' });
    assert.equal(
      resolveModule('conds', parentURL, { conditions: ['require'] }).url,
      `${base}/node_modules/conds/r.cjs`,
    );
    assert.equal(resolveRequire('./main', parentPath), `${root}/main.js`);
    assert.equal(resolveRequire('path', parentPath), 'path');
    assert.equal(getDefaultResolver(), getDefaultResolver());
  });
});

describe('PATTERN_KEY_COMPARE', () => {
  test('longer prefix before the "*" sorts first', () => {
    assert.equal(patternKeyCompare('./a/b/*', './a/*'), -1);
    assert.equal(patternKeyCompare('./a/*', './a/b/*'), 1);
  });
  test('same prefix: the longer key sorts first', () => {
    assert.equal(patternKeyCompare('./a/*.js', './a/*'), -1);
    assert.equal(patternKeyCompare('./a/*', './a/*.js'), 1);
  });
  test('equal specificity is 0', () => {
    assert.equal(patternKeyCompare('./a/*.js', './a/*.ts'), 0);
  });
  test('sorting a key list puts the most specific first', () => {
    const keys = ['./*', './features/*.js', './features/*', './features/x/*'];
    assert.deepEqual([...keys].sort(patternKeyCompare), ['./features/x/*', './features/*.js', './features/*', './*']);
  });
});
