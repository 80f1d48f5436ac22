/**
 * CommonJS in Chromium: `define.use` and `require` over HTTP with the semantics of the CommonJS
 * runtime (Modules/1.1.1 + Wrappings, the CommonJS article's loader contract). Expected values come from
 * those texts: singletons, lazy execution, partial exports in cycles, `require.async` callback
 * order with `null` for what cannot load, `define(value)` exports.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { html, launchWithServer, openPage, type Route, type TestPage, type TestServer } from './harness.js';

type Bundle = typeof import('../../src/browser/index.js');
const js = (body: string): Route => ({ type: 'text/javascript', body });

const FILES: Record<string, Route> = {
  // The CommonJS article's example page: one script defining `define`, then define.use('bar') on load.
  '/article/index.html': html(
    `<script src="/modhost/modhost.global.js"></script>
<script>window.onload = function () { define.use('bar').then(function () { document.body.dataset.done = 'yes'; }, ` +
      `function (e) { document.body.dataset.done = 'error ' + e.message; }); };</script>`,
  ),
  '/article/bar.js': js(
    `define(function (require, exports, module) {
  const { result } = require('./foo');
  console.assert(result === 2);
  document.body.textContent = 'bar sees ' + result + ' from ' + module.dependencies.map(function (d) { return ` +
      `d.split('/').pop(); }).join(',');
});`,
  ),
  '/article/foo.js': js(`define(function (require, exports, module) {
  const { add } = require('./utils/utils');
  module.exports.result = add(1, 1);
});`),
  '/article/utils/utils.js': js(`define(function (require, exports, module) {
  exports.add = function (first, second) { return first + second; };
});`),

  // Prefetch before running, laziness, singletons.
  '/lazy/main.js': js(
    `define(function (require, exports, module) {
  log.push('main starts; fetched: ' + ['a', 'b', 'c', 'shared', 'deep'].every(function (n) { return ` +
      `window.loaderHas('/lazy/' + n + '.js'); }));
  var a = require('./a');
  log.push('main got a');
  exports.later = function () { return require('./c').c; };
  exports.same = a.shared === require('./b').shared;
});`,
  ),
  '/lazy/a.js': js(`log.push('a runs'); exports.shared = require('./shared'); require('./b');`),
  '/lazy/b.js': js(
    `log.push('b runs'); exports.shared = require('./shared.js'); exports.deep = require('./deep').deep;`,
  ),
  '/lazy/c.js': js(`log.push('c runs'); exports.c = 'C';`),
  '/lazy/shared.js': js(`log.push('shared runs'); module.exports = { id: module.id };`),
  '/lazy/deep.js': js(`log.push('deep runs'); exports.deep = true;`),

  // Parallel fetching: six dependencies, each answered after a delay.
  '/par/main.js': js(
    `exports.all = [require('./p1'), require('./p2'), require('./p3'), require('./p4'), require('./p5'), ` +
      `require('./p6')].join('');`,
  ),
  ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`/par/p${i}.js`, js(`module.exports = ${i};`)])),

  // Cycles (Modules/1.1.1 "cyclic" test, and partial exports seen mid-cycle).
  '/cycle/main.js': js(`var a = require('./a'); var b = require('./b');
exports.ok = a.a() === b && b.b() === a;
exports.partial = b.seenFromB;
exports.late = b.aLater();`),
  '/cycle/a.js': js(
    `exports.a = function () { return b; }; exports.early = 'early'; var b = require('./b'); exports.lateProp = ` +
      `'late';`,
  ),
  '/cycle/b.js': js(
    `var a = require('./a'); exports.seenFromB = Object.keys(a).join(','); exports.b = function () { return a; }; ` +
      `exports.aLater = function () { return a.lateProp; };`,
  ),

  // define(value) forms and factory return values.
  '/forms/main.js': js(`module.exports = {
  object: require('./object'), array: require('./array'), string: require('./string'), zero: require('./zero'),
  nul: require('./nul'), returned: require('./returned'), cmd: require('./cmd'), json: require('./data.json'),
};`),
  '/forms/object.js': js(`define({ foo: 'bar' });`),
  '/forms/array.js': js(`define(['foo', 'bar']);`),
  '/forms/string.js': js(`define('foo bar');`),
  '/forms/zero.js': js(`define(0);`),
  '/forms/nul.js': js(`define(null);`),
  '/forms/returned.js': js(
    `define(function (require, exports) { exports.ignored = true; return { from: 'return value' }; });`,
  ),
  '/forms/cmd.js': js(
    `define('cmd-id', ['./object'], function (require, exports, module) { exports.dep = require('./object').foo; });`,
  ),
  '/forms/data.json': { type: 'application/json', body: '{"n": [1, 2, 3]}' },

  // require.async.
  '/async/main.js': js(`define(function (require, exports, module) {
  exports.start = function (done) {
    var order = [];
    var p = require.async(['./slow', './missing', './fast'], function (slow, missing, fast) {
      order.push('callback ' + slow + ' ' + missing + ' ' + fast);
      done(order);
    });
    order.push('sync after require.async');
    p.then(function (values) { order.push('promise ' + values.length); });
  };
});`),
  '/async/slow.js': js(`log.push('slow runs'); module.exports = 'SLOW';`),
  '/async/fast.js': js(`log.push('fast runs'); module.exports = 'FAST';`),

  // Missing modules.
  '/missing/main.js': js(`log.push('main runs'); exports.ok = require('./ok').ok; require('./gone');`),
  '/missing/ok.js': js(`log.push('ok runs'); exports.ok = true;`),
  '/missing/optional.js': js(
    `var x; try { x = require('./gone'); } catch (e) { x = 'caught ' + e.code; } exports.x = x;`,
  ),
  '/missing/nulls.js': js(`exports.gone = require('./gone');`),

  // Computed ids.
  '/computed/main.js': js(`var name = './' + 'target'; exports.get = function () { return require(name).value; };
exports.getMissing = function () { return require('./' + 'nowhere'); };`),
  '/computed/target.js': js(`exports.value = 'target loaded';`),
};

describe('CommonJS in the browser', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  let appear = false;
  before(async () => {
    [browser, server] = await launchWithServer({
      files: { ...FILES, '/index.html': html('') },
      delayFor: (path) =>
        path.startsWith('/par/p') ? 300 : path === '/async/slow.js' ? 150 : path === '/lazy/deep.js' ? 100 : undefined,
      handler: (path) => (path === '/retry/late.js' && appear ? js('exports.late = "here now";') : undefined),
    });
    tab = await openPage(browser, `${server.url}index.html`);
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  /** Runs `body` in the page with a fresh runtime; `body` gets (modhost bundle, log array, options). */
  async function inPage<T>(fn: (m: Bundle, log: string[], arg: unknown) => Promise<T>, arg?: unknown): Promise<T> {
    return tab.page.evaluate(
      async ({ source, arg: a }) => {
        const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
        const log: string[] = [];
        (globalThis as unknown as { log: string[] }).log = log;
        // The test body travels as text (page.evaluate serializes functions); rebuild it here.
        const f = new Function(`return (${source})`)() as (m: Bundle, log: string[], arg: unknown) => Promise<T>;
        return f(m, log, a);
      },
      { source: fn.toString(), arg },
    );
  }

  it("runs the CommonJS article's page: one script, define.use('bar') on load", async () => {
    const article = await openPage(browser, `${server.url}article/index.html`);
    try {
      await article.page.waitForFunction(
        () =>
          (globalThis as unknown as { document: { body: { dataset: { done?: string } } } }).document.body.dataset
            .done !== undefined,
      );
      const body = await article.page.evaluate(() => {
        const b = (globalThis as unknown as { document: { body: { textContent: string; dataset: { done?: string } } } })
          .document.body;
        return { done: b.dataset.done, text: b.textContent };
      });
      assert.deepEqual(body, { done: 'yes', text: 'bar sees 2 from foo.js' });
      assert.deepEqual(article.errors, []);
      assert.ok(!article.console.some((line) => line.startsWith('assert')), article.console.join('\n'));
    } finally {
      await article.close();
    }
  });

  it('fetches the whole literal graph before running, then runs lazily; modules are singletons', async () => {
    const result = await inPage(async (m, log) => {
      const cjs = m.createBrowserCommonJS();
      (globalThis as unknown as { loaderHas(p: string): boolean }).loaderHas = (p) =>
        cjs.loader.has(cjs.loader.resolve(p, null, []) as string);
      const main = (await cjs.use('./lazy/main')) as { later(): string; same: boolean };
      log.push('use resolved');
      const c = main.later();
      const again = await cjs.use('./lazy/main');
      const shared = cjs.require('./lazy/shared');
      return {
        log,
        c,
        same: main.same,
        reused: again === main,
        sharedId: (shared as { id: string }).id,
        cached: Object.keys(cjs.cache).length,
      };
    });
    assert.deepEqual(result.log, [
      'main starts; fetched: true',
      'a runs',
      'shared runs',
      'b runs',
      'deep runs',
      'main got a',
      'use resolved',
      'c runs',
    ]);
    assert.equal(result.c, 'C');
    assert.equal(result.same, true);
    assert.equal(result.reused, true);
    assert.equal(result.sharedId, `${server.url}lazy/shared.js`);
    assert.equal(result.cached, 6);
  });

  it('fetches dependencies in parallel', async () => {
    const result = await inPage(async (m) => {
      const cjs = m.createBrowserCommonJS({ base: '/par/' });
      const start = performance.now();
      const main = (await cjs.use('main')) as { all: string };
      return { all: main.all, ms: performance.now() - start, fetches: cjs.loader.stats.fetches };
    });
    assert.equal(result.all, '123456');
    assert.equal(result.fetches, 7);
    // Six 300 ms answers one after another would take 1800 ms.
    assert.ok(result.ms < 1200, `took ${result.ms} ms`);
  });

  it('cycles: a module still running hands out its exports object as it is', async () => {
    const result = await inPage(
      async (m) => (await m.createBrowserCommonJS().use('./cycle/main')) as Record<string, unknown>,
    );
    assert.deepEqual({ ...result }, { ok: true, partial: 'a,early', late: 'late' });
  });

  it('define(value) forms, factory return values, the CMD long form and JSON', async () => {
    const result = await inPage(
      async (m) => (await m.createBrowserCommonJS().use('./forms/main')) as Record<string, unknown>,
    );
    assert.deepEqual(result, {
      object: { foo: 'bar' },
      array: ['foo', 'bar'],
      string: 'foo bar',
      zero: 0,
      nul: null,
      returned: { from: 'return value' },
      cmd: { dep: 'bar' },
      json: { n: [1, 2, 3] },
    });
  });

  it('require.async: always asynchronous, callback arguments in id order, null for a failed module', async () => {
    const result = await inPage(async (m, log) => {
      const errors: string[] = [];
      const cjs = m.createBrowserCommonJS({
        onAsyncError: (e) => errors.push(`${(e as { code?: string }).code} ${(e as { status?: number }).status}`),
      });
      const main = (await cjs.use('./async/main')) as { start(done: (order: string[]) => void): void };
      const order = await new Promise<string[]>((resolve) => main.start(resolve));
      await new Promise((r) => setTimeout(r, 0));
      const cachedOrder: string[] = [];
      const p = cjs.require.async('./async/fast', (fast) => cachedOrder.push(`callback ${String(fast)}`));
      cachedOrder.push('sync');
      await p;
      return { order, log, errors, cachedOrder };
    });
    // slow is fetched last (150 ms delay) but runs first: modules run in the order of the ids.
    assert.deepEqual(result.log, ['slow runs', 'fast runs']);
    assert.deepEqual(result.order, ['sync after require.async', 'callback SLOW null FAST', 'promise 3']);
    assert.deepEqual(result.errors, ['MODULE_NOT_FOUND 404']);
    assert.deepEqual(result.cachedOrder, ['sync', 'callback FAST']);
  });

  it('a missing dependency: an error naming URL and status, nothing half-registered; a retry refetches', async () => {
    const result = await inPage(async (m, log) => {
      const cjs = m.createBrowserCommonJS({ base: '/missing/' });
      const error = await cjs.use('main').then(
        () => null,
        (e: {
          code?: string;
          status?: number;
          url?: string;
          specifier?: string;
          referrer?: string;
          message: string;
        }) => ({
          code: e.code,
          status: e.status,
          url: e.url,
          specifier: e.specifier,
          referrer: e.referrer,
          message: e.message,
        }),
      );
      const cached = Object.keys(cjs.cache).map((k) => k.split('/').pop());
      const main = cjs.require.main;
      const optional = (await cjs.use('optional')) as { x: string };
      return { error, cached, main: main === undefined, log, optional: optional.x };
    });
    assert.equal(result.error?.code, 'MODULE_NOT_FOUND');
    assert.equal(result.error?.status, 404);
    assert.equal(result.error?.url, `${server.url}missing/gone.js`);
    assert.equal(result.error?.specifier, './gone');
    assert.equal(result.error?.referrer, `${server.url}missing/main.js`);
    assert.match(result.error?.message ?? '', /HTTP 404/);
    assert.match(result.error?.message ?? '', /missing\/gone\.js/);
    // main failed: it left the cache (and require.main); ok.js ran and stays.
    assert.deepEqual(result.cached, ['ok.js']);
    assert.equal(result.main, true);
    assert.deepEqual(result.log, ['main runs', 'ok runs']);
    assert.equal(result.optional, 'caught MODULE_NOT_FOUND');

    const retried = await inPage(async (m) => {
      const cjs = m.createBrowserCommonJS();
      (globalThis as unknown as { retryCjs: unknown }).retryCjs = cjs;
      return cjs.use('./retry/late').then(
        () => 'loaded',
        (e: { status?: number }) => e.status,
      );
    });
    appear = true;
    const second = await tab.page.evaluate(() =>
      (globalThis as unknown as { retryCjs: { use(id: string): Promise<{ late: string }> } }).retryCjs
        .use('./retry/late')
        .then((x) => x.late),
    );
    assert.equal(retried, 404);
    assert.equal(second, 'here now');
  });

  it('a network error is a MODULE_NOT_FOUND with status 0', async () => {
    const result = await inPage(async (m) => {
      const cjs = m.createBrowserCommonJS();
      return cjs.use('http://127.0.0.1:9/unreachable').then(
        () => null,
        (e: { code?: string; status?: number; message: string }) => ({
          code: e.code,
          status: e.status,
          message: e.message,
        }),
      );
    });
    assert.equal(result?.code, 'MODULE_NOT_FOUND');
    assert.equal(result?.status, 0);
    assert.match(result?.message ?? '', /127\.0\.0\.1:9\/unreachable\.js.*network error/);
  });

  it("onMissing: 'null': require (and define.use of a missing main) give null (the CommonJS article)", async () => {
    const result = await inPage(async (m) => {
      const cjs = m.createBrowserCommonJS({ onMissing: 'null' });
      const nulls = (await cjs.use('./missing/nulls')) as { gone: unknown };
      const main = await cjs.use('./missing/not-there');
      return { gone: nulls.gone, main };
    });
    assert.deepEqual(result, { gone: null, main: null });
  });

  it('require(variable) of an unfetched module fails, pointing at require.async; syncXhr: true loads it', async () => {
    const result = await inPage(async (m) => {
      const strict = m.createBrowserCommonJS();
      const main = (await strict.use('./computed/main')) as { get(): string };
      let error: { code?: string; message: string } | undefined;
      try {
        main.get();
      } catch (e) {
        error = e as { code?: string; message: string };
      }
      const legacy = m.createBrowserCommonJS({ syncXhr: true });
      const legacyMain = (await legacy.use('./computed/main')) as { get(): string; getMissing(): unknown };
      const value = legacyMain.get();
      let missing: { code?: string; status?: number } | undefined;
      try {
        legacyMain.getMissing();
      } catch (e) {
        missing = e as { code?: string; status?: number };
      }
      return {
        code: error?.code,
        message: error?.message,
        value,
        syncRequests: legacy.loader.stats.syncRequests,
        missing: { code: missing?.code, status: missing?.status },
      };
    });
    assert.equal(result.code, 'ERR_MODHOST_NOT_PREFETCHED');
    assert.match(result.message ?? '', /require\.async/);
    assert.match(result.message ?? '', /computed\/target\.js/);
    assert.equal(result.value, 'target loaded');
    assert.equal(result.syncRequests, 2);
    assert.deepEqual(result.missing, { code: 'MODULE_NOT_FOUND', status: 404 });
  });

  it('argument errors of define.use are thrown synchronously', async () => {
    const result = await inPage(async (m) => {
      const cjs = m.createBrowserCommonJS();
      const grab = (f: () => unknown): string => {
        try {
          f();
          return 'no error';
        } catch (e) {
          return (e as { code?: string }).code ?? 'uncoded';
        }
      };
      return [
        grab(() => cjs.use(42 as unknown as string)),
        grab(() => cjs.use('x', 'not a function' as unknown as () => void)),
        grab(() => cjs.define(() => {})),
      ];
    });
    assert.deepEqual(result, [
      'ERR_MODHOST_INVALID_ARGUMENT',
      'ERR_MODHOST_INVALID_ARGUMENT',
      'ERR_MODHOST_INVALID_ARGUMENT',
    ]);
  });
});
