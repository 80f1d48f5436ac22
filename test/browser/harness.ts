/**
 * Shared setup of the browser tests: builds the browser bundles when they are missing or older
 * than the sources, launches the system Chromium with playwright-core, and serves pages with
 * scripts/serve.mjs on 127.0.0.1 (the bundles under /modhost/, fixtures under /, and any
 * in-memory files a test passes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** The repository root (this file runs from dist/test/browser/). */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(REPO, 'test', 'browser', 'fixtures');
export const BUNDLES = join(REPO, 'dist', 'browser');
export const CHROMIUM = process.env.MODHOST_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A fixed answer of the test server. */
export type Route = string | { body: string; type?: string; status?: number };

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** URL paths requested so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface ServeOptions {
  /** In-memory files by URL path (`/app/main.js` → text); `.html` answers as HTML, `.js` as JavaScript. */
  readonly files?: Record<string, Route>;
  readonly headers?: Record<string, string>;
  readonly headersFor?: (path: string) => Record<string, string> | undefined;
  readonly delayFor?: (path: string) => number | undefined;
  readonly handler?: (path: string) => Route | undefined;
  /** Extra mounts: URL prefix → directory. */
  readonly mounts?: Record<string, string>;
  /** Directory served at `/` (default: the fixtures). */
  readonly root?: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let bundlesChecked = false;

/** Builds dist/browser/ unless every bundle is newer than every file under src/. */
export function ensureBundles(): void {
  if (bundlesChecked) return;
  bundlesChecked = true;
  const outputs = ['modhost.browser.js', 'modhost.global.js', 'modhost.browser.min.js', 'modhost.global.min.js'].map(
    (f) => join(BUNDLES, f),
  );
  const fresh =
    outputs.every((f) => existsSync(f)) &&
    Math.min(...outputs.map((f) => statSync(f).mtimeMs)) > newestMtime(join(REPO, 'src'));
  if (fresh) return;
  // Built aside and renamed into place, so that test files starting in parallel never load a half-written bundle.
  const scratch = join(BUNDLES, `.build-${process.pid}`);
  const result = spawnSync(
    process.execPath,
    [join(REPO, 'scripts', 'build-browser.mjs'), '--quiet', '--outdir', scratch],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('scripts/build-browser.mjs failed');
  for (const file of readdirSync(scratch)) renameSync(join(scratch, file), join(BUNDLES, file));
  rmSync(scratch, { recursive: true, force: true });
}

/** Launches Chromium (after making sure the bundles exist); gives up after 30 s. */
export async function launchBrowser(): Promise<Browser> {
  ensureBundles();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/**
 * Starts Chromium and the test server together. If either cannot start, the other is closed
 * again (an open server would keep the test file alive for good) and the error says which.
 */
export async function launchWithServer(options: ServeOptions = {}): Promise<[Browser, TestServer]> {
  const [browser, server] = await Promise.allSettled([launchBrowser(), serve(options)]);
  if (browser.status === 'fulfilled' && server.status === 'fulfilled') return [browser.value, server.value];
  if (browser.status === 'fulfilled') await browser.value.close().catch(() => undefined);
  if (server.status === 'fulfilled') await server.value.close().catch(() => undefined);
  const failed = browser.status === 'rejected' ? browser : server.status === 'rejected' ? server : undefined;
  const reason: unknown = failed?.reason;
  const what =
    browser.status === 'rejected' ? `Chromium (${CHROMIUM}) could not start` : 'The test server could not start';
  throw new Error(`${what}: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
}

type StartServer = (options: Record<string, unknown>) => Promise<TestServer>;

/** Serves the fixtures, the bundles at /modhost/, and `options.files`. */
export async function serve(options: ServeOptions = {}): Promise<TestServer> {
  const module = (await import(pathToFileURL(join(REPO, 'scripts', 'serve.mjs')).href)) as { startServer: StartServer };
  const routes: Record<string, Route> = {
    '/favicon.ico': { body: '', type: 'image/x-icon', status: 204 },
    ...options.files,
  };
  return module.startServer({
    root: options.root ?? FIXTURES,
    mounts: { '/modhost/': BUNDLES, ...options.mounts },
    routes,
    headers: options.headers,
    headersFor: options.headersFor,
    delayFor: options.delayFor,
    handler: options.handler,
  });
}

/** A page in a fresh context (own HTTP cache and module map), with its console errors and page errors collected. */
export interface TestPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly errors: string[];
  readonly console: string[];
  close(): Promise<void>;
}

export async function openPage(browser: Browser, url?: string): Promise<TestPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const messages: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
  if (url !== undefined) await page.goto(url);
  return { page, context, errors, console: messages, close: () => context.close() };
}

/** A blank HTML page body with the given head content. */
export function html(head: string, body = ''): Route {
  return {
    type: 'text/html; charset=utf-8',
    body:
      `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" ` +
      `href="data:,">${head}</head><body>${body}</body></html>`,
  };
}
