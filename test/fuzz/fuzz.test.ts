/**
 * The differential fuzzer as a test: the harness run against itself (V8 vs V8) must be
 * deterministic, and a fixed-seed run of modhost against V8, through the real command line, must
 * show no divergence other than ones that minimise into a documented V8 deviation.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { checkGraph } from '../../fuzz/differential.js';
import { v8Engine } from '../../fuzz/engines/v8.js';
import { generateGraph, isPhaseSeed } from '../../fuzz/generate.js';
import { ignoreUnhandledRejections } from './quiet-rejections.js';

const skip =
  typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function' && 'needs --experimental-vm-modules';
const mainScript = fileURLToPath(new URL('../../fuzz/main.js', import.meta.url));

/** Runs the fuzzer CLI (in its own process: a V8 abort must not take the test runner down). */
function fuzz(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const out = mkdtempSync(join(tmpdir(), 'modhost-fuzz-'));
  try {
    const r = spawnSync(
      process.execPath,
      ['--experimental-vm-modules', '--no-warnings', mainScript, '--out', out, ...args],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('differential fuzzing', { skip }, () => {
  ignoreUnhandledRejections();

  it('is deterministic: V8 against itself on 150 graphs', async () => {
    for (let seed = 5001; seed <= 5150; seed++) {
      // Phase graphs (import defer) are checked against the evaluation model, not V8.
      if (isPhaseSeed(seed)) continue;
      const r = await checkGraph(v8Engine, v8Engine, generateGraph(seed).graph, { correctOracle: false });
      assert.equal(r.divergence, null, `seed ${seed}: ${r.divergence?.detail}`);
      assert.equal(r.skipped, false, `seed ${seed}: oracle artefact ${r.expected.artefact}`);
    }
  });

  it('finds no divergence between modhost and V8 on 200 fixed seeds', () => {
    const r = fuzz(['--count', '200', '--seed', '1', '--quiet', '--max-minimise', '5']);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^divergences: 0;/m, r.stdout);
    assert.equal(r.status, 0, r.stdout);
  });

  it('reports a usage error with exit code 2', () => {
    const r = fuzz(['--count', 'many']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--count needs a non-negative integer/);
  });

  it('reproduces a seed exactly', () => {
    const a = fuzz(['--count', '1', '--seed', '42', '--engine', 'v8', '--show']);
    const b = fuzz(['--count', '1', '--seed', '42', '--engine', 'v8', '--show']);
    assert.equal(a.status, 0);
    const body = (s: string): string => s.replace(/, [\d.]+ s$/m, '');
    assert.equal(body(a.stdout), body(b.stdout));
    assert.match(a.stdout, /^\/\/ ==== seed 42$/m);
  });
});
