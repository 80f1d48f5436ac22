/**
 * `import` resolution compared with Node's own resolver on a fixture tree, case by case: same
 * URL, same format, or the same error (code, class and message, including Node's "Did you mean"
 * hint).
 *
 * Where modhost deliberately answers differently, the expected value is written out here and
 * the reason given: `.wasm` files are "wasm" (Node says nothing without
 * --experimental-wasm-modules), `node:` URLs always have format "builtin" (Node's resolver
 * leaves the format out when the specifier already has the scheme), and TypeScript files have
 * Node 24's formats on Node 20 too.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createResolver, DEFAULT_IMPORT_CONDITIONS } from '../../../src/hosts/node/resolve.js';
import {
  fileURL,
  type ImportQuery,
  makeTree,
  nodeImportResolve,
  type Outcome,
  outcomeOf,
  removeTree,
} from './resolve-helpers.js';

const json = (value: unknown): string => JSON.stringify(value);

const root = makeTree({
  'package.json': json({
    name: 'app',
    type: 'module',
    exports: { '.': './main.js', './feature': './feature.js', './hidden': null },
    imports: {
      '#int': './internal/x.js',
      '#pat/*': './internal/*.js',
      '#pat/deep/*': './internal/deep/*.js',
      '#cond': { node: './internal/node.js', default: './internal/def.js' },
      '#browser-only': { browser: './internal/b.js' },
      '#null': null,
      '#dep': 'dep-pkg',
      '#dep-sub/*': 'dep-pkg/*',
      '#dep-missing': 'not-installed',
      '#dep-broken': 'dep-broken/x',
      '#up': '../x.js',
      '#abs': '/x.js',
      '#url': 'file:///x.js',
      '#fs': 'fs',
      '#nodefs': 'node:fs',
      '#missing': './internal/missing.js',
      '#dir': './internal/',
      '#nm': './node_modules/dep-pkg/index.js',
      '#num': 5,
      '#arr': ['nope-not-relative-and-not-a-package/../x', './internal/x.js'],
      '#sugar-mixed': { '.': './a.js', node: './b.js' },
    },
  }),
  'main.js': '',
  'feature.js': '',
  'x.js': '',
  'y.cjs': '',
  'z.mjs': '',
  'data.json': '{}',
  'w.wasm': '',
  noext: '',
  '.mjs': '',
  'file.ts': '',
  'file.mts': '',
  'file.cts': '',
  'sub/a.ts': '',
  'notype/a.ts': '',
  'a b.js': '',
  'ünï.js': '',
  'dir/index.js': '',
  'internal/x.js': '',
  'internal/node.js': '',
  'internal/def.js': '',
  'internal/deep/y.js': '',
  'internal/p.js': '',
  'sub/package.json': json({ type: 'commonjs' }),
  'sub/a.js': '',
  'sub/noext': '',
  'sub/parent.js': '',
  'sub/node_modules/shadow/package.json': json({ exports: './inner.js' }),
  'sub/node_modules/shadow/inner.js': '',
  'notype/package.json': json({ name: 'notype' }),
  'notype/a.js': '',
  'notype/parent.js': '',
  'badtype/package.json': json({ type: 'Module' }),
  'badtype/a.js': '',
  'broken/package.json': '{"name": "broken", ',
  'broken/a.js': '',
  'packages/linked-real/package.json': json({ name: 'linked', exports: { '.': './index.js', './*': './lib/*.js' } }),
  'packages/linked-real/index.js': '',
  'packages/linked-real/lib/util.js': '',
  'node_modules/linked': { symlink: '../packages/linked-real' },
  'real-file.js': '',
  'file-link.js': { symlink: './real-file.js' },
  'node_modules/shadow/package.json': json({ exports: './outer.js' }),
  'node_modules/shadow/outer.js': '',
  'node_modules/dep-pkg/package.json': json({ name: 'dep-pkg', exports: { '.': './index.js', './*': './lib/*.js' } }),
  'node_modules/dep-pkg/index.js': '',
  'node_modules/dep-pkg/lib/one.js': '',
  'node_modules/dep-broken/package.json': '{]',
  // exports sugar
  'node_modules/sugar-string/package.json': json({ exports: './main.js' }),
  'node_modules/sugar-string/main.js': '',
  'node_modules/sugar-cond/package.json': json({
    exports: { require: './r.cjs', import: './i.mjs', default: './d.js' },
  }),
  'node_modules/sugar-cond/i.mjs': '',
  'node_modules/sugar-cond/r.cjs': '',
  'node_modules/sugar-cond/d.js': '',
  'node_modules/sugar-array/package.json': json({ exports: ['./a.js', './b.js'] }),
  'node_modules/sugar-array/b.js': '',
  // nested conditions
  'node_modules/nested/package.json': json({
    type: 'module',
    exports: {
      '.': { node: { import: './node-import.js', default: './node-default.js' }, default: './fallback.js' },
      './feature': { browser: './b.js', modhost: './modhost.js', default: './f.js' },
      './req-only': { require: './r.cjs' },
      './deep': { node: { browser: './nb.js' }, import: { node: { default: './deep.js' } } },
      './types-first': { types: './t.d.ts', default: './d.js' },
    },
  }),
  'node_modules/nested/node-import.js': '',
  'node_modules/nested/b.js': '',
  'node_modules/nested/modhost.js': '',
  'node_modules/nested/deep.js': '',
  'node_modules/nested/d.js': '',
  // arrays of targets
  'node_modules/arrays/package.json': json({
    exports: {
      './first-valid': ['not-relative.js', './ok.js'],
      './missing-first': ['./missing.js', './ok.js'],
      './cond-then': [{ browser: './b.js' }, './ok.js'],
      './empty': [],
      './null-first': [null, './ok.js'],
      './all-invalid': ['bad-one', 'bad-two'],
      './invalid-then-unmatched': ['bad-one', { browser: './b.js' }],
      './null-then-invalid': [null, 'bad-one'],
      './invalid-then-null': ['bad-one', null],
      './nested': [['bad', './ok.js']],
      './num': [5, './ok.js'],
      './config-error': [{ 0: './a.js' }, './ok.js'],
    },
  }),
  'node_modules/arrays/ok.js': '',
  // patterns
  'node_modules/patterns/package.json': json({
    exports: {
      '.': './index.js',
      './*': './root/*',
      './features/*': './src/features/*.js',
      './features/*.js': './src/features/*.js',
      './features/private/*': null,
      './features/x/*/y': './xy/*.js',
      './a*': './a-star/*.js',
      './ab*': './ab-star/*.js',
      './ab*z': './ab-z/*.js',
      './multi/*': './m/*/*.js',
      './two/*/*': './never.js',
      './dir/*': './dirs/*',
      './trail/*/': './trail/*.js',
      './cond/*': { modhost: './cond-modhost/*.js', default: './cond-default/*.js' },
      './star-in-trailer/*.js': './sit/*.mjs',
    },
  }),
  'node_modules/patterns/index.js': '',
  'node_modules/patterns/root/r.js': '',
  'node_modules/patterns/src/features/f.js': '',
  'node_modules/patterns/src/features/g/h.js': '',
  'node_modules/patterns/src/features/f.js.js': '',
  'node_modules/patterns/xy/q.js': '',
  'node_modules/patterns/a-star/x.js': '',
  'node_modules/patterns/ab-star/c.js': '',
  'node_modules/patterns/ab-z/c.js': '',
  'node_modules/patterns/m/k/k.js': '',
  'node_modules/patterns/dirs/sub/': '',
  'node_modules/patterns/cond-modhost/c.js': '',
  'node_modules/patterns/sit/s.mjs': '',
  'node_modules/patterns/root/a%2Fb.js': '',
  // null targets and invalid targets
  'node_modules/invalid/package.json': json({
    exports: {
      './secret': null,
      './up': '../outside.js',
      './nm': './node_modules/x.js',
      './nm-case': './NODE_MODULES/x.js',
      './dot': './a/./b.js',
      './dotdot': './a/../b.js',
      './enc-dot': './%2e%2e/x.js',
      './enc-nm': './a/%6eode_modules/b.js',
      './empty-seg': './a//b.js',
      './abs': '/abs.js',
      './url': 'file:///etc/passwd',
      './bare': 'dep-pkg',
      './num': 5,
      './bool': true,
      './obj-invalid': { default: 'nope' },
      './pat/*': './p/*.js',
      './backslash/*': './bs/*.js',
      './enc-sep': './a%2fb.js',
    },
  }),
  'node_modules/invalid/a/b.js': '',
  'node_modules/invalid/p/ok.js': '',
  'node_modules/invalid/bs/ok.js': '',
  'node_modules/invalid/a%2fb.js': '',
  'node_modules/mixed-keys/package.json': json({ exports: { '.': './a.js', import: './b.js' } }),
  'node_modules/numeric-keys/package.json': json({ exports: { '.': { 0: './a.js', default: './b.js' } } }),
  'node_modules/exports-null/package.json': json({ exports: null, main: 'main.js' }),
  'node_modules/exports-null/main.js': '',
  'node_modules/exports-false/package.json': json({ exports: false, main: 'main.js' }),
  'node_modules/exports-empty/package.json': json({ exports: {} }),
  'node_modules/exports-number/package.json': json({ exports: 5 }),
  // main field (legacy main resolution)
  'node_modules/main-ext/package.json': json({ main: 'lib/entry' }),
  'node_modules/main-ext/lib/entry.js': '',
  'node_modules/main-dir/package.json': json({ main: './lib/' }),
  'node_modules/main-dir/lib/index.json': '{}',
  'node_modules/main-exact/package.json': json({ main: 'entry.mjs' }),
  'node_modules/main-exact/entry.mjs': '',
  'node_modules/main-missing/package.json': json({ main: 'gone.js' }),
  'node_modules/main-missing-index/package.json': json({ main: 'gone.js' }),
  'node_modules/main-missing-index/index.js': '',
  'node_modules/main-none/package.json': json({}),
  'node_modules/main-none/index.js': '',
  'node_modules/main-none/file.js': '',
  'node_modules/main-none/folder/index.js': '',
  'node_modules/main-none/data.json': '{}',
  'node_modules/main-empty/package.json': json({ main: '' }),
  'node_modules/main-nothing/package.json': json({}),
  'node_modules/no-pjson/index.js': '',
  'node_modules/no-pjson/lib.js': '',
  'node_modules/main-typed/package.json': json({ type: 'module', main: 'm.js' }),
  'node_modules/main-typed/m.js': '',
  // scoped packages
  'node_modules/@scope/pkg/package.json': json({
    name: '@scope/pkg',
    exports: { '.': './index.js', './sub': './sub.js' },
  }),
  'node_modules/@scope/pkg/index.js': '',
  'node_modules/@scope/pkg/sub.js': '',
  'node_modules/@scope/plain/package.json': json({ main: 'main.js' }),
  'node_modules/@scope/plain/main.js': '',
  'node_modules/@scope/plain/other.js': '',
  // broken package.json
  'node_modules/badjson/package.json': '{ "name": "badjson", }',
  'node_modules/badjson/index.js': '',
  'node_modules/bom/package.json': '\ufeff{"exports":"./bom.js"}',
  'node_modules/bom/bom.js': '',
  'node_modules/array-pjson/package.json': '[1, 2]',
  'node_modules/array-pjson/index.js': '',
  // a package without a package.json "type": its scope stops at node_modules
  'node_modules/typeless/package.json': json({ exports: './a.js' }),
  'node_modules/typeless/a.js': '',
  'node_modules/scopeless/x.js': '',
  // a package's own imports, and a self-reference from inside node_modules
  'node_modules/own/package.json': json({
    name: 'own',
    type: 'commonjs',
    exports: { '.': './index.js', './public': './public.js' },
    imports: { '#helper': './helper.js', '#ext': 'dep-pkg' },
  }),
  'node_modules/own/index.js': '',
  'node_modules/own/public.js': '',
  'node_modules/own/helper.js': '',
  'node_modules/own/node_modules/dep-pkg/package.json': json({ exports: './nested-dep.js' }),
  'node_modules/own/node_modules/dep-pkg/nested-dep.js': '',
  'node_modules/test/package.json': json({ exports: './not-node-test.js' }),
  'node_modules/test/not-node-test.js': '',
});

after(() => removeTree(root));

const rootURL = fileURL(root);
const parents = {
  main: `${rootURL}/main.js`,
  sub: `${rootURL}/sub/parent.js`,
  notype: `${rootURL}/notype/parent.js`,
  broken: `${rootURL}/broken/a.js`,
  own: `${rootURL}/node_modules/own/index.js`,
  ownLinked: `${rootURL}/node_modules/linked/index.js`,
  deepInside: `${rootURL}/node_modules/patterns/src/features/f.js`,
} as const;

type Case = readonly [specifier: string, parent?: keyof typeof parents];

const groups: Record<string, readonly Case[]> = {
  'relative and absolute paths': [
    ['./x.js'],
    ['./y.cjs'],
    ['./z.mjs'],
    ['./data.json'],
    ['./noext'],
    ['./.mjs'],
    ['./file.ts'],
    ['./file.mts'],
    ['./file.cts'],
    ['./a.ts', 'sub'],
    ['./a.ts', 'notype'],
    ['../x.js', 'sub'],
    ['./a.js', 'sub'],
    ['./noext', 'sub'],
    ['./a.js', 'notype'],
    ['../badtype/a.js'],
    ['./x.js?query=1#hash'],
    ['./x.js#only-hash'],
    ['./a%20b.js'],
    ['./a b.js'],
    ['./ünï.js'],
    ['./%C3%BCn%C3%AF.js'],
    ['./x%2Ejs'],
    ['./internal/../x.js'],
    ['.//x.js'],
    [`${rootURL}/x.js`],
    [`${rootURL}/sub/a.js`],
    [`${root}/x.js`],
    ['./file-link.js'],
    ['./node_modules/linked/lib/util.js'],
  ],
  'missing files and directories': [
    ['./nope.js'],
    ['./x'],
    ['./dir'],
    ['./dir/'],
    ['./nope/'],
    ['./x.js/'],
    ['.'],
    ['..'],
    ['./internal'],
    [`${rootURL}/x`],
    [`${rootURL}/dir`],
    ['./a.mjs', 'sub'],
    ['../nope'],
  ],
  'percent-encoded separators': [
    ['./a%2Fb.js'],
    ['./a%2fb.js'],
    ['./a%5Cb.js'],
    ['./a%5cb.js'],
    ['patterns/a%2Fb.js'],
    ['invalid/enc-sep'],
  ],
  'built-in modules': [
    ['fs'],
    ['node:fs'],
    ['fs/promises'],
    ['node:fs/promises'],
    ['node:test'],
    ['test'],
    ['path/posix'],
    ['node:nope'],
    ['module'],
  ],
  'exports sugar': [
    ['sugar-string'],
    ['sugar-string/main.js'],
    ['sugar-cond'],
    ['sugar-array'],
    ['mixed-keys'],
    ['mixed-keys/x'],
    ['exports-null'],
    ['exports-false'],
    ['exports-empty'],
    ['exports-number'],
    ['bom'],
  ],
  'nested conditions': [
    ['nested'],
    ['nested/feature'],
    ['nested/req-only'],
    ['nested/deep'],
    ['nested/types-first'],
    ['nested/missing'],
    ['nested/package.json'],
  ],
  'arrays of targets': [
    ['arrays/first-valid'],
    ['arrays/missing-first'],
    ['arrays/cond-then'],
    ['arrays/empty'],
    ['arrays/null-first'],
    ['arrays/all-invalid'],
    ['arrays/invalid-then-unmatched'],
    ['arrays/null-then-invalid'],
    ['arrays/invalid-then-null'],
    ['arrays/nested'],
    ['arrays/num'],
    ['arrays/config-error'],
  ],
  'patterns and their ordering': [
    ['patterns'],
    ['patterns/r.js'],
    ['patterns/features/f'],
    ['patterns/features/f.js'],
    ['patterns/features/g/h'],
    ['patterns/features/private/x'],
    ['patterns/features/x/q/y'],
    ['patterns/features/'],
    ['patterns/ax'],
    ['patterns/abc'],
    ['patterns/abcz'],
    ['patterns/multi/k'],
    ['patterns/two/a/b'],
    ['patterns/dir/sub'],
    ['patterns/dir/sub/'],
    ['patterns/trail/t/'],
    ['patterns/cond/c'],
    ['patterns/star-in-trailer/s.js'],
    ['patterns/features/../../root/r'],
    ['patterns/features/%2e%2e/x'],
    ['patterns/features/node_modules/x'],
    ['patterns/features/a//b'],
    ['patterns/features/x?y'],
    ['patterns/r.js#frag'],
    ['patterns/features/f', 'deepInside'],
  ],
  'null and invalid targets': [
    ['invalid/secret'],
    ['invalid/up'],
    ['invalid/nm'],
    ['invalid/nm-case'],
    ['invalid/dot'],
    ['invalid/dotdot'],
    ['invalid/enc-dot'],
    ['invalid/enc-nm'],
    ['invalid/empty-seg'],
    ['invalid/abs'],
    ['invalid/url'],
    ['invalid/bare'],
    ['invalid/num'],
    ['invalid/bool'],
    ['invalid/obj-invalid'],
    ['invalid/pat/ok'],
    ['invalid/pat/../p/ok'],
    ['invalid/pat/./ok'],
    ['invalid/pat/.'],
    ['invalid/pat/%2E%2E/ok'],
    ['invalid/pat/NODE_MODULES/ok'],
    ['invalid/backslash/a\\..\\ok'],
    ['invalid/nope'],
    ['numeric-keys'],
  ],
  imports: [
    ['#int'],
    ['#pat/p'],
    ['#pat/deep/y'],
    ['#pat/deep'],
    ['#cond'],
    ['#browser-only'],
    ['#null'],
    ['#dep'],
    ['#dep-sub/one'],
    ['#dep-missing'],
    ['#dep-broken'],
    ['#up'],
    ['#abs'],
    ['#url'],
    ['#fs'],
    ['#nodefs'],
    ['#missing'],
    ['#dir'],
    ['#nm'],
    ['#num'],
    ['#arr'],
    ['#sugar-mixed'],
    ['#undefined'],
    ['#'],
    ['#/x'],
    ['#int/'],
    ['#pat/../x'],
    ['#int', 'sub'],
    ['#helper', 'own'],
    ['#ext', 'own'],
    ['#int', 'own'],
    ['#x', 'broken'],
  ],
  'self-reference': [
    ['app'],
    ['app/feature'],
    ['app/hidden'],
    ['app/nope'],
    ['app', 'sub'],
    ['own', 'own'],
    ['own/public', 'own'],
    ['own/index.js', 'own'],
    ['notype', 'notype'],
    ['linked', 'ownLinked'],
    ['x', 'broken'],
  ],
  'packages, main and node_modules lookup': [
    ['main-ext'],
    ['main-dir'],
    ['main-exact'],
    ['main-missing'],
    ['main-missing-index'],
    ['main-none'],
    ['main-none/file.js'],
    ['main-none/file'],
    ['main-none/folder'],
    ['main-none/folder/'],
    ['main-none/data.json'],
    ['main-none/'],
    ['main-empty'],
    ['main-nothing'],
    ['no-pjson'],
    ['no-pjson/lib.js'],
    ['no-pjson/lib'],
    ['main-typed'],
    ['typeless'],
    ['scopeless/x.js'],
    ['not-installed'],
    ['not-installed/sub'],
    ['shadow'],
    ['shadow', 'sub'],
    ['dep-pkg', 'own'],
    ['dep-pkg/one'],
    ['linked'],
    ['linked/util'],
    ['badjson'],
    ['badjson/index.js'],
    ['array-pjson'],
    [''],
  ],
  'scoped packages': [
    ['@scope/pkg'],
    ['@scope/pkg/sub'],
    ['@scope/pkg/nope'],
    ['@scope/plain'],
    ['@scope/plain/other.js'],
    ['@scope/plain/other'],
    ['@scope/missing'],
    ['@scope'],
    ['@scope/'],
  ],
  'invalid package names': [['.hidden'], ['%41'], ['a\\b'], ['@s\\x/y']],
  'URLs of other schemes': [['data:text/javascript,export default 1'], ['https://example.com/a.js'], ['x:y']],
};

const conditions = [...DEFAULT_IMPORT_CONDITIONS];
const queries: { group: string; query: ImportQuery }[] = [];
for (const [group, cases] of Object.entries(groups)) {
  for (const [specifier, parent = 'main'] of cases)
    queries.push({ group, query: { specifier, parent: parents[parent], conditions } });
}
const expected = nodeImportResolve(queries.map((entry) => entry.query));

/**
 * The format of the fixture's TypeScript files, as Node 22.18+ resolves them (Node 20 has no
 * TypeScript and says nothing): `.mts` and `.cts` by their extension, `.ts` by the package "type"
 * (without one, "module-typescript" until the load step reads the file).
 */
const TYPESCRIPT_FORMATS: Record<string, string> = {
  'file.ts': 'module-typescript',
  'file.mts': 'module-typescript',
  'file.cts': 'commonjs-typescript',
  'sub/a.ts': 'commonjs-typescript',
  'notype/a.ts': 'module-typescript',
};

/** modhost's deliberate differences from Node (see the header). */
function adjustForModhost(query: ImportQuery, outcome: Outcome): Outcome {
  if (!outcome.ok) return outcome;
  // modhost strips TypeScript on every Node, as Node 24 does.
  const typescript = TYPESCRIPT_FORMATS[outcome.url.slice(rootURL.length + 1)];
  if (typescript !== undefined && outcome.format === undefined) return { ...outcome, format: typescript };
  if (outcome.url.startsWith('node:')) return { ...outcome, format: 'builtin' };
  if (outcome.url.startsWith('file:') && new URL(outcome.url).pathname.endsWith('.wasm'))
    return { ...outcome, format: 'wasm' };
  if (outcome.url.startsWith('data:text/javascript,')) return { ...outcome, format: 'module' };
  void query;
  return outcome;
}

const resolver = createResolver();

for (const [group] of Object.entries(groups)) {
  describe(`import: ${group}`, () => {
    queries.forEach((entry, index) => {
      if (entry.group !== group) return;
      const { specifier, parent } = entry.query;
      const from = parent.slice(rootURL.length + 1);
      test(`${JSON.stringify(specifier)} from ${from}`, () => {
        const want = adjustForModhost(entry.query, expected[index]!);
        const got = outcomeOf(() => resolver.resolve(specifier, parent));
        assert.deepEqual(got, want);
      });
    });
  });
}

describe('import: error objects', () => {
  test('name the specifier and the importer in fields', () => {
    try {
      resolver.resolve('./nope.js', parents.main);
      assert.fail('expected an error');
    } catch (error) {
      const e = error as Error & Record<string, unknown>;
      assert.equal(e.code, 'ERR_MODULE_NOT_FOUND');
      assert.equal(e.specifier, './nope.js');
      assert.equal(e.referrer, parents.main);
      assert.equal(e.url, `${rootURL}/nope.js`);
    }
  });

  test('package errors carry the package.json path', () => {
    try {
      resolver.resolve('invalid/up', parents.main);
      assert.fail('expected an error');
    } catch (error) {
      const e = error as Error & Record<string, unknown>;
      assert.equal(e.code, 'ERR_INVALID_PACKAGE_TARGET');
      assert.equal(e.specifier, 'invalid/up');
      assert.equal(e.referrer, parents.main);
      assert.equal(e.packageJsonPath, `${root}/node_modules/invalid/package.json`);
    }
  });

  test('the top-level specifier is kept when the failure is in a nested package target', () => {
    try {
      resolver.resolve('#dep-missing', parents.main);
      assert.fail('expected an error');
    } catch (error) {
      const e = error as Error & Record<string, unknown>;
      assert.equal(e.code, 'ERR_MODULE_NOT_FOUND');
      assert.equal(e.specifier, '#dep-missing');
      assert.match(e.message, /Cannot find package 'not-installed'/);
    }
  });

  test('errors keep the base classes Node uses', () => {
    const classOf = (specifier: string): string => {
      try {
        resolver.resolve(specifier, parents.main);
      } catch (error) {
        return (error as Error).constructor.name;
      }
      return 'none';
    };
    assert.equal(classOf('./a%2Fb.js'), 'TypeError');
    assert.equal(classOf('#undefined'), 'TypeError');
    assert.equal(classOf('./nope.js'), 'Error');
    assert.equal(classOf('invalid/secret'), 'Error');
  });

  test('an unparsable parent URL is an argument error', () => {
    assert.throws(() => resolver.resolve('./x.js', 'not a url'), {
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
      name: 'TypeError',
    });
  });
});

describe('import: custom conditions (Node run with the same list)', () => {
  const lists: readonly (readonly string[])[] = [['browser', 'import'], ['require'], [], ['node', 'import', 'types']];
  const specs = [
    'nested',
    'nested/feature',
    'nested/deep',
    'nested/req-only',
    'nested/types-first',
    'sugar-cond',
    '#cond',
    '#browser-only',
    'patterns/cond/c',
  ];
  const batch: ImportQuery[] = [];
  for (const list of lists)
    for (const specifier of specs) batch.push({ specifier, parent: parents.main, conditions: list });
  const answers = nodeImportResolve(batch);
  batch.forEach((query, index) => {
    test(`${query.specifier} with [${query.conditions!.join(', ')}]`, () => {
      const got = outcomeOf(() => resolver.resolve(query.specifier, query.parent, { conditions: query.conditions! }));
      assert.deepEqual(got, adjustForModhost(query, answers[index]!));
    });
  });

  test('a resolver made with conditions uses them by default', () => {
    const browser = createResolver({ conditions: ['browser', 'import'] });
    assert.equal(browser.resolve('nested/feature', parents.main).url, `${rootURL}/node_modules/nested/b.js`);
    assert.equal(resolver.resolve('nested/feature', parents.main).url, `${rootURL}/node_modules/nested/modhost.js`);
  });
});

describe('import: formats that Node leaves to the loader', () => {
  test('.wasm is "wasm"', () => {
    assert.deepEqual(resolver.resolve('./w.wasm', parents.main), { url: `${rootURL}/w.wasm`, format: 'wasm' });
  });
  test('data: URLs take the format of their MIME type', () => {
    assert.equal(resolver.resolve('data:text/javascript,1', parents.main).format, 'module');
    assert.equal(resolver.resolve('data:application/json,{}', parents.main).format, 'json');
    assert.equal(resolver.resolve('data:application/wasm;base64,AA==', parents.main).format, 'wasm');
    assert.equal(resolver.resolve('data:text/plain,1', parents.main).format, undefined);
  });
  test('relative specifiers cannot be resolved against a data: importer', () => {
    assert.throws(() => resolver.resolve('./x.js', 'data:text/javascript,1'), {
      code: 'ERR_INVALID_MODULE_SPECIFIER',
      name: 'TypeError',
    });
    assert.throws(() => resolver.resolve('lodash', 'data:text/javascript,1'), { code: 'ERR_INVALID_MODULE_SPECIFIER' });
    assert.deepEqual(resolver.resolve('fs', 'data:text/javascript,1'), { url: 'node:fs', format: 'builtin' });
  });
});
