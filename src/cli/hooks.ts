/**
 * `--hooks <file>` (run, test): a module whose `resolve` / `load` exports (or a default export
 * with them) become the host's first hooks, in the order the options were given, as
 * `node --import ./register.mjs` with `module.registerHooks()` would install them. The modules
 * are loaded by a host of their own, without hooks (a hook module is not loaded through the hooks
 * it provides), with the same conditions: ES modules or CommonJS, importing anything Node can.
 */
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createError } from '../errors/codes.js';
import type { ModuleHooks } from '../hosts/hooks/chain.js';
import { createNodeHost } from '../hosts/node/host.js';
import type { CliOptions } from './main.js';
import { formatFatal } from './report.js';

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
export async function loadHookModules(
  files: readonly string[],
  conditions: readonly string[] | undefined,
): Promise<ModuleHooks[]> {
  const hooks: ModuleHooks[] = [];
  const host = createNodeHost(conditions === undefined ? {} : { conditions });
  for (const file of files) {
    const url = pathToFileURL(resolvePath(file)).href;
    const namespace = (await host.import(url)) as Record<string, unknown>;
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

/**
 * The hooks of a command's `--hooks` options: undefined without the option, or `null` once the
 * error a hook module threw is reported (the command then exits 1, as `run`, `test` and `repl`
 * do). `rethrow`: throw the error instead (a worker thread, whose parent reports it).
 */
export async function hooksFromOptions(
  options: Pick<CliOptions, 'hooks' | 'conditions'>,
  rethrow = false,
): Promise<ModuleHooks[] | undefined | null> {
  if (options.hooks === undefined) return undefined;
  try {
    return await loadHookModules(options.hooks, options.conditions);
  } catch (error) {
    if (rethrow) throw error;
    process.stderr.write(formatFatal(error, undefined));
    return null;
  }
}
