/**
 * Fetching module text over HTTP(S) with errors that name the URL, the importing module and the
 * HTTP status, and the MIME type check browsers apply to module scripts.
 */
import { createError } from '../../errors/codes.js';

/** What a successful fetch gives. */
export interface FetchedText {
  /** The URL the text came from after redirects (the module's base URL, as in HTML). */
  readonly responseURL: string;
  readonly text: string;
  /** The Content-Type header ('' when absent). */
  readonly contentType: string;
}

/** The kinds of module a response may be checked against. */
export type ExpectedKind = 'javascript' | 'json' | 'any';

/** The `fetch` the hosts call (the global one by default; tests and service-worker-less setups inject their own). */
export type FetchFunction = (
  input: string,
  init?: {
    credentials?: 'omit' | 'same-origin' | 'include';
    mode?: 'cors' | 'same-origin' | 'no-cors';
    integrity?: string;
  },
) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** Context for error messages. */
export interface FetchContext {
  readonly specifier?: string | undefined;
  readonly referrer?: string | undefined;
  readonly integrity?: string | undefined;
  /** Check the Content-Type as browsers do for module scripts (default true). */
  readonly strictMimeTypes?: boolean;
  readonly expected: ExpectedKind;
}

// The MIME Sniffing Standard's "JavaScript MIME type essence match" list.
const JAVASCRIPT_ESSENCES = new Set([
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
]);

/** The essence (type/subtype, lower case) of a Content-Type header value. */
export function mimeEssence(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/** A JSON MIME type: `application/json`, `text/json`, or any subtype ending in `+json`. */
export function isJsonMime(essence: string): boolean {
  return (
    essence === 'application/json' || essence === 'text/json' || (essence.includes('/') && essence.endsWith('+json'))
  );
}

/** A JavaScript MIME type essence. */
export function isJavaScriptMime(essence: string): boolean {
  return JAVASCRIPT_ESSENCES.has(essence);
}

function importedFrom(context: { referrer?: string | undefined }): string {
  return context.referrer === undefined ? '' : ` imported from ${context.referrer}`;
}

/** The global fetch, bound (calling an unbound `fetch` throws "Illegal invocation" in browsers). */
export function globalFetch(): FetchFunction {
  const f = (globalThis as { fetch?: FetchFunction }).fetch;
  if (typeof f !== 'function') {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'This environment has no global fetch; pass options.fetch to the browser host',
    );
  }
  return f.bind(globalThis);
}

/**
 * Fetches `url` and returns its text.
 *
 * @throws ERR_MODULE_NOT_FOUND (with `url`, `status`; 0 for a network error) when the request
 * fails or answers outside 200-299; ERR_MODHOST_MIME_TYPE when the Content-Type does not fit.
 */
export async function fetchModuleText(fetch: FetchFunction, url: string, context: FetchContext): Promise<FetchedText> {
  const fields = { url, specifier: context.specifier, referrer: context.referrer };
  let response: Awaited<ReturnType<FetchFunction>>;
  try {
    const init: Parameters<FetchFunction>[1] = { credentials: 'same-origin', mode: 'cors' };
    if (context.integrity !== undefined) init.integrity = context.integrity;
    response = await fetch(url, init);
  } catch (cause) {
    throw createError(
      'ERR_MODULE_NOT_FOUND',
      `Cannot load module ${url}${importedFrom(context)}: network error ` +
        `(${(cause as Error)?.message ?? String(cause)})`,
      { ...fields, status: 0, cause },
    );
  }
  if (!response.ok) {
    throw createError(
      'ERR_MODULE_NOT_FOUND',
      `Cannot load module ${url}${importedFrom(context)}: HTTP ` +
        `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      { ...fields, status: response.status },
    );
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (context.strictMimeTypes !== false && context.expected !== 'any') {
    const essence = mimeEssence(contentType);
    const fits = context.expected === 'json' ? isJsonMime(essence) : isJavaScriptMime(essence);
    if (!fits) {
      const wanted =
        context.expected === 'json'
          ? 'a JSON MIME type (application/json)'
          : 'a JavaScript MIME type (text/javascript)';
      throw createError(
        'ERR_MODHOST_MIME_TYPE',
        `Cannot load module ${url}${importedFrom(context)}: the server answered with MIME type ` +
          `"${essence || '(none)'}", expected ${wanted}`,
        { ...fields, contentType },
      );
    }
  }
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    throw createError(
      'ERR_MODULE_NOT_FOUND',
      `Cannot load module ${url}${importedFrom(context)}: the response body could not be read`,
      { ...fields, status: response.status, cause },
    );
  }
  return { responseURL: response.url || url, text, contentType };
}
