// Real npm packages (devDependencies) through `modhost run`, with plain `node` as the oracle: the
// same program must print the same thing. Each program runs three ways under modhost: without the
// compile cache, filling an empty cache, and from the warm cache (records and V8 code caches).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../cli/modhost.mjs', import.meta.url));
const programs = fileURLToPath(new URL('../../../test/fixtures/packages/', import.meta.url));
// Fixed time zone: date-fns and Date output must not depend on the machine.
const env = { ...process.env, NO_COLOR: '1', TZ: 'UTC' };

function run(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: programs, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('real packages: modhost run prints what node prints', () => {
  for (const program of ['lodash-es.mjs', 'three.mjs', 'date-fns.mjs', 'rxjs.mjs']) {
    it(program, () => {
      const native = run([program]);
      assert.equal(native.code, 0, native.stderr);
      assert.ok(native.stdout.split('\n').length > 4, 'the oracle printed its lines');
      const noCache = run([bin, 'run', '--no-cache', program]);
      assert.equal(noCache.stderr, '');
      assert.equal(noCache.stdout, native.stdout);
      assert.equal(noCache.code, 0);
      const cacheDir = mkdtempSync(join(tmpdir(), 'modhost-real-'));
      try {
        for (const pass of ['filling the cache', 'from the warm cache']) {
          const cached = run([bin, 'run', '--cache-dir', cacheDir, program]);
          assert.equal(cached.stderr, '', pass);
          assert.equal(cached.stdout, native.stdout, pass);
          assert.equal(cached.code, 0, pass);
        }
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    });
  }
});
