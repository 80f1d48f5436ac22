/**
 * `modhost compile` and pages that forbid eval. The fixture app (test/browser/fixtures/csp-app:
 * CommonJS with define() and plain files, ES modules with TLA, import(), import.meta and a JSON
 * import, JSON for require) is compiled per file and as one bundle, then served with
 * `Content-Security-Policy: script-src 'self'` — no eval, no inline scripts — and must run
 * without a single CSP violation from modhost. The same page without compilation must fail with
 * ERR_MODHOST_EVAL_BLOCKED, proving the policy is in force.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { compileFiles } from '../../src/cli/compile.js';
import { FIXTURES, type html, launchWithServer, openPage, REPO, type TestServer } from './harness.js';

const APP = join(FIXTURES, 'csp-app');
const OUT = join(REPO, 'dist', 'browser-test', 'csp-out');
const BUNDLE = join(REPO, 'dist', 'browser-test', 'csp-bundle', 'app.bundle.js');
const CSP = "script-src 'self'";

interface PageResult {
  cjsTotal?: string;
  cjsLater?: string;
  es?: string;
  stack?: string;
  error?: string;
  evalWorks?: string;
  violations: string[];
}

function page(body: Record<string, string>, head: string): ReturnType<typeof html> {
  const attributes = Object.entries(body)
    .map(([k, v]) => ` data-${k}="${v}"`)
    .join('');
  return {
    type: 'text/html; charset=utf-8',
    body:
      `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" ` +
      `href="data:,">${head}</head><body${attributes}><script src="/boot/csp-boot.js"></script></body></html>`,
  };
}

describe('compiled modules on a page whose CSP forbids eval', () => {
  let browser: Browser;
  let server: TestServer;
  before(async () => {
    rmSync(OUT, { recursive: true, force: true });
    compileFiles({ inputs: [APP], out: OUT });
    compileFiles({ inputs: [APP], bundle: BUNDLE });
    [browser, server] = await launchWithServer({
      root: OUT,
      mounts: { '/boot/': FIXTURES, '/b/': join(REPO, 'dist', 'browser-test', 'csp-bundle'), '/src/': APP },
      headers: { 'Content-Security-Policy': CSP },
      files: {
        '/page.html': page({}, '<script src="/modhost/modhost.global.js" data-evaluation="compiled"></script>'),
        '/page-bundle.html': page(
          { 'cjs-main': '/b/main', 'es-main': '/b/app.mjs', 'throws-main': '/b/throws.mjs' },
          '<script src="/b/app.bundle.js"></script><script src="/modhost/modhost.global.js"></script>',
        ),
        '/page-eval.html': page({ 'cjs-main': '/src/main' }, '<script src="/modhost/modhost.global.js"></script>'),
        '/page-eval-es.html': page(
          { 'cjs-main': '/b/main', 'es-main': '/src/app.mjs' },
          '<script src="/b/app.bundle.js"></script><script src="/modhost/modhost.global.js"></script>',
        ),
      },
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function run(path: string): Promise<PageResult> {
    const tab = await openPage(browser);
    try {
      await tab.page.addInitScript(() => {
        const w = globalThis as unknown as {
          __violations: string[];
          document: {
            addEventListener(
              t: string,
              f: (e: { violatedDirective: string; blockedURI: string; sourceFile: string }) => void,
            ): void;
          };
        };
        w.__violations = [];
        w.document.addEventListener('securitypolicyviolation', (e) =>
          w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`),
        );
      });
      await tab.page.goto(`${server.url}${path.slice(1)}`);
      await tab.page.waitForFunction(
        () =>
          (globalThis as unknown as { document: { body: { dataset: { done?: string } } } }).document.body.dataset
            .done === 'yes',
        undefined,
        { timeout: 10_000 },
      );
      await new Promise((r) => setTimeout(r, 50));
      return await tab.page.evaluate(() => {
        const w = globalThis as unknown as {
          __violations: string[];
          document: { body: { dataset: Record<string, string> } };
        };
        return { ...w.document.body.dataset, violations: w.__violations } as unknown as PageResult;
      });
    } finally {
      await tab.close();
    }
  }

  it("per-file output: CommonJS and ES modules run under script-src 'self' without eval", async () => {
    const result = await run('/page.html');
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.cjsTotal, '7.75');
    assert.equal(result.cjsLater, 'late string');
    assert.deepEqual(JSON.parse(result.es ?? 'null'), {
      value: 42,
      meta: `${server.url}app.mjs`,
      dynamic: 'dynamic dynamic.mjs',
    });
    // Lines are preserved: the throw on line 4 of throws.mjs is reported on line 4 of its URL.
    assert.match(result.stack ?? '', new RegExp(`${server.url.replace(/[./]/g, '\\$&')}throws\\.mjs:4:`));
    // The page's own eval probe is refused (the policy is in force) and is the only violation.
    assert.equal(result.evalWorks, 'EvalError');
    assert.equal(result.violations.length, 1, result.violations.join('\n'));
    assert.match(result.violations[0] as string, /^script-src eval/);
    assert.ok(
      server.requests.includes('/lib/cart.js') &&
        server.requests.includes('/lib/late.js') &&
        server.requests.includes('/prices.json'),
    );
  });

  it('one bundle: every module comes from the bundle, no module file is requested', async () => {
    const before = server.requests.length;
    const result = await run('/page-bundle.html');
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.cjsTotal, '7.75');
    assert.equal(result.cjsLater, 'late string');
    assert.deepEqual(JSON.parse(result.es ?? 'null'), {
      value: 42,
      meta: `${server.url}b/app.mjs`,
      dynamic: 'dynamic dynamic.mjs',
    });
    assert.equal(result.violations.length, 1, result.violations.join('\n'));
    const requested = server.requests.slice(before).filter((p) => p.startsWith('/b/'));
    assert.deepEqual(requested, ['/b/app.bundle.js']);
  });

  it('without compilation the same page fails with ERR_MODHOST_EVAL_BLOCKED (CommonJS and ES)', async () => {
    const cjs = await run('/page-eval.html');
    const es = await run('/page-eval-es.html');
    assert.equal(JSON.parse(cjs.error ?? '{}').code, 'ERR_MODHOST_EVAL_BLOCKED');
    assert.match(JSON.parse(cjs.error ?? '{}').message, /src\/main\.js.*Content-Security-Policy.*modhost compile/);
    assert.equal(es.cjsTotal, '7.75'); // the CommonJS part comes from the bundle
    assert.equal(JSON.parse(es.error ?? '{}').code, 'ERR_MODHOST_EVAL_BLOCKED');
    assert.match(JSON.parse(es.error ?? '{}').message, /src\/(app|lib\/double)\.mjs/);
  });
});

describe('modhost compile output', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'modhost-compile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('classifies files, keeps JSON as JSON per file, and keeps module lines on the same lines', () => {
    const out = join(dir, 'out');
    const result = compileFiles({ inputs: [APP], out });
    const kinds = Object.fromEntries(result.modules.map((m) => [m.ref, m.kind]));
    assert.deepEqual(kinds, {
      'app.mjs': 'esm',
      'config.json': 'json',
      'lib/cart.js': 'cjs',
      'lib/double.mjs': 'esm',
      'lib/dynamic.mjs': 'esm',
      'lib/late.js': 'cjs',
      'main.js': 'cjs',
      'prices.json': 'json',
      'throws.mjs': 'esm',
    });
    assert.equal(readFileSync(join(out, 'prices.json'), 'utf8'), readFileSync(join(APP, 'prices.json'), 'utf8'));
    for (const file of ['main.js', 'lib/cart.js', 'throws.mjs']) {
      const original = readFileSync(join(APP, file), 'utf8').split('\n');
      const compiled = readFileSync(join(out, file), 'utf8').split('\n');
      assert.ok(compiled[0]?.startsWith('(self.modhostCompiled=self.modhostCompiled||[]).push({format:1,'), file);
      // Every original line from the second on appears on the same line of the output.
      for (let i = 1; i < original.length - 1; i++) {
        if (original[i]!.trim() !== '')
          assert.ok(compiled[i]!.includes(original[i]!.trim()), `${file}:${i + 1}: ${compiled[i]}`);
      }
    }
  });

  it('writes a bundle with a source map that points each line back at its file', () => {
    const bundle = join(dir, 'b', 'app.js');
    compileFiles({ inputs: [APP], bundle });
    const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[]; mappings: string };
    const text = readFileSync(bundle, 'utf8').split('\n');
    assert.ok(text.at(-2)?.startsWith('//# sourceMappingURL=app.js.map'));
    // Decode the mappings: generated line → [source index, original line].
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const decode = (segment: string): number[] => {
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >> 1) : value >> 1);
          value = 0;
          shift = 0;
        }
      }
      return values;
    };
    let source = 0;
    let line = 0;
    const lines = map.mappings.split(';').map((segment) => {
      const [, ds, dl] = decode(segment);
      source += ds!;
      line += dl!;
      return [source, line] as const;
    });
    const throwsLine = text.findIndex((l) => l.includes("throw new Error('thrown on line 4')"));
    assert.ok(throwsLine > 0);
    const [sourceIndex, originalLine] = lines[throwsLine]!;
    assert.ok(map.sources[sourceIndex]!.endsWith('csp-app/throws.mjs'), map.sources[sourceIndex]);
    assert.equal(originalLine + 1, 4);
  });

  it('CommonJS globals become wrapper parameters, literal requires are listed', () => {
    const src = join(dir, 'g');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'uses-print.js'), 'print(require("./x"));\n');
    writeFileSync(join(src, 'x.js'), 'module.exports = 1;\n');
    compileFiles({ inputs: [src], out: join(dir, 'g-out'), cjsGlobals: ['print'] });
    const text = readFileSync(join(dir, 'g-out', 'uses-print.js'), 'utf8');
    assert.match(text, /params:\["require","exports","module","__filename","__dirname","print"\]/);
    assert.match(text, /requires:\["\.\/x"\]/);
  });

  it('the command: exit 0 on success, 1 on a syntax error naming the file, 2 on usage errors; inputs kept', () => {
    const src = join(dir, 'cmd');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'ok.mjs'), 'export const x = 1;\n');
    const cli = (args: string[]) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { compileCommand } from ` +
            `${JSON.stringify(new URL('../../src/cli/compile.js', import.meta.url).href)}; process.exitCode = ` +
            `await compileCommand(${JSON.stringify(args)});`,
        ],
        { encoding: 'utf8' },
      );
    const ok = cli([src, '--out', join(dir, 'cmd-out')]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /compiled 1 modules \(1 ES, 0 CommonJS, 0 JSON\)/);
    assert.equal(cli([src]).status, 2);
    assert.equal(cli([src, '--out', 'a', '--bundle', 'b']).status, 2);
    assert.equal(cli([src, '--out', src]).status, 2);
    assert.equal(readFileSync(join(src, 'ok.mjs'), 'utf8'), 'export const x = 1;\n');
    writeFileSync(join(src, 'bad.mjs'), 'export const = 1;\n');
    const bad = cli([src, '--out', join(dir, 'cmd-out2')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /ERR_MODHOST_PARSE.*bad\.mjs/);
  });
});
