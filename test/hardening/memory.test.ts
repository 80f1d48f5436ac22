/**
 * Memory: a graph nobody references any more is garbage-collected (FinalizationRegistry under
 * --expose-gc, in a child process: the test runner does not pass that flag), loading and
 * dropping 1,000 fresh graphs keeps the heap and RSS flat, and no global keeps Modules alive.
 *
 * The child runs with --no-compilation-cache: from V8 14 (Node 26) V8's eval cache keeps every
 * distinct text passed to eval until memory gets short (≈1.3 KiB per text for short ones, ≈10 KiB
 * per graph here, also for plain `eval` without modhost), which is V8's memory, not a graph that
 * modhost keeps alive. And with a young generation of a fixed size: V8 doubles it (16 → 128 MiB on
 * Node 24) when enough of it is allocated between collections, whenever that happens, which
 * would show as RSS growth that says nothing about what the graphs keep.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

interface Report {
  registered: number;
  collected: string[];
  warm: { heap: number; rss: number };
  warm0: { heap: number; rss: number };
  newGlobals: string[];
}

describe('memory', () => {
  const script = fileURLToPath(new URL('./memory-child.js', import.meta.url));
  const flags = ['--expose-gc', '--no-compilation-cache', '--min-semi-space-size=16', '--max-semi-space-size=16'];
  const child = spawnSync(process.execPath, [...flags, script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const report = (): Report => {
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Report;
  };

  it('an unreferenced graph is collected (also after a long-lived signal, and after an aborted load)', () => {
    const r = report();
    assert.equal(
      r.collected.length,
      r.registered,
      `not collected: ${r.registered - r.collected.length} of ${r.registered}; collected: ${r.collected.join(', ')}`,
    );
    assert.ok(
      r.collected.includes('namespace') &&
        r.collected.includes('aborted module') &&
        r.collected.includes('module root'),
    );
  });

  it('1,000 fresh graphs keep the heap and RSS flat (after 2,000 warm-up graphs)', () => {
    const r = report();
    const MiB = 1024 * 1024;
    // Each graph holds ≈30 KiB of its own data (a 2,000-element array, a 1,000-character string):
    // 1,000 retained graphs would add ≈30 MiB of heap.
    assert.ok(
      r.warm0.heap - r.warm.heap < 4 * MiB,
      `heap grew by ${((r.warm0.heap - r.warm.heap) / MiB).toFixed(1)} MiB`,
    );
    assert.ok(r.warm0.rss - r.warm.rss < 16 * MiB, `RSS grew by ${((r.warm0.rss - r.warm.rss) / MiB).toFixed(1)} MiB`);
  });

  it('running graphs adds no global', () => {
    assert.deepEqual(report().newGlobals, []);
  });
});
