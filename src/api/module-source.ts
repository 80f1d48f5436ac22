/**
 * ModuleSource (Module & ModuleSource API, "ModuleSource Objects"), the proposal's layer 1
 * reflection (`bindings`, `needsImport`, `needsImportMeta`), and the Import Hook proposal's
 * handler (endojs/proposal-import-hook: `new ModuleSource(text, handler)`).
 */
import { createError } from '../errors/codes.js';
import { createModuleSourceRecord } from '../source/module-source-record.js';
import type { ModuleBinding, ModuleSourceRecord } from '../source/types.js';
import { AbstractModuleSource, moduleSourceClassNames } from './abstract-module-source.js';
import {
  captureHandler,
  describeKind,
  type ImportAttributes,
  type ImportHookResult,
  type ModuleImportMeta,
} from './handler.js';
import { defineBuiltins, isObject, ReflectGet, ToString } from './intrinsics.js';
import { moduleSourceHandlers, moduleSourceSlots } from './slots.js';

/**
 * The second argument of `new ModuleSource(text, handler)`: the Import Hook proposal's handler,
 * plus modhost's `url`. Every property is optional; `{ url }` alone is the options bag modhost
 * always took.
 *
 * - `importHook(specifier, attributes)` gives the module each import of this source's instance
 *   loads (statically, `import()`, `import source`, `import.source()`): a `ModuleSource` (or
 *   another module source, or a `Module`), or a promise of one. `attributes` is a fresh object,
 *   keys in shortlex order, with every attribute written. A successful answer is memoised per
 *   (instance, specifier, attributes); a hook that throws or rejects is asked again next time.
 * - `importMetaHook(importMeta)` fills `import.meta` once, immediately before the module body
 *   runs, when the text mentions `import.meta`.
 * - `url` names the module in diagnostics (messages, stack traces); the hooks can read it as
 *   `this.url`, since both are called with `this` = the handler.
 *
 * The hooks and `url` are read once, at construction.
 */
export interface ModuleSourceHandler {
  url?: string | undefined;
  importHook?(this: ModuleSourceHandler, specifier: string, attributes: ImportAttributes): ImportHookResult;
  importMetaHook?(this: ModuleSourceHandler, importMeta: ModuleImportMeta): void;
  /** Any other state the hooks need (a referrer, a resolution table, …). */
  [key: string]: unknown;
}

/** The options bag modhost has always taken: a handler with just `url`. */
export type ModuleSourceOptions = ModuleSourceHandler;

/** Requires the [[ModuleSource]] slot (RequireInternalSlot) and returns the record. */
export function moduleSourceRecordOf(value: unknown, what: string): ModuleSourceRecord {
  const record = isObject(value) ? moduleSourceSlots.get(value) : undefined;
  if (record === undefined) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', `${what} must be a ModuleSource (got ${describeKind(value)})`);
  }
  return record;
}

/**
 * Module text parsed with the Module goal, analysed and compiled once; every Module made from it
 * shares that work.
 *
 * With a handler that has an `importHook` or `importMetaHook` (the Import Hook proposal), the
 * source is a module in its own right: `importModule(source)` (or `import(source)` in module code
 * run by modhost) gets or creates its one instance in the current realm, whose imports go to the
 * hook. `new Module(source)` without a handler of its own also uses the source's handler.
 *
 * @example
 * const source = new ModuleSource(`import { x } from './x.js'; export default x * 2;`, { url: 'memory:/main.js' });
 * source.bindings;   // [{ import: 'x', from: './x.js' }, { export: 'default' }]
 * source.needsImport; // false
 *
 * @example
 * // The Import Hook proposal: the hook answers with ModuleSources.
 * const dep = new ModuleSource('export const x = 21;');
 * const main = new ModuleSource(`import { x } from './x.js'; export default x * 2;`, {
 *   url: 'memory:/main.js',
 *   importHook(specifier) { if (specifier === './x.js') return dep; throw new Error(`${specifier}?`); },
 * });
 * (await importModule(main)).default; // 42
 *
 * @throws SyntaxError (code ERR_MODHOST_PARSE, with `url`, `line`, `column`) for any parse or early error.
 * @throws TypeError (code ERR_MODHOST_INVALID_ARGUMENT) for a handler that is not an object, or a
 *   hook that is not callable.
 */
export class ModuleSource {
  constructor(sourceText: unknown, handler: ModuleSourceHandler | undefined = undefined) {
    // 1. (NewTarget undefined is a TypeError: class semantics.) 2. O is `this`.
    // ToString(sourceText) (symbols throw), then ParseText with the Module goal.
    const text = ToString(sourceText);
    // Import Hook proposal: capture the handler, its importHook and its importMetaHook; then
    // modhost's `url`.
    const hooks = captureHandler(handler, 'ModuleSource');
    let url: string | undefined;
    if (hooks !== undefined) {
      const given = ReflectGet(hooks.handler, 'url') as unknown;
      if (given !== undefined) url = ToString(given);
    }
    // 3-5. Parse errors throw a SyntaxError; CreateModuleSourceRecord.
    // (no options object without a url: an empty literal would inherit Object.prototype.url)
    const record = createModuleSourceRecord(text, url === undefined ? undefined : { url });
    moduleSourceSlots.set(this, record);
    moduleSourceClassNames.set(this, 'ModuleSource');
    if (hooks !== undefined && (hooks.importHook !== undefined || hooks.importMetaHook !== undefined)) {
      moduleSourceHandlers.set(this, hooks);
    }
  }
}

// The prototype chain goes through %AbstractModuleSource% (source phase imports proposal).
Object.setPrototypeOf(ModuleSource, AbstractModuleSource);
Object.setPrototypeOf(ModuleSource.prototype, AbstractModuleSource.prototype);

function copyBinding(binding: ModuleBinding): ModuleBinding {
  const copy: Record<string, unknown> = { ...binding };
  if (binding.with !== undefined) copy.with = { ...binding.with };
  return copy as ModuleBinding;
}

defineBuiltins(ModuleSource.prototype, {
  /** A fresh array of binding descriptions (layer 1 reflection); see ModuleBinding. */
  get bindings(): ModuleBinding[] {
    const record = moduleSourceRecordOf(this, 'ModuleSource.prototype.bindings receiver');
    return record.bindings.map(copyBinding);
  },
  /** Whether the module text contains `import(…)`. */
  get needsImport(): boolean {
    return moduleSourceRecordOf(this, 'ModuleSource.prototype.needsImport receiver').needsImport;
  },
  /** Whether the module text contains `import.meta`. */
  get needsImportMeta(): boolean {
    return moduleSourceRecordOf(this, 'ModuleSource.prototype.needsImportMeta receiver').needsImportMeta;
  },
});

export interface ModuleSource {
  readonly bindings: ModuleBinding[];
  readonly needsImport: boolean;
  readonly needsImportMeta: boolean;
}

/**
 * A ModuleSource around an already analysed record (e.g. one read back from a compile cache),
 * skipping the parse. For hosts; the record must come from createModuleSourceRecord of this
 * modhost version.
 */
export function moduleSourceFromRecord(record: ModuleSourceRecord): ModuleSource {
  const source = Object.create(ModuleSource.prototype) as ModuleSource;
  moduleSourceSlots.set(source, record);
  moduleSourceClassNames.set(source, 'ModuleSource');
  return source;
}
