/**
 * ModuleSource (Module & ModuleSource API, "ModuleSource Objects"), plus the proposal's layer 1
 * reflection (`bindings`, `needsImport`, `needsImportMeta`).
 */
import { createModuleSourceRecord } from '../source/module-source-record.js';
import type { ModuleBinding, ModuleSourceRecord } from '../source/types.js';
import { AbstractModuleSource, moduleSourceClassNames } from './abstract-module-source.js';
import { defineBuiltins, isObject, ReflectGet, ToString } from './intrinsics.js';
import { moduleSourceSlots } from './slots.js';

/** Options of the ModuleSource constructor (a modhost extension; the proposal takes only the text). */
export interface ModuleSourceOptions {
  /** A URL or name used only in diagnostics: error messages and stack traces (`//# sourceURL`). */
  url?: string;
}

/** Requires the [[ModuleSource]] slot (RequireInternalSlot) and returns the record. */
export function moduleSourceRecordOf(value: unknown, what: string): ModuleSourceRecord {
  const record = isObject(value) ? moduleSourceSlots.get(value) : undefined;
  if (record === undefined) throw new TypeError(`${what} must be a ModuleSource`);
  return record;
}

/**
 * Module text parsed with the Module goal, analysed and compiled once; every Module made from it
 * shares that work.
 *
 * @example
 * const source = new ModuleSource(`import { x } from './x.js'; export default x * 2;`, { url: 'memory:/main.js' });
 * source.bindings;   // [{ import: 'x', from: './x.js' }, { export: 'default' }]
 * source.needsImport; // false
 *
 * @throws SyntaxError (code ERR_MODHOST_PARSE, with `url`, `line`, `column`) for any parse or early error.
 */
export class ModuleSource {
  constructor(sourceText: unknown, options: ModuleSourceOptions | undefined = undefined) {
    // 1. (NewTarget undefined is a TypeError: class semantics.) 2. O is `this`.
    // ToString(sourceText) (symbols throw), then ParseText with the Module goal.
    const text = ToString(sourceText);
    let url: string | undefined;
    if (options !== undefined) {
      if (!isObject(options)) throw new TypeError('ModuleSource options must be an object or undefined');
      const given = ReflectGet(options, 'url') as unknown;
      if (given !== undefined) url = ToString(given);
    }
    // 3-5. Parse errors throw a SyntaxError; CreateModuleSourceRecord.
    // (no options object without a url: an empty literal would inherit Object.prototype.url)
    const record = createModuleSourceRecord(text, url === undefined ? undefined : { url });
    moduleSourceSlots.set(this, record);
    moduleSourceClassNames.set(this, 'ModuleSource');
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
