/**
 * Phases 3 and 4 of loading one module (./runtime.ts): **prepare** turns its text into a runnable
 * form (JSON text; a compiled plain module; a wrapped file whose top level has run and registered
 * its factory or value), and **execute** runs that form for the module object, once, on the
 * module's first `require`.
 */
import { hashbangEnd } from '../lexical/trivia.js';
import { type DefineState, duplicateDefine, fileDefine } from './define.js';
import type { Evaluator } from './loader.js';
import type { CommonJSModule } from './module.js';
import type { Resolved } from './resolution-cache.js';
import { detectWrapperForm } from './scan.js';

/** A module ready to run. */
export type Prepared =
  | { readonly kind: 'json'; readonly text: string }
  | { readonly kind: 'plain'; readonly fn: (...args: never[]) => unknown }
  | { readonly kind: 'define'; readonly state: DefineState };

/** What preparing and executing need from the runtime. */
export interface PrepareParts {
  readonly evaluator: Evaluator;
  /** Wrapper parameters of a plain module: `require, exports, module, __filename, __dirname` and the globals. */
  readonly plainParams: readonly string[];
  /** Wrapper parameters of a wrapped file's top level: `define` and the globals. */
  readonly defineParams: readonly string[];
  /** The globals' values, in parameter order. */
  readonly globalValues: readonly unknown[];
  /** Wrapped files whose top level is running (the runtime's own `define` attaches to the last). */
  readonly preparing: DefineState[];
}

/** Removes a byte order mark, as Node does before compiling or parsing JSON. */
function stripBOM(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Prepares the module `resolved` from its text. */
export function prepare(parts: PrepareParts, resolved: Resolved, rawText: string): Prepared {
  const text = stripBOM(rawText);
  if (resolved.json) return { kind: 'json', text };
  // A hashbang is only legal at the very start of a script; inside the wrapper it must become a comment.
  const body = hashbangEnd(text) === 0 ? text : `//${text.slice(2)}`;
  const form = detectWrapperForm(body);
  const { evaluator, globalValues } = parts;
  if (form === 'plain') {
    return {
      kind: 'plain',
      fn: evaluator({ body, params: parts.plainParams, filename: resolved.filename, uri: resolved.uri }),
    };
  }
  if (form === 'multiple-define') throw duplicateDefine(resolved.uri);
  const fn = evaluator({ body, params: parts.defineParams, filename: resolved.filename, uri: resolved.uri }) as (
    ...args: unknown[]
  ) => unknown;
  const state: DefineState = { uri: resolved.uri, called: false, isFactory: false, value: undefined };
  const define = fileDefine(state);
  parts.preparing.push(state);
  try {
    if (globalValues.length === 0) fn.call(undefined, define);
    else fn.apply(undefined, [define, ...globalValues]);
  } finally {
    parts.preparing.pop();
  }
  if (!state.called) {
    // Only reachable if the file rebinds `define` before calling it: an empty module.
    state.called = true;
    state.value = {};
  }
  return { kind: 'define', state };
}

/** Runs a prepared module for `module` (its exports are the result). */
export function execute(module: CommonJSModule, prepared: Prepared, globalValues: readonly unknown[]): void {
  switch (prepared.kind) {
    case 'plain': {
      const exports = module.exports;
      const fn = prepared.fn as (...args: unknown[]) => unknown;
      if (globalValues.length === 0) fn.call(exports, module.require, exports, module, module.filename, module.path);
      else fn.apply(exports, [module.require, exports, module, module.filename, module.path, ...globalValues]);
      return;
    }
    case 'define': {
      const state = prepared.state;
      if (!state.isFactory) {
        module.exports = state.value;
        return;
      }
      const exports = module.exports;
      const result = (state.value as (...args: unknown[]) => unknown).call(exports, module.require, exports, module);
      if (result !== undefined) module.exports = result;
      return;
    }
    case 'json':
      try {
        module.exports = JSON.parse(prepared.text);
      } catch (error) {
        // As Node: the parse error names the file (the engine's message does not).
        if (error instanceof SyntaxError) error.message = `${module.filename}: ${error.message}`;
        throw error;
      }
      return;
  }
}
