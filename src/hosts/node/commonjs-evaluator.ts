/**
 * How the Node host's CommonJS runtime turns module text into functions, for Node's interop:
 *
 * - an ES module that `require` reaches (`.mjs`, `.js` in a `"type": "module"` scope, or an
 *   ambiguous `.js` with module syntax) is not compiled: its wrapper sets `module.exports` to what
 *   `require()` of that ES module gives (./require-esm.ts);
 * - a dynamic `import(…)` in CommonJS code goes to the host (V8's own `import()` would go to
 *   Node's loader, and vm's importModuleDynamically hook can only return vm.Module objects);
 * - an ambiguous file's format is decided by compiling it (./detect-format.ts, Node's
 *   detect-module rule), and the wrapper compiled then is kept for the run.
 */
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { Evaluator, EvaluatorInput } from '../../commonjs/loader.js';
import { findDynamicImports } from '../../commonjs/scan.js';
import { hashbangEnd } from '../../lexical/trivia.js';
import { commonJSScriptName } from './commonjs-loader.js';
import { detectFormat, type RequireFormat, verdictOf } from './detect-format.js';

/** What the evaluator needs from the host. */
export interface HostEvaluatorParts {
  /** The wrapper parameters of a plain CommonJS module (the runtime's, globals included). */
  readonly plainParams: readonly string[];
  /** The format `require` gives the file at `filename`. */
  requireFormat(filename: string): RequireFormat;
  /** `require()` of the ES module at `url` from the CommonJS module `requirer` (`null`: the host). */
  requireModule(url: string, requirer: string | null): unknown;
  /** Whether `text` parses as an ES module. */
  parsesAsModule(text: string, url: string): boolean;
  /** `import(specifier, options)` from the module at `referrerURL` (always a promise). */
  importFrom(specifier: unknown, options: unknown, referrerURL: string): Promise<unknown>;
  /** Detected formats by URL, when the host shares them with its forks. */
  readonly formats?: Map<string, 'module' | 'commonjs'>;
  /** How wrappers are compiled: the host's compile cache, else `vm.compileFunction`. */
  readonly compileFunction?: (
    body: string,
    params: readonly string[],
    options: vm.CompileFunctionOptions,
  ) => (...args: never[]) => unknown;
}

export interface HostCommonJSEvaluator {
  /** The runtime's evaluator. */
  readonly evaluator: Evaluator;
  /** The format of an ambiguous file from its text (decided once per URL). */
  detect(url: string, text: string): 'module' | 'commonjs';
}

type WrapperFunction = (...args: never[]) => unknown;

/** Removes a byte order mark, as the runtime does before compiling. */
function stripBOM(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The wrapper body the runtime compiles for `text` (BOM removed, hashbang blanked). */
function wrapperBody(text: string): string {
  const body = stripBOM(text);
  return hashbangEnd(body) === 0 ? body : `//${body.slice(2)}`;
}

/** A 6-character identifier (the length of `import`, so columns stay put) that `text` does not contain. */
function importAlias(text: string): string {
  for (let i = 0; ; i++) {
    const name = `$mhI${i.toString(36).padStart(2, '0')}`;
    if (!text.includes(name)) return name;
  }
}

/** Creates the evaluator of a host's CommonJS runtime. */
export function createHostCommonJSEvaluator(parts: HostEvaluatorParts): HostCommonJSEvaluator {
  const compileFunction =
    parts.compileFunction ??
    ((body: string, params: readonly string[], options: vm.CompileFunctionOptions) =>
      vm.compileFunction(body, [...params], options) as WrapperFunction);
  /** Wrappers compiled while detecting a format, by filename: taken once by the evaluator. */
  const precompiled = new Map<string, { body: string; params: string; fn: WrapperFunction }>();
  /** The detected format of each ambiguous file URL (shared with the host's forks). */
  const formats = parts.formats ?? new Map<string, 'module' | 'commonjs'>();

  function importFunction(uri: string): (specifier: unknown, options?: unknown) => Promise<unknown> {
    // `import(x, o)` evaluates both arguments before this runs; the host never throws synchronously.
    return (specifier, importOptions) => parts.importFrom(specifier, importOptions, uri);
  }

  /**
   * Compiles a wrapper; a dynamic `import(…)` in the text becomes a call of a same-length name that
   * a context extension binds to the host's import.
   */
  function compile(input: EvaluatorInput): WrapperFunction {
    const calls = findDynamicImports(input.body);
    if (calls.length === 0) {
      // Dynamic `import()` inside CommonJS code goes to Node's own ESM loader here.
      return compileFunction(input.body, input.params, {
        filename: commonJSScriptName(input),
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      }) as WrapperFunction;
    }
    const alias = importAlias(input.body);
    let body = '';
    let last = 0;
    for (const start of calls) {
      body += input.body.slice(last, start) + alias;
      last = start + 6;
    }
    body += input.body.slice(last);
    return compileFunction(body, input.params, {
      filename: commonJSScriptName(input),
      contextExtensions: [{ [alias]: importFunction(input.uri) }],
      // (only reached by an `import(` the scanner did not see: Node's own loader, as without the host)
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }) as WrapperFunction;
  }

  /**
   * The wrapper of an ES module that `require` reached: it sets `module.exports` to what
   * `requireModule` returns. So the ES module has a CommonJS module object, in `require.cache`
   * (as in Node 20.19+/22), with `parent`/`children`; if the ES graph cannot be required
   * (top-level await, a cycle, an error), the runtime rolls that module back as for any module
   * that throws, and the next `require` tries again.
   */
  function esModuleWrapper(input: EvaluatorInput): WrapperFunction {
    const uri = input.uri;
    type ModuleObject = { exports: unknown; parent: { filename: string } | null };
    const requirerOf = (module: ModuleObject) => (module.parent === null ? null : module.parent.filename);
    if (input.params[0] === 'define') {
      // (an ES module whose whole text is one `define(...)` call looks like a wrapped module)
      return function esModuleDefine(define: (factory: (...args: unknown[]) => unknown) => void) {
        define((_require, _exports, module) => parts.requireModule(uri, requirerOf(module as ModuleObject)));
      } as WrapperFunction;
    }
    return function esModule(_require: unknown, _exports: unknown, module: ModuleObject) {
      module.exports = parts.requireModule(uri, requirerOf(module));
    } as WrapperFunction;
  }

  /**
   * An ES module (`.mjs`, `.js` in a `"type": "module"` scope) gets {@link esModuleWrapper}
   * without compiling its text; so does an ambiguous file that turns out to have module syntax.
   * Otherwise it takes a wrapper compiled during format detection if there is one, else compiles.
   */
  const evaluator: Evaluator = (input) => {
    if (parts.requireFormat(input.filename) === 'module') return esModuleWrapper(input);
    const ready = precompiled.get(input.filename);
    if (ready !== undefined) {
      precompiled.delete(input.filename);
      if (ready.body === input.body && ready.params === input.params.join(',')) return ready.fn;
    }
    try {
      return compile(input);
    } catch (error) {
      const verdict = verdictOf(error);
      if (verdict === 'commonjs' || parts.requireFormat(input.filename) !== 'ambiguous') throw error;
      if (verdict === 'maybe-module' && !parts.parsesAsModule(input.body, input.uri)) throw error;
      return esModuleWrapper(input);
    }
  };

  function detectNow(url: string, text: string): 'module' | 'commonjs' {
    // (a module a hook served from another scheme is named by its URL)
    const filename = url.startsWith('file:') ? fileURLToPath(url) : url;
    const body = wrapperBody(text);
    const params = parts.plainParams;
    const detected = detectFormat(
      () => compile({ body, params, filename, uri: url }),
      () => parts.parsesAsModule(text, url),
    );
    if (detected.format === 'commonjs' && detected.fn !== undefined) {
      precompiled.set(filename, { body, params: params.join(','), fn: detected.fn });
    }
    return detected.format;
  }

  return {
    evaluator,
    detect(url, text) {
      // Decided once per URL (the host keeps one module per URL, so the text it reads is the same).
      let format = formats.get(url);
      if (format === undefined) {
        format = detectNow(url, text);
        formats.set(url, format);
      }
      return format;
    },
  };
}
