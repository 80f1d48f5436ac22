/**
 * `require.async(ids, callback?)`: read the requested modules - and, transitively, the literal
 * `require('…')` ids their text names - with the loader's `readAsync`, then run the requested
 * modules in order with the synchronous `require`, which finds the text already read. A dependency
 * the scan missed (a computed id) is read synchronously when it is required: slower, still right.
 */
import { createError } from '../errors/codes.js';
import type { ModuleRecord, Resolved, RuntimeCore } from './runtime.js';
import { scanRequires } from './scan.js';

/** Installs `require.async` on `core`. */
export function installRequireAsync(core: RuntimeCore): void {
  core.requireAsync = (ids, callback, record) => requireAsync(core, ids, callback, record);
}

function requireAsync(
  core: RuntimeCore,
  ids: string | readonly string[],
  callback: ((...exports: unknown[]) => void) | undefined,
  record: ModuleRecord | null,
): Promise<unknown[]> {
  // Argument errors are the caller's bug: thrown now, never turned into a rejection.
  const list: string[] =
    typeof ids === 'string' ? [ids] : Array.isArray(ids) ? ([...(ids as readonly unknown[])] as string[]) : [];
  if (typeof ids !== 'string' && !Array.isArray(ids)) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'require.async: ids must be a string or an array of strings');
  }
  if (callback !== undefined && typeof callback !== 'function') {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'require.async: callback must be a function');
  }
  const run = async (): Promise<unknown[]> => {
    // Always asynchronous, even when every module is cached.
    await undefined;
    const dirKey = core.dirKeyOf(record);
    const parentUri = record === null ? null : record.module.uri;
    const seen = new Set<string>();
    await Promise.all(list.map((id) => prefetch(core, id, dirKey, parentUri, seen)));
    return list.map((id) => {
      try {
        return core.requireFrom(id, record);
      } catch (error) {
        report(core, error, id);
        return null;
      }
    });
  };
  const promise = run().catch((error: unknown) => {
    // Not reachable by design (each step catches); kept so the promise can never reject.
    report(core, error, String(list));
    return list.map(() => null);
  });
  if (callback !== undefined) {
    void promise.then((results) => {
      try {
        callback(...results);
      } catch (error) {
        if (core.onAsyncError !== undefined) core.onAsyncError(error, String(list), 'callback');
        else
          queueMicrotask(() => {
            throw error;
          });
      }
    });
  }
  return promise;
}

function report(core: RuntimeCore, error: unknown, id: string): void {
  if (core.onAsyncError === undefined) return;
  try {
    core.onAsyncError(error, id, 'require');
  } catch {
    // A failing error hook must not turn into a rejection.
  }
}

/** Reads `id` (from `dirKey`) and its literal dependencies ahead of the synchronous run. Never throws. */
async function prefetch(
  core: RuntimeCore,
  id: string,
  dirKey: string | null,
  parentUri: string | null,
  seen: Set<string>,
): Promise<void> {
  if (typeof id !== 'string' || id === '') return;
  let resolved: Resolved | null;
  try {
    resolved = core.resolveFor(id, dirKey, parentUri);
  } catch {
    return; // the synchronous require reports it
  }
  if (resolved === null || seen.has(resolved.uri)) return;
  seen.add(resolved.uri);
  if (core.hasModuleOrText(resolved)) return;
  let text: string | null;
  try {
    text = await core.loader.readAsync(resolved.uri);
  } catch {
    return;
  }
  if (typeof text !== 'string') return;
  core.stashText(resolved.uri, text);
  if (resolved.json) return;
  const from = resolved;
  await Promise.all(scanRequires(text).map((dep) => prefetch(core, dep, from.dirKey, from.uri, seen)));
}
