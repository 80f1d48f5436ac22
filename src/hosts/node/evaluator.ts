/**
 * Evaluates compiled module code with `vm.Script` in the current context, so stack traces name
 * the module's URL (the code also carries `//# sourceURL=`) and V8 can use a code cache.
 */
import vm from 'node:vm';

/** Compiled code → its completion value (the module's generator function). */
export function evaluateWithVm(code: string, url: string): unknown {
  const script = new vm.Script(code, { filename: url });
  return script.runInThisContext();
}
