/**
 * `modhost/commonjs` in a real Node process: the package's `node` export condition selects the
 * Node entry, whose `createCommonJS` reads files when given no loader; `modhost/node` exports the
 * Node loader. Programs import the package by name (a self-reference from the repository).
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs ES module `code` in a child `node` whose working directory is `cwd` (default: the repository). */
function runNode(code: string, cwd = repoRoot): { status: number | null; stdout: string; stderr: string } {
  // The code is written inside the repository, so that `import 'modhost/...'` resolves to this package.
  const dir = mkdtempSync(join(repoRoot, 'dist', 'commonjs-entry-'));
  try {
    const file = join(dir, 'program.mjs');
    writeFileSync(file, code);
    const result = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last line of stdout, parsed as JSON (the program prints its findings there). */
function lastJSON(output: { status: number | null; stdout: string; stderr: string }): unknown {
  assert.equal(output.status, 0, output.stderr);
  const lines = output.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null');
}

describe('modhost/commonjs in Node: createCommonJS without a loader reads files', () => {
  let app: string;

  before(() => {
    app = realpathSync(mkdtempSync(join(tmpdir(), 'modhost-cjs-entry-')));
    mkdirSync(join(app, 'lib'));
    writeFileSync(join(app, 'lib', 'config.js'), 'define({ name: "config" });');
    writeFileSync(join(app, 'data.json'), '{ "answer": 42 }');
    writeFileSync(
      join(app, 'main.js'),
      [
        "const config = require('config');",
        "const data = require('./data.json');",
        "print('main ran');",
        'module.exports = {',
        '  name: config.name,',
        '  answer: data.answer,',
        "  builtin: typeof require('node:path').join,",
        '  filename: __filename,',
        '  isMain: require.main === module,',
        '};',
      ].join('\n'),
    );
  });

  after(() => rmSync(app, { recursive: true, force: true }));

  it('resolves to the Node entry; roots, relative ids, JSON, built-ins and globals work as in the Node host', () => {
    const output = runNode(`
      import { createCommonJS } from 'modhost/commonjs';
      const lines = [];
      const print = (line) => lines.push(line);
      const cjs = createCommonJS({ roots: ['lib'], base: ${JSON.stringify(app)}, globals: { print } });
      const exports = cjs.use('./main.js');
      console.log(JSON.stringify({
        entry: import.meta.resolve('modhost/commonjs'),
        exports,
        lines,
        cached: Object.keys(cjs.cache).sort(),
      }));
    `);
    const found = lastJSON(output) as {
      entry: string;
      exports: Record<string, unknown>;
      lines: string[];
      cached: string[];
    };
    assert.match(found.entry, /\/dist\/src\/hosts\/node\/commonjs\.js$/);
    assert.deepEqual(found.exports, {
      name: 'config',
      answer: 42,
      builtin: 'function',
      filename: join(app, 'main.js'),
      isMain: true,
    });
    assert.deepEqual(found.lines, ['main ran']);
    // require.cache is keyed by file paths, as in Node.
    assert.deepEqual(found.cached, [join(app, 'data.json'), join(app, 'lib', 'config.js'), join(app, 'main.js')]);
  });

  it('with no options at all, ids resolve from the working directory', () => {
    const output = runNode(
      `
      import { createCommonJS } from 'modhost/commonjs';
      console.log(JSON.stringify(createCommonJS().require('./data.json')));
    `,
      app,
    );
    assert.deepEqual(lastJSON(output), { answer: 42 });
  });

  it('a given loader is used as it is (a memory loader here); the rest of the API is the runtime’s', () => {
    const output = runNode(`
      import * as nodeEntry from 'modhost/commonjs';
      import * as neutral from ${JSON.stringify(new URL('../../../src/commonjs/index.js', import.meta.url).href)};
      const files = { 'memory:///m.js': 'exports.from = "memory";' };
      const loader = nodeEntry.createMemoryLoader(files, { base: 'memory:///' });
      const names = Object.keys(neutral);
      const missingExports = names.filter((name) => !(name in nodeEntry));
      const differing = names.filter((name) => name !== 'createCommonJS' && nodeEntry[name] !== neutral[name]);
      console.log(JSON.stringify({
        exports: nodeEntry.createCommonJS({ loader }).use('./m.js'),
        missingExports,
        differing,
      }));
    `);
    assert.deepEqual(lastJSON(output), { exports: { from: 'memory' }, missingExports: [], differing: [] });
  });

  it('modhost/node exports createNodeCommonJSLoader, which the host-neutral createCommonJS takes', () => {
    const output = runNode(`
      import { createCommonJS } from 'modhost/commonjs';
      import { createNodeCommonJSLoader } from 'modhost/node';
      const loader = createNodeCommonJSLoader({ base: ${JSON.stringify(app)} });
      const cjs = createCommonJS({ loader, roots: ['lib'] });
      console.log(JSON.stringify(cjs.require('config')));
    `);
    assert.deepEqual(lastJSON(output), { name: 'config' });
  });

  it('the host-neutral entry (what browsers and other engines get) still requires a loader', () => {
    const output = runNode(`
      import { createCommonJS } from ${JSON.stringify(new URL('../../../src/commonjs/index.js', import.meta.url).href)};
      try {
        createCommonJS({ roots: ['lib'] });
        console.log(JSON.stringify('no error'));
      } catch (error) {
        console.log(JSON.stringify({ name: error.name, code: error.code }));
      }
    `);
    assert.deepEqual(lastJSON(output), { name: 'TypeError', code: 'ERR_MODHOST_INVALID_ARGUMENT' });
  });
});
