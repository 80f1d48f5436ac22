/**
 * The runtime object `rt` a compiled module generator receives (CompiledModuleRuntime in
 * src/source/types.ts): one per InitializeEnvironment, with COMPILED_HELPERS (the stateless
 * helpers) as its prototype and the three operations that need the module record —
 * `import.meta`, `import()` and assignments to import bindings.
 */
import { createError } from '../errors/codes.js';
import type { CompiledModuleRuntime, ImportAttribute, ModuleRequest } from '../source/types.js';
import { COMPILED_HELPERS } from './compiled-helpers.js';
import { ContinueDynamicImport } from './dynamic-import.js';
import { HostFinalizeImportMeta, HostGetImportMetaProperties, type ImportMetaProperty } from './host-hooks.js';
import {
  ArrayPrototypeSort,
  DataDescriptor,
  ListAppend,
  ListCreate,
  ObjectCreate,
  ObjectEntries,
  ObjectFreeze,
  ReflectApply,
  ReflectDefineProperty,
  ReflectGet,
} from './intrinsics.js';
import { Assert } from './assert.js';
import { AllImportAttributesSupported, LoadImportedModule } from './loading.js';
import { NormalCompletion } from './module-record.js';
import { NewPromiseCapability } from './promise-operations.js';
import type { SourceTextModuleEnvironment, SourceTextModuleRecord } from './source-text-module-record.js';

/** The own property of each rt that holds its module (a Symbol no code outside this file has). */
const RUNTIME_MODULE: unique symbol = Symbol('module');

function RuntimeModule(rt: unknown): SourceTextModuleRecord {
  const module = typeof rt === 'object' && rt !== null ? (rt as { [RUNTIME_MODULE]?: SourceTextModuleRecord })[RUNTIME_MODULE] : undefined;
  Assert(module !== undefined, 'a runtime method was called without its runtime object');
  return module;
}

// The three methods are shared by every rt and find their module through `this`.
function RuntimeMeta(this: unknown): object {
  return ImportMetaEvaluation(RuntimeModule(this));
}
function RuntimeImport(this: unknown, specifier: unknown, options?: unknown): Promise<unknown> {
  return EvaluateImportCall(RuntimeModule(this), specifier, options);
}
function RuntimeRef(this: unknown, index: number): { v: unknown } {
  return ImportBindingReference(RuntimeModule(this), index);
}

/** A fresh `rt` for one instantiation of `module`'s compiled code. */
export function CreateModuleRuntime(module: SourceTextModuleRecord): CompiledModuleRuntime {
  return {
    __proto__: COMPILED_HELPERS,
    meta: RuntimeMeta,
    import: RuntimeImport,
    ref: RuntimeRef,
    [RUNTIME_MODULE]: module,
  } as unknown as CompiledModuleRuntime;
}

/**
 * 13.3.12.1 Runtime Semantics: Evaluation of `import.meta` — #sec-meta-properties-runtime-semantics-evaluation,
 * with the proposal's importMetaHook.
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
        const p = importMetaValues[i] as ImportMetaProperty;
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
 * 13.3.10.2 EvaluateImportCall, from step 7 (after the argument expressions) — #sec-evaluate-import-call —
 * with the proposal's Module-instance argument. `referrer` is the active module.
 */
export function EvaluateImportCall(referrer: SourceTextModuleRecord, specifier: unknown, options: unknown): Promise<unknown> {
  // 7.
  const promiseCapability = NewPromiseCapability();
  // Proposal: an argument that is a Module instance imports that instance.
  // DEVIATION(proposal EvaluateImportCall): the proposal text predates import options; here steps
  //   10-11 still validate `options` for a Module argument (its attributes are then unused), so a
  //   bad options bag rejects the same way for both kinds of argument.
  const moduleArgument = referrer.realm.moduleRecordOf(specifier);
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
  // 10.
  const attributes = ListCreate<ImportAttribute>();
  // 11.
  if (options !== undefined) {
    // 11.a
    if (!IsObject(options)) {
      promiseCapability.reject(InvalidImportOption('The second argument of import() must be an object'));
      return promiseCapability.promise;
    }
    // 11.b-c Get(options, "with"); IfAbruptRejectPromise.
    let attributesObj: unknown;
    try {
      attributesObj = ReflectGet(options, 'with');
    } catch (error) {
      promiseCapability.reject(error);
      return promiseCapability.promise;
    }
    // 11.d
    if (attributesObj !== undefined) {
      // 11.d.i
      if (!IsObject(attributesObj)) {
        promiseCapability.reject(InvalidImportOption("The 'with' option of import() must be an object"));
        return promiseCapability.promise;
      }
      // 11.d.ii-iii EnumerableOwnProperties(attributesObj, key+value); IfAbruptRejectPromise.
      let entries: [string, unknown][];
      try {
        entries = ObjectEntries(attributesObj);
      } catch (error) {
        promiseCapability.reject(error);
        return promiseCapability.promise;
      }
      // 11.d.iv
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i] as [string, unknown];
        // 11.d.iv.1-2
        const key = entry[0];
        const value = entry[1];
        // 11.d.iv.3 (keys from EnumerableOwnProperties are Strings)
        if (typeof value !== 'string') {
          // 11.d.iv.3.a
          promiseCapability.reject(InvalidImportOption(`The value of import attribute '${key}' must be a string`));
          return promiseCapability.promise;
        }
        // 11.d.iv.3.b
        ListAppend(attributes, { __proto__: null, key, value } as ImportAttribute);
      }
    }
    // 11.e
    if (!AllImportAttributesSupported(referrer, attributes)) {
      promiseCapability.reject(
        createError('ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', `An import attribute of import() in ${referrer.source.url} is not supported by the host`, {
          referrer: referrer.source.url,
        }),
      );
      return promiseCapability.promise;
    }
    // 11.f Sort by key, in code unit order.
    ArrayPrototypeSort(attributes, CompareAttributeKeys);
  }
  if (moduleArgument !== undefined) {
    // Proposal: Perform ContinueDynamicImport(promiseCapability, specifierOrModule.[[Module]]).
    ContinueDynamicImport(promiseCapability, NormalCompletion(moduleArgument));
    return promiseCapability.promise;
  }
  // 12.
  const moduleRequest = ObjectFreeze({
    __proto__: null,
    specifier: specifierString,
    attributes: ObjectFreeze(attributes),
  } as ModuleRequest);
  // 13. (the proposal's LoadImportedModule, which shares [[LoadedModules]] with static imports)
  LoadImportedModule(referrer, moduleRequest, undefined, promiseCapability);
  // 14.
  return promiseCapability.promise;
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
      const binding = env.importBindings[index] as () => unknown;
      return binding();
    },
    set v(_value: unknown) {
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
