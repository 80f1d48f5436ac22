import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createNodeHost } from '../../../src/hosts/node/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
/** A young-generation collection (a scavenge). */
const minorGC = (): void => gc({ type: 'minor' });

function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** A 200-module graph (a binary tree of imports) whose modules also use lodash-es. */
function writeGraph(dir: string, modules: number): void {
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  for (let i = 0; i < modules; i++) {
    const children = [2 * i + 1, 2 * i + 2].filter((c) => c < modules);
    const lines = children.map((c, k) => `import { value as v${k} } from './m${c}.js';`);
    if (i % 20 === 0) lines.push(`import { sum } from 'lodash-es';`);
    const parts = [`${i}`, ...children.map((_, k) => `v${k}`)];
    lines.push(`export const value = ${i % 20 === 0 ? `sum([${parts.join(', ')}])` : parts.join(' + ')};`);
    lines.push(`export const big = new Array(64).fill(${i});`); // some per-instance memory
    writeFileSync(join(dir, `m${i}.js`), `${lines.join('\n')}\n`);
  }
}

it('a disposed fork leaves nothing that outlives a young-generation collection', async () => {
  // V8 keeps a WeakMap entry's value (and a WeakRef's target) alive through a scavenge even when
  // the key is garbage: one table entry whose value leads to a fork's records made the whole
  // disposed graph survive minor collections, pile up in the old generation and wait for a full
  // collection (modhost test's peak RSS). Measured: what a minor collection right after a cycle
  // keeps, over what the cycle allocated (with such an entry: ~0.6; without: ~0.05). Feedback
  // vectors are allocated eagerly here: once V8 allocates them lazily for the graph's functions
  // (after a few forks), what the last fork's closures left in them keeps a part of that fork
  // through scavenges too (~0.25, V8's own doing), which would hide what this test looks for.
  v8.setFlagsFromString('--no-lazy-feedback-allocation');
  const dir = mkdtempSync(join(tmpdir(), 'modhost-young-'));
  try {
    writeGraph(dir, 200);
    const repoNodeModules = fileURLToPath(new URL('../../../../node_modules', import.meta.url));
    symlinkSync(repoNodeModules, join(dir, 'node_modules'), 'dir');
    // Each cycle imports an entry its family has not seen (compiled by the fork, as every test
    // file of modhost test is) above the graph (taken from the family's sources).
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `entry${i}.js`), "export { value } from './m0.js';\n");
    const parent = createNodeHost();
    const share = (url: string) => url.includes('/node_modules/');
    let cycles = 0;
    const cycle = async (): Promise<void> => {
      const fork = parent.fork({ share });
      await fork.import(pathToFileURL(join(dir, `entry${cycles++}.js`)).href);
      fork.dispose();
    };
    const newSpaceUsed = (): number =>
      v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_used_size ?? 0;
    for (let i = 0; i < 5; i++) await cycle();
    const ratios: number[] = [];
    for (let trial = 0; trial < 7; trial++) {
      gc();
      const start = newSpaceUsed();
      await cycle();
      await new Promise((resolve) => setImmediate(resolve));
      const allocated = newSpaceUsed() - start;
      minorGC();
      // (a scavenge during the cycle would make `allocated` meaningless: such a trial is skipped)
      if (allocated > 100_000) ratios.push(newSpaceUsed() / allocated);
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[ratios.length >> 1];
    assert.ok(median !== undefined, 'no trial without a scavenge');
    assert.ok(median < 0.25, `a minor collection kept ${(median * 100).toFixed(0)}% of what a fork cycle allocated`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('1,000 fork/import/dispose cycles of 200 modules (lodash-es shared): heap within 10% of cycle 10', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-heap-'));
  try {
    writeGraph(dir, 200);
    const repoNodeModules = fileURLToPath(new URL('../../../../node_modules', import.meta.url));
    symlinkSync(repoNodeModules, join(dir, 'node_modules'), 'dir');
    const entry = pathToFileURL(join(dir, 'm0.js')).href;
    const expected = (200 * 199) / 2;
    const parent = createNodeHost();
    const share = (url: string) => url.includes('/node_modules/');
    /** One cycle; nothing of the fork stays in this test's frame (hence a function of its own). */
    const cycle = async (): Promise<WeakRef<object>> => {
      const fork = parent.fork({ share });
      const ref = new WeakRef(fork.realm);
      const ns = await fork.import(entry);
      assert.equal(ns.value, expected);
      fork.dispose();
      return ref;
    };
    let afterTen = 0;
    const realms: WeakRef<object>[] = [];
    for (let count = 1; count <= 1000; count++) {
      realms.push(await cycle());
      if (count === 10) afterTen = heapUsed();
      // A full collection every 10 cycles, so that what is measured is what the forks retain, not
      // the capacity V8 leaves in tables it does not shrink.
      else if (count % 10 === 0) gc();
    }
    // (WeakRefs made during this job stay alive until it ends)
    await new Promise((resolve) => setImmediate(resolve));
    const atEnd = heapUsed();
    assert.ok(
      atEnd <= afterTen * 1.1,
      `heap after 1,000 cycles: ${(atEnd / 2 ** 20).toFixed(1)} MiB; after 10: ${(afterTen / 2 ** 20).toFixed(1)} MiB`,
    );
    const alive = realms.filter((ref) => ref.deref() !== undefined).length;
    assert.equal(alive, 0, `${alive} of 1,000 disposed hosts are still reachable`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
