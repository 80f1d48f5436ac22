/**
 * The operations the import phase proposals add to module records:
 * - source phase imports (tc39/proposal-source-phase-imports): GetModuleSource;
 * - import defer (tc39/proposal-defer-import-eval): GatherAsynchronousTransitiveDependencies,
 *   ReadyForSyncExecution and EvaluateModuleSync for the deferred namespace
 *   (EnsureDeferredNamespaceEvaluation is in namespace.ts).
 *
 * The recursive operations walk the graph with explicit stacks (as loading, linking and
 * evaluation do), in the order the recursive spec text visits modules.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { createError } from '../errors/codes.js';
import { Assert } from './assert.js';
import { ModuleWalkFrame } from './cyclic-module-record.js';
import { EvaluateModuleSync } from './evaluation.js';
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
  ModuleSourceObjectOf,
} from './module-record.js';

/**
 * Source phase imports: Module Record GetModuleSource() — the module's [[ModuleSourceObject]].
 * A module without a source representation (a Node built-in, a JSON or CommonJS synthetic module,
 * a Module made without a source) throws a SyntaxError: it is reached during linking
 * (InitializeEnvironment) or from `import.source()`, as a link error.
 */
export function GetModuleSource(module: ModuleRecord): object {
  const source = ModuleSourceObjectOf(module);
  if (source === undefined) {
    // DEVIATION(GetModuleSource without a source): the proposal repository's text throws a
    //   ReferenceError; modhost throws a SyntaxError, the class of every other link-time import
    //   failure (see ARCHITECTURE.md).

    const url = ModuleDisplayName(module);
    throw createError(
      'ERR_MODHOST_NO_MODULE_SOURCE',
      `${url} has no module source: it cannot be imported in the source phase`,
      { url },
    );
  }
  return source;
}

/**
 * Import defer: IsModuleSCCEvaluated(module) —
 * https://tc39.es/proposal-defer-import-eval/#sec-IsModuleSCCEvaluated (tc39/proposal-defer-import-eval#85,
 * fixing #84): a module counts as evaluated only when its whole strongly connected component has
 * finished, i.e. its [[CycleRoot]] is ~evaluated~. A member of an asynchronous cycle is ~evaluated~
 * as soon as its own body ran, while the cycle's root (with top-level await) may still be
 * ~evaluating-async~; evaluating an importer of that member must then wait for the root.
 */
export function IsModuleSCCEvaluated(module: CyclicModuleRecord): boolean {
  const cycleRoot = module.cycleRoot;
  // 1. [[CycleRoot]] is not ~empty~: 1.a-b.
  if (cycleRoot !== undefined) return cycleRoot.status === 'evaluated';
  // 2-3.
  return module.status === 'evaluated';
}

/**
 * Import defer: GatherAsynchronousTransitiveDependencies(module [, seen]) —
 * https://tc39.es/proposal-defer-import-eval/#sec-GatherAsynchronousTransitiveDependencies. The
 * modules with top-level await that a deferred `module` depends on (itself included) and whose
 * strongly connected component has not finished evaluating, in the order the recursive algorithm
 * finds them. They are evaluated eagerly so that the deferred module can later evaluate
 * synchronously.
 */
export function GatherAsynchronousTransitiveDependencies(module: ModuleRecord): ModuleRecord[] {
  // 1-2.
  const seen = new SetCtor<ModuleRecord>();
  const result = ListCreate<ModuleRecord>();
  const frames = ListCreate<ModuleWalkFrame>();
  // Steps 3-7 of one call; pushes a frame when the call reaches step 8.
  const visit = (m: ModuleRecord): void => {
    // 3-4.
    if (SetPrototypeHas(seen, m)) return;
    SetPrototypeAdd(seen, m);
    // 5.
    if (!IsCyclicModuleRecord(m)) return;
    // 6. On the evaluation stack, or evaluated together with its whole cycle: nothing to do ahead of
    //    time (IsModuleSCCEvaluated, tc39/proposal-defer-import-eval#85). An ~evaluating-async~
    //    module, or an ~evaluated~ one whose cycle root is still ~evaluating-async~, goes on.
    if (m.status === 'evaluating' || IsModuleSCCEvaluated(m)) return;
    // 7. Asynchronous itself: evaluate it (and so its dependencies) eagerly.
    if (m.hasTLA) {
      if (!ListContains(result, m)) ListAppend(result, m);
      return;
    }
    // 8.
    ListAppend(frames, new ModuleWalkFrame(m));
  };
  visit(module);
  for (let frame = frames[0]; frame !== undefined; frame = frames[frames.length - 1]) {
    const required = frame.module.requestedModules[frame.next];
    if (required === undefined) {
      ListPop(frames);
      continue;
    }
    frame.next++;
    // DEVIATION(GatherAsynchronousTransitiveDependencies step 8): ~source~ requests are skipped
    //   (never evaluated, so nothing to evaluate eagerly); see ARCHITECTURE.md.
    if (required.phase === 'source') continue;
    // 8.a-c (appending without duplicates is what 8.c does with the callee's result)
    visit(GetImportedModule(frame.module, required));
  }
  // 9.
  return result;
}

/**
 * Import defer: ReadyForSyncExecution(module [, seen]) —
 * https://tc39.es/proposal-defer-import-eval/#sec-ReadyForSyncExecution. Whether Evaluate() of
 * `module` can complete synchronously: nothing in its graph is evaluating (a cycle through the
 * accessing module), asynchronous, or in a cycle whose asynchronous root has not finished.
 */
export function ReadyForSyncExecution(module: ModuleRecord): boolean {
  // 2.
  const seen = new SetCtor<ModuleRecord>();
  const frames = ListCreate<ModuleWalkFrame>();
  // Steps 1 and 3-8 of one call: false → not ready; true → ready so far (frame pushed for step 9).
  const visit = (m: ModuleRecord): boolean => {
    // 1. A module that is not cyclic evaluates synchronously by construction.
    if (!IsCyclicModuleRecord(m)) return true;
    // 3-4.
    if (SetPrototypeHas(seen, m)) return true;
    SetPrototypeAdd(seen, m);
    // 5. (tc39/proposal-defer-import-eval#85)
    if (IsModuleSCCEvaluated(m)) return true;
    // 6.
    if (m.status === 'evaluating' || m.status === 'evaluating-async') return false;
    // 7. ~linked~, or ~evaluated~ in a cycle that is not (tc39/proposal-defer-import-eval#86:
    //    the assertion predates #85, which lets such a module reach this step).
    Assert(
      m.status === 'linked' || m.status === 'evaluated',
      `ReadyForSyncExecution step 7: ${m.source.url} is ${m.status}`,
    );
    // 8.
    if (m.hasTLA) return false;
    ListAppend(frames, new ModuleWalkFrame(m));
    return true;
  };
  if (!visit(module)) return false;
  for (let frame = frames[0]; frame !== undefined; frame = frames[frames.length - 1]) {
    const required = frame.module.requestedModules[frame.next];
    if (required === undefined) {
      ListPop(frames);
      continue;
    }
    frame.next++;
    // DEVIATION(ReadyForSyncExecution step 9): ~source~ requests are skipped (never evaluated).
    if (required.phase === 'source') continue;
    // 9.a-b
    if (!visit(GetImportedModule(frame.module, required))) return false;
  }
  // 10.
  return true;
}

/**
 * Import defer: the deferred namespace's evaluation (GetModuleExportsList step 1 —
 * https://tc39.es/proposal-defer-import-eval/#sec-GetModuleExportsList): a TypeError when
 * ReadyForSyncExecution(module) is false, else EvaluateModuleSync(module). A failed evaluation
 * throws its error, the same object on every call.
 */
export function EnsureDeferredNamespaceEvaluation(module: ModuleRecord): void {
  // Fast path for every access after the first: evaluated, with its whole cycle, without error.
  //   ReadyForSyncExecution is true and Evaluate() would return a fulfilled promise.
  if (IsCyclicModuleRecord(module) && IsModuleSCCEvaluated(module) && module.cycleRoot?.evaluationError === undefined)
    return;
  // 1.a A module that cannot finish synchronously.
  if (!ReadyForSyncExecution(module)) {
    const url = ModuleDisplayName(module);
    throw createError(
      'ERR_MODHOST_DEFERRED_NOT_READY',
      `Cannot evaluate the deferred module ${url} synchronously: ` +
        'it or a dependency is evaluating or has top-level await',
      { url },
    );
  }
  // 1.b
  EvaluateModuleSync(module);
}
