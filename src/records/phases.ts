/**
 * The operations the import phase proposals add to module records:
 * - source phase imports (tc39/proposal-source-phase-imports): GetModuleSource;
 * - import defer (tc39/proposal-defer-import-eval): GatherAsynchronousTransitiveDependencies,
 *   ReadyForSyncExecution and EvaluateModuleSync for the deferred namespace
 *   (EnsureDeferredNamespaceEvaluation is in namespace.ts).
 *
 * The recursive operations walk the graph with explicit stacks (as loading, linking and
 * evaluation do), in the order the recursive spec text visits modules.
 */
import { createError } from '../errors/codes.js';
import { Assert } from './assert.js';
import { Evaluate } from './evaluation.js';
import {
  ListAppend,
  ListContains,
  ListCreate,
  ListPop,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
} from './intrinsics.js';
import { GetImportedModule } from './loading.js';
import {
  type CyclicModuleRecord,
  IsCyclicModuleRecord,
  ModuleDisplayName,
  type ModuleRecord,
} from './module-record.js';
import { PerformPromiseThen } from './promise-operations.js';

/**
 * Source phase imports: Module Record GetModuleSource() — the module's [[ModuleSourceObject]].
 * A module without a source representation (a Node built-in, a JSON or CommonJS synthetic module,
 * a Module made without a source) throws a SyntaxError: it is reached during linking
 * (InitializeEnvironment) or from `import.source()`, as a link error.
 */
export function GetModuleSource(module: ModuleRecord): object {
  const source = module.moduleSourceObject;
  if (source === undefined) {
    // DEVIATION(GetModuleSource, no source representation): the proposal repository's text throws
    //   a ReferenceError; modhost throws a SyntaxError, the class of every other link-time import
    //   failure (see ARCHITECTURE.md's deviations table).

    const url = ModuleDisplayName(module);
    throw createError(
      'ERR_MODHOST_NO_MODULE_SOURCE',
      `${url} has no module source: it cannot be imported in the source phase`,
      { url },
    );
  }
  return source;
}

/** One pending call of a graph walk below: a module and the index of its next request. */
interface WalkFrame {
  readonly module: CyclicModuleRecord;
  next: number;
}

/**
 * Import defer: GatherAsynchronousTransitiveDependencies(module [, seen]) — the modules with
 * top-level await that a deferred `module` depends on (itself included) and that have not started
 * evaluating, in the order the recursive algorithm finds them. They are evaluated eagerly so that
 * the deferred module can later evaluate synchronously.
 */
export function GatherAsynchronousTransitiveDependencies(module: ModuleRecord): ModuleRecord[] {
  // 1-2.
  const seen = new SetCtor<ModuleRecord>();
  const result = ListCreate<ModuleRecord>();
  const frames = ListCreate<WalkFrame>();
  // Steps 3-7 of one call; pushes a frame when the call reaches step 8.
  const visit = (m: ModuleRecord): void => {
    // 3-4.
    if (SetPrototypeHas(seen, m)) return;
    SetPrototypeAdd(seen, m);
    // 5.
    if (!IsCyclicModuleRecord(m)) return;
    // 6. Already evaluating (on the stack) or evaluated: nothing to do ahead of time.
    if (m.status === 'evaluating' || m.status === 'evaluated') return;
    // 7. Asynchronous itself: evaluate it (and so its dependencies) eagerly.
    if (m.hasTLA) {
      if (!ListContains(result, m)) ListAppend(result, m);
      return;
    }
    // 8.
    ListAppend(frames, { __proto__: null, module: m, next: 0 } as WalkFrame);
  };
  visit(module);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as WalkFrame;
    const requests = frame.module.requestedModules;
    if (frame.next < requests.length) {
      const required = requests[frame.next] as (typeof requests)[number];
      frame.next++;
      // DEVIATION(GatherAsynchronousTransitiveDependencies step 8): ~source~ requests are skipped
      //   (never evaluated, so nothing to evaluate eagerly); see ARCHITECTURE.md.
      if (required.phase === 'source') continue;
      // 8.a-c (appending without duplicates is what 8.c does with the callee's result)
      visit(GetImportedModule(frame.module, required));
      continue;
    }
    ListPop(frames);
  }
  // 9.
  return result;
}

/**
 * Import defer: ReadyForSyncExecution(module [, seen]) — whether Evaluate() of `module` can
 * complete synchronously: nothing in its graph is evaluating (a cycle through the accessing
 * module) or asynchronous.
 */
export function ReadyForSyncExecution(module: ModuleRecord): boolean {
  // 1.
  const seen = new SetCtor<ModuleRecord>();
  const frames = ListCreate<WalkFrame>();
  // Steps 2-7 of one call: false → not ready; true → ready so far (frame pushed for step 8).
  const visit = (m: ModuleRecord): boolean => {
    // 2-3.
    if (SetPrototypeHas(seen, m)) return true;
    SetPrototypeAdd(seen, m);
    // (a module that is not cyclic evaluates synchronously by construction)
    if (!IsCyclicModuleRecord(m)) return true;
    // 4.
    if (m.status === 'evaluated') return true;
    // 5.
    if (m.status === 'evaluating' || m.status === 'evaluating-async') return false;
    // 6.
    Assert(m.status === 'linked', `ReadyForSyncExecution step 6: ${m.source.url} is ${m.status}`);
    // 7.
    if (m.hasTLA) return false;
    ListAppend(frames, { __proto__: null, module: m, next: 0 } as WalkFrame);
    return true;
  };
  if (!visit(module)) return false;
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as WalkFrame;
    const requests = frame.module.requestedModules;
    if (frame.next < requests.length) {
      const required = requests[frame.next] as (typeof requests)[number];
      frame.next++;
      // DEVIATION(ReadyForSyncExecution step 8): ~source~ requests are skipped (never evaluated).
      if (required.phase === 'source') continue;
      // 8.a-b
      if (!visit(GetImportedModule(frame.module, required))) return false;
      continue;
    }
    ListPop(frames);
  }
  // 9.
  return true;
}

/**
 * Import defer: EvaluateModuleSync(module) for a deferred namespace (EnsureDeferredNamespaceEvaluation
 * step 1.b): evaluates `module` now, synchronously, or throws a TypeError when that is impossible;
 * a failed evaluation throws its error, the same object on every call.
 */
export function EvaluateModuleSyncForDefer(module: ModuleRecord): void {
  if (IsCyclicModuleRecord(module)) {
    // Fast path: evaluated successfully (Evaluate would return a fulfilled promise).
    if (module.status === 'evaluated' && module.evaluationError === undefined) return;
    // 1. A Cyclic Module Record that cannot finish synchronously.
    if (module.status !== 'evaluated' && !ReadyForSyncExecution(module)) {
      throw createError(
        'ERR_MODHOST_DEFERRED_NOT_READY',
        `Cannot evaluate the deferred module ${module.source.url} synchronously: it or a dependency is evaluating ` +
          `or has top-level await`,
        { url: module.source.url },
      );
    }
  }
  // 2. ! module.Evaluate()
  const promise = Evaluate(module);
  // 3-4. The promise is settled: its state is the module's stored completion.
  let error: { value: unknown } | undefined;
  if (IsCyclicModuleRecord(module)) {
    Assert(module.status === 'evaluated', `EvaluateModuleSync step 3: ${module.source.url} is ${module.status}`);
    error = module.evaluationError;
  } else {
    const result = module.evaluationResult;
    Assert(result !== undefined, 'EvaluateModuleSync step 3');
    error = result.type === 'throw' ? result : undefined;
  }
  if (error !== undefined) {
    // (the rejection is handled here: mark it so)
    PerformPromiseThen(promise, Ignore, Ignore);
    throw error.value;
  }
}

function Ignore(): void {}
