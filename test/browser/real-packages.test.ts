/**
 * Real npm packages in Chromium: the browser host loads each package's ES entry from the
 * repository's node_modules over HTTP, and the same page's native `import()` is the oracle. The
 * namespaces must have the same export names, and the same calls must give the same results;
 * a second host imports them again with its compile cache filled by the first (Cache Storage).
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { html, launchWithServer, openPage, REPO, type TestPage, type TestServer } from './harness.js';

/** Each package's ES entry, and an expression over its namespace `ns` whose value is compared. */
const PACKAGES: Record<string, { entry: string; probe: string }> = {
  'lodash-es': {
    entry: '/node_modules/lodash-es/lodash.js',
    probe: `[
      ns.chunk([1, 2, 3, 4, 5], 2), ns.camelCase('Foo Bar-baz'), ns.default.VERSION,
      ns.merge({ a: { b: 1 } }, { a: { c: 2 } }),
    ]`,
  },
  'date-fns': {
    entry: '/node_modules/date-fns/index.js',
    probe: `[
      ns.format(new Date(2020, 1, 29, 13, 5), 'yyyy-MM-dd HH:mm EEEE'),
      ns.differenceInDays(new Date(2021, 0, 1), new Date(2020, 0, 1)),
    ]`,
  },
  three: {
    entry: '/node_modules/three/src/Three.js',
    probe: `[
      ns.REVISION, new ns.Vector3(1, 2, 3).length(),
      new ns.Matrix4().makeRotationZ(Math.PI / 2).elements.map((x) => Math.round(x)),
    ]`,
  },
  meriyah: {
    entry: '/node_modules/meriyah/dist/meriyah.mjs',
    probe: "[ns.parseModule('export const a = 1;').body[0].type, ns.version]",
  },
};

type Bundle = typeof import('../../src/browser/index.js');

interface Outcome {
  keys: string[];
  probe: string;
}

describe('real packages in Chromium: the browser host against native import()', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  before(async () => {
    [browser, server] = await launchWithServer({
      files: { '/index.html': html('') },
      mounts: { '/node_modules/': join(REPO, 'node_modules') },
    });
    // Cache Storage needs a secure context: http://localhost is one.
    tab = await openPage(browser, `${server.url.replace('127.0.0.1', 'localhost')}index.html`);
    await tab.page.evaluate(async (bundle) => {
      const m = (await import(bundle)) as Bundle;
      (globalThis as unknown as Record<string, unknown>).modhostBundle = m;
    }, '/modhost/modhost.browser.js');
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  /** Imports `entry` natively and through a fresh browser host; returns both outcomes. */
  const both = (entry: string, probe: string, compileCache: boolean) =>
    tab.page.evaluate(
      `(async () => {
        const outcome = (ns) => ({
          keys: Object.keys(ns).sort(),
          probe: JSON.stringify((() => { try { return ${probe}; } catch (e) { return 'threw ' + e; } })()),
        });
        const m = globalThis.modhostBundle;
        const host = m.createBrowserHost({ compileCache: ${compileCache} });
        const modhost = outcome(await host.import(${JSON.stringify(entry)}));
        const hits = host.compileCache ? host.compileCache.stats.hits : 0;
        if (host.compileCache) await host.compileCache.flush();
        const native = outcome(await import(${JSON.stringify(entry)}));
        return { modhost, native, hits };
      })()`,
    ) as Promise<{ modhost: Outcome; native: Outcome; hits: number }>;

  for (const [name, { entry, probe }] of Object.entries(PACKAGES)) {
    it(`${name}: the same export names and results`, async () => {
      const { modhost, native } = await both(entry, probe, false);
      assert.ok(native.keys.length > 0, 'the oracle exported something');
      assert.doesNotMatch(native.probe, /^"threw/, native.probe);
      assert.deepEqual(modhost.keys, native.keys);
      assert.equal(modhost.probe, native.probe);
    });
  }

  it('a host with the compile cache gives the same namespaces, first and second time', async () => {
    for (const { entry, probe } of Object.values(PACKAGES)) {
      const first = await both(entry, probe, true);
      const second = await both(entry, probe, true);
      assert.deepEqual(first.modhost, first.native);
      assert.deepEqual(second.modhost, second.native);
      assert.ok(second.hits > 0, `${entry}: the second host read compiled modules from the cache`);
    }
    assert.deepEqual(tab.errors, []);
  });
});
