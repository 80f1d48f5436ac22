/**
 * Import maps as the HTML Standard defines them (webappapis.html, "Import maps"): parsing
 * (`parse an import map string`, `sort and normalize a module specifier map`, `sort and normalize
 * scopes`, `normalize a module integrity map`), merging a later map into an earlier one (`merge
 * existing and new import maps`), and resolution (`resolve a module specifier`, `resolve an
 * imports match`, `resolve a URL-like module specifier`). Function names follow the spec's
 * algorithm names; step comments quote their step numbers.
 *
 * Specifier maps are kept as arrays of [key, URL | null] sorted in descending code-unit order of
 * the key, so that a linear scan meets the most specific (longest) matching prefix first.
 */
import { createError } from '../../errors/codes.js';

/**
 * A normalized specifier map: [specifier key, address] in descending code-unit order of keys.
 * `null` blocks the key.
 */
export type SpecifierMap = ReadonlyArray<readonly [string, URL | null]>;

/** A normalized import map. */
export interface ImportMap {
  readonly imports: SpecifierMap;
  /** [scope prefix (a serialized URL), specifier map], in descending code-unit order of prefixes. */
  readonly scopes: ReadonlyArray<readonly [string, SpecifierMap]>;
  /** Serialized URL → integrity metadata. */
  readonly integrity: ReadonlyMap<string, string>;
}

/** One resolution the host has made (the spec's "resolved module set" entry). */
export interface ResolvedModuleRecord {
  readonly serializedBaseURL: string;
  readonly specifier: string;
  readonly specifierAsURL: URL | null;
}

/** Where parse and merge report what the spec calls "report a warning to the console". */
export type ImportMapWarning = (message: string) => void;

/** The empty import map (the initial value of a global's import map). */
export const EMPTY_IMPORT_MAP: ImportMap = Object.freeze({
  imports: Object.freeze([]) as SpecifierMap,
  scopes: Object.freeze([]) as ImportMap['scopes'],
  integrity: new Map<string, string>(),
});

const SPECIAL_SCHEMES = new Set(['ftp:', 'file:', 'http:', 'https:', 'ws:', 'wss:']);

/** The URL parser: a URL, or null on failure. */
function parseURL(input: string, base?: URL | string): URL | null {
  try {
    return base === undefined ? new URL(input) : new URL(input, base);
  } catch {
    return null;
  }
}

/** Infra "ordered map" for a parsed JSON value: a plain object, not an array or null. */
function isOrderedMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a is code unit less than b", used descending: b before a when a < b. */
function descendingByKey<T>(entries: Array<[string, T]>): Array<[string, T]> {
  return entries.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
}

/**
 * Resolve a URL-like module specifier: `/`, `./` and `../` prefixes parse against `baseURL`;
 * anything else must be an absolute URL on its own. Otherwise (a bare specifier) null.
 */
export function resolveURLLikeModuleSpecifier(specifier: string, baseURL: URL | string): URL | null {
  // 1. If specifier starts with "/", "./", or "../", then parse against baseURL.
  if (specifier.startsWith('/') || specifier.startsWith('./') || specifier.startsWith('../')) {
    return parseURL(specifier, baseURL);
  }
  // 2-4. Parse specifier with no base URL; failure → null.
  return parseURL(specifier);
}

/** Normalize a specifier key: the empty key is dropped; URL-like keys become serialized URLs. */
function normalizeSpecifierKey(specifierKey: string, baseURL: URL | string, warn: ImportMapWarning): string | null {
  // 1. If specifierKey is the empty string, report a warning and return null.
  if (specifierKey === '') {
    warn('Invalid empty string specifier key in the import map.');
    return null;
  }
  // 2. Let url be the result of resolving a URL-like module specifier.
  const url = resolveURLLikeModuleSpecifier(specifierKey, baseURL);
  // 3. If url is not null, return its serialization. 4. Return specifierKey.
  return url === null ? specifierKey : url.href;
}

/** Sort and normalize a module specifier map. */
function sortAndNormalizeModuleSpecifierMap(
  originalMap: Record<string, unknown>,
  baseURL: URL | string,
  warn: ImportMapWarning,
): Array<[string, URL | null]> {
  // 1. Let normalized be an empty ordered map.
  const normalized = new Map<string, URL | null>();
  // 2. For each specifierKey → value of originalMap:
  for (const specifierKey of Object.keys(originalMap)) {
    const value = originalMap[specifierKey];
    // 2.1-2.2. Normalize the key; skip it when null.
    const normalizedSpecifierKey = normalizeSpecifierKey(specifierKey, baseURL, warn);
    if (normalizedSpecifierKey === null) continue;
    // 2.3. A value that is not a string: warn, map the key to null.
    if (typeof value !== 'string') {
      warn(`Invalid address for the specifier key "${specifierKey}": addresses need to be strings.`);
      normalized.set(normalizedSpecifierKey, null);
      continue;
    }
    // 2.4-2.5. The address must be URL-like.
    const addressURL = resolveURLLikeModuleSpecifier(value, baseURL);
    if (addressURL === null) {
      warn(`Invalid address "${value}" for the specifier key "${specifierKey}".`);
      normalized.set(normalizedSpecifierKey, null);
      continue;
    }
    // 2.6. A key ending in "/" needs an address ending in "/".
    if (specifierKey.endsWith('/') && !addressURL.href.endsWith('/')) {
      warn(
        `Invalid address "${addressURL.href}" for package specifier key "${specifierKey}": package addresses must ` +
          `end with "/".`,
      );
      normalized.set(normalizedSpecifierKey, null);
      continue;
    }
    // 2.7. Set normalized[normalizedSpecifierKey] to addressURL.
    normalized.set(normalizedSpecifierKey, addressURL);
  }
  // 3. Return normalized, sorted in descending code-unit order of keys.
  return descendingByKey([...normalized]);
}

/** Sort and normalize scopes. */
function sortAndNormalizeScopes(
  originalMap: Record<string, unknown>,
  baseURL: URL | string,
  warn: ImportMapWarning,
): Array<[string, SpecifierMap]> {
  // 1. Let normalized be an empty ordered map.
  const normalized = new Map<string, SpecifierMap>();
  // 2. For each scopePrefix → potentialSpecifierMap of originalMap:
  for (const scopePrefix of Object.keys(originalMap)) {
    const potentialSpecifierMap = originalMap[scopePrefix];
    // 2.1. Not an ordered map: throw a TypeError.
    if (!isOrderedMap(potentialSpecifierMap)) {
      throw createError(
        'ERR_MODHOST_INVALID_IMPORT_MAP',
        `The value of the scope "${scopePrefix}" in the import map must be a JSON object`,
      );
    }
    // 2.2-2.3. URL-parse scopePrefix with baseURL; failure: warn and skip.
    const scopePrefixURL = parseURL(scopePrefix, baseURL);
    if (scopePrefixURL === null) {
      warn(`Invalid scope "${scopePrefix}" in the import map (not a URL).`);
      continue;
    }
    // 2.4-2.5. The serialized URL keys the normalized specifier map.
    normalized.set(scopePrefixURL.href, sortAndNormalizeModuleSpecifierMap(potentialSpecifierMap, baseURL, warn));
  }
  // 3. Return normalized, sorted in descending code-unit order of keys.
  return descendingByKey([...normalized]);
}

/** Normalize a module integrity map. */
function normalizeModuleIntegrityMap(
  originalMap: Record<string, unknown>,
  baseURL: URL | string,
  warn: ImportMapWarning,
): Map<string, string> {
  const normalized = new Map<string, string>();
  for (const key of Object.keys(originalMap)) {
    const value = originalMap[key];
    const resolvedURL = resolveURLLikeModuleSpecifier(key, baseURL);
    if (resolvedURL === null) {
      warn(`Invalid integrity key "${key}" in the import map (not URL-like).`);
      continue;
    }
    if (typeof value !== 'string') {
      warn(`Invalid integrity value for "${key}" in the import map: it must be a string.`);
      continue;
    }
    normalized.set(resolvedURL.href, value);
  }
  return normalized;
}

/**
 * Parse an import map string (or an already parsed JSON value) with `baseURL` (the base URL of
 * the `<script type="importmap">`'s document).
 *
 * @throws SyntaxError (ERR_MODHOST_PARSE) for invalid JSON; TypeError (ERR_MODHOST_INVALID_IMPORT_MAP)
 * when the top level, `imports`, `scopes`, a scope's value or `integrity` is not a JSON object.
 */
export function parseImportMap(
  input: string | object,
  baseURL: URL | string,
  warn: ImportMapWarning = () => {},
): ImportMap {
  // 1. Let parsed be the result of parsing a JSON string to an Infra value given input.
  let parsed: unknown = input;
  if (typeof input === 'string') {
    try {
      parsed = JSON.parse(input);
    } catch (cause) {
      throw createError('ERR_MODHOST_PARSE', `The import map is not valid JSON: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
  // 2. If parsed is not an ordered map, throw a TypeError.
  if (!isOrderedMap(parsed))
    throw createError('ERR_MODHOST_INVALID_IMPORT_MAP', 'The top-level value of an import map must be a JSON object');
  // 3-4. "imports".
  let imports: Array<[string, URL | null]> = [];
  if ('imports' in parsed) {
    if (!isOrderedMap(parsed.imports))
      throw createError('ERR_MODHOST_INVALID_IMPORT_MAP', 'The "imports" of an import map must be a JSON object');
    imports = sortAndNormalizeModuleSpecifierMap(parsed.imports, baseURL, warn);
  }
  // 5-6. "scopes".
  let scopes: Array<[string, SpecifierMap]> = [];
  if ('scopes' in parsed) {
    if (!isOrderedMap(parsed.scopes))
      throw createError('ERR_MODHOST_INVALID_IMPORT_MAP', 'The "scopes" of an import map must be a JSON object');
    scopes = sortAndNormalizeScopes(parsed.scopes, baseURL, warn);
  }
  // 7-8. "integrity".
  let integrity = new Map<string, string>();
  if ('integrity' in parsed) {
    if (!isOrderedMap(parsed.integrity))
      throw createError('ERR_MODHOST_INVALID_IMPORT_MAP', 'The "integrity" of an import map must be a JSON object');
    integrity = normalizeModuleIntegrityMap(parsed.integrity, baseURL, warn);
  }
  // 9. Other top-level keys: a warning each.
  for (const key of Object.keys(parsed)) {
    if (key !== 'imports' && key !== 'scopes' && key !== 'integrity')
      warn(`Invalid top-level key "${key}" in the import map; only "imports", "scopes" and "integrity" are allowed.`);
  }
  // 10. Return an import map.
  return { imports, scopes, integrity };
}

/** True when `prefix` (a key ending in "/") is a code-unit prefix of `text`, or they are equal. */
function matchesPrefixOrEqual(key: string, text: string): boolean {
  return key === text || (key.endsWith('/') && text.startsWith(key));
}

/**
 * Merge module specifier maps: entries of `newMap` whose key `oldMap` already has are dropped
 * (first definition wins).
 */
function mergeModuleSpecifierMaps(
  newMap: SpecifierMap,
  oldMap: SpecifierMap,
  warn: ImportMapWarning,
): Array<[string, URL | null]> {
  const merged = new Map<string, URL | null>(oldMap);
  for (const [specifier, url] of newMap) {
    if (merged.has(specifier)) {
      warn(`The import map rule for "${specifier}" is ignored: an earlier import map defines it.`);
      continue;
    }
    merged.set(specifier, url);
  }
  return descendingByKey([...merged]);
}

/**
 * Merge existing and new import maps: returns the map a global has after `newMap` is registered
 * on top of `oldMap`, given the resolutions already made (`resolved`), which a new rule may not
 * change.
 */
export function mergeImportMaps(
  oldMap: ImportMap,
  newMap: ImportMap,
  resolved: Iterable<ResolvedModuleRecord>,
  warn: ImportMapWarning = () => {},
): ImportMap {
  const records = [...resolved];
  const scopes = new Map<string, SpecifierMap>(oldMap.scopes);
  // 4. For each scopePrefix → scopeImports of the new map's scopes:
  for (const [scopePrefix, originalScopeImports] of newMap.scopes) {
    let scopeImports = [...originalScopeImports];
    // 4.1. Rules that would change an earlier resolution made within this scope are dropped.
    for (const record of records) {
      if (!matchesPrefixOrEqual(scopePrefix, record.serializedBaseURL)) continue;
      scopeImports = scopeImports.filter(([specifierKey]) => {
        const impacts =
          specifierKey === record.specifier ||
          (specifierKey.endsWith('/') &&
            record.specifier.startsWith(specifierKey) &&
            (record.specifierAsURL === null || SPECIAL_SCHEMES.has(record.specifierAsURL.protocol)));
        if (impacts)
          warn(
            `The import map rule for "${specifierKey}" in scope "${scopePrefix}" is ignored: ` +
              `"${record.specifier}" was already resolved with it.`,
          );
        return !impacts;
      });
    }
    // 4.2-4.3. Merge into an existing scope or add the scope.
    const existing = scopes.get(scopePrefix);
    scopes.set(
      scopePrefix,
      existing === undefined
        ? descendingByKey(scopeImports.map(([k, v]) => [k, v]))
        : mergeModuleSpecifierMaps(scopeImports, existing, warn),
    );
  }
  // 5. Integrity: the first definition of a URL wins.
  const integrity = new Map(oldMap.integrity);
  for (const [url, value] of newMap.integrity) {
    if (integrity.has(url)) {
      warn(`The integrity metadata for "${url}" is ignored: an earlier import map defines it.`);
      continue;
    }
    integrity.set(url, value);
  }
  // 6. Top-level rules that would change an earlier resolution are dropped.
  let imports = [...newMap.imports];
  for (const record of records) {
    imports = imports.filter(([specifier]) => {
      const impacts = specifier.startsWith(record.specifier);
      if (impacts)
        warn(`The import map rule for "${specifier}" is ignored: "${record.specifier}" was already resolved.`);
      return !impacts;
    });
  }
  // 7. Merge the top-level imports.
  return {
    imports: mergeModuleSpecifierMaps(imports, oldMap.imports, warn),
    scopes: descendingByKey([...scopes]),
    integrity,
  };
}

/**
 * Resolve an imports match. Returns null when no key matches.
 * @throws TypeError (ERR_INVALID_MODULE_SPECIFIER) when the matching rule is null, the remainder does
 * not parse, or the result backtracks above the rule's address.
 */
function resolveImportsMatch(
  normalizedSpecifier: string,
  asURL: URL | null,
  specifierMap: SpecifierMap,
  specifier: string,
): URL | null {
  // 1. For each specifierKey → resolutionResult of specifierMap:
  for (const [specifierKey, resolutionResult] of specifierMap) {
    // 1.1. An exact match.
    if (specifierKey === normalizedSpecifier) {
      if (resolutionResult === null) {
        throw createError(
          'ERR_INVALID_MODULE_SPECIFIER',
          `The import map blocks "${specifier}" (its rule for "${specifierKey}" is null or invalid)`,
          { specifier },
        );
      }
      return resolutionResult;
    }
    // 1.2. A package prefix match: the key ends in "/", prefixes the specifier, and the
    // specifier is bare or a special URL.
    if (
      specifierKey.endsWith('/') &&
      normalizedSpecifier.startsWith(specifierKey) &&
      (asURL === null || SPECIAL_SCHEMES.has(asURL.protocol))
    ) {
      if (resolutionResult === null) {
        throw createError(
          'ERR_INVALID_MODULE_SPECIFIER',
          `The import map blocks "${specifier}" (its rule for "${specifierKey}" is null or invalid)`,
          { specifier },
        );
      }
      const afterPrefix = normalizedSpecifier.slice(specifierKey.length);
      const url = parseURL(afterPrefix, resolutionResult);
      if (url === null) {
        throw createError(
          'ERR_INVALID_MODULE_SPECIFIER',
          `"${specifier}" cannot be resolved by the import map rule for "${specifierKey}"`,
          { specifier },
        );
      }
      if (!url.href.startsWith(resolutionResult.href)) {
        throw createError(
          'ERR_INVALID_MODULE_SPECIFIER',
          `"${specifier}" backtracks above its import map prefix "${specifierKey}" (${resolutionResult.href})`,
          { specifier },
        );
      }
      return url;
    }
  }
  // 2. Return null.
  return null;
}

/**
 * Resolve a module specifier against `baseURL` (the referring module's URL, or the document's
 * base URL) with `importMap`.
 *
 * @throws TypeError (ERR_INVALID_MODULE_SPECIFIER) for a bare specifier no rule maps, and for
 * blocked or backtracking matches.
 */
export function resolveModuleSpecifier(
  importMap: ImportMap,
  specifier: string,
  baseURL: URL | string,
  referrer?: string,
): URL {
  // 6. Let serializedBaseURL be baseURL, serialized.
  const serializedBaseURL = typeof baseURL === 'string' ? baseURL : baseURL.href;
  // 7-8. asURL and normalizedSpecifier.
  const asURL = resolveURLLikeModuleSpecifier(specifier, baseURL);
  const normalizedSpecifier = asURL === null ? specifier : asURL.href;
  // 10. The scopes that contain the base URL, most specific first.
  for (const [scopePrefix, scopeImports] of importMap.scopes) {
    if (matchesPrefixOrEqual(scopePrefix, serializedBaseURL)) {
      const scopeImportsMatch = resolveImportsMatch(normalizedSpecifier, asURL, scopeImports, specifier);
      if (scopeImportsMatch !== null) return scopeImportsMatch;
    }
  }
  // 11. The top-level imports.
  const topLevelImportsMatch = resolveImportsMatch(normalizedSpecifier, asURL, importMap.imports, specifier);
  if (topLevelImportsMatch !== null) return topLevelImportsMatch;
  // 12. A URL-like specifier no rule remapped.
  if (asURL !== null) return asURL;
  // 14. A bare specifier no rule maps.
  throw createError(
    'ERR_INVALID_MODULE_SPECIFIER',
    `Failed to resolve module specifier "${specifier}"${referrer ? ` imported from ${referrer}` : ''}: relative ` +
      `references must start with "/", "./" or "../", and no import map rule maps this bare specifier`,
    { specifier, referrer },
  );
}

/** A JSON-friendly view of an import map (for debugging and tests): the shape of the input, normalized. */
export function importMapToJSON(map: ImportMap): {
  imports: Record<string, string | null>;
  scopes: Record<string, Record<string, string | null>>;
  integrity: Record<string, string>;
} {
  const specifierMapToJSON = (m: SpecifierMap): Record<string, string | null> =>
    Object.fromEntries(m.map(([k, v]) => [k, v === null ? null : v.href]));
  return {
    imports: specifierMapToJSON(map.imports),
    scopes: Object.fromEntries(map.scopes.map(([k, v]) => [k, specifierMapToJSON(v)])),
    integrity: Object.fromEntries(map.integrity),
  };
}
