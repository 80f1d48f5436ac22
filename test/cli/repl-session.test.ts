/**
 * The REPL's session scope, in process: each input a module, declarations visible to later
 * inputs and redeclarable (the newest wins, also for functions defined earlier), assignments to
 * earlier `let`s, static imports, top-level await, completion values, failures that publish nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { replHostOf } from '../../src/cli/repl.js';
import { createReplSession, type ReplResult } from '../../src/cli/repl-session.js';
import { createNodeHost } from '../../src/hosts/node/index.js';

function session(files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-repl-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const repl = createReplSession(replHostOf(createNodeHost(), dir));
  return {
    dir,
    repl,
    /** The value of an input (fails the test on an error). */
    async value(text: string): Promise<unknown> {
      const result = await repl.evaluate(text);
      if (result.kind === 'error') throw result.error;
      assert.equal(result.kind, 'value', `incomplete: ${text}`);
      return (result as { value: unknown }).value;
    },
  };
}

const errorOf = (result: ReplResult): Error & { code?: string } => {
  assert.equal(result.kind, 'error');
  return (result as { error: Error & { code?: string } }).error;
};

describe('REPL session: every input is a module in one scope', () => {
  it('expressions give their value; declarations are visible to later inputs', async () => {
    const s = session();
    assert.equal(await s.value('1 + 2'), 3);
    assert.deepEqual(await s.repl.evaluate('let x = 20; const y = 1'), {
      kind: 'value',
      value: undefined,
      hasValue: false,
    });
    assert.equal(await s.value('x + y'), 21);
    assert.equal(await s.value('function twice(n) { return n * 2 }\ntwice(x)'), 40);
    assert.equal(await s.value('class Point { constructor(x) { this.x = x } }; new Point(x).x'), 20);
  });

  it('a later input may declare a name again: the new declaration wins, for earlier functions too', async () => {
    const s = session();
    await s.value('let greeting = "hello"');
    await s.value('function greet() { return greeting }');
    assert.equal(await s.value('greet()'), 'hello');
    await s.value('const greeting = "hi"');
    assert.equal(await s.value('greeting'), 'hi');
    assert.equal(await s.value('greet()'), 'hi', 'greet reads the newest declaration (relinked)');
    await s.value('function greet() { return greeting + "!" }');
    assert.equal(await s.value('greet()'), 'hi!');
  });

  it('assignments to names earlier inputs declared with let/var reach them; const stays constant', async () => {
    const s = session();
    await s.value('let count = 0; var total = 10; const fixed = 1');
    await s.value('count++; count += 2; total = 5');
    assert.deepEqual(await s.value('[count, total]'), [3, 5]);
    await s.value('function bump() { count++ }');
    await s.value('bump(); bump()');
    assert.equal(await s.value('count'), 5);
    const error = errorOf(await s.repl.evaluate('fixed = 2'));
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /constant/);
    assert.equal(await s.value('fixed'), 1);
  });

  it('static import through the host, relative to the working directory; imports are session names', async () => {
    const s = session({ 'math.mjs': 'export const add = (a, b) => a + b; export default 42;' });
    assert.equal(await s.value('import answer, { add } from "./math.mjs"; add(answer, 1)'), 43);
    assert.equal(await s.value('add(1, 1)'), 2);
    assert.equal(await s.value('import { basename } from "node:path"; basename("/a/b.txt")'), 'b.txt');
    const error = errorOf(await s.repl.evaluate('add = 1'));
    assert.ok(error instanceof TypeError);
  });

  it('top-level await, and an object literal input', async () => {
    const s = session();
    assert.equal(await s.value('await new Promise((r) => setTimeout(() => r(7), 5))'), 7);
    assert.equal(await s.value('const later = await Promise.resolve("v"); later'), 'v');
    assert.deepEqual(await s.value('{ a: 1, b: 2 }'), { a: 1, b: 2 });
    assert.equal(await s.value('{ let inner = 3; inner }'), undefined);
  });

  it('incomplete text asks for more; a syntax error is an error', async () => {
    const s = session();
    assert.deepEqual(await s.repl.evaluate('function f() {'), { kind: 'incomplete' });
    assert.deepEqual(await s.repl.evaluate('[1,\n2,'), { kind: 'incomplete' });
    assert.deepEqual(await s.repl.evaluate('`multi\nline'), { kind: 'incomplete' });
    assert.equal(await s.value('function f() {\n  return 5\n}\nf()'), 5);
    const error = errorOf(await s.repl.evaluate('let = ;'));
    assert.ok(error instanceof SyntaxError);
  });

  it('an input that fails publishes none of its names; the session goes on', async () => {
    const s = session();
    await s.value('let kept = 1');
    const thrown = errorOf(await s.repl.evaluate('let lost = 2; kept = 5; throw new RangeError("no")'));
    assert.ok(thrown instanceof RangeError);
    assert.equal(errorOf(await s.repl.evaluate('lost')).name, 'ReferenceError');
    // (its assignment to an earlier name did happen: code ran until the throw)
    assert.equal(await s.value('kept'), 5);
    const missing = errorOf(await s.repl.evaluate('import "./nope.mjs"'));
    assert.equal(missing.code, 'ERR_MODULE_NOT_FOUND');
    assert.equal(await s.value('kept + 1'), 6);
  });

  it('exports of an input are allowed (and its declarations published)', async () => {
    const s = session();
    await s.value('export const exported = "e"; export default function named() { return 1 }');
    assert.equal(await s.value('exported + named()'), 'e1');
  });
});
