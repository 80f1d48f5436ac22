/**
 * The records/ side of the import phase proposals, derived step by step from their spec texts
 * (V8 in Node 20 has neither syntax, so no oracle):
 * - source phase imports (tc39/proposal-source-phase-imports): InnerModuleLoading's _loadType_
 *   ~single~, InnerModuleLinking / InnerModuleEvaluation skipping ~source~ requests,
 *   InitializeEnvironment binding GetModuleSource(), ContinueDynamicImport with ~source~;
 * - import defer (tc39/proposal-defer-import-eval): InnerModuleEvaluation's _evaluationList_ with
 *   GatherAsynchronousTransitiveDependencies, GetModuleNamespace(module, ~defer~), the deferred
 *   namespace's internal methods (IsSymbolLikeNamespaceKey, GetModuleExportsList,
 *   EnsureDeferredNamespaceEvaluation → EvaluateModuleSync with ReadyForSyncExecution).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Evaluate, Link, LoadRequestedModules } from '../../src/records/index.js';
import { GetModuleNamespace } from '../../src/records/namespace.js';
import {
  GatherAsynchronousTransitiveDependencies,
  GetModuleSource,
  IsModuleSCCEvaluated,
  ReadyForSyncExecution,
} from '../../src/records/phases.js';
import { binding, failGate, list, openGate, rejection, resetGates, settle, takeLog, textGraph } from './fixtures.js';

function withSource<T extends { moduleSourceObject: object | undefined }>(record: T, tag: string): object {
  const source = { tag };
  record.moduleSourceObject = source;
  return source;
}

describe('source phase imports', () => {
  it('InnerModuleLoading ~single~: the source module is loaded, its dependencies are not', async () => {
    const g = textGraph({
      main: "import source s from 'dep'; log('main'); export const t = s; export { s };",
      dep: "import 'inner'; log('dep');",
      inner: "log('inner');",
    });
    const source = withSource(g.record('dep'), 'dep');
    await LoadRequestedModules(g.record('main'));
    assert.deepEqual(
      g.hookCalls.map((c) => `${c.referrer}->${c.specifier}`),
      ['main->dep'],
    );
    // 5.b only [[Visited]] modules become ~unlinked~: dep was never visited (loadType ~single~).
    assert.equal(g.record('main').status, 'unlinked');
    assert.equal(g.record('dep').status, 'new');
    Link(g.record('main'));
    // InnerModuleLinking 9.a: ~source~ requests are not linked.
    assert.equal(g.record('dep').status, 'new');
    await Evaluate(g.record('main'));
    // InnerModuleEvaluation: ~source~ requests are not evaluated.
    assert.deepEqual(takeLog(), ['main']);
    // InitializeEnvironment: the binding holds GetModuleSource().
    assert.equal(binding(g.record('main'), 't'), source);
    // The re-export `export { s }` is the indirect entry { dep, ~source~ } (tc39/proposal-source-phase-imports#76):
    // namespace [[Get]] gives GetModuleSource() of dep.
    assert.equal((GetModuleNamespace(g.record('main')) as { s?: unknown }).s, source);
  });

  it('[[RequestedModules]] keeps one entry per (request, phase); [[LoadedModules]] shares the module', async () => {
    const g = textGraph({
      main: "import source s from 'dep'; import { x } from 'dep'; import source t from 'dep'; log(x, s === t);",
      dep: "log('dep'); export const x = 1;",
    });
    withSource(g.record('dep'), 'dep');
    assert.deepEqual(
      g.record('main').requestedModules.map((r) => [r.specifier, r.phase ?? 'evaluation']),
      [
        ['dep', 'source'],
        ['dep', 'evaluation'],
      ],
    );
    await g.importModule('main');
    // One hook call: HostLoadImportedModule's result "must not be affected by [[Phase]]".
    assert.equal(g.hookCalls.length, 1);
    assert.deepEqual(takeLog(), ['dep', [1, true]]);
  });

  it('requests that differ only in phase share one in-flight load, and each continues in its own phase', async () => {
    const g = textGraph(
      {
        main: "import source s from 'dep'; import 'dep'; export { s };",
        dep: "import 'inner'; log('dep');",
        inner: "log('inner');",
      },
      // An asynchronous hook: the evaluation request finds the source request's load in progress.
      { importHook: (specifier, _attributes, graph) => Promise.resolve(graph.module(specifier)) },
    );
    const source = withSource(g.record('dep'), 'dep');
    const ns = await g.importModule('main');
    // One hook call for 'dep' ([[LoadingModules]] keyed without the phase); the ~evaluation~
    // continuation loaded dep's own dependency, the ~source~ one alone would not have.
    assert.deepEqual(
      g.hookCalls.map((c) => `${c.referrer}->${c.specifier}`),
      ['main->dep', 'dep->inner'],
    );
    assert.deepEqual(takeLog(), ['inner', 'dep']);
    assert.equal(ns.s, source);
  });

  it('a module without a source: GetModuleSource throws a SyntaxError in linking; importer is ~unlinked~', async () => {
    const g = textGraph({ main: "import source s from 'dep';", dep: 'export {};' });
    await LoadRequestedModules(g.record('main'));
    assert.throws(
      () => Link(g.record('main')),
      (e: Error & { code?: string }) => e instanceof SyntaxError && e.code === 'ERR_MODHOST_NO_MODULE_SOURCE',
    );
    assert.equal(g.record('main').status, 'unlinked');
    assert.throws(() => GetModuleSource(g.record('dep')), SyntaxError);
  });

  it('a re-exported source of a module without one: the re-exporter fails to link with the SyntaxError', async () => {
    const g = textGraph({
      main: "import { s } from 'r';",
      r: "import source s from 'dep'; export { s };",
      dep: 'export {};',
    });
    await LoadRequestedModules(g.record('main'));
    assert.throws(() => Link(g.record('main')), { name: 'SyntaxError', code: 'ERR_MODHOST_NO_MODULE_SOURCE' });
    assert.equal(g.record('main').status, 'unlinked');
    assert.equal(g.record('r').status, 'unlinked');
  });

  it('import.source(): ContinueDynamicImport with ~source~ settles with the source, loads nothing more', async () => {
    const g = textGraph({
      main: "export const p = import.source('dep'); export const q = import.source('nosource');",
      dep: "import 'inner'; log('dep');",
      inner: "log('inner');",
      nosource: 'export {};',
    });
    const source = withSource(g.record('dep'), 'dep');
    const ns = await g.importModule('main');
    assert.equal(await (ns.p as Promise<unknown>), source);
    assert.ok((await rejection(ns.q as Promise<unknown>)) instanceof SyntaxError);
    assert.deepEqual(
      g.hookCalls.map((c) => `${c.referrer}->${c.specifier}`),
      ['main->dep', 'main->nosource'],
    );
    assert.deepEqual(takeLog(), []);
  });

  it('a source import and an evaluation import of one module in one graph: it is still loaded and run', async () => {
    const g = textGraph({
      main: "import source s from 'dep'; import 'other'; log('main');",
      other: "import { x } from 'dep'; log('other', x);",
      dep: "import 'inner'; log('dep'); export const x = 2;",
      inner: "log('inner');",
    });
    withSource(g.record('dep'), 'dep');
    await g.importModule('main');
    assert.deepEqual(takeLog(), ['inner', 'dep', ['other', 2], 'main']);
  });
});

describe('import defer', () => {
  it('the deferred graph is loaded and linked eagerly and evaluated on first string-keyed access', async () => {
    const g = textGraph({
      main: "import defer * as ns from 'dep'; log('main'); export function read() { return ns.x; } export { ns };",
      dep: "import 'inner'; log('dep'); export const x = 3;",
      inner: "log('inner');",
    });
    const ns = await g.importModule('main');
    assert.deepEqual(takeLog(), ['main']);
    assert.equal(g.record('dep').status, 'linked');
    assert.equal(g.record('inner').status, 'linked');
    assert.equal((ns.read as () => number)(), 3);
    // EvaluateModuleSync: the whole deferred graph, synchronously, in the usual order.
    assert.deepEqual(takeLog(), ['inner', 'dep']);
    assert.equal(g.record('dep').status, 'evaluated');
    assert.equal((ns.read as () => number)(), 3);
    assert.deepEqual(takeLog(), []);
  });

  it('deferred namespace: tag, `then`, Symbols and the invariant-free methods do not evaluate', async () => {
    const g = textGraph({
      main: "import defer * as ns from 'dep'; import * as plain from 'dep2'; export { ns, plain };",
      dep: "log('dep'); export const x = 1; export function then() {}",
      dep2: 'export const y = 2;',
    });
    const main = await g.importModule('main');
    const ns = main.ns as Record<string | symbol, unknown>;
    takeLog();
    assert.equal(Object.prototype.toString.call(ns), '[object Deferred Module]');
    assert.equal(ns[Symbol.toStringTag], 'Deferred Module');
    assert.equal(ns.then, undefined); // IsSymbolLikeNamespaceKey: "then" is not an export here
    assert.equal('then' in ns, false);
    assert.equal(Object.getOwnPropertyDescriptor(ns, 'then'), undefined);
    assert.equal(Object.getPrototypeOf(ns), null);
    assert.equal(Object.isExtensible(ns), false);
    assert.equal(Reflect.set(ns, 'x', 2), false);
    assert.deepEqual(takeLog(), []);
    // A string key evaluates (even one that is not exported).
    assert.equal(ns.nope, undefined);
    assert.deepEqual(takeLog(), ['dep']);
    assert.deepEqual(Object.keys(ns), ['x']);
    assert.equal(Object.prototype.toString.call(main.plain), '[object Module]');
  });

  it('each string-keyed internal method evaluates ([[HasProperty]], [[OwnPropertyKeys]], …)', async () => {
    const probes: [string, (ns: object) => unknown][] = [
      ['has', (ns) => 'x' in ns],
      ['ownKeys', (ns) => Reflect.ownKeys(ns)],
      ['getOwnPropertyDescriptor', (ns) => Object.getOwnPropertyDescriptor(ns, 'x')],
      ['deleteProperty', (ns) => Reflect.deleteProperty(ns, 'y')],
      ['defineProperty', (ns) => Reflect.defineProperty(ns, 'x', { writable: true })],
    ];
    for (const [name, probe] of probes) {
      const g = textGraph({
        main: "import defer * as ns from 'dep'; export { ns };",
        dep: "log('dep'); export const x = 1;",
      });
      const ns = (await g.importModule('main')).ns as object;
      takeLog();
      probe(ns);
      assert.deepEqual(takeLog(), ['dep'], name);
    }
  });

  it('GetModuleNamespace(module, ~defer~) is a separate object, created once', async () => {
    const g = textGraph({
      main:
        "import defer * as a from 'dep'; import defer * as b from 'dep'; import * as c from 'dep'; export " +
        'const same = a === b; export const other = a !== c;',
      dep: 'export const x = 1;',
    });
    const ns = await g.importModule('main');
    assert.equal(ns.same, true);
    assert.equal(ns.other, true);
    assert.equal(GetModuleNamespace(g.record('dep'), 'defer'), GetModuleNamespace(g.record('dep'), 'defer'));
  });

  it('asynchronous dependencies of the deferred module are evaluated eagerly, before the importer', async () => {
    resetGates();
    const g = textGraph({
      main: "import defer * as ns from 'dep'; log('main'); export { ns };",
      dep: "import 'tla'; import 'sync'; log('dep'); export const x = 1;",
      tla: "log('tla start'); await gate('t'); log('tla end');",
      sync: "log('sync');",
    });
    const done = g.importModule('main');
    await settle();
    assert.deepEqual(takeLog(), ['tla start']);
    openGate('t');
    const ns = (await done).ns as Record<string, unknown>;
    // 12.b: only GatherAsynchronousTransitiveDependencies(dep) = « tla » ran; dep and sync wait.
    assert.deepEqual(takeLog(), ['tla end', 'main']);
    assert.equal(ns.x, 1);
    assert.deepEqual(takeLog(), ['sync', 'dep']);
  });

  it('GatherAsynchronousTransitiveDependencies: TLA modules depth-first, no duplicates or evaluated ones', async () => {
    const g = textGraph({
      root: "import 'a'; import 'b';",
      a: "import 'c'; await 0;",
      b: "import 'c'; import 'd';",
      c: 'await 0;',
      d: 'export {};',
    });
    await LoadRequestedModules(g.record('root'));
    Link(g.record('root'));
    // a has TLA: itself, not its dependencies (step 7); c is found through b only once.
    assert.deepEqual(
      list(GatherAsynchronousTransitiveDependencies(g.record('root'))).map(
        (m) => (m as { source: { url: string } }).source.url,
      ),
      ['memory:/a', 'memory:/c'],
    );
    await Evaluate(g.record('c'));
    assert.deepEqual(
      list(GatherAsynchronousTransitiveDependencies(g.record('root'))).map(
        (m) => (m as { source: { url: string } }).source.url,
      ),
      ['memory:/a'],
    );
  });

  it('deep deferred graphs: gathering, ReadyForSyncExecution and the access run without recursion', async () => {
    const depth = 12000;
    const texts: Record<string, string> = { main: "import defer * as ns from 'm0'; export { ns };" };
    for (let i = 0; i < depth; i++)
      texts[`m${i}`] = i + 1 < depth ? `import 'm${i + 1}'; export const v = ${i};` : `export const v = ${i};`;
    const g = textGraph(texts);
    const ns = (await g.importModule('main')).ns as Record<string, unknown>;
    assert.equal(list(GatherAsynchronousTransitiveDependencies(g.record('m0'))).length, 0);
    assert.equal(ReadyForSyncExecution(g.record('m0')), true);
    assert.equal(ns.v, 0);
    assert.equal(g.record(`m${depth - 1}`).status, 'evaluated');
  });

  it('ReadyForSyncExecution: false for a module with TLA in its graph or one that is evaluating', async () => {
    const g = textGraph({ root: "import 'sync'; import 'async';", sync: 'export {};', async: 'await 0;' });
    await LoadRequestedModules(g.record('root'));
    Link(g.record('root'));
    assert.equal(ReadyForSyncExecution(g.record('sync')), true);
    assert.equal(ReadyForSyncExecution(g.record('async')), false);
    assert.equal(ReadyForSyncExecution(g.record('root')), false);
  });

  it('access while synchronous evaluation is impossible (needs the evaluating importer): TypeError', async () => {
    const g = textGraph({
      main: "import defer * as ns from 'dep'; let error; try { ns.x; } catch (e) { error = e; } export { error, ns };",
      dep: "import 'main'; export const x = 1;",
    });
    const ns = await g.importModule('main');
    const error = ns.error as Error & { code?: string };
    assert.ok(error instanceof TypeError);
    assert.equal(error.code, 'ERR_MODHOST_DEFERRED_NOT_READY');
    // Once main has finished, the deferred module can evaluate.
    assert.equal((ns.ns as Record<string, unknown>).x, 1);
  });

  it('access while the deferred module is evaluating asynchronously throws TypeError', async () => {
    resetGates();
    const g = textGraph({
      first: "import 'dep';",
      dep: "await gate('d'); export const x = 1;",
      later: "import defer * as ns from 'dep'; export { ns };",
    });
    const first = g.importModule('first');
    await settle();
    assert.equal(g.record('dep').status, 'evaluating-async');
    // A deferred namespace of a module that is ~evaluating-async~: ReadyForSyncExecution step 5.
    await LoadRequestedModules(g.record('later'));
    Link(g.record('later'));
    const ns = GetModuleNamespace(g.record('dep'), 'defer') as Record<string, unknown>;
    assert.throws(() => ns.x, TypeError);
    openGate('d');
    await first;
    assert.equal(ns.x, 1);
  });

  it('an evaluation error is rethrown on every access, the same object', async () => {
    const g = textGraph({
      main: "import defer * as ns from 'dep'; export { ns };",
      dep: "throw new RangeError('boom'); export const x = 1;",
    });
    const ns = (await g.importModule('main')).ns as Record<string, unknown>;
    let first: unknown;
    try {
      ns.x;
    } catch (e) {
      first = e;
    }
    assert.ok(first instanceof RangeError);
    assert.throws(
      () => ns.x,
      (e: unknown) => e === first,
    );
    assert.throws(
      () => Object.keys(ns),
      (e: unknown) => e === first,
    );
  });

  it('import.defer(): loads, links, evaluates only the asynchronous part; resolves to deferred namespace', async () => {
    const g = textGraph({
      main: "export const p = import.defer('dep');",
      dep: "import 'tla'; log('dep'); export const x = 5;",
      tla: "await 0; log('tla');",
    });
    const ns = await g.importModule('main');
    const deferred = (await (ns.p as Promise<Record<string, unknown>>)) as Record<string | symbol, unknown>;
    assert.deepEqual(takeLog(), ['tla']);
    assert.equal(deferred[Symbol.toStringTag], 'Deferred Module');
    assert.equal(deferred.x, 5);
    assert.deepEqual(takeLog(), ['dep']);
  });
});

/** The URL-less names of a List of module records. */
function namesOf(modules: readonly unknown[]): string[] {
  return list(modules).map((m) => (m as { source: { url: string } }).source.url.slice('memory:/'.length));
}

describe('import defer and asynchronous cycles (tc39/proposal-defer-import-eval#85, #86)', () => {
  // The graph of proposal issue #84 / test262 import-defer async-cycle-dependency-of-deferred-module:
  // A (top-level await) and B import each other; D imports B; Middle defers D.
  const cycle = {
    a: "import 'b'; log('A-before-await'); await gate('blocker'); log('A-after-await');",
    b: "import 'a'; log('B');",
    d: "import 'b'; log('D'); export const z = 'z';",
    middle: "import defer * as nsD from 'd'; log('Middle-before-nsD.z'); log(nsD.z); log('Middle-after-nsD.z');",
  };

  it('IsModuleSCCEvaluated: a cycle member that ran is ~evaluated~, its SCC only once the root is', async () => {
    resetGates();
    const g = textGraph(cycle);
    const pa = g.importModule('a');
    await settle();
    assert.deepEqual(takeLog(), ['B', 'A-before-await']);
    const b = g.record('b');
    assert.equal(b.status, 'evaluated');
    assert.equal(b.cycleRoot, g.record('a'));
    assert.equal(g.record('a').status, 'evaluating-async');
    assert.equal(IsModuleSCCEvaluated(b), false);
    assert.equal(IsModuleSCCEvaluated(g.record('a')), false);
    // GatherAsynchronousTransitiveDependencies step 6 goes past B to its cycle root A (step 7).
    await LoadRequestedModules(g.record('d'));
    Link(g.record('d'));
    assert.deepEqual(namesOf(GatherAsynchronousTransitiveDependencies(g.record('d'))), ['a']);
    // ReadyForSyncExecution: B is ~evaluated~ but not its SCC (step 7 admits it), and A is
    // ~evaluating-async~.
    assert.equal(ReadyForSyncExecution(b), false);
    assert.equal(ReadyForSyncExecution(g.record('d')), false);
    openGate('blocker');
    await pa;
    assert.equal(IsModuleSCCEvaluated(b), true);
    assert.equal(ReadyForSyncExecution(g.record('d')), true);
    assert.deepEqual(namesOf(GatherAsynchronousTransitiveDependencies(g.record('d'))), []);
  });

  it('an importer that defers D waits for the whole cycle, then the access evaluates D alone', async () => {
    resetGates();
    takeLog();
    const g = textGraph({ ...cycle, c: "import 'middle'; log('C');" });
    const pa = g.importModule('a');
    await settle();
    const pc = g.importModule('c');
    await settle();
    // Middle's _evaluationList_ holds A (not B, which ran): Middle waits for A.
    assert.deepEqual(takeLog(), ['B', 'A-before-await']);
    openGate('blocker');
    await Promise.all([pa, pc]);
    assert.deepEqual(takeLog(), ['A-after-await', 'Middle-before-nsD.z', 'D', 'z', 'Middle-after-nsD.z', 'C']);
  });

  it('a read while the cycle root is pending is the TypeError; once it finished, the read evaluates', async () => {
    resetGates();
    // X runs inside the cycle {A, X} before A (top-level await) finishes; its function reads the
    // deferred namespace of D, which needs X, whose SCC is not evaluated yet.
    const g = textGraph({
      a:
        "import { read } from 'x'; await gate('a'); " +
        'try { log(read()); } catch (e) { log(e.constructor.name, e.code); }',
      x: "import 'a'; import defer * as d from 'd'; export function read() { return d.v; } log('x');",
      d: "import 'x'; log('d'); export const v = 'dv';",
    });
    takeLog();
    const pa = g.importModule('a');
    await settle();
    assert.equal(g.record('x').status, 'evaluated');
    assert.equal(g.record('a').status, 'evaluating-async');
    openGate('a');
    await pa;
    // Before tc39/proposal-defer-import-eval#85 this reached Evaluate(d) with D's dependency X
    // ~evaluated~ and its cycle root A ~evaluating-async~, leaving D ~evaluating-async~: the
    // EvaluateModuleSync invariant "the promise is settled" broke.
    assert.deepEqual(takeLog(), ['x', ['TypeError', 'ERR_MODHOST_DEFERRED_NOT_READY']]);
    assert.equal(g.record('d').status, 'linked');
    const x = await g.importModule('x');
    assert.equal((x.read as () => string)(), 'dv');
    assert.deepEqual(takeLog(), ['d']);
  });

  it('a read after the cycle root failed, while a member still awaits, throws the root error', async () => {
    // ReadyForSyncExecution step 5 accepts M (its SCC's root R is ~evaluated~, with an error)
    // although M's own top-level await is still running: Evaluate(M) gives R's rejected promise,
    // so EvaluateModuleSync throws R's error (V8 does the same; found by the fuzzer).
    resetGates();
    takeLog();
    const g = textGraph({
      r: "import 'fail'; import 'm'; log('r');",
      fail: "await gate('fail');",
      m: "import 'r'; await gate('m'); export const v = 'mv';",
      reader: "import defer * as ns from 'm'; export function read() { return ns.v; }",
    });
    const pr = g.importModule('r');
    await settle();
    const failure = new Error('fail');
    failGate('fail', failure);
    assert.equal(await rejection(pr), failure);
    assert.equal(g.record('r').status, 'evaluated');
    assert.equal(g.record('m').status, 'evaluating-async');
    const reader = await g.importModule('reader');
    const read = reader.read as () => unknown;
    assert.throws(read, (e) => e === failure);
    assert.equal(g.record('m').status, 'evaluating-async');
    openGate('m');
    await settle();
    assert.equal(g.record('m').status, 'evaluated');
    assert.throws(read, (e) => e === failure);
    assert.deepEqual(takeLog(), []);
  });

  it('import.defer() of D while the cycle root is pending waits for it (Gather… gives « A »)', async () => {
    resetGates();
    takeLog();
    const g = textGraph({ ...cycle, main: "export const p = import.defer('d');" });
    const pa = g.importModule('a');
    await settle();
    const main = await g.importModule('main');
    let settled = false;
    const p = (main.p as Promise<Record<string, unknown>>).then((ns) => {
      settled = true;
      return ns;
    });
    await settle();
    assert.equal(settled, false);
    openGate('blocker');
    const ns = await p;
    assert.deepEqual(takeLog(), ['B', 'A-before-await', 'A-after-await']);
    assert.equal(ns.z, 'z');
    assert.deepEqual(takeLog(), ['D']);
    await pa;
  });
});

describe('import.defer() waits with SafePerformPromiseAll (tc39/proposal-defer-import-eval#77)', () => {
  it('calls no Promise.prototype.then and reads no `then` of a promise', async () => {
    resetGates();
    const g = textGraph({
      main: "export const start = () => import.defer('dep');",
      dep: "import 'tla'; import 'tla2'; log('dep'); export const x = 1;",
      tla: "log('tla start'); await gate('tla'); log('tla end');",
      tla2: "await 0; log('tla2');",
    });
    const main = await g.importModule('main');
    takeLog();
    const originalThen = Promise.prototype.then;
    const descriptor = Object.getOwnPropertyDescriptor(Promise.prototype, 'then') as PropertyDescriptor;
    let calls = 0;
    let reads = 0;
    const patched = function (this: Promise<unknown>, ...args: unknown[]) {
      calls++;
      return Reflect.apply(originalThen, this, args);
    };
    Object.defineProperty(Promise.prototype, 'then', {
      configurable: true,
      get() {
        reads++;
        return patched;
      },
    });
    let p: Promise<unknown>;
    try {
      p = (main.start as () => Promise<unknown>)();
      await new Promise((resolve) => setImmediate(resolve));
      openGate('tla');
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      Object.defineProperty(Promise.prototype, 'then', descriptor);
    }
    // (the `await`s of this test use the real then only once it is restored)
    assert.equal(calls, 0);
    assert.equal(reads, 0);
    const ns = (await p) as Record<string, unknown>;
    assert.deepEqual(takeLog(), ['tla start', 'tla2', 'tla end']);
    assert.equal(ns.x, 1);
    assert.deepEqual(takeLog(), ['dep']);
  });

  it('an empty evaluation list settles without waiting for any evaluation (step 6.e.ii)', async () => {
    const g = textGraph({ main: "export const p = import.defer('dep');", dep: "log('dep'); export const x = 1;" });
    const ns = await g.importModule('main');
    const deferred = (await (ns.p as Promise<Record<string, unknown>>)) as Record<string | symbol, unknown>;
    assert.deepEqual(takeLog(), []);
    assert.equal(deferred.x, 1);
    assert.deepEqual(takeLog(), ['dep']);
  });

  it('a rejected asynchronous dependency rejects the import.defer() promise with its error', async () => {
    resetGates();
    const g = textGraph({
      main: "export const p = import.defer('dep');",
      dep: "import 'tla'; log('dep'); export const x = 1;",
      tla: "await 0; throw new Error('tla failed');",
    });
    const ns = await g.importModule('main');
    const error = (await rejection(ns.p as Promise<unknown>)) as Error;
    assert.equal(error.message, 'tla failed');
    assert.deepEqual(takeLog(), []);
  });
});
