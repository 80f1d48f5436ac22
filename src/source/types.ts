/**
 * Plain-data types shared by `source/` (which produces them) and `records/` (which consumes
 * them). This file holds no runtime code: `records/` imports it with `import type` only, so the
 * core never loads the parser.
 *
 * Field names follow ECMA-262 16.2.1 (ImportEntry / ExportEntry / ModuleRequest Records) in
 * camelCase. Where the spec uses an enum value inside a String-typed field (~namespace-object~,
 * ~all~, ~all-but-default~) we use a separate list or `null`, because any String is a legal
 * export name and could collide with a sentinel string.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */

/** 16.2.1.3 ImportAttribute Record. */
export interface ImportAttribute {
  readonly key: string;
  readonly value: string;
}

/**
 * The import phase of a ModuleRequest Record ([[Phase]] of the source phase imports and import
 * defer proposals): `import source x from 'm'` / `import.source('m')` → 'source';
 * `import defer * as ns from 'm'` / `import.defer('m')` → 'defer'; every other request →
 * 'evaluation'.
 */
export type ImportPhase = 'source' | 'defer' | 'evaluation';

/**
 * 16.2.1.3 ModuleRequest Record. `attributes` are sorted by key (code-unit order). `phase` is
 * [[Phase]]: part of the [[RequestedModules]] de-duplication key (two requests that differ only in
 * phase are two entries), but not of the [[LoadedModules]] key (ModuleRequestsEqual ignores it:
 * HostLoadImportedModule's result "must not be affected by [[Phase]]"), so every phase of one
 * (specifier, attributes) pair reaches the same Module Record.
 */
export interface ModuleRequest {
  readonly specifier: string;
  readonly attributes: readonly ImportAttribute[];
  /**
   * Absent means 'evaluation', so the requests of modules without phase syntax are exactly the
   * layer 0 records (read it with `request.phase ?? 'evaluation'`).
   */
  readonly phase?: ImportPhase;
}

/**
 * 16.2.2 ImportEntry Record. `importName === null` stands for ~namespace-object~
 * (`import * as ns from 'm'`, `import defer * as ns from 'm'`) when `moduleRequest.phase` is
 * 'evaluation' or 'defer', and for the source phase proposal's ~source~
 * (`import source x from 'm'`) when it is 'source'.
 */
export interface ImportEntry {
  readonly moduleRequest: ModuleRequest;
  readonly importName: string | null;
  readonly localName: string;
}

/** [[LocalExportEntries]] element: ExportEntry with [[ModuleRequest]] null. `localName` may be "*default*". */
export interface LocalExportEntry {
  readonly exportName: string;
  readonly localName: string;
}

/**
 * [[IndirectExportEntries]] element. `importName === null` stands for ~namespace~ (~all~ before
 * tc39/ecma262#3775): `export * as ns from 'm'`, and, since tc39/ecma262#3715, a re-exported
 * namespace import (`import * as ns from 'm'; export { ns }`). With the request's [[Phase]], as
 * for ImportEntry: 'defer' (`import defer * as ns from 'm'; export { ns }`) resolves to the
 * deferred namespace, 'source' (`import source x from 'm'; export { x }`) to the module source
 * (tc39/proposal-source-phase-imports#76).
 */
export interface IndirectExportEntry {
  readonly exportName: string;
  readonly moduleRequest: ModuleRequest;
  readonly importName: string | null;
}

/** [[StarExportEntries]] element (`export * from 'm'`; ImportName ~all-but-default~, ExportName null). */
export interface StarExportEntry {
  readonly moduleRequest: ModuleRequest;
}

/**
 * The static part of a module (proposal: Module Source Record), computed once per
 * ModuleSource and shared, frozen, by every Module instance made from it.
 */
export interface ModuleSourceRecord {
  /** Diagnostic URL (ModuleSource `options.url`), or a generated `modhost:source/N` name. */
  readonly url: string;
  /** [[RequestedModules]]: every ModuleRequest in source-text order, de-duplicated by ModuleRequestsEqual. */
  readonly requestedModules: readonly ModuleRequest[];
  readonly importEntries: readonly ImportEntry[];
  readonly localExportEntries: readonly LocalExportEntry[];
  readonly indirectExportEntries: readonly IndirectExportEntry[];
  readonly starExportEntries: readonly StarExportEntry[];
  /** [[HasTLA]]: the body Contains `await` (incl. `for await`) outside any function. */
  readonly hasTLA: boolean;
  /** The body contains `import(...)` (proposal layer 1 reflection `needsImport`). */
  readonly needsImport: boolean;
  /** The body contains `import.meta` (proposal layer 1 reflection `needsImportMeta`). */
  readonly needsImportMeta: boolean;
  /** Proposal layer 1 reflection, in source order (see {@link ModuleBinding}). */
  readonly bindings: readonly ModuleBinding[];
  readonly compiled: CompiledModule;
}

/**
 * One entry of `ModuleSource.prototype.bindings` (proposal layer 1 "static analysis"):
 * - `import d from 'm'`            → `{ import: 'default', as: 'd', from: 'm' }`
 * - `import { x } from 'm'`        → `{ import: 'x', from: 'm' }` (`as` only when it differs)
 * - `import * as ns from 'm'`      → `{ importAllFrom: 'm', as: 'ns' }`
 * - `import 'm'`                   → `{ importFrom: 'm' }` (modhost's choice: a bare import binds
 *                                     nothing but is still a dependency, so it is listed)
 * - `export { x as y }`, `export let x` → `{ export: 'x', as: 'y' }` / `{ export: 'x' }`
 * - `export default <expression>`  → `{ export: 'default' }`
 * - `export { x as y } from 'm'`   → `{ export: 'x', as: 'y', from: 'm' }`
 * - `export * from 'm'`            → `{ exportAllFrom: 'm' }`
 * - `export * as ns from 'm'`      → `{ exportAllFrom: 'm', as: 'ns' }`
 * Any entry with a `from` also has `with` (an attributes object) when the request has attributes.
 * Also (modhost's choices):
 * - `export default function f() {}` / `class C {}` → `{ export: 'f', as: 'default' }` (a named local binding)
 * - `export {} from 'm'`           → `{ importFrom: 'm' }` (requests 'm', binds nothing, like `import 'm'`)
 * - `with` objects have a null prototype and their keys in sorted order.
 */
export interface ModuleBinding {
  readonly import?: string;
  readonly export?: string;
  readonly importAllFrom?: string;
  readonly exportAllFrom?: string;
  readonly importFrom?: string;
  readonly as?: string;
  readonly from?: string;
  readonly with?: Readonly<Record<string, string>>;
  /** `import source x from 'm'` → `{ importSourceFrom: 'm', as: 'x' }` (source phase imports). */
  readonly importSourceFrom?: string;
  /** `import defer * as ns from 'm'` → `{ importAllFrom: 'm', as: 'ns', phase: 'defer' }` (import defer). */
  readonly phase?: 'defer';
}

/**
 * The body compiled into an evaluable form. See ARCHITECTURE.md "Compiled module protocol".
 *
 * `code`, evaluated as a Script in strict mode (indirect eval or `vm.Script`), completes with a
 * generator function `G`. Per Module instance, InitializeEnvironment calls `G(rt)` (rt: a
 * {@link CompiledModuleRuntime}) and runs the generator to its first `yield`, which yields an
 * {@link InstantiationResult}. ExecuteModule resumes it; for a TLA module each further `yield v`
 * means `await v` and is resumed with the settled value (`gen.next(value)` /
 * `gen.throw(reason)`).
 */
export interface CompiledModule {
  readonly code: string;
  /**
   * Local binding names (as in LocalExportEntry.localName, "*default*" included) in the order of
   * the getters array the first `yield` produces.
   */
  readonly getterNames: readonly string[];
  /**
   * Import local names (ImportEntry.localName) in the order the `setImports` function expects its
   * array of binding functions.
   */
  readonly importNames: readonly string[];
  /**
   * Virtual module sources only (proposal layer 2; built by createVirtualModuleSourceRecord): the
   * generator function itself, used instead of evaluating `code` (which is then empty). It
   * follows the same protocol as a compiled module's generator function.
   */
  readonly generatorFunction?: (rt: CompiledModuleRuntime) => Generator;
}

/** What the first `yield` of a compiled module generator produces. */
export interface InstantiationResult {
  /** One function per `getterNames` entry; each reads the live binding (throws ReferenceError in TDZ). */
  readonly getters: readonly (() => unknown)[];
  /**
   * Installs the import bindings: `fns[i]` is a zero-argument function returning the current value
   * of the binding named `importNames[i]` (the exporter's getter, or a function returning a
   * namespace object). May be called more than once (later calls replace earlier values).
   */
  readonly setImports: (fns: readonly (() => unknown)[]) => void;
}

/** The object passed as the single argument to a compiled module generator. */
export interface CompiledModuleRuntime {
  /** `import.meta`: creates (lazily) and returns the module's import.meta object. */
  meta(): object;
  /** `import(specifier, options)`: EvaluateImportCall steps after the argument expressions are evaluated. */
  import(specifier: unknown, options?: unknown): Promise<unknown>;
  /** `import.source(specifier, options)` (source phase imports): resolves to the module's source object. */
  importSource?(specifier: unknown, options?: unknown): Promise<unknown>;
  /** `import.defer(specifier, options)` (import defer): resolves to the deferred namespace. */
  importDefer?(specifier: unknown, options?: unknown): Promise<unknown>;
  /**
   * A Reference-like object for an assignment whose target is import binding `importNames[i]`:
   * `.v` reads the binding (with TDZ); writing `.v` throws TypeError("Assignment to constant variable.").
   */
  ref(index: number): { v: unknown };
  /** Sets `fn.name` to "default" (for `export default function () {}` compiled as a named declaration). */
  nameDefault(fn: Function): void;
  /** Value of a top-level `arguments` read: the global `arguments` property, or a ReferenceError. */
  globalArguments(): unknown;
  /** `typeof arguments` at top level. */
  typeofGlobalArguments(): string;
  /** For top-level `for await`: GetIterator(obj, async) returning an iterator record. */
  asyncIterator?(obj: unknown): { iterator: object; next: Function };
  /*
   * Added by the compiler work (implemented in src/records/compiled-helpers.ts, COMPILED_HELPERS,
   * which records/ uses as the prototype of every `rt`). Optional here only so that adding them
   * changes no existing code; compiled code calls them whenever it needs them.
   */
  /**
   * Initial value of every import-binding variable: throws a ReferenceError (ERR_MODHOST_TDZ) when
   * read before setImports.
   */
  unlinked?(): never;
  /**
   * Top-level `for await`: Call(record.[[NextMethod]], record.[[Iterator]]) (async-from-sync `next`
   * for sync iterables); the loop awaits the result.
   */
  asyncIteratorNext?(record: { iterator: object; next: Function }): unknown;
  /** Top-level `for await`: TypeError unless `result` is an Object, then IteratorComplete(result). */
  iteratorComplete?(result: unknown): boolean;
  /** AsyncIteratorClose: GetMethod(iterator, "return") and its call; null when there is none, else `{ v }` to await. */
  asyncIteratorReturn?(record: { iterator: object; next: Function }): { v: unknown } | null;
  /** AsyncIteratorClose: TypeError unless the awaited result of `return()` is an Object; returns it. */
  iteratorResultObject?(result: unknown): unknown;
}
