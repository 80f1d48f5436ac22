/**
 * Stages 1 and 2 of the Node host's loader (./loader.ts) through the user's hook chains
 * (../hooks/chain.ts, in the shape of Node's `module.registerHooks({ resolve, load })`): the
 * chains' last `nextResolve` / `nextLoad` is the host's own resolution and loading, and what the
 * hooks answer is turned into what the next stage takes. A loader without hooks never calls these.
 */
import { createError } from '../../errors/codes.js';
import type { HookChains, LoadedByHooks, LoadHookResult, MaybePromise, ResolveHookResult } from '../hooks/chain.js';
import { isThenable } from '../hooks/chain.js';
import type { ImportAttributes } from './import-attributes.js';
import { type LoadedFormat, type LoadedModule, type NodeLoad, readModuleText } from './load.js';
import type { ModuleFormat } from './resolve.js';

/** The formats a load hook may answer with (Node's, with TypeScript's). */
const FORMATS = new Set<string>([
  'module',
  'commonjs',
  'module-typescript',
  'commonjs-typescript',
  'json',
  'wasm',
  'builtin',
]);

/** A request as the hooks see it. */
export interface HookedRequest {
  readonly specifier: string;
  readonly parentURL: string | undefined;
  readonly attributes: ImportAttributes;
  /** Names a caller that needs the answer now: an asynchronous hook is then an error. */
  readonly syncFor: string | undefined;
}

/** A resolution: URL, format, and the attributes a hook gave (they replace the request's). */
export interface HookedResolution {
  readonly url: string;
  readonly format: ModuleFormat;
  readonly attributes: ImportAttributes | undefined;
}

/** Stage 1 through the resolve hooks; their default step is `defaultResolve`. */
export function resolveThroughHooks(
  hooks: HookChains,
  conditions: readonly string[],
  defaultResolve: (specifier: string, parentURL: string | undefined) => { url: string; format: ModuleFormat },
  request: HookedRequest,
): MaybePromise<HookedResolution> {
  const result = hooks.resolve(
    request.specifier,
    { parentURL: request.parentURL, conditions: [...conditions], importAttributes: { ...request.attributes } },
    (s, c): ResolveHookResult => {
      const found = defaultResolve(s, c.parentURL);
      return { url: found.url, format: found.format };
    },
    { syncFor: request.syncFor },
  );
  const resolution = (r: ResolveHookResult): HookedResolution => ({
    url: r.url,
    format: r.format as ModuleFormat,
    attributes: r.importAttributes,
  });
  return isThenable(result) ? (result as Promise<ResolveHookResult>).then(resolution) : resolution(result);
}

/** A module to load through the load hooks. */
export interface HookedLoadRequest {
  readonly url: string;
  /** The format resolution gave (what the hooks see as `context.format`). */
  readonly format: string | undefined;
  readonly attributes: ImportAttributes;
  /** For error messages: the specifier as written and the importing module. */
  readonly specifier: string | undefined;
  readonly referrer: string | undefined;
  readonly syncFor: string | undefined;
}

/** What the loader knows that the load hooks' answers need. */
export interface HookedLoadParts {
  /** Export conditions of `import` requests. */
  readonly conditions: readonly string[];
  /** The format of an ambiguous text, by its syntax (an answer without `format`). */
  detectFormat(url: string, text: string): 'module' | 'commonjs';
}

/** Stage 2 through the load hooks; their default step is the host's own load. */
export function loadThroughHooks(
  hooks: HookChains,
  load: NodeLoad,
  parts: HookedLoadParts,
  request: HookedLoadRequest,
): MaybePromise<LoadedModule> {
  const { url, attributes, specifier, referrer } = request;
  const text = attributes.type === 'text';
  const result = hooks.load(
    url,
    { format: request.format, conditions: [...parts.conditions], importAttributes: { ...attributes } },
    (u, c): LoadHookResult => {
      const loaded = load.load(u, text ? 'text' : c.format, { specifier, referrer });
      // (the host reads a CommonJS file when it runs; hooks see its text, as Node gives it)
      const source =
        loaded.source ?? (loaded.format === 'commonjs' ? readModuleText(u, { specifier, referrer }) : null);
      return { format: loaded.format === 'text' ? c.format : loaded.format, source };
    },
    { syncFor: request.syncFor, specifier, parentURL: referrer },
  );
  return isThenable(result)
    ? (result as Promise<LoadedByHooks>).then((r) => loadedFrom(url, r, text, parts))
    : loadedFrom(url, result as LoadedByHooks, text, parts);
}

/** A load hook chain's answer as the translators take it. */
function loadedFrom(url: string, result: LoadedByHooks, text: boolean, parts: HookedLoadParts): LoadedModule {
  const source = result.source ?? undefined;
  if (text) {
    if (typeof source !== 'string') {
      throw createError(
        'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
        `Module "${url}" has no text to import with { type: 'text' }`,
        {
          url,
        },
      );
    }
    return { url, format: 'text', source };
  }
  let format = result.format;
  if (format === undefined) {
    // As for a file the host read: JavaScript text by its syntax (Node's detect-module rule).
    format =
      source instanceof Uint8Array ? 'wasm' : typeof source === 'string' ? parts.detectFormat(url, source) : 'builtin';
  }
  if (!FORMATS.has(format)) {
    throw createError('ERR_UNKNOWN_MODULE_FORMAT', `Unknown module format "${format}" for ${url} (from a load hook)`, {
      url,
      format,
    });
  }
  return { url, format: format as LoadedFormat, source, fromHooks: true };
}
