/**
 * Browser benchmarks, in Chromium, over HTTP from scripts/serve.mjs on 127.0.0.1:
 *
 * 1. a 500-module CommonJS (CMD `define`) graph: modhost `define.use` vs seajs 3 (`seajs.use`, the
 *    article's CMD ancestor) vs the CommonJS article's synchronous-XHR approach (a minimal loader written
 *    for this comparison: bench/browser/graph.ts);
 * 2. the same graph as ES modules: modhost (`modhost.import`, the browser host) vs the browser's
 *    native `import()`;
 * 3. the CommonJS graph as one production bundle (no module requests, so the loaders' own cost
 *    shows): a `modhost compile --bundle` file vs a seajs combo file (`define(id, deps, factory)`
 *    for every module, as seajs build tools write them). The timed region includes loading the
 *    bundle script.
 *
 * Every sample is one cold load in a fresh browser context (empty HTTP cache, new module map),
 * timed inside the page from the call to the main module's exports. Contenders alternate within
 * each round (the order rotates), and each ratio is the median of per-round ratios.
 *
 * 4. the ES graph loaded a second time in the same browser context: modhost with its compile cache
 *    (Cache Storage; `modhost.config({ compileCache: true })`) against the browser's own second
 *    load (the server answers `Cache-Control: no-store`, so both fetch every module again).
 *
 *   node dist/bench/browser/run.js [--modules 500] [--rounds 9] [--only cjs,es,es2,bundle]
 *     [--out bench/browser/results.json]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import { compileFiles } from '../../src/cli/compile.js';
import { pairedRatio, type Summary, summarize } from '../lib/stats.js';
import { cmdModule, dependenciesOf, esModule, expectedValue, SYNC_XHR_LOADER } from './graph.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

interface Contender {
  readonly name: string;
  readonly page: string;
  /** Runs in the page; resolves to { ms, value } (value: m0's `value` export). */
  readonly run: () => Promise<{ ms: number; value: unknown }>;
  /**
   * A second page load: `run` once untimed (then `settle`, in the page), reload the page in the
   * same browser context (its HTTP cache, Cache Storage and code caches kept), and time `run` there.
   */
  readonly secondLoad?: boolean;
  readonly settle?: () => Promise<void>;
}

type PageGlobals = {
  define: { use(id: string): Promise<{ value: number }> };
  seajs: { use(id: string, cb: (m: { value: number }) => void): void };
  syncXhrUse(id: string): { value: number };
  modhost: { import(s: string): Promise<{ value: number }> };
};

const CJS: Contender[] = [
  {
    name: 'modhost define.use',
    page: '/p/modhost.html',
    run: async () => {
      const g = globalThis as unknown as PageGlobals;
      const start = performance.now();
      const m = await g.define.use('/cmd/m0');
      return { ms: performance.now() - start, value: m.value };
    },
  },
  {
    name: 'seajs 3 seajs.use',
    page: '/p/seajs.html',
    run: () =>
      new Promise((resolve) => {
        const g = globalThis as unknown as PageGlobals;
        const start = performance.now();
        g.seajs.use('/cmd/m0', (m) => resolve({ ms: performance.now() - start, value: m.value }));
      }),
  },
  {
    name: 'sync XHR (article)',
    page: '/p/syncxhr.html',
    run: async () => {
      const g = globalThis as unknown as PageGlobals;
      const start = performance.now();
      const m = g.syncXhrUse('/cmd/m0');
      return { ms: performance.now() - start, value: m.value };
    },
  },
];

const ES: Contender[] = [
  {
    name: 'modhost import',
    page: '/p/modhost.html',
    run: async () => {
      const g = globalThis as unknown as PageGlobals;
      const start = performance.now();
      const m = await g.modhost.import('/es/m0.js');
      return { ms: performance.now() - start, value: m.value };
    },
  },
  {
    name: 'native import()',
    page: '/p/native.html',
    run: async () => {
      const start = performance.now();
      const m = (await import('/es/' + 'm0.js')) as { value: number };
      return { ms: performance.now() - start, value: m.value };
    },
  },
];

type CacheGlobals = PageGlobals & { modhost: { host: { compileCache?: { flush(): Promise<void> } } } };

/** The ES graph loaded a second time: modhost with its compile cache against the browser's own second load. */
const ES_SECOND: Contender[] = [
  {
    name: 'modhost import, compile cache',
    page: '/p/modhost-cache.html',
    secondLoad: true,
    run: ES[0]!.run,
    settle: async () => {
      await (globalThis as unknown as CacheGlobals).modhost.host.compileCache?.flush();
    },
  },
  { name: 'native import(), second load', page: '/p/native.html', secondLoad: true, run: ES[1]!.run },
];

type BundleGlobals = PageGlobals & {
  seajs: { config(o: object): void };
  document: {
    head: { appendChild(e: unknown): void };
    createElement(t: 'script'): { src: string; onload: () => void; onerror: () => void };
  };
};

const BUNDLED: Contender[] = [
  {
    name: 'modhost compiled bundle',
    page: '/p/modhost.html',
    run: () =>
      new Promise((resolve, reject) => {
        const g = globalThis as unknown as BundleGlobals;
        const start = performance.now();
        const script = g.document.createElement('script');
        script.onload = () =>
          g.define.use('/cmdb/m0').then((m) => resolve({ ms: performance.now() - start, value: m.value }), reject);
        script.onerror = () => reject(new Error('bundle failed'));
        script.src = '/cmdb/modhost.bundle.js';
        g.document.head.appendChild(script);
      }),
  },
  {
    name: 'seajs combo file',
    page: '/p/seajs.html',
    run: () =>
      new Promise((resolve, reject) => {
        const g = globalThis as unknown as BundleGlobals;
        const start = performance.now();
        g.seajs.config({ base: '/cmdb/' });
        const script = g.document.createElement('script');
        script.onload = () => g.seajs.use('m0', (m) => resolve({ ms: performance.now() - start, value: m.value }));
        script.onerror = () => reject(new Error('bundle failed'));
        script.src = '/cmdb/sea.bundle.js';
        g.document.head.appendChild(script);
      }),
  },
];

/** The CMD graph as one seajs combo file: every module with its id and dependency list. */
function seajsCombo(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const deps = JSON.stringify(dependenciesOf(i, n).map((d) => `./m${d}`));
    parts.push(cmdModule(i, n).replace(/^define\(/, `define(${JSON.stringify(`m${i}`)}, ${deps}, `));
  }
  return parts.join('');
}

type StartServer = (
  options: Record<string, unknown>,
) => Promise<{ url: string; requests: string[]; close(): Promise<void> }>;

function page(head: string): { type: string; body: string } {
  return {
    type: 'text/html; charset=utf-8',
    body:
      `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" ` +
      `href="data:,">${head}</head><body></body></html>`,
  };
}

async function sample(browser: Browser, url: string, contender: Contender): Promise<{ ms: number; value: unknown }> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.goto(url + contender.page.slice(1));
    if (contender.secondLoad === true) {
      await tab.evaluate(contender.run);
      if (contender.settle !== undefined) await tab.evaluate(contender.settle);
      await tab.reload();
    }
    return await tab.evaluate(contender.run);
  } finally {
    await context.close();
  }
}

async function race(
  browser: Browser,
  url: string,
  contenders: Contender[],
  rounds: number,
  expected: number,
): Promise<Map<string, number[]>> {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  // One warm-up round (not recorded): Chromium's first context pays for process start-up.
  for (const c of contenders) await sample(browser, url, c);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length] as Contender;
      const result = await sample(browser, url, contender);
      if (result.value !== expected)
        throw new Error(`${contender.name} computed ${String(result.value)}, expected ${expected}`);
      samples.get(contender.name)!.push(result.ms);
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  return samples;
}

function row(name: string, s: Summary): string {
  return (
    `  ${name.padEnd(22)} ${s.median.toFixed(1).padStart(8)} ms  ` +
    `±${((s.mad / s.median) * 100).toFixed(0).padStart(2)}%   (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)})`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      modules: { type: 'string', default: '500' },
      rounds: { type: 'string', default: '9' },
      out: { type: 'string' },
      only: { type: 'string', default: 'cjs,es,es2,bundle' },
    },
  });
  const n = Number(values.modules);
  const rounds = Number(values.rounds);
  const expected = expectedValue(n);
  // The production bundles: the graph written to disk, compiled by modhost, combined for seajs.
  const scratch = mkdtempSync(join(tmpdir(), 'modhost-bench-browser-'));
  const sources = join(scratch, 'src');
  mkdirSync(sources);
  for (let i = 0; i < n; i++) writeFileSync(join(sources, `m${i}.js`), cmdModule(i, n));
  compileFiles({ inputs: [sources], bundle: join(scratch, 'cmdb', 'modhost.bundle.js') });
  writeFileSync(join(scratch, 'cmdb', 'sea.bundle.js'), seajsCombo(n));
  const { startServer } = (await import(pathToFileURL(join(REPO, 'scripts', 'serve.mjs')).href)) as {
    startServer: StartServer;
  };
  const server = await startServer({
    root: join(REPO, 'bench', 'browser'),
    mounts: {
      '/modhost/': join(REPO, 'dist', 'browser'),
      '/seajs/': join(REPO, 'node_modules', 'seajs', 'dist'),
      '/cmdb/': join(scratch, 'cmdb'),
    },
    routes: {
      '/favicon.ico': { body: '', status: 204 },
      '/p/modhost.html': page('<script src="/modhost/modhost.global.min.js"></script>'),
      '/p/seajs.html': page('<script src="/seajs/sea.js"></script>'),
      '/p/syncxhr.html': page(`<script>${SYNC_XHR_LOADER}</script>`),
      '/p/native.html': page(''),
      '/p/modhost-cache.html': page(
        '<script src="/modhost/modhost.global.min.js"></script><script>modhost.config({ compileCache: true })</script>',
      ),
    },
    handler: (path: string) => {
      const match = /^\/(cmd|es)\/m(\d+)\.js$/.exec(path);
      if (match === null || Number(match[2]) >= n) return undefined;
      const i = Number(match[2]);
      return { type: 'text/javascript; charset=utf-8', body: match[1] === 'cmd' ? cmdModule(i, n) : esModule(i, n) };
    },
  });
  const browser = await chromium.launch({
    executablePath: process.env.MODHOST_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const version = browser.version();
    const only = new Set((values.only ?? '').split(','));
    const skip = (contenders: Contender[]) => new Map(contenders.map((c) => [c.name, [] as number[]]));
    if (only.has('cjs')) process.stderr.write(`CommonJS graph, ${n} modules, ${rounds} rounds `);
    const cjs = only.has('cjs') ? await race(browser, server.url, CJS, rounds, expected) : skip(CJS);
    if (only.has('es')) process.stderr.write(`ES graph, ${n} modules, ${rounds} rounds `);
    const es = only.has('es') ? await race(browser, server.url, ES, rounds, expected) : skip(ES);
    if (only.has('es2')) process.stderr.write(`ES graph, second load, ${n} modules, ${rounds} rounds `);
    const es2 = only.has('es2') ? await race(browser, server.url, ES_SECOND, rounds, expected) : skip(ES_SECOND);
    if (only.has('bundle')) process.stderr.write(`CommonJS bundle, ${n} modules, ${rounds} rounds `);
    const bundled = only.has('bundle') ? await race(browser, server.url, BUNDLED, rounds, expected) : skip(BUNDLED);

    const modhostCjs = cjs.get('modhost define.use')!;
    const seajs = cjs.get('seajs 3 seajs.use')!;
    const syncXhr = cjs.get('sync XHR (article)')!;
    const modhostEs = es.get('modhost import')!;
    const nativeEs = es.get('native import()')!;
    const results = {
      chromium: version,
      modules: n,
      rounds,
      commonjs: Object.fromEntries([...cjs].map(([k, v]) => [k, { ...summarize(v), samples: v }])),
      es: Object.fromEntries([...es].map(([k, v]) => [k, { ...summarize(v), samples: v }])),
      esSecondLoad: Object.fromEntries([...es2].map(([k, v]) => [k, { ...summarize(v), samples: v }])),
      bundled: Object.fromEntries([...bundled].map(([k, v]) => [k, { ...summarize(v), samples: v }])),
      ratios: {
        seajsComboOverModhostBundle: pairedRatio(
          bundled.get('seajs combo file')!,
          bundled.get('modhost compiled bundle')!,
        ),
        seajsOverModhost: pairedRatio(seajs, modhostCjs),
        syncXhrOverModhost: pairedRatio(syncXhr, modhostCjs),
        modhostOverNativeES: pairedRatio(modhostEs, nativeEs),
        modhostCacheOverNativeSecondLoad: pairedRatio(
          es2.get('modhost import, compile cache')!,
          es2.get('native import(), second load')!,
        ),
      },
    };
    const lines = [
      `Chromium ${version}, ${n} modules, ${rounds} alternating rounds, cold loads over HTTP/1.1 from 127.0.0.1 ` +
        `(median ±MAD)`,
      'CommonJS graph:',
      ...[...cjs].map(([k, v]) => row(k, summarize(v))),
      `  seajs / modhost = ${results.ratios.seajsOverModhost.median.toFixed(2)}× (target ≥ 2), sync XHR / modhost ` +
        `= ${results.ratios.syncXhrOverModhost.median.toFixed(2)}× (above 1: modhost is faster)`,
      'ES graph:',
      ...[...es].map(([k, v]) => row(k, summarize(v))),
      `  modhost / native = ${results.ratios.modhostOverNativeES.median.toFixed(2)}× (target ≤ 1.05×)`,
      'ES graph, second load in the same context (modhost: compile cache in Cache Storage):',
      ...[...es2].map(([k, v]) => row(k, summarize(v))),
      `  modhost / native = ${results.ratios.modhostCacheOverNativeSecondLoad.median.toFixed(2)}× (target ≤ 0.9×)`,
      'CommonJS graph as one bundle (no module requests):',
      ...[...bundled].map(([k, v]) => row(k, summarize(v))),
      `  seajs / modhost = ${results.ratios.seajsComboOverModhostBundle.median.toFixed(2)}× (above 1: modhost is ` +
        `faster)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
