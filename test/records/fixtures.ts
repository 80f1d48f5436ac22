/**
 * Test fixtures for records/: a test Realm (evaluator = vm.runInThisContext, fake Module objects
 * as brands), module graphs from real module text (through src/source), and a small builder of
 * hand-compiled ModuleSourceRecords that follow the compiled module protocol directly.
 *
 * Module code logs with the global `log(...)`; {@link takeLog} returns and clears what was logged.
 */
import assert from 'node:assert/strict';
import vm from 'node:vm';
import {
  ContinueDynamicImport,
  createSourceTextModuleRecord,
  defaultHostHooks,
  Evaluate,
  type HostHooks,
  Link,
  LoadRequestedModules,
  type ModuleRecord,
  NewPromiseCapability,
  NormalCompletion,
  type Realm,
  type SourceTextModuleRecord,
} from '../../src/records/index.js';
import { GetBindingGetter } from '../../src/records/module-record.js';
import { createModuleSourceRecord } from '../../src/source/module-source-record.js';
import type { ImportAttribute, ModuleRequest, ModuleSourceRecord } from '../../src/source/types.js';
import { nativeModules } from '../native-modules.js';

// The log is a null-prototype array written by index, so that it keeps working while a test has
// poisoned Array.prototype (see intrinsics.test.ts).
let logged: unknown[] = Object.setPrototypeOf([], null) as unknown[];
(globalThis as { log?: unknown }).log = (...args: unknown[]): void => {
  logged[logged.length] = args.length === 1 ? args[0] : args;
};

/** Returns the entries logged since the last call, and clears them. */
export function takeLog(): unknown[] {
  const entries = Array.from({ length: logged.length }, (_, i) => logged[i]);
  logged = Object.setPrototypeOf([], null) as unknown[];
  return entries;
}

/** Gates: module code `await gate('name')`; the test opens them with {@link openGate}. */
const gates = new Map<
  string,
  { promise: Promise<unknown>; resolve: (v?: unknown) => void; reject: (e: unknown) => void }
>();
function gateRecord(name: string) {
  let g = gates.get(name);
  if (!g) {
    let resolve!: (v?: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    g = { promise, resolve, reject };
    gates.set(name, g);
  }
  return g;
}
(globalThis as { gate?: unknown }).gate = (name: string): Promise<unknown> => gateRecord(name).promise;
/** Fulfils gate `name` (with `value`). */
export function openGate(name: string, value?: unknown): void {
  gateRecord(name).resolve(value);
}
/** Rejects gate `name` with `error`. */
export function failGate(name: string, error: unknown): void {
  gateRecord(name).reject(error);
}
/** Forgets every gate. */
export function resetGates(): void {
  gates.clear();
}

/** Lets `n` macrotask turns pass (every pending microtask runs). */
export async function settle(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** The module name a specifier refers to in test graphs (`./a` and `a` both name `a`). */
export function nameOf(specifier: string): string {
  return specifier.startsWith('./') ? specifier.slice(2) : specifier;
}

/** A fake Module instance: the API layer's object that carries [[Module]]. */
export interface FakeModule {
  readonly record: ModuleRecord;
}

export interface TestRealm {
  readonly realm: Realm;
  /** Every (code, url) the evaluator received. */
  readonly evaluated: { code: string; url: string }[];
  /** Makes a fake Module instance for `record` (recognised by realm.moduleRecordOf). */
  wrap(record: ModuleRecord): FakeModule;
}

const defaultEvaluate = (code: string, url: string): unknown => vm.runInThisContext(code, { filename: url });

/** A Realm for tests. `hostHooks` override the defaults; `evaluate` may wrap evaluation. */
export function createTestRealm(
  hostHooks: Partial<HostHooks> = {},
  evaluate: (code: string, url: string) => unknown = defaultEvaluate,
): TestRealm {
  // Captured, so that the brand check keeps working while a test has poisoned built-ins.
  const brands = new WeakMap<object, ModuleRecord>();
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  const apply = Reflect.apply;
  const runInThisContext = vm.runInThisContext;
  const defineProperty = Reflect.defineProperty;
  const evaluated: { code: string; url: string }[] = [];
  const realm: Realm = {
    hostHooks: { ...defaultHostHooks, ...hostHooks },
    evaluator(code: string, url: string): unknown {
      defineProperty(evaluated, evaluated.length, {
        __proto__: null,
        value: { code, url },
        writable: true,
        enumerable: true,
        configurable: true,
      } as PropertyDescriptor);
      return evaluate === defaultEvaluate
        ? apply(runInThisContext, vm, [code, { filename: url }])
        : evaluate(code, url);
    },
    moduleRecordOf(value: unknown): ModuleRecord | undefined {
      if ((typeof value === 'object' && value !== null) || typeof value === 'function')
        return apply(weakMapGet, brands, [value]) as ModuleRecord | undefined;
      return undefined;
    },
  };
  return {
    realm,
    evaluated,
    wrap(record: ModuleRecord): FakeModule {
      const object = { record };
      apply(weakMapSet, brands, [object, record]);
      return object;
    },
  };
}

/** One importHook call. */
export interface HookCall {
  readonly referrer: string;
  readonly specifier: string;
  readonly attributes: Record<string, string>;
  readonly self: unknown;
}

export interface TextGraph extends TestRealm {
  /** The record of module `name` (created on first use). */
  record(name: string): SourceTextModuleRecord;
  /** The fake Module instance of module `name`. */
  module(name: string): FakeModule;
  readonly hookCalls: HookCall[];
  /** ContinueDynamicImport on module `name`: resolves to its namespace. */
  importModule(name: string): Promise<Record<string, unknown>>;
}

export interface TextGraphOptions {
  /** Replaces the default importHook (which returns the graph's module named by the specifier). */
  importHook?: (
    this: unknown,
    specifier: string,
    attributes: Record<string, string>,
    graph: TextGraph,
    referrer: string,
  ) => unknown;
  hostHooks?: Partial<HostHooks>;
  /** The handler object of every module (default: a fresh object per module). */
  handler?: unknown;
  importMetaHook?: (this: unknown, meta: object) => void;
  /** Module names created without an importHook. */
  noHook?: readonly string[];
  /** Use this realm (e.g. another graph's) instead of a new one. */
  realm?: TestRealm;
  /** Wraps the realm's evaluation of compiled code. */
  evaluate?: (code: string, url: string) => unknown;
}

/** A graph of modules from real module text; specifiers name modules of the graph. */
export function textGraph(texts: Record<string, string>, options: TextGraphOptions = {}): TextGraph {
  const t = options.realm ?? createTestRealm(options.hostHooks, options.evaluate);
  const records = new Map<string, SourceTextModuleRecord>();
  const modules = new Map<string, FakeModule>();
  const sources = new Map<string, ModuleSourceRecord>();
  const hookCalls: HookCall[] = [];
  const graph: TextGraph = {
    ...t,
    hookCalls,
    record(specifier: string): SourceTextModuleRecord {
      const name = nameOf(specifier);
      let record = records.get(name);
      if (!record) {
        const text = texts[name];
        if (text === undefined) throw new Error(`no module named ${name}`);
        let source = sources.get(name);
        if (!source) {
          source = createModuleSourceRecord(text, { url: `memory:/${name}` });
          sources.set(name, source);
        }
        const handler = options.handler ?? { name };
        const importHook = options.noHook?.includes(name)
          ? undefined
          : function (this: unknown, specifier: string, attributes: Record<string, string>): unknown {
              hookCalls.push({ referrer: name, specifier, attributes, self: this });
              if (options.importHook)
                return ReflectApplyHook(options.importHook, this, specifier, attributes, graph, name);
              return graph.module(specifier);
            };
        record = createSourceTextModuleRecord(source, t.realm, {
          importHook,
          importMetaHook: options.importMetaHook,
          handler,
        });
        records.set(name, record);
      }
      return record;
    },
    module(specifier: string): FakeModule {
      const name = nameOf(specifier);
      let m = modules.get(name);
      if (!m) {
        m = t.wrap(graph.record(name));
        modules.set(name, m);
      }
      return m;
    },
    importModule(name: string): Promise<Record<string, unknown>> {
      const capability = NewPromiseCapability();
      ContinueDynamicImport(capability, NormalCompletion(graph.record(name)));
      return capability.promise as Promise<Record<string, unknown>>;
    },
  };
  return graph;
}

function ReflectApplyHook(
  hook: NonNullable<TextGraphOptions['importHook']>,
  self: unknown,
  specifier: string,
  attributes: Record<string, string>,
  graph: TextGraph,
  referrer: string,
): unknown {
  return Reflect.apply(hook, self, [specifier, attributes, graph, referrer]);
}

/** A ModuleSourceRecord from real module text. */
export function textSource(text: string, url = 'memory:/test'): ModuleSourceRecord {
  return createModuleSourceRecord(text, { url });
}

/** Description of a hand-compiled module (see {@link handSource}). */
export interface HandModule {
  readonly url?: string;
  /** [[RequestedModules]]: specifiers (no attributes) or full ModuleRequest records. */
  readonly requested?: readonly (string | ModuleRequest)[];
  /** ImportEntries: `importName: null` for `import * as`. The local name is also the slot name. */
  readonly imports?: readonly { from: string; importName: string | null; localName: string }[];
  readonly localExports?: readonly { exportName: string; localName: string }[];
  readonly indirectExports?: readonly { exportName: string; from: string; importName: string | null }[];
  readonly starExports?: readonly string[];
  readonly hasTLA?: boolean;
  /** Exported local bindings: binding name → JS expression read by its getter. */
  readonly getters?: Readonly<Record<string, string>>;
  /**
   * The generator body after the first yield. Imports read as `$i.<localName>()`; `$rt` is the
   * runtime object. Declarations go in `declarations` (they are hoisted before the yield).
   */
  readonly body?: string;
  readonly declarations?: string;
  /** Replaces the whole generated code. */
  readonly code?: string;
}

function request(spec: string | ModuleRequest): ModuleRequest {
  return typeof spec === 'string'
    ? Object.freeze({ specifier: spec, attributes: Object.freeze([] as ImportAttribute[]) })
    : spec;
}

/** A ModuleSourceRecord whose compiled code is written by hand, following the protocol. */
export function handSource(m: HandModule): ModuleSourceRecord {
  const url = m.url ?? 'memory:/hand';
  const requested = (m.requested ?? []).map(request);
  const find = (specifier: string): ModuleRequest =>
    requested.find((r) => r.specifier === specifier) ?? request(specifier);
  const imports = m.imports ?? [];
  const getters = m.getters ?? {};
  const getterNames = Object.keys(getters);
  const importNames = imports.map((i) => i.localName);
  const code =
    m.code ??
    `"use strict";(function*($rt){var $i=Object.create(null);${m.declarations ?? ''}` +
      `yield {getters:[${getterNames.map((n) => `()=>${getters[n]}`).join(',')}],` +
      `setImports:($v)=>{${importNames.map((n, k) => `$i[${JSON.stringify(n)}]=$v[${k}];`).join('')}}};\n` +
      `${m.body ?? ''}\n})\n//# sourceURL=${url}`;
  return Object.freeze({
    url,
    requestedModules: Object.freeze(requested),
    importEntries: Object.freeze(
      imports.map((i) =>
        Object.freeze({ moduleRequest: find(i.from), importName: i.importName, localName: i.localName }),
      ),
    ),
    localExportEntries: Object.freeze((m.localExports ?? []).map((e) => Object.freeze({ ...e }))),
    indirectExportEntries: Object.freeze(
      (m.indirectExports ?? []).map((e) =>
        Object.freeze({ exportName: e.exportName, moduleRequest: find(e.from), importName: e.importName }),
      ),
    ),
    starExportEntries: Object.freeze((m.starExports ?? []).map((s) => Object.freeze({ moduleRequest: find(s) }))),
    hasTLA: m.hasTLA ?? false,
    needsImport: false,
    needsImportMeta: false,
    bindings: Object.freeze([]),
    compiled: Object.freeze({ code, getterNames: Object.freeze(getterNames), importNames: Object.freeze(importNames) }),
  });
}

/** A graph of hand-compiled modules, keyed by specifier. */
export function handGraph(mods: Record<string, HandModule>, options: TextGraphOptions = {}): TextGraph {
  const t = options.realm ?? createTestRealm(options.hostHooks, options.evaluate);
  const records = new Map<string, SourceTextModuleRecord>();
  const modules = new Map<string, FakeModule>();
  const hookCalls: HookCall[] = [];
  const graph: TextGraph = {
    ...t,
    hookCalls,
    record(specifier: string): SourceTextModuleRecord {
      const name = nameOf(specifier);
      let record = records.get(name);
      if (!record) {
        const m = mods[name];
        if (m === undefined) throw new Error(`no module named ${name}`);
        const importHook = options.noHook?.includes(name)
          ? undefined
          : function (this: unknown, specifier: string, attributes: Record<string, string>): unknown {
              hookCalls.push({ referrer: name, specifier, attributes, self: this });
              if (options.importHook)
                return ReflectApplyHook(options.importHook, this, specifier, attributes, graph, name);
              return graph.module(specifier);
            };
        record = createSourceTextModuleRecord(handSource({ url: `memory:/${name}`, ...m }), t.realm, {
          importHook,
          importMetaHook: options.importMetaHook,
          handler: options.handler ?? { name },
        });
        records.set(name, record);
      }
      return record;
    },
    module(specifier: string): FakeModule {
      const name = nameOf(specifier);
      let m = modules.get(name);
      if (!m) {
        m = t.wrap(graph.record(name));
        modules.set(name, m);
      }
      return m;
    },
    importModule(name: string): Promise<Record<string, unknown>> {
      const capability = NewPromiseCapability();
      ContinueDynamicImport(capability, NormalCompletion(graph.record(name)));
      return capability.promise as Promise<Record<string, unknown>>;
    },
  };
  return graph;
}

/** The current value of binding `name` in `record`'s environment (throws in TDZ). */
export function binding(record: ModuleRecord, name: string): unknown {
  const env = record.environment;
  if (env === undefined) throw new Error('no environment');
  const getter = GetBindingGetter(env, name);
  if (getter === undefined) throw new Error(`no binding ${name}`);
  return getter();
}

/** The elements of a spec List (records/ Lists have a null prototype). */
export function list<T>(value: readonly T[]): T[] {
  return Array.from({ length: value.length }, (_, i) => value[i] as T);
}

/** Catches the rejection of `promise` (or undefined if it fulfils). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Outcome of running a graph: the log, and the error evaluation rejected with (if any). */
export interface RunOutcome {
  log: unknown[];
  error?: unknown;
}

/** Runs `texts` natively (vm.SourceTextModule): link, then evaluate, then `turns` macrotasks. */
export async function runNative(texts: Record<string, string>, entry: string, turns = 3): Promise<RunOutcome> {
  takeLog();
  const get = nativeModules(texts, 'native:/', nameOf);
  const outcome: RunOutcome = { log: [] };
  const m = get(entry);
  await m.link(get);
  const done = m.evaluate().catch((e: unknown) => {
    outcome.error = e;
  });
  await settle(turns);
  await done;
  outcome.log = takeLog();
  return outcome;
}

/** Runs the same graph through records/: LoadRequestedModules, Link, Evaluate, then `turns` macrotasks. */
export async function runRecords(texts: Record<string, string>, entry: string, turns = 3): Promise<RunOutcome> {
  takeLog();
  const g = textGraph(texts);
  const record = g.record(entry);
  await LoadRequestedModules(record);
  Link(record);
  const outcome: RunOutcome = { log: [] };
  const done = Evaluate(record).catch((e: unknown) => {
    outcome.error = e;
  });
  await settle(turns);
  await done;
  outcome.log = takeLog();
  return outcome;
}

declare global {
  var log: (...args: unknown[]) => void;
}

/**
 * The importHook's own error inside the error a load gets when the hook throws or rejects
 * (ERR_MODHOST_IMPORT_HOOK_FAILED, see LoadImportedModule's DEVIATION note).
 */
export function hookCause(reason: unknown): unknown {
  const error = reason as { code?: unknown; cause?: unknown };
  if (error?.code !== 'ERR_MODHOST_IMPORT_HOOK_FAILED') {
    throw new assert.AssertionError({ message: 'expected ERR_MODHOST_IMPORT_HOOK_FAILED', actual: reason });
  }
  return error.cause;
}
