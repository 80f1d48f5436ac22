import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CommonJSModule } from '../../src/commonjs/index.js';
import { createNodeCommonJS } from '../../src/hosts/node/commonjs-loader.js';
import { FIXTURES, fields, nodeSetup, SETUPS } from './helpers.js';

const ROOTS_NODE = ['require/roots/lib1', 'require/roots/lib2'];

for (const make of SETUPS) {
  const name = make().name;
  const withRoots = (extra = {}) => {
    const probe = make();
    const roots = ROOTS_NODE.map((root) => probe.filename(root));
    return make({ roots, ...extra });
  };

  describe(`require - ${name}`, () => {
    it('returns the same exports every time and runs the body once, whatever the spelling of the id', () => {
      const { cjs, traces } = make();
      const twice = cjs.require('./require/twice') as { same: boolean };
      assert.equal(twice.same, true);
      assert.equal(cjs.require('./require/once'), cjs.require('./require/once.js'));
      assert.deepEqual(traces, ['once: body']);
    });

    it('relative ids resolve against the requiring module', () => {
      const { cjs } = make();
      const a = cjs.require('./require/relative/a') as Record<string, Record<string, string>>;
      assert.equal(a.b!.name, 'relative/b');
      assert.equal(a.up!.name, 'up');
      assert.deepEqual(a.deep, { name: 'relative/deeper/c', back: 'relative/b' });
    });

    it('top-level ids: roots in order, then node_modules (roots win), packages by main, index, scope, exports', () => {
      const { cjs } = withRoots();
      assert.deepEqual(cjs.require('./require/sub/top-level'), {
        shared: 'lib1',
        only2: 'lib2 only',
        shadowed: 'root, not node_modules',
        pkgMain: 'pkg-main/lib/entry',
        pkgIndex: 'pkg-index/index',
        scoped: '@scope/pkg',
        exported: 'pkg-exports/main',
        exportedSub: 'pkg-exports/feature',
      });
    });

    it("top-level ids never resolve against the requiring module's folder", () => {
      const { cjs } = withRoots();
      assert.throws(() => cjs.require('./require/sub/determinism'), { code: 'MODULE_NOT_FOUND' });
    });

    it('a package subpath missing from "exports": ERR_PACKAGE_PATH_NOT_EXPORTED, no fallback to the file', () => {
      const { cjs } = make();
      const probe = cjs.require('./require/not-exported') as Record<string, () => unknown>;
      for (const load of [probe.hidden!, probe.esmOnly!]) {
        assert.throws(load, (error: unknown) => {
          assert.equal(fields(error).code, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
          assert.ok(error instanceof Error);
          return true;
        });
      }
    });

    it('.js may be omitted; .json files parse; a directory loads its index.js (with or without /)', () => {
      const { cjs } = make();
      const ext = cjs.require('./require/extensions') as Record<string, unknown>;
      assert.deepEqual(ext.json, { list: [1, 2, 3], nested: { ok: true } });
      assert.equal(ext.json, ext.jsonExplicit);
      assert.deepEqual(ext.dir, { name: 'dir/index' });
      assert.equal(ext.dir, ext.dirSlash);
      assert.deepEqual(ext.noExt, { name: 'up' });
    });

    it('ids named like Object.prototype members load their files', () => {
      const { cjs } = make({ roots: [make().filename('require/weird')] });
      assert.deepEqual((cjs.require('./require/weird-ids') as { names: string[] }).names, [
        'hasOwnProperty',
        'constructor',
        'toString',
        'valueOf',
        '__proto__',
        'isPrototypeOf',
      ]);
    });

    it('module fields: id, filename, uri, exports, dependencies, children, parent, loaded, __filename, this', () => {
      const { cjs, filename, uri } = make();
      const snapshot = (cjs.require('./require/fields') as { snapshot: Record<string, unknown> }).snapshot;
      const self = filename('require/fields.js');
      assert.equal(snapshot.id, self);
      assert.equal(snapshot.filename, self);
      assert.equal(snapshot.filenameVar, self);
      assert.equal(snapshot.uri, uri('require/fields.js'));
      assert.equal(snapshot.dirname, filename('require'));
      assert.equal(snapshot.exportsIsExports, true);
      assert.equal(snapshot.thisIsExports, true);
      assert.equal(snapshot.loadedWhileRunning, false);
      // First-require order, no duplicates (./up was required twice).
      assert.deepEqual(snapshot.dependencies, [
        uri('require/up.js'),
        uri('require/data.json'),
        uri('require/relative/b.js'),
      ]);
      assert.deepEqual(snapshot.children, [
        filename('require/up.js'),
        filename('require/data.json'),
        filename('require/relative/b.js'),
      ]);
      assert.deepEqual(snapshot.childParents, [true, true, true]);
      assert.equal(snapshot.requireCacheHasSelf, true);
      assert.equal(snapshot.resolveUp, filename('require/up.js'));
      assert.equal(snapshot.moduleRequireIsRequire, true);
      const module = cjs.cache[self]!;
      assert.ok(module instanceof CommonJSModule);
      assert.equal(module.loaded, true);
      assert.equal(module.parent, null);
      assert.equal(module.exports, cjs.require('./require/fields'));
    });

    it("a module already cached is added to a new requirer's children and dependencies", () => {
      const { cjs, filename } = make();
      cjs.require('./require/up');
      cjs.require('./require/fields');
      const fieldsModule = cjs.cache[filename('require/fields.js')]!;
      const up = cjs.cache[filename('require/up.js')]!;
      assert.ok(fieldsModule.children.includes(up));
      assert.equal(up.parent, null, 'parent stays the first requirer (here the host)');
    });

    it('require.cache: keyed by filename; deleting an entry makes the next require run the module again', () => {
      const { cjs, traces, filename } = make();
      const first = cjs.require('./require/counter') as object;
      const key = filename('require/counter.js');
      assert.equal(cjs.require.cache, cjs.cache);
      assert.equal(cjs.cache[key]!.exports, first);
      assert.equal(Object.getPrototypeOf(cjs.cache), null);
      delete cjs.cache[key];
      const second = cjs.require('./require/counter');
      assert.notEqual(second, first);
      assert.deepEqual(traces, ['counter: body', 'counter: body']);
      assert.equal(cjs.require('./require/counter'), second);
    });

    it('require.cache entries placed by hand are returned as they are', () => {
      const { cjs, filename } = make();
      const key = filename('require/up.js');
      cjs.cache[key] = { exports: 'stub' } as unknown as CommonJSModule;
      assert.equal(cjs.require('./require/up'), 'stub');
      assert.equal((cjs.require('./require/relative/a') as { up: unknown }).up, 'stub');
    });

    it('require.resolve returns the filename without running the module', () => {
      const { cjs, traces, filename } = make();
      assert.equal(cjs.require.resolve('./require/once'), filename('require/once.js'));
      assert.deepEqual(traces, []);
      assert.equal(cjs.cache[filename('require/once.js')], undefined);
    });

    it('use(id) runs the main module and sets require.main for every module', () => {
      const { cjs, filename } = make();
      assert.equal(cjs.require.main, undefined);
      const exports = cjs.use('./require/main-check') as Record<string, unknown>;
      assert.equal(exports.mainIsSelf, true);
      assert.equal(exports.childSeesMain, true);
      assert.equal(exports.parent, null);
      assert.equal(cjs.require.main, cjs.cache[filename('require/main-check.js')]);
      // A later use() loads like require and keeps the first main.
      cjs.use('./require/once');
      assert.equal(cjs.require.main, cjs.cache[filename('require/main-check.js')]);
    });

    it('invalid ids: ERR_MODHOST_INVALID_ARGUMENT (TypeError)', () => {
      const { cjs } = make();
      for (const id of ['', 42, undefined, null, {}]) {
        assert.throws(() => cjs.require(id as string), { code: 'ERR_MODHOST_INVALID_ARGUMENT', name: 'TypeError' });
        assert.throws(() => cjs.require.resolve(id as string), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
        assert.throws(() => cjs.use(id as string), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
      }
    });

    it('two runtimes over the same files run each module once per runtime', () => {
      const one = make();
      const two = make();
      assert.notEqual(one.cjs.require('./require/once'), two.cjs.require('./require/once'));
      assert.deepEqual([...one.traces, ...two.traces], ['once: body', 'once: body']);
    });

    it('a hashbang line and a byte order mark are ignored; a BOM before JSON too', () => {
      const { cjs } = make();
      assert.deepEqual(cjs.require('./errors/hashbang'), { hashbang: true });
      assert.deepEqual(cjs.require('./errors/bom'), { bom: true });
      assert.deepEqual(cjs.require('./errors/bom.json'), { bom: true });
    });
  });
}

describe('require - node loader specifics', () => {
  it('built-in modules come from Node (bare and node: ids are the same module)', () => {
    const { cjs } = nodeSetup();
    assert.deepEqual(cjs.require('./require/builtins'), { path: true, join: 'a/b', fs: 'function' });
  });

  it('package "imports" (#ids), as Node resolves them', () => {
    const { cjs } = nodeSetup();
    const expected = createRequire(import.meta.url)(join(FIXTURES, 'require/imports-pkg/main.js')) as unknown;
    assert.deepEqual(expected, { dep: 'imports-pkg/dep' });
    assert.deepEqual(cjs.require('./require/imports-pkg/main'), expected);
  });

  it('uri is a file: URL and filename a path', () => {
    const { cjs, filename } = nodeSetup();
    cjs.require('./require/up');
    const module = cjs.cache[filename('require/up.js')]!;
    assert.ok(module.uri.startsWith('file:///'));
    assert.ok(module.filename.startsWith('/'));
  });

  it('roots may be given as file: URLs', () => {
    const probe = nodeSetup();
    const roots = ROOTS_NODE.map((root) => probe.uri(root));
    const { cjs } = nodeSetup({ roots });
    assert.equal((cjs.require('./require/sub/top-level') as { shared: string }).shared, 'lib1');
  });

  it("symlinks: filenames are real paths, as Node's require.resolve gives them; two links are one module", () => {
    const dir = mkdtempSync(join(tmpdir(), 'modhost-cjs-'));
    try {
      mkdirSync(join(dir, 'real'));
      writeFileSync(join(dir, 'real', 'target.js'), 'exports.token = {};');
      writeFileSync(
        join(dir, 'main.js'),
        'exports.a = require("./linked-dir/target"); exports.b = require("./link.js");',
      );
      symlinkSync(join(dir, 'real'), join(dir, 'linked-dir'));
      symlinkSync(join(dir, 'real', 'target.js'), join(dir, 'link.js'));
      const cjs = createNodeCommonJS({ base: dir });
      const main = cjs.require('./main') as { a: unknown; b: unknown };
      assert.equal(main.a, main.b);
      const nodeRequire = createRequire(join(dir, 'main.js'));
      assert.equal(cjs.require.resolve('./linked-dir/target'), nodeRequire.resolve('./linked-dir/target'));
      assert.equal(cjs.require.resolve('./link.js'), nodeRequire.resolve('./link.js'));
      assert.deepEqual(
        Object.keys(cjs.cache).sort(),
        [nodeRequire.resolve('./main.js'), nodeRequire.resolve('./link.js')].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
