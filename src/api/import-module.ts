/**
 * importModule(module): what `import(module)` does in the Module & ModuleSource proposal, and
 * `import(source)` in ESM phase imports and the Import Hook proposal (a shim cannot change the
 * engine's own `import()` syntax; inside module code run by modhost, `import(moduleInstance)` and
 * `import(source)` do the same thing).
 */

import { createError } from '../errors/codes.js';
import {
  type AbortableLoad,
  ContinueDynamicImport,
  EvaluateForImport,
  GetModuleNamespace,
  Link,
  LoadRequestedModulesAbortable,
  type ModuleRecord,
  NewPromiseCapability,
  PerformPromiseThen,
  type PromiseCapability,
} from '../records/index.js';
import type { AbstractModuleSource } from './abstract-module-source.js';
import { canonicalModuleRecord } from './canonical.js';
import { describeKind } from './handler.js';
import { isObject, ObjectDefineProperty, ReflectApply, ReflectGet } from './intrinsics.js';
import { type Module, moduleRecordOf } from './module.js';
import { defaultRealm } from './realm.js';

/** A module namespace exotic object. */
export type ModuleNamespace = Record<string, unknown>;

/** The phase an import runs to (source phase imports and import defer proposals). */
export type ImportModulePhase = 'evaluation' | 'defer' | 'source';

/** Options of {@link importModule}. */
export interface ImportModuleOptions {
  /**
   * How far to take the module, as `import()`, `import.defer()` and `import.source()` do:
   * `'evaluation'` (the default) loads, links and evaluates the graph and resolves to the
   * namespace; `'defer'` loads and links it, evaluates only its asynchronous parts and resolves
   * to the deferred namespace (the module runs on first property access); `'source'` loads
   * nothing and resolves to the module's source object (its `ModuleSource`, virtual source or
   * `WebAssembly.Module`), or rejects with ERR_MODHOST_NO_MODULE_SOURCE when it has none.
   */
  phase?: ImportModulePhase;
  /**
   * Gives up waiting when this signal aborts: the promise rejects with an `AbortError`
   * (code `ERR_MODHOST_ABORTED`, `cause` = `signal.reason`). While the graph is loading, the
   * load stops: nothing of it is linked or evaluated, its modules stay as they were (a later
   * `importModule` loads them again), and an `importHook` call that only this import was waiting
   * for is abandoned (a later import calls the hook again; a late result of the abandoned call is
   * ignored). Once evaluation has started it cannot be stopped (module code is running): the
   * promise still rejects at once, and evaluation goes on and is cached as usual.
   */
  signal?: AbortSignal;
}

// AbortSignal and EventTarget methods, captured at load (module code may replace them). Absent in
// engines without AbortSignal, where passing a `signal` is a TypeError.
const AbortSignalPrototype = (globalThis as { AbortSignal?: { prototype: object } }).AbortSignal?.prototype;
const EventTargetPrototype = (globalThis as { EventTarget?: { prototype: object } }).EventTarget?.prototype;
const ReflectGetOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
const AbortSignalAborted =
  AbortSignalPrototype && ReflectGetOwnPropertyDescriptor(AbortSignalPrototype, 'aborted')?.get;
const AbortSignalReason = AbortSignalPrototype && ReflectGetOwnPropertyDescriptor(AbortSignalPrototype, 'reason')?.get;
const EventTargetAddEventListener =
  EventTargetPrototype &&
  (ReflectGetOwnPropertyDescriptor(EventTargetPrototype, 'addEventListener')?.value as Function | undefined);
const EventTargetRemoveEventListener =
  EventTargetPrototype &&
  (ReflectGetOwnPropertyDescriptor(EventTargetPrototype, 'removeEventListener')?.value as Function | undefined);

/**
 * Loads, links and evaluates `module` and its dependency graph; resolves to its namespace.
 * Never throws synchronously: every failure rejects the returned promise. A load or link error is
 * not cached (a later call tries again); an evaluation error is, and every later call rejects
 * with the same error object.
 *
 * `module` is a `Module` instance, or a module source (a `ModuleSource`, JSON/text/WebAssembly
 * source, `WebAssembly.Module`), which imports that source's one instance: the host's if a host
 * loaded it, else the one in modhost's default realm (created on first import, with the hooks of
 * the source's own handler, if any). The type parameter names the namespace's shape.
 *
 * An importHook that never settles leaves the import pending forever; pass `options.signal`
 * (e.g. `AbortSignal.timeout(ms)`) to give up: see {@link ImportModuleOptions.signal}.
 *
 * @example
 * const ns = await importModule(new Module(new ModuleSource('export default 1;')));
 * ns.default; // 1
 * await importModule(module, { signal: AbortSignal.timeout(5_000) }); // AbortError after 5 s
 * // A typed namespace:
 * const { add } = await importModule<{ add(a: number, b: number): number }>(math);
 * // A module source imports its one instance (the Import Hook proposal's "import kicker").
 * const source = new ModuleSource('export default 2;');
 * (await importModule(source)) === (await importModule(source)); // true: one instance per source
 * // Phases: the source object, or a deferred namespace.
 * (await importModule(module, { phase: 'source' })) === module.source; // true
 */
export function importModule(
  module: Module | AbstractModuleSource | object,
  options: ImportModuleOptions & { phase: 'source' },
): Promise<object>;
export function importModule<T extends object = ModuleNamespace>(
  module: Module | AbstractModuleSource | object,
  options?: ImportModuleOptions,
): Promise<T>;
export function importModule(module: unknown, options?: ImportModuleOptions): Promise<unknown> {
  const capability = NewPromiseCapability();
  let record: ModuleRecord | undefined;
  let signal: AbortSignal | undefined;
  let phase: ImportModulePhase;
  try {
    record = recordToImport(module, options);
    signal = signalOf(options);
    phase = phaseOf(options);
  } catch (error) {
    capability.reject(error);
    return capability.promise;
  }
  if (signal !== undefined && ReflectApply(AbortSignalAborted!, signal, []) === true)
    capability.reject(abortError(signal));
  else if (signal === undefined || phase === 'source')
    ContinueDynamicImport(capability, { type: 'normal', value: record }, phase);
  else importWithSignal(capability, record, signal, phase);
  return capability.promise;
}

/** The Module Record `importModule(module, options)` imports (see importModule). */
function recordToImport(module: unknown, options: unknown): ModuleRecord {
  const own = moduleRecordOf(module);
  if (own !== undefined) return own;
  // A module source imports its instance; import attributes cannot be given with a source.
  const record = canonicalModuleRecord(module, undefined, defaultRealm);
  if (record === undefined) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `importModule expects a Module instance or a module source (got ${describeKind(module)})`,
    );
  }
  if (isObject(options) && ReflectGet(options, 'with') !== undefined) {
    throw createError(
      'ERR_MODHOST_INVALID_SOURCE_IMPORT',
      'importModule of a module source cannot have import attributes',
    );
  }
  return record;
}

/** Reads and checks `options.phase` (undefined → 'evaluation'). */
function phaseOf(options: unknown): ImportModulePhase {
  if (!isObject(options)) return 'evaluation';
  const phase = ReflectGet(options, 'phase') as unknown;
  if (phase === undefined || phase === 'evaluation' || phase === 'defer' || phase === 'source') {
    return phase ?? 'evaluation';
  }
  throw createError(
    'ERR_MODHOST_INVALID_ARGUMENT',
    `importModule: options.phase must be 'evaluation', 'defer' or 'source' (got ` +
      `${typeof phase === 'string' ? `'${phase}'` : describeKind(phase)})`,
  );
}

/** Reads and checks `options.signal` (an object, if given; the signal, if given, an AbortSignal). */
function signalOf(options: unknown): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (!isObject(options))
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'The options of importModule must be an object or undefined');
  const signal = ReflectGet(options, 'signal') as unknown;
  if (signal === undefined) return undefined;
  if (
    AbortSignalAborted === undefined ||
    EventTargetAddEventListener === undefined ||
    EventTargetRemoveEventListener === undefined
  ) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'importModule: options.signal needs AbortSignal, which this engine does not have',
    );
  }
  try {
    // The getter's brand check: throws TypeError for anything but an AbortSignal.
    ReflectApply(AbortSignalAborted, signal, []);
  } catch {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'importModule: options.signal must be an AbortSignal');
  }
  return signal as AbortSignal;
}

/** The error an aborted import rejects with: `name` AbortError, as fetch and Node's APIs use. */
function abortError(signal: AbortSignal): Error {
  const reason = ReflectApply(AbortSignalReason!, signal, []) as unknown;
  const error = createError('ERR_MODHOST_ABORTED', 'The import was aborted', { cause: reason });
  ObjectDefineProperty(error, 'name', {
    __proto__: null,
    value: 'AbortError',
    writable: true,
    enumerable: false,
    configurable: true,
  } as PropertyDescriptor);
  return error;
}

/**
 * ContinueDynamicImport steps 3-8 (13.3.10.3, with _phase_ ~evaluation~ or ~defer~) with an
 * abortable loading process. The listener is
 * removed when the import settles, so a long-lived signal does not keep the graph alive.
 */
function importWithSignal(
  capability: PromiseCapability,
  module: ModuleRecord,
  signal: AbortSignal,
  phase: 'evaluation' | 'defer',
): void {
  let settled = false;
  let load: AbortableLoad | undefined;
  const onAbort = (): void => {
    const error = abortError(signal);
    load?.abort(error);
    reject(error);
  };
  const finish = (): void => {
    settled = true;
    try {
      ReflectApply(EventTargetRemoveEventListener!, signal, ['abort', onAbort]);
    } catch {
      // A broken EventTarget (see addEventListener below) keeps the listener; it then finds `settled` set.
    }
  };
  const reject = (reason: unknown): void => {
    if (settled) return;
    finish();
    capability.reject(reason);
  };
  // Before the load starts: an addEventListener that throws (the engine's EventTarget broken
  // by module code, e.g. a setter on Object.prototype) rejects the import without loading.
  try {
    ReflectApply(EventTargetAddEventListener!, signal, ['abort', onAbort]);
  } catch (error) {
    settled = true;
    capability.reject(error);
    return;
  }
  load = LoadRequestedModulesAbortable(module);
  const linkAndEvaluate = (): void => {
    // Aborted between the end of loading and this reaction: nothing is linked.
    if (settled) return;
    try {
      Link(module);
    } catch (error) {
      reject(error);
      return;
    }
    PerformPromiseThen(
      EvaluateForImport(module, phase),
      () => {
        if (settled) return;
        finish();
        capability.resolve(GetModuleNamespace(module, phase));
      },
      reject,
    );
  };
  PerformPromiseThen(load.promise, linkAndEvaluate, reject);
}
