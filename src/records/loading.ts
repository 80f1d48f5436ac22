/**
 * Loading (16.2.1.6.1.1, 16.2.1.9-16.2.1.12, and the proposal's LoadImportedModule): filling
 * [[LoadedModules]] across a module graph.
 *
 * Deep graphs: InnerModuleLoading recurses once per module along a dependency chain (directly
 * when a dependency is already in [[LoadedModules]], or through a host that calls
 * FinishLoadingImportedModule synchronously), so a 100,000-module chain would overflow the call
 * stack. Each GraphLoadingState therefore keeps an explicit stack of InnerModuleLoading frames
 * (`state.frames`): a call pushes a frame, and the one active driver loop of that state runs the
 * topmost frame. A frame remembers where in step 2.d it stopped, so the steps run in exactly the
 * recursive order: a child pushed during iteration i runs to completion before the parent's
 * step 2.d.iv check for iteration i. The one difference: a host that calls
 * FinishLoadingImportedModule synchronously sees the continuation run after its
 * HostLoadImportedModule returns instead of inside that call.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { createError } from '../errors/codes.js';
import type { ImportAttribute, ImportPhase, ModuleRequest } from '../source/types.js';
import { Assert, AssertionFailed } from './assert.js';
import {
  GraphLoadingState,
  InnerModuleLoadingFrame,
  LoadedModuleRequest,
  LoadingModuleRequest,
  type LoadType,
} from './cyclic-module-record.js';
import { ContinueDynamicImport } from './dynamic-import.js';
import { HostGetSupportedImportAttributes, HostLoadImportedModule } from './host-hooks.js';
import {
  ArrayPrototypeSort,
  CreateDataProperty,
  EMPTY_LIST,
  ListAppend,
  ListAt,
  ListCreate,
  ListPop,
  ReflectApply,
  ReflectGet,
  SetPrototypeAdd,
  SetPrototypeHas,
} from './intrinsics.js';
import {
  type Completion,
  type CyclicModuleRecord,
  HasImportHookContract,
  IsCyclicModuleRecord,
  type ModuleInstanceSlots,
  type ModuleRecord,
  NormalCompletion,
  type Realm,
  ThrowCompletion,
} from './module-record.js';
import { ModuleRequestsEqual, RequestTableAppend, RequestTableFind, RequestTableRemove } from './module-requests.js';
import { NewInternalPromiseCapability, PerformPromiseThen, type PromiseCapability } from './promise-operations.js';
import { SyntheticModuleLoadRequestedModules } from './synthetic-module-record.js';

/**
 * 16.2.1.6.1.1 LoadRequestedModules([hostDefined]) —
 * https://tc39.es/ecma262/#sec-LoadRequestedModules (and 16.2.1.8.4.1 for Synthetic Module
 * Records). The returned promise is internal (see NewInternalPromiseCapability): consume it with
 * PerformPromiseThen.
 */
export function LoadRequestedModules(module: ModuleRecord, hostDefined?: unknown): Promise<unknown> {
  if (!IsCyclicModuleRecord(module)) return SyntheticModuleLoadRequestedModules();
  // 1. hostDefined defaults to ~empty~ (undefined).
  // 2.
  const pc = NewInternalPromiseCapability();
  // 3.
  const state = new GraphLoadingState(pc, hostDefined);
  // 4.
  InnerModuleLoading(state, module, 'recursive-load');
  // 5.
  return pc.promise;
}

/**
 * 16.2.1.6.1.1.1 InnerModuleLoading(state, module, loadType) —
 * https://tc39.es/ecma262/#sec-InnerModuleLoading, with the source phase imports proposal's
 * _loadType_ (~single~ for a source phase request: the module is loaded, its dependencies are not).
 */
export function InnerModuleLoading(
  state: GraphLoadingState,
  module: ModuleRecord,
  loadType: LoadType = 'recursive-load',
): void {
  // DEVIATION(InnerModuleLoading recursion): the call becomes a frame on the state's explicit
  //   stack (see the file comment), so a host that calls FinishLoadingImportedModule synchronously
  //   sees the continuation run after its HostLoadImportedModule returns, not inside it.
  ListAppend(state.frames, new InnerModuleLoadingFrame(module, loadType));
  if (!state.driving) DriveInnerModuleLoading(state);
}

/** Runs InnerModuleLoading frames until the state's stack is empty. */
function DriveInnerModuleLoading(state: GraphLoadingState): void {
  const frames = state.frames;
  state.driving = true;
  try {
    while (frames.length > 0) {
      const frame = ListAt(frames, frames.length - 1);
      const module = frame.module;
      if (frame.next === -1) {
        // 1. Assert: state.[[IsLoading]] is true. A frame pushed by a synchronous host
        //    continuation can find loading already failed (recursion would have run it first);
        //    it then has nothing left to do.
        if (!state.isLoading) {
          ListPop(frames);
          continue;
        }
        // 2. loadType ~recursive-load~, a Cyclic Module Record still ~new~ and not yet visited:
        //    request its dependencies.
        if (
          frame.loadType === 'recursive-load' &&
          IsCyclicModuleRecord(module) &&
          module.status === 'new' &&
          !SetPrototypeHas(state.visited, module)
        ) {
          // 2.a
          SetPrototypeAdd(state.visited, module);
          ListAppend(state.visitedList, module);
          // 2.b-c
          state.pendingModulesCount += module.requestedModules.length;
          frame.next = 0;
        } else {
          frame.next = -2;
        }
      } else if (frame.next > 0) {
        // 2.d.iv (for the request handled last, now that its recursion has finished).
        if (!state.isLoading) {
          ListPop(frames);
          continue;
        }
      }
      if (frame.next >= 0) {
        const cyclic = module as CyclicModuleRecord;
        const requests = cyclic.requestedModules;
        if (frame.next < requests.length) {
          // 2.d For each request:
          const request = ListAt(requests, frame.next);
          frame.next++;
          if (!AllImportAttributesSupported(cyclic, request.attributes)) {
            // 2.d.i
            ContinueModuleLoading(state, ThrowCompletion(UnsupportedAttributeError(cyclic, request)));
          } else {
            const record = RequestTableFind(cyclic.loadedModules, request);
            if (record !== undefined) {
              // 2.d.ii (source phase: ~single~ for a source phase request)
              InnerModuleLoading(state, record.module, request.phase === 'source' ? 'single' : 'recursive-load');
            } else {
              // 2.d.iii (the proposal's LoadImportedModule in place of HostLoadImportedModule)
              LoadImportedModule(cyclic, request, state.hostDefined, state);
            }
          }
          continue;
        }
      }
      // 3. Assert: state.[[PendingModulesCount]] ≥ 1.
      Assert(state.pendingModulesCount >= 1, 'InnerModuleLoading step 3');
      // 4.
      state.pendingModulesCount--;
      // 5.
      if (state.pendingModulesCount === 0) {
        // 5.a
        state.isLoading = false;
        // 5.b
        const visited = state.visitedList;
        for (let i = 0; i < visited.length; i++) {
          const loaded = ListAt(visited, i);
          if (loaded.status === 'new') loaded.status = 'unlinked';
        }
        // 5.c
        state.promiseCapability.resolve(undefined);
      }
      // 6.
      ListPop(frames);
    }
  } finally {
    state.driving = false;
  }
}

/** A loading process its caller may give up on (see {@link LoadRequestedModulesAbortable}). */
export interface AbortableLoad {
  /** LoadRequestedModules' promise (internal: consume it with PerformPromiseThen). */
  readonly promise: Promise<unknown>;
  /** Stops the process, if still loading, and rejects `promise` with `reason`. */
  abort(reason: unknown): void;
}

/**
 * LoadRequestedModules for a caller that may stop waiting (importModule's `signal`; not a spec
 * operation). Aborting ends this GraphLoadingState only: modules it visited stay ~new~ (they
 * become ~unlinked~ only when a loading process completes), loads that other processes also wait
 * for go on, and a hook call only this process was waiting for is abandoned, so a retry calls the
 * hook again. Nothing is linked or evaluated for an aborted process.
 */
export function LoadRequestedModulesAbortable(module: ModuleRecord, hostDefined?: unknown): AbortableLoad {
  if (!IsCyclicModuleRecord(module)) return { promise: SyntheticModuleLoadRequestedModules(), abort: () => {} };
  const pc = NewInternalPromiseCapability();
  const state = new GraphLoadingState(pc, hostDefined);
  InnerModuleLoading(state, module);
  return { promise: pc.promise, abort: (reason: unknown) => AbortGraphLoading(state, reason) };
}

/**
 * Ends a loading process as a failed load would (ContinueModuleLoading step 3), and detaches it
 * from the [[LoadingModules]] entries of the modules it visited (only those can hold it).
 */
function AbortGraphLoading(state: GraphLoadingState, reason: unknown): void {
  if (!state.isLoading) return;
  state.isLoading = false;
  const visited = state.visitedList;
  for (let i = 0; i < visited.length; i++) {
    const referrer = ListAt(visited, i);
    const requests = referrer.requestedModules;
    for (let j = 0; j < requests.length; j++) {
      const entry = RequestTableFind(referrer.loadingModules, ListAt(requests, j));
      if (entry === undefined) continue;
      if (entry.firstState === state) entry.firstState = undefined;
      // loadStates and loadPhases are parallel Lists: compact both alike.
      const states = entry.loadStates;
      const phases = entry.loadPhases;
      let kept = 0;
      for (let k = 0; k < states.length; k++) {
        const waiting = ListAt(states, k);
        if (waiting === state) continue;
        phases[kept] = ListAt(phases, k);
        states[kept++] = waiting;
      }
      if (kept !== states.length) {
        states.length = kept;
        phases.length = kept;
      }
      if (kept === 0 && entry.firstState === undefined) {
        entry.abandoned = true;
        RequestTableRemove(referrer.loadingModules, entry);
      }
    }
  }
  state.promiseCapability.reject(reason);
}

/**
 * 16.2.1.6.1.1.2 ContinueModuleLoading(state, phase, moduleCompletion) —
 * https://tc39.es/ecma262/#sec-ContinueModuleLoading, with the source phase imports proposal's
 * _phase_.
 */
export function ContinueModuleLoading(
  state: GraphLoadingState,
  moduleCompletion: Completion<ModuleRecord>,
  phase: ImportPhase = 'evaluation',
): void {
  // 1.
  if (!state.isLoading) return;
  // 2.
  if (moduleCompletion.type === 'normal') {
    // 2.a-b (source phase) ~single~ for a source phase request.
    InnerModuleLoading(state, moduleCompletion.value, phase === 'source' ? 'single' : 'recursive-load');
  } else {
    // 3.a-b
    state.isLoading = false;
    state.promiseCapability.reject(moduleCompletion.value);
  }
  // 4.
}

/**
 * Proposal LoadImportedModule(referrer, moduleRequest, hostDefined, state) —
 * https://tc39.es/proposal-compartments/#sec-LoadImportedModule — on ModuleRequest Records
 * (specifier + attributes) rather than specifier strings.
 */
export function LoadImportedModule(
  referrer: CyclicModuleRecord,
  moduleRequest: ModuleRequest,
  hostDefined: unknown,
  state: GraphLoadingState | PromiseCapability,
): void {
  const phase = moduleRequest.phase ?? 'evaluation';
  // 1. Already loaded: continue `state` with that module.
  const loaded = RequestTableFind(referrer.loadedModules, moduleRequest);
  if (loaded !== undefined) {
    // DEVIATION(LoadImportedModule step 1.b): the proposal calls FinishLoadingImportedModule here,
    //   whose [[LoadingModules]] lookup would find no entry; we continue `state` directly, which is
    //   what that call means to do.
    ContinueLoadState(state, NormalCompletion(loaded.module), phase);
    return;
  }
  // 2. A load of an equal request is in progress: wait for it (in this request's own phase).
  const loading = RequestTableFind(referrer.loadingModules, moduleRequest);
  if (loading !== undefined) {
    if (loading.loadStates === EMPTY_LIST) {
      loading.loadStates = ListCreate<GraphLoadingState | PromiseCapability>();
      loading.loadPhases = ListCreate<ImportPhase>();
    }
    ListAppend(loading.loadStates, state);
    ListAppend(loading.loadPhases, phase);
    return;
  }
  // 3.
  const entry = new LoadingModuleRequest(referrer, moduleRequest, state, phase);
  RequestTableAppend(referrer.loadingModules, entry);
  const instance = referrer.moduleInstance;
  // 4. No importHook: ask the host.
  if (instance === undefined || instance.importHook === undefined) {
    try {
      HostLoadImportedModule(referrer, moduleRequest, hostDefined, entry);
    } catch (error) {
      // A host hook must not throw; if it does before finishing the load, the load fails with
      // that error (after finishing, the load already has its result).
      if (!entry.finished) FinishLoadingImportedModule(referrer, moduleRequest, entry, ThrowCompletion(error));
    }
    return;
  }
  CallImportHook(referrer, moduleRequest, entry, instance.importHook, instance.handler);
}

/**
 * LoadImportedModule steps 5-12: calls the importHook and finishes the load with what it gives.
 * (A function of its own: the closures below would otherwise make every LoadImportedModule call,
 * including a host's loads, allocate the variables they capture.)
 */
function CallImportHook(
  referrer: CyclicModuleRecord,
  moduleRequest: ModuleRequest,
  entry: LoadingModuleRequest,
  importHook: Function,
  handler: unknown,
): void {
  // 5. Call importHook with this = handler and (specifier, attributes).
  let importHookResult: unknown;
  try {
    importHookResult = ReflectApply(importHook, handler, [
      moduleRequest.specifier,
      AttributesObject(moduleRequest.attributes),
    ]);
  } catch (error) {
    // 6. DEVIATION(LoadImportedModule steps 6 and 10.a): the load fails with an
    //   ERR_MODHOST_IMPORT_HOOK_FAILED error that names the specifier and the referrer and holds
    //   the hook's error as `cause`, not with the hook's error itself, so that the importer
    //   learns which import failed (see docs/errors.md).
    FinishLoadingImportedModule(
      referrer,
      moduleRequest,
      entry,
      ThrowCompletion(HookFailure(referrer, moduleRequest, error)),
    );
    return;
  }
  // 7-12. PromiseResolve(%Promise%, result) (an abrupt completion goes to onRejected at once),
  //       then PerformPromiseThen with the fulfilled / rejected closures.
  PerformPromiseThen(
    importHookResult,
    (result: unknown) => {
      // 8.f
      FinishLoadingImportedModule(
        referrer,
        moduleRequest,
        entry,
        ImportHookResultModule(referrer, moduleRequest, result),
      );
    },
    (error: unknown) => {
      // 10.a (see the deviation noted at step 6)
      FinishLoadingImportedModule(
        referrer,
        moduleRequest,
        entry,
        ThrowCompletion(HookFailure(referrer, moduleRequest, error)),
      );
    },
  );
}

/**
 * LoadImportedModule step 8.a-e: the Module Record an importHook's (fulfilled) result stands for.
 *
 * DEVIATION(LoadImportedModule step 8.e): besides a Module instance, a module source is accepted
 *   (a ModuleSource, a JSON/text/WebAssembly source, a WebAssembly.Module): it stands for its
 *   instance in the referrer's realm, as `import(source)` does. The Import Hook proposal's hooks
 *   fulfil with ModuleSources; one rule for both kinds of hook lets Module graphs and
 *   ModuleSource graphs import each other.
 */
function ImportHookResultModule(
  referrer: CyclicModuleRecord,
  moduleRequest: ModuleRequest,
  result: unknown,
): Completion<ModuleRecord> {
  const realm: Realm = referrer.realm;
  let module: ModuleRecord | undefined;
  try {
    module = realm.moduleRecordOf(result);
  } catch (error) {
    // (a brand check must not throw; if it does, the load fails rather than stays pending)
    return ThrowCompletion(error);
  }
  if (module !== undefined) return NormalCompletion(module);
  if (realm.moduleRecordOfSource !== undefined) {
    try {
      module = realm.moduleRecordOfSource(result);
    } catch (error) {
      // A source that cannot be imported here (another realm's host instance, a virtual source).
      return ThrowCompletion(InvalidHookResultError(referrer, moduleRequest, result, error));
    }
    if (module !== undefined) return NormalCompletion(module);
  }
  // 8.e
  return ThrowCompletion(InvalidHookResultError(referrer, moduleRequest, result, undefined));
}

/**
 * 16.2.1.11 FinishLoadingImportedModule(referrer, moduleRequest, payload, result) —
 * https://tc39.es/ecma262/#sec-FinishLoadingImportedModule, with the proposal's [[LoadingModules]] steps: every loading
 * process waiting for this request continues. `payload` is the value HostLoadImportedModule
 * received; each payload may be finished once.
 */
export function FinishLoadingImportedModule(
  referrer: CyclicModuleRecord,
  moduleRequest: ModuleRequest,
  payload: LoadingModuleRequest,
  result: Completion<ModuleRecord>,
): void {
  if (
    payload === null ||
    typeof payload !== 'object' ||
    payload.kind !== 'LoadingModuleRequest' ||
    payload.referrer !== referrer ||
    !ModuleRequestsEqual(payload, moduleRequest)
  ) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'FinishLoadingImportedModule: payload does not belong to this referrer and module request',
    );
  }
  if (payload.finished) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `FinishLoadingImportedModule called twice for '${moduleRequest.specifier}' imported from ${referrer.source.url}`,
      { specifier: moduleRequest.specifier, referrer: referrer.source.url },
    );
  }
  if (result.type === 'normal' && !IsModuleRecord(result.value)) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'FinishLoadingImportedModule: a normal result must hold a Module Record',
    );
  }
  // Every process waiting for this load gave up (AbortGraphLoading): drop the late result.
  if (payload.abandoned) {
    payload.finished = true;
    return;
  }
  // 1. A normal completion is remembered in [[LoadedModules]].
  if (result.type === 'normal') {
    const record = RequestTableFind(referrer.loadedModules, moduleRequest);
    if (record !== undefined) {
      // 1.a.i
      Assert(record.module === result.value, 'FinishLoadingImportedModule step 1.a.i');
    } else {
      // 1.b.i
      RequestTableAppend(referrer.loadedModules, new LoadedModuleRequest(moduleRequest, result.value));
      // (hot replacement: the reverse edge, in realms that keep them)
      if (result.value.realm.trackImporters === true) AppendImporter(result.value, referrer);
    }
  }
  // Proposal: remove the [[LoadingModules]] entry, then continue each waiting loading process.
  payload.finished = true;
  RequestTableRemove(referrer.loadingModules, payload);
  // 2-3.
  const first = payload.firstState;
  if (first !== undefined) ContinueLoadState(first, result, payload.firstPhase);
  const states = payload.loadStates;
  const phases = payload.loadPhases;
  for (let i = 0; i < states.length; i++) ContinueLoadState(ListAt(states, i), result, ListAt(phases, i));
  // 4.
}

/** FinishLoadingImportedModule steps 2-3 for one state, in the phase it asked for. */
function ContinueLoadState(
  state: GraphLoadingState | PromiseCapability,
  result: Completion<ModuleRecord>,
  phase: ImportPhase,
): void {
  if (state.kind === 'GraphLoadingState') {
    // 2.a
    ContinueModuleLoading(state, result, phase);
  } else {
    // 3.a
    ContinueDynamicImport(state, result, phase);
  }
}

/** Appends `referrer` to `module`'s importers (replacing the shared empty List first). */
export function AppendImporter(module: ModuleRecord, referrer: CyclicModuleRecord): void {
  if (module.importers === EMPTY_LIST) module.importers = ListCreate<CyclicModuleRecord>();
  ListAppend(module.importers, referrer);
}

/**
 * The modules `module`.[[LoadedModules]] holds, in the order they were loaded (static imports and
 * `import()`), as a new ordinary array; empty for a module that loads nothing. For hosts' graph
 * walks (hot replacement, diagnostics).
 */
export function LoadedModulesOf(module: ModuleRecord): ModuleRecord[] {
  const result: ModuleRecord[] = [];
  if (!IsCyclicModuleRecord(module)) return result;
  const entries = module.loadedModules.entries;
  for (let i = 0; i < entries.length; i++) result[i] = ListAt(entries, i).module;
  return result;
}

/** The module the first [[LoadedModules]] entry of `module` with `specifier` holds (any attributes). */
export function FirstLoadedModule(module: ModuleRecord, specifier: string): ModuleRecord | undefined {
  if (!IsCyclicModuleRecord(module)) return undefined;
  const entries = module.loadedModules.entries;
  for (let i = 0; i < entries.length; i++) {
    const entry = ListAt(entries, i);
    if (entry.specifier === specifier) return entry.module;
  }
  return undefined;
}

/** 16.2.1.9 GetImportedModule(referrer, request) — https://tc39.es/ecma262/#sec-GetImportedModule. */
export function GetImportedModule(referrer: CyclicModuleRecord, request: ModuleRequest): ModuleRecord {
  // 1-3.
  const record = RequestTableFind(referrer.loadedModules, request);
  // 2. Assert: exactly one record (LoadRequestedModules completed on referrer).
  if (!(record !== undefined))
    AssertionFailed(`GetImportedModule: '${request.specifier}' was not loaded for ${referrer.source.url}`);
  // 4.
  return record.module;
}

/**
 * 16.2.1.12 AllImportAttributesSupported(attributes) —
 * https://tc39.es/ecma262/#sec-AllImportAttributesSupported. The
 * referrer gives the realm whose host is asked; it may be a bare `{ realm }` (a host's own
 * `import()`, which has no Module Record).
 *
 * A referrer whose imports go to an importHook under the Import Hook proposal's contract
 * (`new ModuleSource(text, { importHook })`) supports every key: that proposal hands the hook
 * every attribute of static imports, `import()`, `import source` and `import.source()` (its
 * README's `extraneous: 'very'` example), so the hook, which plays the host, decides.
 */
export function AllImportAttributesSupported(
  referrer: { readonly realm: Realm; readonly moduleInstance?: ModuleInstanceSlots | undefined },
  attributes: readonly ImportAttribute[],
): boolean {
  if (attributes.length === 0) return true;
  if (HasImportHookContract(referrer) && referrer.moduleInstance?.importHook !== undefined) return true;
  // 1.
  const supported = HostGetSupportedImportAttributes(referrer);
  // 2.
  for (let i = 0; i < attributes.length; i++) {
    const key = ListAt(attributes, i).key;
    let found = false;
    for (let j = 0; j < supported.length; j++) {
      if (supported[j] === key) {
        found = true;
        break;
      }
    }
    // 2.a
    if (!found) return false;
  }
  // 3.
  return true;
}

/** The first attribute key the host does not support (for messages). */
export function FirstUnsupportedKey(
  referrer: { readonly realm: Realm; readonly moduleInstance?: ModuleInstanceSlots | undefined },
  attributes: readonly ImportAttribute[],
): string {
  for (let i = 0; i < attributes.length; i++) {
    const attribute = ListAt(attributes, i);
    const single: ImportAttribute[] = [attribute];
    if (!AllImportAttributesSupported(referrer, single)) return attribute.key;
  }
  return '';
}

function UnsupportedAttributeError(referrer: CyclicModuleRecord, request: ModuleRequest): Error {
  const url = referrer.source.url;
  const key = FirstUnsupportedKey(referrer, request.attributes);
  return createError(
    'ERR_MODHOST_UNSUPPORTED_ATTRIBUTE',
    `Import attribute '${key}' of '${request.specifier}' (imported from ${url}) is not supported by the host`,
    { specifier: request.specifier, referrer: url, attribute: key },
  );
}

function InvalidHookResultError(
  referrer: CyclicModuleRecord,
  request: ModuleRequest,
  result: unknown,
  cause: unknown,
): Error {
  const url = referrer.source.url;
  const got = result === null ? 'null' : typeof result;
  const context: { specifier: string; referrer: string; cause?: unknown } = {
    specifier: request.specifier,
    referrer: url,
  };
  if (cause !== undefined) context.cause = cause;
  const why = cause === undefined ? `got ${got}` : `${got} that cannot be imported here: ${MessageOf(cause)}`;
  return createError(
    'ERR_MODHOST_INVALID_HOOK_RESULT',
    `importHook for '${request.specifier}' (imported from ${url}) did not fulfil with a Module or a module source ` +
      `(${why})`,
    context,
  );
}

/**
 * What a load fails with when the importHook throws or rejects with `error`: a host's loader's
 * own error as it is (see ModuleInstanceSlots.hostLoader), else an {@link ImportHookError}.
 */
function HookFailure(referrer: CyclicModuleRecord, request: ModuleRequest, error: unknown): unknown {
  return referrer.moduleInstance?.hostLoader === true ? error : ImportHookError(referrer, request, error);
}

/** The error a load fails with when the importHook throws or rejects with `cause`. */
function ImportHookError(referrer: CyclicModuleRecord, request: ModuleRequest, cause: unknown): Error {
  const url = referrer.source.url;
  return createError(
    'ERR_MODHOST_IMPORT_HOOK_FAILED',
    `importHook failed for '${request.specifier}' imported from ${url}: ${MessageOf(cause)}`,
    { specifier: request.specifier, referrer: url, cause },
  );
}

/**
 * A one-line description of a thrown value for a message: an object's string `message`, else
 * the value itself for primitives. Never throws (the value is the hook's: its getters may).
 */
function MessageOf(value: unknown): string {
  try {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      const message = ReflectGet(value, 'message') as unknown;
      return typeof message === 'string' ? message : '(a value that is not an Error)';
    }
    return typeof value === 'symbol' ? 'a symbol' : `${value as string}`;
  } catch {
    return '(an error that could not be read)';
  }
}

/**
 * The attributes object an importHook receives: a fresh ordinary object, one property per
 * attribute, created in shortlex order of the keys (shorter keys first, then code unit order), as
 * the Import Hook proposal asks of every importHook call. (Integer-like keys such as "1" are
 * listed first by every ordinary object whatever the creation order; with them Object.keys is in
 * shortlex order only as far as the object model allows.)
 */
function AttributesObject(attributes: readonly ImportAttribute[]): object {
  const sorted = ListCreate<ImportAttribute>();
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i];
    if (attribute !== undefined) ListAppend(sorted, attribute);
  }
  ArrayPrototypeSort(sorted, CompareShortlex);
  const object = {};
  for (let i = 0; i < sorted.length; i++) {
    const attribute = sorted[i];
    if (attribute !== undefined) CreateDataProperty(object, attribute.key, attribute.value);
  }
  return object;
}

function CompareShortlex(a: ImportAttribute, b: ImportAttribute): number {
  if (a.key.length !== b.key.length) return a.key.length - b.key.length;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function IsModuleRecord(value: unknown): value is ModuleRecord {
  if (value === null || typeof value !== 'object') return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'source-text' || kind === 'synthetic';
}
