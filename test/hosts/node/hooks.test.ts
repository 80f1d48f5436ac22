import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { ModuleHooks } from '../../../src/hosts/hooks/chain.js';
import { createNodeHost } from '../../../src/hosts/node/index.js';

let dir: string;
let base: string;

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modhost-hooks-'));
  base = pathToFileURL(`${dir}/`).href;
  write({
    'package.json': '{"type":"module"}',
    'plugin.js': 'import { version, greet } from "api"; export const out = greet("plugin") + " v" + version;',
    'plain.js': 'export const plain = 1;',
    'cjs/package.json': '{"type":"commonjs"}',
    'cjs/uses-api.js': 'const api = require("api"); exports.out = api.greet("cjs");',
    'cjs/resolves.js': 'exports.where = require.resolve("api");',
    'cjs/req-plain.js': 'exports.v = require("../plain.js").plain;',
    'dyn.js': 'export const load = () => import("api"); export const where = import.meta.resolve("api");',
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A plugin host: `api` is an in-memory module (and its helper, imported relatively). */
function apiHooks(log: string[] = []): ModuleHooks {
  const sources: Record<string, string> = {
    'memory:/api/index.js': 'export { greet } from "./greet.js"; export const version = 2;',
    'memory:/api/greet.js': 'export function greet(who) { return "hello " + who; }',
  };
  return {
    resolve(specifier, context, nextResolve) {
      log.push(`resolve ${specifier}`);
      if (specifier === 'api') return { url: 'memory:/api/index.js', format: 'module', shortCircuit: true };
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      log.push(`load ${url}`);
      const source = sources[url];
      if (source !== undefined) return { format: 'module', source, shortCircuit: true };
      return nextLoad(url, context);
    },
  };
}

describe('Node host hooks: in-memory modules', () => {
  it('a plugin imports an in-memory `api` module, whose relative imports resolve against its URL', async () => {
    const host = createNodeHost({ hooks: [apiHooks()] });
    const ns = await host.import('./plugin.js', base);
    assert.equal(ns.out, 'hello plugin v2');
  });

  it('applies to import(), import.meta.resolve, host.resolve, require and require.resolve', async () => {
    const host = createNodeHost({ hooks: [apiHooks()] });
    const dyn = await host.import('./dyn.js', base);
    assert.equal(dyn.where, 'memory:/api/index.js');
    assert.equal(((await (dyn.load as () => Promise<{ version: number }>)()) as { version: number }).version, 2);
    assert.equal(host.resolve('api', base), 'memory:/api/index.js');
    const cjs = await host.import('./cjs/uses-api.js', base);
    assert.equal((cjs.default as { out: string }).out, 'hello cjs');
    const resolves = await host.import('./cjs/resolves.js', base);
    assert.equal((resolves.default as { where: string }).where, 'memory:/api/index.js');
  });

  it('calls the load hook once per module per host; the default steps are the host’s own', async () => {
    const log: string[] = [];
    const host = createNodeHost({ hooks: [apiHooks(log)] });
    await host.import('./plugin.js', base);
    await host.import('./plugin.js', base);
    assert.equal(log.filter((l) => l === 'load memory:/api/index.js').length, 1);
    assert.ok(log.includes(`load ${base}plugin.js`), 'files on disk go through the load hook too');
    assert.equal((await host.import('./plain.js', base)).plain, 1);
  });

  it('hooks[0] is called first; its next* calls hooks[1]', async () => {
    const order: string[] = [];
    const tag = (name: string): ModuleHooks => ({
      resolve(specifier, context, next) {
        order.push(name);
        return next(specifier, context);
      },
    });
    const host = createNodeHost({ hooks: [tag('first'), tag('second')] });
    await host.import('./plain.js', base);
    assert.deepEqual(order.slice(0, 2), ['first', 'second']);
  });

  it('a load result without format is decided as for a file (module syntax → ES module)', async () => {
    const host = createNodeHost({
      hooks: [
        {
          resolve: (s, c, n) => (s === 'virtual:esm' || s === 'virtual:cjs' ? { url: s, shortCircuit: true } : n(s, c)),
          load: (url, c, n) =>
            url === 'virtual:esm'
              ? { source: 'export const kind = "esm";', shortCircuit: true }
              : url === 'virtual:cjs'
                ? { source: 'module.exports = { kind: "cjs" };', shortCircuit: true }
                : n(url, c),
        },
      ],
    });
    assert.equal((await host.import('virtual:esm')).kind, 'esm');
    assert.deepEqual((await host.import('virtual:cjs')).default, { kind: 'cjs' });
  });

  it('a load hook may serve JSON and CommonJS from memory, and see built-ins with source null', async () => {
    const seen: Array<[string, unknown]> = [];
    const host = createNodeHost({
      hooks: [
        {
          resolve: (s, c, n) => (s.startsWith('virtual:') ? { url: s, shortCircuit: true } : n(s, c)),
          load(url, context, next) {
            if (url === 'virtual:data') return { format: 'json', source: '{"n": 7}', shortCircuit: true };
            if (url === 'virtual:uses-data')
              return {
                format: 'module',
                source: 'import data from "virtual:data" with { type: "json" }; export default data;',
                shortCircuit: true,
              };
            if (url === 'virtual:cjs')
              return { format: 'commonjs', source: 'module.exports = require("node:path").sep;', shortCircuit: true };
            const result = next(url, context);
            if (url.startsWith('node:')) seen.push([url, (result as { source: unknown }).source]);
            return result;
          },
        },
      ],
    });
    const data = await host.import('virtual:uses-data');
    assert.deepEqual(data.default, { n: 7 });
    await assert.rejects(host.import('virtual:data'), { code: 'ERR_IMPORT_ATTRIBUTE_MISSING' });
    assert.equal((await host.import('virtual:cjs')).default, '/');
    assert.deepEqual(seen, [], "require() of a built-in takes Node's own module");
    await host.import('node:path');
    assert.deepEqual(seen, [['node:path', null]], 'an import of a built-in goes through the load hooks');
  });

  it('an asynchronous load hook serves ES imports', async () => {
    const host = createNodeHost({
      hooks: [
        {
          resolve: (s, c, n) => (s === 'virtual:late' ? { url: s, shortCircuit: true } : n(s, c)),
          async load(url, context, next) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            if (url === 'virtual:late') return { format: 'module', source: 'export default 42;', shortCircuit: true };
            return next(url, context);
          },
        },
      ],
    });
    assert.equal((await host.import('virtual:late')).default, 42);
  });
});

describe('Node host hooks: errors', () => {
  it('a hook that throws: ERR_MODHOST_HOOK_FAILED names specifier and importer, keeps cause', async () => {
    const cause = new Error('registry offline');
    const host = createNodeHost({
      hooks: [
        {
          resolve(specifier, context, next) {
            if (specifier === 'api') throw cause;
            return next(specifier, context);
          },
        },
      ],
    });
    await assert.rejects(host.import('./plugin.js', base), (error: Error & Record<string, unknown>) => {
      assert.equal(error.code, 'ERR_MODHOST_HOOK_FAILED');
      assert.equal(error.specifier, 'api');
      assert.equal(error.referrer, `${base}plugin.js`);
      assert.equal(error.cause, cause);
      assert.match(error.message, new RegExp(`"api" imported from ${base}plugin\\.js: registry offline`));
      return true;
    });
  });

  it('a hook returning nonsense: a coded TypeError', async () => {
    const host = createNodeHost({ hooks: [{ resolve: () => ({ url: 42, shortCircuit: true }) as never }] });
    await assert.rejects(host.import('./plain.js', base), {
      name: 'TypeError',
      code: 'ERR_INVALID_RETURN_PROPERTY_VALUE',
    });
    const loads = createNodeHost({ hooks: [{ load: () => ({ format: 'module', shortCircuit: true }) }] });
    await assert.rejects(loads.import('./plain.js', base), {
      name: 'TypeError',
      code: 'ERR_INVALID_RETURN_PROPERTY_VALUE',
    });
    const formats = createNodeHost({
      hooks: [{ load: () => ({ format: 'yaml', source: 'a: 1', shortCircuit: true }) }],
    });
    await assert.rejects(formats.import('./plain.js', base), { name: 'RangeError', code: 'ERR_UNKNOWN_MODULE_FORMAT' });
  });

  it('a chain that is not short-circuited and did not call next: ERR_LOADER_CHAIN_INCOMPLETE', async () => {
    const host = createNodeHost({ hooks: [{ load: () => ({ format: 'module', source: 'export {}' }) }] });
    await assert.rejects(host.import('./plain.js', base), { code: 'ERR_LOADER_CHAIN_INCOMPLETE' });
  });

  it('require() that meets a promise from a load hook: ERR_MODHOST_ASYNC_IN_REQUIRE', async () => {
    const host = createNodeHost({
      hooks: [
        {
          async load(url, context, next) {
            return next(url, context);
          },
        },
      ],
    });
    await assert.rejects(host.import('./cjs/req-plain.js', base), (error: Error & Record<string, unknown>) => {
      assert.equal(error.code, 'ERR_MODHOST_ASYNC_IN_REQUIRE');
      assert.match(error.message, /^require\(\) needs a synchronous answer/);
      return true;
    });
  });

  it('the host’s own errors pass through a hook unwrapped', async () => {
    const host = createNodeHost({ hooks: [{ resolve: (s, c, n) => n(s, c) }] });
    await assert.rejects(host.import('./missing.js', base), (error: Error & Record<string, unknown>) => {
      assert.equal(error.code, 'ERR_MODULE_NOT_FOUND');
      return true;
    });
  });

  it('an unknown scheme with no hook to load it: ERR_UNSUPPORTED_ESM_URL_SCHEME', async () => {
    const host = createNodeHost({
      hooks: [{ resolve: (s, c, n) => (s === 'x' ? { url: 'virtual:x', shortCircuit: true } : n(s, c)) }],
    });
    await assert.rejects(host.import('x'), { code: 'ERR_UNSUPPORTED_ESM_URL_SCHEME' });
  });

  it('invalid hooks options are a coded TypeError at construction', () => {
    assert.throws(() => createNodeHost({ hooks: [{ resolve: 1 as never }] }), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
  });
});
