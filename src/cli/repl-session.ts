/**
 * The session of `modhost repl`: every input is a module, in one persistent scope.
 *
 * - Input N is a Source Text Module `repl:N` run through the host (static `import` resolves as
 *   the host resolves, from the working directory; top-level `await` is module TLA).
 * - The *session scope* is a module too: it re-exports, for every name some input's top level
 *   declared, that name from the newest input that declared it
 *   (`export { "<hidden>" as "x" } from "repl:N"`). Each input imports from it the names it uses
 *   and does not declare itself, so they are ordinary (live, TDZ-checked) import bindings.
 * - When an input declares names, the scope module is replaced by one that re-exports them from
 *   it, with `replaceModules`: every earlier input that imported such a name is relinked to the
 *   new declaration (true rebinding), so "the newest declaration wins" for functions defined
 *   earlier too.
 * - Assigning a name of the scope (`x = 1`, `x++` where an earlier input declared `let x`) goes
 *   to the declaring input through a setter function that input exports; a `const`, or an
 *   imported name, keeps the TypeError of an immutable binding.
 * - The input's last expression statement is its completion value: it is stored in a hidden
 *   variable the input exports. An input that fails (parse, load, link or evaluation) publishes
 *   nothing: the scope stays as it was.
 */

import { hostHandler } from '../api/handler.js';
import type { ModuleNamespace } from '../api/import-module.js';
import { importModule } from '../api/import-module.js';
import { createModuleInRealm, type Module } from '../api/module.js';
import { ModuleSource } from '../api/module-source.js';
import { replaceModules } from '../api/replace-modules.js';
import { createError } from '../errors/codes.js';
import type { Realm } from '../records/index.js';
import { analyzeReplInput, type ReplDeclarationKind } from '../source/index.js';

/** What the session needs from a host. */
export interface ReplHost {
  readonly realm: Realm;
  /** The Module a specifier written in an input names (resolved from the working directory). */
  moduleFor(specifier: string, attributes: Readonly<Record<string, string>>): Module;
  /** Fills an input's `import.meta` (url, filename, dirname, resolve). */
  fillImportMeta(meta: Record<string, unknown>): void;
}

/** The result of one input. */
export type ReplResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'value'; readonly value: unknown; readonly hasValue: boolean }
  | { readonly kind: 'error'; readonly error: unknown };

/** A REPL session. */
export interface ReplSession {
  /** Runs one input (module text). */
  evaluate(text: string): Promise<ReplResult>;
  /** The names the session scope holds, and where each was declared. */
  names(): { name: string; kind: ReplDeclarationKind; input: number }[];
}

/** The specifier by which inputs import the session scope (never resolved by the host). */
const SCOPE_SPECIFIER = 'modhost:repl-scope';

interface ScopeEntry {
  readonly input: number;
  /** The input's export name for this declaration. */
  readonly exportName: string;
  readonly kind: ReplDeclarationKind;
  /** The declaring input's setter (`let`, `var`, `function`, `class` only). */
  readonly set: ((name: string, value: unknown) => void) | undefined;
}

const SETTABLE: ReadonlySet<ReplDeclarationKind> = new Set(['let', 'var', 'function', 'class']);

/** A prefix for the names the session adds to an input: one that occurs nowhere in it. */
function hiddenPrefix(text: string): string {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? '$repl' : `$repl${n}`;
    if (!text.includes(candidate)) return candidate;
  }
}

const quote = (name: string): string => JSON.stringify(name);

/** Creates a REPL session on `host`. */
export function createReplSession(host: ReplHost): ReplSession {
  const scope = new Map<string, ScopeEntry>();
  const inputs: Module[] = [];
  /** The current session scope module (undefined until an input declares a name). */
  let scopeModule: Module | undefined;
  let count = 0;

  function assignImport(localName: string, value: unknown): void {
    const entry = scope.get(localName);
    if (entry?.set === undefined) throw createError('ERR_MODHOST_CONST_ASSIGN', 'Assignment to constant variable.');
    entry.set(localName, value);
  }

  function makeInput(text: string, url: string): Module {
    // (the host's loader: its errors reach the input as they are, not wrapped as a hook's)
    const handler = hostHandler({
      importHook(specifier: string, attributes: Readonly<Record<string, string>>) {
        if (specifier === SCOPE_SPECIFIER && scopeModule !== undefined) return scopeModule;
        return host.moduleFor(specifier, attributes);
      },
      importMetaHook(meta: object) {
        host.fillImportMeta(meta as Record<string, unknown>);
      },
    });
    return createModuleInRealm(new ModuleSource(text, { url }), handler, host.realm, { assignImport });
  }

  /** A new scope module for the current entries. */
  function makeScope(): Module {
    const lines: string[] = [];
    for (const [name, entry] of scope)
      lines.push(`export { ${quote(entry.exportName)} as ${quote(name)} } from ${quote(`repl:${entry.input}`)};`);
    return createModuleInRealm(
      new ModuleSource(lines.join('\n'), { url: 'repl:scope' }),
      {
        importHook(specifier) {
          const n = Number(specifier.slice('repl:'.length));
          const input = inputs[n - 1];
          if (!specifier.startsWith('repl:') || input === undefined)
            throw createError('ERR_MODHOST_INTERNAL', `the REPL scope has no input ${specifier}`);
          return input;
        },
      },
      host.realm,
    );
  }

  async function evaluate(input: string): Promise<ReplResult> {
    const n = count + 1;
    // (named as Node's REPL names its inputs in stack traces)
    const url = `REPL${n}`;
    const analysis = analyzeReplInput(input, url);
    if (analysis.kind === 'incomplete') return analysis;
    if (analysis.kind === 'error') return analysis;
    const { text, declarations, completion } = analysis;
    const p = hiddenPrefix(text);
    // Names of the scope this input uses without declaring them, imported after its text (import
    // declarations are hoisted; the input keeps its lines and columns).
    const own = new Set(declarations.map((d) => d.name));
    const imported = [...scope.keys()].filter((name) => !own.has(name));
    const scopeImport =
      imported.length === 0 ? '' : `import { ${imported.join(', ')} } from ${quote(SCOPE_SPECIFIER)};\n`;
    let body = text;
    if (completion !== undefined) {
      body =
        `${text.slice(0, completion.start)};(${p}c = ` +
        `(${text.slice(completion.start, completion.end)}))${text.slice(completion.end)}`;
    }
    const exports = [`${p}c as ${quote(`${p}c`)}`];
    for (const d of declarations) exports.push(`${d.name} as ${quote(`${p}:${d.name}`)}`);
    const settable = declarations.filter((d) => SETTABLE.has(d.kind));
    const cases = settable.map((d) => `case ${quote(d.name)}: ${d.name} = v; return;`).join(' ');
    const trailer =
      `\n;var ${p}c; export { ${exports.join(', ')} };\nexport function ${p}set(n, v) { switch (n) ` +
      `{ ${cases} } }\n${scopeImport}`;
    let module: Module;
    let namespace: ModuleNamespace;
    try {
      module = makeInput(`${body}${trailer}`, url);
      count = n;
      inputs.push(module);
      namespace = await importModule(module);
    } catch (error) {
      return { kind: 'error', error };
    }
    // Publish the declarations: the scope module is replaced, relinking earlier inputs.
    if (declarations.length > 0) {
      const set = namespace[`${p}set`] as (name: string, value: unknown) => void;
      for (const d of declarations)
        scope.set(d.name, {
          input: n,
          exportName: `${p}:${d.name}`,
          kind: d.kind,
          set: SETTABLE.has(d.kind) ? set : undefined,
        });
      const next = makeScope();
      const previous = scopeModule;
      if (previous === undefined) {
        await importModule(next);
      } else {
        await replaceModules([[previous, next]], { within: inputs });
      }
      scopeModule = next;
    }
    return completion === undefined
      ? { kind: 'value', value: undefined, hasValue: false }
      : { kind: 'value', value: namespace[`${p}c`], hasValue: true };
  }

  return {
    evaluate,
    names: () => [...scope].map(([name, entry]) => ({ name, kind: entry.kind, input: entry.input })),
  };
}
