/**
 * `define` (CMD, Modules/Wrappings): a wrapped file's top level calls it once, with a factory
 * (run on the module's first `require`) or any other value (the exports). The CMD long form
 * `define(id?, deps?, factory)` is accepted, its `id` and `deps` ignored.
 */
import { createError } from '../errors/codes.js';

/** `define` as module code sees it. */
export interface DefineFunction {
  /**
   * Defines the module of the file being loaded: `define(factory)` with
   * `factory(require, exports, module)` run on first `require` (a return value other than
   * `undefined` replaces the exports), or `define(value)` for any other value. The CMD long form
   * `define(id?, deps?, factory)` is accepted; `id` and `deps` are ignored.
   */
  (...args: unknown[]): void;
  /** Feature detection (CMD): `typeof define === 'function' && define.cmd`. */
  readonly cmd: object;
}

/** State of one `define` file between its top level and its first `require`. */
export interface DefineState {
  readonly uri: string;
  called: boolean;
  isFactory: boolean;
  value: unknown;
}

const CMD_MARKER: object = Object.freeze({});

/** The CMD long form's leading arguments: an optional string id, then an optional array of deps. */
function isCmdPrefix(prefix: unknown[]): boolean {
  if (prefix.length === 1) return typeof prefix[0] === 'string' || Array.isArray(prefix[0]);
  return typeof prefix[0] === 'string' && Array.isArray(prefix[1]);
}

/** A file that defines more than one module. */
export function duplicateDefine(uri: string): Error {
  return createError(
    'ERR_MODHOST_DUPLICATE_DEFINE',
    `${uri} calls define() more than once; a file defines one module`,
    { url: uri },
  );
}

/** Records a `define(...)` call of the file `state` belongs to. */
function defineInto(state: DefineState, args: unknown[]): void {
  if (state.called) throw duplicateDefine(state.uri);
  if (args.length === 0 || args[args.length - 1] === undefined) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `define() needs a factory function or an exports value (in ${state.uri})`,
      { url: state.uri },
    );
  }
  if (args.length > 3 || (args.length >= 2 && !isCmdPrefix(args.slice(0, -1)))) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `define() takes (factory), (value) or the CMD form (id?, deps?, factory); got ${args.length} arguments ` +
        `(in ${state.uri})`,
      { url: state.uri },
    );
  }
  const value = args[args.length - 1];
  state.called = true;
  state.isFactory = typeof value === 'function';
  state.value = value;
}

function withCmdMarker(define: DefineFunction): DefineFunction {
  Object.defineProperty(define, 'cmd', { value: CMD_MARKER, enumerable: true });
  return define;
}

/** The `define` a wrapped file's top level receives: it defines that file's module. */
export function fileDefine(state: DefineState): DefineFunction {
  return withCmdMarker(function define(...args: unknown[]): void {
    defineInto(state, args);
  } as DefineFunction);
}

/**
 * The runtime's own `define` (`cjs.define`, the page-level `define`): it defines the module of
 * the wrapped file whose top level is running, the last of `preparing`.
 */
export function runtimeDefine(preparing: readonly DefineState[]): DefineFunction {
  return withCmdMarker(function define(...args: unknown[]): void {
    const state = preparing[preparing.length - 1];
    if (state === undefined) {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        'define() was called while no module file is loading; a wrapped module file calls define() at its top level',
      );
    }
    defineInto(state, args);
  } as DefineFunction);
}
