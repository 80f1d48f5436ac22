/**
 * Evaluators of the browser host: compiled ES-module code becomes a generator function through
 * indirect eval, unless it was precompiled (then the registered function is used and nothing is
 * evaluated); CommonJS wrappers likewise. When eval is forbidden (a Content-Security-Policy without
 * 'unsafe-eval', or `evaluation: 'compiled'`), the error says so and how to precompile.
 */

import { evalEvaluator } from '../../commonjs/evaluator.js';
import type { Evaluator } from '../../commonjs/loader.js';
import { createError } from '../../errors/codes.js';
import { registerCompiledCode } from '../stack-traces.js';
import { compiledModule } from './compiled.js';

/** How a host turns module text into code. */
export type EvaluationMode = 'eval' | 'compiled';

// biome-ignore lint/security/noGlobalEval: an evaluator's job is to run code as a global script
const indirectEval = globalThis.eval;

/** Code strings standing for precompiled generator functions (see {@link precompiledCode}). */
const precompiledFactories = new Map<string, () => unknown>();
let nextMarker = 0;

/**
 * A stand-in for `compiled.code` of a precompiled ES module: the browser evaluator recognises it
 * and calls `factory` instead of evaluating anything. Unique per call.
 */
export function precompiledCode(url: string, factory: () => unknown): string {
  const code = `/* modhost precompiled #${nextMarker++}: ${url.replace(/\*\//g, '* /')} */`;
  precompiledFactories.set(code, factory);
  return code;
}

function isEvalBlocked(error: unknown): boolean {
  return (
    error instanceof EvalError ||
    (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'EvalError')
  );
}

function evalBlocked(url: string, mode: EvaluationMode, cause?: unknown): Error {
  const why =
    mode === 'compiled'
      ? 'the host runs precompiled modules only (evaluation: "compiled") and this module was not precompiled'
      : "the page's Content-Security-Policy forbids eval (no 'unsafe-eval' in script-src)";
  return createError(
    'ERR_MODHOST_EVAL_BLOCKED',
    `Cannot evaluate ${url}: ${why}. Precompile it with \`modhost compile\` and create the host with evaluation: ` +
      `"compiled"`,
    { url, cause },
  );
}

/** The realm evaluator for ES modules: precompiled factories first, else indirect eval (when allowed). */
export function createModuleEvaluator(mode: EvaluationMode): (code: string, url: string) => unknown {
  return (code, url) => {
    const factory = precompiledFactories.get(code);
    if (factory !== undefined) return factory();
    if (mode === 'compiled') throw evalBlocked(url, mode);
    registerCompiledCode(url, code);
    try {
      return indirectEval(code);
    } catch (error) {
      if (isEvalBlocked(error)) throw evalBlocked(url, mode, error);
      throw error;
    }
  };
}

/**
 * The CommonJS evaluator: a module compiled by `modhost compile` (registered under its URI) is
 * used as it is, after checking it was compiled for the same wrapper parameters; anything else
 * goes through the runtime's eval-based evaluator when the mode allows it.
 */
export function createCommonJSEvaluator(mode: EvaluationMode): Evaluator {
  return (input) => {
    const entry = compiledModule(input.uri);
    if (entry !== undefined && entry.kind === 'cjs') {
      if (entry.params.length !== input.params.length || entry.params.some((p, i) => p !== input.params[i])) {
        throw createError(
          'ERR_MODHOST_INVALID_ARGUMENT',
          `${input.uri} was compiled for the wrapper parameters (${entry.params.join(', ')}) but the runtime ` +
            `passes (${input.params.join(', ')}); compile with the same --cjs-globals as the runtime's globals option`,
          { url: input.uri },
        );
      }
      return entry.factory;
    }
    if (mode === 'compiled') throw evalBlocked(input.uri, mode);
    try {
      return evalEvaluator(input);
    } catch (error) {
      if (isEvalBlocked(error)) throw evalBlocked(input.uri, mode, error);
      throw error;
    }
  };
}
