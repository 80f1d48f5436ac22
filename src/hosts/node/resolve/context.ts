/**
 * What the parts of the Node resolver share: the request an error names, condition sets, the
 * caches of one resolver, and the error constructor every step uses.
 */
import { createError, type ErrorCode, type ErrorContext } from '../../../errors/codes.js';
import type { NodeBehaviour } from '../node-release.js';
import { displayPath, type PackageJsonCache, type PackageJsonReadContext } from '../package-json.js';
import type { FileSystemCache } from './file-system.js';

/** The specifier and importer an error should name, whatever step it comes from. */
export interface Request {
  readonly specifier: string;
  readonly referrer: string;
}

/** A set of export conditions, with a key for caches. */
export interface Conditions {
  readonly set: ReadonlySet<string>;
  readonly key: string;
}

export function makeConditions(list: readonly string[]): Conditions {
  return { set: new Set(list), key: list.join('\0') };
}

/** One resolver's state, passed to every step. */
export interface ResolutionContext {
  /** Whose resolution to follow where Node releases differ. */
  readonly node: NodeBehaviour;
  readonly files: FileSystemCache;
  readonly packageJson: PackageJsonCache;
  /** Extensions LOAD_AS_FILE tries, in order (`require` only). */
  readonly extensions: readonly string[];
  /** `require` lookup folders (node_modules and up) per requiring folder. */
  readonly nodeModulePaths: Map<string, string[]>;
  /**
   * PACKAGE_RESOLVE (./esm.ts). PACKAGE_TARGET_RESOLVE (./package-exports.ts) comes back to it for
   * an "imports" target that names a package; it is reached through the context so that the
   * exports/imports matching does not depend on the ESM resolution that uses it.
   */
  readonly packageResolve: (specifier: string, base: URL, conditions: Conditions, request: Request) => URL;
}

/** An error of `code` naming the request's specifier and referrer (and `extra` fields). */
export function resolutionError(
  code: ErrorCode,
  message: string,
  request: Request | undefined,
  extra: ErrorContext = {},
): Error {
  return createError(code, message, { specifier: request?.specifier, referrer: request?.referrer, ...extra });
}

export function tryParseURL(input: string, base?: URL): URL | undefined {
  try {
    return new URL(input, base);
  } catch {
    return undefined;
  }
}

/** A percent-encoded "/" or "\\", which no resolved module URL may hold. */
export const ENCODED_SEPARATOR = /%2f|%5c/i;

/** Looking up the package scope of a file: "while importing <that file>". */
export function scopeReadContext(request: Request, file: URL): PackageJsonReadContext {
  return { specifier: request.specifier, importing: displayPath(file), referrer: request.referrer };
}
