/**
 * Spec assertions. A failed Assert is a bug in modhost (or a caller breaking a documented
 * precondition), never an error the spec lets user code cause, so it throws ERR_MODHOST_INTERNAL.
 */
import { createError } from '../errors/codes.js';

/** Assert: `condition` holds; otherwise throws ERR_MODHOST_INTERNAL naming the step. */
export function Assert(condition: unknown, what: string): asserts condition {
  if (!condition) throw createError('ERR_MODHOST_INTERNAL', `modhost internal invariant violated: ${what}`);
}

/**
 * A failed Assert whose message is only built when it fails: `if (!cond) AssertionFailed(`…`)`
 * keeps hot paths free of message formatting.
 */
export function AssertionFailed(what: string): never {
  throw createError('ERR_MODHOST_INTERNAL', `modhost internal invariant violated: ${what}`);
}
