/**
 * `modhost compile <files|dir>... (--out <dir> | --bundle <file>)`: precompiles ES modules,
 * CommonJS modules and JSON files into classic scripts that the browser build registers without
 * eval (see src/hosts/browser/compiled.ts for the format), for pages whose
 * Content-Security-Policy forbids eval.
 *
 * - `--out <dir>`: one compiled script per input, at the same relative path, so serving `<dir>`
 *   in place of the sources keeps every module URL. Module lines stay on the same lines. JSON
 *   files are copied as they are (parsing JSON needs no eval).
 * - `--bundle <file>`: one script holding every module (refs relative to the root), plus a
 *   source map whose lines point back at the original files.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve as resolvePath, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { ModuleSource, moduleSourceRecordOf } from '../api/module-source.js';
import { DEFINE_PARAMS, PLAIN_PARAMS, planGlobals } from '../commonjs/globals.js';
import { detectWrapperForm, scanRequires } from '../commonjs/scan.js';
import { createError } from '../errors/codes.js';
import { COMPILED_FORMAT } from '../hosts/browser/compiled.js';
import { hashbangEnd } from '../lexical/trivia.js';
import { COMPILE_USAGE } from './usage.js';

/** Options of {@link compileFiles}. */
export interface CompileOptions {
  /** Files and directories to compile (directories recursively: .js, .mjs, .cjs, .json). */
  readonly inputs: readonly string[];
  /** Output directory (one script per module). Exactly one of `out` and `bundle`. */
  readonly out?: string;
  /** Output bundle file. */
  readonly bundle?: string;
  /** The folder refs are relative to (default: the single input directory, else the inputs' common folder). */
  readonly root?: string;
  /** Bundle only: the URL refs resolve against at run time (default: the bundle script's own URL). */
  readonly baseURL?: string;
  /** How `.js` files are read: `auto` (default: by content), `esm` or `cjs`. */
  readonly jsFormat?: 'auto' | 'esm' | 'cjs';
  /** CommonJS `globals` names the runtime will pass (e.g. `print`), in the same order. */
  readonly cjsGlobals?: readonly string[];
}

/** What was compiled. */
export interface CompileResult {
  readonly modules: ReadonlyArray<{
    readonly file: string;
    readonly ref: string;
    readonly kind: 'esm' | 'cjs' | 'json';
  }>;
  readonly written: readonly string[];
}

const EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.json']);

function walk(dir: string, into: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    else if (EXTENSIONS.has(extname(entry.name))) into.push(path);
  }
}

function commonFolder(paths: readonly string[]): string {
  const [first] = paths;
  if (first === undefined) return process.cwd();
  let common = dirname(first);
  for (const path of paths) {
    while (path !== common && !path.startsWith(common.endsWith(sep) ? common : common + sep)) common = dirname(common);
  }
  return common;
}

/**
 * A `.js` file is an ES module when it has module syntax; a `define(...)` file or one that uses
 * require/exports is CommonJS.
 */
function classify(text: string, jsFormat: 'auto' | 'esm' | 'cjs', extension: string): 'esm' | 'cjs' {
  if (extension === '.mjs') return 'esm';
  if (extension === '.cjs') return 'cjs';
  if (jsFormat !== 'auto') return jsFormat;
  if (detectWrapperForm(text) !== 'plain') return 'cjs';
  if (/\bimport\b|\bexport\b|\bawait\b/.test(text)) {
    try {
      const record = moduleSourceRecordOf(new ModuleSource(text), 'source');
      if (
        record.requestedModules.length > 0 ||
        record.localExportEntries.length > 0 ||
        record.indirectExportEntries.length > 0 ||
        record.starExportEntries.length > 0 ||
        record.hasTLA ||
        record.needsImportMeta
      )
        return 'esm';
    } catch {
      // Not a valid module: CommonJS (sloppy script) syntax, most likely.
      return 'cjs';
    }
  }
  if (
    scanRequires(text).length > 0 ||
    /\bmodule\.exports\b|\bexports\.[A-Za-z_$]|\b__filename\b|\b__dirname\b/.test(text)
  )
    return 'cjs';
  return 'esm';
}

/** The generator function expression inside compiled module code (`"use strict";(function*…)\n//# sourceURL=…`). */
function generatorExpression(code: string, file: string): string {
  const prefix = '"use strict";';
  let body = code.startsWith(prefix) ? code.slice(prefix.length) : code;
  const sourceURL = body.lastIndexOf('\n//# sourceURL=');
  if (sourceURL !== -1) body = body.slice(0, sourceURL);
  if (!body.startsWith('(function*') || !body.endsWith(')')) {
    throw createError(
      'ERR_MODHOST_INTERNAL',
      `${file}: the compiled code does not have the generator-function shape modhost compile expects`,
    );
  }
  return body;
}

interface Piece {
  readonly file: string;
  readonly ref: string;
  readonly kind: 'esm' | 'cjs' | 'json';
  /** The entry's object literal text; its module text starts on the entry's first line. */
  readonly text: string;
}

function compileOne(file: string, ref: string, options: CompileOptions): Piece {
  const raw = readFileSync(file, 'utf8');
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const extension = extname(file);
  if (extension === '.json') {
    try {
      JSON.parse(text);
    } catch (cause) {
      throw createError('ERR_MODHOST_PARSE', `${file}: ${(cause as Error).message}`, { url: file, cause });
    }
    return { file, ref, kind: 'json', text: `{kind:"json",ref:${JSON.stringify(ref)},text:${JSON.stringify(text)}}` };
  }
  const kind = classify(text, options.jsFormat ?? 'auto', extension);
  if (kind === 'esm') {
    const record = moduleSourceRecordOf(new ModuleSource(text, { url: ref }), 'source');
    const expression = generatorExpression(record.compiled.code, file);
    const data = { ...record, compiled: { ...record.compiled, code: '' } };
    return {
      file,
      ref,
      kind,
      text:
        `{kind:"esm",ref:${JSON.stringify(ref)},record:${JSON.stringify(data)},factory:function(){"use ` +
        `strict";return ${expression}}}`,
    };
  }
  // CommonJS: the body inside the runtime's wrapper, with the runtime's parameter names.
  const body = hashbangEnd(text) === 0 ? text : `//${text.slice(2)}`;
  const form = detectWrapperForm(body);
  if (form === 'multiple-define') {
    throw createError(
      'ERR_MODHOST_DUPLICATE_DEFINE',
      `${file} calls define() more than once; a file defines one module`,
      { url: file },
    );
  }
  const globals = planGlobals(Object.fromEntries((options.cjsGlobals ?? []).map((name) => [name, undefined]))).names;
  const params = [...(form === 'define' ? DEFINE_PARAMS : PLAIN_PARAMS), ...globals];
  try {
    // Parses params and body separately, as the runtime's evaluators must: a body that closes the
    // wrapper early (`}); …`) is a SyntaxError here. Compiled only, never called.
    new Function(...params, body);
  } catch (cause) {
    throw createError('ERR_MODHOST_PARSE', `${file}: ${(cause as Error).message}`, { url: file, cause });
  }
  return {
    file,
    ref,
    kind,
    text:
      `{kind:"cjs",ref:${JSON.stringify(ref)},form:${JSON.stringify(form)},params:${JSON.stringify(params)},` +
      `requires:${JSON.stringify(scanRequires(body))},factory:function(${params.join(',')}){${body}\n}}`,
  };
}

const HEADER =
  '(self.modhostCompiled=self.modhostCompiled||[]).push({format:' +
  COMPILED_FORMAT +
  ',script:typeof document!=="undefined"&&document.currentScript?document.currentScript.src:""';

function fileScript(pieces: readonly Piece[], base: string | undefined): string {
  // The first module's text must start on line 1 (so its line numbers are the file's): the header shares that line.
  const modules = pieces.map((p) => p.text).join(',\n');
  return `${HEADER},base:${base === undefined ? 'null' : JSON.stringify(base)},modules:[${modules}]});\n`;
}

const VLQ = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function vlq(value: number): string {
  let v = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += VLQ[digit];
  } while (v > 0);
  return out;
}

/** A source map in which every line of each module maps to the same line (column 0) of its file. */
function bundleSourceMap(pieces: readonly Piece[], bundleFile: string): string {
  const lines: string[] = [];
  const sources: string[] = [];
  let previousSource = 0;
  let previousLine = 0;
  pieces.forEach((piece, index) => {
    sources.push(relative(dirname(bundleFile), piece.file).split(sep).join('/'));
    const count = piece.text.split('\n').length;
    for (let line = 0; line < count; line++) {
      lines.push(vlq(0) + vlq(index - previousSource) + vlq(line - previousLine) + vlq(0));
      previousSource = index;
      previousLine = line;
    }
  });
  return JSON.stringify({ version: 3, file: basename(bundleFile), sources, names: [], mappings: lines.join(';') });
}

/**
 * Compiles `options.inputs`.
 *
 * @throws ERR_MODHOST_INVALID_ARGUMENT for bad options; the first parse error (ERR_MODHOST_PARSE) otherwise.
 */
export function compileFiles(options: CompileOptions): CompileResult {
  if ((options.out === undefined) === (options.bundle === undefined)) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'compile needs exactly one of --out <dir> and --bundle <file>');
  }
  if (options.baseURL !== undefined && options.bundle === undefined) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      '--base-url applies to --bundle only (per-file output registers each script under its own URL)',
    );
  }
  const files: string[] = [];
  const directories: string[] = [];
  for (const input of options.inputs) {
    const path = resolvePath(input);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch {
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', `compile: ${input} does not exist`);
    }
    if (stats.isDirectory()) {
      directories.push(path);
      walk(path, files);
    } else files.push(path);
  }
  if (files.length === 0)
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'compile: no .js, .mjs, .cjs or .json files in the inputs');
  files.sort();
  const singleDirectory = directories.length === 1 && options.inputs.length === 1 ? directories[0] : undefined;
  const root = options.root !== undefined ? resolvePath(options.root) : (singleDirectory ?? commonFolder(files));
  const inputs = files.map((file) => {
    const ref = relative(root, file).split(sep).join('/');
    if (ref.startsWith('../'))
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', `compile: ${file} is outside the root ${root}`);
    return { file, ref };
  });
  const written: string[] = [];
  let pieces: Piece[];
  if (options.bundle !== undefined) {
    pieces = inputs.map(({ file, ref }) => compileOne(file, ref, options));
    const bundleFile = resolvePath(options.bundle);
    mkdirSync(dirname(bundleFile), { recursive: true });
    writeFileSync(
      bundleFile,
      `${fileScript(pieces, options.baseURL)}//# sourceMappingURL=${basename(bundleFile)}.map\n`,
    );
    writeFileSync(`${bundleFile}.map`, bundleSourceMap(pieces, bundleFile));
    written.push(bundleFile, `${bundleFile}.map`);
  } else {
    const outDir = resolvePath(options.out as string);
    const inputFiles = new Set(files);
    for (const { ref } of inputs) {
      if (inputFiles.has(join(outDir, ...ref.split('/')))) {
        throw createError(
          'ERR_MODHOST_INVALID_ARGUMENT',
          `compile: --out ${options.out} would overwrite the input ${ref}; choose another folder`,
        );
      }
    }
    pieces = inputs.map(({ file, ref }) => {
      const target = join(outDir, ...ref.split('/'));
      // Per file, the ref is the file's own name: it resolves against the script's own URL.
      const piece = compileOne(file, basename(target), options);
      mkdirSync(dirname(target), { recursive: true });
      // JSON stays JSON (fetched and parsed at run time, which needs no eval); code becomes a script.
      writeFileSync(target, piece.kind === 'json' ? readFileSync(file) : fileScript([piece], undefined));
      written.push(target);
      return { ...piece, ref };
    });
  }
  return { modules: pieces.map(({ file, ref, kind }) => ({ file, ref, kind })), written };
}

/** `modhost compile …`: parses its own arguments; resolves to the exit code (0 ok, 1 compile error, 2 usage). */
export async function compileCommand(argv: readonly string[]): Promise<number> {
  const parsed = (() => {
    try {
      return parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: true,
        options: {
          out: { type: 'string' },
          bundle: { type: 'string' },
          root: { type: 'string' },
          'base-url': { type: 'string' },
          format: { type: 'string' },
          'cjs-globals': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (error) {
      process.stderr.write(`modhost compile: ${(error as Error).message}\n\n${COMPILE_USAGE}\n`);
      return undefined;
    }
  })();
  if (parsed === undefined) return 2;
  const v = parsed.values;
  if (v.help === true) {
    process.stdout.write(`${COMPILE_USAGE}\n`);
    return 0;
  }
  const format = v.format ?? 'auto';
  if (
    parsed.positionals.length === 0 ||
    (format !== 'auto' && format !== 'esm' && format !== 'cjs') ||
    (v.out === undefined) === (v.bundle === undefined)
  ) {
    const why =
      parsed.positionals.length === 0
        ? 'no inputs'
        : format !== 'auto' && format !== 'esm' && format !== 'cjs'
          ? `unknown --format ${format}`
          : 'give exactly one of --out and --bundle';
    process.stderr.write(`modhost compile: ${why}\n\n${COMPILE_USAGE}\n`);
    return 2;
  }
  const options: { -readonly [K in keyof CompileOptions]: CompileOptions[K] } = {
    inputs: parsed.positionals,
    jsFormat: format,
  };
  if (v.out !== undefined) options.out = v.out;
  if (v.bundle !== undefined) options.bundle = v.bundle;
  if (v.root !== undefined) options.root = v.root;
  if (v['base-url'] !== undefined) options.baseURL = v['base-url'];
  if (v['cjs-globals'] !== undefined)
    options.cjsGlobals = v['cjs-globals']
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  try {
    const result = compileFiles(options);
    const counts = { esm: 0, cjs: 0, json: 0 };
    for (const m of result.modules) counts[m.kind] += 1;
    process.stdout.write(
      `compiled ${result.modules.length} modules (${counts.esm} ES, ${counts.cjs} CommonJS, ${counts.json} JSON) ` +
        `→ ${options.bundle ?? options.out}\n`,
    );
    return 0;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    process.stderr.write(
      `modhost compile: ` +
        `${e.code === 'ERR_MODHOST_INVALID_ARGUMENT' ? '' : `[${e.code ?? 'Error'}] `}${e.message ?? String(error)}\n`,
    );
    return e.code === 'ERR_MODHOST_INVALID_ARGUMENT' ? 2 : 1;
  }
}
