import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createNodeHost } from '../../../src/hosts/node/index.js';

let dir: string;
let base: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modhost-dispose-'));
  base = pathToFileURL(`${dir}/`).href;
  const files: Record<string, string> = {
    'package.json': '{"type":"module"}',
    'a.js': 'export const a = 1;',
    'slow.js': 'await new Promise((resolve) => setTimeout(resolve, 20)); export const slow = 1;',
    'cjs.cjs': 'module.exports = { c: 1 };',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('host.dispose', () => {
  it('later imports reject with ERR_MODHOST_HOST_DISPOSED; resolve, mock, fork and require throw it', async () => {
    const host = createNodeHost();
    await host.import('./a.js', base);
    const require = host.commonjs.require;
    host.dispose();
    assert.equal(host.disposed, true);
    await assert.rejects(host.import('./a.js', base), { code: 'ERR_MODHOST_HOST_DISPOSED' });
    await assert.rejects(host.run('./a.js', base), { code: 'ERR_MODHOST_HOST_DISPOSED' });
    assert.throws(() => host.resolve('./a.js', base), { code: 'ERR_MODHOST_HOST_DISPOSED' });
    assert.throws(() => host.mock('./a.js', () => ({}), { parentURL: base }), { code: 'ERR_MODHOST_HOST_DISPOSED' });
    assert.throws(() => host.fork(), { code: 'ERR_MODHOST_HOST_DISPOSED' });
    assert.throws(() => host.commonjs, { code: 'ERR_MODHOST_HOST_DISPOSED' });
    assert.throws(() => require(join(dir, 'cjs.cjs')), { code: 'ERR_MODHOST_HOST_DISPOSED' });
    host.dispose(); // idempotent
  });

  it('a load in progress when the host is disposed fails the same way', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const host = createNodeHost({
      hooks: [
        {
          async load(url, context, next) {
            await gate;
            return next(url, context);
          },
        },
      ],
    });
    const pending = host.import('./a.js', base);
    host.dispose();
    release();
    await assert.rejects(pending, { code: 'ERR_MODHOST_HOST_DISPOSED' });
  });

  it('a fork can be disposed while its parent goes on', async () => {
    const parent = createNodeHost();
    const fork = parent.fork();
    await fork.import('./a.js', base);
    fork.dispose();
    assert.equal((await parent.import('./a.js', base)).a, 1);
  });
});
