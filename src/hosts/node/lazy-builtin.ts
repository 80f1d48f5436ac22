/**
 * Node built-ins that modhost needs only on some paths (the inspector for an unsettled top-level
 * await, node:crypto for the compile cache, node:test for `modhost test`, …), loaded when first
 * asked for. Each one imported up front is a few ms and 1–2 MiB of RSS on every run of the CLI,
 * even when the program never reaches the path (measured by bench (c)).
 */
import { createRequire } from 'node:module';

let requireHere: NodeJS.Require | undefined;

/** The built-in `id` (`node:…`), loaded on this call if nothing loaded it before. */
export function nodeBuiltin<T>(id: `node:${string}`): T {
  // process.getBuiltinModule is Node 20.16+; createRequire covers the older Node 20 releases.
  const found = process.getBuiltinModule?.(id);
  if (found !== undefined) return found as T;
  requireHere ??= createRequire(import.meta.url);
  return requireHere(id) as T;
}

/**
 * Milliseconds from an arbitrary origin, for the hosts' timings: `process.hrtime`, because the
 * first use of the `performance` global loads Node's perf_hooks (~1 MiB of RSS on Node 24).
 */
export function nowMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
