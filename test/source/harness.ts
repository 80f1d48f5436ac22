/**
 * Test harness for compiled modules: runs module text through createModuleSourceRecord plus a
 * tiny test-only linker (modhost side), and through vm.SourceTextModule (the V8 oracle, needs
 * `node --experimental-vm-modules`). Both run in this realm, so module code can report through
 * `globalThis.log`.
 */
import vm from 'node:vm';
import { COMPILED_HELPERS } from '../../src/records/compiled-helpers.js';
import type { CompiledModuleRuntime, InstantiationResult, ModuleSourceRecord } from '../../src/source/index.js';
import { createModuleSourceRecord } from '../../src/source/index.js';

/** URL of the module under test; dependencies may import it as "main" (cycles). */
export const MAIN_URL = 'file:///main';

/** Texts of the dependencies, by specifier. */
export type Dependencies = Readonly<Record<string, string>>;

/** What module code can log into (`log(...)` in module text). */
export const logged: unknown[] = [];
(globalThis as Record<string, unknown>).log = (...values: unknown[]) => {
  logged.push(values.length === 1 ? values[0] : values);
};

export interface RunResult {
  /** Namespace-like snapshot: export name → value, or the error thrown reading it. */
  readonly exports: Record<string, unknown>;
  readonly error: unknown;
  readonly log: unknown[];
}

/** Evaluates compiled code as a strict Script (indirect eval) and returns the generator function. */
export function generatorOf(
  record: ModuleSourceRecord,
): (rt: CompiledModuleRuntime) => Generator<unknown, void, unknown> {
  // biome-ignore lint/security/noGlobalEval: an evaluator's job is to run code as a global script
  return (0, eval)(record.compiled.code) as (rt: CompiledModuleRuntime) => Generator<unknown, void, unknown>;
}

interface Instance {
  readonly record: ModuleSourceRecord;
  readonly gen: Generator<unknown, void, unknown>;
  readonly init: InstantiationResult;
  readonly getter: Map<string, () => unknown>;
  readonly deps: Map<string, Instance>;
  evaluated: boolean;
  namespace?: object;
}

/** A fake `rt` with the helpers plus meta/import/ref; `calls` records import() arguments. */
export function fakeRuntime(
  bindings: () => readonly (() => unknown)[],
  calls: unknown[][] = [],
): CompiledModuleRuntime {
  const meta = { url: 'fake' };
  const rt = Object.create(COMPILED_HELPERS) as CompiledModuleRuntime;
  Object.assign(rt, {
    meta: () => meta,
    import: (...args: unknown[]) => {
      calls.push(args);
      return Promise.resolve({ args });
    },
    ref(index: number) {
      return {
        get v() {
          return bindings()[index]!();
        },
        set v(_value: unknown) {
          throw new TypeError('Assignment to constant variable.');
        },
      };
    },
  });
  return rt;
}

function instantiate(text: string, url: string, deps: Dependencies, cache: Map<string, Instance>): Instance {
  const cached = cache.get(url);
  if (cached) return cached;
  const record = createModuleSourceRecord(text, { url });
  let bound: readonly (() => unknown)[] = [];
  const gen = generatorOf(record)(fakeRuntime(() => bound));
  const first = gen.next();
  const init = first.value as InstantiationResult;
  const getter = new Map<string, () => unknown>();
  for (const [i, name] of record.compiled.getterNames.entries()) getter.set(name, init.getters[i]!);
  const instance: Instance = { record, gen, init, getter, deps: new Map(), evaluated: false };
  cache.set(url, instance);
  for (const request of record.requestedModules) {
    const depText = deps[request.specifier];
    if (depText === undefined) throw new Error(`test: no dependency ${request.specifier}`);
    instance.deps.set(request.specifier, instantiate(depText, `file:///${request.specifier}`, deps, cache));
  }
  bound = record.importEntries.map((entry) => {
    const dep = instance.deps.get(entry.moduleRequest.specifier)!;
    return entry.importName === null ? () => namespaceOf(dep) : resolveExport(dep, entry.importName);
  });
  init.setImports(bound);
  return instance;
}

function resolveExport(instance: Instance, name: string): () => unknown {
  for (const entry of instance.record.localExportEntries) {
    if (entry.exportName === name) return instance.getter.get(entry.localName)!;
  }
  for (const entry of instance.record.indirectExportEntries) {
    if (entry.exportName !== name) continue;
    const dep = instance.deps.get(entry.moduleRequest.specifier)!;
    return entry.importName === null ? () => namespaceOf(dep) : resolveExport(dep, entry.importName);
  }
  throw new SyntaxError(`test: ${name} not exported`);
}

function namespaceOf(instance: Instance): object {
  if (instance.namespace) return instance.namespace;
  const ns = Object.create(null) as Record<string, unknown>;
  const names = [...instance.record.localExportEntries, ...instance.record.indirectExportEntries]
    .map((e) => e.exportName)
    .sort();
  for (const name of names) Object.defineProperty(ns, name, { get: resolveExport(instance, name), enumerable: true });
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'Module' });
  instance.namespace = Object.freeze(ns);
  return ns;
}

async function evaluate(instance: Instance): Promise<void> {
  if (instance.evaluated) return;
  instance.evaluated = true;
  for (const dep of instance.deps.values()) await evaluate(dep);
  const gen = instance.gen;
  let step = gen.next();
  while (!step.done) {
    // Each further yield is an Await.
    try {
      const value = await step.value;
      step = gen.next(value);
    } catch (error) {
      step = gen.throw(error);
    }
  }
}

function snapshot(namespace: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(namespace)) {
    try {
      out[key] = (namespace as Record<string, unknown>)[key];
    } catch (error) {
      out[key] = { threw: (error as Error).constructor.name };
    }
  }
  return out;
}

/** Runs `text` (and its dependencies) through modhost's compiler. */
export async function runModhost(text: string, deps: Dependencies = {}, url = MAIN_URL): Promise<RunResult> {
  logged.length = 0;
  const cache = new Map<string, Instance>();
  let error: unknown;
  let instance: Instance | undefined;
  try {
    instance = instantiate(text, url, { ...deps, main: text }, cache);
    await evaluate(instance);
  } catch (caught) {
    error = caught;
  }
  // Like Node's vm modules, an errored module shows no namespace.
  return { exports: instance && error === undefined ? snapshot(namespaceOf(instance)) : {}, error, log: [...logged] };
}

/** Runs `text` (and its dependencies) as a native module under vm.SourceTextModule. */
export async function runV8(text: string, deps: Dependencies = {}, url = MAIN_URL): Promise<RunResult> {
  logged.length = 0;
  const cache = new Map<string, vm.SourceTextModule>();
  const make = (source: string, identifier: string) => {
    let module = cache.get(identifier);
    if (!module) {
      module = new vm.SourceTextModule(source, { identifier });
      cache.set(identifier, module);
    }
    return module;
  };
  const main = make(text, url);
  let error: unknown;
  try {
    await main.link(async (specifier: string) => {
      if (specifier === 'main') return main;
      const depText = deps[specifier];
      if (depText === undefined) throw new Error(`test: no dependency ${specifier}`);
      return make(depText, `file:///${specifier}`);
    });
    await main.evaluate();
  } catch (caught) {
    error = caught;
  }
  let exports: Record<string, unknown> = {};
  try {
    exports = snapshot(main.namespace);
  } catch {
    // Not linked: no namespace.
  }
  return { exports, error, log: [...logged] };
}

/** Describes an error for comparison (class and message) or `undefined`. */
export function describeError(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return `thrown ${String(error)}`;
}

/** A comparable description of a value (functions by kind and name, errors by class). */
export function describe(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') {
    const source = Function.prototype.toString.call(value);
    const kind = source.startsWith('class') ? 'class' : 'function';
    return `${kind} ${JSON.stringify(value.name)}/${value.length}`;
  }
  if (value instanceof Error) return `${value.constructor.name}`;
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  if (value instanceof Promise) return 'promise';
  if (Array.isArray(value)) return depth > 4 ? '[…]' : value.map((item) => describe(item, depth + 1));
  if (typeof value === 'object' && value !== null) {
    if (depth > 4) return '{…}';
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = describe((value as Record<string, unknown>)[key], depth + 1);
    if (Object.prototype.toString.call(value) === '[object Module]') out['@@toStringTag'] = 'Module';
    return out;
  }
  return value;
}

/** Runs `text` both ways and returns comparable descriptions `[modhost, v8]`. */
export async function bothWays(text: string, deps: Dependencies = {}): Promise<[unknown, unknown]> {
  const ours = await runModhost(text, deps);
  const v8 = await runV8(text, deps);
  const view = (r: RunResult) => ({
    exports: describe(r.exports),
    log: describe(r.log),
    error: r.error === undefined ? undefined : describe(r.error),
  });
  return [view(ours), view(v8)];
}
