/**
 * The browser host's resolve stage (**resolve** → load → translate → instantiate): module
 * specifiers resolved relative to the importing module and through the page's import map (the
 * HTML Standard's algorithms, ./import-map.ts). The map is the document's `<script
 * type="importmap">` elements in order, then the host's option, then maps added later; every
 * resolution is recorded, because merging a later map must not change what was resolved already.
 */
import { currentDocument, type ScriptElement } from './dom.js';
import {
  EMPTY_IMPORT_MAP,
  type ImportMap,
  mergeImportMaps,
  parseImportMap,
  type ResolvedModuleRecord,
  resolveModuleSpecifier,
  resolveURLLikeModuleSpecifier,
} from './import-map.js';

/** Options of {@link createBrowserResolver}. */
export interface BrowserResolverOptions {
  /** The URL top-level specifiers resolve against. */
  readonly baseURL: string;
  /** Read the document's `<script type="importmap">` elements (when there is a document). */
  readonly documentImportMaps: boolean;
  /** An import map applied after the document's (JSON text or its parsed object), with its base URL. */
  readonly importMap?: { readonly map: string | object; readonly baseURL: string } | undefined;
  /** Hears about rules dropped from import maps and maps that could not be used. */
  readonly warn: (message: string) => void;
}

export interface BrowserResolver {
  /** Resolves `specifier` as an import in the module at `parentURL` (default: the base URL). */
  resolve(specifier: string, parentURL?: string): string;
  /** Adds an import map (merged as the HTML Standard merges a later `<script type="importmap">`). */
  addImportMap(map: string | object, baseURL?: string): void;
  /** The current import map. */
  readonly importMap: ImportMap;
}

/** Creates the resolver of a browser host. */
export function createBrowserResolver(options: BrowserResolverOptions): BrowserResolver {
  const { baseURL, warn } = options;
  let importMap: ImportMap = EMPTY_IMPORT_MAP;
  const resolvedSet = new Map<string, ResolvedModuleRecord>();

  function addImportMap(map: string | object, mapBaseURL: string = baseURL): void {
    const parsed = parseImportMap(map, mapBaseURL, warn);
    importMap = mergeImportMaps(importMap, parsed, resolvedSet.values(), warn);
  }

  function resolve(specifier: string, parentURL: string = baseURL): string {
    const url = resolveModuleSpecifier(importMap, specifier, parentURL, parentURL === baseURL ? undefined : parentURL);
    const key = `${parentURL}\u0000${specifier}`;
    if (!resolvedSet.has(key)) {
      resolvedSet.set(key, {
        serializedBaseURL: parentURL,
        specifier,
        specifierAsURL: resolveURLLikeModuleSpecifier(specifier, parentURL),
      });
    }
    return url.href;
  }

  const doc = currentDocument();
  if (doc !== undefined && options.documentImportMaps) {
    const scripts = doc.querySelectorAll('script[type="importmap"]');
    for (let i = 0; i < scripts.length; i++) {
      const script: ScriptElement | undefined = scripts[i];
      if (script === undefined) continue;
      if (script.getAttribute('src') !== null) {
        warn('External import maps (<script type="importmap" src>) are not supported; inline the map');
        continue;
      }
      try {
        addImportMap(script.textContent ?? '', doc.baseURI);
      } catch (error) {
        // A page's broken map is reported, as browsers report it, and does not stop the host.
        warn(`Ignoring an invalid <script type="importmap">: ${(error as Error).message}`);
      }
    }
  }
  if (options.importMap !== undefined) addImportMap(options.importMap.map, options.importMap.baseURL);

  return {
    resolve,
    addImportMap,
    get importMap() {
      return importMap;
    },
  };
}
