/**
 * How the CLI reports a program's fatal error, laid out as Node reports one: the location
 * (`file:line`, as the stack names the file), a code frame with a caret at the column, then the
 * value as `util.inspect` shows it (an Error's stack, `[cause]` chain, `[errors]`, own properties
 * such as `code`), then the runtime's version. The stack's frames are the program's own, at their
 * original lines and columns (src/hosts/stack-traces.ts).
 */
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { createError } from '../errors/codes.js';
import { VERSION } from '../version.js';
import { codeFrame, locationOf, paint, useColor } from './output.js';

/** What Node checks before treating a thrown value as an Error (an object with a stack). */
export function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as { stack?: unknown }).stack === 'string';
}

/** The report of an uncaught exception or unhandled rejection that ends the program. */
export function formatFatal(value: unknown, hint?: string): string {
  const color = useColor(process.stderr);
  const lines: string[] = [];
  const location = locationOf(value);
  if (location !== undefined) {
    lines.push(`${location.shown}:${location.line}`);
    const frame = codeFrame(location, color);
    if (frame !== undefined) lines.push(frame);
    lines.push('');
  }
  // A thrown string prints as it is; any other value as util.inspect shows it, as Node does.
  let shown = typeof value === 'string' ? value : inspect(value, { colors: color });
  // util.inspect brackets an Error whose stack has no frames (`[SyntaxError: …]`, e.g. a link
  // error, whose frames are all modhost's); Node's report shows the stack's first line as it is.
  const stack = isErrorLike(value) ? value.stack : undefined;
  if (stack !== undefined && shown.startsWith(`[${stack}]`)) shown = stack + shown.slice(stack.length + 2);
  lines.push(shown);
  if (hint !== undefined) lines.push(hint);
  lines.push('', paint(color, '2', `Node.js ${process.version} (modhost ${VERSION})`));
  return `${lines.join('\n')}\n`;
}

/**
 * A command's own failure (a missing file, a parse error of the module it reads): one line
 * `Name [code]: message`, and the code frame when the error has a position.
 */
export function formatCommandError(error: unknown): string {
  const color = useColor(process.stderr);
  if (typeof error !== 'object' || error === null) return `${paint(color, '31', 'modhost')}: ${String(error)}\n`;
  const e = error as { name?: unknown; message?: unknown; code?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? ` [${e.code}]` : '';
  const lines = [`${paint(color, '31;1', `${name}${code}`)}: ${String(e.message ?? '')}`];
  const location = locationOf(error, { stack: false });
  if (location !== undefined) {
    lines.push(`    at ${location.shown}:${location.line}:${location.column}`);
    const frame = codeFrame(location, color);
    if (frame !== undefined) lines.push('', frame);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The error for a command's file argument that names no file (run, inspect and graph say the
 * same: `Cannot find module '/abs/path'`, ERR_MODULE_NOT_FOUND); undefined for a file.
 */
export function entryError(path: string): Error | undefined {
  try {
    if (statSync(path).isFile()) return undefined;
  } catch {
    // missing, or unreadable: reading it would fail alike
  }
  return createError('ERR_MODULE_NOT_FOUND', `Cannot find module '${path}'`, { url: pathToFileURL(path).href });
}

/**
 * Node's hint for a named import that a CommonJS module does not provide (cjs-module-lexer did
 * not see it): import the default export instead. `isCommonJS(specifier, referrer)` tells whether
 * the import's target is CommonJS.
 */
export function commonJSImportHint(
  error: unknown,
  isCommonJS: (specifier: string, referrer: string) => boolean,
): string | undefined {
  const e = error as { code?: unknown; specifier?: unknown; referrer?: unknown; importName?: unknown } | null;
  if (typeof e !== 'object' || e === null || e.code !== 'ERR_MODHOST_UNRESOLVED_IMPORT') return undefined;
  const { specifier, referrer, importName } = e;
  if (typeof specifier !== 'string' || typeof referrer !== 'string' || typeof importName !== 'string') return undefined;
  try {
    if (!isCommonJS(specifier, referrer)) return undefined;
  } catch {
    return undefined;
  }
  const binding = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(importName)
    ? importName
    : `'${importName}': value`;
  return [
    `The requested module '${specifier}' is a CommonJS module, which may not support all module.exports as named ` +
      `exports.`,
    'CommonJS modules can always be imported via the default export, for example using:',
    '',
    `import pkg from '${specifier}';`,
    `const { ${binding} } = pkg;`,
  ].join('\n');
}
