/**
 * CommonJS / ES module interop in the Node host. The programs in test/fixtures/interop run once
 * under plain `node` (the oracle) and once under `modhost run`; their stdout and exit codes must be
 * equal. The API-level tests below check what Node cannot show: per-host instances, the
 * 'module.exports' export name, error fields, and the CommonJS cache after failures.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { syntheticExportNames } from '../../../src/hosts/node/commonjs-module.js';
import { createNodeHost } from '../../../src/hosts/node/host.js';
import { nodeBehaviourOf, RUNNING_NODE } from '../../../src/hosts/node/node-release.js';

const bin = fileURLToPath(new URL('../../../cli/modhost.mjs', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../../test/fixtures/interop/', import.meta.url));
const url = (path: string): string => pathToFileURL(join(fixtures, path)).href;

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, {
    cwd: fixtures,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Error fields, read loosely. */
function fields(error: unknown): Record<string, unknown> {
  return error as Record<string, unknown>;
}

describe('interop: same output as node', () => {
  for (const program of ['esm-imports-cjs.mjs', 'cjs-requires-esm.cjs', 'cycles.mjs', 'throwing.mjs', 'packages.mjs']) {
    it(program, () => {
      const native = run([program]);
      assert.equal(native.code, 0, native.stderr);
      assert.ok(native.stdout.trim().split('\n').length >= 2, 'the oracle printed its lines');
      const modhost = run([bin, 'run', '--no-cache', program]);
      // Warnings as Node's (MODULE_TYPELESS_PACKAGE_JSON for the ambiguous files), process ids aside.
      // Node warns once, naming the first ambiguous ES module it detects; which one that is depends
      // on the order its concurrent file reads finish (under load, not always the first import).
      const withoutPid = (text: string) =>
        text
          .replace(/^\(node:\d+\) /gm, '(node) ')
          .replace(
            /Module type of file:\S+\/amb\/[\w-]+\.js is not specified/g,
            'Module type of <amb/*.js> is not specified',
          );
      assert.equal(withoutPid(modhost.stderr), withoutPid(native.stderr));
      assert.equal(modhost.stdout, native.stdout);
      assert.equal(modhost.code, 0);
    });
  }
});

describe('interop: Node host API', () => {
  it("import of CommonJS: default is module.exports, and so is 'module.exports' from Node 23", async () => {
    const host = createNodeHost();
    const ns = await host.import(url('cjs/replaced.cjs'));
    assert.equal(typeof ns.default, 'function');
    if (RUNNING_NODE.commonJSModuleExportsName) {
      assert.equal(ns['module.exports'], ns.default);
      assert.deepEqual(Object.keys(ns).sort(), ['default', 'module.exports']);
    } else {
      assert.deepEqual(Object.keys(ns), ['default']);
    }
  });

  it("the 'module.exports' export name by release (Node 22 has none, 23.0.0 added it)", () => {
    assert.deepEqual(syntheticExportNames(['a', 'default'], nodeBehaviourOf('22.23.5')), ['default', 'a']);
    assert.deepEqual(syntheticExportNames(['a'], nodeBehaviourOf('23.0.0')), ['default', 'module.exports', 'a']);
    assert.deepEqual(syntheticExportNames(['module.exports'], nodeBehaviourOf('20.20.2')), [
      'default',
      'module.exports',
    ]);
  });

  it('one CommonJS runtime per host: a fresh host runs CommonJS modules again', async () => {
    const before = (globalThis as { throwsOnceRuns?: number }).throwsOnceRuns;
    (globalThis as { throwsOnceRuns?: number }).throwsOnceRuns = 1; // make throws-once.cjs succeed from now on
    try {
      const a = createNodeHost();
      const b = createNodeHost();
      const first = (await a.import(url('cjs/throws-once.cjs'))).default;
      const again = (await a.import(url('cjs/throws-once.cjs'))).default;
      const other = (await b.import(url('cjs/throws-once.cjs'))).default;
      assert.equal(first, again);
      assert.notEqual(first, other);
      assert.equal(a.commonjs.require(join(fixtures, 'cjs/throws-once.cjs')), first);
      assert.equal(b.commonjs.require(join(fixtures, 'cjs/throws-once.cjs')), other);
      assert.equal((globalThis as { throwsOnceRuns?: number }).throwsOnceRuns, 3);
    } finally {
      (globalThis as { throwsOnceRuns?: number }).throwsOnceRuns = before;
    }
  });

  it('require of an ES module with top-level await: ERR_REQUIRE_ASYNC_MODULE, nothing run, both files named', () => {
    const host = createNodeHost();
    const requirer = join(fixtures, 'cjs/requirer.cjs');
    const { require } = host.commonjs.require(requirer) as { require: (id: string) => unknown };
    const ran = (globalThis as { tlaRan?: unknown }).tlaRan;
    delete (globalThis as { tlaRan?: unknown }).tlaRan;
    try {
      assert.throws(
        () => require('../esm/tla-dep.mjs'),
        (error: unknown) => {
          const e = fields(error);
          assert.equal(e.code, 'ERR_REQUIRE_ASYNC_MODULE');
          assert.equal(e.url, url('esm/tla-dep.mjs'));
          assert.equal(e.referrer, requirer);
          assert.equal(e.tla, url('esm/tla.mjs'));
          assert.match(String(e.message), /tla-dep\.mjs/);
          return true;
        },
      );
      assert.equal((globalThis as { tlaRan?: unknown }).tlaRan, undefined, 'no module of the graph ran');
    } finally {
      (globalThis as { tlaRan?: unknown }).tlaRan = ran;
    }
  });

  it('cycles through require(esm) throw ERR_REQUIRE_CYCLE_MODULE and leave the ES module usable', async () => {
    const host = createNodeHost();
    const ns = await host.import(url('cycle/esm-first.mjs'));
    assert.equal(ns.early, 'esm-first');
    const back = (await host.import(url('cycle/requires-back.cjs'))).default as { outcome: string };
    assert.equal(back.outcome, 'ERR_REQUIRE_CYCLE_MODULE');
    // Outside the cycle, the same ES module can be required.
    const requirer = host.commonjs.require(join(fixtures, 'cjs/requirer.cjs')) as {
      require: (id: string) => Record<string, unknown>;
    };
    assert.equal(requirer.require('../cycle/esm-first.mjs').early, 'esm-first');
  });

  it('a throwing CommonJS module: import fails for good (as Node), cache is clean, require runs it again', async () => {
    const host = createNodeHost();
    const saved = (globalThis as { throwsOnceRuns?: number }).throwsOnceRuns;
    delete (globalThis as { throwsOnceRuns?: number }).throwsOnceRuns;
    const filename = join(fixtures, 'cjs/throws-once.cjs');
    try {
      const first = await host.import(url('cjs/throws-once.cjs')).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.match(String((first as Error).message), /first run fails/);
      const second = await host.import(url('cjs/throws-once.cjs')).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.equal(second, first, 'the module record keeps its evaluation error');
      const cached = () => host.commonjs.cache[filename];
      assert.equal(cached(), undefined);
      const exports = host.commonjs.require(filename) as { ok: string };
      assert.equal(exports.ok, 'run 2');
      assert.equal(cached()?.loaded, true);
    } finally {
      (globalThis as { throwsOnceRuns?: number }).throwsOnceRuns = saved;
    }
  });

  it('formatOf: extensions, package "type", and ambiguous files by syntax', () => {
    const host = createNodeHost();
    assert.equal(host.formatOf(url('esm/plain.mjs')), 'module');
    assert.equal(host.formatOf(url('cjs/lib.cjs')), 'commonjs');
    assert.equal(host.formatOf(url('data/data.json')), 'json');
    assert.equal(host.formatOf(url('esm-pkg/index.js')), 'module');
    const expected: Record<string, string> = {
      'cjs-syntax.js': 'commonjs',
      'esm-syntax.js': 'module',
      'export-only.js': 'module',
      'tla-only.js': 'module',
      'redeclares-require.js': 'module',
      'import-call-only.js': 'commonjs',
      'import-meta.js': 'module',
      'string-mentions.js': 'commonjs',
    };
    for (const [file, format] of Object.entries(expected))
      assert.equal(host.formatOf(url(`amb/${file}`)), format, file);
  });

  it('ambiguous files: the format matches what node runs them as', () => {
    // Node is the oracle: `typeof require` inside the file is 'function' only for CommonJS.
    const host = createNodeHost();
    for (const file of [
      'cjs-syntax.js',
      'esm-syntax.js',
      'export-only.js',
      'import-call-only.js',
      'string-mentions.js',
    ]) {
      const path = join(fixtures, 'amb', file);
      const probe = run([
        '--input-type=commonjs',
        '-e',
        `import(${JSON.stringify(pathToFileURL(path).href)}).then((ns) => console.log(ns.detected === undefined ? ` +
          `'?' : ns.detected.split(' ')[0]))`,
      ]);
      assert.equal(probe.code, 0, probe.stderr);
      assert.equal(host.formatOf(url(`amb/${file}`)), probe.stdout.trim(), file);
    }
  });

  it('an ambiguous file with a syntax error that is not module syntax is CommonJS; its error surfaces', async () => {
    const host = createNodeHost();
    assert.equal(host.formatOf(url('amb/bad-syntax.js')), 'commonjs');
    const imported = await host.import(url('amb/bad-syntax.js')).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(imported instanceof SyntaxError, String(imported));
    assert.throws(() => host.commonjs.require(join(fixtures, 'amb/bad-syntax.js')), SyntaxError);
    // Node agrees: it fails to load the file with a SyntaxError.
    const native = run(['amb/bad-syntax.js']);
    assert.equal(native.code, 1);
    assert.match(native.stderr, /SyntaxError/);
  });
});
