/**
 * The CLI's code cache of its own bundle: made at the end of a `run`, used by the next one, and
 * ignored (then replaced) when it is damaged, truncated or made for another build.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  checksum,
  ownCodeCacheFile,
  readOwnCodeCache,
  worthRefreshing,
  writeOwnCodeCache,
} from '../../src/cli/own-code-cache.js';
import { VERSION } from '../../src/version.js';

const bin = fileURLToPath(new URL('../../cli/modhost.mjs', import.meta.url));
const bundle = fileURLToPath(new URL('../../cli/modhost.bundle.js', import.meta.url));
const parser = fileURLToPath(new URL('../../cli/meriyah.bundle.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../test/fixtures/cli/', import.meta.url));
const EXPECTED = 'sum 5 fixture string function\nargs x,y\nmeta true true string\nresolve true\n';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-own-cache-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cacheRoot: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: fixtures,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', MODHOST_CACHE_DIR: cacheRoot, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the CLI code cache', () => {
  it('is made by a run, used by the next, and a damaged one is ignored and replaced', () => {
    withDir((root) => {
      const file = ownCodeCacheFile(root, VERSION, bundle);
      // --version does not make it (it would hold none of the parser).
      assert.equal(run(root, ['--version']).code, 0);
      assert.equal(existsSync(file), false);
      const first = run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']);
      assert.equal(first.stderr, '');
      assert.equal(first.stdout, EXPECTED);
      assert.ok(existsSync(file), 'made at the end of the first run');
      const made = statSync(file).mtimeMs;
      const second = run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']);
      assert.equal(second.stdout, EXPECTED);
      assert.equal(statSync(file).mtimeMs, made, 'an accepted cache is not rewritten');

      // One flipped byte in V8's data: the checksum rejects it before V8 sees it.
      const bytes = readFileSync(file);
      bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x55;
      writeFileSync(file, bytes);
      const damaged = run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']);
      assert.equal(damaged.stderr, '');
      assert.equal(damaged.stdout, EXPECTED);
      assert.notDeepEqual(readFileSync(file), bytes, 'replaced by a good one');

      // Truncated.
      writeFileSync(file, readFileSync(file).subarray(0, 100));
      const truncated = run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']);
      assert.equal(truncated.stdout, EXPECTED);
      assert.ok(statSync(file).size > 1000);
    });
  });

  it('a run that lasts more than twice as long replaces a smaller cache; worthRefreshing', () => {
    withDir((root) => {
      const file = ownCodeCacheFile(root, VERSION, bundle);
      assert.equal(run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']).code, 0);
      const small = readFileSync(file);
      // A CommonJS program compiles the CommonJS runtime too, and sleeps long enough to be "longer".
      const slow = join(root, 'slow.cjs');
      writeFileSync(
        slow,
        'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);\n' +
          "module.exports = require('node:path').sep;",
      );
      const r = run(root, ['run', '--no-cache', slow]);
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      const refreshed = readFileSync(file);
      assert.ok(refreshed.length > small.length, `${refreshed.length} > ${small.length}`);
      // The next short run keeps it.
      assert.equal(run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']).code, 0);
      assert.deepEqual(readFileSync(file), refreshed);
    });
    assert.equal(worthRefreshing(250, 100), true);
    assert.equal(worthRefreshing(150, 100), false);
  });

  it('the parser is a script of its own, loaded (and cached) only by a run that parses', () => {
    withDir((root) => {
      const bundleCache = ownCodeCacheFile(root, VERSION, bundle);
      const parserCache = ownCodeCacheFile(root, VERSION, parser);
      // The first run parses (and fills the compile cache, which lives under the same root).
      assert.equal(run(root, ['run', 'ok/main.js', '--', 'x', 'y']).stdout, EXPECTED);
      assert.ok(existsSync(bundleCache) && existsSync(parserCache));
      // Served by the compile cache, a run never parses: no parser, so no parser cache either.
      rmSync(join(root, 'cli'), { recursive: true });
      const warm = run(root, ['run', 'ok/main.js', '--', 'x', 'y']);
      assert.equal(warm.stderr, '');
      assert.equal(warm.stdout, EXPECTED);
      assert.ok(existsSync(bundleCache));
      assert.equal(existsSync(parserCache), false);
      // A damaged parser cache is ignored and replaced, as the bundle's is.
      assert.equal(run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']).code, 0);
      const bytes = readFileSync(parserCache);
      bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x55;
      writeFileSync(parserCache, bytes);
      const damaged = run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y']);
      assert.equal(damaged.stderr, '');
      assert.equal(damaged.stdout, EXPECTED);
      assert.notDeepEqual(readFileSync(parserCache), bytes, 'replaced by a good one');
    });
  });

  it('MODHOST_CLI_CODE_CACHE=0 neither reads nor writes it', () => {
    withDir((root) => {
      const r = run(root, ['run', '--no-cache', 'ok/main.js', '--', 'x', 'y'], { MODHOST_CLI_CODE_CACHE: '0' });
      assert.equal(r.stdout, EXPECTED);
      assert.equal(existsSync(ownCodeCacheFile(root, VERSION, bundle)), false);
    });
  });

  it('readOwnCodeCache returns the data only for the same build and intact bytes', () => {
    withDir((root) => {
      const file = ownCodeCacheFile(root, VERSION, '/some/where/modhost.bundle.js');
      const bundle = { size: 1234, mtimeMs: 1700000000123.5 };
      const data = Buffer.from(Array.from({ length: 4099 }, (_, i) => (i * 7) & 0xff));
      assert.equal(readOwnCodeCache(file, bundle), undefined, 'no file');
      writeOwnCodeCache(file, bundle, data, 123.5);
      assert.deepEqual(readOwnCodeCache(file, bundle), { data, madeAfterMs: 123.5 });
      assert.equal(readOwnCodeCache(file, { ...bundle, size: 1235 }), undefined, 'another build (size)');
      assert.equal(readOwnCodeCache(file, { ...bundle, mtimeMs: 1 }), undefined, 'another build (mtime)');
      const bytes = readFileSync(file);
      for (const at of [0, 5, 21, 40, bytes.length - 1]) {
        const copy = Buffer.from(bytes);
        copy[at] = (copy[at] ?? 0) ^ 1;
        writeFileSync(file, copy);
        assert.equal(readOwnCodeCache(file, bundle), undefined, `byte ${at} flipped`);
      }
      writeFileSync(file, bytes.subarray(0, bytes.length - 3));
      assert.equal(readOwnCodeCache(file, bundle), undefined, 'truncated');
      writeFileSync(file, Buffer.concat([bytes, Buffer.from([0])]));
      assert.equal(readOwnCodeCache(file, bundle), undefined, 'trailing bytes');
    });
  });

  it('checksum: the same on aligned and unaligned views, different for a one-bit change', () => {
    const data = Buffer.from(Array.from({ length: 1027 }, (_, i) => (i * 31) & 0xff));
    const unaligned = Buffer.alloc(data.length + 1).subarray(1);
    data.copy(unaligned);
    assert.equal(checksum(unaligned), checksum(data));
    const changed = Buffer.from(data);
    changed[1026] = (changed[1026] ?? 0) ^ 0x80;
    assert.notEqual(checksum(changed), checksum(data));
  });
});
