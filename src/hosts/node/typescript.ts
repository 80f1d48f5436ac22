/**
 * TypeScript type stripping, as Node 24 does by default for `.ts`, `.mts` and `.cts` files: only
 * erasable syntax is accepted, and every type annotation, `interface`, `type`, `declare`, `as`,
 * `satisfies`, `!` and generic argument list is replaced by spaces, so the result has the same
 * lines and columns as the text and stack positions need no mapping. Syntax that would need code
 * generated (`enum`, a `namespace` with values, parameter properties, `import x = require()`,
 * `export =`, `<T>x` casts) is an error that names the file, line and column, as Node's is.
 *
 * The stripper is Node's own: the running Node's `module.stripTypeScriptTypes` where it has one
 * (Node 22.13 and later; it is Node's bundled copy of `amaro`, so the output and the messages are
 * those of the Node that runs modhost), else the `amaro` package from npm, the same stripper as a
 * library (Node 20). The built-in is preferred on measurements (bench/typescript-strip.ts,
 * docs/PERFORMANCE.md): its first strip in a fresh process takes 46-62 ms against amaro's 69-99 ms
 * on Node 22, 24 and 26 (no 3.7 MB module to load), and both strip at about the same speed after.
 * Errors take their positions from `amaro`, which reports them as fields.
 */
import { readFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createError } from '../../errors/codes.js';
import { RUNNING_NODE } from './node-release.js';

/** The two strippers: the running Node's built-in, or the `amaro` package. */
export type TypeScriptStripper = 'node' | 'amaro';

/** The error amaro (swc compiled to WebAssembly) throws: a plain object, not an Error. */
interface SwcError {
  readonly code: 'UnsupportedSyntax' | 'InvalidSyntax';
  readonly message: string;
  /** 1-based. */
  readonly startLine: number;
  /** 0-based, in display columns (a tab counts 4, a wide character 2). */
  readonly startColumn: number;
  /** The lines around the error with carets (or `>` markers) under it, as Node prints them. */
  readonly snippet: string;
}

type Transform = (text: string, options: { mode: 'strip-only' }) => { code: string };

/** `module.stripTypeScriptTypes` (Node 22.13+), not in the Node 20 types the project builds with. */
type BuiltinStrip = (text: string, options?: { mode?: 'strip' }) => string;

const builtin: BuiltinStrip | undefined = (nodeModule as unknown as { stripTypeScriptTypes?: BuiltinStrip })
  .stripTypeScriptTypes;

let amaro: Transform | undefined;
function loadAmaro(): Transform {
  if (amaro === undefined) {
    const { transformSync } = createRequire(import.meta.url)('amaro') as { transformSync: Transform };
    amaro = transformSync;
  }
  return amaro;
}

/** The stripper used when none is asked for: the running Node's, else amaro. */
export function defaultTypeScriptStripper(): TypeScriptStripper {
  return builtin === undefined ? 'amaro' : 'node';
}

/**
 * Names the stripper that {@link stripTypeScriptTypes} uses by default, and its version
 * (`node 24.22.3`, `amaro 1.2.1`): stripped results may be cached under it.
 */
export function typeScriptStripperId(): string {
  if (stripperId === undefined) {
    if (builtin !== undefined) stripperId = `node ${process.versions.node}`;
    else {
      try {
        // (amaro's "exports" do not include its package.json: it is read beside its entry, dist/.)
        const entry = createRequire(import.meta.url).resolve('amaro');
        const pjson = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
          version?: unknown;
        };
        stripperId = `amaro ${String(pjson.version)}`;
      } catch {
        stripperId = 'amaro';
      }
    }
  }
  return stripperId;
}
let stripperId: string | undefined;

/** The formats Node gives TypeScript files. */
export type TypeScriptFormat = 'module-typescript' | 'commonjs-typescript';

/** Is `url` (or path) a TypeScript file by its extension (`.ts`, `.mts`, `.cts`)? */
export function isTypeScriptFile(url: string): boolean {
  return /\.[mc]?ts$/.test(url.replace(/[?#].*$/, ''));
}

/**
 * Is the file under a `node_modules` folder? Node does not strip types there
 * (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING): packages are to ship JavaScript.
 */
export function isUnderNodeModules(urlOrPath: string): boolean {
  return /[/\\]node_modules[/\\]/.test(urlOrPath);
}

let builtinWarningSilenced = false;

/**
 * Calls the built-in stripper. Its first call emits an ExperimentalWarning ("stripTypeScriptTypes
 * is an experimental feature"), which `node app.ts` does not print: that one warning is dropped
 * (Node emits it once per process, so only the first call needs this).
 */
function stripWithBuiltin(strip: BuiltinStrip, text: string): string {
  if (builtinWarningSilenced) return strip(text, { mode: 'strip' });
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const first = rest[0];
    const type = typeof first === 'string' ? first : (first as { type?: unknown } | undefined)?.type;
    const text = typeof warning === 'string' ? warning : warning.message;
    if (type === 'ExperimentalWarning' && text.startsWith('stripTypeScriptTypes')) return;
    Reflect.apply(emitWarning, this, [warning, ...rest]);
  } as typeof process.emitWarning;
  try {
    return strip(text, { mode: 'strip' });
  } finally {
    process.emitWarning = emitWarning;
    builtinWarningSilenced = true;
  }
}

export interface StripOptions {
  /** The file's URL, named by errors. */
  readonly url: string;
  /**
   * The name errors show for the file: Node shows a CommonJS file's path (in the node_modules
   * error; for syntax errors before Node 24.19, as the error's `filename`). Default: `url`.
   */
  readonly shown?: string;
  /** Default: {@link defaultTypeScriptStripper}. */
  readonly stripper?: TypeScriptStripper;
}

/**
 * Strips the types of a TypeScript file's text (Node's "strip-only" mode): JavaScript of the
 * same length, line by line, with every piece of type syntax blanked.
 *
 * @throws ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX (SyntaxError: an enum, a namespace with values, a
 *   parameter property, ...), ERR_INVALID_TYPESCRIPT_SYNTAX (SyntaxError: not TypeScript), both
 *   with `url`, `line`, `column` and Node's `snippet`; ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING
 *   for a file under node_modules.
 * @example
 * stripTypeScriptTypes('const n: number = 1;', { url: 'file:///app.ts' }); // 'const n         = 1;'
 */
export function stripTypeScriptTypes(text: string, options: StripOptions): string {
  const { url } = options;
  const shown = options.shown ?? url;
  if (isUnderNodeModules(url)) {
    throw asNodeError(
      createError(
        'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
        `Stripping types is currently unsupported for files under node_modules, for "${shown}"`,
      ),
      { url },
    );
  }
  const stripper = options.stripper ?? defaultTypeScriptStripper();
  try {
    if (stripper === 'node') {
      if (builtin === undefined)
        throw createError('ERR_MODHOST_INVALID_ARGUMENT', `Node ${process.version} has no module.stripTypeScriptTypes`);
      return stripWithBuiltin(builtin, text);
    }
    return loadAmaro()(text, { mode: 'strip-only' }).code;
  } catch (error) {
    const failure = typeScriptSyntaxError(error, text, url);
    // Node before 24.19 names a CommonJS TypeScript file by its path where it reports the error.
    if (failure !== error && shown !== url && !RUNNING_NODE.typeScriptCommonJSFileURLs)
      Object.defineProperty(failure, 'filename', { value: shown, writable: true, configurable: true });
    throw failure;
  }
}

const NODE_CODES = {
  UnsupportedSyntax: 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  InvalidSyntax: 'ERR_INVALID_TYPESCRIPT_SYNTAX',
} as const;

function isSwcError(value: unknown): value is SwcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as { code?: unknown }).code === 'UnsupportedSyntax' ||
      (value as { code?: unknown }).code === 'InvalidSyntax') &&
    typeof (value as { startLine?: unknown }).startLine === 'number'
  );
}

/** What amaro says of `text`, or undefined when it accepts it (or cannot be loaded). */
function swcErrorOf(text: string): SwcError | undefined {
  try {
    loadAmaro()(text, { mode: 'strip-only' });
  } catch (error) {
    if (isSwcError(error)) return error;
  }
  return undefined;
}

/**
 * The stripper's failure as a coded SyntaxError at the file, line and column. Node's built-in
 * throws an Error whose stack starts with the position and snippet; amaro a plain object with
 * fields. Either way amaro is asked for the fields, with the column computed as V8 counts (UTF-16
 * code units), not in swc's display columns.
 */
function typeScriptSyntaxError(error: unknown, text: string, url: string): unknown {
  let code: (typeof NODE_CODES)[keyof typeof NODE_CODES];
  let message: string;
  let swc: SwcError | undefined;
  if (isSwcError(error)) {
    code = NODE_CODES[error.code];
    message = error.message;
    swc = error;
  } else {
    const nodeCode = (error as { code?: unknown } | null)?.code;
    if (nodeCode !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' && nodeCode !== 'ERR_INVALID_TYPESCRIPT_SYNTAX') return error;
    code = nodeCode;
    message = (error as Error).message;
    swc = swcErrorOf(text);
  }
  const line = swc?.startLine ?? lineFromStack(error);
  const column = swc === undefined ? 1 : columnOf(text, swc);
  return asNodeError(createError(code, message), { url, line, column, snippet: swc?.snippet });
}

/**
 * `error` as Node shows its own errors: the code in the stack's first line ("SyntaxError [ERR_…]:
 * …"), and only `code` among the properties util.inspect lists. The location fields are added
 * here rather than by createError, which would also add the location to the message (Node's
 * message has none); they are not enumerable.
 */
function asNodeError(error: Error & { code: string }, fields: Record<string, unknown>): Error {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.defineProperty(error, key, { value, writable: true, configurable: true });
  }
  const head = `${error.name}: ${error.message}`;
  if (typeof error.stack === 'string' && error.stack.startsWith(head))
    error.stack = `${error.name} [${error.code}]: ${error.message}${error.stack.slice(head.length)}`;
  return error;
}

/** The line in the decorated stack of the built-in's error (`<file>:<line>` before the snippet). */
function lineFromStack(error: unknown): number | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  const match = typeof stack === 'string' ? /^[^\n]*:(\d+)\n/.exec(stack) : null;
  return match === null ? undefined : Number(match[1]);
}

/**
 * The 1-based column, in UTF-16 code units, of swc's error. swc counts display columns, which
 * differ from V8's once the line has a tab or a character outside ASCII; then the text is
 * stripped again with every such character made one plain ASCII character (a space for
 * whitespace, `x` otherwise, which keeps every token a token of the same kind), where the two
 * counts agree. If that copy does not fail the same way, swc's own column is kept.
 */
function columnOf(text: string, swc: SwcError): number {
  const lineText = text.split(/\r\n|\n|\r|\u2028|\u2029/)[swc.startLine - 1] ?? '';
  if (!/[^\x20-\x7e]/.test(lineText)) return swc.startColumn + 1;
  const plain = text.replace(/[\t\u0080-\u2027\u202a-\uffff]/g, (c) => (/\s/.test(c) ? ' ' : 'x'));
  const again = swcErrorOf(plain);
  if (again !== undefined && again.code === swc.code && again.startLine === swc.startLine) return again.startColumn + 1;
  return swc.startColumn + 1;
}
