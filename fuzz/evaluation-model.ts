/**
 * The fuzzer's own model of module evaluation, for graphs the oracle cannot run: import defer
 * (`import defer * as ns from "m"`, `import.defer("m")`), which V8 in Node 20 does not parse. It
 * is a second, independent implementation of the evaluation algorithms, written from the texts
 * and kept deliberately plain (recursive, one object per record):
 *
 * - ECMA-262 Evaluate, InnerModuleEvaluation, ExecuteAsyncModule, GatherAvailableAncestors,
 *   AsyncModuleExecutionFulfilled and AsyncModuleExecutionRejected
 *   (https://tc39.es/ecma262/#sec-moduleevaluation and following, current text: a rejected module
 *   rejects its own [[TopLevelCapability]] before its parents'; [[CycleRoot]] of a module that
 *   threw synchronously is the module itself, tc39/ecma262#3583);
 * - import defer (https://tc39.es/proposal-defer-import-eval/): InnerModuleEvaluation's
 *   _evaluationList_, GatherAsynchronousTransitiveDependencies, IsModuleSCCEvaluated (#85),
 *   ReadyForSyncExecution (#85, #86), the deferred namespace's evaluation on a string-keyed access
 *   (a TypeError when not ready) and ContinueDynamicImport's ~defer~ branch with
 *   SafePerformPromiseAll (#77);
 * - the fuzz runtime's fake event loop (runtime.ts): one event per turn, settled dynamic imports
 *   delivered first in the order they started, then timers by (due time, registration).
 *
 * It understands only the statement forms the phase-graph generator writes (see PHASE_LINE_FORMS
 * in generate.ts); for any other line it has no opinion. Within those forms every turn runs one
 * chain of steps (a timer resuming one module, one import starting, one delivery), so running
 * promise reactions at once, instead of queueing them as jobs, gives the log in the order the
 * microtask queue would: no user code runs in a reaction except the delivery's own `.then`.
 */
import type { Outcome } from './engine.js';
import type { FuzzGraph } from './graph.js';
import { earliestTimer } from './runtime.js';

/** One statement of a module body, as the model runs it. */
type Statement =
  | { readonly kind: 'log'; readonly text: string }
  | { readonly kind: 'export'; readonly name: string; readonly value: string }
  | { readonly kind: 'await'; readonly delay: number }
  | { readonly kind: 'throw'; readonly tag: string }
  | { readonly kind: 'access'; readonly prefix: string; readonly alias: string; readonly key: string }
  | {
      readonly kind: 'later';
      readonly delay: number;
      readonly prefix: string;
      readonly alias: string;
      readonly key: string;
    }
  | {
      readonly kind: 'dyn';
      readonly tag: string;
      readonly target: string;
      readonly phase: 'evaluation' | 'defer';
      readonly delay: number;
      /** For `import.defer()`: the access its `.then` callback makes (log prefix and key). */
      readonly then: { readonly prefix: string; readonly key: string } | null;
    };

interface Request {
  readonly specifier: string;
  readonly phase: 'evaluation' | 'defer';
}

interface ModulePlan {
  readonly name: string;
  readonly requests: readonly Request[];
  /** Local alias of each `import defer * as alias`, → specifier. */
  readonly deferAliases: ReadonlyMap<string, string>;
  readonly body: readonly Statement[];
  readonly hasTLA: boolean;
  /** Export name → value written by its `export const`. */
  readonly exports: ReadonlyMap<string, string>;
}

const TAG = String.raw`"([^"\\]*)"`;
const ACCESS = (prefix: string) =>
  String.raw`try \{ __log\.push\("${prefix}" \+ __fmt\(([\w$]+)\.([\w$]+)\)\); \} ` +
  String.raw`catch \(e\) \{ __log\.push\("${prefix}" \+ __err\(e\)\); \}`;
/** ACCESS of the `ns` parameter of an import.defer()'s `.then` callback. */
const NS_ACCESS = ACCESS('([^"\\\\]*)').replace('([\\w$]+)\\.', 'ns\\.');
const FORMS: readonly [RegExp, (m: RegExpExecArray) => Statement | Request | { alias: string; specifier: string }][] = [
  [/^import "([^"]+)";$/, (m) => ({ specifier: m[1]!, phase: 'evaluation' })],
  [/^import defer \* as ([\w$]+) from "([^"]+)";$/, (m) => ({ alias: m[1]!, specifier: m[2]! })],
  [new RegExp(`^__log\\.push\\(${TAG}\\);$`), (m) => ({ kind: 'log', text: m[1]! })],
  [new RegExp(`^export const ([\\w$]+) = ${TAG};$`), (m) => ({ kind: 'export', name: m[1]!, value: m[2]! })],
  [/^await __delay\((\d+)\);$/, (m) => ({ kind: 'await', delay: Number(m[1]) })],
  [new RegExp(`^throw new __E\\(${TAG}\\);$`), (m) => ({ kind: 'throw', tag: m[1]! })],
  [new RegExp(`^${ACCESS('([^"\\\\]*)')}$`), (m) => ({ kind: 'access', prefix: m[1]!, alias: m[2]!, key: m[3]! })],
  [
    new RegExp(`^__later\\((\\d+), \\(\\) => \\{ ${ACCESS('([^"\\\\]*)')} \\}\\);$`),
    (m) => ({ kind: 'later', delay: Number(m[1]), prefix: m[2]!, alias: m[3]!, key: m[4]! }),
  ],
  [
    new RegExp(`^__dyn\\(${TAG}, \\(\\) => import\\("([^"]+)"\\), (\\d+)\\);$`),
    (m) => ({ kind: 'dyn', tag: m[1]!, target: m[2]!, phase: 'evaluation', delay: Number(m[3]), then: null }),
  ],
  [
    new RegExp(
      `^__dyn\\(${TAG}, \\(\\) => import\\.defer\\("([^"]+)"\\), (\\d+)\\)` +
        `\\.then\\(\\(ns\\) => \\{ if \\(ns\\) \\{ ${NS_ACCESS} \\} \\}\\);$`,
    ),
    (m) => ({
      kind: 'dyn',
      tag: m[1]!,
      target: m[2]!,
      phase: 'defer',
      delay: Number(m[3]),
      then: { prefix: m[4]!, key: m[5]! },
    }),
  ],
  [
    new RegExp(`^__dyn\\(${TAG}, \\(\\) => import\\.defer\\("([^"]+)"\\), (\\d+)\\);$`),
    (m) => ({ kind: 'dyn', tag: m[1]!, target: m[2]!, phase: 'defer', delay: Number(m[3]), then: null }),
  ],
];

/** The plans of `graph`'s modules, or null when a line is of a form the model does not know. */
function plansOf(graph: FuzzGraph): Map<string, ModulePlan> | null {
  const plans = new Map<string, ModulePlan>();
  for (const module of graph.modules) {
    const requests: Request[] = [];
    const deferAliases = new Map<string, string>();
    const body: Statement[] = [];
    const exports = new Map<string, string>();
    const request = (specifier: string, phase: Request['phase']): void => {
      // [[RequestedModules]]: one entry per (specifier, phase), in source order.
      if (!requests.some((r) => r.specifier === specifier && r.phase === phase)) requests.push({ specifier, phase });
    };
    for (const line of module.lines) {
      let parsed: ReturnType<(typeof FORMS)[number][1]> | null = null;
      for (const [re, make] of FORMS) {
        const m = re.exec(line);
        if (m !== null) {
          parsed = make(m);
          break;
        }
      }
      if (parsed === null) return null;
      if ('alias' in parsed && !('kind' in parsed)) {
        if (deferAliases.has(parsed.alias)) return null;
        deferAliases.set(parsed.alias, parsed.specifier);
        request(parsed.specifier, 'defer');
      } else if ('phase' in parsed && !('kind' in parsed)) {
        request(parsed.specifier, 'evaluation');
      } else if ('kind' in parsed) {
        if (parsed.kind === 'export') {
          if (exports.has(parsed.name)) return null;
          exports.set(parsed.name, parsed.value);
        }
        body.push(parsed);
      }
    }
    // Every alias a statement reads must be a deferred namespace import of this module.
    for (const s of body) if ((s.kind === 'access' || s.kind === 'later') && !deferAliases.has(s.alias)) return null;
    plans.set(module.name, {
      name: module.name,
      requests,
      deferAliases,
      body,
      hasTLA: body.some((s) => s.kind === 'await'),
      exports,
    });
  }
  for (const plan of plans.values()) {
    for (const r of plan.requests) if (!plans.has(r.specifier)) return null;
    for (const s of plan.body) if (s.kind === 'dyn' && !plans.has(s.target)) return null;
  }
  if (!plans.has(graph.entry)) return null;
  return plans;
}

/** True when `graph` uses syntax of the import phase proposals (so V8 in Node 20 cannot run it). */
export function hasPhaseSyntax(graph: FuzzGraph): boolean {
  return graph.modules.some((m) =>
    m.lines.some((l) => /\bimport (?:defer|source) |\bimport\.(?:defer|source)\(/.test(l)),
  );
}

// ---- the model's values

/** An error object (identity matters: `__err` numbers distinct objects). */
interface ModelError {
  readonly name: string;
  readonly tag: string | null;
}

/** A thrown value inside the model. */
class Thrown {
  constructor(readonly error: ModelError) {}
}

/** The model's job queue (HostEnqueuePromiseJob): drained after every event. */
type EnqueueJob = (job: () => void) => void;

/** A promise of the model: settled at most once; its reactions run as jobs. */
class ModelPromise {
  state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  reason: ModelError | null = null;
  private reactions: { fulfilled: () => void; rejected: (e: ModelError) => void }[] = [];

  constructor(private readonly enqueue: EnqueueJob) {}

  resolve(): void {
    if (this.state !== 'pending') return;
    this.state = 'fulfilled';
    for (const r of this.reactions.splice(0)) this.enqueue(r.fulfilled);
  }

  reject(error: ModelError): void {
    if (this.state !== 'pending') return;
    this.state = 'rejected';
    this.reason = error;
    for (const r of this.reactions.splice(0)) this.enqueue(() => r.rejected(error));
  }

  then(fulfilled: () => void, rejected: (e: ModelError) => void): void {
    if (this.state === 'fulfilled') this.enqueue(fulfilled);
    else if (this.state === 'rejected') {
      const reason = this.reason!;
      this.enqueue(() => rejected(reason));
    } else this.reactions.push({ fulfilled, rejected });
  }
}

type Status = 'new' | 'linked' | 'evaluating' | 'evaluating-async' | 'evaluated';

/** A Cyclic Module Record of the model, with what its body has done so far. */
interface ModelModule {
  readonly plan: ModulePlan;
  status: Status;
  dfsIndex: number;
  dfsAncestorIndex: number;
  cycleRoot: ModelModule | null;
  asyncEvaluationOrder: 'unset' | 'done' | number;
  pendingAsyncDependencies: number;
  readonly asyncParentModules: ModelModule[];
  topLevelCapability: ModelPromise | null;
  evaluationError: ModelError | null;
  /** Export names whose `export const` has run. */
  readonly initialized: Set<string>;
}

/** A dynamic import in flight (runtime.ts PendingImport). */
interface PendingImport {
  deliver: (() => void) | null;
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fire: () => void;
}

const MAX_TURNS = 5000;

class EvaluationModel {
  readonly log: string[] = [];
  private readonly modules = new Map<string, ModelModule>();
  private readonly errors: ModelError[] = [];
  private asyncEvaluationCount = 0;
  private now = 0;
  private seq = 0;
  private timers: Timer[] = [];
  private imports: PendingImport[] = [];
  private readonly jobs: (() => void)[] = [];
  private readonly enqueue: EnqueueJob = (job) => {
    this.jobs.push(job);
  };
  turn = 0;

  private promise(): ModelPromise {
    return new ModelPromise(this.enqueue);
  }

  /** Runs every queued job (and the jobs they queue), in order. */
  private drainJobs(): void {
    for (let job = this.jobs.shift(); job !== undefined; job = this.jobs.shift()) job();
  }

  constructor(private readonly plans: ReadonlyMap<string, ModulePlan>) {}

  private module(name: string): ModelModule {
    let m = this.modules.get(name);
    if (m === undefined) {
      m = {
        plan: this.plans.get(name)!,
        status: 'new',
        dfsIndex: -1,
        dfsAncestorIndex: -1,
        cycleRoot: null,
        asyncEvaluationOrder: 'unset',
        pendingAsyncDependencies: 0,
        asyncParentModules: [],
        topLevelCapability: null,
        evaluationError: null,
        initialized: new Set(),
      };
      this.modules.set(name, m);
    }
    return m;
  }

  private required(_referrer: ModelModule, request: Request): ModelModule {
    return this.module(request.specifier);
  }

  /** `__err(e)`: constructor name, tag, and the number of the distinct error object. */
  err(error: ModelError): string {
    let id = this.errors.indexOf(error);
    if (id < 0) {
      id = this.errors.length;
      this.errors.push(error);
    }
    return `${error.name}${error.tag !== null ? `(${error.tag})` : ''}#${id}`;
  }

  schedule(delay: number, fire: () => void): void {
    this.timers.push({ due: this.now + Math.max(0, delay), seq: this.seq++, fire });
  }

  // ---- loading and linking (every request of these graphs loads and links)

  /** LoadRequestedModules + Link of `root`: every module reached by its requests becomes ~linked~. */
  private loadAndLink(root: ModelModule): void {
    const todo = [root];
    while (todo.length > 0) {
      const m = todo.pop()!;
      if (m.status !== 'new') continue;
      m.status = 'linked';
      for (const r of m.plan.requests) todo.push(this.required(m, r));
    }
  }

  // ---- ECMA-262 evaluation

  /** 16.2.1.6.1.3 Evaluate(). */
  evaluate(moduleArg: ModelModule): ModelPromise {
    let module = moduleArg;
    // 3.
    if (module.status === 'evaluating-async' || module.status === 'evaluated') module = module.cycleRoot!;
    // 4.
    if (module.topLevelCapability !== null) return module.topLevelCapability;
    // 5-7.
    const stack: ModelModule[] = [];
    const capability = this.promise();
    module.topLevelCapability = capability;
    try {
      this.innerModuleEvaluation(module, stack, 0);
    } catch (thrown) {
      if (!(thrown instanceof Thrown)) throw thrown;
      // 9.
      for (const m of stack) {
        m.status = 'evaluated';
        m.evaluationError = thrown.error;
        m.cycleRoot = m;
      }
      capability.reject(thrown.error);
      return capability;
    }
    // 10.
    if (module.status === 'evaluated') capability.resolve();
    return capability;
  }

  /** 16.2.1.6.1.3.1 InnerModuleEvaluation, with import defer's _evaluationList_. */
  private innerModuleEvaluation(module: ModelModule, stack: ModelModule[], indexArg: number): number {
    let index = indexArg;
    // 2.
    if (module.status === 'evaluating-async' || module.status === 'evaluated') {
      if (module.evaluationError === null) return index;
      throw new Thrown(module.evaluationError);
    }
    // 3.
    if (module.status === 'evaluating') return index;
    // 4.
    if (module.status !== 'linked') throw new Error(`model: InnerModuleEvaluation of a ${module.status} module`);
    // 5-10.
    module.status = 'evaluating';
    const moduleIndex = index;
    module.dfsIndex = index;
    module.dfsAncestorIndex = index;
    module.pendingAsyncDependencies = 0;
    index++;
    stack.push(module);
    // (import defer) 11-12. evaluationList
    const evaluationList: ModelModule[] = [];
    for (const r of module.plan.requests) {
      const requiredModule = this.required(module, r);
      if (r.phase === 'defer') {
        for (const m of this.gatherAsynchronousTransitiveDependencies(requiredModule, new Set()))
          if (!evaluationList.includes(m)) evaluationList.push(m);
      } else if (!evaluationList.includes(requiredModule)) evaluationList.push(requiredModule);
    }
    // 13.
    for (const requiredArg of evaluationList) {
      let requiredModule = requiredArg;
      index = this.innerModuleEvaluation(requiredModule, stack, index);
      if (requiredModule.status === 'evaluating') {
        module.dfsAncestorIndex = Math.min(module.dfsAncestorIndex, requiredModule.dfsAncestorIndex);
      } else {
        requiredModule = requiredModule.cycleRoot!;
        if (requiredModule.evaluationError !== null) throw new Thrown(requiredModule.evaluationError);
      }
      if (typeof requiredModule.asyncEvaluationOrder === 'number') {
        module.pendingAsyncDependencies++;
        requiredModule.asyncParentModules.push(module);
      }
    }
    // 14-15.
    if (module.pendingAsyncDependencies > 0 || module.plan.hasTLA) {
      module.asyncEvaluationOrder = this.asyncEvaluationCount++;
      if (module.pendingAsyncDependencies === 0) this.executeAsyncModule(module);
    } else {
      this.runBody(module, 0, null);
    }
    // 18.
    if (module.dfsAncestorIndex === moduleIndex) {
      for (;;) {
        const m = stack.pop()!;
        m.status = m.asyncEvaluationOrder === 'unset' ? 'evaluated' : 'evaluating-async';
        m.cycleRoot = module;
        if (m === module) break;
      }
    }
    return index;
  }

  /** 16.2.1.6.1.3.2 ExecuteAsyncModule. */
  private executeAsyncModule(module: ModelModule): void {
    const capability = this.promise();
    capability.then(
      () => this.asyncModuleExecutionFulfilled(module),
      (e) => this.asyncModuleExecutionRejected(module, e),
    );
    this.runBody(module, 0, capability);
  }

  /**
   * Runs `module`'s body from statement `from`. Without a capability (no top-level await) a throw
   * propagates; with one, an `await` suspends the body until its timer fires, and the end of the
   * body settles the capability.
   */
  private runBody(module: ModelModule, from: number, capability: ModelPromise | null): void {
    const body = module.plan.body;
    for (let i = from; i < body.length; i++) {
      const s = body[i]!;
      if (s.kind === 'await') {
        this.schedule(s.delay, () => this.runBody(module, i + 1, capability));
        return;
      }
      try {
        this.statement(module, s);
      } catch (thrown) {
        if (!(thrown instanceof Thrown) || capability === null) throw thrown;
        capability.reject(thrown.error);
        return;
      }
    }
    capability?.resolve();
  }

  /** 16.2.1.6.1.3.3 GatherAvailableAncestors. */
  private gatherAvailableAncestors(module: ModelModule, execList: ModelModule[]): void {
    for (const m of module.asyncParentModules) {
      if (!execList.includes(m) && m.cycleRoot!.evaluationError === null) {
        m.pendingAsyncDependencies--;
        if (m.pendingAsyncDependencies === 0) {
          execList.push(m);
          if (!m.plan.hasTLA) this.gatherAvailableAncestors(m, execList);
        }
      }
    }
  }

  /** 16.2.1.6.1.3.4 AsyncModuleExecutionFulfilled. */
  private asyncModuleExecutionFulfilled(module: ModelModule): void {
    if (module.status === 'evaluated') return;
    module.asyncEvaluationOrder = 'done';
    module.status = 'evaluated';
    module.topLevelCapability?.resolve();
    const execList: ModelModule[] = [];
    this.gatherAvailableAncestors(module, execList);
    execList.sort((a, b) => (a.asyncEvaluationOrder as number) - (b.asyncEvaluationOrder as number));
    for (const m of execList) {
      if (m.status === 'evaluated') continue;
      if (m.plan.hasTLA) {
        this.executeAsyncModule(m);
        continue;
      }
      try {
        this.runBody(m, 0, null);
      } catch (thrown) {
        if (!(thrown instanceof Thrown)) throw thrown;
        this.asyncModuleExecutionRejected(m, thrown.error);
        continue;
      }
      m.asyncEvaluationOrder = 'done';
      m.status = 'evaluated';
      m.topLevelCapability?.resolve();
    }
  }

  /** 16.2.1.6.1.3.5 AsyncModuleExecutionRejected (current text: own capability first). */
  private asyncModuleExecutionRejected(module: ModelModule, error: ModelError): void {
    if (module.status === 'evaluated') return;
    module.evaluationError = error;
    module.status = 'evaluated';
    module.asyncEvaluationOrder = 'done';
    module.topLevelCapability?.reject(error);
    for (const m of module.asyncParentModules) this.asyncModuleExecutionRejected(m, error);
  }

  // ---- import defer

  /** IsModuleSCCEvaluated(module). */
  private isModuleSCCEvaluated(module: ModelModule): boolean {
    if (module.cycleRoot !== null) return module.cycleRoot.status === 'evaluated';
    return module.status === 'evaluated';
  }

  /** GatherAsynchronousTransitiveDependencies(module, seen). */
  private gatherAsynchronousTransitiveDependencies(module: ModelModule, seen: Set<ModelModule>): ModelModule[] {
    const result: ModelModule[] = [];
    if (seen.has(module)) return result;
    seen.add(module);
    if (module.status === 'evaluating' || this.isModuleSCCEvaluated(module)) return result;
    if (module.plan.hasTLA) {
      result.push(module);
      return result;
    }
    for (const r of module.plan.requests) {
      for (const m of this.gatherAsynchronousTransitiveDependencies(this.required(module, r), seen))
        if (!result.includes(m)) result.push(m);
    }
    return result;
  }

  /** ReadyForSyncExecution(module, seen). */
  private readyForSyncExecution(module: ModelModule, seen: Set<ModelModule>): boolean {
    if (seen.has(module)) return true;
    seen.add(module);
    if (this.isModuleSCCEvaluated(module)) return true;
    if (module.status === 'evaluating' || module.status === 'evaluating-async') return false;
    if (module.plan.hasTLA) return false;
    for (const r of module.plan.requests) if (!this.readyForSyncExecution(this.required(module, r), seen)) return false;
    return true;
  }

  /** A string-keyed [[Get]] of the deferred namespace of `module`. */
  private deferredGet(module: ModelModule, key: string): string {
    // GetModuleExportsList: EnsureDeferredNamespaceEvaluation.
    if (!this.readyForSyncExecution(module, new Set())) throw new Thrown({ name: 'TypeError', tag: null });
    // EvaluateModuleSync.
    const promise = this.evaluate(module);
    if (promise.state === 'pending') throw new Error('model: EvaluateModuleSync left a pending promise');
    if (promise.state === 'rejected') throw new Thrown(promise.reason!);
    // [[Get]] steps 3-12: every export of these graphs is a local `export const`, initialized now.
    const value = module.plan.exports.get(key);
    return value === undefined ? 'undefined' : JSON.stringify(value);
  }

  // ---- statements and the runtime

  private access(module: ModelModule, alias: string, key: string, prefix: string): void {
    this.logRead(this.module(module.plan.deferAliases.get(alias)!), key, prefix);
  }

  /**
   * `try { __log.push(prefix + __fmt(ns[key])); } catch (e) { __log.push(prefix + __err(e)); }`
   * for the deferred namespace of `target`.
   */
  private logRead(target: ModelModule, key: string, prefix: string): void {
    let shown: string;
    try {
      shown = this.deferredGet(target, key);
    } catch (thrown) {
      if (!(thrown instanceof Thrown)) throw thrown;
      shown = this.err(thrown.error);
    }
    this.log.push(`${prefix}${shown}`);
  }

  private statement(module: ModelModule, s: Statement): void {
    switch (s.kind) {
      case 'log':
        this.log.push(s.text);
        return;
      case 'export':
        module.initialized.add(s.name);
        return;
      case 'throw':
        throw new Thrown({ name: 'FuzzError', tag: s.tag });
      case 'access':
        this.access(module, s.alias, s.key, s.prefix);
        return;
      case 'later':
        this.schedule(s.delay, () => this.access(module, s.alias, s.key, s.prefix));
        return;
      case 'dyn':
        this.schedule(s.delay, () => this.startImport(s));
        return;
      case 'await':
        throw new Error('model: await outside runBody');
    }
  }

  /** `__dyn(tag, () => import(target) / import.defer(target), delay)` when its event fires. */
  private startImport(s: Extract<Statement, { kind: 'dyn' }>): void {
    const pending: PendingImport = { deliver: null };
    this.imports.push(pending);
    const target = this.module(s.target);
    const settled = (promise: ModelPromise, ok: () => string): void =>
      promise.then(
        () => {
          pending.deliver = () => {
            this.log.push(`${s.tag} ok ${ok()}`);
            // The `.then` callback: a reaction to __dyn's promise, resolved just now.
            const then = s.then;
            if (then !== null) this.enqueue(() => this.logRead(target, then.key, then.prefix));
          };
        },
        (error) => {
          pending.deliver = () => {
            this.log.push(`${s.tag} err ${this.err(error)}`);
          };
        },
      );
    // ContinueDynamicImport: load and link, then evaluate (~evaluation~) or gather (~defer~).
    this.loadAndLink(target);
    if (s.phase === 'evaluation') {
      settled(this.evaluate(target), () => this.formatNamespace(target));
      return;
    }
    const all = this.promise();
    const list = this.gatherAsynchronousTransitiveDependencies(target, new Set());
    if (list.length === 0) all.resolve();
    else {
      // SafePerformPromiseAll.
      let remaining = list.length;
      for (const dep of list)
        this.evaluate(dep).then(
          () => {
            if (--remaining === 0) all.resolve();
          },
          (e) => all.reject(e),
        );
    }
    settled(all, () => '[object Deferred Module]');
  }

  /** fmt() of the (evaluation-phase) namespace of an evaluated module: `[ns k=v,...]`. */
  formatNamespace(module: ModelModule): string {
    const keys = [...module.plan.exports.keys()].sort();
    return `[ns ${keys.map((k) => `${k}=${JSON.stringify(module.plan.exports.get(k))}`).join(',')}]`;
  }

  /** snapshotNamespace() of the entry's namespace after the last turn. */
  snapshot(module: ModelModule): string {
    const keys = [...module.plan.exports.keys()].sort();
    const parts = keys.map((k) => `${k}=${JSON.stringify(module.plan.exports.get(k))}:we-`);
    parts.push('@@Symbol.toStringTag="Module":---');
    return `{${parts.join(', ')}} proto=null extensible=false`;
  }

  /** The fake event loop (runtime.ts drive): false when the turn budget ran out. */
  drive(): boolean {
    for (;;) {
      let event: (() => void) | undefined;
      const ready = this.imports.find((p) => p.deliver !== null);
      if (ready !== undefined) {
        this.imports = this.imports.filter((p) => p !== ready);
        event = ready.deliver!;
      } else if (this.timers.length > 0) {
        const [timer] = this.timers.splice(earliestTimer(this.timers), 1);
        this.now = timer!.due;
        event = timer!.fire;
      }
      if (event === undefined) return true;
      if (++this.turn > MAX_TURNS) return false;
      this.log.push(`~${this.turn}`);
      event();
      this.drainJobs();
    }
  }

  /** Imports the entry (as the runner does) and runs the event loop. */
  run(entryName: string): Outcome {
    const entry = this.module(entryName);
    let settled: { ok: boolean; error: ModelError | null } | null = null;
    let settledTurn: number | null = null;
    this.loadAndLink(entry);
    this.evaluate(entry).then(
      () => {
        settled = { ok: true, error: null };
        settledTurn = this.turn;
      },
      (error) => {
        settled = { ok: false, error };
        settledTurn = this.turn;
      },
    );
    this.drainJobs();
    const finished = this.drive();
    const result = settled as { ok: boolean; error: ModelError | null } | null;
    return {
      log: this.log.slice(),
      entry:
        result === null ? 'pending' : result.ok ? `ns ${this.snapshot(entry)}` : `throw ${this.err(result.error!)}`,
      settledTurn,
      artefact: null,
      hung: !finished,
      internal: [],
      entryKeys: result?.ok === true ? [...entry.plan.exports.keys()].sort() : null,
      notes: [],
    };
  }
}

/**
 * The outcome the import phase texts give for `graph` (with the fuzz runtime's event loop), or
 * null when the graph uses a form the model does not know.
 */
export function modelOutcome(graph: FuzzGraph): Outcome | null {
  const plans = plansOf(graph);
  if (plans === null) return null;
  return new EvaluationModel(plans).run(graph.entry);
}
