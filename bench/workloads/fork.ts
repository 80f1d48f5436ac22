/**
 * (g) Fresh module instances of a whole application, in one process, CPU time per sample:
 *
 * - baseline: `createNodeHost()` + `import(entry)`: a new host reads, parses and compiles every
 *   module (300-module application + lodash-es, 940 modules) and instantiates them;
 * - modhost:  `parent.fork()` + `import(entry)` (+ `dispose()`): the fork reuses the parent's
 *   parsed and compiled sources and makes fresh instances of every module;
 * - a second row forks with `share` = node_modules: lodash-es's evaluated instances come from the
 *   parent, only the application is instantiated again (what `modhost test` does per file).
 *
 * V8's in-process compilation cache serves the baseline's repeated compiles of the same code
 * (a cold process would compile them too), so the baseline is faster here than in a new process:
 * the ratio is conservative. Every sample checks the entry's checksum.
 */
import { createNodeHost, type NodeHost } from '../../src/hosts/node/index.js';
import { alternate, cpuMs, type Sampler } from '../lib/alternate.js';
import { type TestSuiteShape, writeTestSuite } from '../lib/test-suite.js';
import type { Row, RunOptions, WorkloadResult } from '../lib/types.js';

/** Runs workload (g). */
export async function runFork(options: RunOptions): Promise<WorkloadResult> {
  const shape: TestSuiteShape = options.quick
    ? { modules: 300, files: 10, tests: 5 }
    : { modules: 300, files: 200, tests: 5 };
  const fixture = writeTestSuite(shape);
  const rounds = options.rounds || (options.quick ? 3 : 15);
  const warmup = options.quick ? 1 : 3;
  const entry = fixture.appEntry;

  async function importChecked(host: NodeHost): Promise<void> {
    const ns = (await host.import(entry)) as { checksum(): number };
    if (ns.checksum() !== fixture.checksum)
      throw new Error(`wrong checksum ${ns.checksum()} (expected ${fixture.checksum})`);
  }

  let parent: NodeHost | undefined;
  const fresh: Sampler = {
    id: 'native',
    async sample() {
      let host: NodeHost | undefined;
      const spent = await cpuMs(async () => {
        host = createNodeHost();
        await importChecked(host);
      });
      host?.dispose();
      return spent;
    },
  };
  const fork = (share: ((url: string) => boolean) | undefined): Sampler => ({
    id: 'modhost',
    async setup() {
      parent ??= createNodeHost();
      await importChecked(parent);
    },
    sample: () =>
      cpuMs(async () => {
        const host = (parent as NodeHost).fork(share === undefined ? {} : { share });
        await importChecked(host);
        host.dispose();
      }),
  });
  const rows: Row[] = [];
  const variants = [
    { id: 'all', label: 'every module instantiated again', share: undefined, target: 0.3 },
    { id: 'share-node-modules', label: 'node_modules shared', share: (url: string) => url.includes('/node_modules/') },
  ] as const;
  for (const variant of variants) {
    const cells = await alternate([fresh, fork(variant.share)], { rounds, warmup });
    cells.endo = { samples: [], error: 'n/a (no forks)' };
    rows.push({
      id: `g.fork.${variant.id}`,
      group: 'g',
      label:
        `Fresh instances of a ${shape.modules}-module app + lodash-es: host.fork() + import ` +
        `(${variant.label}) vs createNodeHost() + import`,
      unit: 'ms CPU',
      better: 'lower',
      baseline: 'createNodeHost() + import()',
      cells,
      ...('target' in variant ? { target: { ratio: 'modhost/native', op: '<=', value: variant.target } as const } : {}),
    });
  }
  return { rows };
}
