/**
 * `modhost test`, run as a process, against `node --test` on the same files: the same report
 * (TAP, with durations and stack frames normalised), the same exit codes; plus what a process per
 * file gives for free (fresh instances, file-level hooks kept in their file) and what modhost
 * adds (mocks through modhost/test, --hooks).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'dist', 'cli', 'modhost.mjs');
let dir: string;

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

function run(args: string[], env: Record<string, string> = {}) {
  // (this file runs under `node --test`, whose children report to it in a binary format unless told otherwise)
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const result = spawnSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', MODHOST_CACHE_DIR: join(dir, '.cache'), ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A TAP report without what differs between runs or runners: durations, stack frames, the file-failure details. */
function normalise(tap: string): string {
  return tap
    .split('\n')
    .filter((line) => !/^\s*duration_ms:/.test(line))
    .filter((line) => !/^\s*# duration_ms/.test(line))
    .join('\n')
    .replace(/^(\s*)stack: \|-\n(?:\1 {2}.*\n)*/gm, '$1stack: …\n');
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modhost-test-cmd-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'modhost'), 'dir');
  write({
    'package.json': '{"type":"module"}',
    'src/counter.js': 'export let count = 0; export function next() { return ++count; }',
    'src/db.js': 'export function query() { throw new Error("real database"); }',
    'src/service.js':
      'import { query } from "./db.js"; export function users() { return query("users").map((u) => u.name); }',
    'test/a.test.js': [
      'import { test, describe, it } from "node:test";',
      'import assert from "node:assert/strict";',
      'import { next } from "../src/counter.js";',
      'test("a counts from one", () => { assert.equal(next(), 1); });',
      'describe("a suite", () => {',
      '  it("passes", () => {});',
      '  it("fails", () => { assert.equal(1, 2); });',
      '});',
      '',
    ].join('\n'),
    'test/b.test.js': [
      'import { test } from "node:test";',
      'import assert from "node:assert/strict";',
      'import { next } from "../src/counter.js";',
      'test("b counts from one too (a fresh instance)", () => { assert.equal(next(), 1); });',
      'test("b nested", async (t) => { await t.test("inner", () => {}); });',
      'test.skip("b skipped", () => {});',
      '',
    ].join('\n'),
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('modhost test', () => {
  it('reports as node --test does (TAP), with the same exit code', () => {
    const native = run(['--test', '--test-reporter=tap', 'test/a.test.js', 'test/b.test.js']);
    const ours = run([bin, 'test', '--test-reporter=tap', 'test/a.test.js', 'test/b.test.js']);
    assert.equal(native.status, 1);
    assert.equal(ours.status, 1, ours.stderr);
    assert.equal(normalise(ours.stdout), normalise(native.stdout));
  });

  it('finds test files as node --test does, and exits 0 when everything passes', () => {
    write({ 'pass/one.test.js': 'import { test } from "node:test"; test("one", () => {});' });
    const ours = run([bin, 'test', 'pass']);
    assert.equal(ours.status, 0, ours.stdout + ours.stderr);
    assert.match(ours.stdout, /# pass 1|ℹ pass 1/);
    const missing = run([bin, 'test', 'no-such-file.test.js']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /Could not find 'no-such-file\.test\.js'/);
  });

  it('node:test seen from a test file: the same export names and require() value as under node --test', () => {
    write({
      'shape/shape.test.js': [
        'import * as t from "node:test";',
        'import { createRequire } from "node:module";',
        'const required = createRequire(import.meta.url)("node:test");',
        'const shape = [Object.keys(t).sort().join(","), typeof required, typeof required.describe];',
        't.test("shape", () => { console.log("SHAPE " + JSON.stringify(shape)); });',
      ].join('\n'),
    });
    const shapeOf = (stdout: string) => /SHAPE (.*)/.exec(stdout)?.[1];
    const native = run(['--test', '--test-reporter=tap', 'shape/shape.test.js']);
    const ours = run([bin, 'test', '--test-reporter=tap', 'shape/shape.test.js']);
    assert.equal(native.status, 0, native.stdout);
    assert.equal(ours.status, 0, ours.stdout + ours.stderr);
    assert.ok(shapeOf(native.stdout), native.stdout);
    assert.equal(shapeOf(ours.stdout), shapeOf(native.stdout));
  });

  it('a file that throws at top level fails that file only, as a test named after the file', () => {
    write({
      'boom/a.test.js':
        'import { test } from "node:test"; test("before the throw", () => {}); throw new Error("top-level boom");',
      'boom/b.test.js': 'import { test } from "node:test"; test("other file runs", () => {});',
    });
    const ours = run([bin, 'test', '--test-reporter=tap', 'boom']);
    assert.equal(ours.status, 1);
    assert.match(ours.stdout, /^not ok \d+ - .*boom\/a\.test\.js$/m);
    assert.match(ours.stdout, /top-level boom/);
    assert.match(ours.stdout, /^ok \d+ - other file runs$/m);
    assert.match(ours.stdout, /location: '.*boom\/a\.test\.js:1:1'/);
  });

  it('keeps file-level hooks in their file (Node’s --test-isolation=none does not)', () => {
    write({
      'hooks/a.test.js': [
        'import { test, beforeEach, after } from "node:test";',
        'beforeEach((t) => { globalThis.seen = (globalThis.seen ?? []).concat("a:" + t.name); });',
        'after(() => { globalThis.seen.push("a after"); });',
        'test("a1", () => {});',
        '',
      ].join('\n'),
      'hooks/b.test.js': [
        'import { test } from "node:test";',
        'import assert from "node:assert/strict";',
        'test("b1 sees only a’s own hook runs", () => { assert.deepEqual(globalThis.seen, ["a:a1", "a after"]); });',
        '',
      ].join('\n'),
    });
    const ours = run([bin, 'test', '--test-reporter=tap', 'hooks/a.test.js', 'hooks/b.test.js']);
    assert.equal(ours.status, 0, ours.stdout);
  });

  it('reports the location where each test was written, not modhost’s compiled position', () => {
    write({
      'loc/x.test.js': 'import { test as t } from "node:test";\n  t("located", () => { throw new Error("x"); });\n',
    });
    const ours = run([bin, 'test', '--test-reporter=tap', 'loc/x.test.js']);
    assert.match(ours.stdout, /location: '.*loc\/x\.test\.js:2:3'/);
  });

  it('--test-name-pattern and --test-reporter are node:test’s own', () => {
    const ours = run([bin, 'test', '--test-name-pattern=counts', '--test-reporter=dot', 'test/b.test.js']);
    assert.equal(ours.status, 0, ours.stderr);
    assert.match(ours.stdout, /^[.]+$/m);
  });

  it('mock() from modhost/test replaces a module at any depth for the file, restored after it', () => {
    write({
      'mocking/a.test.js': [
        'import { test } from "node:test";',
        'import assert from "node:assert/strict";',
        'import { mock } from "modhost/test";',
        'mock("../src/db.js", () => ({ query: () => [{ name: "ada" }] }));',
        'const { users } = await import("../src/service.js");',
        'test("deep mock", () => { assert.deepEqual(users(), ["ada"]); });',
        '',
      ].join('\n'),
      'mocking/b.test.js': [
        'import { test } from "node:test";',
        'import assert from "node:assert/strict";',
        'import { users } from "../src/service.js";',
        'test("no mock here", () => { assert.throws(() => users(), /real database/); });',
        '',
      ].join('\n'),
    });
    const ours = run([bin, 'test', '--test-reporter=tap', 'mocking']);
    assert.equal(ours.status, 0, ours.stdout + ours.stderr);
  });

  it('--hooks: the hooks apply to the test files and what they import', () => {
    write({
      'virtual-hooks.mjs': [
        'export function resolve(specifier, context, next) {',
        '  if (specifier === "virtual:config") return { url: "virtual:config", shortCircuit: true };',
        '  return next(specifier, context);',
        '}',
        'export function load(url, context, next) {',
        '  if (url === "virtual:config") return { format: "module", source: "export default { env: \\"test\\" ' +
          '};", shortCircuit: true };',
        '  return next(url, context);',
        '}',
        '',
      ].join('\n'),
      'virtual/a.test.js':
        'import { test } from "node:test"; import assert from "node:assert/strict"; import config from ' +
        '"virtual:config"; test("config", () => assert.equal(config.env, "test"));',
    });
    const ours = run([bin, 'test', '--hooks', './virtual-hooks.mjs', 'virtual']);
    assert.equal(ours.status, 0, ours.stdout + ours.stderr);
  });

  it('a --hooks module that throws is reported as the program error it is, exit 1', () => {
    write({ 'bad-hooks.mjs': 'throw new Error("bad hooks module");' });
    const ours = run([bin, 'test', '--hooks', './bad-hooks.mjs', 'pass']);
    assert.equal(ours.status, 1);
    assert.match(ours.stderr, /Error: bad hooks module/);
    assert.doesNotMatch(ours.stderr, /internal error/);
  });

  it('--isolate=none runs every file in one host', () => {
    const ours = run([bin, 'test', '--isolate=none', '--test-reporter=tap', 'test/b.test.js', 'test/a.test.js']);
    // a's counter test now sees b's increment: one instance for both files.
    assert.match(ours.stdout, /^not ok \d+ - a counts from one$/m);
  });
});
