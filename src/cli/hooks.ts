/**
 * `--hooks <file>` (run, test): a module whose `resolve` / `load` exports (or a default export
 * with them) become the host's first hooks, in the order the options were given, as
 * `node --import ./register.mjs` with `module.registerHooks()` would install them. The module is
 * loaded by Node itself (not through the hooks it provides), so it may import anything Node can.
 */
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createError } from '../errors/codes.js';
import type { ModuleHooks } from '../hosts/hooks/chain.js';

function hooksOf(namespace: Record<string, unknown>): ModuleHooks | undefined {
  const pick = (from: Record<string, unknown>): ModuleHooks | undefined => {
    const { resolve, load } = from;
    if (typeof resolve !== 'function' && typeof load !== 'function') return undefined;
    return {
      resolve: typeof resolve === 'function' ? (resolve as ModuleHooks['resolve']) : undefined,
      load: typeof load === 'function' ? (load as ModuleHooks['load']) : undefined,
    };
  };
  const named = pick(namespace);
  if (named !== undefined) return named;
  const fallback = namespace.default;
  return typeof fallback === 'object' && fallback !== null ? pick(fallback as Record<string, unknown>) : undefined;
}

/**
 * Loads the `--hooks` modules, in order.
 *
 * @throws ERR_MODHOST_INVALID_ARGUMENT for a module that exports neither `resolve` nor `load`;
 *   the module's own load errors as they are
 */
export async function loadHookModules(files: readonly string[]): Promise<ModuleHooks[]> {
  const hooks: ModuleHooks[] = [];
  for (const file of files) {
    const url = pathToFileURL(resolvePath(file)).href;
    const namespace = (await import(url)) as Record<string, unknown>;
    const found = hooksOf(namespace);
    if (found === undefined) {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `--hooks ${file}: the module exports neither a resolve nor a load function ` +
          '(export function resolve(specifier, context, nextResolve) {…} and/or load(url, context, nextLoad) {…})',
        { url },
      );
    }
    hooks.push(found);
  }
  return hooks;
}
