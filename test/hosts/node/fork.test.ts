import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { importModule } from '../../../src/api/import-module.js';
import { createModuleInRealm } from '../../../src/api/module.js';
import { ModuleSource } from '../../../src/api/module-source.js';
import { createNodeHost } from '../../../src/hosts/node/index.js';

let dir: string;
let base: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modhost-fork-'));
  base = pathToFileURL(`${dir}/`).href;
  const files: Record<string, string> = {
    'package.json': '{"type":"module"}',
    'counter.js': 'export let count = 0; export function increment() { return ++count; }',
    'app.js':
      'import { increment } from "./counter.js"; import { util } from "lib"; export const first = increment(); ' +
      'export const u = util();',
    // lib: a package (shared by the predicate below), whose closure has lib/index.js → lib/helper.js
    'node_modules/lib/package.json': '{"name":"lib","type":"module","exports":"./index.js"}',
    'node_modules/lib/index.js':
      'import { helper } from "./helper.js"; export const created = Symbol("lib instance"); export function ' +
      'util() { return helper(); }',
    'node_modules/lib/helper.js': 'export function helper() { return "real helper"; }',
    // peer: a package that imports application code (its closure includes an unshared module)
    'node_modules/peer/package.json': '{"name":"peer","type":"module","exports":"./index.js"}',
    'node_modules/peer/index.js':
      'import { count } from "../../counter.js"; export const created = Symbol("peer instance"); export const ' +
      'seen = count;',
    'uses-peer.js': 'import { created } from "peer"; export { created };',
    'uses-lib.js': 'import { created, util } from "lib"; export { created, util };',
    'node_modules/cjs-lib/package.json': '{"name":"cjs-lib","main":"index.js"}',
    'node_modules/cjs-lib/index.js': 'exports.created = {}; exports.dep = require("cjs-dep").value;',
    'node_modules/cjs-dep/package.json': '{"name":"cjs-dep","main":"index.js"}',
    'node_modules/cjs-dep/index.js': 'exports.value = "real dep";',
    'uses-cjs-lib.js': 'import lib from "cjs-lib"; export default lib;',
    // A fork's instances get their ModuleSource objects when first asked for (see the test below).
    'source-phase.js':
      'import source counterSource from "./counter.js"; import * as counter from "./counter.js"; ' +
      'export { counterSource }; export const again = await import.source("./counter.js"); ' +
      'export const viaSource = await import(counterSource); export { counter }; ' +
      'export const dynamic = await import("./counter.js");',
    'meta.js':
      'export const meta = import.meta; export const keys = Object.keys(import.meta); ' +
      'export const resolved = import.meta.resolve("./counter.js");',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

const shareNodeModules = (url: string) => url.includes('/node_modules/');

describe('host.fork', () => {
  it('gives fresh instances without parsing or compiling anything again', async () => {
    const parent = createNodeHost();
    assert.equal((await parent.import('./app.js', base)).first, 1);
    assert.ok(parent.stats.compileMs > 0);
    const fork = parent.fork();
    const ns = await fork.import('./app.js', base);
    assert.equal(ns.first, 1, 'a fresh counter instance');
    assert.equal(fork.stats.compileMs, 0, 'nothing parsed or compiled again');
    assert.equal((await parent.import('./counter.js', base)).count, 1, "the parent's instance is untouched");
  });

  it('share(url) takes the parent’s evaluated instances; the parent loads them if it has none yet', async () => {
    const parent = createNodeHost();
    const a = parent.fork({ share: shareNodeModules });
    const b = parent.fork({ share: shareNodeModules });
    const fromA = await a.import('./uses-lib.js', base);
    const fromB = await b.import('./uses-lib.js', base);
    assert.equal(fromA.created, fromB.created, 'one lib instance, the parent’s');
    assert.equal(fromA.created, (await parent.import('lib', base)).created);
    const unshared = parent.fork();
    assert.notEqual((await unshared.import('./uses-lib.js', base)).created, fromA.created);
  });

  it('a module whose closure includes an unshared module is not shared', async () => {
    const parent = createNodeHost();
    const a = parent.fork({ share: shareNodeModules });
    const b = parent.fork({ share: shareNodeModules });
    const fromA = await a.import('./uses-peer.js', base);
    const fromB = await b.import('./uses-peer.js', base);
    assert.notEqual(fromA.created, fromB.created, 'peer imports counter.js, which is not shared');
  });

  it('a mock in the fork applies at any depth under share: modules above it are the fork’s own', async () => {
    const parent = createNodeHost();
    const plain = parent.fork({ share: shareNodeModules });
    const mocked = parent.fork({ share: shareNodeModules });
    // (lib's exports field only exposes ".", so the mock names the file by its URL)
    mocked.mock(new URL('node_modules/lib/helper.js', base).href, () => ({ helper: () => 'mocked helper' }));
    const real = await plain.import('./uses-lib.js', base);
    const withMock = await mocked.import('./uses-lib.js', base);
    assert.equal((real.util as () => string)(), 'real helper');
    assert.equal((withMock.util as () => string)(), 'mocked helper');
    assert.notEqual(withMock.created, real.created);
  });

  it('inherits hooks; does not inherit mocks', async () => {
    let calls = 0;
    const parent = createNodeHost({
      hooks: [
        {
          resolve(specifier, context, next) {
            calls += 1;
            return next(specifier, context);
          },
        },
      ],
    });
    parent.mock('./counter.js', () => ({ count: 99, increment: () => 99 }), { parentURL: base });
    const fork = parent.fork();
    const before = calls;
    assert.equal((await fork.import('./counter.js', base)).count, 0, 'the real module');
    assert.ok(calls > before, "the parent's hooks ran for the fork");
  });

  it('shares CommonJS modules whose requires are shared, checked once they have run', async () => {
    const parent = createNodeHost();
    const a = parent.fork({ share: shareNodeModules });
    const b = parent.fork({ share: shareNodeModules });
    const libA = (await a.import('./uses-cjs-lib.js', base)).default as { created: object; dep: string };
    const libB = (await b.import('./uses-cjs-lib.js', base)).default as { created: object; dep: string };
    assert.equal(libA.created, libB.created);
    const mocked = parent.fork({ share: shareNodeModules });
    mocked.mock('cjs-dep', () => ({ value: 'mocked dep' }), { parentURL: base });
    const libM = (await mocked.import('./uses-cjs-lib.js', base)).default as { created: object; dep: string };
    assert.equal(libM.dep, 'mocked dep');
    assert.notEqual(libM.created, libA.created);
  });

  it("a fork's module sources: one fresh ModuleSource per instance, whose import() is that instance", async () => {
    const parent = createNodeHost();
    const inParent = await parent.import('./source-phase.js', base);
    for (const fork of [parent.fork(), parent.fork()]) {
      const ns = await fork.import('./source-phase.js', base);
      const source = ns.counterSource as object;
      assert.equal(Object.prototype.toString.call(source), '[object ModuleSource]');
      assert.equal(ns.again, source, 'import.source() gives the same object as `import source`');
      assert.notEqual(source, inParent.counterSource, "not the parent's object");
      assert.equal(ns.viaSource, ns.counter, "import(source) is the fork's own instance");
      assert.equal(ns.dynamic, ns.counter);
      assert.notEqual(ns.counter, inParent.counter);
      const module = fork.moduleFor(new URL('./counter.js', base).href, 'module');
      assert.equal(module.source, source, "the Module's source is the same object");
      assert.equal(module.source, module.source);
      assert.deepEqual(
        (source as { bindings: unknown }).bindings,
        (inParent.counterSource as { bindings: unknown }).bindings,
      );
      // A Module asked for its source before any module code asks: the same object for both.
      const late = fork.moduleFor(new URL('./app.js', base).href, 'module');
      const lateSource = late.source;
      assert.equal(Object.prototype.toString.call(lateSource), '[object ModuleSource]');
      assert.equal(late.source, lateSource);
    }
    // Made on demand, the source is still its instance's canonical source: importModule(source) from
    // outside module code imports that instance.
    const fork = parent.fork();
    const ns = await fork.import('./counter.js', base);
    const source = fork.moduleFor(new URL('./counter.js', base).href, 'module').source as ModuleSource;
    assert.equal(await importModule(source), ns);
  });

  it("a fork's import.meta is Node's, as in its parent", async () => {
    const parent = createNodeHost();
    const fork = parent.fork();
    const fromParent = await parent.import('./meta.js', base);
    const fromFork = await fork.import('./meta.js', base);
    assert.deepEqual(fromFork.keys, fromParent.keys);
    assert.equal((fromFork.meta as { url: string }).url, new URL('./meta.js', base).href);
    assert.equal(fromFork.resolved, new URL('./counter.js', base).href);
    assert.notEqual(fromFork.meta, fromParent.meta);
    // A module of the host's realm that the host did not make has no Node import.meta.
    const own = createModuleInRealm(
      new ModuleSource('export default Object.keys(import.meta);'),
      undefined,
      fork.realm,
    );
    assert.deepEqual((await importModule(own)).default, []);
  });

  it('a fork of a fork works, and forks of a disposed host are refused', async () => {
    const parent = createNodeHost();
    const child = parent.fork();
    const grandchild = child.fork();
    assert.equal((await grandchild.import('./app.js', base)).first, 1);
    child.dispose();
    assert.throws(() => child.fork(), { code: 'ERR_MODHOST_HOST_DISPOSED' });
  });
});
