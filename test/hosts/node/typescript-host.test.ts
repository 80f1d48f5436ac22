/**
 * TypeScript files through the Node host, on every Node: `import` of `.ts`, `.mts` and `.cts`
 * files, `require()` of them, a `.ts` file without a package "type" decided by its syntax, errors
 * at the file, line and column, the node_modules rule, `import.meta.main`, and the compile cache
 * keeping stripped results. Expected values are written out here (the running Node as oracle for
 * whole programs is in test/cli/like-node-typescript.test.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createCompileCache } from '../../../src/hosts/node/compile-cache.js';
import { createNodeHost } from '../../../src/hosts/node/index.js';
import { RUNNING_NODE } from '../../../src/hosts/node/node-release.js';

const root = mkdtempSync(join(tmpdir(), 'modhost-ts-host-'));
after(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'p-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const base = (dir: string) => pathToFileURL(`${dir}/`).href;

describe('TypeScript in the Node host', () => {
  it('imports .ts, .mts and .cts files, and requires .cts and .mts from CommonJS', async () => {
    const dir = tree({
      'package.json': '{"type": "module"}',
      'main.ts': [
        "import { area, type Shape } from './shape.mts';",
        "import helper from './helper.cts';",
        'const s: Shape = { side: 3 };',
        'export const value: number = area(s) + helper.twice(1);',
        "export const viaRequire: number = helper.fromEsm('x');",
      ].join('\n'),
      'shape.mts': 'export interface Shape { side: number }\nexport const area = (s: Shape): number => s.side ** 2;\n',
      'helper.cts': [
        "const { area } = require('./shape.mts') as typeof import('./shape.mts');",
        'module.exports = {',
        '  twice: (n: number): number => n * 2,',
        '  fromEsm: (name: string): number => area({ side: name.length }),',
        '};',
      ].join('\n'),
    });
    const ns = await createNodeHost().import('./main.ts', base(dir));
    assert.deepEqual({ value: ns.value, viaRequire: ns.viaRequire }, { value: 11, viaRequire: 1 });
  });

  it('a .ts file without a package "type" is an ES module or CommonJS by its syntax', async () => {
    const dir = tree({
      'package.json': '{"name": "typeless"}',
      'esm.ts': 'export const kind: string = "esm";\n',
      'cjs.ts': 'exports.kind = "cjs" as string;\n',
    });
    const host = createNodeHost();
    assert.equal(host.formatOf(`${base(dir)}esm.ts`), 'module-typescript');
    assert.equal(host.formatOf(`${base(dir)}cjs.ts`), 'commonjs-typescript');
    assert.equal((await host.import('./esm.ts', base(dir))).kind, 'esm');
    assert.equal((await host.import('./cjs.ts', base(dir))).kind, 'cjs');
  });

  it('syntax that needs code generated fails the import at its file, line and column', async () => {
    const dir = tree({
      'package.json': '{"type": "module"}',
      'main.ts': "import './colors.ts';\n",
      'colors.ts': 'export const a = 1;\n\n    enum Color { Red }\n',
    });
    await assert.rejects(createNodeHost().import('./main.ts', base(dir)), {
      name: 'SyntaxError',
      code: 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
      message: 'TypeScript enum is not supported in strip-only mode',
      url: `${base(dir)}colors.ts`,
      line: 3,
      column: 5,
    });
  });

  it('a TypeScript file under node_modules is not stripped, imported or required', async () => {
    const dir = tree({
      'package.json': '{"type": "module"}',
      'node_modules/pkg/package.json': '{"name": "pkg", "type": "module", "exports": "./index.ts"}',
      'node_modules/pkg/index.ts': 'export const a: number = 1;\n',
      'node_modules/cjs-pkg/package.json': '{"name": "cjs-pkg", "main": "index.cts"}',
      'node_modules/cjs-pkg/index.cts': 'module.exports = 1 as number;\n',
    });
    const host = createNodeHost();
    const url = `${base(dir)}node_modules/pkg/index.ts`;
    await assert.rejects(host.import('pkg', base(dir)), {
      code: 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
      message: `Stripping types is currently unsupported for files under node_modules, for "${url}"`,
    });
    const path = join(dir, 'node_modules/cjs-pkg/index.cts');
    assert.throws(() => host.commonjs.require(join(dir, 'node_modules/cjs-pkg')), {
      code: 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
      message: `Stripping types is currently unsupported for files under node_modules, for "${path}"`,
    });
  });

  it('stack traces point at the TypeScript lines and columns', async () => {
    const dir = tree({
      'package.json': '{"type": "module"}',
      'main.ts':
        'const pad: number = 1;\nexport function fail(message: string): never { throw new RangeError(message); }\n',
    });
    const ns = await createNodeHost().import('./main.ts', base(dir));
    try {
      (ns.fail as (m: string) => never)('x');
      assert.fail('expected a throw');
    } catch (error) {
      assert.match(String((error as Error).stack), /main\.ts:2:54\b/);
    }
  });

  it('the compile cache keeps stripped modules: a warm run neither strips nor parses', async () => {
    const dir = tree({
      'package.json': '{"type": "module"}',
      'main.ts': "import { v } from './dep.mts';\nexport const w: number = v + 1;\n",
      'dep.mts': 'export const v: number = 41;\n',
    });
    const cacheDir = join(dir, '.cache');
    for (const expectedHits of [0, 2]) {
      const compileCache = createCompileCache({ dir: cacheDir, name: 'ts' });
      const host = createNodeHost({ compileCache });
      assert.equal((await host.import('./main.ts', base(dir))).w, 42);
      assert.equal(host.stats.cacheHits, expectedHits);
      compileCache.flush();
    }
  });
});

describe('import.meta.main in the Node host', () => {
  it('is true for the module run as the entry point and false for the others, where Node has it', async () => {
    const dir = tree({
      'package.json': '{"type": "module"}',
      'main.js': "import { depMain } from './dep.js';\nglobalThis.__metaMain = [import.meta.main, depMain];\n",
      'dep.js': 'export const depMain = import.meta.main;\n',
    });
    const host = createNodeHost();
    await host.run('./main.js', base(dir));
    const seen = (globalThis as { __metaMain?: unknown[] }).__metaMain;
    delete (globalThis as { __metaMain?: unknown[] }).__metaMain;
    assert.deepEqual(seen, RUNNING_NODE.importMetaMain ? [true, false] : [undefined, undefined]);
    const imported = await createNodeHost().import('./dep.js', base(dir));
    assert.equal(imported.depMain, RUNNING_NODE.importMetaMain ? false : undefined);
  });

  it('has the keys of the running Node’s import.meta, in its order', async () => {
    const dir = tree({
      'package.json': '{"type": "module"}',
      'keys.js': 'export const keys = Object.keys(import.meta);\n',
    });
    const ours = (await createNodeHost().import('./keys.js', base(dir))).keys;
    const native = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `console.log(JSON.stringify((await import(${JSON.stringify(`${base(dir)}keys.js`)})).keys))`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(native.status, 0, native.stderr);
    assert.deepEqual(ours, JSON.parse(native.stdout));
  });
});
