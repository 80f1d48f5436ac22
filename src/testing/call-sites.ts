/**
 * Call sites for `modhost test`'s node:test facade (./node-test-facade.ts).
 *
 * node:test records where each test, suite and hook was declared from the frame that called its
 * `test()` / `describe()` / `beforeEach()` (Node's native `getCallerLocation`, frame 1). A facade
 * that wraps those functions would be that frame, and modhost's compiled code reports the
 * compiled columns, not the module's. So the facade finds the real call site — its caller's
 * frame, mapped to the original position (../hosts/stack-traces.ts) — and calls the real
 * function through a *trampoline*: a function compiled under the caller's file name whose call
 * expression sits at exactly that line and column. Node then records the position the user
 * wrote, as `node --test` would (`location:` in TAP, `test at file:line:col` in spec's summary).
 */
import vm from 'node:vm';
import { isOwnFrameFile, originalPositionIn } from '../hosts/stack-traces.js';

/** A position in a module, 1-based, as node:test reports it. */
export interface CallSitePosition {
  /** The script name V8 reports (a `file:` URL for modules modhost ran). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

interface V8CallSite {
  getScriptNameOrSourceURL?(): string | null | undefined;
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

type ErrorStatics = {
  prepareStackTrace?: unknown;
  stackTraceLimit?: number;
  captureStackTrace(target: object, constructorOpt?: Function): void;
};

/**
 * Where the function `callee` was called from: the first frame below it that is not modhost's
 * own code, at its original position. `undefined` where V8's stack API is not available.
 */
export function callerOf(callee: Function): CallSitePosition | undefined {
  const ErrorCtor = Error as unknown as ErrorStatics;
  if (typeof ErrorCtor.captureStackTrace !== 'function') return undefined;
  const prepare = ErrorCtor.prepareStackTrace;
  const limit = ErrorCtor.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    ErrorCtor.prepareStackTrace = (_error: unknown, trace: V8CallSite[]) => trace;
    ErrorCtor.stackTraceLimit = 8;
    ErrorCtor.captureStackTrace(holder, callee);
    // (read while our prepareStackTrace is in place: V8 formats the stack on first access)
    const trace = holder.stack;
    if (!Array.isArray(trace)) return undefined;
    for (const site of trace as V8CallSite[]) {
      const file = site.getScriptNameOrSourceURL?.() ?? site.getFileName();
      const line = site.getLineNumber();
      const column = site.getColumnNumber();
      if (typeof file !== 'string' || file === '' || line === null || column === null) return undefined;
      if (isOwnFrameFile(file)) continue;
      const original = originalPositionIn(file, line, column) ?? { line, column };
      return { file, line: original.line, column: original.column };
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    ErrorCtor.prepareStackTrace = prepare;
    ErrorCtor.stackTraceLimit = limit;
  }
}

type Trampoline = (fn: Function, args: readonly unknown[]) => unknown;

/** Trampolines by position (one compile per declaration site, kept until {@link forgetCallSites}). */
const trampolines = new Map<string, Trampoline>();

/**
 * Calls `fn` (with `this` undefined: node:test's functions do not use it) with `args` from a
 * frame at `site`, so that `fn`'s caller is that position for V8. Falls back to a plain call
 * when a trampoline cannot be compiled there.
 */
export function callFrom(site: CallSitePosition | undefined, fn: Function, args: readonly unknown[]): unknown {
  if (site === undefined) return Reflect.apply(fn, undefined, args);
  const key = `${site.line}:${site.column}:${site.file}`;
  let trampoline = trampolines.get(key);
  if (trampoline === undefined) {
    try {
      // The call's callee `f` starts the second line, at the site's column (V8 reports a call at
      // its callee); lineOffset puts that line at the site's line (V8 takes negative offsets).
      const body = `return (\n${' '.repeat(Math.max(0, site.column - 1))}f(...a))`;
      trampoline = vm.compileFunction(body, ['f', 'a'], {
        filename: site.file,
        lineOffset: site.line - 2,
      }) as Trampoline;
    } catch {
      trampoline = (f, a) => Reflect.apply(f, undefined, a);
    }
    trampolines.set(key, trampoline);
  }
  return trampoline(fn, args);
}

/** Drops the trampolines (after a test file: its sites are not declared again). */
export function forgetCallSites(): void {
  trampolines.clear();
}
