/**
 * Scale: a chain of 100,000 modules must not overflow the call stack in InnerModuleLoading,
 * InnerModuleLinking, InnerModuleEvaluation, GetExportedNames, ResolveExport,
 * GatherAvailableAncestors or AsyncModuleExecutionRejected (each runs on an explicit stack).
 * The chain modules share one ModuleSourceRecord; the host maps each one's `next` to the next.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSourceTextModuleRecord,
  Evaluate,
  FinishLoadingImportedModule,
  GetModuleNamespace,
  type HostHooks,
  Link,
  LoadRequestedModules,
  NormalCompletion,
  type SourceTextModuleRecord,
} from '../../src/records/index.js';
import { createTestRealm, rejection, type TestRealm, textSource } from './fixtures.js';

const N = 100_000;

interface Chain {
  t: TestRealm;
  root: SourceTextModuleRecord;
  links: SourceTextModuleRecord[];
  leaf: SourceTextModuleRecord;
}

/**
 * root → link[0] → … → link[N-1] → leaf, all through the specifier 'next'. With `viaHook`, each
 * module's importHook answers (asynchronously, through a promise); otherwise the host hook
 * finishes each load synchronously.
 */
function chain(texts: { root: string; link: string; leaf: string }, viaHook: boolean): Chain {
  const next = new Map<SourceTextModuleRecord, SourceTextModuleRecord>();
  const hostHooks: Partial<HostHooks> = {
    HostLoadImportedModule(referrer, request, _h, payload) {
      FinishLoadingImportedModule(referrer, request, payload, NormalCompletion(next.get(referrer)!));
    },
  };
  const t = createTestRealm(hostHooks);
  const modules = new Map<SourceTextModuleRecord, object>();
  const make = (text: string, url: string) => {
    const source = textSource(text, url);
    return (): SourceTextModuleRecord => {
      let record!: SourceTextModuleRecord;
      const importHook = viaHook ? () => modules.get(next.get(record)!) : undefined;
      record = createSourceTextModuleRecord(source, t.realm, { importHook, handler: undefined });
      modules.set(record, t.wrap(record));
      return record;
    };
  };
  const makeLink = make(texts.link, 'memory:/link');
  const root = make(texts.root, 'memory:/root')();
  const leaf = make(texts.leaf, 'memory:/leaf')();
  const links: SourceTextModuleRecord[] = [];
  for (let i = 0; i < N; i++) links.push(makeLink());
  next.set(root, links[0]!);
  for (let i = 0; i < N - 1; i++) next.set(links[i]!, links[i + 1]!);
  next.set(links[N - 1]!, leaf);
  return { t, root, links, leaf };
}

declare global {
  var __seq: string[];
}

describe('100,000-module chains', () => {
  it('InnerModuleLoading (synchronous host), InnerModuleLinking, InnerModuleEvaluation', async () => {
    const c = chain(
      {
        root: `import 'next'; __seq.push('root');`,
        link: `import 'next'; __seq.push('link');`,
        leaf: `__seq.push('leaf');`,
      },
      false,
    );
    globalThis.__seq = [];
    await LoadRequestedModules(c.root);
    assert.equal(c.leaf.status, 'unlinked');
    Link(c.root);
    assert.equal(c.leaf.status, 'linked');
    assert.equal(c.links[N - 1]!.dfsIndex, N);
    await Evaluate(c.root);
    assert.equal(globalThis.__seq.length, N + 2);
    assert.equal(globalThis.__seq[0], 'leaf');
    assert.equal(globalThis.__seq[N + 1], 'root');
    assert.equal(c.links[0]!.status, 'evaluated');
    // The chain source was evaluated once.
    assert.equal(c.t.evaluated.filter((e) => e.url === 'memory:/link').length, 1);
  });

  it('GetExportedNames and ResolveExport through `export *` at every level', async () => {
    const c = chain(
      {
        root: `import * as ns from 'next'; import { deep } from 'next'; export { ns, deep };`,
        link: `export * from 'next';`,
        leaf: `export const deep = 'bottom';`,
      },
      false,
    );
    await LoadRequestedModules(c.root);
    Link(c.root);
    await Evaluate(c.root);
    const ns = GetModuleNamespace(c.root) as Record<string, Record<string, unknown>>;
    assert.equal(ns.deep as unknown, 'bottom');
    assert.deepEqual(Object.keys(ns.ns!), ['deep']);
    assert.equal(ns.ns!.deep, 'bottom');
  });

  it('InnerModuleLoading through importHooks (a promise job per load); GatherAvailableAncestors, TLA', async () => {
    const c = chain(
      {
        root: `import 'next'; __seq.push('root');`,
        link: `import 'next'; __seq.push('link');`,
        leaf: `await null; __seq.push('leaf');`,
      },
      true,
    );
    globalThis.__seq = [];
    await LoadRequestedModules(c.root);
    assert.equal(c.links[N - 1]!.status, 'unlinked');
    Link(c.root);
    const p = Evaluate(c.root);
    assert.equal(c.links[0]!.status, 'evaluating-async');
    await p;
    assert.equal(globalThis.__seq.length, N + 2);
    assert.equal(globalThis.__seq[0], 'leaf');
    assert.equal(globalThis.__seq[N + 1], 'root');
  });

  it('AsyncModuleExecutionRejected: a rejecting leaf fails 100,000 ancestors', async () => {
    const c = chain(
      { root: `import 'next';`, link: `import 'next';`, leaf: `await null; throw new Error('leaf failed');` },
      false,
    );
    await LoadRequestedModules(c.root);
    Link(c.root);
    const error = (await rejection(Evaluate(c.root))) as Error;
    assert.equal(error.message, 'leaf failed');
    assert.equal(c.links[0]!.evaluationError?.value, error);
    assert.equal(c.root.evaluationError?.value, error);
  });
});
