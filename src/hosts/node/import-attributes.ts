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

/**
 * The import attributes of `import(specifier, options)` (ECMA-262 EvaluateImportCall steps 10-11):
 * `options` is undefined or an object whose `with` is undefined or an object of string values.
 */
export function dynamicImportAttributes(options: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (options === undefined) return attributes;
  if (typeof options !== 'object' || options === null) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'The second argument of import() must be an object');
  }
  const bag: unknown = (options as { with?: unknown }).with;
  if (bag === undefined) return attributes;
  if (typeof bag !== 'object' || bag === null) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', "The 'with' option of import() must be an object");
  }
  for (const key of Object.keys(bag)) {
    const value: unknown = (bag as Record<string, unknown>)[key];
    if (typeof value !== 'string') {
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', `Import attribute '${key}' must be a string`, {
        attribute: key,
      });
    }
    if (key !== 'type') {
      throw createError('ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', `Import attribute "${key}" is not supported`, {
        attribute: key,
      });
    }
    attributes[key] = value;
  }
  return attributes;
}

/** A module request's attributes (a records/ List: indexed, not iterated) as an object. */
export function requestAttributes(list: readonly ImportAttribute[]): Record<string, string> {
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
  const context = { url, specifier, referrer };
  // `with { type: 'text' }` imports any file's text (a TextModuleSource), whatever its format.
  if (type === 'text') return;
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
