/**
 * A synthetic test suite for the test-runner workloads (f, g): an application graph of `modules`
 * ES modules (a layered DAG: each module imports two of the next layer; some use lodash-es) and
 * `files` node:test files, each importing the application's entry and lodash-es and running
 * `tests` small tests whose expected values the generator computed. A bundled variant puts every
 * test file in one file (esbuild), which `node --test` runs without any isolation.
 *
 * Written under bench/results/fixtures/ (inside the repository, so `lodash-es` resolves to its
 * node_modules), once per shape; the files are plain text, so every contender reads the same.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from './paths.js';

export interface TestSuiteShape {
  /** Modules in the application graph (the entry included). */
  readonly modules: number;
  /** Test files. */
  readonly files: number;
  /** Tests per file. */
  readonly tests: number;
}

export interface TestSuiteFixture {
  readonly dir: string;
  /** The test folder (what `node --test` and `modhost test` are given). */
  readonly testDir: string;
  /** Absolute paths of the test files. */
  readonly testFiles: readonly string[];
  /** The application's entry module. */
  readonly appEntry: string;
  /** The one-file bundle of every test file (undefined until {@link bundleTestSuite}). */
  bundle?: string;
  /** What the entry's `checksum()` returns. */
  readonly checksum: number;
}

/** The value module `i` contributes (deterministic, different per module). */
function own(i: number): number {
  return (i * 7919) % 1000;
}

/**
 * Writes (or reuses) the suite. Module `i` (0 is the entry) imports modules `2i+1` and `2i+2`
 * when they exist, so the graph is a binary tree of depth log2(n); every 10th module also imports
 * `chunk` / `sum` from lodash-es.
 */
export function writeTestSuite(shape: TestSuiteShape): TestSuiteFixture {
  const dir = join(fixturesDir, `test-suite-${shape.modules}m-${shape.files}f-${shape.tests}t`);
  const appDir = join(dir, 'app');
  const testDir = join(dir, 'test');
  const values: number[] = new Array<number>(shape.modules).fill(0);
  for (let i = shape.modules - 1; i >= 0; i--) {
    let value = own(i);
    for (const child of [2 * i + 1, 2 * i + 2]) if (child < shape.modules) value += values[child] ?? 0;
    values[i] = value;
  }
  const checksum = values[0] ?? 0;
  const testFiles = Array.from({ length: shape.files }, (_, f) =>
    join(testDir, `t${String(f).padStart(4, '0')}.test.js`),
  );
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return { dir, testDir, testFiles, appEntry: join(appDir, 'm0.js'), checksum };

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  mkdirSync(testDir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-test-suite', private: true, type: 'module' }));
  for (let i = 0; i < shape.modules; i++) {
    const lines: string[] = [];
    const children = [2 * i + 1, 2 * i + 2].filter((c) => c < shape.modules);
    for (const [k, c] of children.entries()) lines.push(`import { total as child${k} } from './m${c}.js';`);
    const usesLodash = i % 10 === 0;
    if (usesLodash) lines.push(`import { chunk, sum } from 'lodash-es';`);
    lines.push(`const base = ${own(i)};`);
    lines.push('let calls = 0;');
    lines.push(`export function label() { calls += 1; return 'm${i}:' + calls; }`);
    const parts = ['base', ...children.map((_, k) => `child${k}()`)];
    if (usesLodash) {
      lines.push(`export function total() { return sum(chunk([${parts.join(', ')}], 2).map((c) => sum(c))); }`);
    } else {
      lines.push(`export function total() { return ${parts.join(' + ')}; }`);
    }
    if (i === 0) lines.push('export function checksum() { return total(); }');
    writeFileSync(join(appDir, `m${i}.js`), `${lines.join('\n')}\n`);
  }
  testFiles.forEach((path, f) => {
    const lines = [
      `import { test } from 'node:test';`,
      `import assert from 'node:assert/strict';`,
      `import { checksum, label } from '../app/m0.js';`,
      `import { chunk, range } from 'lodash-es';`,
      '',
    ];
    for (let t = 0; t < shape.tests; t++) {
      const n = f + t + 2;
      switch (t % 3) {
        case 0:
          lines.push(`test('file ${f} checksum ${t}', () => { assert.equal(checksum(), ${checksum}); });`);
          break;
        case 1:
          lines.push(
            `test('file ${f} chunk ${t}', () => { assert.equal(chunk(range(${n}), 2).length, ${Math.ceil(n / 2)}); });`,
          );
          break;
        default:
          // A fresh module instance per file: the first label() of a file is always call 1.
          lines.push(`test('file ${f} label ${t}', () => { assert.match(label(), /^m0:\\d+$/); });`);
      }
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
  });
  writeFileSync(marker, '');
  return { dir, testDir, testFiles, appEntry: join(appDir, 'm0.js'), checksum };
}

/**
 * Bundles every test file into one ES module (esbuild; node:test and node:assert stay external),
 * the "no isolation at all" contender: one module instance for the whole suite.
 */
export async function bundleTestSuite(fixture: TestSuiteFixture): Promise<string> {
  const out = join(fixture.dir, 'bundle', 'all.test.mjs');
  if (existsSync(out)) {
    fixture.bundle = out;
    return out;
  }
  const esbuild = await import('esbuild');
  const entry = join(fixture.dir, 'bundle', 'entry.js');
  mkdirSync(join(fixture.dir, 'bundle'), { recursive: true });
  writeFileSync(entry, fixture.testFiles.map((f) => `import ${JSON.stringify(f)};`).join('\n'));
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: out,
    logLevel: 'error',
  });
  fixture.bundle = out;
  return out;
}
