/**
 * package.json reading (READ_PACKAGE_JSON, LOOKUP_PACKAGE_SCOPE) and package-name parsing.
 * Expected values come from the spec text and from Node (format lookups compared with the running
 * Node's resolver; JSON error text from V8's own JSON.parse). Node 20's reader and the native one
 * of Node 21.2+ (NodeBehaviour.packageJsonReader) are both tested, whichever Node runs the tests.
 */
import assert from 'node:assert/strict';
import { unlinkSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { nodeBehaviourOf } from '../../../src/hosts/node/node-release.js';
import { createPackageJsonCache, parsePackageName } from '../../../src/hosts/node/package-json.js';
import { createResolver } from '../../../src/hosts/node/resolve.js';
import { makeTree, nodeImportResolve, removeTree } from './resolve-helpers.js';

const json = (value: unknown): string => JSON.stringify(value);

const root = makeTree({
  'package.json': json({ name: 'top', type: 'module', main: 'm.js', exports: null, imports: { '#a': './a.js' } }),
  'a.js': '',
  'odd/package.json': json({ name: 5, main: ['x'], type: 'Module', exports: { '.': './x.js' } }),
  'odd/a.js': '',
  'odd-fields/package.json': json({ exports: false, imports: 5, main: ['x'], type: 'Module', name: 'n' }),
  'bom/package.json': '\ufeff{"type":"commonjs"}',
  'bom/a.js': '',
  'bad/package.json': '{"type": "module",,}',
  'bad/a.js': '',
  'array/package.json': '[]',
  'array/a.js': '',
  'dir-named-pjson/package.json/': '',
  'dir-named-pjson/a.js': '',
  'none/a.js': '',
  'node_modules/pkg/a.js': '',
  'node_modules/pkg/deep/b.js': '',
  'node_modules/@s/p/a.js': '',
  'my_node_modules/a.js': '',
  'changing/package.json': json({ type: 'commonjs' }),
});

after(() => removeTree(root));

/** Node 20's package.json reader (JSON.parse) and Node 22's (native, stricter, terser errors). */
const NODE20 = nodeBehaviourOf('20.20.0');
const NODE22 = nodeBehaviourOf('22.0.0');
const readPackageJson = (path: string) => createPackageJsonCache({ node: NODE20 }).read(path);
const getPackageScopeConfig = (url: string) => createPackageJsonCache({ node: NODE20 }).getPackageScopeConfig(url);

function parseErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected invalid JSON');
}

describe('readPackageJson', () => {
  test('a missing file reads as "no package.json"', () => {
    const config = readPackageJson(`${root}/none/package.json`);
    assert.equal(config.exists, false);
    assert.equal(config.type, 'none');
  });

  test('fields are read with their JSON types; anything else is absent', () => {
    assert.deepEqual(readPackageJson(`${root}/package.json`), {
      exists: true,
      pjsonPath: `${root}/package.json`,
      name: 'top',
      main: 'm.js',
      type: 'module',
      exports: null,
      imports: { '#a': './a.js' },
    });
    const odd = readPackageJson(`${root}/odd/package.json`);
    assert.equal(odd.name, undefined);
    assert.equal(odd.main, undefined);
    assert.equal(odd.type, 'none');
    assert.deepEqual(odd.exports, { '.': './x.js' });
    assert.equal(odd.imports, undefined);
  });

  test('a byte order mark is ignored', () => {
    assert.equal(readPackageJson(`${root}/bom/package.json`).type, 'commonjs');
  });

  test('valid JSON that is not an object has no fields', () => {
    const config = readPackageJson(`${root}/array/package.json`);
    assert.equal(config.exists, true);
    assert.equal(config.exports, undefined);
  });

  test('a folder called package.json is no package.json', () => {
    assert.equal(readPackageJson(`${root}/dir-named-pjson/package.json`).exists, false);
  });

  test('invalid JSON is ERR_INVALID_PACKAGE_CONFIG, worded for import', () => {
    const cache = createPackageJsonCache({ node: NODE20 });
    const path = `${root}/bad/package.json`;
    assert.throws(() => cache.read(path, { specifier: 'x', base: `${pathToFileURL(root).href}/a.js` }), {
      code: 'ERR_INVALID_PACKAGE_CONFIG',
      name: 'Error',
      message:
        `Invalid package config ${path} while importing "x" from ${root}/a.js. ` +
        `${parseErrorOf('{"type": "module",,}')}`,
      specifier: 'x',
      packageJsonPath: path,
    });
  });

  test('invalid JSON is ERR_INVALID_PACKAGE_CONFIG, worded for require', () => {
    const path = `${root}/bad/package.json`;
    assert.throws(() => createPackageJsonCache({ node: NODE20 }).read(path, { commonjs: true }), {
      code: 'ERR_INVALID_PACKAGE_CONFIG',
      message: `Error parsing ${path}: ${parseErrorOf('{"type": "module",,}')}`,
    });
  });

  test('Node 22: a document that is not an object, or a name or type that is not a string, is invalid', () => {
    for (const folder of ['array', 'odd', 'bad']) {
      const path = `${root}/${folder}/package.json`;
      assert.throws(() => createPackageJsonCache({ node: NODE22 }).read(path), {
        code: 'ERR_INVALID_PACKAGE_CONFIG',
        message: `Invalid package config ${path}.`,
        packageJsonPath: path,
      });
    }
  });

  test('Node 22: exports and imports that are not an object, an array or a string are absent', () => {
    const path = `${root}/odd-fields/package.json`;
    const config = createPackageJsonCache({ node: NODE22 }).read(path);
    assert.deepEqual(
      { name: config.name, main: config.main, type: config.type, exports: config.exports, imports: config.imports },
      { name: 'n', main: undefined, type: 'none', exports: undefined, imports: undefined },
    );
    const node20 = createPackageJsonCache({ node: NODE20 }).read(path);
    assert.deepEqual([node20.exports, node20.imports], [false, 5]);
  });

  test('Node 22: messages name the importer only for a package looked up by an import', () => {
    const path = `${root}/bad/package.json`;
    const cache = createPackageJsonCache({ node: NODE22 });
    const base = `${pathToFileURL(root).href}/a.js`;
    assert.throws(() => cache.read(path, { specifier: 'x', base }), {
      message: `Invalid package config ${path} while importing "x" from ${root}/a.js.`,
    });
    assert.throws(() => cache.read(path, { commonjs: true }), { message: `Invalid package config ${path}.` });
    assert.throws(() => cache.getPackageScopeConfig(`${root}/bad/a.js`), {
      message: `Invalid package config ${path}.`,
    });
  });

  test('every read of a broken file throws (the failure is cached, not forgotten)', () => {
    const cache = createPackageJsonCache();
    const path = `${root}/bad/package.json`;
    assert.throws(() => cache.read(path), { code: 'ERR_INVALID_PACKAGE_CONFIG' });
    assert.throws(() => cache.read(path), { code: 'ERR_INVALID_PACKAGE_CONFIG' });
  });
});

describe('package.json cache', () => {
  test('a cache keeps what it read until cleared; caches are independent', () => {
    const path = `${root}/changing/package.json`;
    const first = createPackageJsonCache();
    assert.equal(first.read(path).type, 'commonjs');
    writeFileSync(path, json({ type: 'module' }));
    assert.equal(first.read(path).type, 'commonjs');
    const second = createPackageJsonCache();
    assert.equal(second.read(path).type, 'module');
    first.clear();
    assert.equal(first.read(path).type, 'module');
  });

  test('a scope lookup is cached per folder and dropped by clear()', () => {
    const cache = createPackageJsonCache();
    const file = `${root}/none/a.js`;
    assert.equal(cache.getPackageScopeConfig(file).pjsonPath, `${root}/package.json`);
    writeFileSync(`${root}/none/package.json`, '{}');
    try {
      assert.equal(cache.getPackageScopeConfig(file).pjsonPath, `${root}/package.json`);
      cache.clear();
      assert.equal(cache.getPackageScopeConfig(file).pjsonPath, `${root}/none/package.json`);
    } finally {
      unlinkSync(`${root}/none/package.json`);
    }
  });
});

describe('getPackageScopeConfig (LOOKUP_PACKAGE_SCOPE)', () => {
  const url = (path: string): string => pathToFileURL(`${root}/${path}`).href;

  test('the nearest package.json above the file', () => {
    assert.equal(getPackageScopeConfig(url('a.js')).pjsonPath, `${root}/package.json`);
    assert.equal(getPackageScopeConfig(url('odd/a.js')).pjsonPath, `${root}/odd/package.json`);
    assert.equal(getPackageScopeConfig(`${root}/odd/a.js`).pjsonPath, `${root}/odd/package.json`);
  });

  test('a folder URL starts in that folder', () => {
    assert.equal(getPackageScopeConfig(url('odd/')).pjsonPath, `${root}/odd/package.json`);
  });

  test('the walk stops at a node_modules folder', () => {
    assert.equal(getPackageScopeConfig(url('node_modules/pkg/a.js')).exists, false);
    assert.equal(getPackageScopeConfig(url('node_modules/pkg/deep/b.js')).exists, false);
    assert.equal(getPackageScopeConfig(url('node_modules/@s/p/a.js')).exists, false);
  });

  test('Node 20 also stops at a folder whose name ends in node_modules; Node 22 does not', () => {
    assert.equal(getPackageScopeConfig(url('my_node_modules/a.js')).exists, false);
    const node22 = createPackageJsonCache({ node: NODE22 }).getPackageScopeConfig(url('my_node_modules/a.js'));
    assert.equal(node22.pjsonPath, `${root}/package.json`);
  });

  test('invalid JSON on the way up throws, worded with the file being looked up', () => {
    assert.throws(() => createPackageJsonCache({ node: NODE20 }).getPackageScopeConfig(url('bad/a.js')), {
      code: 'ERR_INVALID_PACKAGE_CONFIG',
      message:
        `Invalid package config ${root}/bad/package.json while importing ${root}/bad/a.js. ` +
        `${parseErrorOf('{"type": "module",,}')}`,
    });
  });

  test('formats that depend on the scope agree with Node', () => {
    const files = [
      'a.js',
      'odd/a.js',
      'bom/a.js',
      'array/a.js',
      'dir-named-pjson/a.js',
      'none/a.js',
      'node_modules/pkg/a.js',
      'my_node_modules/a.js',
      'bad/a.js',
    ];
    const parent = url('a.js');
    const answers = nodeImportResolve(files.map((file) => ({ specifier: `./${file}`, parent })));
    const resolver = createResolver();
    files.forEach((file, index) => {
      const want = answers[index]!;
      let got: unknown;
      try {
        got = resolver.resolve(`./${file}`, parent).format;
      } catch (error) {
        got = (error as Error).message;
      }
      assert.deepEqual(got, want.ok ? want.format : want.message, file);
    });
  });
});

describe('parsePackageName', () => {
  const cases: [string, string, string, boolean][] = [
    ['a', 'a', '.', false],
    ['a/b/c.js', 'a', './b/c.js', false],
    ['a/', 'a', './', false],
    ['@s/p', '@s/p', '.', true],
    ['@s/p/x/y', '@s/p', './x/y', true],
    ['@s/', '@s/', '.', true],
    ['a.b-c_d', 'a.b-c_d', '.', false],
    ['#x', '#x', '.', false],
  ];
  for (const [specifier, packageName, packageSubpath, isScoped] of cases) {
    test(`${specifier} → ${packageName} + ${packageSubpath}`, () => {
      assert.deepEqual(parsePackageName(specifier), { packageName, packageSubpath, isScoped });
    });
  }

  for (const specifier of ['@s', '.a', '..', 'a%2Fb', '%40s/p', 'a\\b', '@s\\t/p']) {
    test(`${JSON.stringify(specifier)} is not a valid package name`, () => {
      assert.throws(() => parsePackageName(specifier, 'file:///p/main.js'), {
        code: 'ERR_INVALID_MODULE_SPECIFIER',
        name: 'TypeError',
        message: `Invalid module "${specifier}" is not a valid package name imported from /p/main.js`,
        specifier,
      });
    });
  }
});
