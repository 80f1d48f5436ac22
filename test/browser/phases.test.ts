/**
 * Issue 8 in Chromium through the browser bundle: source phase imports (of JavaScript and of a
 * `.wasm` URL), import defer, virtual module sources, and JSON / text modules by import attribute.
 * Chromium has no `import source` / `import defer` for JavaScript, so expectations come from the
 * proposals' spec texts.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { html, launchWithServer, openPage, type Route, type TestPage, type TestServer } from './harness.js';

type Bundle = typeof import('../../src/browser/index.js');
const js = (body: string): Route => ({ type: 'text/javascript', body });

// (module (func (export "answer") (result i32) i32.const 42)): every byte is ASCII, so it travels as a string body.
const ANSWER_WASM = String.fromCharCode(
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  127,
  3,
  2,
  1,
  0,
  7,
  10,
  1,
  6,
  97,
  110,
  115,
  119,
  101,
  114,
  0,
  0,
  10,
  6,
  1,
  4,
  0,
  65,
  42,
  11,
);

describe('browser host: import phases, virtual sources, attributes', () => {
  let browser: Browser;
  let server: TestServer;
  let tab: TestPage;
  before(async () => {
    [browser, server] = await launchWithServer({
      files: {
        '/index.html': html(''),
        '/p/main.js': js(`import source src from './dep.js';
import defer * as lazy from './lazy.js';
import source wasmSource from './answer.wasm';
import { answer } from './answer.wasm';
import text from './notes.txt' with { type: 'text' };
import data from './data.json' with { type: 'json' };
log.push('main');
export const tag = Object.prototype.toString.call(src);
export const deferredTag = lazy[Symbol.toStringTag];
export const before = log.slice();
export const lazyValue = lazy.value;
export const after = log.slice();
export const wasmIsModule = wasmSource instanceof WebAssembly.Module;
export const wasmAnswer = answer();
export const sameSource = src === await import.source('./dep.js');
export { text, data };`),
        '/p/dep.js': js(`log.push('dep must not run'); import './never.js';`),
        '/p/lazy.js': js(`log.push('lazy'); export const value = 'lazy value';`),
        '/p/answer.wasm': { type: 'application/wasm', body: ANSWER_WASM },
        '/p/notes.txt': { type: 'text/plain', body: 'plain text' },
        '/p/data.json': { type: 'application/json', body: '{"k":1}' },
      },
    });
    tab = await openPage(browser, `${server.url}index.html`);
  });
  after(async () => {
    await tab?.close();
    await browser?.close();
    await server?.close();
  });

  it('source phase, defer, wasm, text and JSON modules behave as specified', async () => {
    const result = await tab.page.evaluate(async () => {
      (globalThis as unknown as { log: string[] }).log = [];
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const ns = await m.createBrowserHost().import('./p/main.js');
      return { ...ns };
    });
    assert.deepEqual(result, {
      after: ['main', 'lazy'],
      before: ['main'],
      data: { k: 1 },
      deferredTag: 'Deferred Module',
      lazyValue: 'lazy value',
      sameSource: true,
      tag: '[object ModuleSource]',
      text: 'plain text',
      wasmAnswer: 42,
      wasmIsModule: true,
    });
  });

  it('virtual module sources and JSON sources work from the bundle', async () => {
    const result = await tab.page.evaluate(async () => {
      const m = (await import('/modhost/' + 'modhost.browser.js')) as Bundle;
      const dep = new m.Module(new m.ModuleSource('export const base = 40;'));
      const virtual = new m.Module(
        {
          bindings: [{ import: 'base', from: 'dep' }, { export: 'answer' }],
          async execute(env: Record<string, number>) {
            await null;
            env.answer = env.base! + 2;
          },
        },
        { importHook: () => dep },
      );
      const json = new m.Module(new m.JsonModuleSource('[1,2]'));
      return { answer: (await m.importModule(virtual)).answer, json: (await m.importModule(json)).default };
    });
    assert.deepEqual(result, { answer: 42, json: [1, 2] });
  });
});
