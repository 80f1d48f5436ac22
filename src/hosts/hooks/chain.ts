/**
 * Resolve and load hook chains in the shape of Node's synchronous `module.registerHooks()`
 * (nodejs/node lib/internal/modules/customization_hooks.js, doc/api/module.md "Customization
 * hooks"), for the Node and browser hosts. Engine-neutral: no `node:*` imports.
 *
 * A host takes `hooks: [h0, h1, …]`. For each request the chain runs from the top: `h0.resolve`
 * is called first; its `nextResolve` calls `h1.resolve`, and so on; the last hook's
 * `nextResolve` calls the host's own resolution (the *default step*). Load works alike. Node
 * builds the same chain from registrations, newest on top: `hooks[0]` here is the hook Node
 * would have had registered last. Hooks that lack `resolve` (or `load`) are left out of that
 * chain.
 *
 * As in Node, per request:
 * - one context object is passed down the chain; a partial context given to `next*` is merged
 *   into it (Object.assign), so every later step sees the change;
 * - every step's result is validated and copied (a string URL; a string / ArrayBuffer /
 *   TypedArray source);
 * - a hook that returns without calling `next*` must say `shortCircuit: true`, else the request
 *   fails with ERR_LOADER_CHAIN_INCOMPLETE (a forgotten `next` call is a bug, not a choice).
 *
 * Unlike Node's synchronous hooks, a hook may return a promise, for requests that can wait (ES
 * `import`, `import()`); requests that cannot (`require`, `require.resolve`,
 * `import.meta.resolve`) fail with ERR_MODHOST_ASYNC_IN_REQUIRE when a promise comes back.
 *
 * Errors: an error a hook throws (or rejects with) reaches the importer as
 * ERR_MODHOST_HOOK_FAILED naming the specifier (or URL), the parent and the hook, with the
 * hook's error as `cause`; errors of the default step (ERR_MODULE_NOT_FOUND, …) and of the
 * chain's own checks pass through unchanged, also when a hook lets them propagate from `next*`.
 *
 * With no hooks a host never enters this module: it calls its default steps directly.
 */
import { createError } from '../../errors/codes.js';

/** The formats a load result may have; hosts add their own checks (./formats in each host). */
export type HookModuleFormat =
  | 'module'
  | 'commonjs'
  | 'module-typescript'
  | 'commonjs-typescript'
  | 'json'
  | 'wasm'
  | 'builtin';

/** Import attributes as hooks see them: a plain object of strings. */
export type HookImportAttributes = Record<string, string>;

/** The context a resolve hook gets (Node's ModuleResolveContext). */
export interface ResolveHookContext {
  /** Export conditions of this request (`import` or `require` flavour), in priority order. */
  conditions: string[];
  /** The request's import attributes. */
  importAttributes: HookImportAttributes;
  /** URL of the importing module; `undefined` for an entry point. */
  parentURL: string | undefined;
}

/** What a resolve hook returns (Node's ModuleResolveResult). */
export interface ResolveHookResult {
  /** The absolute URL of the module (need not exist on disk: `memory:`, `virtual:`, any `file:` path). */
  url: string;
  /** A hint for the load step (`context.format` there). */
  format?: string | null | undefined;
  /** Replaces the request's import attributes for loading. */
  importAttributes?: HookImportAttributes | undefined;
  /** True when the hook answers without calling `nextResolve`. */
  shortCircuit?: boolean | undefined;
}

/** The context a load hook gets (Node's ModuleLoadContext). */
export interface LoadHookContext {
  /** The format resolution gave (a hint; `undefined` when it could not tell). */
  format: string | undefined;
  /** Export conditions of this request. */
  conditions: string[];
  /** The request's import attributes. */
  importAttributes: HookImportAttributes;
}

/** Module source text or bytes, as a load hook may return it. */
export type HookSource = string | ArrayBuffer | ArrayBufferView;

/** What a load hook returns (Node's ModuleLoadResult). */
export interface LoadHookResult {
  /**
   * `'module' | 'commonjs' | 'module-typescript' | 'commonjs-typescript' | 'json' | 'wasm' |
   * 'builtin'` (the TypeScript formats have their types stripped, as a file of that format would);
   * when absent, the host decides as for a file it read (syntax detection for JavaScript).
   */
  format?: string | undefined;
  /** The text (or bytes: UTF-8 for text formats). `null`/`undefined` only for `'builtin'`. */
  source?: HookSource | null | undefined;
  /** True when the hook answers without calling `nextLoad`. */
  shortCircuit?: boolean | undefined;
}

/** A value, or a promise of it (hooks may answer either way). */
export type MaybePromise<T> = T | Promise<T>;

/** The rest of the resolve chain, as a hook calls it. */
export type NextResolve = (specifier: string, context?: Partial<ResolveHookContext>) => MaybePromise<ResolveHookResult>;
/** The rest of the load chain, as a hook calls it. */
export type NextLoad = (url: string, context?: Partial<LoadHookContext>) => MaybePromise<LoadHookResult>;

/** A resolve hook (Node's `registerHooks({ resolve })` shape; may return a promise for ES imports). */
export type ResolveHook = (
  specifier: string,
  context: ResolveHookContext,
  nextResolve: NextResolve,
) => MaybePromise<ResolveHookResult>;
/** A load hook (Node's `registerHooks({ load })` shape; may return a promise for ES imports). */
export type LoadHook = (url: string, context: LoadHookContext, nextLoad: NextLoad) => MaybePromise<LoadHookResult>;

/**
 * One entry of a host's `hooks` option: Node's `registerHooks()` argument.
 *
 * @example
 * const hooks = {
 *   resolve(specifier, context, nextResolve) {
 *     if (specifier === 'api') return { url: 'memory:/api.js', shortCircuit: true };
 *     return nextResolve(specifier, context);
 *   },
 *   load(url, context, nextLoad) {
 *     if (url === 'memory:/api.js') return { format: 'module', source: 'export const version = 1;',
 *     shortCircuit: true }; return nextLoad(url, context);
 *   },
 * };
 */
export interface ModuleHooks {
  resolve?: ResolveHook | undefined;
  load?: LoadHook | undefined;
}

/** A resolve chain's validated answer (null prototype). */
export interface ResolvedByHooks {
  readonly url: string;
  readonly format: string | undefined;
  readonly importAttributes: HookImportAttributes | undefined;
}

/** A load chain's validated answer (null prototype). `source` is text unless the format is `wasm`. */
export interface LoadedByHooks {
  readonly format: string | undefined;
  /** `null` for a built-in (as Node's default load gives it). */
  readonly source: string | Uint8Array | null | undefined;
}

/** The default step of a chain: the host's own resolution or loading. */
export type DefaultResolve = (specifier: string, context: ResolveHookContext) => MaybePromise<ResolveHookResult>;
export type DefaultLoad = (url: string, context: LoadHookContext) => MaybePromise<LoadHookResult>;

/** How one request runs through a chain. */
export interface ChainRequest {
  /**
   * Set when the caller needs the answer now (`'require()'`, `'require.resolve()'`,
   * `'import.meta.resolve()'`): a hook that returns a promise is then an error.
   */
  readonly syncFor?: string | undefined;
  /** For messages: the specifier as written (load chains) and the importing module. */
  readonly specifier?: string | undefined;
  readonly parentURL?: string | undefined;
}

/** A host's hook chains (see {@link createHookChains}). */
export interface HookChains {
  /** Number of hooks with a `resolve` / a `load` function. */
  readonly resolveCount: number;
  readonly loadCount: number;
  /** Runs the resolve chain for `specifier` over `defaultResolve`. */
  resolve(
    specifier: string,
    context: ResolveHookContext,
    defaultResolve: DefaultResolve,
    request?: ChainRequest,
  ): MaybePromise<ResolvedByHooks>;
  /** Runs the load chain for `url` over `defaultLoad`. */
  load(
    url: string,
    context: LoadHookContext,
    defaultLoad: DefaultLoad,
    request?: ChainRequest,
  ): MaybePromise<LoadedByHooks>;
}

const ObjectAssign = Object.assign;
const ObjectFreeze = Object.freeze;
const ArrayIsArray = Array.isArray;
const ArrayBufferIsView = ArrayBuffer.isView;

const NO_REQUEST: ChainRequest = ObjectFreeze({});

/** Errors that pass through the chain unwrapped: the default step's and the chain's own. */
const passThrough = new WeakSet<object>();

function markPassThrough(error: unknown): void {
  if (typeof error === 'object' && error !== null) passThrough.add(error);
  else if (typeof error === 'function') passThrough.add(error);
}

function isPassThrough(error: unknown): boolean {
  return (typeof error === 'object' || typeof error === 'function') && error !== null && passThrough.has(error);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function noop(): void {}

/** A short description of a value for messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'function') return 'a function';
  if (ArrayIsArray(value)) return 'an array';
  if (typeof value === 'object') return isThenable(value) ? 'a promise' : 'an object';
  return `${typeof value} ${String(value)}`;
}

function whatOf(kind: 'resolve' | 'load', subject: string, request: ChainRequest): string {
  const parent = request.parentURL;
  if (kind === 'resolve') return `"${subject}"${parent === undefined ? '' : ` imported from ${parent}`}`;
  const spec = request.specifier;
  const from = parent === undefined ? '' : ` imported from ${parent}`;
  if (spec !== undefined && spec !== subject) return `${subject} ("${spec}"${from})`;
  return parent === undefined ? subject : `${subject} (${from.slice(1)})`;
}

function invalidProperty(
  kind: 'resolve' | 'load',
  index: number,
  property: string,
  expected: string,
  value: unknown,
  subject: string,
  request: ChainRequest,
): Error {
  const error = createError(
    'ERR_INVALID_RETURN_PROPERTY_VALUE',
    `Expected ${expected} to be returned for the "${property}" from the "${kind}" hook (${stepName(kind, index)}) ` +
      `for ${whatOf(kind, subject, request)}, got ${describe(value)}`,
    {
      hook: `${kind}`,
      hookIndex: index,
      property,
      ...(kind === 'resolve' ? { specifier: subject } : { url: subject, specifier: request.specifier }),
      referrer: request.parentURL,
    },
  );
  markPassThrough(error);
  return error;
}

/** `hooks[i].resolve`, or "the default resolve step" for the host's own. */
function stepName(kind: 'resolve' | 'load', index: number): string {
  return index < 0 ? `the default ${kind} step` : `hooks[${index}].${kind}`;
}

function isAbsoluteURL(url: string): boolean {
  // A scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )) and a colon, then parseable.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function validateResolve(
  result: unknown,
  index: number,
  specifier: string,
  request: ChainRequest,
): ResolvedByHooks & { shortCircuit: boolean } {
  if (typeof result !== 'object' || result === null || ArrayIsArray(result)) {
    const error = createError(
      'ERR_INVALID_RETURN_VALUE',
      `Expected an object to be returned from the "resolve" hook (${stepName('resolve', index)}) for ` +
        `${whatOf('resolve', specifier, request)}, got ${describe(result)}`,
      { hook: 'resolve', hookIndex: index, specifier, referrer: request.parentURL },
    );
    markPassThrough(error);
    throw error;
  }
  const r = result as ResolveHookResult;
  const url = r.url;
  if (typeof url !== 'string' || !isAbsoluteURL(url)) {
    throw invalidProperty('resolve', index, 'url', 'an absolute URL string', url, specifier, request);
  }
  const format = r.format;
  if (format !== undefined && format !== null && typeof format !== 'string') {
    throw invalidProperty('resolve', index, 'format', 'a string', format, specifier, request);
  }
  const attributes = r.importAttributes;
  let importAttributes: HookImportAttributes | undefined;
  if (attributes !== undefined && attributes !== null) {
    if (typeof attributes !== 'object' || ArrayIsArray(attributes)) {
      throw invalidProperty('resolve', index, 'importAttributes', 'an object', attributes, specifier, request);
    }
    importAttributes = {};
    for (const key of Object.keys(attributes)) {
      const value = (attributes as Record<string, unknown>)[key];
      if (typeof value !== 'string') {
        throw invalidProperty(
          'resolve',
          index,
          'importAttributes',
          'an object of strings',
          attributes,
          specifier,
          request,
        );
      }
      importAttributes[key] = value;
    }
  }
  return {
    __proto__: null,
    url,
    format: format === null ? undefined : format,
    importAttributes,
    shortCircuit: r.shortCircuit === true,
  } as unknown as ResolvedByHooks & { shortCircuit: boolean };
}

let utf8: { decode(bytes: Uint8Array): string } | undefined;

function validateLoad(
  result: unknown,
  index: number,
  url: string,
  request: ChainRequest,
): LoadedByHooks & { shortCircuit: boolean } {
  if (typeof result !== 'object' || result === null || ArrayIsArray(result)) {
    const error = createError(
      'ERR_INVALID_RETURN_VALUE',
      `Expected an object to be returned from the "load" hook (${stepName('load', index)}) for ` +
        `${whatOf('load', url, request)}, got ${describe(result)}`,
      { hook: 'load', hookIndex: index, url, specifier: request.specifier, referrer: request.parentURL },
    );
    markPassThrough(error);
    throw error;
  }
  const r = result as LoadHookResult;
  const format = r.format;
  if (format !== undefined && format !== null && typeof format !== 'string') {
    throw invalidProperty('load', index, 'format', 'a string', format, url, request);
  }
  const raw = r.source;
  let source: string | Uint8Array | null | undefined;
  if (typeof raw === 'string') {
    source = raw;
  } else if (raw instanceof ArrayBuffer) {
    source = new Uint8Array(raw);
  } else if (ArrayBufferIsView(raw)) {
    source = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  } else if (raw === undefined || raw === null) {
    // Built-ins have no source (Node's default load gives null for them).
    if (format !== 'builtin' && !(format == null && url.startsWith('node:'))) {
      throw invalidProperty('load', index, 'source', 'a string, an ArrayBuffer, or a TypedArray', raw, url, request);
    }
    source = null;
  } else {
    throw invalidProperty('load', index, 'source', 'a string, an ArrayBuffer, or a TypedArray', raw, url, request);
  }
  // Bytes of a text format become text (UTF-8), as Node's loadWithHooks decodes them.
  if (source instanceof Uint8Array && format !== 'wasm') {
    utf8 ??= new TextDecoder();
    source = utf8.decode(source);
  }
  return {
    __proto__: null,
    format: format ?? undefined,
    source,
    shortCircuit: r.shortCircuit === true,
  } as unknown as LoadedByHooks & { shortCircuit: boolean };
}

/**
 * Builds a host's chains from its `hooks` option.
 *
 * @throws TypeError ERR_MODHOST_INVALID_ARGUMENT when `hooks` is not an array of objects whose
 *   `resolve` / `load` are functions (or absent).
 */
export function createHookChains(hooks: readonly ModuleHooks[], where = 'hooks'): HookChains {
  if (!ArrayIsArray(hooks)) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', `${where} must be an array of { resolve?, load? } objects`);
  }
  const resolvers: ResolveHook[] = [];
  const resolverIndexes: number[] = [];
  const loaders: LoadHook[] = [];
  const loaderIndexes: number[] = [];
  for (let i = 0; i < hooks.length; i++) {
    const entry = hooks[i] as unknown;
    if (typeof entry !== 'object' || entry === null) {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `${where}[${i}] must be an object with resolve and/or load functions, got ${describe(entry)}`,
      );
    }
    const { resolve, load } = entry as ModuleHooks;
    for (const [name, fn] of [
      ['resolve', resolve],
      ['load', load],
    ] as const) {
      if (fn !== undefined && fn !== null && typeof fn !== 'function') {
        throw createError(
          'ERR_MODHOST_INVALID_ARGUMENT',
          `${where}[${i}].${name} must be a function, got ${describe(fn)}`,
        );
      }
    }
    if (typeof resolve === 'function') {
      resolvers.push(resolve);
      resolverIndexes.push(i);
    }
    if (typeof load === 'function') {
      loaders.push(load);
      loaderIndexes.push(i);
    }
  }

  function asyncNotAllowed(kind: 'resolve' | 'load', index: number, subject: string, request: ChainRequest): Error {
    const error = createError(
      'ERR_MODHOST_ASYNC_IN_REQUIRE',
      `${request.syncFor} needs a synchronous answer, but the "${kind}" hook (${stepName(kind, index)}) returned ` +
        `a promise for ${whatOf(kind, subject, request)}; ` +
        'make the hook synchronous for this request, or use import()',
      {
        hook: kind,
        hookIndex: index,
        ...(kind === 'resolve' ? { specifier: subject } : { url: subject, specifier: request.specifier }),
        referrer: request.parentURL,
      },
    );
    markPassThrough(error);
    return error;
  }

  function hookFailed(
    kind: 'resolve' | 'load',
    index: number,
    subject: string,
    request: ChainRequest,
    cause: unknown,
  ): Error {
    const message =
      typeof cause === 'object' && cause !== null && typeof (cause as { message?: unknown }).message === 'string'
        ? (cause as { message: string }).message
        : String(cause);
    return createError(
      'ERR_MODHOST_HOOK_FAILED',
      `The "${kind}" hook (${stepName(kind, index)}) failed for ${whatOf(kind, subject, request)}: ${message}`,
      {
        hook: kind,
        hookIndex: index,
        ...(kind === 'resolve' ? { specifier: subject } : { url: subject, specifier: request.specifier }),
        referrer: request.parentURL,
        cause,
      },
    );
  }

  /**
   * Runs one chain. `fns[i]` is hook number `indexes[i]`; the default step follows the last.
   * Returns the validated answer, or a promise of it.
   */
  function run<Context extends object, Result extends { shortCircuit: boolean }>(
    kind: 'resolve' | 'load',
    fns: ReadonlyArray<
      (arg: string, context: Context, next: (arg: string, context?: Partial<Context>) => unknown) => unknown
    >,
    indexes: readonly number[],
    arg0: string,
    context: Context,
    defaultStep: (arg: string, context: Context) => unknown,
    validate: (result: unknown, index: number, arg: string, request: ChainRequest) => Result,
    request: ChainRequest,
  ): MaybePromise<Result> {
    const merged = context;
    /** Which hook threw what (the innermost hook that threw a value first is blamed). */
    const thrownBy = new Map<unknown, number>();
    const blame = (error: unknown, index: number): void => {
      if (!isPassThrough(error) && !thrownBy.has(error)) thrownBy.set(error, index);
    };

    const step = (i: number, arg: string): MaybePromise<Result> => {
      if (i === fns.length) {
        let result: unknown;
        try {
          result = defaultStep(arg, merged);
        } catch (error) {
          markPassThrough(error);
          throw error;
        }
        if (isThenable(result)) {
          return Promise.resolve(result).then(
            (value) => validate(value, -1, arg, request),
            (error: unknown) => {
              markPassThrough(error);
              throw error;
            },
          );
        }
        return validate(result, -1, arg, request);
      }
      const index = indexes[i];
      const fn = fns[i];
      if (index === undefined || fn === undefined)
        throw createError('ERR_MODHOST_INTERNAL', 'hook chain index out of range');
      let calledNext = false;
      const next = (nextArg: string, nextContext?: Partial<Context>): unknown => {
        calledNext = true;
        if (nextContext !== undefined && nextContext !== null && nextContext !== merged) {
          ObjectAssign(merged, nextContext);
        }
        // Node's next* takes the (possibly rewritten) first argument; a missing one keeps the current.
        return step(i + 1, typeof nextArg === 'string' ? nextArg : arg);
      };
      const finish = (result: unknown): Result => {
        const validated = validate(result, index, arg, request);
        if (!calledNext && !validated.shortCircuit) {
          const error = createError(
            'ERR_LOADER_CHAIN_INCOMPLETE',
            `"${stepName(kind, index)}" did not call the next hook in its chain and did not explicitly signal a ` +
              `short circuit. ` +
              "If this is intentional, include `shortCircuit: true` in the hook's return.",
            {
              hook: kind,
              hookIndex: index,
              ...(kind === 'resolve' ? { specifier: arg } : { url: arg, specifier: request.specifier }),
              referrer: request.parentURL,
            },
          );
          markPassThrough(error);
          throw error;
        }
        return validated;
      };
      let result: unknown;
      try {
        result = fn(arg, merged, next);
      } catch (error) {
        blame(error, index);
        throw error;
      }
      if (isThenable(result)) {
        if (request.syncFor !== undefined) {
          // Nobody will wait for it: keep its rejection from being reported as unhandled.
          Promise.resolve(result).then(noop, noop);
          throw asyncNotAllowed(kind, index, arg, request);
        }
        return Promise.resolve(result).then(finish, (error: unknown) => {
          blame(error, index);
          throw error;
        });
      }
      return finish(result);
    };

    const fail = (error: unknown): never => {
      if (isPassThrough(error)) throw error;
      const index = thrownBy.get(error);
      throw hookFailed(kind, index ?? -1, arg0, request, error);
    };
    let outcome: MaybePromise<Result>;
    try {
      outcome = step(0, arg0);
    } catch (error) {
      return fail(error);
    }
    if (isThenable(outcome)) return (outcome as Promise<Result>).then(undefined, fail);
    return outcome;
  }

  const stripResolve = (r: ResolvedByHooks & { shortCircuit: boolean }): ResolvedByHooks =>
    ({
      __proto__: null,
      url: r.url,
      format: r.format,
      importAttributes: r.importAttributes,
    }) as unknown as ResolvedByHooks;
  const stripLoad = (r: LoadedByHooks & { shortCircuit: boolean }): LoadedByHooks =>
    ({ __proto__: null, format: r.format, source: r.source }) as unknown as LoadedByHooks;

  return ObjectFreeze({
    resolveCount: resolvers.length,
    loadCount: loaders.length,
    resolve(specifier, context, defaultResolve, given = NO_REQUEST) {
      // (the parent named in messages is the context's unless the caller says otherwise)
      const request: ChainRequest =
        given.parentURL === undefined && context.parentURL !== undefined
          ? { syncFor: given.syncFor, specifier: given.specifier, parentURL: context.parentURL }
          : given;
      const outcome = run(
        'resolve',
        resolvers as never,
        resolverIndexes,
        specifier,
        context,
        defaultResolve as never,
        validateResolve,
        request,
      );
      return isThenable(outcome)
        ? (outcome as Promise<ResolvedByHooks & { shortCircuit: boolean }>).then(stripResolve)
        : stripResolve(outcome);
    },
    load(url, context, defaultLoad, request = NO_REQUEST) {
      const outcome = run(
        'load',
        loaders as never,
        loaderIndexes,
        url,
        context,
        defaultLoad as never,
        validateLoad,
        request,
      );
      return isThenable(outcome)
        ? (outcome as Promise<LoadedByHooks & { shortCircuit: boolean }>).then(stripLoad)
        : stripLoad(outcome);
    },
  } satisfies HookChains);
}

/** True when `value` is a promise-like (hook results may be). */
export { isThenable };
