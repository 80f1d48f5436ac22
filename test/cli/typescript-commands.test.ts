/** `modhost inspect` and `modhost graph` read TypeScript files as `modhost run` does: types stripped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bin, program, spawn } from './like-node-helpers.js';

describe('inspect and graph of TypeScript files', () => {
  const dir = program({
    'package.json': '{"type": "module"}',
    'main.ts':
      "import { area, type Shape } from './shape.mts';\nconst s: Shape = { side: 2 };\nexport const a: number = " +
      'area(s);\n',
    'shape.mts': 'export interface Shape { side: number }\nexport const area = (s: Shape): number => s.side ** 2;\n',
    'helper.cts': "const { a } = require('./other.cts') as { a: number };\nmodule.exports = a;\n",
    'other.cts': 'exports.a = 1 as number;\n',
  });

  it('inspect shows the bindings of a .ts module (type-only imports are gone) and the requires of a .cts file', () => {
    const ts = spawn([bin, 'inspect', '--json', 'main.ts'], dir);
    assert.equal(ts.code, 0, ts.stderr);
    const analysis = JSON.parse(ts.stdout) as { format: string; requestedModules: { specifier: string }[] };
    assert.deepEqual(
      analysis.requestedModules.map((r) => r.specifier),
      ['./shape.mts'],
    );
    const cts = spawn([bin, 'inspect', '--json', 'helper.cts'], dir);
    assert.equal(cts.code, 0, cts.stderr);
    assert.deepEqual((JSON.parse(cts.stdout) as { requires: string[] }).requires, ['./other.cts']);
  });

  it('graph follows imports and requires through TypeScript files, with their formats', () => {
    const r = spawn([bin, 'graph', '--json', 'main.ts'], dir);
    assert.equal(r.code, 0, r.stderr);
    const graph = JSON.parse(r.stdout) as { modules: { url: string; format: string }[] };
    assert.deepEqual(
      graph.modules.map((m) => [m.url.slice(m.url.lastIndexOf('/') + 1), m.format]),
      [
        ['main.ts', 'module-typescript'],
        ['shape.mts', 'module-typescript'],
      ],
    );
    const cjs = spawn([bin, 'graph', '--json', 'helper.cts'], dir);
    assert.equal(cjs.code, 0, cjs.stderr);
    const formats = (JSON.parse(cjs.stdout) as { modules: { format: string }[] }).modules.map((m) => m.format);
    assert.deepEqual(formats, ['commonjs-typescript', 'commonjs-typescript']);
  });
});
