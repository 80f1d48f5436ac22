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
  ReadyForSyncExecution,
} from '../../src/records/phases.js';
import { binding, list, openGate, rejection, resetGates, settle, takeLog, textGraph } from './fixtures.js';

function withSource<T extends { moduleSourceObject: object | undefined }>(record: T, tag: string): object {
  const source = { tag };
  record.moduleSourceObject = source;
  return source;
}

describe('source phase imports', () => {
  it('InnerModuleLoading ~single~: the source module is loaded, its dependencies are not', async () => {
    const g = textGraph({
      main: "import source s from 'dep'; log('main'); export { s };",
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
    assert.equal(binding(g.record('main'), 's'), source);
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
