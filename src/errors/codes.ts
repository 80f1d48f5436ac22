/**
 * The one registry of modhost error codes. Every error modhost throws on purpose is built here,
 * through {@link createError}, so that each has a stable `code`, keeps the JavaScript base class
 * the spec asks for (SyntaxError, ReferenceError, TypeError, RangeError, Error) and carries the
 * context we know (specifier, referrer, url, line, column).
 *
 * Adding a code: add it to {@link ERROR_CODES} and document it in docs/errors.md (a test checks
 * that every code has its entry).
 */

/** The base classes an error can keep. */
export type ErrorBase = 'Error' | 'TypeError' | 'SyntaxError' | 'ReferenceError' | 'RangeError';

interface CodeSpec {
  readonly base: ErrorBase;
  /** One-line summary, used as the message when the caller gives no message. */
  readonly summary: string;
}

export const ERROR_CODES = {
  // Parsing and static semantics (ModuleSource).
  ERR_MODHOST_PARSE: { base: 'SyntaxError', summary: 'The module text is not a valid Module' },
  // Linking (ResolveExport failures are SyntaxErrors per 16.2.1.7.3.1 InitializeEnvironment).
  ERR_MODHOST_UNRESOLVED_IMPORT: { base: 'SyntaxError', summary: 'An imported name is not exported by the requested module' },
  ERR_MODHOST_AMBIGUOUS_IMPORT: { base: 'SyntaxError', summary: 'An imported name is exported by more than one star export' },
  ERR_MODHOST_UNRESOLVED_EXPORT: { base: 'SyntaxError', summary: 'A re-exported name cannot be resolved' },
  // Loading.
  ERR_MODHOST_NO_IMPORT_HOOK: { base: 'TypeError', summary: 'A module has no importHook and the host cannot load modules' },
  ERR_MODHOST_INVALID_HOOK_RESULT: { base: 'TypeError', summary: 'importHook did not produce a Module instance' },
  ERR_MODHOST_UNSUPPORTED_ATTRIBUTE: { base: 'SyntaxError', summary: 'An import attribute is not supported by the host' },
  ERR_MODHOST_INVALID_ARGUMENT: { base: 'TypeError', summary: 'Invalid argument' },
  ERR_MODHOST_TDZ: { base: 'ReferenceError', summary: 'Binding accessed before initialization' },
  ERR_MODHOST_CONST_ASSIGN: { base: 'TypeError', summary: 'Assignment to constant variable.' },
  ERR_MODHOST_DUPLICATE_DEFINE: { base: 'Error', summary: 'A CommonJS file called define() more than once (a file defines one module)' },
  ERR_MODHOST_INTERNAL: { base: 'Error', summary: 'modhost internal invariant violated (a bug: please report it)' },
  // Browser host.
  ERR_MODHOST_INVALID_IMPORT_MAP: { base: 'TypeError', summary: 'The import map does not have the shape the HTML Standard requires' },
  ERR_MODHOST_MIME_TYPE: { base: 'TypeError', summary: 'A module was served with a MIME type that does not match its kind' },
  ERR_MODHOST_NOT_PREFETCHED: { base: 'Error', summary: 'A CommonJS module required synchronously was not fetched ahead of time' },
  ERR_MODHOST_EVAL_BLOCKED: { base: 'Error', summary: 'Module code needs eval, which the page forbids; precompile it with `modhost compile`' },
  // Node-compatible codes (hosts).
  ERR_MODULE_NOT_FOUND: { base: 'Error', summary: 'Cannot find module' },
  ERR_INVALID_MODULE_SPECIFIER: { base: 'TypeError', summary: 'Invalid module specifier' },
  ERR_PACKAGE_PATH_NOT_EXPORTED: { base: 'Error', summary: 'Package subpath is not exported' },
  ERR_PACKAGE_IMPORT_NOT_DEFINED: { base: 'TypeError', summary: 'Package import specifier is not defined' },
  ERR_INVALID_PACKAGE_TARGET: { base: 'Error', summary: 'Invalid package target' },
  ERR_INVALID_PACKAGE_CONFIG: { base: 'Error', summary: 'Invalid package configuration' },
  ERR_UNSUPPORTED_DIR_IMPORT: { base: 'Error', summary: 'Directory import is not supported' },
  ERR_UNKNOWN_FILE_EXTENSION: { base: 'TypeError', summary: 'Unknown file extension' },
  ERR_IMPORT_ATTRIBUTE_MISSING: { base: 'TypeError', summary: 'Module needs an import attribute' },
  ERR_IMPORT_ATTRIBUTE_UNSUPPORTED: { base: 'TypeError', summary: 'Import attribute is not supported' },
  ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE: { base: 'TypeError', summary: 'Module is not of the type the import attribute names' },
  ERR_REQUIRE_ASYNC_MODULE: { base: 'Error', summary: 'require() cannot load an ES module graph with top-level await' },
  MODULE_NOT_FOUND: { base: 'Error', summary: 'Cannot find module' },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Context fields an error may carry; all optional. */
export interface ErrorContext {
  /** The specifier as written in the importing module. */
  specifier?: string;
  /** URL (or diagnostic name) of the importing module. */
  referrer?: string;
  /** URL of the module the error is about. */
  url?: string;
  /** 1-based line in `url` (or in the referrer, for import-site errors). */
  line?: number;
  /** 1-based column, as V8 stack traces and editors show it. */
  column?: number;
  cause?: unknown;
  /** Extra structured fields (e.g. `requireStack`). */
  [extra: string]: unknown;
}

/** Fields every modhost error has in addition to its base class's. */
export interface ModhostErrorFields {
  readonly code: ErrorCode;
  readonly specifier?: string;
  readonly referrer?: string;
  readonly url?: string;
  readonly line?: number;
  readonly column?: number;
}

const BASES: Record<ErrorBase, ErrorConstructor> = {
  Error,
  TypeError,
  SyntaxError,
  ReferenceError,
  RangeError,
};

/**
 * Builds an error of the registered base class with `code` and context as own properties.
 * The message gets a `(url:line:column)` suffix when a location is known and not already in it.
 *
 * @example
 * throw createError('ERR_MODULE_NOT_FOUND', `Cannot find module './x.js' imported from ${referrer}`,
 *   { specifier: './x.js', referrer });
 */
export function createError(code: ErrorCode, message?: string, context: ErrorContext = {}): Error & ModhostErrorFields {
  const spec: CodeSpec = ERROR_CODES[code];
  let text = message ?? spec.summary;
  const where = context.url ?? context.referrer;
  if (where !== undefined && context.line !== undefined && !text.includes(`${where}:${context.line}`)) {
    text += ` (${where}:${context.line}:${context.column ?? 0})`;
  }
  const options = 'cause' in context ? { cause: context.cause } : undefined;
  const error = new BASES[spec.base](text, options) as Error & ModhostErrorFields;
  Object.defineProperty(error, 'code', { value: code, writable: true, enumerable: true, configurable: true });
  for (const key of Object.keys(context)) {
    if (key === 'cause') continue;
    const value = context[key];
    if (value !== undefined) Object.defineProperty(error, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return error;
}

/** True when `value` is an error built by {@link createError} with the given code. */
export function hasCode(value: unknown, code: ErrorCode): boolean {
  return typeof value === 'object' && value !== null && (value as { code?: unknown }).code === code;
}
