/**
 * Module format of an "ambiguous" file: a `.js` (or extension-less) file whose package.json has
 * no "type". Node (20.19+/22.7+, "detect-module", on by default) decides these by syntax, and so
 * do we, with the same engine and the same rule, so the answer is Node's by construction:
 *
 * 1. Compile the text as a CommonJS function body (V8, `vm.compileFunction`, the wrapper's
 *    parameters). If it compiles, the file is **CommonJS**.
 * 2. If V8's SyntaxError is one that only module syntax causes (`import` declaration, `export`,
 *    `import.meta`), the file is an **ES module** (an ES-module syntax error in it is then reported
 *    by the module parser).
 * 3. If the SyntaxError is one that only the CommonJS wrapper causes (top-level `await`; a
 *    top-level `const require`/`module`/`exports`/`__filename`/`__dirname`, which clash with the
 *    wrapper's parameters), the file is an **ES module** if it parses as one, else CommonJS.
 * 4. Any other SyntaxError: **CommonJS** (loading it then reports that error, as Node does).
 *
 * These are the messages Node's `ShouldRetryAsESM` (src/node_contextify.cc) matches. A file whose
 * only "module syntax" is a dynamic `import()` is CommonJS (it is valid in scripts).
 */
import { extname } from 'node:path';
import vm from 'node:vm';
import { PLAIN_PARAMS } from '../../commonjs/globals.js';
import { hashbangEnd } from '../../lexical/trivia.js';
import type { PackageJsonCache } from './package-json.js';

/** V8 messages that only module syntax produces in a script / function body. */
const ESM_SYNTAX_ERRORS = [
  'Cannot use import statement outside a module',
  "Unexpected token 'export'",
  "Cannot use 'import.meta' outside a module",
] as const;

/** V8 messages that code valid as a module produces only inside the CommonJS wrapper. */
const CJS_ONLY_ERRORS = [
  "Identifier 'module' has already been declared",
  "Identifier 'exports' has already been declared",
  "Identifier 'require' has already been declared",
  "Identifier '__filename' has already been declared",
  "Identifier '__dirname' has already been declared",
  'await is only valid in async functions and the top level bodies of modules',
] as const;

/** What a SyntaxError from compiling text as CommonJS says about its format (steps 2-4 above). */
export type SyntaxVerdict = 'module' | 'maybe-module' | 'commonjs';

/** Classifies a SyntaxError thrown while compiling a file as a CommonJS function body. */
export function verdictOf(error: unknown): SyntaxVerdict {
  if (!(error instanceof SyntaxError)) return 'commonjs';
  const message = error.message;
  for (const text of ESM_SYNTAX_ERRORS) if (message.includes(text)) return 'module';
  for (const text of CJS_ONLY_ERRORS) if (message.includes(text)) return 'maybe-module';
  return 'commonjs';
}

/** The result of {@link detectFormat}. */
export type DetectedFormat =
  | { readonly format: 'module' }
  /** `fn` is the compiled wrapper (for the given parameters), ready to run: no second compile. */
  | { readonly format: 'commonjs'; readonly fn: ((...args: never[]) => unknown) | undefined };

/**
 * Decides the format of an ambiguous file. `compile()` compiles its text as the CommonJS wrapper
 * (with the host's evaluator, so the function it returns can run the module later without a second
 * compile) and throws V8's SyntaxError; `parsesAsModule()` says whether the text is a valid ES
 * module (modhost's parser).
 */
export function detectFormat(
  compile: () => (...args: never[]) => unknown,
  parsesAsModule: () => boolean,
): DetectedFormat {
  try {
    return { format: 'commonjs', fn: compile() };
  } catch (error) {
    const verdict = verdictOf(error);
    if (verdict === 'module' || (verdict === 'maybe-module' && parsesAsModule())) return { format: 'module' };
    return { format: 'commonjs', fn: undefined };
  }
}

/**
 * The format of an ambiguous file from its text alone (for tools that only look, such as
 * `modhost graph`): {@link detectFormat} with a plain `vm.compileFunction` of the CommonJS wrapper.
 */
export function detectFormatOfText(
  text: string,
  filename: string,
  parsesAsModule: () => boolean,
): 'module' | 'commonjs' {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const wrapped = hashbangEnd(body) === 0 ? body : `//${body.slice(2)}`;
  return detectFormat(
    () => vm.compileFunction(wrapped, [...PLAIN_PARAMS], { filename }) as (...args: never[]) => unknown,
    parsesAsModule,
  ).format;
}

/** The format `require` gives a file: what its extension or package "type" says, else 'ambiguous'. */
export type RequireFormat = 'module' | 'commonjs' | 'ambiguous';

/**
 * The format of the file at `filename` for `require`: `.mjs` and `.mts` are ES modules, `.cts`
 * is CommonJS, `.js` and `.ts` follow the nearest package.json "type" ('ambiguous' without one:
 * their syntax decides), anything else is CommonJS.
 */
export function requireFormatOf(packageJson: PackageJsonCache, filename: string): RequireFormat {
  const extension = extname(filename);
  if (extension === '.mjs' || extension === '.mts') return 'module';
  if (extension !== '.js' && extension !== '.ts') return 'commonjs';
  const type = packageJson.getPackageScopeConfig(filename, { commonjs: true, importing: filename }).type;
  return type === 'module' ? 'module' : type === 'commonjs' ? 'commonjs' : 'ambiguous';
}
