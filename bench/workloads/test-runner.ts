/**
 * (f) A node:test suite run three ways, one process per sample, taking turns in every round:
 *
^ * - process per file: `node --test <test files>` (Node's default isolation: a child process per
 *   file, as many at a time as Node runs by default);
 * - modhost:          `modhost test <test folder>` (one process; each file in a fresh fork of one
 *                     host, node_modules instances shared);
 * - one bundle:       `node --test all.test.mjs`, every test file bundled into one (no isolation
 *                     at all: one instance of everything);
 * - modhost, no isolation: `modhost test --isolate=none` (one host for every file), against the
 *                     bundle: the same work, so what modhost itself costs.
 *
 * The suite (bench/lib/test-suite.ts): 200 files, each importing a 300-module application graph
 * and lodash-es and running 5 small tests. Rows: wall time, CPU time and peak RSS of modhost
 * against each of the other two. Every run must pass all its tests (exit code 0, the expected
 * test count in its report), else the cell is an error.
 */

import { modhostBin, repoRoot } from '../lib/paths.js';
import { alternateProcesses, newProcessSeries, type ProcessSeries, processCell } from '../lib/process-rounds.js';
import { type ProcessSample, runNodeProcess } from '../lib/spawn.js';
import { bundleTestSuite, type TestSuiteShape, writeTestSuite } from '../lib/test-suite.js';
import type { Row, RunOptions, WorkloadResult } from '../lib/types.js';

const COMMANDS = ['process', 'modhost', 'bundle', 'none'] as const;
type CommandId = (typeof COMMANDS)[number];

/** The test count a report gives (`# tests N` in TAP, `ℹ tests N` in spec). */
function testCount(stdout: string): number | undefined {
  const match = /^(?:#|ℹ) tests (\d+)$/m.exec(stdout);
  return match === null ? undefined : Number(match[1]);
}

function check(sample: ProcessSample, expectedTests: number): string | undefined {
  const count = testCount(sample.stdout);
  if (sample.exitCode === 0 && count === expectedTests && Number.isFinite(sample.maxRssMiB)) return undefined;
  const failing = /^not ok .*$/m.exec(sample.stdout)?.[0];
  const detail = failing ?? sample.stderr.split('\n').find((l) => l.trim() !== '') ?? `${count ?? 'no'} tests reported`;
  return `exit ${sample.exitCode}: ${detail}`.slice(0, 160);
}

/** Runs workload (f). */
export async function runTestRunner(options: RunOptions): Promise<WorkloadResult> {
  const shape: TestSuiteShape = options.quick
    ? { modules: 300, files: 10, tests: 5 }
    : { modules: 300, files: 200, tests: 5 };
  const rounds = options.rounds || (options.quick ? 1 : 3);
  const warmup = options.quick ? 0 : 1;
  const fixture = writeTestSuite(shape);
  const bundle = await bundleTestSuite(fixture);
  const expectedTests = shape.files * shape.tests;
  const argsFor = (command: CommandId): string[] => {
    switch (command) {
      case 'process':
        // The files, not the folder: from Node 21 on, `--test` arguments are glob patterns, and a
        // folder name matches no test file.
        return ['--test', ...fixture.testFiles];
      case 'modhost':
        return [modhostBin, 'test', fixture.testDir];
      case 'bundle':
        return ['--test', bundle];
      case 'none':
        return [modhostBin, 'test', '--isolate=none', fixture.testDir];
    }
  };
  const series = Object.fromEntries(COMMANDS.map((c) => [c, newProcessSeries()])) as Record<CommandId, ProcessSeries>;
  // (a suite run under `node --test` must not report to it: NODE_TEST_CONTEXT is left out)
  const env = { NO_COLOR: '1', NODE_TEST_CONTEXT: undefined };
  await alternateProcesses(
    COMMANDS,
    (command) => series[command],
    { warmup, rounds },
    (command) => runNodeProcess({ nodeArgs: argsFor(command), cwd: fixture.dir, env }),
    (sample) => check(sample, expectedTests),
  );
  const suite = `${shape.files} files × ${shape.tests} tests, ${shape.modules}-module app + lodash-es each`;
  const rows: Row[] = [];
  const metrics = [
    { metric: 'wall', prefix: 'wall', title: 'Test suite (wall)', unit: 'ms' },
    { metric: 'cpu', prefix: 'cpu', title: 'Test suite (CPU)', unit: 'ms CPU' },
    { metric: 'rss', prefix: 'rss', title: 'Test suite peak RSS', unit: 'MiB' },
  ] as const;
  for (const m of metrics) {
    for (const against of ['process', 'bundle'] as const) {
      const target =
        m.metric === 'wall'
          ? against === 'process'
            ? 0.4
            : 1.3
          : m.metric === 'rss' && against === 'bundle'
            ? 1.5
            : undefined;
      rows.push({
        id: `f.${m.prefix}.${against}`,
        group: 'f',
        label:
          `${m.title}, ${suite}: modhost test vs ` +
          `${against === 'process' ? 'node --test (a process per file)' : 'one bundled file'}`,
        unit: m.unit,
        better: 'lower',
        baseline: against === 'process' ? 'node --test <folder>' : 'node --test all.test.mjs (bundle)',
        cells: {
          native: processCell(series[against], m.metric),
          modhost: processCell(series.modhost, m.metric),
          endo: { samples: [], error: 'n/a (no test runner)' },
        },
        ...(target === undefined ? {} : { target: { ratio: 'modhost/native', op: '<=', value: target } as const }),
        info: { files: shape.files, tests: expectedTests, modules: shape.modules, cwd: fixture.dir, repo: repoRoot },
      });
    }
  }
  for (const m of metrics.filter((metric) => metric.metric !== 'cpu')) {
    rows.push({
      id: `f.${m.prefix}.none-vs-bundle`,
      group: 'f',
      label: `${m.title}, ${suite}: modhost test --isolate=none (one host) vs one bundled file`,
      unit: m.unit,
      better: 'lower',
      baseline: 'node --test all.test.mjs (bundle)',
      cells: {
        native: processCell(series.bundle, m.metric),
        modhost: processCell(series.none, m.metric),
        endo: { samples: [], error: 'n/a (no test runner)' },
      },
      info: { files: shape.files, tests: expectedTests, modules: shape.modules },
    });
  }
  return { rows };
}
