/**
 * Hostile hooks: importHooks that throw, reject, never settle, return non-Modules or the same
 * Module for different specifiers, re-enter importModule, or change after construction; and
 * 1,000 concurrent importModule calls on overlapping graphs. Every case must end in a clear
 * error or the right namespace: no crash, no unhandled rejection, no hang, and a retry after a
 * failure works.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importModule, Module, ModuleSource } from '../../src/index.js';
import { hookFailureCause } from '../api/helpers.js';
import { detectUnhandled, moduleLog, noHang, rejectionOf, scriptedGraph, stateOf, turns } from './harness.js';

describe('hostile importHooks', () => {
  detectUnhandled();

  it('a hook that throws synchronously rejects the import with that value; a retry calls it again, works', async () => {
    for (const thrown of [new RangeError('sync'), 'a string', undefined, Symbol('s'), null]) {
      const g = scriptedGraph({ main: `import { x } from 'dep'; export default x;`, dep: `export const x = 1;` });
      g.script.set('dep', () => {
        throw thrown;
      });
      const reason = await noHang(rejectionOf(importModule(g.get('main'))));
      assert.equal(hookFailureCause(reason, 'dep', 'memory:/main'), thrown);
      g.script.delete('dep');
      const ns = await noHang(importModule(g.get('main')));
      assert.equal(ns.default, 1);
      assert.deepEqual(g.calls, ['main->dep', 'main->dep']);
    }
  });

  it('a hook that rejects (or returns a rejecting thenable) rejects the import; a retry works', async () => {
    const failure = new Error('rejected');
    const g = scriptedGraph({ main: `import 'a'; import 'b'; export default 2;`, a: ``, b: `` });
    g.script.set('a', () => Promise.reject(failure));
    g.script.set('b', () => ({ then: (_: unknown, reject: (e: unknown) => void) => reject(failure) }));
    assert.equal(hookFailureCause(await noHang(rejectionOf(importModule(g.get('main'))))), failure);
    g.script.clear();
    assert.equal((await noHang(importModule(g.get('main')))).default, 2);
  });

  it('a hook whose thenable throws from `then`, or has a throwing `then` getter, rejects cleanly', async () => {
    const failure = new Error('then getter');
    const g = scriptedGraph({ main: `import 'a'; export default 3;`, a: `` });
    g.script.set('a', () => ({
      get then() {
        throw failure;
      },
    }));
    assert.equal(hookFailureCause(await noHang(rejectionOf(importModule(g.get('main'))))), failure);
    g.script.set('a', () => ({
      then() {
        throw failure;
      },
    }));
    assert.equal(hookFailureCause(await noHang(rejectionOf(importModule(g.get('main'))))), failure);
    g.script.clear();
    assert.equal((await noHang(importModule(g.get('main')))).default, 3);
  });

  it('non-Module results reject with ERR_MODHOST_INVALID_HOOK_RESULT (a TypeError naming the specifier)', async () => {
    const fake = () => Object.create(Module.prototype) as unknown;
    const source = new ModuleSource('export default 1;');
    const real = new Module(source);
    const results: [string, () => unknown][] = [
      ['undefined', () => undefined],
      ['null', () => null],
      ['number', () => 42],
      ['plain object', () => ({})],
      ['virtual module source', () => ({ bindings: [], execute() {} })],
      ['ModuleSource.prototype', () => ModuleSource.prototype],
      ['Module.prototype', () => Module.prototype],
      ['object inheriting from Module.prototype', fake],
      ['Proxy of a Module', () => new Proxy(real, {})],
      ['promise of a string', () => Promise.resolve('dep')],
      ['thenable of a plain object', () => ({ then: (ok: (v: unknown) => void) => ok({}) })],
    ];
    for (const [what, result] of results) {
      const g = scriptedGraph({ main: `import 'dep'; export default 'main';`, dep: `` });
      g.script.set('dep', result);
      const error = (await noHang(rejectionOf(importModule(g.get('main'))), 5_000, what)) as TypeError & {
        code: string;
        specifier: string;
      };
      assert.ok(error instanceof TypeError, what);
      assert.equal(error.code, 'ERR_MODHOST_INVALID_HOOK_RESULT', what);
      assert.equal(error.specifier, 'dep', what);
      g.script.clear();
      assert.equal((await noHang(importModule(g.get('main')))).default, 'main', `retry after ${what}`);
    }
  });

  it('the same Module for different specifiers is one instance: evaluated once, one namespace', async () => {
    const log = moduleLog();
    const g = scriptedGraph({
      main: `import * as a from 'a'; import * as b from 'b'; import { n } from 'c'; export default [a === b, a.n, n];`,
      shared: `__log.push('shared'); export const n = 7;`,
    });
    for (const name of ['a', 'b', 'c']) g.script.set(name, (_s, get) => get('shared'));
    const ns = await noHang(importModule(g.get('main')));
    assert.deepEqual(ns.default, [true, 7, 7]);
    assert.deepEqual(log, ['shared']);
  });

  it('a hook may re-enter importModule (awaiting another graph) before answering', async () => {
    const log = moduleLog();
    const g = scriptedGraph({
      main: `import { v } from 'dep'; export default v;`,
      dep: `__log.push('dep'); export const v = 'dep';`,
      config: `__log.push('config'); export const which = 'dep';`,
    });
    g.script.set('dep', async (_s, get) => {
      const config = await importModule(get('config'));
      return get(config.which as string);
    });
    assert.equal((await noHang(importModule(g.get('main')))).default, 'dep');
    assert.deepEqual(log, ['config', 'dep']);
  });

  it('a hook re-entering importModule on the module being loaded deadlocks as asked; signals end waits', async () => {
    const g = scriptedGraph({ main: `import 'dep'; export default 'main';`, dep: `` });
    let inner!: Promise<unknown>;
    g.script.set('dep', async (_s, get) => {
      // Waits for main, which waits for this hook: a cycle of waits (as it would be natively).
      inner = importModule(get('main'), { signal: AbortSignal.timeout(80) });
      await inner.catch(() => {});
      return get('dep');
    });
    const error = (await noHang(
      rejectionOf(importModule(g.get('main'), { signal: AbortSignal.timeout(20) })),
    )) as Error & { code: string };
    assert.equal(error.name, 'AbortError');
    assert.equal(error.code, 'ERR_MODHOST_ABORTED');
    assert.equal(((await noHang(rejectionOf(inner))) as Error).name, 'AbortError');
    // Both waits gave up, so the hook's late answer is dropped; the graph loads on a retry.
    g.script.clear();
    assert.equal((await noHang(importModule(g.get('main')))).default, 'main');
    assert.deepEqual(g.calls, ['main->dep', 'main->dep']);
  });

  it('a hook importing its own referrer synchronously (importModule, not awaited) does not break loading', async () => {
    const g = scriptedGraph({ main: `import { x } from 'dep'; export default x;`, dep: `export const x = 5;` });
    const inner: Promise<unknown>[] = [];
    g.script.set('dep', (_s, get) => {
      inner.push(importModule(get('main')));
      return get('dep');
    });
    assert.equal((await noHang(importModule(g.get('main')))).default, 5);
    const [again] = (await noHang(Promise.all(inner))) as { default: number }[];
    assert.equal(again!.default, 5);
  });

  it('hooks are read once: replacing or deleting handler.importHook changes nothing; this = handler', async () => {
    const dep = new Module(new ModuleSource('export default "dep";'));
    const other = new Module(new ModuleSource('export default "other";'));
    const seen: unknown[] = [];
    const handler: { importHook?: (s: string) => Module; importMetaHook?: (m: object) => void; tag?: string } = {
      importHook(this: unknown) {
        seen.push(this);
        return dep;
      },
      importMetaHook(this: { tag?: string }, meta: object) {
        (meta as Record<string, unknown>).tag = this.tag;
      },
    };
    const main = new Module(new ModuleSource(`import d from 'dep'; export default [d, import.meta.tag];`), handler);
    handler.importHook = () => other;
    handler.tag = 'set after construction';
    delete handler.importMetaHook;
    const ns = await noHang(importModule(main));
    assert.deepEqual(ns.default, ['dep', 'set after construction']);
    assert.deepEqual(seen, [handler]);
  });

  it('a handler whose importHook getter throws fails at construction, with that error', () => {
    const failure = new Error('getter');
    assert.throws(
      () =>
        new Module(new ModuleSource(''), {
          get importHook(): never {
            throw failure;
          },
        }),
      (e) => e === failure,
    );
    assert.throws(() => new Module(new ModuleSource(''), { importHook: 42 } as never), TypeError);
  });

  it('a throwing importMetaHook makes the `import.meta` read throw in module code (caught, or fails it)', async () => {
    const failure = new Error('meta');
    const handler = {
      importMetaHook() {
        throw failure;
      },
    };
    const caught = new Module(
      new ModuleSource(`let r; try { import.meta; } catch (e) { r = e; } export default r;`),
      handler,
    );
    assert.equal((await noHang(importModule(caught))).default, failure);
    const uncaught = new Module(new ModuleSource(`export default import.meta;`), handler);
    assert.equal(await noHang(rejectionOf(importModule(uncaught))), failure);
    // An evaluation error is cached: the same error object again.
    assert.equal(await noHang(rejectionOf(importModule(uncaught))), failure);
  });
});

describe('importModule(module, { signal })', () => {
  detectUnhandled();

  it('a hook that never settles: AbortError (cause = reason), nothing evaluated, a retry calls it again', async () => {
    const log = moduleLog();
    const g = scriptedGraph({
      main: `__log.push('main'); import { x } from 'dep'; export default x;`,
      dep: `__log.push('dep'); export const x = 'late';`,
    });
    g.script.set('dep', () => new Promise(() => {}));
    const controller = new AbortController();
    const pending = importModule(g.get('main'), { signal: controller.signal });
    assert.equal(await stateOf(pending), 'pending');
    const reason = new Error('give up');
    controller.abort(reason);
    const error = (await noHang(rejectionOf(pending))) as Error & { code: string; cause: unknown };
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'AbortError');
    assert.equal(error.code, 'ERR_MODHOST_ABORTED');
    assert.equal(error.cause, reason);
    g.script.delete('dep');
    assert.equal((await noHang(importModule(g.get('main')))).default, 'late');
    assert.deepEqual(g.calls, ['main->dep', 'main->dep']);
    assert.deepEqual(log, ['dep', 'main']);
  });

  it('AbortSignal.timeout gives up on a hook that never settles', async () => {
    const g = scriptedGraph({ main: `import 'dep';`, dep: `` });
    g.script.set('dep', () => new Promise(() => {}));
    const error = (await noHang(
      rejectionOf(importModule(g.get('main'), { signal: AbortSignal.timeout(20) })),
    )) as Error & { cause: Error };
    assert.equal(error.name, 'AbortError');
    assert.equal(error.cause.name, 'TimeoutError');
  });

  it('a late answer of an abandoned hook call is dropped: nothing linked or run; the next import decides', async () => {
    const log = moduleLog();
    const g = scriptedGraph({
      main: `import { who } from 'dep'; __log.push('main ' + who); export default who;`,
      first: `__log.push('first'); export const who = 'first';`,
      second: `__log.push('second'); export const who = 'second';`,
    });
    let answer!: (m: Module) => void;
    g.script.set('dep', () => new Promise<Module>((resolve) => (answer = resolve)));
    const controller = new AbortController();
    const aborted = importModule(g.get('main'), { signal: controller.signal });
    await turns(1);
    controller.abort();
    await noHang(rejectionOf(aborted));
    answer(g.get('first'));
    await turns(3);
    assert.deepEqual(log, []);
    g.script.set('dep', (_s, get) => get('second'));
    assert.equal((await noHang(importModule(g.get('main')))).default, 'second');
    assert.deepEqual(log, ['second', 'main second']);
  });

  it('aborting one of two imports waiting for the same hook leaves the other to complete with it', async () => {
    const g = scriptedGraph({ main: `import { x } from 'dep'; export default x;`, dep: `export const x = 'shared';` });
    let answer!: (m: Module) => void;
    g.script.set('dep', () => new Promise<Module>((resolve) => (answer = resolve)));
    const controller = new AbortController();
    const aborted = importModule(g.get('main'), { signal: controller.signal });
    const kept = importModule(g.get('main'));
    await turns(1);
    controller.abort();
    assert.equal(((await noHang(rejectionOf(aborted))) as Error).name, 'AbortError');
    answer(g.get('dep'));
    assert.equal((await noHang(kept)).default, 'shared');
    assert.deepEqual(g.calls, ['main->dep']);
  });

  it('a hook aborting the import it serves (synchronously, then throws or answers) ends that import only', async () => {
    for (const then of ['answer', 'throw'] as const) {
      const log = moduleLog();
      const g = scriptedGraph({
        main: `import 'a'; import 'b'; __log.push('main'); export default 1;`,
        a: `__log.push('a');`,
        b: `__log.push('b');`,
      });
      const controller = new AbortController();
      g.script.set('a', (_s, get) => {
        controller.abort();
        if (then === 'throw') throw new Error('after abort');
        return get('a');
      });
      const error = (await noHang(rejectionOf(importModule(g.get('main'), { signal: controller.signal })))) as Error;
      assert.equal(error.name, 'AbortError', then);
      await turns(2);
      assert.deepEqual(log, [], then);
      g.script.clear();
      assert.equal((await noHang(importModule(g.get('main')))).default, 1, then);
      assert.deepEqual(log, ['a', 'b', 'main'], then);
    }
  });

  it('an already-aborted signal rejects at once and calls no hook', async () => {
    const g = scriptedGraph({ main: `import 'dep';`, dep: `` });
    const error = (await noHang(
      rejectionOf(importModule(g.get('main'), { signal: AbortSignal.abort('why') })),
    )) as Error & { cause: unknown };
    assert.equal(error.name, 'AbortError');
    assert.equal(error.cause, 'why');
    assert.deepEqual(g.calls, []);
  });

  it('an abort during top-level await rejects the wait; evaluation goes on and its result is cached', async () => {
    const log = moduleLog();
    let release!: () => void;
    (globalThis as Record<string, unknown>).__gate = new Promise<void>((resolve) => (release = resolve));
    const main = new Module(
      new ModuleSource(`__log.push('start'); await __gate; __log.push('end'); export default 'done';`),
    );
    const controller = new AbortController();
    const aborted = importModule(main, { signal: controller.signal });
    await turns(1);
    controller.abort();
    assert.equal(((await noHang(rejectionOf(aborted))) as Error).name, 'AbortError');
    release();
    assert.equal((await noHang(importModule(main))).default, 'done');
    assert.deepEqual(log, ['start', 'end']);
    delete (globalThis as Record<string, unknown>).__gate;
  });

  it('a signal that never aborts changes nothing, and bad options are typed errors', async () => {
    const main = new Module(new ModuleSource(`export default 1;`));
    assert.equal((await importModule(main, { signal: new AbortController().signal })).default, 1);
    assert.equal((await importModule(main, {})).default, 1);
    for (const options of [42, 'x', null]) {
      const error = (await rejectionOf(importModule(main, options as never))) as TypeError & { code: string };
      assert.ok(error instanceof TypeError);
      assert.equal(error.code, 'ERR_MODHOST_INVALID_ARGUMENT');
    }
    for (const signal of [{}, { aborted: false, addEventListener() {} }, new EventTarget()]) {
      const error = (await rejectionOf(importModule(main, { signal } as never))) as TypeError & { code: string };
      assert.equal(error.code, 'ERR_MODHOST_INVALID_ARGUMENT');
    }
  });
});

describe('1,000 concurrent importModule calls on overlapping graphs', () => {
  detectUnhandled();

  it('every call gets the right namespace; each module evaluated once, each hook called once per request', async () => {
    // 20 roots; root i imports shared modules s[i % 10] … s[(i + 4) % 10]; each shared module
    // imports the next one (a ring, so the graphs form one big cycle) and a common leaf. Hooks
    // answer after a random number of ticks.
    const log = moduleLog();
    const texts: Record<string, string> = { leaf: `__log.push('leaf'); export const leaf = 'L';` };
    for (let s = 0; s < 10; s++) {
      texts[`s${s}`] =
        `import { leaf } from 'leaf'; import * as next from 's${(s + 1) % 10}'; __log.push('s${s}'); export const ` +
        `id = ${s}; export function nextId() { return next.id; }`;
    }
    for (let r = 0; r < 20; r++) {
      const deps = [0, 1, 2, 3, 4].map((k) => (r + k) % 10);
      texts[`r${r}`] =
        deps.map((d) => `import { id as i${d}, nextId as n${d} } from 's${d}';`).join('') +
        `export default [${deps.map((d) => `i${d}, n${d}()`).join(', ')}];`;
    }
    const g = scriptedGraph(texts);
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const name of Object.keys(texts)) {
      g.script.set(name, async (_s, get) => {
        for (let i = Math.floor(random() * 5); i > 0; i--) await null;
        return get(name);
      });
    }
    const calls: Promise<Record<string, unknown>>[] = [];
    for (let i = 0; i < 1000; i++) calls.push(importModule(g.get(`r${i % 20}`)));
    const results = await noHang(Promise.all(calls), 20_000, '1,000 imports');
    for (let i = 0; i < 1000; i++) {
      const r = i % 20;
      assert.deepEqual(
        results[i]!.default,
        [0, 1, 2, 3, 4].flatMap((k) => [(r + k) % 10, (r + k + 1) % 10]),
      );
      assert.equal(results[i], results[r], 'one namespace object per module');
    }
    assert.equal(log.length, 11);
    assert.equal(new Set(log).size, 11);
    assert.equal(new Set(g.calls).size, g.calls.length, `hooks called more than once: ${g.calls.length}`);
  });

  it('with hooks failing at random the first time, failed imports reject with those errors; retries work', async () => {
    // The same shape as above; each (referrer, specifier) hook call fails the first time with
    // probability 0.3 (synchronously, by rejection, or with a non-Module), after random ticks.
    const log = moduleLog();
    const texts: Record<string, string> = { leaf: `__log.push('leaf'); export const leaf = 'L';` };
    for (let s = 0; s < 10; s++)
      texts[`s${s}`] =
        `import { leaf } from 'leaf'; import * as next from 's${(s + 1) % 10}'; __log.push('s${s}'); export const ` +
        `id = ${s}; export function nextId() { return next.id; }`;
    for (let r = 0; r < 20; r++)
      texts[`r${r}`] = `import { id, nextId } from 's${r % 10}'; export default [id, nextId()];`;
    const g = scriptedGraph(texts);
    let seed = 777;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const failedOnce = new Set<string>();
    const failures: unknown[] = [];
    for (const name of Object.keys(texts)) {
      g.script.set(name, (_s, get) => {
        const key = `${g.calls[g.calls.length - 1]}`;
        const fail = !failedOnce.has(key) && random() < 0.3;
        if (fail) failedOnce.add(key);
        const kind = Math.floor(random() * 3);
        if (fail && kind === 0) {
          const e = new Error(`sync ${key}`);
          failures.push(e);
          throw e;
        }
        return (async () => {
          for (let i = Math.floor(random() * 4); i > 0; i--) await null;
          if (fail && kind === 1) {
            const e = new Error(`async ${key}`);
            failures.push(e);
            throw e;
          }
          return fail ? ({} as Module) : get(name);
        })();
      });
    }
    const first = await noHang(
      Promise.allSettled(Array.from({ length: 1000 }, (_, i) => importModule(g.get(`r${i % 20}`)))),
      20_000,
      'first round',
    );
    const rejected = first.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.ok(rejected.length > 0 && rejected.length < 1000, `${rejected.length} of 1000 rejected`);
    for (const r of rejected) {
      const reason = r.reason as { code?: string };
      assert.ok(
        reason.code === 'ERR_MODHOST_INVALID_HOOK_RESULT' || failures.includes(hookFailureCause(reason) as Error),
        String(reason),
      );
    }
    const second = await noHang(
      Promise.all(Array.from({ length: 1000 }, (_, i) => importModule(g.get(`r${i % 20}`)))),
      20_000,
      'retry',
    );
    for (let i = 0; i < 1000; i++) assert.deepEqual(second[i]!.default, [i % 10, (i + 1) % 10]);
    assert.deepEqual([...log].sort(), ['leaf', ...Array.from({ length: 10 }, (_, s) => `s${s}`)].sort());
  });
});
