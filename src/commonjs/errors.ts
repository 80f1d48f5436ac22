import { createError } from '../errors/codes.js';
import type { CommonJSModule } from './module.js';

/**
 * The require stack of a module: its filename, then its parent's, up to the module the host
 * required (Node's `requireStack`: the chain of first requirers, not the current call stack).
 */
export function requireStackOf(module: CommonJSModule | null): string[] {
  const stack: string[] = [];
  for (let m = module; m !== null && m !== undefined; m = m.parent) stack.push(m.filename);
  return stack;
}

/**
 * MODULE_NOT_FOUND for `id` required by `requirer` (`null`: the host), worded as Node words it:
 * `Cannot find module 'x'` followed by the require stack, with `specifier`, `referrer` and
 * `requireStack` fields.
 */
export function moduleNotFound(id: string, requirer: CommonJSModule | null): Error {
  const requireStack = requireStackOf(requirer);
  const message =
    requireStack.length === 0
      ? `Cannot find module '${id}' (required by the host)`
      : `Cannot find module '${id}'\nRequire stack:\n- ${requireStack.join('\n- ')}`;
  return createError('MODULE_NOT_FOUND', message, {
    specifier: id,
    referrer: requireStack.length === 0 ? undefined : requireStack[0],
    requireStack,
  });
}

/** ERR_MODHOST_INVALID_ARGUMENT for a `require` id that is not a non-empty string (Node throws likewise). */
export function invalidId(id: unknown, what: string): Error {
  const shown = typeof id === 'string' ? 'an empty string' : id === null ? 'null' : `a value of type ${typeof id}`;
  return createError('ERR_MODHOST_INVALID_ARGUMENT', `${what}: the module id must be a non-empty string, got ${shown}`);
}
