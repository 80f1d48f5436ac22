/**
 * `modhost run prog` against `node prog`, on the same programs: the exit code, stdout, the error
 * line of stderr and the stack positions (file, line, column) agree. Expectations come from
 * running node here, never from modhost's output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bin, both, type Outcome, positions, program, report, spawn } from './like-node-helpers.js';

/** Exit code, stdout, the report's location and error lines and the stack positions agree. */
function assertSame(dir: string, entry: string): { node: Outcome; modhost: Outcome } {
  const r = both(dir, entry);
  assert.equal(r.modhost.code, r.node.code, `exit code\n${r.modhost.stderr}`);
  assert.equal(r.modhost.stdout, r.node.stdout, 'stdout');
  const n = report(r.node.stderr);
  const m = report(r.modhost.stderr);
  // (The throw site of a value that is not an Error is known to V8 only: modhost shows none.)
  if (n.location !== undefined && !n.location.startsWith('node:') && m.location !== undefined)
    assert.equal(m.location, n.location, 'location');
  if (/^\w*Error\b/.test(n.header ?? '') && n.location?.startsWith('node:') === false)
    assert.notEqual(m.location, undefined, 'location');
  assert.equal(m.header, n.header, `error line\n--- node\n${r.node.stderr}\n--- modhost\n${r.modhost.stderr}`);
  assert.deepEqual(positions(r.modhost.stderr, dir), positions(r.node.stderr, dir), 'stack positions');
  return r;
}

describe('modhost run ends like node: exit codes', () => {
  it('process.exitCode set at top level, later, in ES modules and CommonJS', () => {
    const dir = program({
      'top.mjs': 'process.exitCode = 7;\n',
      'later.mjs': 'setTimeout(() => { process.exitCode = 8; }, 5);\n',
      'top.cjs': 'process.exitCode = 5;\n',
      'later.cjs': 'setTimeout(() => { process.exitCode = 6; }, 5);\n',
      'tla.mjs': 'await new Promise((r) => setTimeout(r, 5));\nprocess.exitCode = 4;\n',
      'exit.mjs': 'process.on("exit", (c) => console.log("exit", c));\nprocess.exit(3);\n',
    });
    for (const entry of ['top.mjs', 'later.mjs', 'top.cjs', 'later.cjs', 'tla.mjs', 'exit.mjs']) {
      const r = assertSame(dir, entry);
      assert.notEqual(r.node.code, 0, entry);
    }
  });

  it('an unsettled top-level await exits 13 and names the await, in the entry or a dependency', () => {
    const dir = program({
      'main.mjs': 'console.log("start");\nawait new Promise(() => {});\n',
      'dep-main.mjs': "import './dep.mjs';\nconsole.log('never');\n",
      'dep.mjs': 'const x = 1;\n  await new Promise(() => {});\n',
      'coded.mjs': 'process.exitCode = 3;\nawait new Promise(() => {});\n',
    });
    for (const [entry, file, line] of [
      ['main.mjs', 'main.mjs', 2],
      ['dep-main.mjs', 'dep.mjs', 2],
    ] as const) {
      const r = both(dir, entry);
      assert.equal(r.node.code, 13);
      assert.equal(r.modhost.code, 13);
      assert.equal(r.modhost.stdout, r.node.stdout);
      // Node 20 exits 13 silently; Node 22+ prints this warning (modhost too, with its code frame).
      if (r.node.stderr === '') {
        assert.equal(r.modhost.stderr, '');
        continue;
      }
      const warning = `Warning: Detected unsettled top-level await at ${pathToFileURL(join(dir, file)).href}:${line}\n`;
      assert.ok(r.node.stderr.startsWith(warning), r.node.stderr);
      assert.ok(r.modhost.stderr.startsWith(warning), r.modhost.stderr);
      assert.match(r.modhost.stderr, new RegExp(`> ${line} \\| {1,3}await new Promise`));
    }
    // A program that chose its exit code keeps it, as in Node.
    assertSame(dir, 'coded.mjs');
  });
});

describe('modhost run ends like node: stack traces at original lines and columns', () => {
  const lib =
    'export function fail(m) {\n  throw new TypeError(m);\n}\nexport class Boom { constructor() { fail("ctor"); } ' +
    '}\nexport const ns = { fail };\n';
  const cases: Record<string, string> = {
    // An import reference earlier on the line, and the wrapper's header on line 1.
    'line1.mjs': "import { fail } from './lib.mjs'; const a = 1; fail('x');\n",
    'later-line.mjs': "import { fail } from './lib.mjs';\nconsole.log('before');\n\nfail('x');\n",
    'refs-before.mjs': "import { fail, ns } from './lib.mjs';\nconst f = fail, g = ns; g.fail(typeof f + fail.name);\n",
    'new.mjs': "import { Boom } from './lib.mjs';\nconst x = [Boom, Boom]; new Boom();\n",
    'tagged.mjs': "import { fail } from './lib.mjs';\nconst t = fail; fail`tag`;\n",
    'namespace.mjs': "import * as lib from './lib.mjs';\nlib.ns.fail(lib.fail.name);\n",
    'meta.mjs': 'const u = import.meta.url; throw new RangeError(typeof u);\n',
    'default.mjs': "export default (() => { throw new Error('in default'); })();\n",
    'after-tla.mjs': "import { fail } from './lib.mjs';\nawait 0; const f = fail; fail('after await');\n",
    'nested.mjs':
      "import { fail } from './lib.mjs';\nfunction outer() { return [1].map(() => fail(String(fail.length))); " +
      '}\nouter();\n',
    'throw.cjs': "const x = 1; throw new Error('cjs boom');\n",
    'cjs-import.cjs': "const { fail } = require('./lib.cjs');\nfail('from cjs');\n",
    'lib.cjs': 'exports.fail = (m) => { throw new TypeError(m); };\n',
  };
  const dir = program({ 'lib.mjs': lib, ...cases });
  for (const entry of Object.keys(cases).filter((name) => name !== 'lib.cjs')) {
    it(entry, () => {
      const r = assertSame(dir, entry);
      assert.equal(r.node.code, 1);
      assert.ok(positions(r.node.stderr, dir).length > 0, 'node shows a position in the program');
      assert.doesNotMatch(r.modhost.stderr, /Generator\.next|\/dist\/(cli|src)\//);
    });
  }

  it('error.stack read by the program', () => {
    const code = (body: string) =>
      `import { fail } from './lib.mjs';\n${body}\n` +
      "function show(e) { console.log(e.stack.split('\\n').filter((l) => l.includes('.mjs')).map((l) => " +
      "l.replace(/\\(?file:\\/\\/.*\\//, '')).join('|')); }\n";
    const programDir = program({
      'lib.mjs': lib,
      'main.mjs': code(
        "try { fail('a'); } catch (e) { show(e); }\ntry { const z = fail; fail(z.name); } catch (e) { show(e); }",
      ),
      'first.mjs':
        "try { null.x; } catch (e) { console.log(e.stack.split('\\n')[1].trim().replace(/file:.*\\//, '')); }\n",
    });
    for (const entry of ['main.mjs', 'first.mjs']) {
      const r = both(programDir, entry);
      assert.equal(r.modhost.stdout, r.node.stdout);
      assert.equal(r.modhost.code, 0);
    }
  });
});

describe('modhost run ends like node: what is printed', () => {
  const files: Record<string, string> = {
    'object.mjs': 'throw { weird: true };\n',
    'object.cjs': 'throw { weird: true };\n',
    'string.mjs': "throw 'a string';\n",
    'cause.mjs': "const e = new Error('outer', { cause: new TypeError('inner', { cause: 'str' }) });\nthrow e;\n",
    'aggregate.mjs': "throw new AggregateError([new Error('a'), 42], 'many');\n",
    'rejection.mjs': "Promise.reject(new RangeError('nobody'));\n",
    'rejection-value.mjs': 'Promise.reject(42);\n',
    'coded.mjs': "const e = new Error('with code'); e.code = 'E_X'; throw e;\n",
    'timer.mjs':
      "setTimeout(() => { throw new Error('later'); }, 5);\nsetTimeout(() => console.log('not reached'), 50);\n",
  };
  const dir = program(files);
  for (const entry of Object.keys(files)) {
    it(entry, () => {
      const r = assertSame(dir, entry);
      assert.equal(r.node.code, 1);
    });
  }

  it('a cause chain and AggregateError.errors print every error at its position', () => {
    for (const [entry, parts] of [
      ['cause.mjs', ['[cause]: TypeError: inner', "[cause]: 'str'"]],
      ['aggregate.mjs', ['[errors]: [', 'Error: a', '42']],
    ] as const) {
      const r = both(dir, entry);
      for (const part of parts) {
        assert.ok(r.node.stderr.includes(part), `node: ${part}`);
        assert.ok(r.modhost.stderr.includes(part), `modhost: ${part}`);
      }
    }
  });
});

describe('modhost run ends like node: process events', () => {
  const files: Record<string, string> = {
    'handler.mjs':
      "process.on('uncaughtException', (e, origin) => { console.log('handler', e.message); process.exitCode = 9; " +
      "});\nthrow new Error('to handler');\n",
    'handler-tla.mjs':
      "process.on('uncaughtException', (e) => { console.log('handler', e.message); process.exitCode = 9; " +
      "});\nawait new Promise((r) => setTimeout(r, 5));\nthrow new Error('after tla');\n",
    'handler-exit.mjs': "process.on('uncaughtException', () => process.exit(255));\nthrow new Error('ses-like');\n",
    'handler.cjs':
      "process.on('uncaughtException', (e) => { console.log('cjs handler', e.message); });\nthrow new Error('cjs');\n",
    'timer-handler.mjs':
      "process.on('uncaughtException', (e) => console.log('caught', e.message));\nsetTimeout(() => { throw new " +
      "Error('later'); }, 5);\nsetTimeout(() => console.log('still running'), 20);\n",
    'rejection-handler.mjs':
      "process.on('unhandledRejection', (r) => console.log('unhandled', r.message));\nPromise.reject(new " +
      "Error('handled by program'));\n",
    'rejection-to-uncaught.mjs':
      "process.on('uncaughtException', (e, origin) => console.log(origin, e.code ?? " +
      "e.message));\nPromise.reject(new Error('x'));\nPromise.reject(7);\n",
    'named.mjs': "import { nope } from './lib.cjs';\n",
    'lib.cjs': 'module.exports = { yes: 1 };\n',
  };
  const dir = program(files);
  for (const entry of Object.keys(files).filter((name) => name !== 'lib.cjs' && name !== 'named.mjs')) {
    it(entry, () => {
      assertSame(dir, entry);
    });
  }

  it("a named import CommonJS does not provide: node's hint, at the import", () => {
    const r = both(dir, 'named.mjs');
    assert.equal(r.modhost.code, r.node.code);
    assert.equal(report(r.modhost.stderr).location, report(r.node.stderr).location);
    for (const line of ["import pkg from './lib.cjs';", 'const { nope } = pkg;', 'is a CommonJS module']) {
      assert.ok(r.node.stderr.includes(line), `node: ${line}`);
      assert.ok(r.modhost.stderr.includes(line), `modhost: ${line}`);
    }
  });

  it('no invented frames: EPIPE from a program writing to a closed pipe', () => {
    const programDir = program({ 'loud.mjs': "for (let i = 0; i < 100000; i++) console.log('line', i);\n" });
    const shell = (command: string) =>
      spawnSync('bash', ['-c', `${command} | head -1 > /dev/null; echo "status \${PIPESTATUS[0]}" >&2`], {
        cwd: programDir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
    const n = shell(`"${process.execPath}" loud.mjs`);
    const m = shell(`"${process.execPath}" "${bin}" run --no-cache loud.mjs`);
    assert.equal(m.stderr.match(/status \d+/)?.[0], n.stderr.match(/status \d+/)?.[0]);
    assert.equal(report(m.stderr).header, report(n.stderr).header);
    assert.doesNotMatch(m.stderr, /file:\/\/\/(?!.*loud\.mjs)[^\s]*stream_base_commons/);
  });
});

describe('modhost run: the entry, workers, require.async', () => {
  it('a missing entry: one line, ERR_MODULE_NOT_FOUND, exit 1 (run, inspect, graph)', () => {
    const dir = program({ 'x.mjs': '' });
    const path = join(dir, 'missing.js');
    const n = spawn([path], dir);
    assert.equal(n.code, 1);
    assert.ok(n.stderr.includes(`Cannot find module '${path}'`));
    for (const command of ['run', 'inspect', 'graph']) {
      const m = spawn([bin, command, 'missing.js'], dir);
      assert.equal(m.code, 1, command);
      assert.equal(m.stderr, `Error [ERR_MODULE_NOT_FOUND]: Cannot find module '${path}'\n`, command);
      assert.equal(m.stdout, '');
    }
  });

  it('an entry or import with an extension the ES loader does not know: ERR_UNKNOWN_FILE_EXTENSION, exit 1', () => {
    const source = 'const twice = (n: number) => n * 2;\nconsole.log(twice(21));\n';
    // A "module" package scope: the ES loader runs the entry; an import is always the ES loader's.
    const esm = program({ 'package.json': '{"type":"module"}', 'main.tsx': source });
    const cjs = program({ 'main.tsx': source, 'entry.mjs': "import './main.tsx';\n" });
    for (const [dir, entry] of [
      [esm, 'main.tsx'],
      [cjs, 'entry.mjs'],
    ] as const) {
      const { node: n, modhost: m } = both(dir, entry);
      assert.equal(n.code, 1);
      assert.match(n.stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
      assert.equal(m.code, 1, m.stderr);
      assert.match(m.stderr, /TypeError.*Unknown file extension "\.tsx" for .*main\.tsx/);
      assert.match(m.stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
      assert.equal(m.stdout, n.stdout);
    }
    // Elsewhere node runs the entry with the CommonJS loader, as a .js file: a SyntaxError here.
    const { node: n, modhost: m } = both(cjs, 'main.tsx');
    assert.equal(m.code, n.code);
    assert.equal(report(m.stderr).header, report(n.stderr).header);
  });

  it('CommonJS globals in an ES module: node\'s "in ES module scope" hint, naming the package.json', () => {
    const dir = program({
      'package.json': '{"type":"module"}',
      'main.js': "console.log('a');\nconst fs = require('fs');\n",
      'dirname.mjs': "import './uses-dirname.mjs';\n",
      'uses-dirname.mjs': 'console.log(__dirname);\n',
      'later.js': "setTimeout(() => require('fs'), 1);\n",
    });
    for (const entry of ['main.js', 'dirname.mjs', 'later.js']) {
      const { node: n, modhost: m } = both(dir, entry);
      assert.equal(m.code, n.code, entry);
      assert.equal(m.stdout, n.stdout, entry);
      assert.equal(report(m.stderr).header, report(n.stderr).header, entry);
      const treatedAs = /^This file is being treated as an ES module .*$/m;
      assert.equal(treatedAs.exec(m.stderr)?.[0], treatedAs.exec(n.stderr)?.[0], entry);
      assert.deepEqual(positions(m.stderr, dir), positions(n.stderr, dir), entry);
    }
  });

  it('new Worker(file | URL) runs through modhost: conditions, print, workerData, argv, errors', () => {
    const dir = program({
      'main.mjs': [
        "import { Worker } from 'node:worker_threads';",
        "const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { n: 2 }, argv: ['x'] });",
        "w.on('message', (m) => console.log('message', JSON.stringify(m)));",
        "w.on('exit', (c) => { console.log('exit', c); const bad = new Worker('./bad.mjs'); bad.on('error', (e) " +
          "=> console.log('error', e.message)); });",
      ].join('\n'),
      'worker.mjs': [
        "import { parentPort, workerData } from 'node:worker_threads';",
        "import { via } from 'pkg';",
        'parentPort.postMessage({ data: workerData, argv: process.argv.slice(2), via });',
        "if (typeof print === 'function') print('print in worker');",
      ].join('\n'),
      'bad.mjs': "throw new Error('bad worker');\n",
      'node_modules/pkg/package.json': JSON.stringify({
        name: 'pkg',
        exports: { modhost: './modhost.js', default: './default.js' },
        type: 'module',
      }),
      'node_modules/pkg/modhost.js': "export const via = 'modhost';\n",
      'node_modules/pkg/default.js': "export const via = 'default';\n",
    });
    const r = both(dir, 'main.mjs');
    assert.equal(r.node.code, 0);
    assert.equal(r.modhost.code, 0, r.modhost.stderr);
    const expected = r.node.stdout.replace('"via":"default"', '"via":"modhost"');
    // Under modhost the worker resolves with modhost's conditions and has the print global.
    assert.equal(r.modhost.stdout.replace('print in worker\n', ''), expected);
    assert.match(r.modhost.stdout, /print in worker\n/);
    assert.match(r.node.stdout, /^error bad worker$/m);
  });

  it('require.async of a missing id: the callback gets null, stderr warns once', () => {
    const dir = program({
      'main.js':
        "require.async('./nope', (m) => { console.log('got', m); require.async('./nope', (n) => " +
        "console.log('again', n)); });\n",
    });
    const r = spawn([bin, 'run', '--no-cache', 'main.js'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'got null\nagain null\n');
    assert.equal(r.stderr.match(/require\.async\('\.\/nope'\) gives null: Cannot find module '\.\/nope'/g)?.length, 1);
  });
});
