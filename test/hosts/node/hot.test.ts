/**
 * The Node host with `hot: true`: `import.meta.hot` / `module.hot`, `host.update(urls)` on real
 * files (ES modules, JSON, CommonJS), reports, errors that leave the old graph running, and old
 * instances that become unreachable (memory flat over 1,000 updates in a 500-module graph).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { type CompileFunctionOptions, compileFunction, runInNewContext, runInThisContext } from 'node:vm';
import { createNodeHost } from '../../../src/hosts/node/index.js';

function project(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-hot-'));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) write(name, text);
  return {
    dir,
    write,
    url: (name: string) => pathToFileURL(join(dir, name)).href,
    path: (name: string) => join(dir, name),
  };
}

describe('Node host: import.meta.hot exists only in hot hosts', () => {
  it('undefined without hot (as in a Vite production build); the API object with hot', async () => {
    const p = project({
      'm.mjs': 'export const hot = import.meta.hot; export const type = typeof import.meta.hot?.accept;',
    });
    const plain = await createNodeHost().import(p.url('m.mjs'));
    assert.equal(plain.hot, undefined);
    const hot = await createNodeHost({ hot: true }).import(p.url('m.mjs'));
    assert.equal(hot.type, 'function');
    assert.deepEqual(
      ['accept', 'acceptExports', 'dispose', 'prune', 'decline', 'invalidate', 'on', 'off', 'send'].filter(
        (name) => typeof (hot.hot as Record<string, unknown>)[name] !== 'function',
      ),
      [],
    );
    assert.deepEqual((hot.hot as { data: unknown }).data, {});
  });

  it('CommonJS modules get module.hot in a hot host', async () => {
    const p = project({ 'c.cjs': 'exports.hot = typeof module.hot; exports.same = module.hot === module.hot;' });
    const host = createNodeHost({ hot: true });
    assert.deepEqual(host.commonjs.require(p.path('c.cjs')), { hot: 'object', same: true });
    const plain = createNodeHost();
    assert.deepEqual(plain.commonjs.require(p.path('c.cjs')), { hot: 'undefined', same: true });
  });

  it('host.update() on a host without hot rejects with ERR_MODHOST_NOT_HOT', async () => {
    await assert.rejects(createNodeHost().update(['file:///x.js']), { code: 'ERR_MODHOST_NOT_HOT' });
  });
});

describe('Node host: host.update(urls)', () => {
  it('applies an accepted change: the importer reads the new module without running again', async () => {
    const p = project({
      'app.mjs': `import { greet } from './greet.mjs';
        export let runs = (globalThis.__appRuns = (globalThis.__appRuns ?? 0) + 1);
        export const hello = () => greet('world');
        import.meta.hot.accept('./greet.mjs');`,
      'greet.mjs': `export const greet = (who) => 'hello ' + who;`,
    });
    const host = createNodeHost({ hot: true });
    const app = await host.import(p.url('app.mjs'));
    assert.equal((app.hello as () => string)(), 'hello world');
    p.write('greet.mjs', `export const greet = (who) => 'hi ' + who + '!';`);
    const report = await host.update([p.path('greet.mjs')]);
    assert.deepEqual(
      { updated: report.updated, boundaries: report.boundaries, fullReload: report.fullReload, error: report.error },
      { updated: [p.url('greet.mjs')], boundaries: [p.url('app.mjs')], fullReload: false, error: undefined },
    );
    assert.equal((app.hello as () => string)(), 'hi world!');
    assert.equal((globalThis as { __appRuns?: number }).__appRuns, 1);
    delete (globalThis as { __appRuns?: number }).__appRuns;
    // Unchanged files are reported as such.
    const again = await host.update([p.url('greet.mjs'), p.url('app.mjs')]);
    assert.deepEqual([again.updated, again.unchanged.length], [[], 2]);
  });

  it('no accepting module: a full reload report, and the program keeps its old modules', async () => {
    const p = project({
      'app.mjs': `import { v } from './dep.mjs'; export const read = () => v;`,
      'dep.mjs': `export const v = 1;`,
    });
    const host = createNodeHost({ hot: true });
    const app = await host.import(p.url('app.mjs'));
    p.write('dep.mjs', 'export const v = 2;');
    const report = await host.update([p.url('dep.mjs')]);
    assert.equal(report.fullReload, true);
    assert.match(report.reason ?? '', /app\.mjs/);
    assert.equal((app.read as () => number)(), 1);
  });

  it('a syntax error in the new text is reported with its location; the old module keeps running', async () => {
    const p = project({
      'app.mjs': `import { v } from './dep.mjs'; export const read = () => v; import.meta.hot.accept('./dep.mjs');`,
      'dep.mjs': `export const v = 1;`,
    });
    const host = createNodeHost({ hot: true });
    const app = await host.import(p.url('app.mjs'));
    p.write('dep.mjs', 'export const v = ;');
    const report = await host.update([p.url('dep.mjs')]);
    const error = report.error as SyntaxError & { code?: string; url?: string; line?: number };
    assert.ok(error instanceof SyntaxError);
    assert.deepEqual([error.code, error.url, error.line], ['ERR_MODHOST_PARSE', p.url('dep.mjs'), 1]);
    assert.equal((app.read as () => number)(), 1);
    p.write('dep.mjs', 'export const v = 2;');
    assert.equal((await host.update([p.url('dep.mjs')])).error, undefined);
    assert.equal((app.read as () => number)(), 2);
  });

  it('new text through the load hooks: a module a hook serves is read again through them', async () => {
    const p = project({
      'app.mjs': `import { version } from 'virtual:config'; export const read = () => version;
        import.meta.hot.accept('virtual:config');`,
    });
    let version = 1;
    const host = createNodeHost({
      hot: true,
      hooks: [
        {
          resolve: (specifier, context, next) =>
            specifier === 'virtual:config' ? { url: 'virtual:config', shortCircuit: true } : next(specifier, context),
          load: (url, context, next) =>
            url === 'virtual:config'
              ? { format: 'module', source: `export const version = ${version};`, shortCircuit: true }
              : next(url, context),
        },
      ],
    });
    const app = await host.import(p.url('app.mjs'));
    assert.equal((app.read as () => number)(), 1);
    assert.deepEqual((await host.update(['virtual:config'])).unchanged, ['virtual:config']);
    version = 2;
    const report = await host.update(['virtual:config']);
    assert.deepEqual(
      [report.updated, report.boundaries, report.error],
      [['virtual:config'], [p.url('app.mjs')], undefined],
    );
    assert.equal((app.read as () => number)(), 2);
  });

  it('a fork of a hot host is hot, with instances and updates of its own', async () => {
    const p = project({
      'app.mjs': `import { v } from './dep.mjs'; export const read = () => v; import.meta.hot.accept('./dep.mjs');`,
      'dep.mjs': 'export const v = 1;',
    });
    // A compile cache that is asked only when the family has not compiled the text: it counts compiles.
    const compiled: string[] = [];
    const compileCache = {
      dir: '',
      stats: { records: 0, codeCaches: 0 },
      get: (_text: string, url: string) => void compiled.push(url.slice(url.lastIndexOf('/') + 1)),
      set() {},
      evaluate: (code: string) => runInThisContext(code),
      compileFunction: (body: string, params: readonly string[], options: CompileFunctionOptions) =>
        compileFunction(body, [...params], options) as (...args: unknown[]) => unknown,
      flush() {},
    };
    const parent = createNodeHost({ hot: true, compileCache });
    const parentApp = await parent.import(p.url('app.mjs'));
    const fork = parent.fork();
    assert.equal(fork.hot, true);
    const forkApp = await fork.import(p.url('app.mjs'));
    p.write('dep.mjs', 'export const v = 2;');
    const report = await fork.update([p.url('dep.mjs')]);
    assert.equal(report.error, undefined);
    assert.deepEqual([(forkApp.read as () => number)(), (parentApp.read as () => number)()], [2, 1]);
    // The parent still sees its own first text: the edit is a change for it too.
    assert.deepEqual((await parent.update([p.url('dep.mjs')])).updated, [p.url('dep.mjs')]);
    assert.equal((parentApp.read as () => number)(), 2);
    // Another fork reads the files again and compiles nothing: the family has both texts.
    const again = parent.fork();
    assert.equal(((await again.import(p.url('app.mjs'))).read as () => number)(), 2);
    assert.deepEqual(compiled, ['app.mjs', 'dep.mjs', 'dep.mjs']);
    again.dispose();
    fork.dispose();
  });

  it('TypeScript modules: a new text is stripped as the first was; unsupported syntax keeps the old', async () => {
    const p = project({
      'package.json': '{ "type": "module" }',
      'app.ts': `import { greet } from './greet.ts';
        export const read = (): string => greet('ts'); import.meta.hot.accept('./greet.ts');`,
      'greet.ts': `export const greet = (n: string): string => 'hello ' + n;`,
    });
    const host = createNodeHost({ hot: true });
    const app = await host.import(p.url('app.ts'));
    p.write('greet.ts', `export const greet = (n: string): string => 'hi ' + n;`);
    assert.equal((await host.update([p.url('greet.ts')])).error, undefined);
    assert.equal((app.read as () => string)(), 'hi ts');
    p.write('greet.ts', `enum E { A } export const greet = (n: string): string => 'bad ' + n;`);
    const failed = await host.update([p.url('greet.ts')]);
    assert.equal((failed.error as { code?: string }).code, 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX');
    assert.equal((app.read as () => string)(), 'hi ts');
  });

  it('JSON modules: an importer that accepts the file gets the new value', async () => {
    const p = project({
      'app.mjs': `import data from './data.json' with { type: 'json' };
        export const read = () => data.n;
        import.meta.hot.accept('./data.json', (ns) => { globalThis.__json = ns.default.n; });`,
      'data.json': '{ "n": 1 }',
    });
    const host = createNodeHost({ hot: true });
    const app = await host.import(p.url('app.mjs'));
    p.write('data.json', '{ "n": 2 }');
    const report = await host.update([p.url('data.json')]);
    assert.equal(report.error, undefined);
    assert.equal((app.read as () => number)(), 2);
    assert.equal((globalThis as { __json?: number }).__json, 2);
    delete (globalThis as { __json?: number }).__json;
  });

  it('CommonJS: a self-accepting module runs again; ES importers read its new exports', async () => {
    const p = project({
      'app.mjs': `import { value } from './lib.cjs'; export const read = () => value;`,
      'lib.cjs': `exports.value = 'one'; module.hot.accept();`,
    });
    const host = createNodeHost({ hot: true });
    const app = await host.import(p.url('app.mjs'));
    p.write('lib.cjs', `exports.value = 'two'; module.hot.accept();`);
    const report = await host.update([p.path('lib.cjs')]);
    assert.equal(report.error, undefined, String(report.error));
    assert.deepEqual([report.updated, report.fullReload], [[p.url('lib.cjs')], false]);
    assert.equal((app.read as () => string)(), 'two');
  });

  it('CommonJS: a requirer that accepts a dependency reads it again in its callback', async () => {
    const p = project({
      'main.cjs': `let dep = require('./dep.cjs');
        exports.read = () => dep.n;
        module.hot.accept('./dep.cjs', () => { dep = require('./dep.cjs'); });`,
      'dep.cjs': `exports.n = 1;`,
    });
    const host = createNodeHost({ hot: true });
    const main = host.commonjs.require(p.path('main.cjs')) as { read(): number };
    assert.equal(main.read(), 1);
    p.write('dep.cjs', 'exports.n = 2;');
    const report = await host.update([p.path('dep.cjs')]);
    assert.equal(report.error, undefined, String(report.error));
    assert.deepEqual([report.updated, report.boundaries], [[p.url('dep.cjs')], [p.url('main.cjs')]]);
    assert.equal(main.read(), 2);
  });

  it('CommonJS: a change nothing accepts is a full reload (the require cache is untouched)', async () => {
    const p = project({ 'main.cjs': `exports.dep = require('./dep.cjs');`, 'dep.cjs': `exports.n = 1;` });
    const host = createNodeHost({ hot: true });
    host.commonjs.use(p.path('main.cjs'));
    p.write('dep.cjs', 'exports.n = 2;');
    const report = await host.update([p.path('dep.cjs')]);
    assert.equal(report.fullReload, true);
    assert.equal((host.commonjs.require(p.path('dep.cjs')) as { n: number }).n, 1);
  });

  it('loadedFiles() lists ES modules, JSON and CommonJS files', async () => {
    const p = project({
      'app.mjs': `import './data.json' with { type: 'json' }; import './lib.cjs';`,
      'data.json': '{}',
      'lib.cjs': `require('./inner.cjs');`,
      'inner.cjs': '',
    });
    const host = createNodeHost({ hot: true });
    await host.import(p.url('app.mjs'));
    assert.deepEqual(
      host.loadedFiles().sort(),
      ['app.mjs', 'data.json', 'inner.cjs', 'lib.cjs'].map((name) => p.url(name)).sort(),
    );
  });
});

describe('Node host: old instances become unreachable', () => {
  // V8 14 (Node 26) keeps every distinct evaluated text in its compilation cache until memory runs
  // short (plain eval does the same: docs/NODE-VERSIONS.md); without it, these tests measure what
  // modhost itself keeps.
  before(() => setFlagsFromString('--no-compilation-cache'));

  it('memory stays flat over 1,000 updates of one module in a 500-module graph', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const files: Record<string, string> = {};
    const imports: string[] = [];
    for (let i = 0; i < 498; i++) {
      files[`m${i}.mjs`] = `export const value${i} = ${i}; export function f${i}() { return value${i}; }`;
      imports.push(`import { f${i} } from './m${i}.mjs';`);
    }
    files['parent.mjs'] =
      `import { leaf } from './leaf.mjs'; export const read = () => leaf(); import.meta.hot.accept('./leaf.mjs');`;
    files['leaf.mjs'] = 'const big = new Array(1000).fill(0); export const leaf = () => big.length + 0;';
    files['main.mjs'] = `${imports.join('\n')}\nimport { read } from './parent.mjs';\nexport { read };`;
    const p = project(files);
    const host = createNodeHost({ hot: true });
    const main = await host.import(p.url('main.mjs'));
    const heapAfter = async (): Promise<number> => {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
      }
      return process.memoryUsage().heapUsed;
    };
    let tenth = 0;
    for (let i = 1; i <= 1000; i++) {
      p.write('leaf.mjs', `const big = new Array(1000).fill(${i}); export const leaf = () => big.length + ${i};`);
      const report = await host.update([p.url('leaf.mjs')]);
      if (report.error !== undefined || report.updated.length !== 1)
        assert.fail(`update ${i}: ${String(report.error)}`);
      if (i === 10) tenth = await heapAfter();
    }
    const last = await heapAfter();
    assert.equal((main.read as () => number)(), 2000);
    assert.ok(last <= tenth * 1.1, `heap after 1,000 updates ${last} > 110% of after 10 (${tenth})`);
  });

  it('memory stays flat over 600 re-runs in forks of a hot host, each on an edited file (--watch)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const files: Record<string, string> = {};
    const imports: string[] = [];
    for (let i = 0; i < 50; i++) {
      files[`m${i}.mjs`] = `export const v = ${i}; export const big = new Array(1000).fill(${i});`;
      imports.push(`import { v as v${i} } from './m${i}.mjs';`);
    }
    files['main.mjs'] = `${imports.join('\n')}\nexport const sum = v0 + v49;`;
    const p = project(files);
    const family = createNodeHost({ hot: true });
    const heapNow = async (): Promise<number> => {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
      }
      return process.memoryUsage().heapUsed;
    };
    let first = 0;
    // (V8's tables grow for the first few hundred runs, then stay: measured from run 600 to 1,200)
    for (let run = 0; run < 1200; run++) {
      p.write('m0.mjs', `export const v = ${run}; export const big = new Array(1000).fill(${run});`);
      const host = family.fork();
      const main = await host.import(p.url('main.mjs'));
      if (main.sum !== run + 49) assert.fail(`run ${run}: sum ${String(main.sum)}`);
      await host.disposeHot();
      host.dispose();
      if (run === 600) first = await heapNow();
    }
    const last = await heapNow();
    assert.ok(last <= first * 1.1, `heap after 1,200 runs ${last} > 110% of after 600 (${first})`);
  });
});
