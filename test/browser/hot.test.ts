/**
 * The browser host with `hot: true`, in Chromium: `import.meta.hot`, `host.update(urls)` with the
 * server's files changed between requests (true rebinding, Vite's propagation, errors that leave
 * the page running, full reload reports).
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { html, launchWithServer, openPage, type Route, type TestPage, type TestServer } from './harness.js';

const js = (body: string): Route => ({ type: 'text/javascript', body });

/** The server's current files: tests change them between updates. */
const files: Record<string, Route> = {
  '/index.html': html(''),
  '/hot/app.js': js(`import { message } from './message.js';
import data from './data.json' with { type: 'json' };
export let renders = 0;
export function render() { renders++; return message() + ' ' + data.n; }
if (import.meta.hot) {
  import.meta.hot.accept(['./message.js', './data.json'], () => {
    globalThis.accepted = (globalThis.accepted ?? 0) + 1;
  });
}`),
  '/hot/message.js': js(`export const message = () => 'one';`),
  '/hot/data.json': { type: 'application/json', body: '{ "n": 1 }' },
  '/plain/main.js': js(`export const hot = typeof import.meta.hot;`),
  '/unaccepted/main.js': js(`import { v } from './dep.js'; export const read = () => v;`),
  '/unaccepted/dep.js': js(`export const v = 1;`),
  '/forked/app.js': js(
    `import { v } from './dep.js'; export const read = () => v; import.meta.hot.accept('./dep.js');`,
  ),
  '/forked/dep.js': js(`export const v = 1;`),
  '/hooked/app.js': js(
    `import { v } from './dep.js'; export const read = () => v; import.meta.hot.accept('./dep.js');`,
  ),
  '/hooked/dep.js': js(`export const v = '__STAGE__';`),
  '/hooked/json-app.js': js(
    `import data from './data.json' with { type: 'json' }; export const read = () => data.n; ` +
      `import.meta.hot.accept('./data.json');`,
  ),
  '/hooked/data.json': { type: 'application/json', body: '{ "n": 1 }' },
};

type Bundle = typeof import('../../src/browser/index.js');

describe('browser host: hot: true', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  before(async () => {
    [browser, server] = await launchWithServer({ handler: (path) => files[path] });
    tab = await openPage(browser, `${server.url}index.html`);
    await tab.page.evaluate(async () => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const g = globalThis as unknown as Record<string, unknown>;
      g.host = m.createBrowserHost({ hot: true });
      g.plainHost = m.createBrowserHost();
    });
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  /** Runs `body` in the page with `host` (the hot host) and `plainHost` in scope. */
  const run = <T>(body: string): Promise<T> =>
    tab.page.evaluate(
      `(async () => { const host = globalThis.host, plainHost = globalThis.plainHost; ${body} })()`,
    ) as Promise<T>;

  it('import.meta.hot exists in a hot host only', async () => {
    assert.deepEqual(
      await run<string[]>(
        `return [(await host.import('/plain/main.js')).hot, (await plainHost.import('/plain/main.js')).hot];`,
      ),
      ['object', 'undefined'],
    );
    const error = await run<string>(`try { await plainHost.update(['/plain/main.js']); } catch (e) { return e.code; }`);
    assert.equal(error, 'ERR_MODHOST_NOT_HOT');
  });

  it('applies changed JavaScript and JSON modules to the running page; the importer keeps its state', async () => {
    assert.equal(await run<string>(`globalThis.app = await host.import('/hot/app.js'); return app.render();`), 'one 1');
    files['/hot/message.js'] = js(`export const message = () => 'two';`);
    files['/hot/data.json'] = { type: 'application/json', body: '{ "n": 2 }' };
    const report = await run<{ updated: string[]; boundaries: string[]; fullReload: boolean; error?: string }>(`
      const r = await host.update(['/hot/message.js', '/hot/data.json', '/hot/app.js']);
      const error = r.error && String(r.error);
      return { updated: r.updated, boundaries: r.boundaries, fullReload: r.fullReload, error };`);
    assert.deepEqual(report, {
      updated: [`${server.url}hot/message.js`, `json ${server.url}hot/data.json`],
      boundaries: [`${server.url}hot/app.js`],
      fullReload: false,
      error: undefined,
    });
    assert.deepEqual(await run<unknown[]>(`return [app.render(), app.renders, globalThis.accepted];`), ['two 2', 2, 1]);
  });

  it('a syntax error in the new text leaves the page running its old module', async () => {
    files['/hot/message.js'] = js(`export const message = () => ;`);
    const result = await run<{ code: string; fullReload: boolean; render: string }>(`
      const r = await host.update(['/hot/message.js']);
      return { code: r.error && r.error.code, fullReload: r.fullReload, render: app.render() };`);
    assert.deepEqual(result, { code: 'ERR_MODHOST_PARSE', fullReload: false, render: 'two 2' });
    files['/hot/message.js'] = js(`export const message = () => 'three';`);
    assert.equal(await run<string>(`await host.update(['/hot/message.js']); return app.render();`), 'three 2');
  });

  it('no module accepts: the report asks for a full reload, nothing changes', async () => {
    assert.equal(await run<number>(`globalThis.u = await host.import('/unaccepted/main.js'); return u.read();`), 1);
    files['/unaccepted/dep.js'] = js(`export const v = 2;`);
    const result = await run<{ fullReload: boolean; read: number }>(`
      const r = await host.update(['/unaccepted/dep.js']);
      return { fullReload: r.fullReload, read: u.read() };`);
    assert.deepEqual(result, { fullReload: true, read: 1 });
  });

  it('a fork of a hot host is hot, with instances and updates of its own', async () => {
    const reads = await run<unknown[]>(`
      const parentApp = await host.import('/forked/app.js');
      const fork = host.fork();
      const forkApp = await fork.import('/forked/app.js');
      globalThis.forked = { fork, parentApp, forkApp };
      return [fork.hot, parentApp === forkApp];`);
    assert.deepEqual(reads, [true, false]);
    files['/forked/dep.js'] = js(`export const v = 2;`);
    const result = await run<unknown[]>(`
      const { fork, parentApp, forkApp } = globalThis.forked;
      const r = await fork.update(['/forked/dep.js']);
      const first = [forkApp.read(), parentApp.read()];
      await host.update(['/forked/dep.js']);
      return [r.updated.length, ...first, parentApp.read()];`);
    assert.deepEqual(result, [1, 2, 1, 2]);
  });

  it('an update goes through the load hooks as the first load did, and their answer is checked', async () => {
    // The hook fills in `__STAGE__` and answers with the format `hook.answer`; tests change both.
    const first = await run<string>(`
      const m = await import('/modhost/' + 'modhost.browser.js');
      const hook = (globalThis.hook = { stage: 'first', answer: 'module' });
      const load = async (url, context, nextLoad) => {
        const r = await nextLoad(url, context);
        if (!url.endsWith('/dep.js')) return r;
        return { format: hook.answer, source: String(r.source).replace('__STAGE__', hook.stage) };
      };
      const hookHost = (globalThis.hookHost = m.createBrowserHost({ hot: true, hooks: [{ load }] }));
      globalThis.hookedApp = await hookHost.import('/hooked/app.js');
      return hookedApp.read();`);
    assert.equal(first, 'first');
    files['/hooked/dep.js'] = js(`export const v = '__STAGE__ again';`);
    const updated = await run<unknown[]>(`
      hook.stage = 'second';
      const r = await hookHost.update(['/hooked/dep.js']);
      return [r.updated.length, r.error === undefined, hookedApp.read()];`);
    assert.deepEqual(updated, [1, true, 'second again']);
    files['/hooked/dep.js'] = js(`export const v = 3;`);
    const refused = await run<unknown[]>(`
      hook.answer = 'json';
      const r = await hookHost.update(['/hooked/dep.js']);
      return [r.error && r.error.code, r.fullReload, hookedApp.read()];`);
    assert.deepEqual(refused, ['ERR_IMPORT_ATTRIBUTE_MISSING', false, 'second again']);
  });

  it('a JSON module loaded through the load hooks is updated through them too', async () => {
    // (hookHost and its hook come from the test above)
    assert.equal(
      await run<number>(`globalThis.jsonApp = await hookHost.import('/hooked/json-app.js'); return jsonApp.read();`),
      1,
    );
    files['/hooked/data.json'] = { type: 'application/json', body: '{ "n": 2 }' };
    const result = await run<unknown[]>(`
      const r = await hookHost.update(['/hooked/data.json']);
      return [r.updated.length, r.error === undefined, jsonApp.read()];`);
    assert.deepEqual(result, [1, true, 2]);
  });
});
