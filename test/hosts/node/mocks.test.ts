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
  dir = mkdtempSync(join(tmpdir(), 'modhost-mocks-'));
  base = pathToFileURL(`${dir}/`).href;
  const files: Record<string, string> = {
    'package.json': '{"type":"module"}',
    // app.js → service.js → db.js (the module to mock, two levels down)
    'app.js': 'import { listUsers } from "./service.js"; export async function main() { return listUsers(); }',
    'service.js':
      'import { query } from "./db.js"; export async function listUsers() { return (await query("users")).map((u) ' +
      '=> u.name); }',
    'db.js':
      'globalThis.__dbLoads = (globalThis.__dbLoads ?? 0) + 1; export async function query() { throw new ' +
      'Error("no database in tests"); } export const pool = "real";',
    'needs-missing.js': 'import { notExported } from "./db.js"; export default notExported;',
    'cjs/package.json': '{"type":"commonjs"}',
    'cjs/report.js': 'const db = require("../db.js"); module.exports = async () => (await db.query("n")).length;',
    'cjs/legacy.js': 'module.exports = function legacy() { return "real legacy"; };',
    'cjs/uses-legacy.js': 'const legacy = require("./legacy.js"); exports.out = legacy();',
    'esm-uses-legacy.js': 'import legacy from "./cjs/legacy.js"; export const out = legacy();',
    'uses-fs.js': 'import { readFileSync } from "node:fs"; export const text = readFileSync("/nowhere", "utf8");',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  delete (globalThis as { __dbLoads?: number }).__dbLoads;
});

describe('host.mock', () => {
  it('replaces a module two levels down for its ES importer, without touching the importers', async () => {
    const host = createNodeHost();
    host.mock('./db.js', () => ({ query: async () => [{ name: 'ada' }, { name: 'alan' }] }), { parentURL: base });
    const app = await host.import('./app.js', base);
    assert.deepEqual(await (app.main as () => Promise<string[]>)(), ['ada', 'alan']);
  });

  it('applies to CommonJS importers (require) as well', async () => {
    const host = createNodeHost();
    host.mock('./db.js', () => ({ query: async () => [1, 2, 3] }), { parentURL: base });
    const report = (await host.import('./cjs/report.js', base)).default as () => Promise<number>;
    assert.equal(await report(), 3);
  });

  it('mocks a CommonJS module for require() and for import (default, "module.exports")', async () => {
    const host = createNodeHost();
    const fake = () => 'fake legacy';
    host.mock('./cjs/legacy.js', () => ({ default: fake, 'module.exports': fake }), { parentURL: base });
    assert.equal(((await host.import('./cjs/uses-legacy.js', base)).default as { out: string }).out, 'fake legacy');
    assert.equal((await host.import('./esm-uses-legacy.js', base)).out, 'fake legacy');
  });

  it('an ES importer of a name the mock lacks gets the link-time SyntaxError', async () => {
    const host = createNodeHost();
    host.mock('./db.js', () => ({ query: async () => [] }), { parentURL: base });
    await assert.rejects(host.import('./needs-missing.js', base), (error: Error & { code?: string }) => {
      assert.ok(error instanceof SyntaxError);
      assert.equal(error.code, 'ERR_MODHOST_UNRESOLVED_IMPORT');
      return true;
    });
  });

  it('importOriginal() gives a separate instance of the real module, for partial mocks', async () => {
    const host = createNodeHost();
    const before = (globalThis as { __dbLoads?: number }).__dbLoads ?? 0;
    host.mock(
      './db.js',
      async (importOriginal) => {
        const real = await importOriginal();
        return { ...real, query: async () => [{ name: `pool was ${real.pool as string}` }] };
      },
      { parentURL: base },
    );
    const app = await host.import('./app.js', base);
    assert.deepEqual(await (app.main as () => Promise<string[]>)(), ['pool was real']);
    assert.equal(
      (globalThis as { __dbLoads?: number }).__dbLoads,
      before + 1,
      'the original ran once, for importOriginal',
    );
  });

  it('restore(): later imports get the real module; importers already linked keep the mock', async () => {
    const host = createNodeHost();
    const handle = host.mock('./db.js', () => ({ query: async () => [{ name: 'mocked' }] }), { parentURL: base });
    assert.equal(handle.url, `${base}db.js`);
    const app = await host.import('./app.js', base);
    handle.restore();
    assert.deepEqual(await (app.main as () => Promise<string[]>)(), ['mocked'], 'linked before restore');
    const db = await host.import('./db.js', base);
    assert.equal(db.pool, 'real');
  });

  it('mocks a built-in', async () => {
    const host = createNodeHost();
    host.mock('node:fs', () => ({ readFileSync: () => 'from the mock' }));
    assert.equal((await host.import('./uses-fs.js', base)).text, 'from the mock');
  });

  it('an async factory serves import; require() of it is ERR_MODHOST_ASYNC_IN_REQUIRE', async () => {
    const host = createNodeHost();
    host.mock('./db.js', async () => ({ query: async () => [] }), { parentURL: base });
    await assert.rejects(host.import('./cjs/report.js', base), { code: 'ERR_MODHOST_ASYNC_IN_REQUIRE' });
  });

  it('a factory that throws: ERR_MODHOST_MOCK_FAILED with the cause', async () => {
    const host = createNodeHost();
    const cause = new Error('factory bug');
    host.mock(
      './db.js',
      () => {
        throw cause;
      },
      { parentURL: base },
    );
    await assert.rejects(host.import('./app.js', base), (error: Error & { code?: string; cause?: unknown }) => {
      const inner = (error.code === 'ERR_MODHOST_MOCK_FAILED' ? error : error.cause) as Error & { code?: string };
      assert.equal(inner.code, 'ERR_MODHOST_MOCK_FAILED');
      assert.equal(inner.cause, cause);
      return true;
    });
  });

  it('checks its arguments and resolves the specifier through the host (a missing module is an error)', () => {
    const host = createNodeHost();
    assert.throws(() => host.mock('./db.js', 'nope' as never), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    assert.throws(() => host.mock('./nowhere.js', () => ({}), { parentURL: base }), { code: 'ERR_MODULE_NOT_FOUND' });
  });
});
