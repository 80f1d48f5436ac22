/**
 * Import maps: modhost's implementation of the HTML Standard's algorithm against Chromium's own.
 * The page carries `<script type="importmap">` elements; "probe" modules at several URLs call the
 * native `import.meta.resolve` for a list of specifiers, and a modhost host created on the same
 * page (reading the same maps) must give the same URL — or fail with the same error class — for
 * every (module URL, specifier) pair.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { importMapToJSON, parseImportMap, resolveModuleSpecifier } from '../../src/hosts/browser/import-map.js';
import { html, launchWithServer, openPage, type TestPage, type TestServer } from './harness.js';

type Bundle = typeof import('../../src/browser/index.js');

const FIRST_MAP = {
  imports: {
    lodash: '/node_modules/lodash-es/lodash.js',
    'lodash/': '/node_modules/lodash-es/',
    'lodash/fp/': '/vendor/fp/',
    moment: './vendor/moment.js',
    'moment/': './vendor/moment/',
    blocked: null,
    'blocked/': null,
    'bad-address': 'not-a-url',
    'no-slash/': '/pkg',
    './local.js': '/redirected/local.js',
    '../maps/other.js': '/redirected/other.js',
    'https://cdn.example/lib.js': '/mirror/lib.js',
    'https://cdn.example/pkg/': '/mirror/pkg/',
    'data:text/javascript,export default 1': '/data-mapped.js',
    'std:blank': '/std-blank.js',
    'back/': '/lib/back/',
    'a b': '/space.js',
    '': '/empty.js',
    'caf%C3%A9': '/cafe.js',
    café: '/cafe-raw.js',
    num: 42,
    'query/': '/q/?x=',
  },
  scopes: {
    '/maps/scoped/': { lodash: '/scoped/lodash.js', 'moment/': '/scoped/moment/' },
    '/maps/scoped/deeper/': { lodash: '/deeper/lodash.js' },
    '/maps/exact/probe.js': { lodash: '/exact/lodash.js' },
    '/maps/exact/': { lodash: '/exact-dir/lodash.js', moment: '/exact-dir/moment.js' },
    '/maps/nulls/': { lodash: null, 'lodash/': null },
    'https://cdn.example/': { lodash: '/from-cdn-scope.js' },
  },
};

// A later map: rules for keys the first map has are ignored; new keys are added.
const SECOND_MAP = {
  imports: { lodash: '/second/lodash.js', second: '/second/second.js', 'lodash/extra/': '/second/extra/' },
  scopes: {
    '/maps/scoped/': { lodash: '/second/ignored.js', extra: '/second/extra.js' },
    '/maps/new-scope/': { lodash: '/second/new-scope.js' },
  },
};

const PROBES = [
  '/maps/probe.js',
  '/maps/scoped/probe.js',
  '/maps/scoped/deeper/probe.js',
  '/maps/exact/probe.js',
  '/maps/exact/other/probe.js',
  '/maps/nulls/probe.js',
  '/maps/new-scope/probe.js',
  '/elsewhere/probe.js',
];

const SPECIFIERS = [
  'lodash',
  'lodash/',
  'lodash/chunk.js',
  'lodash/fp/map.js',
  'lodash/fp/',
  'lodash/extra/x.js',
  'moment',
  'moment/x.js',
  'blocked',
  'blocked/x.js',
  'bad-address',
  'no-slash/x.js',
  './local.js',
  '../maps/local.js',
  '/maps/local.js',
  '../maps/other.js',
  './other.js',
  'https://cdn.example/lib.js',
  'https://cdn.example/pkg/a/b.js',
  'https://cdn.example/pkg/../up.js',
  'https://cdn.example/other.js',
  'data:text/javascript,export default 1',
  'std:blank',
  'back/ok.js',
  'back/../../etc.js',
  'back/%2e%2e/x.js',
  'back/..%2fx.js',
  'unmapped',
  './rel.js?x#y',
  'a b',
  'caf%C3%A9',
  'café',
  'num',
  'second',
  'extra',
  'query/a',
  '',
  'http://[bad',
  '//host/x.js',
  '.',
  '..',
  './',
  'https://example.com:99999/x.js',
  'blob:https://x/y',
  'HTTPS://CDN.EXAMPLE/lib.js',
];

const PROBE_SOURCE = `export function resolveAll(specifiers) {
  return specifiers.map((s) => { try { return import.meta.resolve(s); } catch (e) { return 'throws ' + e.name; } });
}`;

describe('import maps: modhost vs Chromium', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  before(async () => {
    [browser, server] = await launchWithServer({
      files: {
        '/maps/page.html': html(
          `<script type="importmap">${JSON.stringify(FIRST_MAP)}</script><script ` +
            `type="importmap">${JSON.stringify(SECOND_MAP)}</script>`,
        ),
        '/mapped/app.js': {
          type: 'text/javascript',
          body: `import { util } from 'lib/util.js'; export const value = util; export const where = import.meta.url;`,
        },
        '/mapped/lib/util.js': {
          type: 'text/javascript',
          body: `import h from 'helper'; export const util = h + ' via lib/util.js';`,
        },
        '/mapped/scoped-helper.js': { type: 'text/javascript', body: `export default 'scoped helper';` },
      },
      handler: (path) => (path.endsWith('/probe.js') ? { type: 'text/javascript', body: PROBE_SOURCE } : undefined),
    });
    tab = await openPage(browser, `${server.url}maps/page.html`);
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  it('resolves every (module, specifier) pair as the browser does', async () => {
    const results = await tab.page.evaluate(
      async ({ probes, specifiers }) => {
        const bundleURL = '/modhost/modhost.browser.js'; // a variable: tsc does not resolve it
        const m = (await import(bundleURL)) as Bundle;
        const warnings: string[] = [];
        const host = m.createBrowserHost({ onWarning: (w) => warnings.push(w) });
        const rows: Array<{ probe: string; specifier: string; native: string; modhost: string }> = [];
        for (const probe of probes) {
          const url = new URL(probe, host.baseURL).href;
          const native = ((await import(url)) as { resolveAll(s: string[]): string[] }).resolveAll(specifiers);
          specifiers.forEach((specifier, i) => {
            let mine: string;
            try {
              mine = host.resolve(specifier, url);
            } catch (error) {
              mine = `throws ${(error as Error).name}`;
            }
            rows.push({ probe, specifier, native: native[i] as string, modhost: mine });
          });
        }
        return { rows, warnings };
      },
      { probes: PROBES, specifiers: SPECIFIERS },
    );
    const mismatches = results.rows.filter((r) => r.native !== r.modhost);
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${results.rows.length} pairs differ`);
    // The oracle is not vacuous: both remapping and failing happen.
    assert.ok(results.rows.some((r) => r.native.includes('/scoped/lodash.js')));
    assert.ok(results.rows.some((r) => r.native.includes('/second/second.js')));
    assert.ok(results.rows.some((r) => r.native === 'throws TypeError'));
    // Invalid rules were reported: the empty key, non-string and non-URL addresses, a package key without "/",
    // and the rules of the second map that the first one already defines.
    for (const pattern of [/empty string specifier key/, /num/, /not-a-url/, /no-slash/, /"lodash" is ignored/]) {
      assert.ok(
        results.warnings.some((w) => pattern.test(w)),
        `no warning matching ${pattern}: ${results.warnings.join(' | ')}`,
      );
    }
  });

  it('import() of a remapped bare specifier loads the mapped URL (scoped rules follow the importer)', async () => {
    const result = await tab.page.evaluate(async () => {
      const bundleURL = '/modhost/modhost.browser.js'; // a variable: tsc does not resolve it
      const m = (await import(bundleURL)) as Bundle;
      const host = m.createBrowserHost({
        documentImportMaps: false,
        importMap: {
          imports: { app: '/mapped/app.js', 'lib/': '/mapped/lib/' },
          scopes: { '/mapped/lib/': { helper: '/mapped/scoped-helper.js' } },
        },
      });
      const ns = await host.import('app');
      return { value: ns.value, where: ns.where };
    });
    assert.deepEqual(result, { value: 'scoped helper via lib/util.js', where: `${server.url}mapped/app.js` });
  });
});

describe('import maps: parsing (HTML Standard "parse an import map string")', () => {
  const base = 'https://example.com/app/index.html';
  it('rejects non-object top levels, imports, scopes, scope values (TypeError); bad JSON (SyntaxError)', () => {
    for (const bad of [
      '[]',
      'null',
      '1',
      '"x"',
      '{"imports": []}',
      '{"imports": null}',
      '{"scopes": 1}',
      '{"scopes": {"/a/": []}}',
      '{"integrity": []}',
    ]) {
      assert.throws(
        () => parseImportMap(bad, base),
        (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_MODHOST_INVALID_IMPORT_MAP',
        bad,
      );
    }
    assert.throws(
      () => parseImportMap('{imports: {}}', base),
      (e: Error & { code?: string }) => e instanceof SyntaxError && e.code === 'ERR_MODHOST_PARSE',
    );
  });

  it('normalizes keys and addresses against the base URL and sorts most specific first', () => {
    const warnings: string[] = [];
    const map = parseImportMap(
      {
        imports: { a: './a.js', 'a/': './a/', 'a/b/': '/ab/', './rel.js': 'https://cdn.example/x.js' },
        scopes: { './s/': { a: '/s-a.js' }, 'https://[bad/': { a: '/x.js' } },
        integrity: { './a.js': 'sha384-abc', bare: 'sha384-def', './b.js': 1 },
        extra: true,
      },
      base,
      (w) => warnings.push(w),
    );
    assert.deepEqual(importMapToJSON(map), {
      imports: {
        'https://example.com/app/rel.js': 'https://cdn.example/x.js',
        'a/b/': 'https://example.com/ab/',
        'a/': 'https://example.com/app/a/',
        a: 'https://example.com/app/a.js',
      },
      scopes: { 'https://example.com/app/s/': { a: 'https://example.com/s-a.js' } },
      integrity: { 'https://example.com/app/a.js': 'sha384-abc' },
    });
    // bad scope URL, bare integrity key, non-string integrity, unknown top-level key
    assert.equal(warnings.length, 4, warnings.join('\n'));
    assert.equal(resolveModuleSpecifier(map, 'a/b/c.js', base).href, 'https://example.com/ab/c.js');
    assert.equal(resolveModuleSpecifier(map, 'a/c.js', base).href, 'https://example.com/app/a/c.js');
    assert.equal(resolveModuleSpecifier(map, 'a', 'https://example.com/app/s/m.js').href, 'https://example.com/s-a.js');
  });
});
