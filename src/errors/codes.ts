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
  ERR_MODHOST_SOURCE_TOO_DEEP: { base: 'RangeError', summary: 'The module text nests too deeply to parse and compile' },
  // Linking (ResolveExport failures are SyntaxErrors per 16.2.1.7.3.1 InitializeEnvironment).
  ERR_MODHOST_UNRESOLVED_IMPORT: {
    base: 'SyntaxError',
    summary: 'An imported name is not exported by the requested module',
  },
  ERR_MODHOST_AMBIGUOUS_IMPORT: {
    base: 'SyntaxError',
    summary: 'An imported name is exported by more than one star export',
  },
  ERR_MODHOST_UNRESOLVED_EXPORT: { base: 'SyntaxError', summary: 'A re-exported name cannot be resolved' },
  // Loading.
  ERR_MODHOST_NO_IMPORT_HOOK: {
    base: 'TypeError',
    summary: 'A module has no importHook and the host cannot load modules',
  },
  ERR_MODHOST_INVALID_HOOK_RESULT: {
    base: 'TypeError',
    summary: 'importHook did not produce a Module instance or a module source',
  },
  ERR_MODHOST_IMPORT_HOOK_FAILED: {
    base: 'Error',
    summary: 'An importHook threw or rejected; its error is the `cause`',
  },
  ERR_MODHOST_UNSUPPORTED_ATTRIBUTE: {
    base: 'SyntaxError',
    summary: 'An import attribute is not supported by the host',
  },
  ERR_MODHOST_INVALID_ARGUMENT: { base: 'TypeError', summary: 'Invalid argument' },
  ERR_MODHOST_ILLEGAL_CONSTRUCTOR: { base: 'TypeError', summary: 'This constructor cannot be called' },
  ERR_MODHOST_TDZ: { base: 'ReferenceError', summary: 'Binding accessed before initialization' },
  ERR_MODHOST_CONST_ASSIGN: { base: 'TypeError', summary: 'Assignment to constant variable.' },
  ERR_MODHOST_NOT_DEFINED: { base: 'ReferenceError', summary: 'A name that no scope defines was read' },
  // Import phases and virtual module sources.
  ERR_MODHOST_NO_MODULE_SOURCE: {
    base: 'SyntaxError',
    summary: 'A module without a module source was imported in the source phase',
  },
  ERR_MODHOST_DEFERRED_NOT_READY: {
    base: 'TypeError',
    summary: 'A deferred module cannot be evaluated synchronously now',
  },
  ERR_MODHOST_INVALID_SOURCE_IMPORT: {
    base: 'TypeError',
    summary: 'A module source cannot be imported this way (attributes given, or a source of another realm)',
  },
  ERR_MODHOST_INVALID_VIRTUAL_SOURCE: {
    base: 'TypeError',
    summary: 'A virtual module source does not have the shape the Module constructor requires',
  },
  ERR_MODHOST_DUPLICATE_DEFINE: {
    base: 'Error',
    summary: 'A CommonJS file called define() more than once (a file defines one module)',
  },
  ERR_MODHOST_ABORTED: { base: 'Error', summary: 'The import was aborted through its AbortSignal' },
  ERR_MODHOST_INTERNAL: { base: 'Error', summary: 'modhost internal invariant violated (a bug: please report it)' },
  // Hot module replacement and the REPL.
  ERR_MODHOST_HOT_REMOVED_EXPORT: {
    base: 'ReferenceError',
    summary: 'A namespace object read an export that a hot update removed from its module',
  },
  ERR_MODHOST_NOT_HOT: {
    base: 'Error',
    summary: 'Hot updates need a host made with `hot: true`',
  },
  // Browser host.
  ERR_MODHOST_INVALID_IMPORT_MAP: {
    base: 'TypeError',
    summary: 'The import map does not have the shape the HTML Standard requires',
  },
  ERR_MODHOST_MIME_TYPE: {
    base: 'TypeError',
    summary: 'A module was served with a MIME type that does not match its kind',
  },
  ERR_MODHOST_NOT_PREFETCHED: {
    base: 'Error',
    summary: 'A CommonJS module required synchronously was not fetched ahead of time',
  },
  ERR_MODHOST_EVAL_BLOCKED: {
    base: 'Error',
    summary: 'Module code needs eval, which the page forbids; precompile it with `modhost compile`',
  },
  // Programmable hosts: resolve/load hook chains, mocks, forks.
  ERR_MODHOST_HOOK_FAILED: {
    base: 'Error',
    summary: 'A resolve or load hook threw or rejected; its error is the `cause`',
  },
  ERR_MODHOST_ASYNC_IN_REQUIRE: {
    base: 'Error',
    summary: 'A hook or mock factory returned a promise where a synchronous answer is needed (require)',
  },
  ERR_MODHOST_MOCK_FAILED: {
    base: 'Error',
    summary: 'A mock factory threw or rejected; its error is the `cause`',
  },
  ERR_MODHOST_INVALID_MOCK: {
    base: 'TypeError',
    summary: 'A mock factory did not return an exports object',
  },
  ERR_MODHOST_HOST_DISPOSED: { base: 'Error', summary: 'The host was disposed' },
  ERR_MODHOST_NOT_IN_TEST: {
    base: 'Error',
    summary: "modhost/test's mock() was called outside a file run by `modhost test`",
  },
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
  ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE: {
    base: 'TypeError',
    summary: 'Module is not of the type the import attribute names',
  },
  ERR_REQUIRE_ASYNC_MODULE: { base: 'Error', summary: 'require() cannot load an ES module graph with top-level await' },
  ERR_REQUIRE_CYCLE_MODULE: {
    base: 'Error',
    summary: 'require() of an ES module, or import of a CommonJS module, in a cycle through require()',
  },
  MODULE_NOT_FOUND: { base: 'Error', summary: 'Cannot find module' },
  ERR_INVALID_RETURN_VALUE: { base: 'TypeError', summary: 'A hook returned a value of the wrong type' },
  ERR_INVALID_RETURN_PROPERTY_VALUE: {
    base: 'TypeError',
    summary: 'A hook returned an object with a property of the wrong type',
  },
  ERR_LOADER_CHAIN_INCOMPLETE: {
    base: 'Error',
    summary: 'A hook neither called the next hook nor signalled a short circuit',
  },
  ERR_UNKNOWN_MODULE_FORMAT: { base: 'RangeError', summary: 'Unknown module format' },
  ERR_UNSUPPORTED_ESM_URL_SCHEME: { base: 'Error', summary: 'The URL scheme has no default loader' },
  ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX: {
    base: 'SyntaxError',
    summary: 'TypeScript syntax that type stripping cannot erase (an enum, a namespace with values, ...)',
  },
  ERR_INVALID_TYPESCRIPT_SYNTAX: { base: 'SyntaxError', summary: 'The file is not valid TypeScript' },
  ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING: {
    base: 'Error',
    summary: 'Types are not stripped from files under node_modules',
  },
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

// Built-ins captured when this file loads: createError runs after module code, which may have
// replaced Object.defineProperty, Object.keys, String.prototype.includes, the Error constructors,
// or put getters on Object.prototype (see docs/SECURITY.md). Descriptors are null-prototype.
const BASES: Record<ErrorBase, ErrorConstructor> = {
  __proto__: null,
  Error,
  TypeError,
  SyntaxError,
  ReferenceError,
  RangeError,
} as Record<ErrorBase, ErrorConstructor>;
const ObjectDefineProperty = Object.defineProperty;
const ObjectHasOwn = Object.hasOwn;
const ReflectApply = Reflect.apply;
const ReflectConstruct = Reflect.construct;
const ReflectOwnKeys = Reflect.ownKeys;
const ObjectPrototypePropertyIsEnumerable = Object.prototype.propertyIsEnumerable;
const StringPrototypeIncludes = String.prototype.includes;

/** A writable, enumerable, configurable data property (null-prototype descriptor). */
function defineField(target: object, key: PropertyKey, value: unknown): void {
  ObjectDefineProperty(target, key, {
    __proto__: null,
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  } as PropertyDescriptor);
}

/** context[key] if it is an own property (a poisoned Object.prototype getter is never reached). */
function own(context: ErrorContext, key: string): unknown {
  return ObjectHasOwn(context, key) ? context[key] : undefined;
}

/**
 * Builds an error of the registered base class with `code` and context as own properties.
 * The message gets a `(url:line:column)` suffix when a location is known and not already in it.
 *
 * @example
 * throw createError('ERR_MODULE_NOT_FOUND', `Cannot find module './x.js' imported from ${referrer}`,
 *   { specifier: './x.js', referrer });
 */
export function createError(code: ErrorCode, message?: string, context?: ErrorContext): Error & ModhostErrorFields {
  const spec: CodeSpec = ERROR_CODES[code];
  const fields: ErrorContext = context ?? (EMPTY_CONTEXT as ErrorContext);
  let text = message ?? spec.summary;
  const where = own(fields, 'url') ?? own(fields, 'referrer');
  const line = own(fields, 'line');
  if (
    where !== undefined &&
    line !== undefined &&
    !ReflectApply(StringPrototypeIncludes, text, [`${where as string}:${line as number}`])
  ) {
    text += ` (${where as string}:${line as number}:${(own(fields, 'column') as number | undefined) ?? 0})`;
  }
  const options = ObjectHasOwn(fields, 'cause')
    ? ({ __proto__: null, cause: fields.cause } as ErrorOptions)
    : undefined;
  const error = ReflectConstruct(BASES[spec.base], [text, options]) as Error & ModhostErrorFields;
  defineField(error, 'code', code);
  const keys = ReflectOwnKeys(fields);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as PropertyKey;
    // Own enumerable string keys only, as Object.keys would give.
    if (typeof key !== 'string' || key === 'cause' || !ReflectApply(ObjectPrototypePropertyIsEnumerable, fields, [key]))
      continue;
    const value = fields[key];
    if (value !== undefined) defineField(error, key, value);
  }
  return error;
}

/** The context of a createError call without one (frozen: shared by every such call). */
const EMPTY_CONTEXT: ErrorContext = Object.freeze({ __proto__: null }) as ErrorContext;

/** True when `value` is an error built by {@link createError} with the given code. */
export function hasCode(value: unknown, code: ErrorCode): boolean {
  return typeof value === 'object' && value !== null && (value as { code?: unknown }).code === code;
}
