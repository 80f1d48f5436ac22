/**
 * Module sources for non-JavaScript modules, built on virtual module sources (layer 2): JSON,
 * text and WebAssembly. Each is a class whose instances are %AbstractModuleSource% objects (their
 * `Symbol.toStringTag` is the class name) and virtual module sources (`bindings` + `execute`), so
 * `new Module(source, handler)` accepts them and hosts use them for `with { type: 'json' }`,
 * `with { type: 'text' }` and `.wasm` files.
 */
import { createError } from '../errors/codes.js';
import { AbstractModuleSource, moduleSourceClassNames } from './abstract-module-source.js';
import { addSourceInstantiator } from './canonical.js';
import { describeKind } from './handler.js';
import { defineBuiltins, isObject, ReflectGet, SafeWeakMap, ToString } from './intrinsics.js';
import { createModuleInRealm, moduleRecordOf } from './module.js';
import { sourcePhaseObjects, sourceUrls } from './slots.js';

const JSONParse = JSON.parse;
const texts = new SafeWeakMap<object, { readonly text: string; readonly url: string | undefined }>();

function textOf(receiver: unknown, what: string): { readonly text: string; readonly url: string | undefined } {
  const slot = isObject(receiver) ? texts.get(receiver) : undefined;
  if (slot === undefined) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `${what} receiver must be a ${what.split('.')[0]} (got ${describeKind(receiver)})`,
    );
  }
  return slot;
}

function urlOf(options: unknown): string | undefined {
  if (options === undefined) return undefined;
  if (!isObject(options)) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `The options of a module source must be an object or undefined (got ${describeKind(options)})`,
    );
  }
  const url = ReflectGet(options, 'url') as unknown;
  return url === undefined ? undefined : ToString(url);
}

/** Binding list shared by the single-default-export sources (a fresh array per read). */
function defaultExportBindings(): object[] {
  return [{ export: 'default' }];
}

/**
 * A JSON module source: one export, `default`, the parsed value. The text is parsed once here (a
 * syntax error throws now, ERR_MODHOST_PARSE) and again by each Module instance, so instances do
 * not share objects (the explainer's "referentially independent" exports).
 *
 * @example
 * const ns = await importModule(new Module(new JsonModuleSource('{"answer":42}')));
 * ns.default.answer; // 42
 */
export class JsonModuleSource {
  constructor(text: unknown, options: { url?: string } | undefined = undefined) {
    const string = ToString(text);
    const url = urlOf(options);
    try {
      JSONParse(string);
    } catch (cause) {
      throw createError('ERR_MODHOST_PARSE', `${url ?? 'JSON module'}: ${(cause as Error).message}`, { url, cause });
    }
    texts.set(this, { text: string, url });
    if (url !== undefined) sourceUrls.set(this, url);
    moduleSourceClassNames.set(this, 'JsonModuleSource');
  }
}

/**
 * A text module source (`import x from './file.txt' with { type: 'text' }`): one export,
 * `default`, the text.
 *
 * @example
 * const ns = await importModule(new Module(new TextModuleSource('hello')));
 * ns.default; // "hello"
 */
export class TextModuleSource {
  constructor(text: unknown, options: { url?: string } | undefined = undefined) {
    const url = urlOf(options);
    texts.set(this, { text: ToString(text), url });
    if (url !== undefined) sourceUrls.set(this, url);
    moduleSourceClassNames.set(this, 'TextModuleSource');
  }
}

for (const ctor of [JsonModuleSource, TextModuleSource]) {
  Object.setPrototypeOf(ctor, AbstractModuleSource);
  Object.setPrototypeOf(ctor.prototype, AbstractModuleSource.prototype);
}

defineBuiltins(JsonModuleSource.prototype, {
  /** `[{ export: 'default' }]` (layer 1 reflection; the virtual module source's bindings). */
  get bindings(): object[] {
    textOf(this, 'JsonModuleSource.prototype.bindings');
    return defaultExportBindings();
  },
  /** Virtual module source body: `default` = the parsed JSON (a fresh value per Module). */
  execute(environment: Record<string, unknown>): void {
    environment.default = JSONParse(textOf(this, 'JsonModuleSource.prototype.execute').text) as unknown;
  },
});

defineBuiltins(TextModuleSource.prototype, {
  /** `[{ export: 'default' }]`. */
  get bindings(): object[] {
    textOf(this, 'TextModuleSource.prototype.bindings');
    return defaultExportBindings();
  },
  /** Virtual module source body: `default` = the text. */
  execute(environment: Record<string, unknown>): void {
    environment.default = textOf(this, 'TextModuleSource.prototype.execute').text;
  },
});

export interface JsonModuleSource {
  readonly bindings: object[];
  execute(environment: Record<string, unknown>): void;
}
export interface TextModuleSource {
  readonly bindings: object[];
  execute(environment: Record<string, unknown>): void;
}

// ---------------------------------------------------------------------------------------------
// WebAssembly

/** The parts of the WebAssembly JS API used here (typed locally: no DOM lib needed). */
interface WasmModuleImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
}
interface WasmApi {
  Module: {
    new (bytes: ArrayBufferView | ArrayBuffer): object;
    imports(module: object): WasmModuleImportDescriptor[];
    exports(module: object): { name: string; kind: string }[];
  };
  Instance: new (module: object, importObject: object) => { readonly exports: Record<string, unknown> };
}
const Wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface WasmSlot {
  readonly module: object;
  readonly imports: readonly WasmModuleImportDescriptor[];
  readonly exports: readonly string[];
}
const wasmSlots = new SafeWeakMap<object, WasmSlot>();

/** The local name of a WebAssembly import in the virtual module's environment (unique per pair). */
function wasmImportLocal(descriptor: WasmModuleImportDescriptor): string {
  return `${descriptor.module}#${descriptor.name}`;
}

/** True when `value` is a WebAssembly.Module (its brand check: WebAssembly.Module.exports). */
export function isWebAssemblyModule(value: unknown): value is object {
  if (Wasm === undefined || !isObject(value)) return false;
  try {
    Wasm.Module.exports(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A WebAssembly module source (the ESM integration's source phase): its imports are module
 * imports (`{ import: name, from: moduleName }`), its exports the instance's exports.
 * `import source mod from './x.wasm'` binds the `WebAssembly.Module` itself (GetModuleSource), as
 * in engines that ship source phase imports; evaluation instantiates it synchronously with the
 * imported bindings' values (`new WebAssembly.Instance`).
 *
 * @example
 * const source = new WasmModuleSource(bytes, { url: 'file:///app/add.wasm' });
 * const ns = await importModule(new Module(source, { importHook }));
 * ns.add(1, 2);
 */
export class WasmModuleSource {
  constructor(bytesOrModule: unknown, options: { url?: string } | undefined = undefined) {
    const url = urlOf(options);
    if (url !== undefined) sourceUrls.set(this, url);
    if (Wasm === undefined)
      throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'WebAssembly is not available in this engine');
    let module: object;
    if (isWebAssemblyModule(bytesOrModule)) {
      module = bytesOrModule;
    } else if (bytesOrModule instanceof ArrayBuffer || ArrayBuffer.isView(bytesOrModule)) {
      module = new Wasm.Module(bytesOrModule as ArrayBufferView);
    } else {
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        `WasmModuleSource expects a WebAssembly.Module or the bytes of one (got ${describeKind(bytesOrModule)})`,
      );
    }
    wasmSlots.set(this, {
      module,
      imports: Object.freeze(
        Wasm.Module.imports(module).map((d) => Object.freeze({ module: d.module, name: d.name, kind: d.kind })),
      ),
      exports: Object.freeze(Wasm.Module.exports(module).map((d) => d.name)),
    });
    moduleSourceClassNames.set(this, 'WasmModuleSource');
    // Source phase imports bind the WebAssembly.Module itself.
    sourcePhaseObjects.set(this, module);
  }
}
Object.setPrototypeOf(WasmModuleSource, AbstractModuleSource);
Object.setPrototypeOf(WasmModuleSource.prototype, AbstractModuleSource.prototype);

function wasmSlotOf(receiver: unknown, what: string): WasmSlot {
  const slot = isObject(receiver) ? wasmSlots.get(receiver) : undefined;
  if (slot === undefined) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `${what} receiver must be a WasmModuleSource (got ${describeKind(receiver)})`,
    );
  }
  return slot;
}

defineBuiltins(WasmModuleSource.prototype, {
  /** The WebAssembly.Module. */
  get module(): object {
    return wasmSlotOf(this, 'WasmModuleSource.prototype.module').module;
  },
  /** One `{ import, from, as }` per WebAssembly import and one `{ export }` per export. */
  get bindings(): object[] {
    const slot = wasmSlotOf(this, 'WasmModuleSource.prototype.bindings');
    return [
      ...slot.imports.map((d) => ({ import: d.name, as: wasmImportLocal(d), from: d.module })),
      ...slot.exports.map((name) => ({ export: name })),
    ];
  },
  /** Instantiates the module with the imported values and publishes its exports. */
  execute(environment: Record<string, unknown>): void {
    const slot = wasmSlotOf(this, 'WasmModuleSource.prototype.execute');
    const importObject: Record<string, Record<string, unknown>> = Object.create(null) as Record<
      string,
      Record<string, unknown>
    >;
    for (const d of slot.imports) {
      const namespace = (importObject[d.module] ??= Object.create(null) as Record<string, unknown>);
      namespace[d.name] = environment[wasmImportLocal(d)];
    }
    const instance = new Wasm!.Instance(slot.module, importObject);
    for (const name of slot.exports) environment[name] = instance.exports[name];
  },
});

export interface WasmModuleSource {
  /** The WebAssembly.Module (what `import source` binds). */
  readonly module: object;
  readonly bindings: object[];
  execute(environment: Record<string, unknown>): void;
}

// ESM phase imports: `import(wasmModule)` of a WebAssembly.Module no host has instantiated.
addSourceInstantiator((source, realm) => {
  if (!isWebAssemblyModule(source)) return undefined;
  return moduleRecordOf(createModuleInRealm(new WasmModuleSource(source), undefined, realm));
});

// ESM phase imports: `import(source)` of a JSON, text or WebAssembly source no host has instantiated.
addSourceInstantiator((source, realm) => {
  if (!texts.has(source) && !wasmSlots.has(source)) return undefined;
  return moduleRecordOf(createModuleInRealm(source as JsonModuleSource, undefined, realm));
});
