/**
 * The browser tests' setup cannot hang: when Chromium cannot start, launchWithServer fails at once
 * with a message naming it, and closes the server it started (an open server would keep the test
 * file's process alive for good).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const harness = new URL('./harness.js', import.meta.url).href;

describe('browser test harness', () => {
  it('a Chromium that cannot start: a clear error, and the process ends', () => {
    const script =
      `
      const { launchWithServer } = await import(${JSON.stringify(harness)});
      try { await launchWithServer(); console.log('started?'); } catch (error) { ` +
      `console.log(error.message.split('\\n')[0]); }
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, MODHOST_CHROMIUM: '/bin/false' },
      timeout: 60_000,
    });
    assert.equal(r.signal, null, 'the process ended by itself');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Chromium \(\/bin\/false\) could not start: /);
  });
});
