import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

it('1,000 fork / import / dispose cycles of a 200-module graph (lodash-es shared) keep the heap within 10% of its size after 10 cycles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-heap-'));
  try {
    writeGraph(dir, 200);
    const repoNodeModules = fileURLToPath(new URL('../../../../node_modules', import.meta.url));
    symlinkSync(repoNodeModules, join(dir, 'node_modules'), 'dir');
    const entry = pathToFileURL(join(dir, 'm0.js')).href;
    const expected = (200 * 199) / 2;
    const parent = createNodeHost();
    const share = (url: string) => url.includes('/node_modules/');
    let afterTen = 0;
    for (let cycle = 1; cycle <= 1000; cycle++) {
      const fork = parent.fork({ share });
      const ns = await fork.import(entry);
      assert.equal(ns.value, expected);
      fork.dispose();
      if (cycle === 10) afterTen = heapUsed();
    }
    const atEnd = heapUsed();
    assert.ok(
      atEnd <= afterTen * 1.1,
      `heap after 1,000 cycles: ${(atEnd / 2 ** 20).toFixed(1)} MiB; after 10: ${(afterTen / 2 ** 20).toFixed(1)} MiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
