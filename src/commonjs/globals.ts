import { createError } from '../errors/codes.js';
import { STRICT_RESERVED_WORDS } from '../lexical/reserved-words.js';

/** Parameter names of a plain module's wrapper, in Node's order of meaning. */
export const PLAIN_PARAMS = ['require', 'exports', 'module', '__filename', '__dirname'] as const;
/** Parameter names of a wrapped (`define`) file's wrapper. */
export const DEFINE_PARAMS = ['define'] as const;

/** Names a wrapper parameter cannot have in strict code: reserved words, and `eval` and `arguments` (13.1.1). */
const RESERVED: ReadonlySet<string> = new Set([...STRICT_RESERVED_WORDS, 'arguments', 'eval']);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Extra globals split into wrapper parameter names and the values passed for them. */
export interface GlobalsPlan {
  readonly names: readonly string[];
  readonly values: readonly unknown[];
}

/**
 * Checks the `globals` option: each name becomes a wrapper parameter (so nothing is put on
 * `globalThis`), hence must be an ASCII identifier that is not reserved in strict code and does
 * not hide a name the wrapper already binds.
 */
export function planGlobals(globals: Readonly<Record<string, unknown>> | undefined): GlobalsPlan {
  if (globals === undefined) return { names: [], values: [] };
  if (typeof globals !== 'object' || globals === null) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'options.globals must be an object of name → value');
  }
  const names: string[] = [];
  const values: unknown[] = [];
  for (const name of Object.keys(globals)) {
    if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', `options.globals: '${name}' is not a usable identifier`);
    }
    if ((PLAIN_PARAMS as readonly string[]).includes(name) || (DEFINE_PARAMS as readonly string[]).includes(name)) {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `options.globals: '${name}' is bound by the module wrapper already`,
      );
    }
    names.push(name);
    values.push(globals[name]);
  }
  return { names, values };
}
