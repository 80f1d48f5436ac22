/**
 * The browser host's load stage through the user's load hooks (../hooks/chain.ts, in the shape of
 * Node's `module.registerHooks()`): the chain's last `nextLoad` fetches as the host does, and the
 * answer is checked against the import's `type` attribute before it is translated. Used for a
 * module's first load and for a hot update's new text, so both go the same way.
 */
import { createError } from '../../errors/codes.js';
import type { HookChains, LoadHookResult } from '../hooks/chain.js';
import type { BrowserLoad, BrowserLoadContext } from './load.js';

/** Conditions browser hooks see (the host's import maps have none; these say what it is). */
export const BROWSER_CONDITIONS: readonly string[] = Object.freeze(['browser', 'import', 'default']);

/** What the load hooks answered for a URL, checked: a JavaScript or JSON module's text. */
export interface HookedLoad {
  readonly format: 'module' | 'json';
  readonly text: string;
  /** The URL the module's imports resolve against: the response URL when the host fetched it. */
  readonly responseURL: string;
}

/**
 * Loads `url` through the load hooks. `type` is the import's `type` attribute (`'json'` or none);
 * the hooks see format `'json'` or `'module'` accordingly, and may answer with either, but a JSON
 * answer needs `type: 'json'` and a module answer must not have it (HTML's module type check).
 */
export async function loadThroughHooks(
  hooks: HookChains,
  loader: BrowserLoad,
  url: string,
  type: string | undefined,
  context: BrowserLoadContext,
): Promise<HookedLoad> {
  let responseURL = url;
  const result = await hooks.load(
    url,
    {
      format: type === 'json' ? 'json' : 'module',
      conditions: [...BROWSER_CONDITIONS],
      importAttributes: type === undefined ? {} : { type },
    },
    async (u, c): Promise<LoadHookResult> => {
      if (c.format === 'json') return { format: 'json', source: await loader.json(u, context) };
      const loaded = await loader.javascript(u, context);
      if (loaded.kind !== 'text') {
        throw createError('ERR_MODHOST_INTERNAL', `${u}: a precompiled module reached the load hooks`);
      }
      if (u === url) responseURL = loaded.responseURL;
      return { format: 'module', source: loaded.text };
    },
    { specifier: context.specifier, parentURL: context.referrer },
  );
  const text = typeof result.source === 'string' ? result.source : '';
  if (result.format === 'json') {
    if (type !== 'json') {
      throw createError('ERR_IMPORT_ATTRIBUTE_MISSING', `Module "${url}" needs an import attribute of "type: json"`, {
        url,
        specifier: context.specifier,
        referrer: context.referrer,
      });
    }
    return { format: 'json', text, responseURL: url };
  }
  if (result.format !== undefined && result.format !== 'module') {
    throw createError('ERR_UNKNOWN_MODULE_FORMAT', `The browser host cannot load format "${result.format}" (${url})`, {
      url,
      format: result.format,
    });
  }
  if (type === 'json') {
    throw createError('ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE', `Module "${url}" is not of type "json"`, { url });
  }
  return { format: 'module', text, responseURL };
}
