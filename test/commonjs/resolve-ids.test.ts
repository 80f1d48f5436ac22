import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIdResolver, directoryOf, normalizeLocation } from '../../src/commonjs/resolve-ids.js';

function tree(files: Record<string, string>) {
  const dirs = new Set<string>();
  for (const path of Object.keys(files)) {
    for (let i = path.indexOf('/', path.indexOf(':///') + 4); i !== -1; i = path.indexOf('/', i + 1))
      dirs.add(path.slice(0, i));
  }
  return {
    kind: (location: string) => (location in files ? ('file' as const) : dirs.has(location) ? ('dir' as const) : null),
    readText: (location: string) => files[location] ?? null,
  };
}

describe('resolve-ids: locations', () => {
  it('normalizeLocation removes . and .. without climbing above the origin', () => {
    assert.equal(normalizeLocation('memory:///a/b/../c/./d.js'), 'memory:///a/c/d.js');
    assert.equal(normalizeLocation('https://host/a/../../x.js'), 'https://host/x.js');
    assert.equal(normalizeLocation('/a/b/../../../x'), '/x');
    assert.equal(normalizeLocation('memory:///a/b/'), 'memory:///a/b/');
    assert.equal(normalizeLocation('memory:///a/b/..'), 'memory:///a/');
  });
  it('directoryOf keeps the trailing slash', () => {
    assert.equal(directoryOf('memory:///a/b.js'), 'memory:///a/');
    assert.equal(directoryOf('/x.js'), '/');
  });
});

describe('resolve-ids: package exports (memory tree)', () => {
  const files = {
    'm:///app/main.js': '',
    'm:///app/node_modules/p/package.json': JSON.stringify({
      exports: {
        '.': [{ worker: './worker.js' }, { require: './main.cjs.js', default: './main.js' }],
        './feature/*.js': './lib/features/*.js',
        './feature/internal/*.js': null,
        './data/*': { browser: './browser/*.json', default: './data/*.json' },
        './package.json': './package.json',
      },
    }),
    'm:///app/node_modules/p/main.cjs.js': '',
    'm:///app/node_modules/p/main.js': '',
    'm:///app/node_modules/p/lib/features/a.js': '',
    'm:///app/node_modules/p/lib/features/internal/b.js': '',
    'm:///app/node_modules/p/data/x.json': '',
    'm:///app/node_modules/p/browser/x.json': '',
    'm:///app/node_modules/s/package.json': JSON.stringify({ exports: './only.js' }),
    'm:///app/node_modules/s/only.js': '',
    'm:///app/node_modules/s/other.js': '',
    'm:///app/node_modules/bad/package.json': '{ not json',
  };
  const resolver = createIdResolver(tree(files));
  const from = 'm:///app/';

  it('"." with an array and conditions: the first array entry with a matching condition', () => {
    assert.equal(resolver.resolve('p', from, []), 'm:///app/node_modules/p/main.cjs.js');
  });
  it('other conditions (e.g. browser) are chosen when configured', () => {
    const browser = createIdResolver(tree(files), { conditions: ['browser', 'import'] });
    assert.equal(browser.resolve('p', from, []), 'm:///app/node_modules/p/main.js');
    assert.equal(browser.resolve('p/data/x', from, []), 'm:///app/node_modules/p/browser/x.json');
  });
  it('a "*" pattern substitutes the matched part', () => {
    assert.equal(resolver.resolve('p/feature/a.js', from, []), 'm:///app/node_modules/p/lib/features/a.js');
    assert.equal(resolver.resolve('p/data/x', from, []), 'm:///app/node_modules/p/data/x.json');
  });
  it('the longer pattern prefix wins, and a null target hides the subpath', () => {
    assert.throws(() => resolver.resolve('p/feature/internal/b.js', from, []), {
      code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  });
  it('a string "exports" is the main entry only', () => {
    assert.equal(resolver.resolve('s', from, []), 'm:///app/node_modules/s/only.js');
    assert.throws(() => resolver.resolve('s/other.js', from, []), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });
  it('an exported target that does not exist is a miss (null)', () => {
    assert.equal(resolver.resolve('p/feature/zzz.js', from, []), null);
  });
  it('an unparsable package.json: ERR_INVALID_PACKAGE_CONFIG', () => {
    assert.throws(() => resolver.resolve('bad', from, []), { code: 'ERR_INVALID_PACKAGE_CONFIG' });
  });
  it('absolute URLs and rooted paths', () => {
    assert.equal(resolver.resolve('m:///app/main', 'm:///other/', []), 'm:///app/main.js');
    assert.equal(resolver.resolve('/app/main', 'm:///other/', []), 'm:///app/main.js');
  });
  it('node_modules folders are searched upward from the requiring folder, skipping node_modules/node_modules', () => {
    assert.equal(resolver.resolve('s', 'm:///app/node_modules/p/lib/features/', []), 'm:///app/node_modules/s/only.js');
    assert.equal(resolver.resolve('s', 'm:///elsewhere/', []), null);
  });
});
