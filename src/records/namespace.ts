/**
 * 10.4.6 Module Namespace Exotic Objects, 28.3 Module Namespace Objects and 16.2.1.13
 * GetModuleNamespace.
 *
 * A namespace is a Proxy (the captured %Proxy%) whose target is a non-extensible null-prototype
 * object holding one non-configurable, writable, enumerable data property per export (its value
 * unused) and the non-writable @@toStringTag "Module": the shape the spec's internal methods
 * report, so every Proxy invariant holds. The handler implements each internal method of 10.4.6
 * exactly; it inherits nothing, so no trap can be supplied by a poisoned Object.prototype.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { createError } from '../errors/codes.js';
import type { ImportPhase } from '../source/types.js';
import { Assert, AssertionFailed } from './assert.js';
import {
  ArrayPrototypeSort,
  DataDescriptor,
  ListAppend,
  ListAt,
  ListCreate,
  MapCtor,
  ObjectCreate,
  ObjectIs,
  ObjectPreventExtensions,
  ObjectSetPrototypeOf,
  ProxyCtor,
  ReflectDefineProperty,
  ReflectDeleteProperty,
  ReflectGet,
  ReflectGetOwnPropertyDescriptor,
  ReflectHas,
  ReflectOwnKeys,
  SymbolToStringTag,
  TableCreate,
} from './intrinsics.js';
import {
  AMBIGUOUS,
  DEFERRED_NAMESPACE,
  GetBindingGetter,
  IsCyclicModuleRecord,
  ModuleDisplayName,
  type ModuleEnvironment,
  type ModuleRecord,
  NAMESPACE,
  type ResolvedBinding,
  SOURCE,
  type SpecialBindingName,
} from './module-record.js';
import { EnsureDeferredNamespaceEvaluation, GetModuleSource } from './phases.js';
import { GetExportedNames, ResolveExport, type StarMemo } from './resolve-export.js';

/** A resolved export of a namespace, with the getter of its target binding once known. */
interface NamespaceBinding {
  readonly module: ModuleRecord;
  readonly bindingName: string | SpecialBindingName;
  env: ModuleEnvironment | undefined;
  getter: (() => unknown) | undefined;
  /** The value last copied onto the Proxy's target (see MirrorNamespaceValues). */
  shown: unknown;
}

const FIELD_NAMES: readonly string[] = ['value', 'writable', 'get', 'set', 'enumerable', 'configurable'];

/**
 * The internal slots ([[Module]], [[Exports]]) and internal methods of one module namespace
 * exotic object, as a Proxy handler.
 */
class ModuleNamespaceHandler {
  /**
   * [[Module]]. Changed only by hot replacement (RetargetNamespace): the namespace then shows the
   * bindings of the instance that replaced its module.
   */
  module: ModuleRecord;
  /** [[Exports]], sorted by code units. */
  readonly exports: readonly string[];
  /** The same names, for "contains". */
  readonly exportSet: { readonly [name: string]: true };
  /**
   * ResolveExport results, computed on first access (ResolveExport always returns the same for a
   * loaded graph; hot replacement, which changes the graph, starts a new table).
   */
  bindings: { [name: string]: NamespaceBinding };
  /**
   * The resolutions GetModuleNamespace computed for [[Exports]] (step 3.c), which the first access
   * of each name takes instead of resolving it again; undefined once hot replacement retargets.
   */
  resolved: { [name: string]: ResolvedBinding } | undefined = undefined;
  /**
   * Hot replacement: true when [[Exports]] (fixed for the object's life, as the invariants of a
   * non-extensible object with non-configurable properties require) is no longer the export list
   * of [[Module]]; an export that [[Module]] no longer has then reads as a ReferenceError.
   */
  stale = false;
  /** Import defer: [[Deferred]]. String-keyed internal methods first evaluate the module. */
  readonly deferred: boolean;
  /** The Proxy's target: see MirrorNamespaceValues. */
  readonly target: object;
  /** True while MirrorNamespaceValues runs for this namespace. */
  mirroring = false;

  constructor(
    module: ModuleRecord,
    exports: readonly string[],
    exportSet: { readonly [name: string]: true },
    deferred: boolean,
    target: object,
  ) {
    this.module = module;
    this.target = target;
    this.exports = exports;
    this.exportSet = exportSet;
    this.bindings = TableCreate<NamespaceBinding>();
    this.deferred = deferred;
  }

  /** 10.4.6.1 [[GetPrototypeOf]]() — https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-getprototypeof. */
  getPrototypeOf(): null {
    // 1.
    return null;
  }

  /** 10.4.6.2 [[SetPrototypeOf]](V) — https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-setprototypeof-v. */
  setPrototypeOf(_target: object, V: object | null): boolean {
    // 1.
    return SetImmutablePrototype(null, V);
  }

  /** 10.4.6.3 [[IsExtensible]]() — https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-isextensible. */
  isExtensible(): boolean {
    // 1.
    return false;
  }

  /**
   * 10.4.6.4 [[PreventExtensions]]() —
   * https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-preventextensions.
   */
  preventExtensions(): boolean {
    // 1.
    return true;
  }

  /** 10.4.6.5 [[GetOwnProperty]](P) — https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-getownproperty-p. */
  getOwnPropertyDescriptor(target: object, P: string | symbol): PropertyDescriptor | undefined {
    // 1. OrdinaryGetOwnProperty for Symbols (import defer: IsSymbolLikeNamespaceKey).
    if (IsSymbolLikeNamespaceKey(P, this)) {
      const own = ReflectGetOwnPropertyDescriptor(target, P);
      // (a null-prototype copy: the Proxy reads the result's fields with [[Get]])
      return own === undefined ? undefined : OwnDescriptorFields(own);
    }
    // 2-3. (import defer: ? GetModuleExportsList(O))
    GetModuleExportsList(this);
    if (this.exportSet[P] !== true) return undefined;
    // 4.
    const value = NamespaceGet(this, P);
    // 5.
    return DataDescriptor(value, true, true, false);
  }

  /**
   * 10.4.6.6 [[DefineOwnProperty]](P, Desc) —
   * https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-defineownproperty-p-desc.
   */
  defineProperty(target: object, P: string | symbol, Desc: PropertyDescriptor): boolean {
    // The Proxy hands Desc over as an ordinary object: read only its own fields.
    const desc = OwnDescriptorFields(Desc);
    // 1. ! OrdinaryDefineOwnProperty for Symbols (import defer: IsSymbolLikeNamespaceKey).
    if (IsSymbolLikeNamespaceKey(P, this)) return ReflectDefineProperty(target, P, desc);
    // 2.
    const current = this.getOwnPropertyDescriptor(target, P);
    // 3.
    if (current === undefined) return false;
    // 4.
    if (desc.configurable === true) return false;
    // 5.
    if (desc.enumerable === false) return false;
    // 6. IsAccessorDescriptor(Desc)
    if ('get' in desc || 'set' in desc) return false;
    // 7.
    if (desc.writable === false) return false;
    // 8.
    if ('value' in desc) return ObjectIs(desc.value, current.value);
    // 9.
    return true;
  }

  /** 10.4.6.7 [[HasProperty]](P) — https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-hasproperty-p. */
  has(target: object, P: string | symbol): boolean {
    // 1. ! OrdinaryHasProperty for Symbols (import defer: IsSymbolLikeNamespaceKey).
    if (IsSymbolLikeNamespaceKey(P, this)) return ReflectHas(target, P);
    // 2-4. (import defer: ? GetModuleExportsList(O))
    GetModuleExportsList(this);
    return this.exportSet[P] === true;
  }

  /** 10.4.6.8 [[Get]](P, Receiver) — https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-get-p-receiver. */
  get(target: object, P: string | symbol, Receiver: unknown): unknown {
    // (records/ asking its own namespace object for its handler: see HandlerOf)
    if (P === HANDLER_KEY) return this;
    // 1. ! OrdinaryGet for Symbols (import defer: IsSymbolLikeNamespaceKey).
    if (IsSymbolLikeNamespaceKey(P, this)) return ReflectGet(target, P, Receiver);
    // 2. (import defer: ? GetModuleExportsList(O)) 3-12.
    GetModuleExportsList(this);
    return NamespaceGet(this, P);
  }

  /**
   * 10.4.6.9 [[Set]](P, V, Receiver) —
   * https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-set-p-v-receiver.
   */
  set(): boolean {
    // 1.
    return false;
  }

  /** 10.4.6.10 [[Delete]](P) — https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-delete-p. */
  deleteProperty(target: object, P: string | symbol): boolean {
    // 1. ! OrdinaryDelete for Symbols (import defer: IsSymbolLikeNamespaceKey).
    if (IsSymbolLikeNamespaceKey(P, this)) return ReflectDeleteProperty(target, P);
    // 2-4. (import defer: ? GetModuleExportsList(O))
    GetModuleExportsList(this);
    return this.exportSet[P] !== true;
  }

  /** 10.4.6.11 [[OwnPropertyKeys]]() — https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-ownpropertykeys. */
  ownKeys(target: object): (string | symbol)[] {
    // 1. (import defer: ? GetModuleExportsList(O))
    const exports = GetModuleExportsList(this);
    const keys = ListCreate<string | symbol>();
    for (let i = 0; i < exports.length; i++) ListAppend(keys, ListAt(exports, i));
    // 2. OrdinaryOwnPropertyKeys(O): its only other keys are Symbols.
    const ownKeys = ReflectOwnKeys(target);
    for (let i = 0; i < ownKeys.length; i++) {
      const key = ListAt(ownKeys, i);
      if (typeof key === 'symbol') ListAppend(keys, key);
    }
    // 3.
    return keys;
  }
}
// The handler's trap lookups must find nothing but these methods.
ObjectSetPrototypeOf(ModuleNamespaceHandler.prototype, null);

/**
 * Import defer: IsSymbolLikeNamespaceKey(P, O) — Symbols, and "then" on a deferred namespace, are
 * ordinary properties of the object (so `await`ing or resolving a promise with a deferred
 * namespace neither evaluates the module nor finds a `then`).
 */
function IsSymbolLikeNamespaceKey(P: string | symbol, O: ModuleNamespaceHandler): P is symbol {
  // 1.
  if (typeof P === 'symbol') return true;
  // 2.
  if (O.deferred && P === 'then') return true;
  // 3.
  return false;
}

/**
 * Import defer: GetModuleExportsList(O) — O.[[Exports]], after EnsureDeferredNamespaceEvaluation
 * for a deferred namespace (its module evaluates synchronously now, or this throws).
 */
function GetModuleExportsList(O: ModuleNamespaceHandler): readonly string[] {
  // 1. If O.[[Deferred]] is true: 1.a-b (a TypeError unless ReadyForSyncExecution, then
  //    ? EvaluateModuleSync(O.[[Module]])).
  if (O.deferred) EnsureDeferredNamespaceEvaluation(O.module);
  // 2.
  return O.exports;
}

/**
 * 10.4.6.8 [[Get]] steps 4-6: ResolveExport(P) of an export of the namespace, kept per namespace
 * (ResolveExport always gives the same answer for a loaded graph).
 */
function NamespaceBindingOf(handler: ModuleNamespaceHandler, P: string): NamespaceBinding {
  let binding = handler.bindings[P];
  if (binding === undefined) {
    // 4-5. (Resolved already when the namespace was made: the same graph gives the same answer.)
    const resolution = handler.resolved?.[P] ?? ResolveExport(handler.module, P);
    // 6. Assert: binding is a ResolvedBinding Record.
    if (!(resolution !== null && resolution !== AMBIGUOUS)) {
      // (hot replacement: the new instance of the module no longer exports P)
      if (handler.stale) throw RemovedExportError(handler.module, P);
      AssertionFailed(`namespace [[Get]] step 6: '${P}'`);
    }
    binding = {
      __proto__: null,
      module: resolution.module,
      bindingName: resolution.bindingName,
      env: undefined,
      getter: undefined,
      shown: undefined,
    } as NamespaceBinding;
    handler.bindings[P] = binding;
  }
  return binding;
}

/** 10.4.6.8 [[Get]] steps 2-12 for a String key. */
function NamespaceGet(handler: ModuleNamespaceHandler, P: string): unknown {
  // 2-3.
  if (handler.exportSet[P] !== true) return undefined;
  // 4-6.
  const binding = NamespaceBindingOf(handler, P);
  // 7-8.
  const targetModule = binding.module;
  // 9. ~namespace~ (import defer: ~deferred-namespace~; source phase imports: ~source~).
  const bindingName = binding.bindingName;
  if (typeof bindingName !== 'string') return SpecialBindingValue(targetModule, bindingName);
  // 10.
  const targetEnv = targetModule.environment;
  // 11.
  if (targetEnv === undefined) {
    throw createError('ERR_MODHOST_TDZ', `Cannot access '${P}' before initialization`);
  }
  // 12. targetEnv.GetBindingValue(binding.[[BindingName]], true)
  let getter = binding.getter;
  if (binding.env !== targetEnv) {
    getter = GetBindingGetter(targetEnv, bindingName);
    if (!(getter !== undefined)) AssertionFailed(`namespace [[Get]] step 12: no binding '${bindingName}'`);
    binding.env = targetEnv;
    binding.getter = getter;
  }
  const value = (getter as () => unknown)();
  if (!handler.deferred) Show(handler, binding, P, value);
  return value;
}

/** Copies `value` onto the Proxy's target when it differs from what is there (a cheap test on [[Get]]). */
function Show(handler: ModuleNamespaceHandler, binding: NamespaceBinding, P: string, value: unknown): void {
  if (ObjectIs(binding.shown, value)) return;
  binding.shown = value;
  ReflectDefineProperty(handler.target, P, DataDescriptor(value, true, true, false));
}

/**
 * Copies the current value of every initialized export onto the Proxy's target. The language
 * cannot observe this (the target is unreachable from JavaScript), but Node's `util.inspect`,
 * and so `console.log`, and browser devtools print a Proxy's *target* rather than what its traps
 * report: without the copy, `console.log(namespace)` shows every export as `undefined`. Called
 * when a namespace of an evaluated module is handed out, and by every string-keyed [[Get]]; a
 * later change of a live binding shows up at the next of either. Deferred namespaces are left
 * alone (reading a value would evaluate the module); bindings still in TDZ are skipped.
 */
function MirrorNamespaceValues(handler: ModuleNamespaceHandler): void {
  if (handler.deferred || handler.mirroring) return;
  handler.mirroring = true;
  try {
    MirrorEachExport(handler);
  } finally {
    handler.mirroring = false;
  }
}

function MirrorEachExport(handler: ModuleNamespaceHandler): void {
  const exports = handler.exports;
  for (let i = 0; i < exports.length; i++) {
    const name = ListAt(exports, i);
    let value: unknown;
    let resolution: NamespaceBinding;
    try {
      resolution = NamespaceBindingOf(handler, name);
    } catch (error) {
      // An export removed by a hot update (a stale namespace) is skipped; anything else is a bug.
      if (!handler.stale) throw error;
      continue;
    }
    const bindingName = resolution.bindingName;
    if (typeof bindingName !== 'string') {
      // Another module's namespace (made now if need be, and mirrored too; `mirroring` stops
      // modules that re-export each other's namespaces from recursing), deferred namespace or
      // module source.
      value = SpecialBindingValue(resolution.module, bindingName);
    } else {
      const env = resolution.module.environment;
      if (env === undefined) continue;
      const getter = GetBindingGetter(env, bindingName);
      if (getter === undefined) continue;
      try {
        value = getter();
      } catch {
        continue; // TDZ
      }
    }
    Show(handler, resolution, name, value);
  }
}

/**
 * The handler of a namespace object records/ made (a module's [[Namespace]] or
 * [[DeferredNamespace]], or one of its hot replacement aliases): its `get` trap answers this key,
 * which nothing outside this file can name, with the handler itself. (A WeakMap from namespace to
 * handler would do, but V8's young-generation GC keeps a WeakMap's values alive: every namespace
 * would keep its whole module graph through each minor collection, until a full one.)
 */
const HANDLER_KEY: unique symbol = Symbol('namespace handler');

function HandlerOf(namespace: object): ModuleNamespaceHandler {
  const handler = ReflectGet(namespace, HANDLER_KEY) as unknown;
  if (!(handler instanceof ModuleNamespaceHandler)) AssertionFailed('not a module namespace object made by records/');
  return handler;
}

/** A null-prototype copy of the own fields of a descriptor object. */
function OwnDescriptorFields(Desc: PropertyDescriptor): PropertyDescriptor {
  const copy = ObjectCreate(null) as { [field: string]: unknown };
  for (let i = 0; i < FIELD_NAMES.length; i++) {
    const field = ListAt(FIELD_NAMES, i);
    const own = ReflectGetOwnPropertyDescriptor(Desc, field);
    if (own !== undefined) copy[field] = own.value;
  }
  return copy as PropertyDescriptor;
}

/**
 * 10.4.7.2 SetImmutablePrototype(O, V) — https://tc39.es/ecma262/#sec-set-immutable-prototype;
 * `current` is O.[[GetPrototypeOf]]().
 */
export function SetImmutablePrototype(current: object | null, V: object | null): boolean {
  // 1. (current)
  // 2.
  if (ObjectIs(V, current)) return true;
  // 3.
  return false;
}

/**
 * 10.4.6.12 ModuleNamespaceCreate(module, exports, phase) —
 * https://tc39.es/ecma262/#sec-modulenamespacecreate, with import defer's _phase_: a ~defer~
 * namespace has [[Deferred]] true, tag "Deferred Module", and is stored in [[DeferredNamespace]].
 */
export function ModuleNamespaceCreate(
  module: ModuleRecord,
  exports: readonly string[],
  phase: ImportPhase = 'evaluation',
): object {
  const deferred = phase === 'defer';
  // 1.
  Assert((deferred ? module.deferredNamespace : module.namespace) === undefined, 'ModuleNamespaceCreate step 1');
  // 6. Sorted by code units (the default sort order for Strings).
  const sortedExports = ListCreate<string>();
  for (let i = 0; i < exports.length; i++) ListAppend(sortedExports, ListAt(exports, i));
  ArrayPrototypeSort(sortedExports);
  // 2-4, 8. The object: see the file comment.
  const target = ObjectCreate(null) as object;
  const exportSet = TableCreate<true>();
  for (let i = 0; i < sortedExports.length; i++) {
    const name = ListAt(sortedExports, i);
    exportSet[name] = true;
    ReflectDefineProperty(target, name, DataDescriptor(undefined, true, true, false));
  }
  // 28.3.1 %Symbol.toStringTag%
  ReflectDefineProperty(
    target,
    SymbolToStringTag,
    DataDescriptor(deferred ? 'Deferred Module' : 'Module', false, false, false),
  );
  ObjectPreventExtensions(target);
  // 5, 7.
  const handler = new ModuleNamespaceHandler(module, sortedExports, exportSet, deferred, target);
  const M = new ProxyCtor(target, handler as unknown as ProxyHandler<object>);
  // 9.
  if (deferred) module.deferredNamespace = M;
  else module.namespace = M;
  // 10.
  return M;
}

/**
 * 16.2.1.13 GetModuleNamespace(module, phase) — https://tc39.es/ecma262/#sec-getmodulenamespace, with import defer's
 * _phase_ (~defer~: the deferred namespace, a separate object over the same exports).
 */
export function GetModuleNamespace(module: ModuleRecord, phase: ImportPhase = 'evaluation'): object {
  const deferred = phase === 'defer';
  // 1. DEVIATION(GetModuleNamespace step 1): the spec asserts "not ~new~ or ~unlinked~", but an
  //    `import * as ns` of a module in the same cycle that is still ~unlinked~ reaches here from
  //    InitializeEnvironment; only ~new~ is impossible (tc39/ecma262#3114).
  if (IsCyclicModuleRecord(module)) {
    if (!(module.status !== 'new'))
      AssertionFailed(`GetModuleNamespace step 1: ${module.source.url} is ${module.status}`);
  }
  // 2. (import defer: [[DeferredNamespace]] for ~defer~)
  let namespace = deferred ? module.deferredNamespace : module.namespace;
  // 3.
  if (namespace === undefined) {
    // 3.a-c
    const resolved = TableCreate<ResolvedBinding>();
    const unambiguousNames = NamespaceExportNames(module, deferred, resolved);
    // 3.d
    namespace = ModuleNamespaceCreate(module, unambiguousNames, phase);
    HandlerOf(namespace).resolved = resolved;
  }
  // (not in the spec: make the values visible to inspectors; see MirrorNamespaceValues)
  if (!deferred && (!IsCyclicModuleRecord(module) || module.status === 'evaluated')) {
    MirrorNamespaceValues(HandlerOf(namespace));
  }
  // 4.
  return namespace;
}

/**
 * The value a ResolvedBinding whose [[BindingName]] is not a String stands for: ~namespace~ →
 * GetModuleNamespace(module) (10.4.6.8 [[Get]] step 9, InitializeEnvironment step 7.c.iii); import
 * defer's ~deferred-namespace~ → GetModuleNamespace(module, ~defer~); source phase imports'
 * ~source~ → module.GetModuleSource() (tc39/proposal-source-phase-imports#76).
 */
export function SpecialBindingValue(module: ModuleRecord, bindingName: SpecialBindingName): object {
  if (bindingName === NAMESPACE) return GetModuleNamespace(module);
  if (bindingName === DEFERRED_NAMESPACE) return GetModuleNamespace(module, 'defer');
  Assert(bindingName === SOURCE, 'SpecialBindingValue');
  return GetModuleSource(module);
}

/**
 * GetModuleNamespace steps 3.a-c: the names a new namespace of `module` would have, unsorted;
 * their resolutions go into `resolved` when given.
 */
function NamespaceExportNames(
  module: ModuleRecord,
  deferred: boolean,
  resolved?: { [name: string]: ResolvedBinding },
): string[] {
  // 3.a
  const exportedNames = GetExportedNames(module);
  // 3.b
  const unambiguousNames = ListCreate<string>();
  // What the resolutions of all the names learn about the graph's `export *`, once.
  const memo: StarMemo = new MapCtor();
  // 3.c
  for (let i = 0; i < exportedNames.length; i++) {
    const name = ListAt(exportedNames, i);
    // 3.c.i
    const resolution = ResolveExport(module, name, undefined, memo);
    // 3.c.ii DEVIATION(import defer GetModuleNamespace step 3.c.ii): a deferred namespace leaves
    //   "then" out of [[Exports]]: IsSymbolLikeNamespaceKey makes it an ordinary (absent)
    //   property, and [[OwnPropertyKeys]] must agree with [[GetOwnProperty]].
    if (resolution !== null && resolution !== AMBIGUOUS && !(deferred && name === 'then')) {
      ListAppend(unambiguousNames, name);
      if (resolved !== undefined) resolved[name] = resolution;
    }
  }
  return unambiguousNames;
}

/**
 * Hot replacement: makes `namespace` a namespace of `module` (the instance that replaced its
 * [[Module]], or its own module after the graph below it changed). Its [[Exports]] cannot change,
 * so it reports whether they are still exactly the export names of `module`: if so the object is
 * as good as `module`'s own namespace; if not it is *stale*, showing the exports it has that
 * `module` still has, and a ReferenceError for the others. Either way the resolution of every
 * name is looked up again.
 */
export function RetargetNamespace(namespace: object, module: ModuleRecord): boolean {
  const handler = HandlerOf(namespace);
  // DEVIATION(hot replacement: namespace [[Module]]): ModuleNamespaceCreate fixes [[Module]]; a
  //   hot replacement points it at the new instance, keeping [[Exports]] (see above).
  handler.module = module;
  handler.bindings = TableCreate<NamespaceBinding>();
  handler.resolved = undefined;
  const names = NamespaceExportNames(module, handler.deferred);
  let same = names.length === handler.exports.length;
  for (let i = 0; same && i < names.length; i++) if (handler.exportSet[ListAt(names, i)] !== true) same = false;
  handler.stale = !same;
  return same;
}

function RemovedExportError(module: ModuleRecord, name: string): Error {
  const url = ModuleDisplayName(module);
  return createError(
    'ERR_MODHOST_HOT_REMOVED_EXPORT',
    `'${name}' is no longer exported by ${url}: a hot update removed it (import the module again for its new ` +
      `namespace)`,
    { url, exportName: name },
  );
}
