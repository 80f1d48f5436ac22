/**
 * 16.2.1.6 Cyclic Module Records: statuses, and the records the loading process uses
 * (GraphLoadingState, LoadedModuleRequest, the proposal's [[LoadingModules]] entries).
 *
 * The Cyclic Module Record fields themselves live on {@link SourceTextModuleRecord}, the only
 * concrete Cyclic Module Record.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import type { ImportAttribute, ImportPhase, ModuleRequest } from '../source/types.js';
import { EMPTY_LIST, ListCreate, SetCtor } from './intrinsics.js';
import type { CyclicModuleRecord, ModuleRecord } from './module-record.js';
import type { PromiseCapability } from './promise-operations.js';

export type { SourceTextModuleRecord } from './source-text-module-record.js';

/** [[Status]] of a Cyclic Module Record. */
export type CyclicModuleStatus =
  | 'new'
  | 'unlinked'
  | 'linking'
  | 'linked'
  | 'evaluating'
  | 'evaluating-async'
  | 'evaluated';

/** [[AsyncEvaluationOrder]]: ~unset~, an integer, or ~done~. */
export type AsyncEvaluationOrder = 'unset' | number | 'done';

/** 16.2.1.3 LoadedModuleRequest Record. */
export class LoadedModuleRequest {
  readonly specifier: string;
  readonly attributes: readonly ImportAttribute[];
  readonly module: ModuleRecord;
  constructor(
    request: { readonly specifier: string; readonly attributes: readonly ImportAttribute[] },
    module: ModuleRecord,
  ) {
    this.specifier = request.specifier;
    this.attributes = request.attributes;
    this.module = module;
  }
}

/**
 * 16.2.1.6 GraphLoadingState Record. `frames` and `driving` are modhost's: the explicit stack that
 * replaces InnerModuleLoading's recursion (see loading.ts).
 */
export class GraphLoadingState {
  readonly kind = 'GraphLoadingState' as const;
  readonly promiseCapability: PromiseCapability;
  isLoading = true;
  pendingModulesCount = 1;
  /** [[Visited]]: a Set (only membership is asked) with the List order kept in `visitedList`. */
  readonly visited: Set<CyclicModuleRecord> = new SetCtor<CyclicModuleRecord>();
  readonly visitedList: CyclicModuleRecord[] = ListCreate<CyclicModuleRecord>();
  readonly hostDefined: unknown;
  readonly frames: InnerModuleLoadingFrame[] = ListCreate<InnerModuleLoadingFrame>();
  driving = false;

  constructor(promiseCapability: PromiseCapability, hostDefined: unknown) {
    this.promiseCapability = promiseCapability;
    this.hostDefined = hostDefined;
  }
}

/**
 * One pending call of a walk over modules on an explicit stack (GatherAvailableAncestors,
 * AsyncModuleExecutionRejected, the import defer walks, hot relinking): the module and the index
 * of the next element of the list the call loops over.
 */
export class ModuleWalkFrame<M = CyclicModuleRecord> {
  readonly module: M;
  next = 0;
  constructor(module: M) {
    this.module = module;
  }
}

/**
 * InnerModuleLoading's _loadType_ (source phase imports): ~single~ loads one module without its
 * dependencies (a source phase request), ~recursive-load~ its whole graph.
 */
export type LoadType = 'single' | 'recursive-load';

/** One pending InnerModuleLoading(state, module, loadType) call on a GraphLoadingState's explicit stack. */
export class InnerModuleLoadingFrame {
  readonly module: ModuleRecord;
  readonly loadType: LoadType;
  /** -1 before step 1; then the index of the next [[RequestedModules]] element (step 2.d). */
  next = -1;
  constructor(module: ModuleRecord, loadType: LoadType) {
    this.module = module;
    this.loadType = loadType;
  }
}

/**
 * An entry of the proposal's [[LoadingModules]]: a module request of `referrer` whose load has
 * started and not finished, with the loading processes (GraphLoadingStates for static imports,
 * PromiseCapabilities for `import()`) waiting for it. It is also the opaque `payload` that
 * HostLoadImportedModule receives and passes back to FinishLoadingImportedModule.
 */
export class LoadingModuleRequest {
  readonly kind = 'LoadingModuleRequest' as const;
  readonly referrer: CyclicModuleRecord;
  readonly specifier: string;
  readonly attributes: readonly ImportAttribute[];
  /**
   * The first loading process that waits for this load (a GraphLoadingState for static imports, a
   * PromiseCapability for `import()`; undefined once it gave up), and the [[Phase]] of its request:
   * requests that differ only in phase share one load (ModuleRequestsEqual ignores the phase), but
   * each continues in its own phase (ContinueModuleLoading's _phase_ argument). Usually the only
   * one: it is kept here rather than in a List.
   */
  firstState: GraphLoadingState | PromiseCapability | undefined;
  readonly firstPhase: ImportPhase;
  /** The processes that came to wait later, in order, and their phases (same index). */
  loadStates: (GraphLoadingState | PromiseCapability)[] = EMPTY_LIST as (GraphLoadingState | PromiseCapability)[];
  loadPhases: ImportPhase[] = EMPTY_LIST as ImportPhase[];
  /** Set when FinishLoadingImportedModule has consumed this entry. */
  finished = false;
  /**
   * Set when every loading process waiting for this entry gave up (AbortGraphLoading): the entry
   * is out of [[LoadingModules]], so a later load calls the hook again, and its result, when it
   * comes, is dropped (recording it could contradict the newer load's result).
   */
  abandoned = false;

  /** A load of `request` for `referrer`, which the loading process `state` waits for (in `phase`). */
  constructor(
    referrer: CyclicModuleRecord,
    request: ModuleRequest,
    state: GraphLoadingState | PromiseCapability,
    phase: ImportPhase,
  ) {
    this.referrer = referrer;
    this.specifier = request.specifier;
    this.attributes = request.attributes;
    this.firstState = state;
    this.firstPhase = phase;
  }
}
