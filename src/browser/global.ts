/**
 * Entry point of the classic-script build (`dist/browser/modhost.global.js`). Including it
 * defines:
 *
 * - `modhost`: the ES-module API (ModuleSource, Module, importModule, install, createBrowserHost,
 *   createBrowserCommonJS, …), plus `modhost.config(options)`, `modhost.import(specifier)` (through
 *   a page-wide browser host created on first use) and `modhost.commonjs` / `modhost.host`;
 * - `define`, for CommonJS pages: `define.use(id)` loads and runs the main module (the CommonJS article's
 *   entry point). An existing `define` (an AMD loader's) is left alone; `modhost.define` is the same function.
 *
 * The script's own `data-*` attributes configure it, so pages whose Content-Security-Policy
 * forbids inline scripts need no inline code:
 * `data-main` (CommonJS main module, run by define.use once the DOM is parsed),
 * `data-import` (ES module imported through the page host), `data-base`, `data-evaluation`
 * (`eval` | `compiled`), `data-on-missing` (`throw` | `null`), `data-sync-xhr` (present: enable).
 */

import { createError } from '../errors/codes.js';
import type { BrowserCommonJS, BrowserCommonJSOptions } from '../hosts/browser/commonjs.js';
import { currentDocument } from '../hosts/browser/dom.js';
import type { BrowserHost, BrowserHostOptions } from '../hosts/browser/host.js';
import * as api from './index.js';

/** What `modhost.config` accepts: the CommonJS options and the ES host options. */
export type GlobalConfig = BrowserCommonJSOptions &
  Pick<BrowserHostOptions, 'importMap' | 'strictMimeTypes' | 'onWarning' | 'compileCache'>;

let settings: GlobalConfig = {};
let commonjs: BrowserCommonJS | undefined;
let host: BrowserHost | undefined;

function pageCommonJS(): BrowserCommonJS {
  commonjs ??= api.createBrowserCommonJS(settings);
  return commonjs;
}

function pageHost(): BrowserHost {
  if (host === undefined) {
    const options: BrowserHostOptions = {};
    if (settings.evaluation !== undefined) options.evaluation = settings.evaluation;
    if (settings.fetch !== undefined) options.fetch = settings.fetch;
    if (settings.importMap !== undefined) options.importMap = settings.importMap;
    if (settings.strictMimeTypes !== undefined) options.strictMimeTypes = settings.strictMimeTypes;
    if (settings.onWarning !== undefined) options.onWarning = settings.onWarning;
    if (settings.compileCache !== undefined) options.compileCache = settings.compileCache;
    host = api.createBrowserHost(options);
  }
  return host;
}

/** The page `define`: forwards to the page's CommonJS runtime, created on first use. */
const define = function define(...args: unknown[]): void {
  pageCommonJS().define(...args);
} as api.BrowserDefine;
Object.defineProperty(define, 'cmd', { value: Object.freeze({}), enumerable: true });
Object.defineProperty(define, 'use', {
  value: (ids: string | readonly string[], callback?: (...exports: unknown[]) => void) =>
    pageCommonJS().use(ids, callback),
  enumerable: true,
});

const modhost = {
  ...api,
  define,
  /**
   * Sets options for the page's CommonJS runtime and ES host (base, alias, onMissing, globals,
   * syncXhr, evaluation, importMap, …). Must run before the first `define.use` / `modhost.import`.
   */
  config(options: GlobalConfig): GlobalConfig {
    if (commonjs !== undefined || host !== undefined) {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        'modhost.config() must be called before the first define.use() or modhost.import()',
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'modhost.config() takes an options object');
    }
    settings = { ...settings, ...options };
    return settings;
  },
  /** Imports an ES module through the page's browser host. */
  import(specifier: string): Promise<api.ModuleNamespace> {
    return pageHost().import(specifier);
  },
  get commonjs(): BrowserCommonJS {
    return pageCommonJS();
  },
  get host(): BrowserHost {
    return pageHost();
  },
  /** What `data-main` / `data-import` started, if anything. */
  main: undefined as Promise<unknown> | undefined,
};

const g = globalThis as { modhost?: typeof modhost; define?: unknown };
g.modhost = modhost;
if (g.define === undefined) g.define = define;
api.installCompiledQueue();

// Configuration from the including <script>'s data attributes.
const script = currentDocument()?.currentScript ?? null;
if (script !== null) {
  const attr = (name: string): string | null => script.getAttribute(`data-${name}`);
  const fromAttributes: GlobalConfig = {};
  const base = attr('base');
  if (base !== null) (fromAttributes as { base?: string }).base = base;
  const evaluation = attr('evaluation');
  if (evaluation === 'eval' || evaluation === 'compiled')
    (fromAttributes as { evaluation?: string }).evaluation = evaluation;
  const onMissing = attr('on-missing');
  if (onMissing === 'throw' || onMissing === 'null') (fromAttributes as { onMissing?: string }).onMissing = onMissing;
  if (attr('sync-xhr') !== null) (fromAttributes as { syncXhr?: boolean }).syncXhr = true;
  settings = fromAttributes;
  const main = attr('main');
  const entry = attr('import');
  if (main !== null || entry !== null) {
    const doc = currentDocument();
    // As the CommonJS article's page does with window.onload: run once the document is parsed.
    const ready =
      doc !== undefined && (doc as unknown as { readyState?: string }).readyState === 'loading'
        ? new Promise<void>((resolve) =>
            (doc as unknown as { addEventListener(t: string, f: () => void): void }).addEventListener(
              'DOMContentLoaded',
              () => resolve(),
            ),
          )
        : Promise.resolve();
    modhost.main = ready.then(() => (main !== null ? define.use(main) : modhost.import(entry as string)));
  }
}
