/**
 * `npm run example` (the README's first command) runs dist/examples/run-all.js: it must exit 0
 * and show what each example is there to show. The expected values follow from the examples'
 * own inputs (prices, carts, edits), not from a recording of their output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const runAll = fileURLToPath(new URL('../../examples/run-all.js', import.meta.url));
const examples = new URL('../../../examples/', import.meta.url);

/** The output's sections: `== title` lines, each followed by its indented lines. */
function sections(output: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('== ')) found.set(line.slice(3), (current = []));
    else if (line.trim() !== '') current?.push(line.trim());
  }
  return found;
}

describe('npm run example (examples/run-all.ts)', () => {
  let status: number | null = null;
  let output = '';
  let all = new Map<string, string[]>();
  before(() => {
    // (without node:test's marker for child processes, which would make `modhost test` report
    // to this test runner in its binary format instead of printing)
    const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
    const result = spawnSync(process.execPath, [runAll], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...inherited, NO_COLOR: '1' },
    });
    status = result.status;
    output = result.stdout + result.stderr;
    all = sections(result.stdout);
  });
  /** The lines of the one section whose title starts with `prefix`. */
  function section(prefix: string): string[] {
    const titles = [...all.keys()].filter((title) => title.startsWith(prefix));
    assert.equal(titles.length, 1, `one section titled "${prefix}…" in:\n${output}`);
    return all.get(titles[0] ?? '') ?? [];
  }
  function has(lines: string[], expected: string | RegExp): void {
    const found = lines.some((line) => (typeof expected === 'string' ? line === expected : expected.test(line)));
    assert.ok(found, `expected a line ${String(expected)} in:\n${lines.join('\n')}`);
  }

  it('exits 0, and every command it runs exits 0', () => {
    assert.equal(status, 0, output);
    const commands = [...all.keys()].filter((title) => title.startsWith('modhost '));
    assert.equal(commands.length, 4, output);
    for (const title of commands) assert.match(title, /\(exit 0\)$/);
  });

  it('the proposal API: an in-memory graph with a cycle, mocks by importHook, isolated instances', () => {
    const graph = section('In-memory module graph');
    has(graph, 'Hello, modhost!');
    has(graph, 'even(10) = true');
    has(section('Mocked dependency'), /^\[2000-01-01T00:00:00Z\] mocked$/);
    const isolated = section('Two isolated instances');
    has(isolated, 'first instance count = 2'); // incremented twice
    has(isolated, 'second instance count = 1'); // once, in its own instance
  });

  it('the Import Hook proposal and import phases: a deferred module evaluates on first access', () => {
    const hook = section('The Import Hook proposal');
    has(hook, 'one instance per realm: true');
    has(hook, /^ERR_MODHOST_IMPORT_HOOK_FAILED: .*'\.\/missing\.js'/);
    const phases = section('Import phases');
    const at = (line: string) => phases.indexOf(line);
    assert.ok(at('deferred: Deferred Module') >= 0, phases.join('\n'));
    assert.ok(at('deferred: Deferred Module') < at('heavy.js evaluates now'), phases.join('\n'));
    assert.ok(at('heavy.js evaluates now') < at('heavy.answer = 42'), phases.join('\n'));
  });

  it('a programmable host: a hook-served module, a mock two levels deep for ES and CommonJS importers', () => {
    const host = section('A programmable host');
    has(host, /^plugin: +hello from hello\.js \(api v2\)$/);
    // users.js (ES) reads the mock's rows, audit.cjs (CommonJS) its name; a fork's first id is 1.
    has(host, /^mocked: +report #1: users ada, grace; audit log in an in-memory fake$/);
    // The fork takes the parent's compiled sources: it compiles nothing (its counter stays at 0).
    has(host, /^parse and compile: parent [\d.]+ ms, fork 0 ms$/);
    // The parent handed out ids 1 and 2: the sharing fork continues, a plain fork starts anew.
    has(host, /^ids\.js: +next id in a fork that shares it 3, in one that does not 1$/);
    has(host, /^dispose: a later import rejects with ERR_MODHOST_HOST_DISPOSED$/);
  });

  it('hot replacement: the importer two levels up reads the new binding and keeps its state', () => {
    const hot = section('Hot replacement');
    assert.deepEqual(
      hot.filter((line) => /^(before|after):/.test(line)),
      [
        'before: hello, ada (call 1)',
        'before: hello, ada (call 2)',
        'after:  bonjour, ada (call 3)', // new greet, app.js not evaluated again: its count goes on
        'after:  bonjour, ada (call 4)', // the broken edit changed nothing
      ],
    );
    has(hot, /^update: changed greet\.js; evaluated again greet\.js; accepted by greet\.js; full reload false \(/);
    has(hot, 'broken edit: ERR_MODHOST_PARSE, nothing applied');
  });

  it('modhost run: an ES app with a JSON module, and a CommonJS app with --root', () => {
    const prices = JSON.parse(readFileSync(new URL('app/prices.json', examples), 'utf8')) as Record<string, number>;
    const cents = 3 * (prices.apple ?? NaN) + 2 * (prices.pear ?? NaN); // main.js's cart
    has(section('modhost run examples/app/main.js'), `main.js: total ${(cents / 100).toFixed(2)} EUR`);
    const cjs = section('modhost run --root lib main.js');
    has(cjs, 'hello modhost from the commonjs app');
    has(cjs, 'chunks: [["a","b"],["c"]] main: true');
  });

  it('modhost test: both files pass, the mocked one and the one that must see the real module', () => {
    const tests = section('modhost test');
    has(tests, /^✔ checkout charges the cart total/);
    has(tests, /^✔ the real payments module is back in the next file/);
    has(tests, 'ℹ pass 2');
    has(tests, 'ℹ fail 0');
  });

  it('modhost repl: an import, then an expression that uses it', () => {
    const repl = section('modhost repl');
    has(repl, 'undefined'); // a declaration's value, as in Node's REPL
    has(repl, `'total ${((2 * 75) / 100).toFixed(2)} EUR'`);
  });
});
