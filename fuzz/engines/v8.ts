/**
 * The oracle: V8's own module implementation through Node's vm.SourceTextModule (needs
 * `--experimental-vm-modules`). Node's vm host, and V8 behind it, differ from the spec's host
 * hooks in several places; each is bridged here so that only V8's module semantics are compared:
 * - a module whose linking failed stays in status "linking" (its linker threw) or "errored" (a
 *   dependency's link failed) for ever, and a later import gets that first error object again; the
 *   spec keeps no trace of a failed load or link, so every module that has never been part of a
 *   successful link is dropped after a failure and re-created by the next import;
 * - linking against a module that failed evaluation throws ERR_VM_MODULE_LINK_FAILURE, where the
 *   spec links and then rethrows the cached evaluation error; a SyntheticModule with the same
 *   export names that rethrows that error stands in for it (a new one per link);
 * - Node calls importModuleDynamically synchronously inside `import()`, so the callback first
 *   waits two microtasks before it evaluates anything, as the engine under test does (the
 *   spec links and evaluates from a job, after the importHook's result is awaited);
 * - for `import()` of a module whose evaluation already started, the spec's Evaluate() goes to the
 *   module's [[CycleRoot]] and rejects with its error if it failed; V8 aborts the process there
 *   instead (a failed CHECK in SourceTextModule::Evaluate when that root is errored). The oracle
 *   computes each module's cycle root itself (the same DFS as InnerModuleEvaluation) and rejects
 *   with the root's error before V8 is asked.
 *
 * V8 also orders async modules wrongly when a module graph evaluated while another evaluation is
 * pending depends on that pending graph (known.ts, 'v8-async-ordinal'): the oracle notes that
 * zone whenever it starts such an evaluation.
 */
import vm from 'node:vm';
import type { Engine } from '../engine.js';
import { type GraphTexts, urlOf } from '../graph.js';
import { LoadError } from '../runtime.js';

interface VmModule {
  readonly status: string;
  readonly error: unknown;
  readonly namespace: object;
  /** SourceTextModule only (undefined on a SyntheticModule). */
  readonly dependencySpecifiers?: readonly string[];
  link(linker: (specifier: string) => VmModule): Promise<void>;
  evaluate(): Promise<void>;
}
type SourceTextModuleCtor = new (text: string, options: object) => VmModule;
type SyntheticModuleCtor = new (names: string[], evaluate: () => void, options: object) => VmModule;

function vmClasses(): { SourceTextModule: SourceTextModuleCtor; SyntheticModule: SyntheticModuleCtor } {
  const classes = vm as unknown as { SourceTextModule?: SourceTextModuleCtor; SyntheticModule?: SyntheticModuleCtor };
  if (classes.SourceTextModule === undefined || classes.SyntheticModule === undefined) {
    throw new Error('the V8 oracle needs node --experimental-vm-modules');
  }
  return { SourceTextModule: classes.SourceTextModule, SyntheticModule: classes.SyntheticModule };
}

/** True when vm.SourceTextModule is available (node was started with --experimental-vm-modules). */
export function v8Available(): boolean {
  return typeof (vm as unknown as { SourceTextModule?: unknown }).SourceTextModule === 'function';
}

/**
 * V8 numbers async module evaluations with an isolate-wide counter that it resets only when the
 * module holding the highest number finishes. A run that leaves modules pending (a deadlocked
 * graph) leaves the counter mid-way, and a later run's async modules are then ordered wrongly.
 * Each run therefore starts by evaluating one trivial async module: it takes the highest number
 * and, when it finishes, resets the counter.
 */
async function resetAsyncOrdinal(SourceTextModule: SourceTextModuleCtor): Promise<void> {
  const reset = new SourceTextModule('await 0;', { identifier: 'fuzz:reset' });
  await reset.link(() => {
    throw new Error('fuzz:reset has no imports');
  });
  await reset.evaluate();
}

/** One Evaluate() of a graph root: the modules it evaluated, and whether it has settled. */
interface Batch {
  settled: boolean;
}

/** V8 through vm.SourceTextModule; one module instance per specifier per run. */
export const v8Engine: Engine = {
  name: 'v8',
  importEntry(texts: GraphTexts, entry: string, note?: (zone: string) => void): Promise<unknown> {
    const { SourceTextModule, SyntheticModule } = vmClasses();
    const modules = new Map<string, VmModule>();
    const standIns = new Map<VmModule, VmModule>();
    const cycleRoot = new Map<VmModule, VmModule>();
    const batchOf = new Map<VmModule, Batch>();

    const get = (name: string): VmModule => {
      const existing = modules.get(name);
      if (existing !== undefined) return existing;
      const text = texts[name];
      if (text === undefined) throw new LoadError(name);
      const module = new SourceTextModule(text, {
        identifier: urlOf(name),
        initializeImportMeta(meta: { url?: string }) {
          meta.url = urlOf(name);
        },
        async importModuleDynamically(specifier: string) {
          // Two jobs before anything is evaluated, as in the engine under test: its importHook's
          // result is awaited (the Import Hook proposal's LoadImportedModule steps 7-12), then
          // ContinueDynamicImport links and evaluates in the reaction to the load's promise. (It
          // shows when the target is already loaded and linked but not evaluated.)
          await null;
          await null;
          return load(specifier);
        },
      });
      modules.set(name, module);
      return module;
    };
    const depsOf = (m: VmModule): VmModule[] =>
      (m.dependencySpecifiers ?? []).map((s) => modules.get(s)).filter((d): d is VmModule => d !== undefined);

    const linker = (specifier: string): VmModule => {
      const module = get(specifier);
      if (module.status !== 'errored') return module;
      let standIn = standIns.get(module);
      if (standIn === undefined) {
        // Reflect.ownKeys, not Object.keys: the latter reads every value and throws on a binding
        // still in its TDZ (a module that failed early leaves some).
        const exportNames = Reflect.ownKeys(module.namespace).filter((k): k is string => typeof k === 'string');
        standIn = new SyntheticModule(
          exportNames,
          () => {
            throw module.error;
          },
          { identifier: `${urlOf(specifier)}#errored` },
        );
        standIns.set(module, standIn);
      }
      return standIn;
    };

    // Node checks a linked-to module's status a tick after the linker returns it; a module that
    // fails (asynchronously) in between makes link() throw ERR_VM_MODULE_LINK_FAILURE. One retry
    // then sees the module as errored and links the stand-in instead.
    const isLinkRace = (error: unknown): boolean =>
      (error as { code?: unknown } | null)?.code === 'ERR_VM_MODULE_LINK_FAILURE';
    // Modules that have been part of a successful link (their failures, if any, are evaluation
    // errors, which the spec does cache).
    const linked = new Set<VmModule>();
    const markLinked = (root: VmModule): void => {
      const todo = [root];
      while (todo.length > 0) {
        const m = todo.pop()!;
        if (linked.has(m)) continue;
        linked.add(m);
        todo.push(...depsOf(m));
      }
    };
    const purge = (): void => {
      for (const [name, m] of modules) if (!linked.has(m)) modules.delete(name);
    };

    /**
     * Evaluate() of a linked root. Before V8 runs it, the DFS of InnerModuleEvaluation (requests
     * in order, over modules not yet evaluated) gives every module it will evaluate its
     * [[CycleRoot]] (the root of its strongly connected component).
     */
    const evaluateRoot = async (root: VmModule): Promise<void> => {
      const batch: Batch = { settled: false };
      const index = new Map<VmModule, number>();
      const ancestor = new Map<VmModule, number>();
      const stack: VmModule[] = [];
      let counter = 0;
      const visit = (m: VmModule): void => {
        index.set(m, counter);
        ancestor.set(m, counter);
        counter++;
        stack.push(m);
        batchOf.set(m, batch);
        for (const dep of depsOf(m)) {
          if (dep.status !== 'linked') {
            // Evaluated by an earlier Evaluate(): if that one is still pending, this graph may
            // wait on it, which is where V8's async ordering goes wrong.
            if (batchOf.get(dep)?.settled === false) note?.('v8-async-ordinal');
            continue;
          }
          if (!index.has(dep)) visit(dep);
          if (stack.includes(dep)) ancestor.set(m, Math.min(ancestor.get(m)!, ancestor.get(dep)!));
        }
        if (ancestor.get(m) === index.get(m)) {
          let popped: VmModule;
          do {
            popped = stack.pop()!;
            cycleRoot.set(popped, m);
          } while (popped !== m);
        }
      };
      visit(root);
      // Only a fulfilled Evaluate() means every module of the batch is done: a rejection can come
      // early (a module that threw while others still wait on top-level await), and V8 then
      // resets its counter although some of them are pending.
      await root.evaluate();
      batch.settled = true;
    };

    const load = async (name: string): Promise<VmModule> => {
      for (let attempt = 0; ; attempt++) {
        const module = get(name);
        if (module.status === 'unlinked') {
          // A stand-in errors when evaluated, after which Node refuses to link against it too:
          // each link gets fresh ones (shared within the link, so both paths to an errored module
          // still reach one module record).
          standIns.clear();
          try {
            await module.link(linker);
          } catch (error) {
            purge();
            if (attempt === 0 && isLinkRace(error)) continue;
            throw error;
          }
          markLinked(module);
        }
        if (module.status === 'linked') {
          await evaluateRoot(module);
          return module;
        }
        if (module.status === 'errored') throw module.error;
        // Evaluation already started: Evaluate() goes to the cycle root (see the file comment).
        const root = cycleRoot.get(module) ?? module;
        if (root.status === 'errored') throw root.error;
        await module.evaluate();
        return module;
      }
    };

    return (async () => {
      await resetAsyncOrdinal(SourceTextModule);
      return (await load(entry)).namespace;
    })();
  },
};
