/**
 * The browser host's compile cache, in Chromium: a second load of the same graph uses the stored
 * records (and still fetches every module), an edited module misses alone, a damaged pack or entry
 * is ignored and rewritten, the last load's modules are fetched at once, and the results are the
 * browser's own (native import() as the oracle).
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { html, launchBrowser, openPage, type Route, serve, type TestPage, type TestServer } from './harness.js';

type Bundle = typeof import('../../src/browser/index.js');

const js = (body: string): Route => ({ type: 'text/javascript', body });

/** d.js's text can change between loads (an edited module). */
let dVersion = 1;
/** Arrival times of requests, for the prefetch test. */
const arrivals: Array<{ path: string; at: number }> = [];
const MAIN_DELAY = 400;

const FILES: Record<string, Route> = {
  '/index.html': html(''),
  '/cc/main.js': js(`import { b } from './b.js'; import { c } from './c.js'; export const value = b + c;`),
  '/cc/b.js': js(`import { d } from './d.js'; export const b = 'b' + d;`),
  '/cc/c.js': js(`export let c = 'c'; export function setC(v) { c = v; }`),
  // A chain whose entry answers slowly: the deeper modules can only be requested that early by a prefetch.
  '/chain/main.js': js(`import { v } from './m1.js'; export const value = 'main' + v;`),
  '/chain/m1.js': js(`import { v as w } from './m2.js'; export const v = '1' + w;`),
  '/chain/m2.js': js(`import { v as w } from './m3.js'; export const v = '2' + w;`),
  '/chain/m3.js': js(`import { v as w } from './m4.js'; export const v = '3' + w;`),
  '/chain/m4.js': js(`export const v = '4';`),
};

interface LoadResult {
  value: unknown;
  /** The value native import() computes (first loads only: the browser's module map keeps old texts). */
  native?: unknown;
  stats: { hits: number; misses: number; stored: number; disabled: string };
}

/** Runs in the page: a fresh host with the compile cache imports `url`; the cache is flushed before returning. */
async function load(page: TestPage['page'], url: string, name: string, withNative = false): Promise<LoadResult> {
  return page.evaluate(
    async ({ target, name, withNative }) => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const host = m.createBrowserHost({ compileCache: { name } });
      const ns = (await host.import(target)) as { value: unknown };
      await host.compileCache!.flush();
      const stats = { ...host.compileCache!.stats };
      if (!withNative) return { value: ns.value, stats };
      const native = ((await import(target)) as { value: unknown }).value;
      return { value: ns.value, native, stats };
    },
    { target: url, name, withNative },
  );
}

/** The page's Cache Storage and location (the tests' TypeScript has no DOM types). */
interface PageGlobals {
  caches: {
    keys(): Promise<string[]>;
    open(name: string): Promise<{
      match(key: string): Promise<{ json(): Promise<unknown> } | undefined>;
      put(key: string, response: unknown): Promise<void>;
    }>;
  };
  location: { href: string };
  Response: new (body: string) => unknown;
}

/**
 * Runs in the page: damages the stored pack of `name`: `garbage` (not JSON), `flip-sum` (body changed,
 * checksum not), `drop-compiled` (one entry without `compiled`, checksum recomputed).
 */
async function editPack(
  page: TestPage['page'],
  name: string,
  how: 'garbage' | 'drop-compiled' | 'flip-sum',
): Promise<void> {
  await page.evaluate(
    async ({ name, how }) => {
      const { caches, location, Response } = globalThis as unknown as PageGlobals;
      const names = await caches.keys();
      const cacheName = names.find((n) => n.startsWith('modhost-compile-v'));
      if (cacheName === undefined) throw new Error('no modhost cache');
      const cache = await caches.open(cacheName);
      const key = new URL(`.modhost-compile-cache/${encodeURIComponent(name)}`, location.href).href;
      const stored = await cache.match(key);
      if (stored === undefined) throw new Error('no pack');
      const outer = (await stored.json()) as { format: number; sum: string; body: string };
      if (how === 'garbage') {
        await cache.put(key, new Response('{"format":1,"sum":'));
        return;
      }
      if (how === 'flip-sum') {
        await cache.put(key, new Response(JSON.stringify({ ...outer, body: outer.body.replace('b.js', 'B.js') })));
        return;
      }
      const entries = JSON.parse(outer.body) as Array<[string, string, Record<string, unknown>]>;
      const victim = entries.find((e) => e[1].endsWith('/b.js'));
      if (victim === undefined) throw new Error('no b.js entry');
      delete victim[2].compiled;
      const body = JSON.stringify(entries);
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
      const sum = btoa(String.fromCharCode(...new Uint8Array(digest)));
      await cache.put(key, new Response(JSON.stringify({ ...outer, body, sum })));
    },
    { name, how },
  );
}

describe('browser host: compile cache (Cache Storage)', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  before(async () => {
    [browser, server] = await Promise.all([
      launchBrowser(),
      serve({
        files: FILES,
        handler: (path) =>
          path === '/cc/d.js' ? js(`export const d = 'd${dVersion}'; // version ${dVersion}`) : undefined,
        delayFor: (path) => {
          arrivals.push({ path, at: Date.now() });
          return path === '/chain/main.js' ? MAIN_DELAY : undefined;
        },
      }),
    ]);
    tab = await openPage(browser, `${server.url}index.html`);
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  it('a second load uses every stored record and still fetches every module', async () => {
    const url = `${server.url}cc/main.js`;
    const first = await load(tab.page, url, 'cc', true);
    assert.equal(first.stats.disabled, '');
    assert.deepEqual([first.value, first.stats.hits, first.stats.misses], ['bd1c', 0, 4]);
    assert.equal(first.value, first.native);
    const before = server.requests.filter((p) => p.startsWith('/cc/')).length;
    const second = await load(tab.page, url, 'cc');
    assert.deepEqual([second.value, second.stats.hits, second.stats.misses, second.stats.stored], ['bd1c', 4, 0, 4]);
    assert.equal(server.requests.filter((p) => p.startsWith('/cc/')).length - before, 4);
  });

  it('an edited module misses alone and runs its new text', async () => {
    const url = `${server.url}cc/main.js`;
    dVersion = 2;
    const third = await load(tab.page, url, 'cc');
    assert.deepEqual([third.value, third.stats.hits, third.stats.misses], ['bd2c', 3, 1]);
    const fourth = await load(tab.page, url, 'cc');
    assert.deepEqual([fourth.value, fourth.stats.hits, fourth.stats.misses], ['bd2c', 4, 0]);
  });

  it('a damaged pack is ignored whole and rewritten; a damaged entry is ignored alone', async () => {
    const url = `${server.url}cc/main.js`;
    for (const how of ['garbage', 'flip-sum'] as const) {
      await editPack(tab.page, 'cc', how);
      const damaged = await load(tab.page, url, 'cc');
      assert.deepEqual([damaged.value, damaged.stats.stored, damaged.stats.hits], ['bd2c', 0, 0], how);
      const again = await load(tab.page, url, 'cc');
      assert.deepEqual([again.value, again.stats.hits], ['bd2c', 4], `${how}: rewritten`);
    }
    await editPack(tab.page, 'cc', 'drop-compiled');
    const entry = await load(tab.page, url, 'cc');
    assert.deepEqual([entry.value, entry.stats.stored, entry.stats.hits, entry.stats.misses], ['bd2c', 3, 3, 1]);
  });

  it("the last load's modules are requested at once, before the entry's answer arrives", async () => {
    const url = `${server.url}chain/main.js`;
    const first = await load(tab.page, url, 'chain', true);
    assert.deepEqual([first.value, first.native], ['main1234', 'main1234']);
    arrivals.length = 0;
    const second = await load(tab.page, url, 'chain');
    assert.deepEqual([second.value, second.stats.hits], ['main1234', 5]);
    const mainAt = arrivals.find((a) => a.path === '/chain/main.js')?.at;
    const deepestAt = arrivals.find((a) => a.path === '/chain/m4.js')?.at;
    assert.ok(mainAt !== undefined && deepestAt !== undefined);
    // Without the prefetch, m4.js is requested only after main, m1, m2 and m3 have arrived.
    assert.ok(deepestAt < mainAt + MAIN_DELAY, `m4 requested ${deepestAt - mainAt} ms after main`);
  });

  it('prefetch: false fetches level by level; no Cache Storage: the host works without a cache', async () => {
    const url = `${server.url}chain/main.js`;
    arrivals.length = 0;
    const result = await tab.page.evaluate(async (target) => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const host = m.createBrowserHost({ compileCache: { name: 'chain', prefetch: false } });
      const ns = (await host.import(target)) as { value: unknown };
      const without = m.createBrowserHost({
        compileCache: {
          name: 'y',
          storage: {
            open: () => Promise.reject(new Error('storage refused')),
          },
        },
      });
      const ns2 = (await without.import(target)) as { value: unknown };
      // A digest that fails: every module is a miss, nothing is kept, nothing rejects unhandled.
      const subtle = (globalThis as unknown as { crypto: { subtle: { digest: unknown } } }).crypto.subtle;
      const digest = subtle.digest;
      subtle.digest = () => Promise.reject(new Error('digest refused'));
      const refusing = m.createBrowserHost({ compileCache: { name: 'chain' } });
      const ns3 = (await refusing.import(target)) as { value: unknown };
      await refusing.compileCache!.flush();
      await new Promise((resolve) => setTimeout(resolve, 50));
      subtle.digest = digest;
      return {
        value3: ns3.value,
        digestRefused: refusing.compileCache!.stats,
        value: ns.value,
        hits: host.compileCache!.stats.hits,
        value2: ns2.value,
        refused: without.compileCache!.stats,
      };
    }, url);
    assert.deepEqual([result.value, result.hits], ['main1234', 5]);
    const mainAt = arrivals.find((a) => a.path === '/chain/main.js')?.at ?? 0;
    const deepestAt = arrivals.find((a) => a.path === '/chain/m4.js')?.at ?? 0;
    assert.ok(deepestAt >= mainAt + MAIN_DELAY, 'without prefetch m4 waits for main');
    assert.equal(result.value2, 'main1234');
    assert.deepEqual([result.refused.hits, result.refused.stored], [0, 0]);
    assert.equal(result.value3, 'main1234');
    assert.deepEqual([result.digestRefused.hits, result.digestRefused.misses], [0, 5]);
    assert.deepEqual(tab.errors, []);
  });
});
