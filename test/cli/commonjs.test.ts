/**
 * `modhost run` of CommonJS programs: format detection of the entry, `--root` for top-level ids,
 * the `define(...)` wrapper, `print`, exit codes. Real packages are checked against plain `node`.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../cli/modhost.mjs', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../test/fixtures/cli/', import.meta.url));
const programs = fileURLToPath(new URL('../../../test/fixtures/commonjs/programs/', import.meta.url));

function run(args: string[], cwd = fixtures) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cli = (args: string[], cwd?: string) => run([bin, ...args], cwd);

describe('modhost run: CommonJS programs', () => {
  it('a plain CommonJS entry: top-level ids from the entry folder first, print, argv, require.main', () => {
    const r = cli(['run', '--no-cache', 'commonjs/program/main.js', '--', 'x', 'y']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        'helper: helper from the default root main: true',
        'greeting: hello world from config (define value) config: config (define value)',
        'chunk: [[1,2],[3]]',
        'object { a: 1 }',
        'argv: x,y',
        '',
      ].join('\n'),
    );
  });

  it('--root DIR: top-level ids resolve against DIR instead', () => {
    const r = cli(['run', '--no-cache', '--root', 'commonjs/other-root', 'commonjs/program/main.js']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^helper: helper from --root other-root main: true\n/);
  });

  it('a define(factory) entry requiring a define(value) module', () => {
    const r = cli(['run', '--no-cache', 'commonjs/define-main.js']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'define main: a list value main: true object\n');
  });

  it('a .cjs entry in a "type": "module" scope is CommonJS', () => {
    const r = cli(['run', '--no-cache', 'cjs-entry.cjs']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'cjs entry: function object true\n');
  });

  it('an ES module entry importing CommonJS: no implicit root (Node resolution), --root when given', () => {
    const r = cli(['run', '--no-cache', 'commonjs/esm-entry.mjs']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'esm entry imports commonjs: helper from the default root | MODULE_NOT_FOUND\n');
    const rooted = cli(['run', '--no-cache', '--root', 'commonjs/other-root', 'commonjs/esm-entry.mjs']);
    assert.equal(rooted.stderr, '');
    assert.equal(
      rooted.stdout,
      'esm entry imports commonjs: helper from the default root | helper from --root other-root\n',
    );
  });

  it('an uncaught error in CommonJS code exits 1 with the file:line and a code frame', () => {
    const r = cli(['run', '--no-cache', 'commonjs/throws.js']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'before\n');
    assert.match(r.stderr, /^TypeError: boom from CommonJS$/m);
    assert.match(r.stderr, /commonjs\/throws-lib\.js:2:\d+/);
    assert.match(r.stderr, /> 2 \| {3}throw new TypeError/);
  });

  it('a missing module exits 1 with MODULE_NOT_FOUND naming the id and the requiring file', () => {
    const r = cli(['run', '--no-cache', 'commonjs/missing.js']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /MODULE_NOT_FOUND/);
    assert.match(r.stderr, /Cannot find module '\.\/not-there'/);
    assert.match(r.stderr, /- .*commonjs\/missing\.js/);
  });
});

describe('modhost graph: formats of files without a package "type"', () => {
  it('labels each ambiguous .js file by its syntax, as node loads it', () => {
    const r = cli(['graph', '--json', '../interop/esm-imports-cjs.mjs']);
    assert.equal(r.code, 0, r.stderr);
    const graph = JSON.parse(r.stdout) as { modules: { url: string; format: string }[] };
    const formatOf = (name: string) => graph.modules.find((m) => m.url.endsWith(`/amb/${name}`))?.format;
    assert.equal(formatOf('cjs-syntax.js'), 'commonjs');
    assert.equal(formatOf('import-call-only.js'), 'commonjs');
    assert.equal(formatOf('esm-syntax.js'), 'module');
    assert.equal(formatOf('tla-only.js'), 'module');
  });
});

describe('modhost run: real CommonJS packages print what node prints', () => {
  for (const program of ['lodash-program.js', 'json-program.js']) {
    it(program, () => {
      const path = `${programs}${program}`;
      const native = run([path], dirname(path));
      assert.equal(native.code, 0, native.stderr);
      assert.ok(native.stdout.split('\n').length > 10, 'the oracle printed its lines');
      const modhost = cli(['run', '--no-cache', path], dirname(path));
      assert.equal(modhost.stderr, '');
      assert.equal(modhost.stdout, native.stdout);
      assert.equal(modhost.code, 0);
    });
  }
});
