/**
 * The browser bundles: what they export and define, that minified builds behave like the plain
 * ones, and that the build refuses Node built-ins.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { BUNDLES, html, launchWithServer, openPage, REPO, type TestServer } from './harness.js';

type BuildBundles = (options?: {
  bundles?: Array<{ name: string; entry: string; format: string }>;
  outdir?: string;
}) => Promise<Record<string, { raw: number; minified: number; gzipped: number }>>;

const GRAPH = {
  '/g/main.js': { type: 'text/javascript', body: `import { x } from './x.js'; export default x + 1;` },
  '/g/x.js': { type: 'text/javascript', body: `await null; export const x = 41;` },
  '/g/cjs.js': {
    type: 'text/javascript',
    body: `define(function (require, exports) { exports.v = require('./dep').v * 2; });`,
  },
  '/g/dep.js': { type: 'text/javascript', body: `exports.v = 21;` },
};

describe('browser bundles', () => {
  let browser: Browser;
  let server: TestServer;
  before(async () => {
    [browser, server] = await launchWithServer({
      files: {
        ...GRAPH,
        '/global.html': html('<script src="/modhost/modhost.global.js"></script>'),
        '/global-min.html': html('<script src="/modhost/modhost.global.min.js"></script>'),
        '/amd.html': html(
          '<script>window.define = function amd() {}; window.define.amd = {};</script><script ' +
            'src="/modhost/modhost.global.js"></script>',
        ),
        '/esm.html': html(''),
      },
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const page of ['global.html', 'global-min.html']) {
    it(`${page}: defines modhost and define; ES and CommonJS graphs run`, async () => {
      const tab = await openPage(browser, `${server.url}${page}`);
      try {
        const result = await tab.page.evaluate(async () => {
          const g = globalThis as unknown as {
            modhost: Record<string, unknown> & { import(s: string): Promise<Record<string, unknown>> };
            define: { use(id: string): Promise<{ v: number }>; cmd: unknown };
          };
          const es = await g.modhost.import('./g/main.js');
          const cjs = await g.define.use('./g/cjs');
          return {
            globals: [
              'ModuleSource',
              'Module',
              'importModule',
              'install',
              'createBrowserHost',
              'createBrowserCommonJS',
              'config',
              'define',
            ].filter((k) => g.modhost[k] === undefined),
            defineIsModhosts: g.define === g.modhost.define,
            cmd: typeof g.define.cmd,
            es: es.default,
            cjs: cjs.v,
          };
        });
        assert.deepEqual(result, { globals: [], defineIsModhosts: true, cmd: 'object', es: 42, cjs: 42 });
        assert.deepEqual(tab.errors, []);
      } finally {
        await tab.close();
      }
    });
  }

  it('leaves an existing (AMD) define alone; modhost.define is still there', async () => {
    const tab = await openPage(browser, `${server.url}amd.html`);
    try {
      const result = await tab.page.evaluate(() => {
        const g = globalThis as unknown as {
          modhost: { define: { use: unknown } };
          define: { amd?: unknown; name: string };
        };
        return { amd: typeof g.define.amd, name: g.define.name, ours: typeof g.modhost.define.use };
      });
      assert.deepEqual(result, { amd: 'object', name: 'amd', ours: 'function' });
    } finally {
      await tab.close();
    }
  });

  it('the ES build (plain and minified) exports the API', async () => {
    const tab = await openPage(browser, `${server.url}esm.html`);
    try {
      const result = await tab.page.evaluate(async () => {
        const out: Record<string, unknown> = {};
        for (const file of ['modhost.browser.js', 'modhost.browser.min.js']) {
          const m = (await import(`/modhost/${file}`)) as Record<string, unknown> & {
            ModuleSource: new (text: string) => unknown;
            Module: new (s: unknown) => unknown;
            importModule(m: unknown): Promise<Record<string, unknown>>;
          };
          const ns = await m.importModule(new m.Module(new m.ModuleSource('export default 6 * 7;')));
          out[file] = {
            value: ns.default,
            names: [
              'install',
              'createBrowserHost',
              'createBrowserCommonJS',
              'registerCompiled',
              'parseImportMap',
              'createCommonJS',
              'VERSION',
            ].filter((k) => m[k] === undefined),
          };
        }
        return out;
      });
      assert.deepEqual(result, {
        'modhost.browser.js': { value: 42, names: [] },
        'modhost.browser.min.js': { value: 42, names: [] },
      });
    } finally {
      await tab.close();
    }
  });

  it('sizes are recorded and no output imports a Node built-in', () => {
    const sizes = JSON.parse(readFileSync(join(BUNDLES, 'sizes.json'), 'utf8')) as Record<
      string,
      { gzipped: number; minified: number }
    >;
    for (const name of ['modhost.browser', 'modhost.global']) {
      assert.ok(sizes[name]!.gzipped > 1000 && sizes[name]!.gzipped < sizes[name]!.minified, name);
      const code = readFileSync(join(BUNDLES, `${name}.min.js`), 'utf8');
      assert.doesNotMatch(code, /(?:from|import|require)\s*\(?\s*["']node:/);
    }
  });

  it('the build fails when a Node built-in would reach a browser bundle', async () => {
    const { buildBundles } = (await import(pathToFileURL(join(REPO, 'scripts', 'build-browser.mjs')).href)) as {
      buildBundles: BuildBundles;
    };
    const dir = mkdtempSync(join(tmpdir(), 'modhost-bundle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), `import { helper } from './b.js';\nexport const x = helper();\n`);
      writeFileSync(
        join(dir, 'b.ts'),
        `import { readFileSync } from 'node:fs';\nexport const helper = () => readFileSync;\n`,
      );
      writeFileSync(join(dir, 'c.ts'), `import path from 'path';\nexport const y = path.sep;\n`);
      await assert.rejects(
        buildBundles({ bundles: [{ name: 'bad', entry: join(dir, 'a.ts'), format: 'esm' }], outdir: dir }),
        /Node built-in "node:fs" imported by .*b\.ts/,
      );
      await assert.rejects(
        buildBundles({ bundles: [{ name: 'bad2', entry: join(dir, 'c.ts'), format: 'esm' }], outdir: dir }),
        /Node built-in "path"/,
      );
      await assert.rejects(
        buildBundles({
          bundles: [{ name: 'bad3', entry: join(REPO, 'src', 'hosts', 'node', 'synthetic.ts'), format: 'esm' }],
          outdir: dir,
        }),
        /Node-only sources/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
