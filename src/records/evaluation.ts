/**
 * Evaluation: 16.2.1.6.1.3 Evaluate and its auxiliary operations (InnerModuleEvaluation,
 * ExecuteAsyncModule, GatherAvailableAncestors, AsyncModuleExecutionFulfilled/Rejected), and
 * 16.2.1.5.1 EvaluateModuleSync (for Synthetic Module Records, and as import defer extends it).
 *
 * Deep graphs: InnerModuleEvaluation, GatherAvailableAncestors and AsyncModuleExecutionRejected
 * recurse once per module along a chain; each runs on an explicit stack of frames. A frame is
 * one pending call stopped in its loop over dependencies (or [[AsyncParentModules]]); the step
 * that follows the recursive call (11.c; 1.a.vi.2's continuation) runs when the callee's frame
 * has been popped, so modules execute, and promises settle, in the recursive order.
 * InnerModuleEvaluation's `index` only grows, so one counter stands for it.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { Assert, AssertionFailed } from './assert.js';
import { ModuleWalkFrame } from './cyclic-module-record.js';
import { ExecuteModule } from './execute-module.js';
import {
  ArrayPrototypeSort,
  ListAppend,
  ListAt,
  ListContains,
  ListCreate,
  ListPop,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
} from './intrinsics.js';
import { GetImportedModule } from './loading.js';
import { type CyclicModuleRecord, IsCyclicModuleRecord, type ModuleRecord, ThrowCompletion } from './module-record.js';
import { GatherAsynchronousTransitiveDependencies } from './phases.js';
import { NewInternalPromiseCapability, PerformPromiseThen } from './promise-operations.js';
import { AppendAsyncParentModule } from './source-text-module-record.js';
import { SyntheticModuleEvaluate } from './synthetic-module-record.js';

/** The agent's [[ModuleAsyncEvaluationCount]]. */
let moduleAsyncEvaluationCount = 0;

/**
 * 16.2.1.6.1.3.4.1 IncrementModuleAsyncEvaluationCount() —
 * https://tc39.es/ecma262/#sec-IncrementModuleAsyncEvaluationCount.
 */
export function IncrementModuleAsyncEvaluationCount(): number {
  // 1-4.
  const count = moduleAsyncEvaluationCount;
  moduleAsyncEvaluationCount = count + 1;
  return count;
}

/**
 * 16.2.1.6.1.3 Evaluate() — https://tc39.es/ecma262/#sec-moduleevaluation (and 16.2.1.8.4.5
 * https://tc39.es/ecma262/#sec-smr-Evaluate). The returned promise is internal (see
 * NewInternalPromiseCapability): consume it with PerformPromiseThen. A rejection is the module's
 * [[EvaluationError]] value, the same object on every call.
 */
export function Evaluate(moduleArg: ModuleRecord): Promise<unknown> {
  if (!IsCyclicModuleRecord(moduleArg)) return SyntheticModuleEvaluate(moduleArg);
  let module = moduleArg;
  // 1. (no concurrent Evaluate: the agent runs one job at a time)
  // 2.
  Assert(
    module.status === 'linked' || module.status === 'evaluating-async' || module.status === 'evaluated',
    `Evaluate step 2: ${module.source.url} is ${module.status}`,
  );
  // 3. An evaluation already started: use its cycle root.
  if (module.status === 'evaluating-async' || module.status === 'evaluated') {
    Assert(module.cycleRoot !== undefined, 'Evaluate step 3');
    module = module.cycleRoot;
  }
  // 4.
  if (module.topLevelCapability !== undefined) return module.topLevelCapability.promise;
  // 5.
  const stack = ListCreate<CyclicModuleRecord>();
  // 6.
  const capability = NewInternalPromiseCapability();
  // 7.
  module.topLevelCapability = capability;
  // 8.
  try {
    InnerModuleEvaluation(module, stack, 0);
  } catch (error) {
    const result = ThrowCompletion(error);
    // 9.a Every module still on the stack has failed with this error.
    for (let i = 0; i < stack.length; i++) {
      const m = ListAt(stack, i);
      // 9.a.i
      Assert(m.status === 'evaluating', 'Evaluate step 9.a.i');
      // 9.a.ii Assert: m.[[AsyncEvaluationOrder]] is ~unset~. Not checked: a module with
      //   top-level await in the same strongly connected component may already have started
      //   (it stays on the stack until the component is done) when a later dependency throws.
      // 9.a.iii-iv
      m.status = 'evaluated';
      m.evaluationError = result;
      // DEVIATION(Evaluate step 9.a): [[CycleRoot]] is set to m itself (tc39/ecma262#3583, fixing #2823 and
      //   #3582). Without it a module that threw synchronously has an ~empty~ [[CycleRoot]], and a
      //   later Evaluate (step 3) or importer (InnerModuleEvaluation step 11.c.iv.1) reads fields
      //   of ~empty~.
      m.cycleRoot = m;
    }
    // 9.b-c (the thrown value; InnerModuleEvaluation step 2.b rethrows a stored completion's value)
    Assert(module.status === 'evaluated' && module.evaluationError?.value === error, 'Evaluate step 9.b');
    // 9.d
    capability.reject(error);
    return capability.promise;
  }
  // 10.a-b
  Assert(module.status === 'evaluating-async' || module.status === 'evaluated', 'Evaluate step 10.a');
  Assert(module.evaluationError === undefined, 'Evaluate step 10.b');
  // 10.c Evaluation completed synchronously.
  if (module.status === 'evaluated') {
    // 10.c.ii DEVIATION(Evaluate step 10.c.ii): the spec asserts ~unset~, but a module that already
    //    finished asynchronous evaluation (imported again later as a root) has ~done~
    //    (tc39/ecma262#3613).
    Assert(module.asyncEvaluationOrder === 'unset' || module.asyncEvaluationOrder === 'done', 'Evaluate step 10.c.ii');
    // 10.c.iii
    capability.resolve(undefined);
  }
  // 10.d
  Assert(stack.length === 0, 'Evaluate step 10.d');
  // 11.
  return capability.promise;
}

/** One InnerModuleEvaluation call in its step 11 loop. */
class InnerModuleEvaluationFrame {
  readonly module: CyclicModuleRecord;
  /** Index of the next [[RequestedModules]] element. */
  next = 0;
  /** The dependency whose call just returned (awaiting step 11.c), if any. */
  requiredModule: ModuleRecord | undefined = undefined;
  /** Import defer's _evaluationList_, when the module has a source or defer request. */
  evaluationList: ModuleRecord[] | undefined = undefined;
  constructor(module: CyclicModuleRecord) {
    this.module = module;
  }
}

/** True when `module` has a request whose [[Phase]] is not ~evaluation~. */
function HasPhasedRequest(module: CyclicModuleRecord): boolean {
  const requests = module.requestedModules;
  for (let i = 0; i < requests.length; i++) {
    const phase = ListAt(requests, i).phase;
    if (phase !== undefined && phase !== 'evaluation') return true;
  }
  return false;
}

/**
 * Import defer, InnerModuleEvaluation steps 11-12
 * (https://tc39.es/proposal-defer-import-eval/#sec-innermoduleevaluation): the modules whose
 * evaluation this module's evaluation starts, in order, without duplicates. A deferred request
 * contributes only its asynchronous transitive dependencies
 * (GatherAsynchronousTransitiveDependencies), which must be evaluated ahead of time because the
 * deferred module will be evaluated synchronously; a source phase request contributes nothing
 * (source phase imports skip it in InnerModuleEvaluation).
 */
function EvaluationList(module: CyclicModuleRecord): ModuleRecord[] {
  // 11.
  const evaluationList = ListCreate<ModuleRecord>();
  const requests = module.requestedModules;
  // 12. For each ModuleRequest Record required of module.[[RequestedModules]], do
  for (let i = 0; i < requests.length; i++) {
    const required = ListAt(requests, i);
    if (required.phase === 'source') continue;
    // 12.a
    const requiredModule = GetImportedModule(module, required);
    if (required.phase === 'defer') {
      // 12.b.i
      const additionalModules = GatherAsynchronousTransitiveDependencies(requiredModule);
      // 12.b.ii
      for (let j = 0; j < additionalModules.length; j++) {
        const additional = ListAt(additionalModules, j);
        if (!ListContains(evaluationList, additional)) ListAppend(evaluationList, additional);
      }
    } else if (!ListContains(evaluationList, requiredModule)) {
      // 12.c
      ListAppend(evaluationList, requiredModule);
    }
  }
  return evaluationList;
}

/**
 * 16.2.1.6.1.3.1 InnerModuleEvaluation(module, stack, index) — https://tc39.es/ecma262/#sec-innermoduleevaluation.
 * Returns the new index.
 */
export function InnerModuleEvaluation(module: ModuleRecord, stack: CyclicModuleRecord[], index: number): number {
  const frames = ListCreate<InnerModuleEvaluationFrame>();
  let counter = index;
  // Steps 1-10 of one call; pushes a frame when the call reaches step 11.
  const enter = (m: ModuleRecord): void => {
    // 1. Not a Cyclic Module Record.
    if (!IsCyclicModuleRecord(m)) {
      // 1.a-b
      EvaluateModuleSync(m);
      return;
    }
    // 2. Already evaluated (or evaluating asynchronously).
    if (m.status === 'evaluating-async' || m.status === 'evaluated') {
      // 2.a
      if (m.evaluationError === undefined) return;
      // 2.b
      throw m.evaluationError.value;
    }
    // 3.
    if (m.status === 'evaluating') return;
    // 4.
    if (!(m.status === 'linked')) AssertionFailed(`InnerModuleEvaluation step 4: ${m.source.url} is ${m.status}`);
    // 5.
    m.status = 'evaluating';
    // 6-7.
    m.dfsIndex = counter;
    m.dfsAncestorIndex = counter;
    // 8.
    m.pendingAsyncDependencies = 0;
    // 9.
    counter++;
    // 10.
    ListAppend(stack, m);
    ListAppend(frames, new InnerModuleEvaluationFrame(m));
  };
  enter(module);
  while (frames.length > 0) {
    const frame = ListAt(frames, frames.length - 1);
    const current = frame.module;
    let requiredModule = frame.requiredModule;
    if (requiredModule !== undefined) {
      frame.requiredModule = undefined;
      // 11.c
      if (IsCyclicModuleRecord(requiredModule)) {
        // 11.c.i-ii
        Assert(
          requiredModule.status === 'evaluating' ||
            requiredModule.status === 'evaluating-async' ||
            requiredModule.status === 'evaluated',
          'InnerModuleEvaluation step 11.c.i',
        );
        if (requiredModule.status === 'evaluating') {
          // 11.c.iii
          if ((requiredModule.dfsAncestorIndex as number) < (current.dfsAncestorIndex as number)) {
            current.dfsAncestorIndex = requiredModule.dfsAncestorIndex;
          }
        } else {
          // 11.c.iv.1
          requiredModule = requiredModule.cycleRoot as CyclicModuleRecord;
          // 11.c.iv.2
          Assert(
            requiredModule !== undefined &&
              (requiredModule.status === 'evaluating-async' || requiredModule.status === 'evaluated'),
            'InnerModuleEvaluation step 11.c.iv.2',
          );
          // 11.c.iv.3
          if (requiredModule.evaluationError !== undefined) throw requiredModule.evaluationError.value;
        }
        // 11.c.v An asynchronous dependency.
        if (typeof requiredModule.asyncEvaluationOrder === 'number') {
          // 11.c.v.1
          current.pendingAsyncDependencies = (current.pendingAsyncDependencies as number) + 1;
          // 11.c.v.2
          AppendAsyncParentModule(requiredModule, current);
        }
      }
    }
    // Import defer / source phase imports: the modules to evaluate are the proposal's
    //   _evaluationList_ (EvaluationList below) when the module has a request in another phase;
    //   otherwise they are exactly ECMA-262's GetImportedModule of each [[RequestedModules]] element.
    let evaluationList = frame.evaluationList;
    if (evaluationList === undefined && frame.next === 0 && HasPhasedRequest(current)) {
      evaluationList = frame.evaluationList = EvaluationList(current);
    }
    const count = evaluationList !== undefined ? evaluationList.length : current.requestedModules.length;
    if (frame.next < count) {
      // 11. For each ModuleRequest Record request of module.[[RequestedModules]]
      //     (import defer: for each Module Record requiredModule of evaluationList):
      const index = frame.next;
      frame.next++;
      // 11.a
      const required =
        evaluationList !== undefined
          ? ListAt(evaluationList, index)
          : GetImportedModule(current, ListAt(current.requestedModules, index));
      frame.requiredModule = required;
      // 11.b (the call; step 11.c runs when this frame is on top again)
      enter(required);
      continue;
    }
    // 12. Asynchronous: it, or a dependency, has top-level await.
    if ((current.pendingAsyncDependencies as number) > 0 || current.hasTLA) {
      // 12.a
      Assert(current.asyncEvaluationOrder === 'unset', 'InnerModuleEvaluation step 12.a');
      // 12.b
      current.asyncEvaluationOrder = IncrementModuleAsyncEvaluationCount();
      // 12.c
      if (current.pendingAsyncDependencies === 0) ExecuteAsyncModule(current);
    } else {
      // 13.
      ExecuteModule(current);
    }
    // 14-15.
    Assert((current.dfsAncestorIndex as number) <= (current.dfsIndex as number), 'InnerModuleEvaluation step 15');
    // 16. The root of a strongly connected component: the whole component is done.
    if (current.dfsAncestorIndex === current.dfsIndex) {
      // 16.a-b
      let done = false;
      while (!done) {
        // 16.b.i-iii
        const m = ListPop(stack);
        // 16.b.iv-vi
        m.status = m.asyncEvaluationOrder === 'unset' ? 'evaluated' : 'evaluating-async';
        // 16.b.vii
        if (m === current) done = true;
        // 16.b.viii
        m.cycleRoot = current;
      }
    }
    // 17.
    ListPop(frames);
  }
  return counter;
}

/**
 * 16.2.1.5.1 EvaluateModuleSync(module) — https://tc39.es/ecma262/#sec-EvaluateModuleSync, and as
 * the import defer proposal extends it to a Cyclic Module Record that is ReadyForSyncExecution
 * (https://tc39.es/proposal-defer-import-eval/#sec-EvaluateModuleSync): the promise Evaluate()
 * returns is already settled; a rejection is thrown (and marked handled).
 */
export function EvaluateModuleSync(module: ModuleRecord): void {
  // 1. Assert: module is not a Cyclic Module Record (import defer: or ReadyForSyncExecution(module)
  //    is true; the caller checks).
  // 2.
  const promise = Evaluate(module);
  // 3. The promise is settled; its state is the stored completion (for a Cyclic Module Record,
  //    that of its [[CycleRoot]], whose promise Evaluate returned). The module itself may still be
  //    ~evaluating-async~: ReadyForSyncExecution step 5 accepts a module whose cycle root has
  //    failed while another member's top-level await is still running (its promise is rejected).
  let error: ThrowCompletion | undefined;
  if (IsCyclicModuleRecord(module)) {
    const root = module.cycleRoot;
    const settled =
      root !== undefined &&
      root.status === 'evaluated' &&
      (module.status === 'evaluated' || root.evaluationError !== undefined);
    if (!settled) AssertionFailed(`EvaluateModuleSync step 3: ${module.source.url} is ${module.status}`);
    error = root.evaluationError;
  } else {
    const result = module.evaluationResult;
    Assert(result !== undefined, 'EvaluateModuleSync step 3');
    error = result.type === 'throw' ? result : undefined;
  }
  // 4. Rejected: mark it handled and throw.
  if (error !== undefined) {
    // 4.a-b
    PerformPromiseThen(promise, Ignore, Ignore);
    // 4.c
    throw error.value;
  }
  // 5.
}

function Ignore(): void {}

/** 16.2.1.6.1.3.2 ExecuteAsyncModule(module) — https://tc39.es/ecma262/#sec-execute-async-module. */
export function ExecuteAsyncModule(module: CyclicModuleRecord): void {
  // 1.
  Assert(module.status === 'evaluating' || module.status === 'evaluating-async', 'ExecuteAsyncModule step 1');
  // 2.
  Assert(module.hasTLA, 'ExecuteAsyncModule step 2');
  // 3.
  const capability = NewInternalPromiseCapability();
  // 4-8.
  PerformPromiseThen(
    capability.promise,
    () => {
      // 4.a
      AsyncModuleExecutionFulfilled(module);
    },
    (error: unknown) => {
      // 6.a
      AsyncModuleExecutionRejected(module, error);
    },
  );
  // 9.
  ExecuteModule(module, capability);
  // 10.
}

/**
 * 16.2.1.6.1.3.3 GatherAvailableAncestors(module, execList) — https://tc39.es/ecma262/#sec-gather-available-ancestors.
 * `execSet` holds the same modules as `execList`, for its "contains" test.
 */
export function GatherAvailableAncestors(
  module: CyclicModuleRecord,
  execList: CyclicModuleRecord[],
  execSet: Set<CyclicModuleRecord>,
): void {
  const frames = ListCreate<ModuleWalkFrame>();
  ListAppend(frames, new ModuleWalkFrame(module));
  while (frames.length > 0) {
    const frame = ListAt(frames, frames.length - 1);
    const parents = frame.module.asyncParentModules;
    if (frame.next >= parents.length) {
      // 2.
      ListPop(frames);
      continue;
    }
    // 1. For each Cyclic Module Record m of module.[[AsyncParentModules]]:
    const m = ListAt(parents, frame.next);
    frame.next++;
    // 1.a
    if (!SetPrototypeHas(execSet, m) && (m.cycleRoot as CyclicModuleRecord).evaluationError === undefined) {
      // 1.a.i-iv
      Assert(m.status === 'evaluating-async', 'GatherAvailableAncestors step 1.a.i');
      Assert(m.evaluationError === undefined, 'GatherAvailableAncestors step 1.a.ii');
      Assert(typeof m.asyncEvaluationOrder === 'number', 'GatherAvailableAncestors step 1.a.iii');
      Assert((m.pendingAsyncDependencies as number) > 0, 'GatherAvailableAncestors step 1.a.iv');
      // 1.a.v
      m.pendingAsyncDependencies = (m.pendingAsyncDependencies as number) - 1;
      // 1.a.vi
      if (m.pendingAsyncDependencies === 0) {
        // 1.a.vi.1
        ListAppend(execList, m);
        SetPrototypeAdd(execSet, m);
        // 1.a.vi.2 (the call runs as a new frame)
        if (!m.hasTLA) ListAppend(frames, new ModuleWalkFrame(m));
      }
    }
  }
}

/**
 * 16.2.1.6.1.3.4 AsyncModuleExecutionFulfilled(module) —
 * https://tc39.es/ecma262/#sec-async-module-execution-fulfilled.
 */
export function AsyncModuleExecutionFulfilled(module: CyclicModuleRecord): void {
  // 1. Already failed (through another dependency).
  if (module.status === 'evaluated') {
    // 1.a-b
    Assert(module.evaluationError !== undefined, 'AsyncModuleExecutionFulfilled step 1.a');
    return;
  }
  // 2-4.
  Assert(module.status === 'evaluating-async', 'AsyncModuleExecutionFulfilled step 2');
  Assert(typeof module.asyncEvaluationOrder === 'number', 'AsyncModuleExecutionFulfilled step 3');
  Assert(module.evaluationError === undefined, 'AsyncModuleExecutionFulfilled step 4');
  // 5.
  module.asyncEvaluationOrder = 'done';
  // 6.
  module.status = 'evaluated';
  // 7.
  if (module.topLevelCapability !== undefined) {
    // 7.a-b
    Assert(module.cycleRoot === module, 'AsyncModuleExecutionFulfilled step 7.a');
    module.topLevelCapability.resolve(undefined);
  }
  // 8.
  const execList = ListCreate<CyclicModuleRecord>();
  // 9.
  GatherAvailableAncestors(module, execList, new SetCtor<CyclicModuleRecord>());
  // 10-11. Sort by [[AsyncEvaluationOrder]], ascending.
  const sortedExecList = ArrayPrototypeSort(execList, CompareAsyncEvaluationOrder);
  // 12.
  for (let i = 0; i < sortedExecList.length; i++) {
    const m = ListAt(sortedExecList, i);
    if (m.status === 'evaluated') {
      // 12.a.i
      Assert(m.evaluationError !== undefined, 'AsyncModuleExecutionFulfilled step 12.a.i');
    } else if (m.hasTLA) {
      // 12.b.i
      ExecuteAsyncModule(m);
    } else {
      // 12.c.i
      let threw = false;
      let error: unknown;
      try {
        ExecuteModule(m);
      } catch (e) {
        threw = true;
        error = e;
      }
      if (threw) {
        // 12.c.ii.1
        AsyncModuleExecutionRejected(m, error);
      } else {
        // 12.c.iii.1-2
        m.asyncEvaluationOrder = 'done';
        m.status = 'evaluated';
        // 12.c.iii.3
        if (m.topLevelCapability !== undefined) {
          Assert(m.cycleRoot === m, 'AsyncModuleExecutionFulfilled step 12.c.iii.3.a');
          m.topLevelCapability.resolve(undefined);
        }
      }
    }
  }
  // 13.
}

function CompareAsyncEvaluationOrder(a: CyclicModuleRecord, b: CyclicModuleRecord): number {
  return (a.asyncEvaluationOrder as number) - (b.asyncEvaluationOrder as number);
}

/**
 * 16.2.1.6.1.3.5 AsyncModuleExecutionRejected(module, error) —
 * https://tc39.es/ecma262/#sec-async-module-execution-rejected, in the current text: the module's
 * own [[TopLevelCapability]] is rejected (step 9) before the recursion into its
 * [[AsyncParentModules]] (step 10), so the promises of a failing graph reject leaf to root
 * (test262 language/module-code/top-level-await/rejection-order.js, tc39/test262#4591). The
 * excerpt at commit 000164db (and V8 in Node 20) has the two steps the other way round.
 */
export function AsyncModuleExecutionRejected(module: CyclicModuleRecord, error: unknown): void {
  const completion = ThrowCompletion(error);
  const frames = ListCreate<ModuleWalkFrame>();
  // Steps 1-9 of one call; pushes a frame when the call reaches step 10.
  const enter = (m: CyclicModuleRecord): void => {
    // 1. Already failed.
    if (m.status === 'evaluated') {
      // 1.a-b
      Assert(m.evaluationError !== undefined, 'AsyncModuleExecutionRejected step 1.a');
      return;
    }
    // 2-4.
    Assert(m.status === 'evaluating-async', 'AsyncModuleExecutionRejected step 2');
    Assert(typeof m.asyncEvaluationOrder === 'number', 'AsyncModuleExecutionRejected step 3');
    Assert(m.evaluationError === undefined, 'AsyncModuleExecutionRejected step 4');
    // 5.
    m.evaluationError = completion;
    // 6.
    m.status = 'evaluated';
    // 7-8.
    m.asyncEvaluationOrder = 'done';
    // 9.
    const capability = m.topLevelCapability;
    if (capability !== undefined) {
      // 9.a-b
      Assert(m.cycleRoot === m, 'AsyncModuleExecutionRejected step 9.a');
      capability.reject(error);
    }
    ListAppend(frames, new ModuleWalkFrame(m));
  };
  enter(module);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    if (frame === undefined) break;
    const parents = frame.module.asyncParentModules;
    const m = parents[frame.next];
    if (m !== undefined) {
      // 10. For each m of module.[[AsyncParentModules]]: 10.a AsyncModuleExecutionRejected(m, error).
      frame.next++;
      enter(m);
      continue;
    }
    // 11.
    ListPop(frames);
  }
}
