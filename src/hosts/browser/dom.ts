/**
 * The few DOM interfaces the browser host touches, declared here because the project compiles
 * against ES2023 + Node types only (adding `lib: dom` would change every other file's globals).
 * Each accessor returns `undefined` outside a window (workers, Node), so callers degrade instead
 * of throwing ReferenceErrors.
 */

/** A `<script>` element, as far as the host uses it. */
export interface ScriptElement {
  src: string;
  type: string;
  async: boolean;
  textContent: string | null;
  getAttribute(name: string): string | null;
  addEventListener(type: 'load' | 'error', listener: () => void): void;
  removeEventListener(type: 'load' | 'error', listener: () => void): void;
  remove(): void;
}

/** `document`, as far as the host uses it. */
export interface MinimalDocument {
  readonly baseURI: string;
  readonly currentScript: ScriptElement | null;
  readonly head: { appendChild(node: ScriptElement): unknown } | null;
  readonly documentElement: { appendChild(node: ScriptElement): unknown };
  querySelectorAll(selector: string): ArrayLike<ScriptElement>;
  createElement(tag: 'script'): ScriptElement;
}

/** A synchronous XMLHttpRequest, as far as the legacy CommonJS fallback uses it. */
export interface MinimalXMLHttpRequest {
  open(method: string, url: string, async: boolean): void;
  send(): void;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  overrideMimeType?(mime: string): void;
}

interface BrowserGlobals {
  document?: MinimalDocument;
  location?: { readonly href: string };
  XMLHttpRequest?: new () => MinimalXMLHttpRequest;
}

const globals = globalThis as unknown as BrowserGlobals;

/** The window's document, if there is one. */
export function currentDocument(): MinimalDocument | undefined {
  return typeof globals.document === 'object' && globals.document !== null ? globals.document : undefined;
}

/** The URL relative references resolve against by default: the document's base URL, else the global's location. */
export function defaultBaseURL(): string | undefined {
  const doc = currentDocument();
  if (doc !== undefined) return doc.baseURI;
  return globals.location?.href;
}

/** The XMLHttpRequest constructor, if the global has one. */
export function xmlHttpRequestConstructor(): (new () => MinimalXMLHttpRequest) | undefined {
  return typeof globals.XMLHttpRequest === 'function' ? globals.XMLHttpRequest : undefined;
}

const scriptLoads = new Map<string, Promise<boolean>>();

/**
 * Adds `<script src="url" async>` to the page once per URL (compiled mode): resolves true when it
 * loaded, false when the request failed (the element is removed and the URL forgotten, so a later
 * call tries again). undefined when there is no document.
 */
export function loadClassicScript(url: string): Promise<boolean> | undefined {
  let pending = scriptLoads.get(url);
  if (pending !== undefined) return pending;
  const doc = currentDocument();
  if (doc === undefined) return undefined;
  pending = new Promise<boolean>((resolve) => {
    const script: ScriptElement = doc.createElement('script');
    const settle = (ok: boolean) => () => {
      script.removeEventListener('load', onLoad);
      script.removeEventListener('error', onError);
      if (!ok) {
        script.remove();
        scriptLoads.delete(url);
      }
      resolve(ok);
    };
    const onLoad = settle(true);
    const onError = settle(false);
    script.addEventListener('load', onLoad);
    script.addEventListener('error', onError);
    script.async = true;
    script.src = url;
    (doc.head ?? doc.documentElement).appendChild(script);
  });
  scriptLoads.set(url, pending);
  return pending;
}
