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
const gc = vm.runInNewContext('gc') as () => void;

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
      // the capacity V8 leaves in WeakMap tables (one entry per module instance in a few of them)
      // for garbage that waits for the next full collection: V8 does not shrink those tables.
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
