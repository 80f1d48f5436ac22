/**
 * A {@link CommonJSLoader} for browsers. The runtime's `require` is synchronous, and a browser can
 * only read a URL synchronously with a blocking XMLHttpRequest, so this loader works ahead of
 * time: `prefetch(uri)` fetches text (with `fetch`, in parallel) and keeps it, and `read(uri)` —
 * the runtime's synchronous read — hands out what was fetched. A URI nobody fetched fails with
 * ERR_MODHOST_NOT_PREFETCHED (pointing at `require.async`), unless the legacy synchronous-XHR
 * fallback is switched on. A fetch that failed (404, network) is remembered until the next
 * attempt, so `require` reports it with the URL and the HTTP status.
 *
 * Resolution is lexical (no file probing over the network): relative ids against the requiring
 * module, `/x` against its origin, absolute URLs as they are, top-level ids through `alias`, then
 * against the first root (the page or a configured base). `.js` is appended unless the last
 * segment ends in `.js`, `.json`, `.cjs` or `.mjs`, or the id has a query or fragment; an id
 * ending in `/` (and `.` / `..`) means its `index.js`.
 */
import type { CommonJSLoader } from '../../commonjs/loader.js';
import { createError } from '../../errors/codes.js';
import { type CompiledCommonJSModule, compiledModule } from './compiled.js';
import { defaultBaseURL, loadClassicScript, xmlHttpRequestConstructor } from './dom.js';
import { createCommonJSEvaluator, type EvaluationMode } from './evaluator.js';
import { type FetchFunction, fetchModuleText, globalFetch } from './fetch-text.js';

/** Options of {@link createBrowserLoader}. */
export interface BrowserLoaderOptions {
  /**
   * The URL host-level relative ids (and, without roots, top-level ids) resolve against. Default:
   * the document's base URL.
   */
  readonly base?: string;
  /** Top-level ids mapped to URLs (or URL references resolved against `base`), before roots are tried. */
  readonly alias?: Readonly<Record<string, string>>;
  /** The fetch to use (default: the global fetch). */
  readonly fetch?: FetchFunction;
  /**
   * Legacy fallback: a module required synchronously that was not fetched ahead of time is read
   * with a synchronous XMLHttpRequest (blocking the page, as the CommonJS article's loader does). Default false.
   */
  readonly syncXhr?: boolean;
  /** What `read` does for a URI whose fetch failed: `'throw'` (default) a clear MODULE_NOT_FOUND, or return `null`. */
  readonly onMissing?: 'throw' | 'null';
  /** `'eval'` (default) or `'compiled'`: modules must be precompiled and unregistered ones load with `<script src>`. */
  readonly evaluation?: EvaluationMode;
}

/** Why a URI has no text. */
export interface FetchFailure {
  readonly status: number;
  readonly error: Error;
}

/** The browser loader's extra surface. */
export interface BrowserLoader extends CommonJSLoader {
  /**
   * Fetches `uri` unless its text is already here; resolves to the text, or `null` after recording
   * the failure. Never rejects.
   */
  prefetch(uri: string): Promise<string | null>;
  /** The text `prefetch(uri)` would give without the network (fetched or compiled), if any. */
  peek(uri: string): string | undefined;
  /** True when `read(uri)` would answer without the network. */
  has(uri: string): boolean;
  /** The recorded failure for `uri`, if its last fetch failed. */
  failure(uri: string): FetchFailure | undefined;
  /** Counters for tests and benchmarks. */
  readonly stats: { fetches: number; syncRequests: number };
}

const KNOWN_EXTENSION = /\.(?:js|json|cjs|mjs)$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** The id with `.js` (or `index.js`) added as described above. */
export function addDefaultExtension(id: string): string {
  if (id.includes('?') || id.includes('#')) return id;
  if (id === '.' || id === '..') return `${id}/index.js`;
  if (id.endsWith('/')) return `${id}index.js`;
  const lastSegment = id.slice(id.lastIndexOf('/') + 1);
  return KNOWN_EXTENSION.test(lastSegment) ? id : `${id}.js`;
}

function isRelative(id: string): boolean {
  return id === '.' || id === '..' || id.startsWith('./') || id.startsWith('../');
}

const placeholders = new WeakMap<CompiledCommonJSModule, string>();

/**
 * Text that stands for a compiled CommonJS module (it is never evaluated): it classifies as the
 * right wrapper form and, with `withRequires`, names the literal requires for the runtime's
 * `require.async` prefetch scan.
 */
function placeholderText(entry: CompiledCommonJSModule, withRequires: boolean): string {
  if (!withRequires) return entry.form === 'define' ? 'define(0)' : '';
  let text = placeholders.get(entry);
  if (text === undefined) {
    const requires = entry.requires.map((id) => `require(${JSON.stringify(id)});`).join('');
    text = entry.form === 'define' ? `define(function(require){${requires}})` : requires;
    placeholders.set(entry, text);
  }
  return text;
}

/**
 * Creates a browser loader.
 *
 * @example
 * const loader = createBrowserLoader({ base: 'https://example.com/app/' });
 * await loader.prefetch(loader.resolve('./main', null, [])!);
 */
export function createBrowserLoader(options: BrowserLoaderOptions = {}): BrowserLoader {
  const base = options.base ?? defaultBaseURL();
  if (base === undefined)
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'createBrowserLoader: there is no document; pass options.base');
  const baseURL: string = base;
  const fetchFn = options.fetch ?? globalFetch();
  const evaluation: EvaluationMode = options.evaluation ?? 'eval';
  const missingReturnsNull = options.onMissing === 'null';
  const texts = new Map<string, string>();
  const failures = new Map<string, FetchFailure>();
  const inflight = new Map<string, Promise<string | null>>();
  /** The first (id, requirer) that resolved to a URI: for messages about it. */
  const requestedAs = new Map<string, { id: string; parent: string | null }>();
  const stats = { fetches: 0, syncRequests: 0 };

  function describe(uri: string): string {
    const asked = requestedAs.get(uri);
    if (asked === undefined) return uri;
    return `'${asked.id}' (${uri})${asked.parent === null ? '' : ` required from ${asked.parent}`}`;
  }

  /**
   * (requiring directory or base, first root, id) → URI: `define.use`'s prefetch and the runtime
   * resolve every edge, once each here.
   */
  const resolved = new Map<string, string>();

  function resolve(id: string, parent: string | null, roots: readonly string[]): string | null {
    const from = parent === null ? '' : parent.slice(0, parent.lastIndexOf('/') + 1);
    const root = roots[0];
    const key = `${from}\u0000${root ?? ''}\u0000${id}`;
    const hit = resolved.get(key);
    if (hit !== undefined) return hit;
    let uri: string;
    try {
      const aliased = options.alias?.[id];
      if (aliased !== undefined) uri = new URL(aliased, baseURL).href;
      else if (isRelative(id) || id.startsWith('/')) uri = new URL(addDefaultExtension(id), parent ?? baseURL).href;
      else if (SCHEME.test(id)) uri = new URL(addDefaultExtension(id)).href;
      else uri = new URL(addDefaultExtension(id), root === undefined ? baseURL : new URL(root, baseURL).href).href;
    } catch {
      return null;
    }
    if (!requestedAs.has(uri)) requestedAs.set(uri, { id, parent });
    resolved.set(key, uri);
    return uri;
  }

  function compiledText(uri: string, withRequires = true): string | undefined {
    const entry = compiledModule(uri);
    if (entry === undefined) return undefined;
    if (entry.kind === 'json') return entry.text;
    if (entry.kind === 'cjs') return placeholderText(entry, withRequires);
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `${uri} was compiled as an ES module; require() loads CommonJS modules`,
      { url: uri },
    );
  }

  function notFound(uri: string, failure: FetchFailure): Error {
    const asked = requestedAs.get(uri);
    return createError(
      'MODULE_NOT_FOUND',
      `Cannot find module ${describe(uri)}: ` +
        `${failure.error.message.replace(/^Cannot load module \S+( imported from \S+)?: /, '')}`,
      {
        url: uri,
        specifier: asked?.id,
        referrer: asked?.parent ?? undefined,
        status: failure.status,
        cause: failure.error,
      },
    );
  }

  async function fetchText(uri: string): Promise<string | null> {
    try {
      if (evaluation === 'compiled' && !uri.endsWith('.json')) {
        const ok = await (loadClassicScript(uri) ?? false);
        const text = ok ? compiledText(uri) : undefined;
        if (text === undefined) {
          const error = ok
            ? createError(
                'ERR_MODHOST_EVAL_BLOCKED',
                `${uri} loaded as a script but registered no compiled module; run \`modhost compile\` on it`,
                { url: uri },
              )
            : createError(
                'ERR_MODULE_NOT_FOUND',
                `Cannot load module ${uri}: the <script> request failed (HTTP error status or network error)`,
                { url: uri, status: 0 },
              );
          failures.set(uri, { status: 0, error });
          return null;
        }
        return text;
      }
      stats.fetches += 1;
      const fetched = await fetchModuleText(fetchFn, uri, { expected: 'any' });
      texts.set(uri, fetched.text);
      failures.delete(uri);
      return fetched.text;
    } catch (error) {
      const status =
        typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 0;
      failures.set(uri, { status, error: error as Error });
      return null;
    }
  }

  function syncRequest(uri: string): string | null {
    const XHR = xmlHttpRequestConstructor();
    if (XHR === undefined)
      throw createError(
        'ERR_MODHOST_NOT_PREFETCHED',
        `Cannot read ${describe(uri)} synchronously: this environment has no XMLHttpRequest`,
        { url: uri },
      );
    stats.syncRequests += 1;
    const xhr = new XHR();
    try {
      xhr.open('GET', uri, false);
      xhr.send();
    } catch (cause) {
      failures.set(uri, {
        status: 0,
        error: createError(
          'ERR_MODULE_NOT_FOUND',
          `Cannot load module ${uri}: network error (${(cause as Error).message})`,
          { url: uri, status: 0, cause },
        ),
      });
      return null;
    }
    if (xhr.status < 200 || xhr.status > 299) {
      failures.set(uri, {
        status: xhr.status,
        error: createError(
          'ERR_MODULE_NOT_FOUND',
          `Cannot load module ${uri}: HTTP ${xhr.status}${xhr.statusText ? ` ${xhr.statusText}` : ''}`,
          { url: uri, status: xhr.status },
        ),
      });
      return null;
    }
    texts.set(uri, xhr.responseText);
    return xhr.responseText;
  }

  const loader: BrowserLoader = {
    resolve,
    read(uri) {
      const text = texts.get(uri) ?? compiledText(uri, false);
      if (text !== undefined) return text;
      let failure = failures.get(uri);
      if (failure === undefined) {
        if (options.syncXhr !== true) {
          const asked = requestedAs.get(uri);
          throw createError(
            'ERR_MODHOST_NOT_PREFETCHED',
            `Cannot require ${describe(uri)} synchronously: it was not loaded ahead of time. ` +
              "Only literal require('…') ids are fetched before a module runs; load computed ids with " +
              'require.async(id, callback), or enable the synchronous-XHR fallback (syncXhr: true)',
            { url: uri, specifier: asked?.id, referrer: asked?.parent ?? undefined },
          );
        }
        const fetched = evaluation === 'compiled' ? null : syncRequest(uri);
        if (fetched !== null) return fetched;
        failure = failures.get(uri);
        if (failure === undefined) {
          throw createError(
            'ERR_MODHOST_EVAL_BLOCKED',
            `Cannot require ${describe(uri)} synchronously in compiled mode: load it with require.async or ` +
              `include its compiled script`,
            { url: uri },
          );
        }
      }
      if (missingReturnsNull) return null;
      throw notFound(uri, failure);
    },
    readAsync(uri) {
      return loader.prefetch(uri);
    },
    prefetch(uri) {
      const known = texts.get(uri) ?? compiledText(uri);
      if (known !== undefined) return Promise.resolve(known);
      let pending = inflight.get(uri);
      if (pending === undefined) {
        pending = fetchText(uri);
        inflight.set(uri, pending);
        void pending.then(() => inflight.delete(uri));
      }
      return pending;
    },
    has: (uri) => texts.has(uri) || compiledModule(uri) !== undefined,
    peek: (uri) => texts.get(uri) ?? compiledText(uri),
    failure: (uri) => failures.get(uri),
    evaluator: createCommonJSEvaluator(evaluation),
    stats,
  };
  return loader;
}
