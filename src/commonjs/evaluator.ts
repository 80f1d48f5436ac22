import { createError } from '../errors/codes.js';
import type { Evaluator, EvaluatorInput } from './loader.js';

/**
 * The default evaluator: an indirect `eval` of
 * `(function (params) {<body>\n})\n//# sourceURL=<uri>`. The header shares line 1 with the body,
 * so stack-trace lines match the file; columns on line 1 are shifted by the header.
 *
 * Indirect eval runs in the global scope, so module code sees globals and nothing of modhost.
 * Unlike `vm.compileFunction`, a body that closes the function early (`}); …; (function(){`) is not
 * rejected; hosts that run untrusted text should supply an evaluator that parses the body alone.
 *
 * A syntax error is rethrown as ERR_MODHOST_PARSE (still a SyntaxError) naming the URI, because
 * the engine's own SyntaxError from `eval` does not say which file it came from.
 */
export const evalEvaluator: Evaluator = (input: EvaluatorInput) => {
  const text = `(function (${input.params.join(', ')}) {${input.body}\n})\n//# sourceURL=${input.uri}`;
  try {
    // Indirect eval on purpose: global scope, no access to this module's bindings.
    // biome-ignore lint/security/noGlobalEval: an evaluator's job is to run code as a global script
    return (0, eval)(text) as (...args: never[]) => unknown;
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw createError('ERR_MODHOST_PARSE', `${input.uri}: ${error.message}`, { url: input.uri, cause: error });
    }
    throw error;
  }
};
