/**
 * The hot controller on an in-memory host: Vite's propagation and callbacks (accept, dispose,
 * prune, decline, invalidate, data, events), reports, all-or-nothing application.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importModule } from '../../src/api/import-module.js';
import { withLog } from '../api/helpers.js';
import { memoryHotHost } from './memory-host.js';

describe('hot controller: propagation (Vite semantics, true rebinding)', () => {
  it('a self-accepting module is evaluated again; its importer is relinked, not evaluated again', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        app: `__log.push('app'); import { value } from 'dep'; export const read = () => value;`,
        dep:
          `__log.push('dep1'); export const value = 1; import.meta.hot.accept((ns) => __log.push(['accepted', ` +
          `ns.value]));`,
      });
      const app = await host.import('app');
      host.files.dep = `__log.push('dep2'); export const value = 2; import.meta.hot.accept();`;
      const report = await host.update('dep');
      assert.deepEqual(
        {
          changed: report.changed,
          updated: report.updated,
          boundaries: report.boundaries,
          fullReload: report.fullReload,
        },
        { changed: ['dep'], updated: ['dep'], boundaries: ['dep'], fullReload: false },
      );
      assert.equal(report.error, undefined);
      // The old instance's callback runs with the new namespace.
      assert.deepEqual(log, ['dep1', 'app', 'dep2', ['accepted', 2]]);
      assert.equal((app.read as () => number)(), 2);
    } finally {
      restore();
    }
  });

  it('accept(dep, cb): the importer is a boundary; its callback gets the new namespace', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        app: `import { value } from 'dep'; export const read = () => value;
          import.meta.hot.accept('dep', (ns) => __log.push(['app got', ns.value, value]));`,
        dep: `export const value = 'one';`,
      });
      const app = await host.import('app');
      host.files.dep = `export const value = 'two';`;
      const report = await host.update('dep');
      assert.deepEqual([report.updated, report.boundaries, report.fullReload], [['dep'], ['app'], false]);
      // By the time the callback runs, the importer's own binding already reads the new module.
      assert.deepEqual(log, [['app got', 'two', 'two']]);
      assert.equal((app.read as () => string)(), 'two');
    } finally {
      restore();
    }
  });

  it('accept([deps], cb): namespaces in deps order, undefined for those not updated', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        app: `import 'a'; import 'b';
          import.meta.hot.accept(['a', 'b'], ([a, b]) => __log.push([a?.v, b === undefined]));`,
        a: `export const v = 'a1';`,
        b: `export const v = 'b1';`,
      });
      await host.import('app');
      host.files.a = `export const v = 'a2';`;
      await host.update('a');
      assert.deepEqual(log, [['a2', true]]);
    } finally {
      restore();
    }
  });

  it('modules between the change and the boundary are evaluated again, dependencies first', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        app: `__log.push('app'); import { mid } from 'mid'; export const read = () => mid;
          import.meta.hot.accept('mid', () => __log.push('app accepted'));`,
        mid: `__log.push('mid'); import { leaf } from 'leaf'; export const mid = 'mid:' + leaf;`,
        leaf: `__log.push('leaf'); export const leaf = 1;`,
      });
      const app = await host.import('app');
      log.length = 0;
      host.files.leaf = `__log.push('leaf2'); export const leaf = 2;`;
      const report = await host.update('leaf');
      assert.deepEqual(report.updated.sort(), ['leaf', 'mid']);
      assert.deepEqual(report.boundaries, ['app']);
      assert.deepEqual(log, ['leaf2', 'mid', 'app accepted']);
      assert.equal((app.read as () => string)(), 'mid:2');
    } finally {
      restore();
    }
  });

  it('no module accepts: a full reload, and nothing is applied', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        app: `import { v } from 'dep'; export const read = () => v;`,
        dep: `__log.push('dep'); export const v = 1;`,
      });
      const app = await host.import('app');
      host.files.dep = `__log.push('dep2'); export const v = 2;`;
      const report = await host.update('dep');
      assert.equal(report.fullReload, true);
      assert.match(
        report.reason ?? '',
        /nothing accepts the update of app: it does not accept itself and no module imports it/,
      );
      assert.deepEqual(report.changed, ['dep']);
      assert.deepEqual(report.updated, []);
      assert.deepEqual(log, ['dep'], 'the new code did not run');
      assert.equal((app.read as () => number)(), 1);
    } finally {
      restore();
    }
  });

  it('decline(): a change that must evaluate the module again is a full reload', async () => {
    const host = memoryHotHost({
      app: `import 'dep'; import.meta.hot.accept('dep');`,
      dep: `import.meta.hot.decline(); export const v = 1;`,
    });
    await host.import('app');
    host.files.dep = `export const v = 2;`;
    const report = await host.update('dep');
    assert.equal(report.fullReload, true);
    assert.match(report.reason ?? '', /dep declined/);
  });

  it('acceptExports: importers that use only the accepted names are relinked, others propagate', async () => {
    const host = memoryHotHost({
      app: `import { a } from 'dep'; import { useB } from 'other'; export const read = () => [a, useB()];
        import.meta.hot.accept('other');`,
      other: `import { b } from 'dep'; export const useB = () => b;`,
      dep: `export const a = 'a1'; export const b = 'b1'; import.meta.hot.acceptExports(['a']);`,
    });
    const app = await host.import('app');
    host.files.dep = `export const a = 'a2'; export const b = 'b2'; import.meta.hot.acceptExports(['a']);`;
    const report = await host.update('dep');
    assert.equal(report.fullReload, false);
    assert.deepEqual(report.updated.sort(), ['dep', 'other']);
    assert.deepEqual(report.boundaries.sort(), ['app', 'dep']);
    assert.deepEqual((app.read as () => string[])(), ['a2', 'b2']);
  });

  it('unchanged text: nothing to do', async () => {
    const host = memoryHotHost({ app: `import.meta.hot.accept(); export const v = 1;` });
    await host.import('app');
    const report = await host.update('app', 'not-loaded');
    assert.deepEqual([report.changed, report.updated, report.unchanged], [[], [], ['app']]);
  });
});

describe('hot controller: dispose, data, prune, invalidate, events', () => {
  it('dispose runs before the new code with `data`, which the new instance reads', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        counter: `export let count = import.meta.hot.data.count ?? 0; count++;
          import.meta.hot.dispose((data) => { __log.push('dispose ' + count); data.count = count; });
          import.meta.hot.accept();`,
      });
      const counter = await host.import('counter');
      assert.equal(counter.count, 1);
      for (let i = 0; i < 3; i++) {
        host.files.counter = `${host.files.counter}\n// edit ${i}`;
        const report = await host.update('counter');
        assert.equal(report.error, undefined);
      }
      assert.equal(counter.count, 4, 'the namespace shows the newest instance');
      assert.deepEqual(log, ['dispose 1', 'dispose 2', 'dispose 3']);
    } finally {
      restore();
    }
  });

  it('prune: a module the new code no longer imports is pruned and forgotten', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        app: `import 'widget'; import.meta.hot.accept();`,
        widget: `__log.push('widget'); import.meta.hot.prune(() => __log.push('pruned widget'));`,
      });
      await host.import('app');
      host.files.app = `import.meta.hot.accept();`;
      const report = await host.update('app');
      assert.deepEqual(report.pruned, ['widget']);
      assert.deepEqual(log, ['widget', 'pruned widget']);
      assert.equal(host.current('widget'), undefined);
      // Imported again later: a fresh instance runs.
      host.files.app = `import 'widget'; import.meta.hot.accept();`;
      await host.update('app');
      assert.deepEqual(log, ['widget', 'pruned widget', 'widget']);
    } finally {
      restore();
    }
  });

  it('invalidate() from an accept callback propagates the update to the importers', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        app: `import { v } from 'dep'; export const read = () => v;
          import.meta.hot.accept('dep', () => __log.push('app accepted'));`,
        dep:
          `export const v = 1; import.meta.hot.accept((ns) => { if (ns.v > 1) ` +
          `import.meta.hot.invalidate('cannot'); });`,
      });
      const app = await host.import('app');
      host.files.dep = `export const v = 2; import.meta.hot.accept();`;
      const report = await host.update('dep');
      assert.equal(report.fullReload, false);
      assert.deepEqual(report.boundaries, ['dep', 'app']);
      assert.deepEqual(log, ['app accepted']);
      assert.equal((app.read as () => number)(), 2);
    } finally {
      restore();
    }
  });

  it('invalidate() outside an update starts one; its report goes to onUpdate listeners', async () => {
    const host = memoryHotHost({
      app: `import { version } from 'dep'; export const read = () => version;
        import.meta.hot.accept('dep');`,
      dep: `export const version = (globalThis.__depRuns = (globalThis.__depRuns ?? 0) + 1);
        export const retry = () => import.meta.hot.invalidate('try again');
        import.meta.hot.accept();`,
    });
    try {
      const app = await host.import('app');
      const dep = await importModule(host.current('dep') as never);
      const reports: unknown[] = [];
      host.controller.onUpdate((report) => reports.push(report));
      (dep.retry as () => void)();
      for (let i = 0; i < 50 && reports.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      const report = reports[0] as { changed: string[]; updated: string[]; boundaries: string[]; fullReload: boolean };
      assert.deepEqual(
        [report.changed, report.updated, report.boundaries, report.fullReload],
        [['dep'], ['dep'], ['app'], false],
      );
      assert.equal((app.read as () => number)(), 2, 'dep ran again and app reads its new instance');
    } finally {
      delete (globalThis as { __depRuns?: number }).__depRuns;
    }
  });

  it('events: beforeUpdate / afterUpdate (also as vite:*), error, beforeFullReload', async () => {
    const { log, restore } = withLog();
    try {
      const host = memoryHotHost({
        app: `import 'dep';
          for (const e of ['modhost:beforeUpdate', 'vite:afterUpdate', 'modhost:error', 'modhost:beforeFullReload'])
            import.meta.hot.on(e, (p) => __log.push([e, p.updates ?? p.triggeredBy ?? p.err.message]));
          import.meta.hot.accept('dep');`,
        dep: `export {};`,
        other: `import 'app'; export {};`,
      });
      await host.import('app');
      host.files.dep = `export const x = 1;`;
      await host.update('dep');
      host.files.dep = `throw new Error('bad dep');`;
      await host.update('dep');
      host.files.dep = `export {};`;
      await host.update('dep');
      assert.deepEqual(log, [
        ['modhost:beforeUpdate', ['dep']],
        ['vite:afterUpdate', ['dep']],
        ['modhost:beforeUpdate', ['dep']],
        ['modhost:error', 'bad dep'],
        ['modhost:beforeUpdate', ['dep']],
        ['vite:afterUpdate', ['dep']],
      ]);
    } finally {
      restore();
    }
  });
});

describe('hot controller: errors leave the old graph running', () => {
  it('a parse error is reported; nothing changes; the next good text applies', async () => {
    const host = memoryHotHost({
      app: `import { v } from 'dep'; export const read = () => v; import.meta.hot.accept('dep');`,
      dep: `export const v = 1;`,
    });
    const app = await host.import('app');
    host.files.dep = `export const v = ;`;
    const report = await host.update('dep');
    assert.equal((report.error as { code?: string }).code, 'ERR_MODHOST_PARSE');
    assert.deepEqual(report.updated, []);
    assert.equal((app.read as () => number)(), 1);
    host.files.dep = `export const v = 3;`;
    assert.equal((await host.update('dep')).error, undefined);
    assert.equal((app.read as () => number)(), 3);
  });

  it('an evaluation error is reported; importers and the module map keep the old instance', async () => {
    const host = memoryHotHost({
      app: `import { v } from 'dep'; export const read = () => v; import.meta.hot.accept('dep');`,
      dep: `export const v = 1;`,
    });
    const app = await host.import('app');
    const before = host.current('dep');
    host.files.dep = `export const v = 2; null.boom;`;
    const report = await host.update('dep');
    assert.ok(report.error instanceof TypeError);
    assert.equal(host.current('dep'), before);
    assert.equal((app.read as () => number)(), 1);
    assert.equal((await importModule(before as never)).v, 1);
  });

  it('a link error is reported (an importer needs an export the new code dropped)', async () => {
    const host = memoryHotHost({
      app: `import { v } from 'dep'; export const read = () => v; import.meta.hot.accept('dep');`,
      dep: `export const v = 1;`,
    });
    const app = await host.import('app');
    host.files.dep = `export const w = 2;`;
    const report = await host.update('dep');
    assert.equal((report.error as { code?: string }).code, 'ERR_MODHOST_UNRESOLVED_IMPORT');
    assert.equal((app.read as () => number)(), 1);
  });

  it('an error in an accept callback is reported after the update was applied', async () => {
    const host = memoryHotHost({
      app: `import { v } from 'dep'; export const read = () => v;
        import.meta.hot.accept('dep', () => { throw new Error('callback failed'); });`,
      dep: `export const v = 1;`,
    });
    const app = await host.import('app');
    host.files.dep = `export const v = 2;`;
    const report = await host.update('dep');
    assert.equal((report.error as Error).message, 'callback failed');
    assert.deepEqual(report.updated, ['dep']);
    assert.equal((app.read as () => number)(), 2);
  });

  it('hot.accept() with bad arguments throws a TypeError in the module', async () => {
    const host = memoryHotHost({ app: `import.meta.hot.accept(42, 'x');` });
    await assert.rejects(host.import('app'), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
  });
});
