/**
 * Import attributes in the Node host: reading them from `import(specifier, options)` and from a
 * module request, and checking them against a module's format as Node does
 * (lib/internal/modules/esm/assert.js): JSON needs `type: 'json'`, nothing else may claim it, and
 * `type: 'text'` imports any file's text.
 */
import { createError } from '../../errors/codes.js';
import type { ImportAttribute } from '../../source/types.js';

/** Import attributes as an object: `{ type: 'json' }`. */
export type ImportAttributes = Readonly<Record<string, string>>;

/** No import attributes (shared: an attributes object is never changed once made). */
export const NO_ATTRIBUTES: ImportAttributes = Object.freeze({});

/** A module request's attributes (a records/ List: indexed, not iterated) as an object. */
export function requestAttributes(list: readonly ImportAttribute[]): ImportAttributes {
  if (list.length === 0) return NO_ATTRIBUTES;
  const attributes: Record<string, string> = {};
  for (let i = 0; i < list.length; i++) {
    const attribute = list[i];
    if (attribute !== undefined) attributes[attribute.key] = attribute.value;
  }
  return attributes;
}

/**
 * Checks `attributes` against the format of the module at `url` (`specifier` and `referrer`
 * name the import in errors).
 *
 * @throws ERR_IMPORT_ATTRIBUTE_MISSING (JSON without `type: 'json'`),
 *   ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE (`type: 'json'` on another format),
 *   ERR_IMPORT_ATTRIBUTE_UNSUPPORTED (another `type`)
 */
export function checkImportAttributes(
  url: string,
  format: string | undefined,
  attributes: ImportAttributes,
  specifier: string | undefined,
  referrer: string | undefined,
): void {
  const type = attributes.type;
  // `with { type: 'text' }` imports any file's text (a TextModuleSource), whatever its format.
  if (type === 'text' || (type === undefined && format !== 'json')) return;
  const context = { url, specifier, referrer };
  if (format === 'json') {
    if (type === undefined)
      throw createError(
        'ERR_IMPORT_ATTRIBUTE_MISSING',
        `Module "${url}" needs an import attribute of "type: json"`,
        context,
      );
    if (type !== 'json')
      throw createError(
        'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
        `Import attribute "type" with value "${type}" is not supported`,
        context,
      );
  } else if (type !== undefined) {
    if (type === 'json')
      throw createError('ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE', `Module "${url}" is not of type "json"`, context);
    throw createError(
      'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
      `Import attribute "type" with value "${type}" is not supported`,
      context,
    );
  }
}
