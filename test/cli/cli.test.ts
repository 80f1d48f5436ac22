import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { USAGE } from '../../src/cli/usage.js';
import { VERSION } from '../../src/version.js';

const bin = fileURLToPath(new URL('../../cli/modhost.mjs', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../test/fixtures/cli/', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: fixtures,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    // (a CLI that does not exit must fail its test, not block the file's event loop for good)
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('modhost CLI', () => {
  it('--help prints the usage on stdout and exits 0; the README shows the same text', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${USAGE}\n`);
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    assert.ok(readme.includes(USAGE), 'README.md must contain the --help text');
  });
  it("--version prints package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const r = cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });
  it('usage errors exit 2 with a message on stderr', () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['run'],
      ['--bogus'],
      ['inspect'],
      ['graph', 'a', 'b'],
      ['graph', '--json', '--dot', 'ok/main.js'],
    ]) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^modhost: /);
      assert.equal(r.stdout, '');
    }
  });
  it('run: import syntax in a file loaded as CommonJS gets Node\u2019s hint ("type": "module" or .mjs)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modhost-cli-type-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
      writeFileSync(join(dir, 'app.js'), "import { x } from './x.js';\n");
      const result = spawnSync(process.execPath, [bin, 'run', '--no-cache', join(dir, 'app.js')], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /SyntaxError: Cannot use import statement outside a module/);
      assert.match(
        result.stderr,
        /To load an ES module, set "type": "module" in the package\.json or use the \.mjs extension\./,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('run: ES modules, JSON, built-ins, print, argv, import.meta', () => {
    const r = cli(['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'sum 5 fixture string function\nargs x,y\nmeta true true string\nresolve true\n');
  });
  it('run: package exports with the modhost condition first, and --conditions', () => {
    assert.equal(cli(['run', '--no-cache', 'pkg/main.js']).stdout, 'dep via modhost condition sub\n');
    assert.equal(
      cli(['run', '--no-cache', '--conditions', 'import,default', 'pkg/main.js']).stdout,
      'dep via default condition sub\n',
    );
  });
  it('run: an uncaught error exits 1 and shows the original file:line and a code frame', () => {
    const r = cli(['run', '--no-cache', 'throws/main.js']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'before\n');
    assert.match(r.stderr, /^TypeError: boom from lib$/m);
    assert.match(r.stderr, /throws\/lib\.js:3:\d+/);
    assert.match(r.stderr, /> 3 \| {3}throw new TypeError/);
  });
  it('run: a link error exits 1, points at the import statement and shows no modhost frames', () => {
    const r = cli(['run', '--no-cache', 'link-error/main.js']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /SyntaxError: The requested module '\.\/dep\.js' does not provide an export named 'missing'/,
    );
    assert.match(r.stderr, /code: 'ERR_MODHOST_UNRESOLVED_IMPORT'/);
    // Both imports name ./dep.js; the frame shows the one importing `missing`.
    assert.match(r.stderr, /^file:\/\/\/.*link-error\/main\.js:4$/m);
    assert.match(r.stderr, /> 4 \| import \{ missing \} from "\.\/dep\.js";/);
    assert.doesNotMatch(r.stderr, /dist\/(src|cli)\//);
  });
  it('run: an unhandled rejection fails the run', () => {
    const r = cli(['run', '--no-cache', 'rejects/main.js']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'start\n');
    assert.match(r.stderr, /^RangeError: nobody handles this$/m);
  });
  it('run: a parse error exits 1 naming file:line:column', () => {
    const r = cli(['run', '--no-cache', 'parse-error/main.js']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^SyntaxError: /m);
    assert.match(r.stderr, /code: 'ERR_MODHOST_PARSE'/);
    assert.match(r.stderr, /parse-error\/main\.js:2:\d+/);
  });
  it('run: a missing entry exits 1 with ERR_MODULE_NOT_FOUND', () => {
    const r = cli(['run', 'nope.js']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERR_MODULE_NOT_FOUND/);
    assert.match(r.stderr, /nope\.js/);
  });
  it('run --stats prints counts and phase times on stderr', () => {
    const r = cli(['run', '--no-cache', '--stats', 'ok/main.js']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /modhost stats: \d+ modules, \d+ bytes read/);
    assert.match(r.stderr, /resolve [\d.]+ ms, parse\+compile [\d.]+ ms, link [\d.]+ ms, evaluate [\d.]+ ms/);
  });
  it('the compile cache: later runs hit it, a corrupt entry is rebuilt, --no-cache writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modhost-cache-'));
    try {
      const first = cli(['run', '--stats', '--cache-dir', dir, 'ok/main.js']);
      assert.equal(first.code, 0);
      assert.match(first.stderr, / 0 compile-cache hits/);
      const second = cli(['run', '--stats', '--cache-dir', dir, 'ok/main.js']);
      assert.equal(second.stdout, first.stdout);
      // The records are served; V8's code caches are made by this second run...
      assert.match(second.stderr, / 2 compile-cache hits \(0 with V8 code cache\)/);
      // ...and served from the third on.
      const warm = cli(['run', '--stats', '--cache-dir', dir, 'ok/main.js']);
      assert.equal(warm.stdout, first.stdout);
      assert.match(warm.stderr, / 2 compile-cache hits \(2 with V8 code cache\)/);
      // One pack file per program, under a folder named for the modhost version.
      const version = readdirSync(dir)[0]!;
      assert.equal(version, `v${VERSION}`);
      const packs = readdirSync(join(dir, version));
      assert.equal(packs.length, 1);
      assert.match(packs[0]!, /\.pack$/);
      // Corrupt the pack: the run still works and rewrites it.
      const pack = join(dir, version, packs[0]!);
      const bytes = readFileSync(pack);
      writeFileSync(pack, bytes.subarray(0, bytes.length >> 1));
      const third = cli(['run', '--stats', '--cache-dir', dir, 'ok/main.js']);
      assert.equal(third.code, 0);
      assert.equal(third.stdout, first.stdout);
      assert.match(third.stderr, / 0 compile-cache hits/);
      const fourth = cli(['run', '--stats', '--cache-dir', dir, 'ok/main.js']);
      assert.match(fourth.stderr, / 2 compile-cache hits/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const empty = mkdtempSync(join(tmpdir(), 'modhost-nocache-'));
    try {
      assert.equal(cli(['run', '--no-cache', '--cache-dir', empty, 'ok/main.js']).code, 0);
      assert.deepEqual(readdirSync(empty), []);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
  it("the compile cache: a CommonJS module's import() in code it builds works on every run", () => {
    // Node 20 drops importModuleDynamically for a function compiled from a V8 code cache: the
    // compile cache must not give CommonJS wrappers one there (a run per process, as V8's own
    // in-memory cache would hide it within one).
    const dir = mkdtempSync(join(tmpdir(), 'modhost-cache-'));
    try {
      writeFileSync(
        join(dir, 'lib.cjs'),
        "const load = new Function('m', 'return import(m)');\nexports.run = () => load('node:path');\n",
      );
      writeFileSync(join(dir, 'main.mjs'), "import lib from './lib.cjs';\nconsole.log((await lib.run()).sep);\n");
      for (let run = 1; run <= 3; run++) {
        const r = cli(['run', '--cache-dir', join(dir, 'cache'), join(dir, 'main.mjs')]);
        assert.equal(
          r.stderr.replace(/.*ExperimentalWarning.*\n|\(Use `node --trace-warnings.*\n/g, ''),
          '',
          `run ${run}`,
        );
        assert.equal(r.stdout, '/\n', `run ${run}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('inspect: a readable table and --json', () => {
    const r = cli(['inspect', 'ok/main.js']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Requested modules:\n {2}"\.\/math\.js"\n {2}"\.\/data\.json" with \{ type: "json" \}/);
    assert.match(r.stdout, /needsImportMeta: true/);
    const j = JSON.parse(cli(['inspect', '--json', 'ok/main.js']).stdout) as {
      requestedModules: unknown[];
      bindings: unknown[];
      hasTopLevelAwait: boolean;
    };
    assert.deepEqual(j.requestedModules[1], { specifier: './data.json', attributes: { type: 'json' } });
    assert.deepEqual(j.bindings[0], { import: 'add', from: './math.js' });
    assert.equal(j.hasTopLevelAwait, false);
  });
  it('inspect: a parse error exits 1', () => {
    const r = cli(['inspect', 'parse-error/main.js']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERR_MODHOST_PARSE/);
  });
  it('graph: a tree with the cycle marked, --json and --dot', () => {
    const r = cli(['graph', 'cycle/a.js']);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      './cycle/a.js\n└─ ./cycle/b.js\n   └─ ./cycle/c.js\n      └─ ./cycle/a.js  ↺ cycle\n\n3 modules\n',
    );
    const j = JSON.parse(cli(['graph', '--json', 'cycle/a.js']).stdout) as { modules: { url: string }[] };
    assert.equal(j.modules.length, 3);
    const dot = cli(['graph', '--dot', 'cycle/a.js']).stdout;
    assert.match(dot, /^digraph modules \{/);
    assert.match(dot, /"\.\/cycle\/c\.js" -> "\.\/cycle\/a\.js";/);
  });
});
