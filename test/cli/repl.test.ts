/**
 * `modhost repl` driven as a process, as a user types into it (stdin a pipe: no prompts, one
 * result per complete input).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bin, startCli } from './live-process.js';

function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-repl-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function repl(input: string, cwd: string, env: Record<string, string> = {}, args: string[] = []) {
  const result = spawnSync(process.execPath, [bin, 'repl', ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', MODHOST_REPL_HISTORY: '', ...env },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('modhost repl (as a process)', () => {
  it('each input is a module in one session: imports, declarations, redeclaration, await, errors', () => {
    const dir = folder({ 'math.mjs': 'export const add = (a, b) => a + b;\nexport default 40;\n' });
    const r = repl(
      [
        '1 + 1',
        'import answer, { add } from "./math.mjs"',
        'add(answer, 2)',
        'let count = 1',
        'function next() {',
        '  return ++count',
        '}',
        'next(); next()',
        'let count = 100',
        'next()',
        'count',
        'const fixed = 1',
        'fixed = 2',
        'throw new RangeError("oops")',
        'undefinedName',
        'await new Promise((resolve) => setTimeout(() => resolve("later"), 10))',
        '({ nested: { list: [1, 2] } })',
        'export const shared = "s"; shared',
        'import.meta.url.endsWith("/repl")',
        '',
      ].join('\n'),
      dir,
    );
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.split('\n'), [
      '2',
      'undefined',
      '42',
      'undefined',
      'undefined',
      '3',
      'undefined',
      '101',
      '101',
      'undefined',
      'Uncaught TypeError: Assignment to constant variable.',
      'Uncaught RangeError: oops',
      'Uncaught ReferenceError: undefinedName is not defined',
      "'later'",
      '{ nested: { list: [ 1, 2 ] } }',
      "'s'",
      'true',
      '',
    ]);
  });

  it('a syntax error is reported and the session goes on; .help; .exit ends it with 0', () => {
    const r = repl(['let = 1;', '2 * 3', '.help', '.exit', '4 * 4', ''].join('\n'), folder());
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', /^Uncaught SyntaxError: /);
    assert.equal(lines[1], '6');
    assert.match(r.stdout, /\.load {5}\.load <file>/);
    assert.doesNotMatch(r.stdout, /16/);
  });

  it('.load runs a file as one input; its declarations join the session', () => {
    const dir = folder({ 'setup.js': 'const base = 10;\nfunction times(n) { return base * n }\ntimes(2)\n' });
    const r = repl(['.load setup.js', 'times(5)', '.load nowhere.js', 'base', ''].join('\n'), dir);
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.split('\n'), ['20', '50', '.load: cannot read nowhere.js (ENOENT)', '10', '']);
  });

  it('--hooks: inputs import what the hook modules serve', () => {
    const dir = folder({
      'hooks.mjs': `export function resolve(specifier, context, next) {
  if (specifier !== 'virtual:answer') return next(specifier, context);
  return { url: 'virtual:answer', shortCircuit: true };
}
export function load(url, context, next) {
  if (url !== 'virtual:answer') return next(url, context);
  return { format: 'module', source: 'export default 42;', shortCircuit: true };
}\n`,
    });
    const r = repl(["import answer from 'virtual:answer'", 'answer + 1', ''].join('\n'), dir, {}, [
      '--hooks',
      './hooks.mjs',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n'), ['undefined', '43', '']);
  });

  it('input that ends inside a statement is reported at the end', () => {
    const r = repl('function f() {\n  return 1\n', folder());
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Uncaught SyntaxError/);
  });

  it('.reload applies edited files: functions defined earlier call the new code', async () => {
    const dir = folder({ 'lib.mjs': 'export const version = () => 1;\n' });
    const p = startCli(['repl'], dir, { MODHOST_REPL_HISTORY: '' });
    try {
      p.write('import { version } from "./lib.mjs"\nconst show = () => version()\nshow()\n');
      await p.waitFor('stdout', /undefined\nundefined\n1\n/);
      writeFileSync(join(dir, 'lib.mjs'), 'export const version = () => 2;\n');
      const mark = p.stdout().length;
      p.write('.reload\nshow()\n.exit\n');
      await p.waitFor('stdout', /hot update: lib\.mjs changed; re-evaluated lib\.mjs .*\n2\n/, mark);
      assert.equal(await p.exited(), 0);
    } finally {
      p.stop();
    }
  });

  it('history goes to the file MODHOST_REPL_HISTORY names', () => {
    const dir = folder();
    const history = join(dir, 'history');
    repl('1 + 2\nlet y = 3\n', dir, { MODHOST_REPL_HISTORY: history });
    assert.equal(readFileSync(history, 'utf8'), '1 + 2\nlet y = 3\n');
  });

  it('on a terminal: prompts, multi-line continuation, colours, history in ~/.modhost_repl_history', async () => {
    // A pseudo-terminal through util-linux's `script` (Debian's bsdutils, an essential package).
    const home = folder();
    const child = spawn('script', ['-qec', `"${process.execPath}" "${bin}" repl`, '/dev/null'], {
      cwd: home,
      env: { ...process.env, HOME: home, MODHOST_REPL_HISTORY: undefined, NO_COLOR: undefined, TERM: 'xterm' },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const waitFor = async (pattern: RegExp): Promise<void> => {
      for (let waited = 0; !pattern.test(out); waited += 20) {
        if (waited > 15_000) assert.fail(`timed out waiting for ${pattern}: ${JSON.stringify(out)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await waitFor(/> /);
      child.stdin.write('let list = [1,\r');
      await waitFor(/\.\.\. /);
      child.stdin.write('2]\r');
      await waitFor(/undefined/);
      child.stdin.write('list.length\r');
      await waitFor(/\u001b\[33m2\u001b\[39m/);
      child.stdin.write('.exit\r');
      assert.equal(await closed, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    assert.match(out, /modhost repl: every input is a module/);
    assert.equal(readFileSync(join(home, '.modhost_repl_history'), 'utf8'), 'let list = [1,\n2]\nlist.length\n.exit\n');
  });

  it('repl takes no file argument (exit 2)', () => {
    const r = spawnSync(process.execPath, [bin, 'repl', 'x.js'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /repl takes no file/);
  });
});
