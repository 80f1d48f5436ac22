/**
 * The demo page (examples/browser/) end to end in Chromium: served by scripts/serve.mjs as a user
 * would serve it, checked through its DOM, and photographed.
 */

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchWithServer, openPage, REPO, type TestServer } from './harness.js';

export const SCREENSHOT = join(REPO, 'dist', 'browser-test', 'demo.png');

describe('examples/browser demo page', () => {
  let browser: Browser;
  let server: TestServer;
  before(async () => {
    [browser, server] = await launchWithServer({ root: join(REPO, 'examples', 'browser') });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs the ES graph through a custom importHook and the CommonJS app through define.use', async () => {
    const tab = await openPage(browser, `${server.url}index.html`);
    try {
      await tab.page.waitForSelector('#status.done, #status.failed', { timeout: 15_000 });
      const dom = await tab.page.evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: {
              querySelector(s: string): { textContent: string } | null;
              querySelectorAll(s: string): ArrayLike<{ textContent: string; dataset: Record<string, string> }>;
            };
          }
        ).document;
        const items = (selector: string) => Array.from(doc.querySelectorAll(selector), (e) => e.textContent);
        const values = (selector: string) =>
          Object.fromEntries(Array.from(doc.querySelectorAll(`${selector} dd`), (e) => [e.dataset.key, e.textContent]));
        return {
          status: doc.querySelector('#status')?.textContent,
          hooks: items('#es-hooks li'),
          es: values('#es-result'),
          cjsLog: items('#cjs-log li'),
          cjs: values('#cjs-result'),
        };
      });
      assert.equal(dom.status, 'done');
      assert.deepEqual(dom.hooks, [
        '/es/app.js imports "./clock.js" → a fixed clock (mock)',
        '/es/app.js imports "./stats.js" → /es/stats.js',
        '/es/app.js imports "format" → /es/vendor/format.js',
        '/es/app.js imports "./config.json" → /es/config.json',
        '/es/app.js imports "./lazy.js" → /es/lazy.js',
      ]);
      assert.deepEqual(dom.es, {
        title: 'Quarterly numbers',
        total: '50.00',
        average: '12.50',
        generated: '2024-01-01T12:00:00.000Z',
        lazy: 'loaded on demand from es/lazy.js',
      });
      assert.deepEqual(dom.cjsLog, [
        'main runs (cjs/main.js)',
        'cart runs',
        'money runs',
        'report runs (loaded by require.async)',
      ]);
      assert.deepEqual(dom.cjs, { lines: 'tea ×1 €3.50; cake ×2 €8.50', total: '€12.00', report: '2 lines, €12.00' });
      // The mocked clock was never fetched; report.js was fetched only when require.async asked for it.
      assert.ok(!server.requests.includes('/es/clock.js'));
      assert.ok(server.requests.indexOf('/cjs/report.js') > server.requests.indexOf('/cjs/utils/money.js'));
      assert.deepEqual(tab.errors, []);

      mkdirSync(join(REPO, 'dist', 'browser-test'), { recursive: true });
      await tab.page.setViewportSize({ width: 900, height: 900 });
      await tab.page.screenshot({ path: SCREENSHOT, fullPage: true });
      const png = readFileSync(SCREENSHOT);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.ok(statSync(SCREENSHOT).size > 10_000, 'the screenshot is suspiciously small');
    } finally {
      await tab.close();
    }
  });
});
