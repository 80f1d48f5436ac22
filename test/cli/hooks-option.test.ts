/**
 * `modhost run --hooks <file>`: the module's resolve/load exports become the host's first hooks,
 * for the entry too (as `node --import` + `module.registerHooks()`), in the order given.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../cli/modhost.mjs', import.meta.url));
let dir: string;

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', MODHOST_CACHE_DIR: join(dir, '.cache') },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modhost-hooks-cli-'));
  const files: Record<string, string> = {
    'package.json': '{"type":"module"}',
    // A "type stripper" of one kind: `: number` annotations removed from .tsx files (which neither
    // node nor modhost strips by itself).
    'strip.mjs': [
      'export function load(url, context, nextLoad) {',
      '  if (!url.endsWith(".tsx")) return nextLoad(url, context);',
      '  const result = nextLoad(url, { ...context, format: "module" });',
      '  const source = String(result.source).replace(/: number/g, "");',
      '  return { format: "module", source, shortCircuit: true };',
      '}',
      '',
    ].join('\n'),
    'version.cjs': [
      'exports.resolve = (specifier, context, next) =>',
      '  specifier === "virtual:version" ? { url: "virtual:version", shortCircuit: true } : next(specifier, context);',
      'exports.load = (url, context, next) =>',
      '  url === "virtual:version"',
      '    ? { format: "module", source: "export default \\"1.2.3\\";", shortCircuit: true }',
      '    : next(url, context);',
      '',
    ].join('\n'),
    'main.tsx':
      'import version from "virtual:version";\nconst twice = (n: number) => n * 2;\nconsole.log(version, twice(21));\n',
    'nothing.mjs': 'export const unrelated = 1;\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('modhost run --hooks', () => {
  it('installs the hooks of each file (ES module or CommonJS), for the entry too', () => {
    const result = run(['run', '--hooks', './strip.mjs', '--hooks', './version.cjs', 'main.tsx']);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, '1.2.3 42\n');
    assert.equal(result.status, 0);
  });

  it('without the hooks, the same entry fails as node would on it', () => {
    const result = run(['run', '--hooks', './version.cjs', 'main.tsx']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
  });

  it('a --hooks module that exports no hook is a clear error', () => {
    const result = run(['run', '--hooks', './nothing.mjs', 'main.tsx']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--hooks \.\/nothing\.mjs: the module exports neither a resolve nor a load function/);
  });
});
