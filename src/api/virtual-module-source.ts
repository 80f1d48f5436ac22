/**
 * Virtual module sources (Module & ModuleSource proposal, layer 2): reading the protocol object
 * the `Module` constructor accepts in place of a ModuleSource, and the body that runs its
 * `execute`.
 *
 * ## The protocol (what `new Module(virtualSource, handler)` reads, once, at construction)
 *
 * ```ts
 * interface VirtualModuleSource {
 *   bindings?: ModuleBinding[];          // the shapes of ModuleSource.prototype.bindings; default []
 *   execute?(environment: object, context: { import?: ImportFunction; importMeta?: object }): void | Promise<void>;
 *   initialize?($: object, Import?: ImportFunction, ImportMeta?: object): void | Promise<void>;
 *   needsImport?: boolean;               // pass `import` (a dynamic import bound to this Module)
 *   needsImportMeta?: boolean;           // pass `importMeta` (this Module's import.meta object)
 *   isAsync?: boolean;                   // force [[HasTLA]] for a non-async execute returning a promise
 * }
 * ```
 *
 * - `execute(environment, { import, importMeta })` is the explainer's shape
 *   (tc39/proposal-compartments 2-virtual-module-source.md); modhost omits the explainer's
 *   optional `globalThis` (there are no Evaluators/Compartments here). `this` is the source object.
 * - `initialize($, Import, ImportMeta)` is the positional shape of XS's virtual module sources
 *   (Moddable's compartment documentation; `$` is the same environment object). It is used only
 *   when `execute` is absent.
 * - `environment` is a sealed null-prototype object with one accessor per local binding: each
 *   import binding reads the live binding of the exporting module (TDZ included) and throws a
 *   TypeError when assigned; each local export (`{ export: 'x' }`) is a writable cell, initially
 *   `undefined`, that importers and the namespace read live.
 * - [[HasTLA]] is true when `execute` (or `initialize`) is an async function or `isAsync` is true:
 *   the returned promise is then awaited exactly like a module body's top-level await (the module
 *   is ~evaluating-async~ until it settles, importers wait). For a non-async function the return
 *   value is ignored (DEVIATION(layer 2 "execute may return a promise"): [[HasTLA]] must be known
 *   before evaluation starts, as for every Cyclic Module Record).
 * - `import` and `importMeta` are passed only when `needsImport` / `needsImportMeta` are truthy.
 */
import { createError } from '../errors/codes.js';
import type { CompiledModuleRuntime, ModuleSourceRecord } from '../source/types.js';
import { createVirtualModuleSourceRecord, type VirtualModuleNames } from '../source/virtual-module-source.js';
import { isObject, ObjectCreate, ObjectDefineProperty, ReflectApply, ReflectGet, SafeWeakMap } from './intrinsics.js';

/** A virtual module source, as `new Module()` reads it (see the file comment). */
export interface VirtualModuleSource {
  readonly bindings?: readonly object[] | undefined;
  execute?(environment: Record<string, unknown>, context: VirtualModuleContext): void | Promise<void>;
  initialize?(
    $: Record<string, unknown>,
    Import?: (specifier: string, options?: unknown) => Promise<unknown>,
    ImportMeta?: object,
  ): void | Promise<void>;
  readonly needsImport?: boolean | undefined;
  readonly needsImportMeta?: boolean | undefined;
  readonly isAsync?: boolean | undefined;
}

/** The second argument of a virtual source's `execute`. */
export interface VirtualModuleContext {
  import?: (specifier: unknown, options?: unknown) => Promise<unknown>;
  importMeta?: object;
}

/** Per virtual source object: its record (read once; every Module of that object shares it). */
const records = new SafeWeakMap<object, ModuleSourceRecord>();
let anonymous = 0;

const ObjectPrototypeToString = Object.prototype.toString;
const ObjectPreventExtensions = Object.preventExtensions;

function isAsyncFunction(fn: Function): boolean {
  const tag = ReflectApply(ObjectPrototypeToString, fn, []) as string;
  return tag === '[object AsyncFunction]';
}

/**
 * The Module Source Record of a virtual module source object (cached per object). Reads
 * `bindings`, `execute`/`initialize`, `needsImport`, `needsImportMeta`, `isAsync` with [[Get]].
 *
 * @throws TypeError ERR_MODHOST_INVALID_VIRTUAL_SOURCE when the object does not fit the protocol.
 */
export function virtualModuleSourceRecord(source: object, url?: string): ModuleSourceRecord {
  const cached = records.get(source);
  if (cached !== undefined) return cached;
  const name = url ?? `modhost:virtual/${++anonymous}`;
  let bindings = ReflectGet(source, 'bindings') as unknown;
  if (bindings === undefined) bindings = [];
  else if (!Array.isArray(bindings)) {
    // The explainer's JSON example has a single binding object.
    if (!isObject(bindings))
      throw createError(
        'ERR_MODHOST_INVALID_VIRTUAL_SOURCE',
        `bindings must be an array (virtual module source ${name})`,
        { url: name },
      );
    bindings = [bindings];
  }
  const list = [...(bindings as unknown[])].map((binding) =>
    isObject(binding) ? { ...(binding as object) } : binding,
  );
  let body = ReflectGet(source, 'execute') as unknown;
  let positional = false;
  if (body === undefined) {
    body = ReflectGet(source, 'initialize') as unknown;
    positional = body !== undefined;
  }
  if (body !== undefined && typeof body !== 'function') {
    throw createError(
      'ERR_MODHOST_INVALID_VIRTUAL_SOURCE',
      `execute must be a function (virtual module source ${name})`,
      { url: name },
    );
  }
  const needsImport = Boolean(ReflectGet(source, 'needsImport'));
  const needsImportMeta = Boolean(ReflectGet(source, 'needsImportMeta'));
  const hasTLA = (typeof body === 'function' && isAsyncFunction(body)) || Boolean(ReflectGet(source, 'isAsync'));
  const fn = body as Function | undefined;
  const record = createVirtualModuleSourceRecord(list, {
    url: name,
    hasTLA,
    needsImport,
    needsImportMeta,
    makeGenerator: (names) => makeGenerator(source, fn, positional, names, { hasTLA, needsImport, needsImportMeta }),
  });
  records.set(source, record);
  return record;
}

/**
 * The generator function of a virtual module (compiled module protocol): up to the first `yield`
 * it creates the bindings (InitializeEnvironment); resuming it runs `execute` (ExecuteModule); for
 * [[HasTLA]] it yields the returned promise once (a top-level await of it).
 */
function makeGenerator(
  source: object,
  body: Function | undefined,
  positional: boolean,
  names: VirtualModuleNames,
  flags: { hasTLA: boolean; needsImport: boolean; needsImportMeta: boolean },
): (rt: CompiledModuleRuntime) => Generator {
  // Index loops and null-prototype tables only below: this code runs at link and evaluation
  // time, when module code may have replaced Array/Map methods and iterators.
  const { importNames, getterNames, localNames } = names;
  const importIndex = ObjectCreate(null) as Record<string, number>;
  for (let i = 0; i < importNames.length; i++) {
    const local = importNames[i];
    if (local !== undefined && importIndex[local] === undefined) importIndex[local] = i;
  }
  return function* virtualModuleBody(rt: CompiledModuleRuntime): Generator {
    const unlinked = (): never => (rt.unlinked as () => never)();
    const importFns: (() => unknown)[] = [];
    for (let i = 0; i < importNames.length; i++) importFns[i] = unlinked;
    // The value of import binding `index` (an unlinked read is the compiled protocol's error).
    const readImport = (index: number): unknown => (importFns[index] ?? unlinked)();
    const cells = ObjectCreate(null) as Record<string, unknown>;
    for (let i = 0; i < localNames.length; i++) {
      const local = localNames[i];
      if (local !== undefined) cells[local] = undefined;
    }
    const read = (local: string): (() => unknown) => {
      const index = importIndex[local];
      return index !== undefined ? () => readImport(index) : () => cells[local];
    };
    const getters: (() => unknown)[] = [];
    for (let i = 0; i < getterNames.length; i++) {
      const name = getterNames[i];
      getters[i] = name === undefined ? unlinked : read(name);
    }
    // InitializeEnvironment: the bindings exist; nothing of the module runs yet.
    yield {
      getters,
      setImports(fns: readonly (() => unknown)[]) {
        for (let i = 0; i < fns.length; i++) importFns[i] = fns[i] ?? unlinked;
      },
    };
    // ExecuteModule.
    const environment = ObjectCreate(null) as Record<string, unknown>;
    for (let i = 0; i < importNames.length; i++) {
      const local = importNames[i];
      if (local === undefined || importIndex[local] !== i) continue; // (a repeated local name is bound once)
      ObjectDefineProperty(environment, local, {
        get: () => readImport(i),
        set: () => {
          throw createError('ERR_MODHOST_CONST_ASSIGN', `Assignment to import binding '${local}' of a virtual module`);
        },
        enumerable: true,
        configurable: false,
      });
    }
    for (let i = 0; i < localNames.length; i++) {
      const local = localNames[i];
      if (local === undefined) continue;
      ObjectDefineProperty(environment, local, {
        get: () => cells[local],
        set: (value: unknown) => {
          cells[local] = value;
        },
        enumerable: true,
        configurable: false,
      });
    }
    ObjectPreventExtensions(environment);
    if (body === undefined) return;
    const importFunction = flags.needsImport
      ? (specifier: unknown, options?: unknown) => rt.import(specifier, options)
      : undefined;
    const importMeta = flags.needsImportMeta ? rt.meta() : undefined;
    let result: unknown;
    if (positional) {
      result = ReflectApply(body, source, [environment, importFunction, importMeta]);
    } else {
      const context = ObjectCreate(null) as VirtualModuleContext;
      if (importFunction !== undefined) context.import = importFunction;
      if (importMeta !== undefined) context.importMeta = importMeta;
      result = ReflectApply(body, source, [environment, context]);
    }
    // [[HasTLA]]: await the returned promise (the driver resumes with its value or throws its reason).
    if (flags.hasTLA) yield result;
  };
}
