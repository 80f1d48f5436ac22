import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createNodeHost } from '../../../src/hosts/node/index.js';

describe('NodeHost.run (a main module, no namespace)', () => {
  it('evaluates the graph, resolves to undefined, and import() of it later shares the instance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modhost-run-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      writeFileSync(join(dir, 'dep.js'), 'globalThis.__modhostRunLog.push("dep"); export const v = 1;');
      writeFileSync(
        join(dir, 'main.js'),
        'import { v } from "./dep.js"; globalThis.__modhostRunLog.push("main " + v); export const w = v + 1;',
      );
      const log: string[] = [];
      (globalThis as { __modhostRunLog?: string[] }).__modhostRunLog = log;
      const host = createNodeHost();
      const base = pathToFileURL(`${dir}/`).href;
      assert.equal(await host.run('./main.js', base), undefined);
      assert.deepEqual(log, ['dep', 'main 1']);
      const ns = await host.import('./main.js', base);
      assert.equal(ns.w, 2);
      assert.deepEqual(log, ['dep', 'main 1'], 'nothing ran twice');
    } finally {
      delete (globalThis as { __modhostRunLog?: string[] }).__modhostRunLog;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing main module rejects (never throws synchronously) with ERR_MODULE_NOT_FOUND', async () => {
    const host = createNodeHost();
    const pending = host.run('./no-such-module.js', pathToFileURL(`${tmpdir()}/`).href);
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, { code: 'ERR_MODULE_NOT_FOUND' });
  });
});
