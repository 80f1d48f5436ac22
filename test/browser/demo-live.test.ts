/**
 * The demo's live-reload page (examples/browser/live.html) in Chromium, on a copy of the demo
 * folder served with scripts/serve.mjs's `watch` (as `npm run demo` serves it): edits of the copy
 * reach the page through the server's events and its hot host.
 */

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { BUNDLES, launchBrowser, openPage, REPO } from './harness.js';

interface Server {
  url: string;
  close(): Promise<void>;
}

describe('examples/browser live-reload page', () => {
  let browser: Browser;
  let server: Server;
  let folder: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'modhost-demo-live-'));
    cpSync(join(REPO, 'examples', 'browser'), folder, { recursive: true });
    browser = await launchBrowser();
    const serve = (await import(new URL('../../../scripts/serve.mjs', import.meta.url).href)) as {
      startServer(options: object): Promise<Server>;
    };
    server = await serve.startServer({ root: folder, mounts: { '/modhost/': BUNDLES }, watch: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an edit of a module the app accepts updates the page in place; the app keeps its state', async () => {
    const tab = await openPage(browser, `${server.url}live.html`);
    try {
      const page = tab.page;
      await page.waitForSelector('#live-status.done', { timeout: 15_000 });
      await page.click('#app button');
      await page.click('#app button');
      assert.equal(await page.textContent('#app button'), 'clicked 2 times');
      writeFileSync(join(folder, 'live', 'message.js'), "export const message = 'Edited while the page runs';\n");
      await page.waitForFunction(
        () =>
          (
            globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
          ).document.querySelector('#app .message')?.textContent === 'Edited while the page runs',
        undefined,
        { timeout: 15_000 },
      );
      assert.equal(await page.textContent('#app button'), 'clicked 2 times', 'the count survived the update');
      assert.match(
        (await page.textContent('#updates')) ?? '',
        /hot update: re-evaluated \/live\/message\.js, \/live\/view\.js, accepted by \/live\/app\.js/,
      );
      assert.deepEqual(tab.errors, []);
    } finally {
      await tab.close();
    }
  });

  it('an edit nothing accepts (the app itself) reloads the page', async () => {
    const tab = await openPage(browser, `${server.url}live.html`);
    try {
      const page = tab.page;
      await page.waitForSelector('#live-status.done', { timeout: 15_000 });
      await page.click('#app button');
      const reloaded = page.waitForEvent('load', { timeout: 15_000 });
      const app = join(folder, 'live', 'app.js');
      writeFileSync(app, `${readFileSync(app, 'utf8')}\n// edited\n`);
      await reloaded;
      await page.waitForSelector('#app button', { timeout: 15_000 });
      assert.equal(await page.textContent('#app button'), 'clicked 0 times');
    } finally {
      await tab.close();
    }
  });
});
