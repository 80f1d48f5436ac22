/**
 * The browser host's load stage (resolve → **load** → translate → instantiate): a URL becomes
 * the module's source, fetched (with the import map's integrity, and the MIME check browsers apply
 * to module scripts) or taken from the precompiled modules a page registered (`modhost compile`).
 * In 'compiled' evaluation mode, a JavaScript module nobody registered yet is loaded with a
 * `<script src>` element, which registers it.
 */
import { createError } from '../../errors/codes.js';
import { type CompiledESModule, compiledModule } from './compiled.js';
import { loadClassicScript } from './dom.js';
import type { EvaluationMode } from './evaluator.js';
import { type FetchedText, type FetchFunction, fetchModuleText } from './fetch-text.js';

/** The import being loaded, for error messages. */
export interface BrowserLoadContext {
  readonly specifier?: string | undefined;
  readonly referrer?: string | undefined;
}

/** A JavaScript module's source: precompiled, or fetched text and the URL it came from. */
export type LoadedJavaScript =
  | { readonly kind: 'compiled'; readonly url: string; readonly entry: CompiledESModule }
  | { readonly kind: 'text'; readonly text: string; readonly responseURL: string };

/** Options of {@link createBrowserLoad}. */
export interface BrowserLoadParts {
  readonly fetch: FetchFunction;
  readonly evaluation: EvaluationMode;
  /** Check Content-Type as browsers do for module scripts. */
  readonly strictMimeTypes: boolean;
  /** The import map's integrity metadata for `url`, if any. */
  integrityOf(url: string): string | undefined;
}

export interface BrowserLoad {
  javascript(url: string, context: BrowserLoadContext): Promise<LoadedJavaScript>;
  /**
   * Starts fetching JavaScript modules ahead (the compile cache's list of the last load's
   * modules): a later `javascript(url)` takes the text from here. A failed prefetch is forgotten,
   * so the real fetch fails again with the specifier and the importer in its error.
   */
  prefetch(urls: readonly string[]): void;
  /** Forgets prefetched texts nobody asked for (after a top-level import settles). */
  clearPrefetched(): void;
  /** A JSON module's text (precompiled or fetched). */
  json(url: string, context: BrowserLoadContext): Promise<string>;
  /** Any response's text (no MIME check), for `with { type: 'text' }`. */
  text(url: string, context: BrowserLoadContext): Promise<{ readonly text: string; readonly responseURL: string }>;
  /** A `.wasm` URL, compiled (WebAssembly.compile). */
  wasm(url: string, context: BrowserLoadContext): Promise<{ readonly module: object; readonly responseURL: string }>;
}

/** Loads a compiled module's script (compiled mode), or rejects naming the URL and the importer. */
async function loadCompiledScript(url: string, referrer: string | undefined): Promise<void> {
  const pending = loadClassicScript(url);
  if (pending === undefined) {
    throw createError(
      'ERR_MODHOST_EVAL_BLOCKED',
      `Cannot load compiled module ${url}: there is no document to add a <script> to`,
      { url },
    );
  }
  if (!(await pending)) {
    throw createError(
      'ERR_MODULE_NOT_FOUND',
      `Cannot load compiled module ${url}${referrer ? ` imported from ${referrer}` : ''}: ` +
        'the <script> request failed (HTTP error status or network error)',
      { url, referrer },
    );
  }
}

/** Creates the load stage of a browser host. */
export function createBrowserLoad(parts: BrowserLoadParts): BrowserLoad {
  const { evaluation, strictMimeTypes } = parts;
  const fetchFn = parts.fetch;
  /** Texts fetched ahead, by URL. */
  const prefetched = new Map<string, Promise<FetchedText | undefined>>();

  function prefetch(urls: readonly string[]): void {
    for (const url of urls) {
      if (prefetched.has(url) || compiledModule(url) !== undefined) continue;
      prefetched.set(
        url,
        fetchModuleText(fetchFn, url, {
          integrity: parts.integrityOf(url),
          strictMimeTypes,
          expected: 'javascript',
        }).catch(() => undefined),
      );
    }
  }

  async function javascript(url: string, context: BrowserLoadContext): Promise<LoadedJavaScript> {
    let entry = compiledModule(url);
    if (entry === undefined && evaluation === 'compiled') {
      await loadCompiledScript(url, context.referrer);
      entry = compiledModule(url);
      if (entry === undefined) {
        throw createError(
          'ERR_MODHOST_EVAL_BLOCKED',
          `${url}${context.referrer ? ` (imported from ${context.referrer})` : ''} loaded as a script but registered ` +
            'no compiled module; run `modhost compile` on it and serve the output',
          { url, specifier: context.specifier, referrer: context.referrer },
        );
      }
    }
    if (entry !== undefined) {
      if (entry.kind !== 'esm') {
        throw createError(
          'ERR_MODHOST_INVALID_ARGUMENT',
          `${url} was compiled as ${entry.kind === 'cjs' ? 'a CommonJS module' : 'JSON'}, not as an ES module`,
          { url },
        );
      }
      return { kind: 'compiled', url, entry };
    }
    const early = prefetched.get(url);
    if (early !== undefined) prefetched.delete(url);
    const fetched =
      (early === undefined ? undefined : await early) ??
      (await fetchModuleText(fetchFn, url, {
        specifier: context.specifier,
        referrer: context.referrer,
        integrity: parts.integrityOf(url),
        strictMimeTypes,
        expected: 'javascript',
      }));
    return { kind: 'text', text: fetched.text, responseURL: fetched.responseURL };
  }

  async function json(url: string, context: BrowserLoadContext): Promise<string> {
    const entry = compiledModule(url);
    if (entry !== undefined && entry.kind === 'json') return entry.text;
    const fetched = await fetchModuleText(fetchFn, url, {
      specifier: context.specifier,
      referrer: context.referrer,
      integrity: parts.integrityOf(url),
      strictMimeTypes,
      expected: 'json',
    });
    return fetched.text;
  }

  async function text(url: string, context: BrowserLoadContext) {
    const fetched = await fetchModuleText(fetchFn, url, {
      specifier: context.specifier,
      referrer: context.referrer,
      integrity: parts.integrityOf(url),
      strictMimeTypes: false,
      expected: 'any',
    });
    return { text: fetched.text, responseURL: fetched.responseURL };
  }

  async function wasm(url: string, context: BrowserLoadContext) {
    const webAssembly = (globalThis as { WebAssembly?: { compile(bytes: ArrayBuffer): Promise<object> } }).WebAssembly;
    const response = (await fetchFn(url, { credentials: 'same-origin', mode: 'cors' })) as Awaited<
      ReturnType<FetchFunction>
    > & { arrayBuffer?(): Promise<ArrayBuffer> };
    if (!response.ok || typeof response.arrayBuffer !== 'function' || webAssembly === undefined) {
      throw createError(
        'ERR_MODULE_NOT_FOUND',
        `Cannot load WebAssembly module ${url}${context.referrer ? ` imported from ${context.referrer}` : ''} ` +
          `(HTTP ${response.status})`,
        { url, specifier: context.specifier, referrer: context.referrer, status: response.status },
      );
    }
    const module = await webAssembly.compile(await response.arrayBuffer());
    return { module, responseURL: response.url || url };
  }

  return { javascript, prefetch, clearPrefetched: () => prefetched.clear(), json, text, wasm };
}
