/**
 * `modhost graph` and `modhost inspect` on CommonJS: require edges (as the CommonJS scanner sees
 * them), unresolved requests (exit 1), --depth, --collapse, per-command --help, and a reader that
 * closes the pipe early.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commandUsage } from '../../src/cli/usage.js';

const bin = fileURLToPath(new URL('../../cli/modhost.mjs', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../test/fixtures/cli/', import.meta.url));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: fixtures,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('modhost graph: CommonJS edges', () => {
  it('follows require() from the entry folder first (as run does), marks require edges', () => {
    const r = cli(['graph', 'commonjs/program/main.js']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], './commonjs/program/main.js');
    assert.equal(lines[1], '├─ ./commonjs/program/helper.js  [commonjs]  (require)');
    assert.equal(lines[2], '├─ ./commonjs/program/lib/greeting.js  [commonjs]  (require)');
    assert.equal(lines[3], '│  └─ ./commonjs/program/lib/config.js  [commonjs]  (require)');
    assert.match(r.stdout, /node_modules\/lodash\/chunk\.js {2}\[commonjs\] {2}\(require\)/);
    const json = JSON.parse(cli(['graph', '--json', 'commonjs/program/main.js']).stdout) as {
      modules: { url: string; imports: { specifier: string; kind: string }[] }[];
    };
    assert.deepEqual(
      json.modules[0]?.imports.map((edge) => `${edge.kind} ${edge.specifier}`),
      ['require helper', 'require lib/greeting', 'require lib/config', 'require lodash/chunk'],
    );
    assert.match(
      cli(['graph', '--dot', 'commonjs/program/main.js']).stdout,
      /-> "\.\/commonjs\/program\/helper\.js" \[style=dashed\];/,
    );
  });

  it('--depth N and --collapse node_modules', () => {
    const one = cli(['graph', '--depth', '1', 'commonjs/program/main.js']);
    assert.equal(one.code, 0);
    // Only the entry's own requires: nothing nested below them.
    assert.doesNotMatch(one.stdout, /^[│ ]+[├└]─ /m);
    assert.match(one.stdout, /\n5 modules\n$/);
    const collapsed = cli(['graph', '--collapse', 'node_modules', 'commonjs/program/main.js']);
    assert.equal(collapsed.code, 0);
    assert.match(collapsed.stdout, /└─ .*node_modules\/lodash {2}\[package\] {2}\(require\)\n/);
    assert.doesNotMatch(collapsed.stdout, /_baseSlice/);
    assert.equal(cli(['graph', '--depth', 'x', 'ok/main.js']).code, 2);
  });

  it('exits 1 listing the requests that do not resolve', () => {
    const r = cli(['graph', 'commonjs/missing.js']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /not-there {2}✗ MODULE_NOT_FOUND/);
    assert.match(r.stderr, /^1 unresolved:\n {2}\.\/commonjs\/missing\.js: require "\.\/not-there": MODULE_NOT_FOUND/);
    const linkError = cli(['graph', 'link-error/main.js']);
    assert.equal(linkError.code, 0, 'a missing export is not a resolution failure');
  });

  it('ends quietly when the reader closes the pipe', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" graph commonjs/program/main.js | head -1`], {
      cwd: fixtures,
      encoding: 'utf8',
    });
    assert.equal(r.stdout, './commonjs/program/main.js\n');
    assert.equal(r.stderr, '');
  });
});

describe('modhost inspect: CommonJS files', () => {
  it('lists the form and the require ids, as a table and as JSON', () => {
    const r = cli(['inspect', 'commonjs/program/main.js']);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /^CommonJS module file:.*main\.js\n\nForm: plain \(Node style\)\n\nRequires:\n {2}"helper"\n {2}"lib\/greeting"/,
    );
    const json = JSON.parse(cli(['inspect', '--json', 'commonjs/define-main.js']).stdout) as {
      format: string;
      form: string;
      requires: string[];
    };
    assert.equal(json.format, 'commonjs');
    assert.equal(json.form, 'define');
    assert.deepEqual(json.requires, ['./define-dep']);
  });
});

describe('modhost <command> --help', () => {
  for (const command of ['run', 'inspect', 'graph'] as const) {
    it(command, () => {
      const r = cli([command, '--help']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${commandUsage(command)}\n`);
      assert.equal(cli(['help', command]).stdout, r.stdout);
    });
  }
  it('a usage error shows the command help', () => {
    const r = cli(['graph', '--bogus', 'x.js']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^modhost: .*bogus[\s\S]*Usage: modhost graph <entry>/);
  });
  it("run: options stop at the entry; the rest is the program's", () => {
    const r = cli(['run', '--no-cache', 'ok/main.js', '--stats', 'y']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^args --stats,y$/m);
    assert.doesNotMatch(r.stderr, /modhost stats/);
  });
});
