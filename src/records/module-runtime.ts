/**
 * The runtime object `rt` a compiled module generator receives (CompiledModuleRuntime in
 * src/source/types.ts): one per InitializeEnvironment, whose prototype holds the operations that
 * need the module record — `import.meta`, `import()` and assignments to import bindings — above
 * COMPILED_HELPERS (the stateless helpers).
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { createError } from '../errors/codes.js';
import type { CompiledModuleRuntime, ImportAttribute, ImportPhase, ModuleRequest } from '../source/types.js';
import { COMPILED_HELPERS } from './compiled-helpers.js';
import { ContinueDynamicImport } from './dynamic-import.js';
import { HostFinalizeImportMeta, HostGetImportMetaProperties } from './host-hooks.js';
import {
  ArrayPrototypeSort,
  DataDescriptor,
  ListAppend,
  ListAt,
  ListCreate,
  ObjectCreate,
  ObjectEntries,
  ObjectFreeze,
  ReflectApply,
  ReflectDefineProperty,
  ReflectDeleteProperty,
  ReflectGet,
  ReflectSetPrototypeOf,
} from './intrinsics.js';
import { AllImportAttributesSupported, FirstUnsupportedKey, LoadImportedModule } from './loading.js';
import { type ModuleInstanceSlots, NormalCompletion, type Realm } from './module-record.js';
import { NewPromiseCapability } from './promise-operations.js';
import type { SourceTextModuleEnvironment, SourceTextModuleRecord } from './source-text-module-record.js';

/**
 * A module's `rt`. Its module is a private field, not a property: module code can reach its rt (a
 * direct `eval('$' + 'mh')` names the wrapper's parameter, see docs/SECURITY.md), and must find
 * there nothing but what it already has (its own import.meta, import() and import bindings) —
 * never its Module Record, which leads to every record of the graph and to the host. A private
 * field is invisible to reflection and proxies, and costs no WeakMap entry per instance.
 */
class ModuleRuntime {
  readonly #module: SourceTextModuleRecord;
  constructor(module: SourceTextModuleRecord) {
    this.#module = module;
  }
  /** The module of `rt`, for the runtime methods (which module code can call with any receiver). */
  static moduleOf(rt: unknown): SourceTextModuleRecord {
    // Module code that reached a runtime method can call it with any receiver: a TypeError, not
    // an internal error.
    if (!(typeof rt === 'object' && rt !== null && #module in rt))
      throw createError(
        'ERR_MODHOST_INVALID_ARGUMENT',
        'a module runtime method was called without its runtime object',
      );
    return (rt as ModuleRuntime).#module;
  }
}

const RuntimeModule = ModuleRuntime.moduleOf;

// The methods are shared by every rt and find their module through `this`.
function RuntimeMeta(this: unknown): object {
  return ImportMetaEvaluation(RuntimeModule(this));
}
function RuntimeImport(this: unknown, specifier: unknown, options?: unknown): Promise<unknown> {
  return EvaluateImportCall(RuntimeModule(this), specifier, options);
}
function RuntimeImportSource(this: unknown, specifier: unknown, options?: unknown): Promise<unknown> {
  return EvaluateImportCall(RuntimeModule(this), specifier, options, 'source');
}
function RuntimeImportDefer(this: unknown, specifier: unknown, options?: unknown): Promise<unknown> {
  return EvaluateImportCall(RuntimeModule(this), specifier, options, 'defer');
}
function RuntimeRef(this: unknown, index: number): { v: unknown } {
  return ImportBindingReference(RuntimeModule(this), index);
}

// The prototype of every rt: the methods above, then COMPILED_HELPERS (the stateless helpers).
// Frozen, as COMPILED_HELPERS and every rt are: module code that reaches them cannot change what
// the compiled code of its own module calls. (It has no `constructor`: nothing on the chain leads
// back to the class.)
const RUNTIME_PROTOTYPE = ModuleRuntime.prototype;
ReflectDeleteProperty(RUNTIME_PROTOTYPE, 'constructor');
ReflectSetPrototypeOf(RUNTIME_PROTOTYPE, COMPILED_HELPERS);
ReflectDefineProperty(RUNTIME_PROTOTYPE, 'meta', DataDescriptor(RuntimeMeta, true, true, true));
ReflectDefineProperty(RUNTIME_PROTOTYPE, 'import', DataDescriptor(RuntimeImport, true, true, true));
ReflectDefineProperty(RUNTIME_PROTOTYPE, 'importSource', DataDescriptor(RuntimeImportSource, true, true, true));
ReflectDefineProperty(RUNTIME_PROTOTYPE, 'importDefer', DataDescriptor(RuntimeImportDefer, true, true, true));
ReflectDefineProperty(RUNTIME_PROTOTYPE, 'ref', DataDescriptor(RuntimeRef, true, true, true));
ObjectFreeze(RUNTIME_PROTOTYPE);

/** A fresh `rt` for one instantiation of `module`'s compiled code. */
export function CreateModuleRuntime(module: SourceTextModuleRecord): CompiledModuleRuntime {
  return ObjectFreeze(new ModuleRuntime(module)) as unknown as CompiledModuleRuntime;
}

/**
 * 13.3.12.1 Runtime Semantics: Evaluation of `import.meta` —
 * https://tc39.es/ecma262/#sec-meta-properties-runtime-semantics-evaluation, with the proposal's
 * importMetaHook.
 */
export function ImportMetaEvaluation(module: SourceTextModuleRecord): object {
  // 1-2. module is the active Source Text Module Record.
  // 3.
  let importMeta = module.importMeta;
  // 4.
  if (importMeta === undefined) {
    // 4.a
    importMeta = ObjectCreate(null) as object;
    const instance = module.moduleInstance;
    if (instance === undefined || instance.importMetaHook === undefined) {
      // 4.b
      const importMetaValues = HostGetImportMetaProperties(module);
      // 4.c
      for (let i = 0; i < importMetaValues.length; i++) {
        const p = ListAt(importMetaValues, i);
        // 4.c.i ! CreateDataPropertyOrThrow
        ReflectDefineProperty(importMeta, p.key, DataDescriptor(p.value, true, true, true));
      }
      // 4.d
      HostFinalizeImportMeta(importMeta, module);
    } else {
      // Proposal: ? Call(importMetaHook, handler, « importMeta »). A throw leaves [[ImportMeta]]
      // ~empty~, so the next `import.meta` starts again with a new object.
      ReflectApply(instance.importMetaHook, instance.handler, [importMeta]);
    }
    // 4.e
    module.importMeta = importMeta;
    // 4.f
    return importMeta;
  }
  // 5.
  return importMeta;
}

/**
 * 13.3.10.2 EvaluateImportCall, from step 7 (after the argument expressions) —
 * https://tc39.es/ecma262/#sec-evaluate-import-call — with the proposal's Module-instance argument,
 * the _phase_ of the source phase imports (`import.source()`) and import defer (`import.defer()`)
 * proposals, and ESM phase imports' module-source argument (`import(moduleSource)`). `referrer` is
 * the active module.
 */
export function EvaluateImportCall(
  referrer: SourceTextModuleRecord,
  specifier: unknown,
  options: unknown,
  phase: ImportPhase = 'evaluation',
): Promise<unknown> {
  // 7.
  const promiseCapability = NewPromiseCapability();
  // Proposal: an argument that is a Module instance imports that instance.
  // DEVIATION(proposal EvaluateImportCall): the proposal text predates import options; here steps
  //   10-11 still validate `options` for a Module argument (its attributes are then unused), so a
  //   bad options bag rejects the same way for both kinds of argument.
  let moduleArgument = referrer.realm.moduleRecordOf(specifier);
  // ESM phase imports: a module source argument imports the host's canonical instance of that
  //   source; a source of another realm rejects with a TypeError.
  let sourceArgument = false;
  if (moduleArgument === undefined && referrer.realm.moduleRecordOfSource !== undefined) {
    try {
      moduleArgument = referrer.realm.moduleRecordOfSource(specifier);
    } catch (error) {
      promiseCapability.reject(error);
      return promiseCapability.promise;
    }
    sourceArgument = moduleArgument !== undefined;
  }
  let specifierString = '';
  if (moduleArgument === undefined) {
    // 8-9. ToString(specifier); IfAbruptRejectPromise.
    try {
      specifierString = `${specifier as string}`;
    } catch (error) {
      promiseCapability.reject(error);
      return promiseCapability.promise;
    }
  }
  // 10-11. The import attributes of `options`; IfAbruptRejectPromise.
  let attributes: ImportAttribute[];
  try {
    attributes = ImportCallAttributes(referrer, options, referrer.source.url);
  } catch (error) {
    promiseCapability.reject(error);
    return promiseCapability.promise;
  }
  if (moduleArgument !== undefined) {
    // ESM phase imports: import attributes with a module source are a TypeError (the canonical
    //   instance is already chosen; there is nothing they could select).
    if (sourceArgument && attributes.length > 0) {
      promiseCapability.reject(
        createError(
          'ERR_MODHOST_INVALID_SOURCE_IMPORT',
          `import() of a module source cannot have import attributes (in ${referrer.source.url})`,
          {
            referrer: referrer.source.url,
          },
        ),
      );
      return promiseCapability.promise;
    }
    // Proposal: Perform ContinueDynamicImport(promiseCapability, specifierOrModule.[[Module]]) (in _phase_).
    ContinueDynamicImport(promiseCapability, NormalCompletion(moduleArgument), phase);
    return promiseCapability.promise;
  }
  // 12. (with [[Phase]]: absent for ~evaluation~, as in the static requests)
  const request: { __proto__: null; specifier: string; attributes: readonly ImportAttribute[]; phase?: ImportPhase } = {
    __proto__: null,
    specifier: specifierString,
    attributes: ObjectFreeze(attributes),
  };
  if (phase !== 'evaluation') request.phase = phase;
  const moduleRequest = ObjectFreeze(request) as unknown as ModuleRequest;
  // 13. (the proposal's LoadImportedModule, which shares [[LoadedModules]] with static imports)
  LoadImportedModule(referrer, moduleRequest, undefined, promiseCapability);
  // 14.
  return promiseCapability.promise;
}

/**
 * 13.3.10.2 EvaluateImportCall steps 10-11 — https://tc39.es/ecma262/#sec-evaluate-import-call:
 * the import attributes of an `import(specifier, options)` call, sorted by key in code unit order, as a List of
 * ImportAttribute Records. Throws where those steps reject: a TypeError
 * (ERR_MODHOST_INVALID_ARGUMENT) for an `options` or `options.with` that is not an object or an
 * attribute value that is not a String, ERR_IMPORT_ATTRIBUTE_UNSUPPORTED for a key the host of
 * `referrer.realm` does not support, or what a getter of `options` throws. Hosts whose own
 * `import()` has no Module Record (CommonJS code) pass `{ realm }` and the importing file's URL.
 */
export function ImportCallAttributes(
  referrer: { readonly realm: Realm; readonly moduleInstance?: ModuleInstanceSlots | undefined },
  options: unknown,
  referrerName: string,
): ImportAttribute[] {
  // 10.
  const attributes = ListCreate<ImportAttribute>();
  // 11.
  if (options === undefined) return attributes;
  // 11.a
  if (!IsObject(options)) throw InvalidImportOption('The second argument of import() must be an object');
  // 11.b-c Get(options, "with").
  const attributesObj: unknown = ReflectGet(options, 'with');
  // 11.d
  if (attributesObj !== undefined) {
    // 11.d.i
    if (!IsObject(attributesObj)) throw InvalidImportOption("The 'with' option of import() must be an object");
    // 11.d.ii-iii EnumerableOwnProperties(attributesObj, key+value).
    const entries = ObjectEntries(attributesObj);
    // 11.d.iv
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry === undefined) continue;
      // 11.d.iv.1-2
      const key = entry[0];
      const value: unknown = entry[1];
      // 11.d.iv.3 (keys from EnumerableOwnProperties are Strings)
      if (typeof value !== 'string') {
        // 11.d.iv.3.a
        throw InvalidImportOption(`The value of import attribute '${key}' must be a string`);
      }
      // 11.d.iv.3.b
      ListAppend(attributes, { __proto__: null, key, value } as ImportAttribute);
    }
  }
  // 11.e
  if (!AllImportAttributesSupported(referrer, attributes)) {
    const key = FirstUnsupportedKey(referrer, attributes);
    throw createError(
      'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
      `Import attribute '${key}' of import() in ${referrerName} is not supported by the host`,
      { referrer: referrerName, attribute: key },
    );
  }
  // 11.f Sort by key, in code unit order.
  ArrayPrototypeSort(attributes, CompareAttributeKeys);
  return attributes;
}

/**
 * `rt.ref(i)`: a Reference to import binding `compiled.importNames[i]`. Reading `v` is
 * GetBindingValue (TDZ included); writing it is SetMutableBinding on an immutable binding in
 * strict code: a TypeError.
 */
export function ImportBindingReference(module: SourceTextModuleRecord, index: number): { v: unknown } {
  return {
    __proto__: null,
    get v(): unknown {
      const env = module.environment as SourceTextModuleEnvironment;
      const binding = ListAt(env.importBindings, index);
      return binding();
    },
    set v(value: unknown) {
      // (a REPL's session scope lets its inputs assign the names earlier inputs declared)
      const assign = module.moduleInstance?.assignImport;
      if (assign !== undefined) {
        ReflectApply(assign, undefined, [module.source.compiled.importNames[index], value]);
        return;
      }
      throw createError('ERR_MODHOST_CONST_ASSIGN', 'Assignment to constant variable.');
    },
  } as { v: unknown };
}

function CompareAttributeKeys(a: ImportAttribute, b: ImportAttribute): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function IsObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function InvalidImportOption(message: string): Error {
  return createError('ERR_MODHOST_INVALID_ARGUMENT', message);
}
