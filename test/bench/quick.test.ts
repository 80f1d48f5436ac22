/**
 * The benchmark suite runs end to end in --quick mode on a small subset and prints a table with
 * every expected row and column. Timing values are not checked (they depend on the machine); the
 * structure is, and so is the JSON record (machine facts, per-round samples of the native column,
 * which always runs).
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const suite = fileURLToPath(new URL('../../bench/index.js', import.meta.url));

const EXPECTED_COLUMNS = [
  'id',
  'workload',
  'unit',
  'baseline',
  'native',
  'modhost',
  'Endo (no TLA)',
  'modhost÷native',
  'Endo÷native',
  'modhost÷Endo',
  'target',
  'met',
];

// --filter lodash-es,call,wide narrows (a) to lodash-es, (b) to the "call" program, (c) to
// lodash-es, (d) to the wide shape at the quick sizes 20 / 60 / 200; (e) has one library.
const EXPECTED_ROWS = [
  'a.construct.lodash-es',
  'a.construct-vs-endo.lodash-es',
  'b.live.call',
  'c.load.lodash-es.nocache',
  'c.load.lodash-es.coldcache',
  'c.load.lodash-es.warmcache',
  'c.cpu.lodash-es.nocache',
  'c.cpu.lodash-es.coldcache',
  'c.cpu.lodash-es.warmcache',
  'c.rss.lodash-es.nocache',
  'c.rss.lodash-es.coldcache',
  'c.rss.lodash-es.warmcache',
  'c.fill.lodash-es.load',
  'c.fill.lodash-es.cpu',
  'd.graph.wide.20',
  'd.graph.wide.60',
  'd.graph.wide.200',
  'd.flat.wide',
  'e.require.lodash.loop',
  'e.require.lodash.process',
  'e.require.lodash.cpu',
  'e.rss.lodash',
];

function tableLines(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

test('bench --quick prints every row and column and writes the JSON record', { timeout: 240_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'modhost-bench-test-'));
  try {
    const result = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--experimental-vm-modules',
        '--no-warnings',
        suite,
        '--quick',
        '--rounds',
        '1',
        '--filter',
        'lodash-es,call,wide',
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const [header, separator, ...rows] = tableLines(result.stdout);
    assert.deepEqual(header, EXPECTED_COLUMNS);
    assert.equal(separator?.length, EXPECTED_COLUMNS.length);
    assert.deepEqual(
      rows.map((r) => r[0]),
      EXPECTED_ROWS,
    );
    for (const row of rows) {
      assert.equal(row.length, EXPECTED_COLUMNS.length, `row ${row[0]} has ${row.length} cells`);
      // Every contender cell holds a value or says why not; none is left blank.
      for (const column of ['native', 'modhost', 'Endo (no TLA)']) {
        const cell = row[EXPECTED_COLUMNS.indexOf(column)];
        assert.ok(cell !== undefined && cell !== '' && cell !== '–', `row ${row[0]}, column ${column} is empty`);
      }
    }

    const record = JSON.parse(readFileSync(join(out, 'latest-quick.json'), 'utf8')) as {
      machine: Record<string, unknown> & { packages: Record<string, string> };
      rows: Array<{ id: string; cells: { native?: { samples: number[]; error?: string } } }>;
    };
    for (const key of ['cpuModel', 'cores', 'memoryGiB', 'node', 'v8', 'packages'])
      assert.ok(key in record.machine, `machine.${key}`);
    assert.ok('ses' in record.machine.packages && 'modhost' in record.machine.packages);
    assert.deepEqual(
      record.rows.map((r) => r.id),
      EXPECTED_ROWS,
    );
    // Native always runs: each of its measured rows has a positive sample (not a made-up value).
    for (const row of record.rows.filter((r) => !r.id.startsWith('d.flat.'))) {
      const native = row.cells.native;
      assert.equal(native?.error, undefined, `${row.id}: native failed: ${native?.error}`);
      assert.ok(
        native !== undefined && native.samples.length >= 1 && native.samples.every((v) => v > 0),
        `${row.id}: native samples`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
