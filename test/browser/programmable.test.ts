/**
 * The browser host's hooks, mocks, forks and dispose, in Chromium (docs/hosts.md): the same
 * contracts as the Node host's, over fetch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { html, launchWithServer, openPage, type Route, type TestPage, type TestServer } from './harness.js';

/** The ES build's exports (the page imports the bundle; the types come from its source). */
type Bundle = typeof import('../../src/browser/index.js');

const js = (body: string): Route => ({ type: 'text/javascript', body });

describe('browser host: hooks, mocks, fork, dispose', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  before(async () => {
    [browser, server] = await launchWithServer({
      files: {
        '/index.html': html(''),
        '/app/plugin.js': js(
          `import { greet, version } from 'api'; export const out = greet('plugin') + ' v' + version;`,
        ),
        '/app/main.js': js(`import { users } from './service.js'; export const names = () => users();`),
        '/app/service.js': js(
          `import { query } from './db.js'; export const users = () => query().map((u) => u.name);`,
        ),
        '/app/db.js': js(`export const query = () => { throw new Error('real db'); }; export const pool = 'real';`),
        '/app/counter.js': js(`export let n = 0; export const bump = () => ++n;`),
        '/app/uses-counter.js': js(`import { bump } from './counter.js'; export const first = bump();`),
        '/app/needs-missing.js': js(`import { absent } from './db.js'; export default absent;`),
      },
    });
    tab = await openPage(browser, `${server.url}index.html`);
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  it('hooks serve an in-memory module (relative imports resolve against its URL); hook errors are coded', async () => {
    const result = await tab.page.evaluate(async (base) => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const sources: Record<string, string> = {
        'memory:/api/index.js': 'export { greet } from "./greet.js"; export const version = 3;',
        'memory:/api/greet.js': 'export const greet = (who) => "hello " + who;',
      };
      const host = m.createBrowserHost({
        baseURL: base,
        hooks: [
          {
            resolve: (specifier, context, next) =>
              specifier === 'api' ? { url: 'memory:/api/index.js', shortCircuit: true } : next(specifier, context),
            async load(url, context, next) {
              const source = sources[url];
              return source === undefined ? next(url, context) : { format: 'module', source, shortCircuit: true };
            },
          },
        ],
      });
      const plugin = await host.import('./app/plugin.js');
      const failing = m.createBrowserHost({
        baseURL: base,
        hooks: [
          {
            resolve() {
              throw new Error('offline');
            },
          },
        ],
      });
      const error = await failing.import('./app/plugin.js').then(
        () => undefined,
        (e: Error & { code?: string; specifier?: string }) => ({ code: e.code, specifier: e.specifier }),
      );
      return { out: plugin.out, error };
    }, server.url);
    assert.equal(result.out, 'hello plugin v3');
    assert.deepEqual(result.error, { code: 'ERR_MODHOST_HOOK_FAILED', specifier: './app/plugin.js' });
  });

  it('mock() replaces a module two levels down; a missing name is a link-time SyntaxError; restore()', async () => {
    const result = await tab.page.evaluate(async (base) => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const host = m.createBrowserHost({ baseURL: base });
      const handle = host.mock('./app/db.js', async (importOriginal) => ({
        ...(await importOriginal()),
        query: () => [{ name: 'ada' }],
      }));
      const main = await host.import('./app/main.js');
      const names = (main.names as () => string[])();
      const missing = await host.import('./app/needs-missing.js').then(
        () => 'no error',
        (e: Error) => e.name,
      );
      handle.restore();
      const db = await host.import('./app/db.js');
      return { names, missing, pool: db.pool, url: handle.url };
    }, server.url);
    assert.deepEqual(result.names, ['ada']);
    assert.equal(result.missing, 'SyntaxError');
    assert.equal(result.pool, 'real');
    assert.equal(result.url, `${server.url}app/db.js`);
  });

  it('fork() gives fresh instances (share: the parent’s); dispose() makes later imports reject', async () => {
    const result = await tab.page.evaluate(async (base) => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const parent = m.createBrowserHost({ baseURL: base });
      const first = (await parent.import('./app/uses-counter.js')).first;
      const fork = parent.fork();
      const forked = (await fork.import('./app/uses-counter.js')).first;
      const sharing = parent.fork({ share: (url) => url.endsWith('/counter.js') });
      const shared = (await sharing.import('./app/uses-counter.js')).first;
      fork.dispose();
      const disposed = await fork.import('./app/uses-counter.js').then(
        () => 'no error',
        (e: Error & { code?: string }) => e.code,
      );
      return { first, forked, shared, disposed, flag: fork.disposed };
    }, server.url);
    assert.deepEqual(result, { first: 1, forked: 1, shared: 2, disposed: 'ERR_MODHOST_HOST_DISPOSED', flag: true });
  });
});
