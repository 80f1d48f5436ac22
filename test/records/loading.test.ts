/**
 * 16.2.1.6.1.1 LoadRequestedModules / InnerModuleLoading / ContinueModuleLoading, the proposal's
 * LoadImportedModule, 16.2.1.11 FinishLoadingImportedModule, 16.2.1.9 GetImportedModule and
 * 16.2.1.12 AllImportAttributesSupported.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FinishLoadingImportedModule,
  type HostHooks,
  type LoadPayload,
  LoadRequestedModules,
  NormalCompletion,
  type SourceTextModuleRecord,
  ThrowCompletion,
} from '../../src/records/index.js';
import { GetImportedModule } from '../../src/records/loading.js';
import type { ModuleRequest } from '../../src/source/types.js';
import { hookCause, rejection, settle, type TextGraph, textGraph } from './fixtures.js';

/** A hook whose results the test settles by hand. */
function deferredHook() {
  const pending: {
    specifier: string;
    referrer: string;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const importHook = (
    specifier: string,
    _attrs: Record<string, string>,
    _graph: TextGraph,
    referrer: string,
  ): Promise<unknown> => new Promise((resolve, reject) => pending.push({ specifier, referrer, resolve, reject }));
  return { pending, importHook };
}

describe('16.2.1.6.1.1 LoadRequestedModules', () => {
  it('step 5 / 16.2.1.6.1.1.1 step 5.b: visited modules go from ~new~ to ~unlinked~ when loading ends', async () => {
    const hook = deferredHook();
    const g = textGraph({ main: `import './a'; import './b';`, a: ``, b: `` }, { importHook: hook.importHook });
    const main = g.record('main');
    assert.equal(main.status, 'new');
    let resolved = false;
    const promise = LoadRequestedModules(main).then(() => {
      resolved = true;
    });
    // 2.d.iii: both requests of main are issued in one pass, in [[RequestedModules]] order.
    assert.deepEqual(
      hook.pending.map((p) => p.specifier),
      ['./a', './b'],
    );
    hook.pending[0]!.resolve(g.module('a'));
    await settle();
    assert.equal(resolved, false);
    assert.equal(main.status, 'new');
    assert.equal(g.record('a').status, 'new');
    hook.pending[1]!.resolve(g.module('b'));
    await promise;
    assert.deepEqual([main.status, g.record('a').status, g.record('b').status], ['unlinked', 'unlinked', 'unlinked']);
  });

  it('16.2.1.6.1.1.1 step 2: a module loaded already, or not ~new~, is not visited again; cycles end', async () => {
    const g = textGraph({
      main: `import './a'; import './b';`,
      a: `import './b'; import './main';`,
      b: `import './a';`,
    });
    await LoadRequestedModules(g.record('main'));
    // Each (referrer, request) pair asks the hook once, in the order the depth-first walk meets them.
    assert.deepEqual(
      g.hookCalls.map((c) => `${c.referrer}->${c.specifier}`),
      ['main->./a', 'main->./b', 'a->./b', 'a->./main', 'b->./a'],
    );
    // A second LoadRequestedModules finds everything loaded: no hook call.
    await LoadRequestedModules(g.record('main'));
    assert.equal(g.hookCalls.length, 5);
  });

  it('16.2.1.6.1.1.1 step 2.d.ii: a dependency already in [[LoadedModules]] is walked, no hook call', async () => {
    const g = textGraph({ main: `import './a';`, a: `import './b';`, b: `` });
    await LoadRequestedModules(g.record('a'));
    assert.equal(g.record('b').status, 'unlinked');
    await LoadRequestedModules(g.record('main'));
    assert.deepEqual(
      g.hookCalls.map((c) => `${c.referrer}->${c.specifier}`),
      ['a->./b', 'main->./a'],
    );
    assert.equal(g.record('main').status, 'unlinked');
  });

  it('16.2.1.6.1.1.2 ContinueModuleLoading step 3: the first failure rejects; later ones are ignored', async () => {
    const hook = deferredHook();
    const g = textGraph(
      { main: `import './a'; import './b';`, a: ``, b: `import './c';`, c: `` },
      { importHook: hook.importHook },
    );
    const failure = new Error('a is missing');
    const promise = LoadRequestedModules(g.record('main'));
    hook.pending[0]!.reject(failure);
    assert.equal(hookCause(await rejection(promise)), failure);
    hook.pending[1]!.resolve(g.module('b'));
    await settle();
    // b's load finished after the failure: loading does not continue into b's dependencies.
    assert.deepEqual(
      hook.pending.map((p) => p.specifier),
      ['./a', './b'],
    );
    assert.equal(g.record('main').status, 'new');
    assert.equal(g.record('b').status, 'new');
  });

  it('16.2.1.6.2: a failed load leaves the importer ~new~, and loading can be retried', async () => {
    let fail = true;
    const g = textGraph(
      { main: `import './a';`, a: `` },
      {
        importHook(specifier, _attrs, graph) {
          if (fail) throw new Error('offline');
          return graph.module(specifier);
        },
      },
    );
    const error = await rejection(LoadRequestedModules(g.record('main')));
    assert.equal((hookCause(error) as Error).message, 'offline');
    assert.equal(g.record('main').status, 'new');
    fail = false;
    await LoadRequestedModules(g.record('main'));
    assert.equal(g.record('main').status, 'unlinked');
    assert.equal(g.hookCalls.length, 2);
  });
});

describe('LoadImportedModule (proposal) — importHook', () => {
  it('step 5: the hook is called with this = handler and (specifier, attributes object)', async () => {
    const handler = { tag: 'handler' };
    const g = textGraph(
      { main: `import './a' with { type: 'json', mode: 'x' }; import './b';`, a: ``, b: `` },
      { handler, hostHooks: { HostGetSupportedImportAttributes: () => ['type', 'mode'] } },
    );
    await LoadRequestedModules(g.record('main'));
    assert.equal(g.hookCalls.length, 2);
    assert.equal(g.hookCalls[0]!.self, handler);
    assert.equal(g.hookCalls[0]!.specifier, './a');
    assert.deepEqual({ ...g.hookCalls[0]!.attributes }, { mode: 'x', type: 'json' });
    assert.deepEqual(Object.keys(g.hookCalls[0]!.attributes), ['mode', 'type']);
    assert.deepEqual({ ...g.hookCalls[1]!.attributes }, {});
  });

  it('ModuleRequestsEqual keys the memo: the same specifier with other attributes is another request', async () => {
    const g = textGraph(
      { main: `import './a'; import './a' with { type: 'x' }; import { v } from './a';`, a: `export const v = 1;` },
      { hostHooks: { HostGetSupportedImportAttributes: () => ['type'] } },
    );
    await LoadRequestedModules(g.record('main'));
    assert.deepEqual(
      g.hookCalls.map((c) => `${c.specifier} ${JSON.stringify(c.attributes)}`),
      ['./a {}', './a {"type":"x"}'],
    );
  });

  it('step 2: concurrent loads of one request share one hook call ([[LoadingModules]])', async () => {
    const hook = deferredHook();
    const g = textGraph({ main: `import './a';`, a: `` }, { importHook: hook.importHook });
    const first = LoadRequestedModules(g.record('main'));
    const second = LoadRequestedModules(g.record('main'));
    assert.equal(hook.pending.length, 1);
    hook.pending[0]!.resolve(g.module('a'));
    await Promise.all([first, second]);
    assert.equal(hook.pending.length, 1);
    assert.equal(g.record('a').status, 'unlinked');
  });

  it('steps 5-6: a hook that throws fails the load with that error (as `cause`), which is not memoised', async () => {
    const failure = new Error('hook threw');
    let calls = 0;
    const g = textGraph(
      { main: `import './a';`, a: `` },
      {
        importHook(specifier, _a, graph) {
          calls++;
          if (calls === 1) throw failure;
          return graph.module(specifier);
        },
      },
    );
    assert.equal(hookCause(await rejection(LoadRequestedModules(g.record('main')))), failure);
    await LoadRequestedModules(g.record('main'));
    assert.equal(calls, 2);
  });

  it('steps 9-10: a hook that rejects fails the load with the reason (as `cause`), which is not memoised', async () => {
    const reason = { not: 'an error' };
    let calls = 0;
    const g = textGraph(
      { main: `import './a';`, a: `` },
      {
        importHook(specifier, _a, graph) {
          calls++;
          return calls === 1 ? Promise.reject(reason) : Promise.resolve(graph.module(specifier));
        },
      },
    );
    assert.equal(hookCause(await rejection(LoadRequestedModules(g.record('main')))), reason);
    await LoadRequestedModules(g.record('main'));
    assert.equal(calls, 2);
  });

  for (const [label, value] of [
    ['an ordinary object', {}],
    ['null', null],
    ['a number', 42],
    ['a record (not a Module instance)', undefined],
  ] as const) {
    it(`step 8.e: a hook fulfilling with ${label} fails with TypeError ERR_MODHOST_INVALID_HOOK_RESULT`, async () => {
      const g = textGraph(
        { main: `import './a';`, a: `` },
        { importHook: (_s, _a, graph) => (value === undefined ? graph.record('a') : value) },
      );
      const error = (await rejection(LoadRequestedModules(g.record('main')))) as Error & {
        code: string;
        specifier: string;
        referrer: string;
      };
      assert.ok(error instanceof TypeError);
      assert.equal(error.code, 'ERR_MODHOST_INVALID_HOOK_RESULT');
      assert.equal(error.specifier, './a');
      assert.equal(error.referrer, 'memory:/main');
      assert.match(error.message, /'\.\/a'.*memory:\/main/);
      // Not memoised: the next load asks again.
      await rejection(LoadRequestedModules(g.record('main')));
      assert.equal(g.hookCalls.length, 2);
    });
  }

  it('step 7: a thenable result is resolved like PromiseResolve + PerformPromiseThen', async () => {
    const g = textGraph(
      { main: `import './a';`, a: `` },
      { importHook: (s, _a, graph) => ({ then: (resolve: (v: unknown) => void) => resolve(graph.module(s)) }) },
    );
    await LoadRequestedModules(g.record('main'));
    assert.equal(g.record('a').status, 'unlinked');
  });

  it('a hook returning one Module for two specifiers: both requests map to one record, evaluated once', async () => {
    const g = textGraph(
      {
        main: `import { n as x } from './a'; import { n as y } from './alias'; log(x === y, x);`,
        a: `log('a'); export const n = 7;`,
      },
      { importHook: (_s, _a, graph) => graph.module('a') },
    );
    const main = g.record('main');
    await LoadRequestedModules(main);
    assert.equal(GetImportedModule(main, req('./a')), g.record('a'));
    assert.equal(GetImportedModule(main, req('./alias')), g.record('a'));
    const ns = await g.importModule('main');
    assert.deepEqual(Object.keys(ns), []);
    const { takeLog } = await import('./fixtures.js');
    assert.deepEqual(takeLog(), ['a', [true, 7]]);
  });
});

function req(specifier: string, attributes: { key: string; value: string }[] = []): ModuleRequest {
  return { specifier, attributes };
}

describe('16.2.1.10 HostLoadImportedModule (no importHook)', () => {
  it('defaultHostHooks: the load fails with TypeError ERR_MODHOST_NO_IMPORT_HOOK naming both modules', async () => {
    const g = textGraph({ main: `import './a';` }, { noHook: ['main'] });
    const error = (await rejection(LoadRequestedModules(g.record('main')))) as Error & {
      code: string;
      specifier: string;
      referrer: string;
    };
    assert.ok(error instanceof TypeError);
    assert.equal(error.code, 'ERR_MODHOST_NO_IMPORT_HOOK');
    assert.equal(error.specifier, './a');
    assert.equal(error.referrer, 'memory:/main');
    assert.match(error.message, /'\.\/a' imported from memory:\/main/);
  });

  it('the host hook receives (referrer, moduleRequest, hostDefined, payload); a sync finish continues', async () => {
    const seen: unknown[][] = [];
    let graphRef!: TextGraph;
    const hostHooks: Partial<HostHooks> = {
      HostLoadImportedModule(referrer, moduleRequest, hostDefined, payload) {
        seen.push([referrer.source.url, moduleRequest.specifier, hostDefined]);
        FinishLoadingImportedModule(
          referrer,
          moduleRequest,
          payload,
          NormalCompletion(graphRef.record(moduleRequest.specifier)),
        );
      },
    };
    const g = textGraph(
      { main: `import './a'; import './b';`, a: `import './b';`, b: `` },
      { hostHooks, noHook: ['main', 'a', 'b'] },
    );
    graphRef = g;
    const hostDefined = { fetchDestination: 'script' };
    await LoadRequestedModules(g.record('main'), hostDefined);
    assert.deepEqual(seen, [
      ['memory:/main', './a', hostDefined],
      ['memory:/a', './b', hostDefined],
      ['memory:/main', './b', hostDefined],
    ]);
    assert.equal(g.record('b').status, 'unlinked');
  });

  it('an asynchronous finish continues loading later; a throw completion rejects with its value', async () => {
    const failure = new Error('no such file');
    let graphRef!: TextGraph;
    const g = textGraph(
      { main: `import './a'; import './missing';`, a: `` },
      {
        noHook: ['main', 'a'],
        hostHooks: {
          HostLoadImportedModule(referrer, moduleRequest, _h, payload) {
            setImmediate(() =>
              FinishLoadingImportedModule(
                referrer,
                moduleRequest,
                payload,
                moduleRequest.specifier === './missing'
                  ? ThrowCompletion(failure)
                  : NormalCompletion(graphRef.record(moduleRequest.specifier)),
              ),
            );
          },
        },
      },
    );
    graphRef = g;
    assert.equal(await rejection(LoadRequestedModules(g.record('main'))), failure);
  });

  it('16.2.1.11: a payload may be finished once; a foreign payload is refused', async () => {
    let saved!: [SourceTextModuleRecord, ModuleRequest, LoadPayload];
    let graphRef!: TextGraph;
    const g = textGraph(
      { main: `import './a';`, other: `import './a';`, a: `` },
      {
        noHook: ['main', 'other', 'a'],
        hostHooks: {
          HostLoadImportedModule(referrer, moduleRequest, _h, payload) {
            saved = [referrer, moduleRequest, payload];
          },
        },
      },
    );
    graphRef = g;
    const promise = LoadRequestedModules(g.record('main'));
    const [referrer, request, payload] = saved;
    assert.throws(
      () => FinishLoadingImportedModule(g.record('other'), request, payload, NormalCompletion(graphRef.record('a'))),
      { name: 'TypeError', code: 'ERR_MODHOST_INVALID_ARGUMENT' },
    );
    assert.throws(
      () => FinishLoadingImportedModule(referrer, request, {} as LoadPayload, NormalCompletion(graphRef.record('a'))),
      {
        code: 'ERR_MODHOST_INVALID_ARGUMENT',
      },
    );
    FinishLoadingImportedModule(referrer, request, payload, NormalCompletion(graphRef.record('a')));
    await promise;
    assert.throws(
      () => FinishLoadingImportedModule(referrer, request, payload, NormalCompletion(graphRef.record('a'))),
      {
        code: 'ERR_MODHOST_INVALID_ARGUMENT',
        message: /called twice/,
      },
    );
  });

  it('a host hook that throws before finishing fails the load with that error', async () => {
    const failure = new Error('host bug');
    const g = textGraph(
      { main: `import './a';` },
      {
        noHook: ['main'],
        hostHooks: {
          HostLoadImportedModule() {
            throw failure;
          },
        },
      },
    );
    assert.equal(await rejection(LoadRequestedModules(g.record('main'))), failure);
  });
});

describe('16.2.1.12 AllImportAttributesSupported', () => {
  it('InnerModuleLoading step 2.d.i: an unsupported attribute key is a SyntaxError, without a hook call', async () => {
    const g = textGraph({ main: `import './a' with { mode: 'x' };`, a: `` });
    const error = (await rejection(LoadRequestedModules(g.record('main')))) as Error & {
      code: string;
      specifier: string;
      attribute: string;
    };
    assert.ok(error instanceof SyntaxError);
    assert.equal(error.code, 'ERR_MODHOST_UNSUPPORTED_ATTRIBUTE');
    assert.equal(error.specifier, './a');
    assert.equal(error.attribute, 'mode');
    assert.equal(g.hookCalls.length, 0);
  });

  it('defaultHostHooks support the "type" key (16.2.1.10 requires `type: "json"` loads)', async () => {
    const g = textGraph({ main: `import './a' with { type: 'json' };`, a: `` });
    await LoadRequestedModules(g.record('main'));
    assert.deepEqual(
      g.hookCalls.map((c) => ({ ...c.attributes })),
      [{ type: 'json' }],
    );
    const none = textGraph(
      { main: `import './a' with { type: 'json' };`, a: `` },
      { hostHooks: { HostGetSupportedImportAttributes: () => [] } },
    );
    assert.ok((await rejection(LoadRequestedModules(none.record('main')))) instanceof SyntaxError);
  });

  it('step 2: every key must be in HostGetSupportedImportAttributes()', async () => {
    const g = textGraph(
      { main: `import './a' with { type: 'json', other: 'x' };`, a: `` },
      { hostHooks: { HostGetSupportedImportAttributes: () => ['type'] } },
    );
    const error = (await rejection(LoadRequestedModules(g.record('main')))) as Error & { attribute: string };
    assert.equal(error.attribute, 'other');
  });
});

describe('16.2.1.9 GetImportedModule', () => {
  it('step 2: asking for a request that was not loaded is an internal error', async () => {
    const g = textGraph({ main: `import './a';`, a: `` });
    await LoadRequestedModules(g.record('main'));
    assert.equal(GetImportedModule(g.record('main'), req('./a')), g.record('a'));
    assert.throws(() => GetImportedModule(g.record('main'), req('./b')), { code: 'ERR_MODHOST_INTERNAL' });
    assert.throws(() => GetImportedModule(g.record('main'), req('./a', [{ key: 'type', value: 'json' }])), {
      code: 'ERR_MODHOST_INTERNAL',
    });
  });
});
