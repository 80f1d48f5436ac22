/**
 * `require` resolution compared with Node's `require.resolve` on a fixture tree: same path, or
 * the same error (code, class and message). Node throws a code-less SyntaxError for an
 * unparsable package.json where we throw ERR_INVALID_PACKAGE_CONFIG (an Error, as the registry
 * has it) with Node's message; that one difference is written out below.
 *
 * `roots` has no Node counterpart as a whole; for bare ids it is Node's `Module._findPath` with
 * the roots put before the node_modules folders, which is what we compare against, and the
 * rules the CommonJS runtime relies on are tested directly.
 */
import assert from 'node:assert/strict';
import Module from 'node:module';
import { dirname } from 'node:path';
import { after, describe, test } from 'node:test';
import { createResolver } from '../../../src/hosts/node/resolve.js';
import { makeTree, nodeRequireResolve, type Outcome, removeTree } from './resolve-helpers.js';

const json = (value: unknown): string => JSON.stringify(value);

const root = makeTree({
  'package.json': json({
    name: 'app',
    exports: { '.': './main.js', './feature': { require: './feature.cjs', import: './feature.mjs' }, './hidden': null },
    imports: {
      '#int': './internal/x.js',
      '#pat/*': './internal/*.js',
      '#cond': { require: './internal/req.js', default: './internal/def.js' },
      '#dep': 'dep-pkg',
      '#missing': './internal/missing.js',
      '#missing-pkg': 'not-installed',
      '#up': '../x.js',
    },
  }),
  'main.js': '',
  'feature.cjs': '',
  'x.js': '',
  'x.json': '{}',
  'only-json.json': '{}',
  'only-node.node': '',
  'y.cjs': '',
  noext: '',
  'dir/index.js': '',
  'dir-json/index.json': '{}',
  'dir-empty/': '',
  'dir-main/package.json': json({ main: 'lib/start' }),
  'dir-main/lib/start.js': '',
  'dir-main-dir/package.json': json({ main: 'lib' }),
  'dir-main-dir/lib/index.js': '',
  'dir-main-bad/package.json': json({ main: 'gone.js' }),
  'dir-main-bad/index.js': '',
  'dir-main-bad-noindex/package.json': json({ main: 'gone.js' }),
  'dir-pjson-broken/package.json': '{"main": }',
  'dir-pjson-broken/index.js': '',
  'file-and-dir.js': '',
  'file-and-dir/index.js': '',
  'internal/x.js': '',
  'internal/req.js': '',
  'internal/def.js': '',
  'internal/p.js': '',
  'sub/parent.js': '',
  'sub/deeper/parent.js': '',
  'sub/node_modules/shadow/index.js': '',
  'real.js': '',
  'link.js': { symlink: './real.js' },
  'packages/linked-real/package.json': json({ main: 'entry.js' }),
  'packages/linked-real/entry.js': '',
  'node_modules/linked': { symlink: '../packages/linked-real' },
  'node_modules/shadow/index.js': '',
  'node_modules/plain/package.json': json({ main: './lib/main' }),
  'node_modules/plain/lib/main.js': '',
  'node_modules/plain/lib/other.js': '',
  'node_modules/plain/lib/data.json': '{}',
  'node_modules/plain/folder/index.js': '',
  'node_modules/no-pjson/index.js': '',
  'node_modules/dep-pkg/package.json': json({ exports: { '.': './index.js', './*': './lib/*.js' } }),
  'node_modules/dep-pkg/index.js': '',
  'node_modules/dep-pkg/lib/one.js': '',
  'node_modules/conds/package.json': json({
    exports: {
      '.': { import: './i.mjs', require: './r.cjs', default: './d.js' },
      './node-first': { node: './n.js', require: './r.cjs' },
      './import-only': { import: './i.mjs' },
      './missing': './nope.js',
      './no-ext': './r',
      './dir': './folder/',
      './folder': './folder',
      './pat/*': './p/*.js',
      './pat-dir/*': './p/*',
      './null': null,
      './invalid': '../outside.js',
      './enc': './a%2Fb.js',
    },
  }),
  'node_modules/conds/r.cjs': '',
  'node_modules/conds/n.js': '',
  'node_modules/conds/r.js': '',
  'node_modules/conds/folder/index.js': '',
  'node_modules/conds/p/a.js': '',
  'node_modules/@scope/pkg/package.json': json({ exports: { '.': './index.js', './sub': './sub.js' } }),
  'node_modules/@scope/pkg/index.js': '',
  'node_modules/@scope/pkg/sub.js': '',
  'node_modules/@scope/plain/index.js': '',
  'node_modules/@scope/plain/other.js': '',
  'node_modules/@odd/package.json': json({ exports: { './.x': './y.js', './%': './y.js' } }),
  'node_modules/@odd/y.js': '',
  'node_modules/badjson/package.json': '{"name": "badjson",}',
  'node_modules/badjson/index.js': '',
  'node_modules/badjson-exports/package.json': '{"exports": [}',
  'node_modules/mixed/package.json': json({ exports: { '.': './a.js', require: './b.js' } }),
  'node_modules/nested/package.json': json({ main: 'index.js' }),
  'node_modules/nested/index.js': '',
  'node_modules/nested/node_modules/inner/index.js': '',
  'node_modules/nested/node_modules/node_modules/ghost/index.js': '',
  'node_modules/own/package.json': json({
    name: 'own',
    exports: { '.': './index.js', './public': './public.js' },
    imports: { '#helper': './helper.js' },
  }),
  'node_modules/own/index.js': '',
  'node_modules/own/public.js': '',
  'node_modules/own/helper.js': '',
  'node_modules/.dot/index.js': '',
  'node_modules/test/index.js': '',
  'node_modules/dots/index.js': '',
  '..dots/index.js': '',
});

after(() => removeTree(root));

const parents = {
  main: `${root}/main.js`,
  sub: `${root}/sub/parent.js`,
  deeper: `${root}/sub/deeper/parent.js`,
  nested: `${root}/node_modules/nested/index.js`,
  own: `${root}/node_modules/own/index.js`,
  plain: `${root}/node_modules/plain/lib/main.js`,
} as const;

type Case = readonly [id: string, parent?: keyof typeof parents];

const groups: Record<string, readonly Case[]> = {
  'files and extensions': [
    ['./x'],
    ['./x.js'],
    ['./x.json'],
    ['./only-json'],
    ['./only-node'],
    ['./y'],
    ['./y.cjs'],
    ['./noext'],
    ['./nope'],
    ['../x', 'sub'],
    ['../../x', 'deeper'],
    ['./link.js'],
    ['./link'],
    [`${root}/x`],
    [`${root}/dir`],
    [`${root}/nope`],
    ['./x.js/'],
    ['./file-and-dir'],
    ['./file-and-dir/'],
  ],
  'folders (LOAD_AS_DIRECTORY)': [
    ['./dir'],
    ['./dir/'],
    ['./dir-json'],
    ['./dir-empty'],
    ['./dir-main'],
    ['./dir-main-dir'],
    ['./dir-main-bad'],
    ['./dir-main-bad-noindex'],
    ['./dir-pjson-broken'],
    ['.', 'sub'],
    ['..', 'sub'],
    ['./'],
    ['../', 'sub'],
    ['..dots'],
    ['.dots'],
  ],
  'node_modules lookup': [
    ['plain'],
    ['plain/lib/other'],
    ['plain/lib/data'],
    ['plain/lib/data.json'],
    ['plain/folder'],
    ['plain/nope'],
    ['no-pjson'],
    ['shadow'],
    ['shadow', 'sub'],
    ['shadow', 'deeper'],
    ['inner', 'nested'],
    ['ghost', 'nested'],
    ['nested/node_modules/inner'],
    ['linked'],
    ['linked/entry'],
    ['not-installed'],
    ['@scope/plain'],
    ['@scope/plain/other'],
    ['@scope/missing'],
    ['.dot'],
    ['test'],
    ['badjson'],
    ['badjson/index.js'],
    ['x', 'plain'],
    ['main.js', 'plain'],
  ],
  'exports with require conditions': [
    ['conds'],
    ['conds/node-first'],
    ['conds/import-only'],
    ['conds/missing'],
    ['conds/no-ext'],
    ['conds/dir'],
    ['conds/folder'],
    ['conds/pat/a'],
    ['conds/pat/b'],
    ['conds/pat-dir/a.js'],
    ['conds/null'],
    ['conds/invalid'],
    ['conds/enc'],
    ['conds/r.cjs'],
    ['conds/package.json'],
    ['dep-pkg'],
    ['dep-pkg/one'],
    ['@scope/pkg'],
    ['@scope/pkg/sub'],
    ['@scope/pkg/index.js'],
    ['mixed'],
    ['badjson-exports'],
  ],
  'self-reference and imports': [
    ['app'],
    ['app/feature'],
    ['app/hidden'],
    ['app/nope'],
    ['app', 'sub'],
    ['own', 'own'],
    ['own/public', 'own'],
    ['#helper', 'own'],
    ['#int'],
    ['#pat/p'],
    ['#cond'],
    ['#dep'],
    ['#missing'],
    ['#missing-pkg'],
    ['#up'],
    ['#nope'],
    ['#int', 'plain'],
  ],
  'built-in modules': [['fs'], ['node:fs'], ['fs/promises'], ['node:test'], ['node:nope'], ['module']],
  'odd ids': [
    [''],
    ['', 'plain'],
    ['#'],
    ['#/x'],
    ['@scope'],
    ['@scope/'],
    ['plain/'],
    ['plain/lib/'],
    ['./x?query'],
    ['./x#hash'],
    ['@odd/.x'],
    ['@odd/%'],
    ['@odd%/x'],
  ],
};

const resolver = createResolver();

function ours(id: string, parent: string): Outcome {
  try {
    return { ok: true, url: resolver.resolveRequire(id, parent), format: undefined };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { ok: false, code: e.code, name: e.name, message: e.message };
  }
}

for (const [group, cases] of Object.entries(groups)) {
  describe(`require: ${group}`, () => {
    for (const [id, parentName = 'main'] of cases) {
      const parent = parents[parentName];
      test(`${JSON.stringify(id)} from ${parent.slice(root.length + 1)}`, () => {
        let want = nodeRequireResolve(id, parent);
        // Node throws a code-less SyntaxError for an unparsable package.json (see the header).
        if (!want.ok && want.code === undefined && want.message.startsWith('Error parsing ')) {
          assert.equal(want.name, 'SyntaxError');
          want = { ...want, code: 'ERR_INVALID_PACKAGE_CONFIG', name: 'Error' };
        }
        assert.deepEqual(ours(id, parent), want);
      });
    }
  });
}

describe('require: error objects', () => {
  test('MODULE_NOT_FOUND names the id, the parent and the require stack', () => {
    try {
      resolver.resolveRequire('./nope', parents.main, { requireStack: [parents.main, `${root}/sub/parent.js`] });
      assert.fail('expected an error');
    } catch (error) {
      const e = error as Error & Record<string, unknown>;
      assert.equal(e.code, 'MODULE_NOT_FOUND');
      assert.equal(e.specifier, './nope');
      assert.equal(e.referrer, parents.main);
      assert.deepEqual(e.requireStack, [parents.main, `${root}/sub/parent.js`]);
      assert.equal(
        e.message,
        `Cannot find module './nope'\nRequire stack:\n- ${parents.main}\n- ${root}/sub/parent.js`,
      );
    }
  });

  test('a non-string id is an argument error', () => {
    assert.throws(() => resolver.resolveRequire(5 as unknown as string, parents.main), {
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
      name: 'TypeError',
    });
  });

  test('a missing exports target names the package.json', () => {
    try {
      resolver.resolveRequire('conds/missing', parents.main);
      assert.fail('expected an error');
    } catch (error) {
      const e = error as Error & Record<string, unknown>;
      assert.equal(e.code, 'MODULE_NOT_FOUND');
      assert.equal(e.path, `${root}/node_modules/conds/package.json`);
    }
  });
});

describe('require: roots', () => {
  const tree = makeTree({
    'roots/a/lib.js': '',
    'roots/a/both.js': '',
    'roots/a/pkgdir/package.json': json({ main: 'm.js' }),
    'roots/a/pkgdir/m.js': '',
    'roots/a/exp/package.json': json({ exports: { '.': './e.js', './x': { require: './x.js' } } }),
    'roots/a/exp/e.js': '',
    'roots/a/exp/x.js': '',
    'roots/b/second.js': '',
    'roots/b/both.js': '',
    'app/src/parent.js': '',
    'app/src/sibling.js': '',
    'app/src/lib.js': '',
    'app/node_modules/nm-only/index.js': '',
    'app/node_modules/lib.js': '',
    'app/node_modules/both.js': '',
  });
  after(() => removeTree(tree));
  const roots = [`${tree}/roots/a`, `${tree}/roots/b`];
  const parent = `${tree}/app/src/parent.js`;
  const withRoots = createResolver({ roots });

  const findPath = (
    Module as unknown as { _findPath(request: string, paths: string[], isMain: boolean): string | false }
  )._findPath;
  const nodeModulePaths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths;

  for (const id of ['lib', 'lib.js', 'both', 'second', 'pkgdir', 'exp', 'exp/x', 'nm-only', 'sibling', 'nope']) {
    test(`${JSON.stringify(id)}: as Node's _findPath with the roots before node_modules`, () => {
      const want = findPath(id, [...roots, ...nodeModulePaths(dirname(parent))], false);
      let got: string | false;
      try {
        got = withRoots.resolveRequire(id, parent);
      } catch (error) {
        assert.equal((error as { code?: string }).code, 'MODULE_NOT_FOUND');
        got = false;
      }
      assert.equal(got, want);
    });
  }

  test('roots come before node_modules', () => {
    assert.equal(withRoots.resolveRequire('lib', parent), `${tree}/roots/a/lib.js`);
    assert.equal(createResolver().resolveRequire('lib', parent), `${tree}/app/node_modules/lib.js`);
  });

  test('roots are tried in order', () => {
    assert.equal(withRoots.resolveRequire('both', parent), `${tree}/roots/a/both.js`);
    assert.equal(
      createResolver({ roots: [...roots].reverse() }).resolveRequire('both', parent),
      `${tree}/roots/b/both.js`,
    );
  });

  test("a top-level id never resolves against the requiring module's folder", () => {
    assert.throws(() => withRoots.resolveRequire('sibling', parent), { code: 'MODULE_NOT_FOUND' });
    assert.equal(withRoots.resolveRequire('./sibling', parent), `${tree}/app/src/sibling.js`);
  });

  test('relative ids never look in the roots', () => {
    assert.throws(() => withRoots.resolveRequire('./second', parent), { code: 'MODULE_NOT_FOUND' });
  });

  test('per-call roots (or paths) replace the resolver roots', () => {
    assert.equal(
      createResolver().resolveRequire('second', parent, { roots: [`${tree}/roots/b`] }),
      `${tree}/roots/b/second.js`,
    );
    assert.equal(
      createResolver().resolveRequire('second', parent, { paths: [`${tree}/roots/b`] }),
      `${tree}/roots/b/second.js`,
    );
    assert.throws(() => withRoots.resolveRequire('second', parent, { roots: [] }), { code: 'MODULE_NOT_FOUND' });
  });

  test('custom require conditions', () => {
    const importish = createResolver({ requireConditions: ['import'] });
    assert.throws(() => importish.resolveRequire('exp/x', parent, { roots }), {
      code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
    assert.equal(withRoots.resolveRequire('exp/x', parent), `${tree}/roots/a/exp/x.js`);
  });

  test('custom extensions', () => {
    const jsonOnly = createResolver({ extensions: ['.json'] });
    assert.equal(jsonOnly.resolveRequire('./x', parents.main), `${root}/x.json`);
  });
});
