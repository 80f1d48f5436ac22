/**
 * Names of Node's built-in modules, as the running Node knows them.
 *
 * Node has two kinds of built-in names: those that may be written bare (`fs`, `fs/promises`,
 * `node:fs`) and those that exist only behind the `node:` scheme (`node:test`, `node:sea`,
 * `node:sqlite`, …). PACKAGE_RESOLVE turns only the first kind into `node:` URLs; a bare `test`
 * is an ordinary package name and is looked up in node_modules.
 */
import { builtinModules, isBuiltin } from 'node:module';

/**
 * Built-ins that Node only exposes with the `node:` scheme. Node 23.5 and later list them in
 * `builtinModules` with the scheme (`node:sqlite`); older releases leave them out, so for those a
 * short list of the ones Node has shipped is probed, keeping those the running Node really has.
 */
const SCHEME_ONLY_CANDIDATES = ['test', 'test/reporters', 'sea', 'sqlite', 'quic', 'ffi'] as const;

const bareBuiltins: ReadonlySet<string> = new Set(builtinModules.filter((name) => !name.startsWith('node:')));

const schemeOnlyBuiltins: ReadonlySet<string> = new Set([
  ...builtinModules.filter((name) => name.startsWith('node:')).map((name) => name.slice('node:'.length)),
  ...SCHEME_ONLY_CANDIDATES.filter((name) => !bareBuiltins.has(name) && isBuiltin(`node:${name}`)),
]);

/** Every built-in module name of the running Node that may be written without `node:`. */
export const BARE_BUILTIN_MODULES: ReadonlySet<string> = bareBuiltins;

/** Built-in module names of the running Node that exist only as `node:<name>`. */
export const SCHEME_ONLY_BUILTIN_MODULES: ReadonlySet<string> = schemeOnlyBuiltins;

/**
 * True when `name` (no scheme) is a built-in that may be imported or required bare, as in
 * `import 'fs'` or `require('fs/promises')` — Node's "canBeRequiredWithoutScheme".
 */
export function isBareBuiltin(name: string): boolean {
  return bareBuiltins.has(name);
}

/**
 * True when `specifier` names a built-in module either bare (`fs`) or with the `node:` scheme
 * (`node:fs`, `node:test`) — the ids `require()` hands to Node's built-in loader.
 */
export function isBuiltinSpecifier(specifier: string): boolean {
  if (specifier.startsWith('node:')) {
    const name = specifier.slice(5);
    return bareBuiltins.has(name) || schemeOnlyBuiltins.has(name);
  }
  return bareBuiltins.has(specifier);
}
