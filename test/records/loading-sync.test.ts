/**
 * LoadRequestedModulesSync: LoadRequestedModules whose outcome is read when InnerModuleLoading
 * returns (for hosts that finish every load inside HostLoadImportedModule).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSyntheticModuleRecord,
  FinishLoadingImportedModule,
  type HostHooks,
  LoadRequestedModulesSync,
  NormalCompletion,
  ThrowCompletion,
} from '../../src/records/index.js';
import { settle, type TextGraph, textGraph } from './fixtures.js';

/** How the test host finishes a load: now or later (by calling the function it queues), with a module or an error. */
interface Finish {
  readonly when: 'now' | 'later';
  readonly error?: Error;
}

/** A graph whose modules have no importHook: the host loads them (by default, before it returns). */
function syncHostGraph(texts: Record<string, string>, finish: (specifier: string) => Finish = () => ({ when: 'now' })) {
  const later: (() => void)[] = [];
  const calls: string[] = [];
  let graph: TextGraph | undefined;
  const HostLoadImportedModule: HostHooks['HostLoadImportedModule'] = (referrer, request, _hostDefined, payload) => {
    if (graph === undefined) throw new Error('graph not ready');
    const g = graph;
    calls.push(`${referrer.source.url}->${request.specifier}`);
    const decision = finish(request.specifier);
    const complete = () =>
      FinishLoadingImportedModule(
        referrer,
        request,
        payload,
        decision.error !== undefined ? ThrowCompletion(decision.error) : NormalCompletion(g.record(request.specifier)),
      );
    if (decision.when === 'later') later.push(complete);
    else complete();
  };
  graph = textGraph(texts, { noHook: Object.keys(texts), hostHooks: { HostLoadImportedModule } });
  return { graph, calls, later };
}

/** Runs `finish` (a queued host completion), lets promise jobs run, and returns the unhandled rejections seen. */
async function unhandledRejectionsOf(finish: (() => void) | undefined): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    assert.ok(finish !== undefined, 'the host queued a completion');
    finish();
    await settle(3);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return unhandled;
}

describe('LoadRequestedModulesSync', () => {
  it('loads a graph whose loads finish synchronously: normal outcome, every visited module ~unlinked~', () => {
    const { graph, calls } = syncHostGraph({ main: `import './a'; import './b';`, a: `import './b';`, b: `` });
    const outcome = LoadRequestedModulesSync(graph.record('main'));
    assert.equal(outcome.type, 'normal');
    assert.deepEqual(
      ['main', 'a', 'b'].map((name) => graph.record(name).status),
      ['unlinked', 'unlinked', 'unlinked'],
    );
    // InnerModuleLoading's depth-first order, one host call per (referrer, request).
    assert.deepEqual(calls, ['memory:/main->./a', 'memory:/a->./b', 'memory:/main->./b']);
  });

  it('a failed load is a throw outcome with the host’s error; the modules stay ~new~', () => {
    const failure = new Error('no such module');
    const { graph } = syncHostGraph({ main: `import './a'; import './b';`, a: ``, b: `` }, (specifier) =>
      specifier === './b' ? { when: 'now', error: failure } : { when: 'now' },
    );
    const outcome = LoadRequestedModulesSync(graph.record('main'));
    assert.equal(outcome.type, 'throw');
    assert.equal(outcome.type === 'throw' ? outcome.value : undefined, failure);
    assert.equal(graph.record('main').status, 'new');
  });

  it('a load finished later is a pending outcome; finishing it afterwards neither throws nor rejects', async () => {
    const { graph, later } = syncHostGraph({ main: `import './a';`, a: `` }, () => ({ when: 'later' }));
    const outcome = LoadRequestedModulesSync(graph.record('main'));
    assert.equal(outcome.type, 'pending');
    assert.equal(later.length, 1);
    assert.deepEqual(await unhandledRejectionsOf(later[0]), []);
    // The process went on in the background and completed the graph.
    assert.equal(graph.record('main').status, 'unlinked');
    assert.equal(outcome.type, 'pending');
  });

  it('a module with an importHook is pending: the hook’s result is always awaited', () => {
    const graph = textGraph({ main: `import './a';`, a: `` });
    assert.equal(LoadRequestedModulesSync(graph.record('main')).type, 'pending');
  });

  it('a load that fails after a pending outcome leaves no unhandled rejection behind', async () => {
    const failure = new Error('failed later');
    const { graph, later } = syncHostGraph({ main: `import './a';`, a: `` }, () => ({ when: 'later', error: failure }));
    const outcome = LoadRequestedModulesSync(graph.record('main'));
    assert.equal(outcome.type, 'pending');
    assert.equal(later.length, 1);
    assert.deepEqual(await unhandledRejectionsOf(later[0]), []);
    assert.equal(graph.record('main').status, 'new');
  });

  it('a Synthetic Module Record has nothing to load: normal outcome', () => {
    const { graph } = syncHostGraph({ main: `` });
    const synthetic = createSyntheticModuleRecord(['x'], () => {}, graph.realm, { url: 'memory:/synthetic' });
    assert.equal(LoadRequestedModulesSync(synthetic).type, 'normal');
  });

  it('a module already loaded needs no host call the second time', () => {
    const { graph, calls } = syncHostGraph({ main: `import './a';`, a: `` });
    assert.equal(LoadRequestedModulesSync(graph.record('main')).type, 'normal');
    assert.equal(LoadRequestedModulesSync(graph.record('main')).type, 'normal');
    assert.deepEqual(calls, ['memory:/main->./a']);
  });
});
