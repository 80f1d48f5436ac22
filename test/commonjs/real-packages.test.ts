/**
 * Real packages: programs run once under plain `node` and once as modhost's main module (each a
 * child process); their output must be identical. Node is the oracle.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FIXTURES } from './helpers.js';

const loaderUrl = pathToFileURL(
  resolve(dirname(fileURLToPath(import.meta.url)), '../../src/hosts/node/commonjs-loader.js'),
).href;

function run(args: string[], cwd: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function underNode(program: string): string {
  const result = run([program], dirname(program));
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

function underModhost(program: string): string {
  const script =
    `import { createNodeCommonJS } from ${JSON.stringify(loaderUrl)};\n` +
    `createNodeCommonJS().use(${JSON.stringify(program)});\n`;
  const result = run(['--input-type=module', '-e', script], dirname(program));
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe('real packages: same output as plain node', () => {
  for (const name of ['lodash-program.js', 'json-program.js']) {
    it(name, () => {
      const program = join(FIXTURES, 'programs', name);
      const expected = underNode(program);
      assert.ok(expected.split('\n').length > 10, 'the program prints something');
      assert.equal(underModhost(program), expected);
    });
  }
});
