/**
 * ES modules through the browser host, in Chromium. Where the browser can run the same graph
 * natively, it is the oracle: the graph is imported with the page's own `import()` and with
 * modhost, and the evaluation logs, namespaces and errors must agree.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { html, launchWithServer, openPage, type Route, type TestPage, type TestServer } from './harness.js';

/** The ES build's exports (the page imports the bundle; the types come from its source). */
type Bundle = typeof import('../../src/browser/index.js');

const js = (body: string): Route => ({ type: 'text/javascript', body });

/** Graphs run both natively and through modhost. Every module logs to globalThis.log. */
const GRAPHS: Record<string, Route> = {
  // A cycle: b runs first and sees a's binding in TDZ, a's hoisted function already exists.
  '/cycle/main.js': js(`import { a, getB } from './a.js'; log.push('main ' + a + ' ' + getB()); export { a };`),
  '/cycle/a.js': js(
    `import { b } from './b.js'; log.push('a runs, b=' + b); export const a = 'A'; export function getB() { ` +
      `return b; }`,
  ),
  '/cycle/b.js': js(`import { a, getB } from './a.js';
log.push('b runs');
let seen; try { seen = a; } catch (e) { seen = e.constructor.name; }
log.push('b sees a: ' + seen);
log.push('b sees getB: ' + typeof getB);
export let b = 'B';`),
  // Top-level await: siblings without TLA run while x waits; y (which depends on x) waits for it.
  '/tla/main.js': js(`import './x.js'; import './y.js'; import './z.js'; log.push('main'); export const done = true;`),
  '/tla/x.js': js(
    `log.push('x start'); await new Promise((r) => setTimeout(r, 30)); log.push('x end'); export const x = 1;`,
  ),
  '/tla/y.js': js(`import { x } from './x.js'; log.push('y ' + x);`),
  '/tla/z.js': js(`log.push('z'); await null; log.push('z after await');`),
  // An async cycle: a ↔ b with TLA in b, and c depending on a.
  '/acycle/main.js': js(`import './a.js'; import './c.js'; log.push('main');`),
  '/acycle/a.js': js(`import './b.js'; log.push('a'); export const a = 1;`),
  '/acycle/b.js': js(`import './a.js'; log.push('b start'); await Promise.resolve(); log.push('b end');`),
  '/acycle/c.js': js(`import { a } from './a.js'; log.push('c ' + a);`),
  // import.meta, dynamic import, JSON modules, star exports, live bindings.
  '/meta/main.js': js(`import data from './data.json' with { type: 'json' };
import * as ns from './reexport.js';
import { count, increment } from './counter.js';
increment(); increment();
export const url = import.meta.url;
export const resolved = import.meta.resolve('./x/../y.js?q=1#h');
export const dyn = (await import('./dyn.js')).value;
export const json = data.name;
export const names = Object.keys(ns).join(',');
export const live = count;
export { count };`),
  '/meta/data.json': { type: 'application/json', body: '{"name":"modhost","n":[1,2]}' },
  '/meta/dyn.js': js(`export const value = 'dynamic ' + import.meta.url.split('/').pop();`),
  '/meta/reexport.js': js(
    `export * from './s1.js'; export * from './s2.js'; export * as inner from './s1.js'; export { default as d } ` +
      `from './s1.js';`,
  ),
  '/meta/s1.js': js(`export const one = 1; export const dup = 'from s1'; export default 'default of s1';`),
  '/meta/s2.js': js(`export const two = 2; export const dup = 'from s2';`),
  '/meta/counter.js': js(`export let count = 0; export function increment() { count++; }`),
  // An evaluation error in a dependency.
  '/throws/main.js': js(`import './bad.js'; log.push('main never runs');`),
  '/throws/bad.js': js(`log.push('bad runs'); throw new RangeError('bad module ' + import.meta.url.split('/').pop());`),
  // Stack positions: an import reference before the call on line 1 (the wrapper's header and the
  // getter call shift compiled columns; stacks show the original ones).
  '/stack/main.js': js(`import { fail } from './lib.js'; const a = [fail]; fail('x' + a.length);`),
  '/stack/lib.js': js(`export function fail(m) {\n  throw new TypeError(m);\n}`),
  // A link error: an import the exporter does not have.
  '/linkerr/main.js': js(`import { missing } from './dep.js'; log.push('never ' + missing);`),
  '/linkerr/dep.js': js(`log.push('dep never runs'); export const present = 1;`),
};

interface Outcome {
  log: string[];
  namespace?: Record<string, unknown>;
  /** `frames`: the stack's positions in the served files (path:line:column). */
  error?: { name: string; message: string; frames: string[] };
}

/** Runs in the page: imports `url` natively and through a fresh modhost host; returns both outcomes. */
async function nativeAndModhost(page: TestPage['page'], url: string): Promise<{ native: Outcome; modhost: Outcome }> {
  return page.evaluate(async (target) => {
    const snapshot = (ns: Record<string, unknown>): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(ns)) {
        const value = ns[key];
        out[key] =
          typeof value === 'function'
            ? 'function'
            : typeof value === 'object' && value !== null
              ? Object.keys(value).join(',')
              : value;
      }
      return out;
    };
    const run = async (load: () => Promise<Record<string, unknown>>): Promise<Outcome> => {
      (globalThis as unknown as { log?: string[] }).log = [];
      try {
        const ns = await load();
        return { log: (globalThis as unknown as { log: string[] }).log, namespace: snapshot(ns) };
      } catch (error) {
        const e = error as Error;
        const origin = (globalThis as unknown as { location: { origin: string } }).location.origin;
        const frames = [...String(e.stack).matchAll(/(https?:\/\/[^\s()]+):(\d+):(\d+)/g)]
          .filter((m) => m[1]?.startsWith(origin) === true && !m[1].includes('/modhost/'))
          .map((m) => `${m[1]?.slice(origin.length)}:${m[2]}:${m[3]}`);
        return {
          log: (globalThis as unknown as { log: string[] }).log,
          error: { name: e.name, message: e.message, frames },
        };
      }
    };
    const native = await run(() => import(target));
    const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
    const host = m.createBrowserHost();
    const modhost = await run(() => host.import(target));
    return { native, modhost };
  }, url);
}

describe('browser host: ES module graphs (native import() as the oracle)', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  before(async () => {
    [browser, server] = await launchWithServer({ files: { ...GRAPHS, '/index.html': html('') } });
    tab = await openPage(browser, `${server.url}index.html`);
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  for (const [name, main] of [
    ['a cycle with TDZ and hoisted functions', '/cycle/main.js'],
    ['top-level await ordering', '/tla/main.js'],
    ['an async cycle', '/acycle/main.js'],
    ['import.meta, import(), JSON modules, star exports, live bindings', '/meta/main.js'],
    ['an evaluation error in a dependency', '/throws/main.js'],
    ['stack positions at the original columns', '/stack/main.js'],
  ] as const) {
    it(`${name}: same log, namespace and error as native`, async () => {
      const { native, modhost } = await nativeAndModhost(tab.page, `${server.url}${main.slice(1)}`);
      if (main === '/stack/main.js') assert.ok((native.error?.frames.length ?? 0) >= 2, 'native frames in both files');
      assert.deepEqual(modhost, native);
    });
  }

  it('a link error: same error class as native, nothing runs', async () => {
    const { native, modhost } = await nativeAndModhost(tab.page, `${server.url}linkerr/main.js`);
    assert.equal(native.error?.name, 'SyntaxError');
    assert.equal(modhost.error?.name, native.error?.name);
    assert.deepEqual(modhost.log, []);
    assert.deepEqual(native.log, []);
    assert.match(modhost.error?.message ?? '', /missing/);
  });

  it('the meta graph gives the values the spec implies', async () => {
    const { modhost } = await nativeAndModhost(tab.page, `${server.url}meta/main.js`);
    assert.deepEqual(modhost.namespace, {
      count: 2,
      dyn: 'dynamic dyn.js',
      json: 'modhost',
      live: 2,
      names: 'd,inner,one,two', // `dup` is ambiguous between the two star exports: left out
      resolved: `${server.url}meta/y.js?q=1#h`,
      url: `${server.url}meta/main.js`,
    });
  });
});

describe('browser host: loading, identity and errors', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  let appear = false;
  before(async () => {
    [browser, server] = await launchWithServer({
      files: {
        '/index.html': html(''),
        '/id/counter.js': js(`export let n = 0; export const bump = () => ++n;`),
        '/id/via-a.js': js(`import { bump } from './counter.js'; export const a = bump();`),
        '/id/via-b.js': js(`import { bump } from '../id/./counter.js'; export const b = bump();`),
        '/err/imports-missing.js': js(`import './nope.js';`),
        '/err/server-error.js': { type: 'text/javascript', status: 500, body: 'oops' },
        '/err/plain.js': { type: 'text/plain', body: 'export const x = 1;' },
        '/err/html.json': { type: 'text/html', body: '{"a":1}' },
        '/err/bare.js': js(`import 'some-package';`),
        '/err/css.js': js(`import s from './s.css' with { type: 'css' };`),
        '/err/syntax.js': js(`export const = 1;`),
        '/hook/main.js': js(
          `import { clock } from './clock.js'; import { twice } from './math.js'; export const out = twice(clock());`,
        ),
        '/hook/clock.js': js(`export const clock = () => Date.now();`),
        '/hook/math.js': js(`export const twice = (x) => 2 * x;`),
      },
      handler: (path) => (path === '/later/appears.js' && appear ? js('export const ok = true;') : undefined),
    });
    tab = await openPage(browser, `${server.url}index.html`);
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  it('one Module per URL per host; a new host gives new instances', async () => {
    const result = await tab.page.evaluate(async () => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const host = m.createBrowserHost();
      const a = await host.import('./id/via-a.js');
      const b = await host.import('./id/via-b.js');
      const same =
        (await host.load(host.resolve('./id/counter.js'))) === (await host.load(host.resolve('/id/counter.js')));
      const other = m.createBrowserHost();
      const c = await other.import('./id/via-a.js');
      return { a: a.a, b: b.b, same, c: c.a };
    });
    // Both specifiers name the same URL: one counter, bumped twice; the other host has its own.
    assert.deepEqual(result, { a: 1, b: 2, same: true, c: 1 });
  });

  it('404, 500 and network errors name the URL, the importer and the HTTP status', async () => {
    const errors = await tab.page.evaluate(async () => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const host = m.createBrowserHost();
      const grab = (p: Promise<unknown>) =>
        p.then(
          () => null,
          (e: { code?: string; status?: number; url?: string; referrer?: string; message: string; name: string }) => ({
            code: e.code,
            status: e.status,
            url: e.url,
            referrer: e.referrer,
            message: e.message,
            name: e.name,
          }),
        );
      return {
        missing: await grab(host.import('./err/imports-missing.js')),
        top: await grab(host.import('./err/not-there.js')),
        server: await grab(host.import('./err/server-error.js')),
        network: await grab(host.import('http://127.0.0.1:9/unreachable.js')),
      };
    });
    const base = server.url;
    assert.equal(errors.missing?.code, 'ERR_MODULE_NOT_FOUND');
    assert.equal(errors.missing?.status, 404);
    assert.equal(errors.missing?.url, `${base}err/nope.js`);
    assert.equal(errors.missing?.referrer, `${base}err/imports-missing.js`);
    assert.ok(
      errors.missing?.message.includes(`${base}err/nope.js`) &&
        errors.missing.message.includes('404') &&
        errors.missing.message.includes(`imported from ${base}err/imports-missing.js`),
      errors.missing?.message,
    );
    assert.equal(errors.top?.status, 404);
    assert.equal(errors.server?.code, 'ERR_MODULE_NOT_FOUND');
    assert.equal(errors.server?.status, 500);
    assert.match(errors.server?.message ?? '', /HTTP 500/);
    assert.equal(errors.network?.code, 'ERR_MODULE_NOT_FOUND');
    assert.equal(errors.network?.status, 0);
    assert.match(errors.network?.message ?? '', /network error/);
  });

  it('MIME types are checked as for native module scripts (and the check can be turned off)', async () => {
    const result = await tab.page.evaluate(async () => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const grab = (p: Promise<unknown>) =>
        p.then(
          (ns) => ({ ok: (ns as Record<string, unknown>).x ?? (ns as Record<string, unknown>).default }),
          (e: { code?: string; name: string }) => ({ code: e.code, name: e.name }),
        );
      const strict = m.createBrowserHost();
      const lax = m.createBrowserHost({ strictMimeTypes: false });
      const nativePlain = await import('/err/' + 'plain.js').then(
        () => 'loaded',
        (e: Error) => e.name,
      );
      return {
        plain: await grab(strict.import('./err/plain.js')),
        laxPlain: await grab(lax.import('./err/plain.js')),
        json: await grab(
          strict
            .load(strict.resolve('./err/html.json'), { attributes: { type: 'json' } })
            .then((mod) => m.importModule(mod)),
        ),
        nativePlain,
      };
    });
    assert.equal(result.nativePlain, 'TypeError'); // Chromium refuses text/plain module scripts too
    assert.deepEqual(result.plain, { code: 'ERR_MODHOST_MIME_TYPE', name: 'TypeError' });
    assert.deepEqual(result.laxPlain, { ok: 1 });
    assert.deepEqual(result.json, { code: 'ERR_MODHOST_MIME_TYPE', name: 'TypeError' });
  });

  it('bare specifiers without a mapping, unsupported attribute types and syntax errors are clear errors', async () => {
    const result = await tab.page.evaluate(async () => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const host = m.createBrowserHost();
      const grab = (p: Promise<unknown>) =>
        p.then(
          () => null,
          (e: { code?: string; name: string; message: string; url?: string }) => ({
            code: e.code,
            name: e.name,
            message: e.message,
            url: e.url,
          }),
        );
      return {
        bare: await grab(host.import('./err/bare.js')),
        css: await grab(host.import('./err/css.js')),
        syntax: await grab(host.import('./err/syntax.js')),
        nativeBare: await import('/err/' + 'bare.js').then(
          () => null,
          (e: Error) => e.name,
        ),
      };
    });
    assert.equal(result.nativeBare, 'TypeError');
    assert.equal(result.bare?.name, 'TypeError');
    assert.equal(result.bare?.code, 'ERR_INVALID_MODULE_SPECIFIER');
    assert.match(result.bare?.message ?? '', /some-package/);
    assert.equal(result.css?.code, 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED');
    assert.equal(result.syntax?.name, 'SyntaxError');
    assert.equal(result.syntax?.code, 'ERR_MODHOST_PARSE');
    assert.equal(result.syntax?.url, `${server.url}err/syntax.js`);
  });

  it('a failed fetch is not cached: the next import tries again', async () => {
    const first = await tab.page.evaluate(async () => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      (globalThis as unknown as { testHost?: unknown }).testHost = m.createBrowserHost();
      return (globalThis as unknown as { testHost: { import(s: string): Promise<unknown> } }).testHost
        .import('./later/appears.js')
        .then(
          () => 'loaded',
          (e: { status?: number }) => e.status,
        );
    });
    appear = true;
    const second = await tab.page.evaluate(() =>
      (globalThis as unknown as { testHost: { import(s: string): Promise<Record<string, unknown>> } }).testHost
        .import('./later/appears.js')
        .then((ns) => ns.ok),
    );
    assert.equal(first, 404);
    assert.equal(second, true);
  });

  it('Module + importModule with a custom importHook that mocks a dependency', async () => {
    const result = await tab.page.evaluate(async () => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const host = m.createBrowserHost();
      const seen: string[] = [];
      const fixedClock = new m.Module(new m.ModuleSource('export const clock = () => 21;'));
      const instances = new Map<string, unknown>();
      const moduleFor = async (url: string): Promise<InstanceType<typeof m.Module>> => {
        if (!instances.has(url)) {
          const source = await host.sourceFor(url);
          instances.set(
            url,
            new m.Module(source, {
              importHook(specifier: string) {
                const target = host.resolve(specifier, url);
                seen.push(specifier);
                return target.endsWith('/clock.js') ? fixedClock : moduleFor(target);
              },
            }),
          );
        }
        return instances.get(url) as InstanceType<typeof m.Module>;
      };
      const ns = await m.importModule(await moduleFor(host.resolve('./hook/main.js')));
      return { out: ns.out, seen };
    });
    assert.deepEqual(result, { out: 42, seen: ['./clock.js', './math.js'] });
  });
});
