/**
 * records/intrinsics.ts: module code that poisons built-ins cannot change how records load, link
 * or evaluate. In poisoned-graph.ts (run in a child process), a module replaces built-ins, then
 * dynamically imports a small graph: loading, linking, namespace creation and evaluation with
 * top-level await all run after the poisoning.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSourceTextModuleRecord, Link, LoadRequestedModules } from '../../src/records/index.js';
import { createTestRealm, settle, textSource } from './fixtures.js';

describe('records/intrinsics.ts: captured built-ins', () => {
  it('loading, linking, namespaces and evaluation (with top-level await) survive poisoned built-ins', () => {
    const script = fileURLToPath(new URL('./poisoned-graph.js', import.meta.url));
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      error: string | null;
      poisoned: boolean;
      log: unknown[];
      depStatus: string;
    };
    assert.equal(result.error, null);
    assert.equal(result.poisoned, true);
    assert.deepEqual(result.log, ['main', 'inner', 'dep done', [42, 'set', 'Module', true, true], 'main end']);
    assert.equal(result.depStatus, 'evaluated');
  });

  it('a Link failure after poisoning (Object.prototype setters, Proxy, Reflect, Promise): SyntaxError', async () => {
    const t = createTestRealm();
    const source = textSource(`import { missing } from './x';`, 'memory:/bad');
    const target = createSourceTextModuleRecord(textSource(`export const present = 1;`, 'memory:/x'), t.realm);
    const targetModule = t.wrap(target);
    const bad = createSourceTextModuleRecord(source, t.realm, { importHook: () => targetModule, handler: undefined });
    await LoadRequestedModules(bad);
    const g = globalThis as Record<string, unknown>;
    const saved = { Proxy: g.Proxy, Reflect: g.Reflect, Promise: g.Promise };
    Object.defineProperty(Object.prototype, 'status', {
      set() {
        throw new Error('setter');
      },
      configurable: true,
    });
    g.Proxy = g.Reflect = g.Promise = undefined;
    let error: unknown;
    try {
      Link(bad);
    } catch (e) {
      error = e;
    } finally {
      delete (Object.prototype as Record<string, unknown>).status;
      Object.assign(g, saved);
    }
    assert.ok(error instanceof SyntaxError);
    assert.equal((error as { code?: string }).code, 'ERR_MODHOST_UNRESOLVED_IMPORT');
    assert.equal(bad.status, 'unlinked');
    await settle();
  });
});
