/**
 * `modhost run app.ts` as `node app.ts` runs it on Node 24: stdout, exit code, the error's
 * location and line, stack positions, warnings. The expected values are written out here, as
 * Node 24.22 printed them; where the running Node strips types itself (22.18 and later), it runs
 * every program too and must print the same (so it is the oracle there, and keeps these values
 * true). On Node 20, which runs no TypeScript, the written values are the only reference.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bin, type Outcome, positions, program, spawn } from './like-node-helpers.js';

/** Does the running Node strip types by default (Node 22.18+, 23.6+)? */
const NODE_STRIPS = typeof (process.features as { typescript?: unknown }).typescript === 'string';

interface Expected {
  readonly code: number;
  readonly stdout: string;
  /** `file:line` of the report, relative to the program's folder (undefined: not compared). */
  readonly location?: string;
  /** The error line of the report (undefined: no error). */
  readonly header?: string;
  readonly positions?: readonly string[];
  /** Warnings printed, without the `(node:<pid>)` prefix and Node's `--trace-warnings` hint. */
  readonly warnings?: readonly string[];
  /** Whether the location names the file by a `file:` URL or by its path. */
  readonly locationForm?: 'url' | 'path';
}

interface Case {
  readonly files: Record<string, string>;
  readonly entry: string;
  /** What Node 24 prints; `dir` is the program's folder. */
  expected(dir: string): Expected;
}

const CASES: Record<string, Case> = {
  'an ES module program: .ts imports .mts and (dynamically) .cts, an error thrown in .mts': {
    files: {
      'package.json': '{"type": "module"}',
      'main.ts': [
        "import { Square, fail, type Shape } from './lib.mts';",
        'const shapes: Shape[] = [new Square(2), new Square(3)];',
        'const total: number = shapes.reduce((sum: number, s: Shape) => sum + s.area(), 0);',
        "console.log('total', total, import.meta.url.endsWith('main.ts'));",
        "const helper = (await import('./helper.cts')) as { default: { twice(n: number): number } };",
        "console.log('twice', helper.default.twice(total));",
        'if (total > 10) fail(`too big: ${total satisfies number}`);',
        '',
      ].join('\n'),
      'lib.mts': [
        'export interface Shape { area(): number }',
        'export class Square implements Shape {',
        '  readonly side: number;',
        '  constructor(side: number) { this.side = side; }',
        '  area(): number { return this.side ** 2; }',
        '}',
        'export function fail(message: string): never {',
        '  throw new TypeError(message as string);',
        '}',
        '',
      ].join('\n'),
      'helper.cts':
        'const twice = (n: number): number => n * 2;\nmodule.exports = { twice } as { twice: typeof twice };\n',
    },
    entry: 'main.ts',
    expected: () => ({
      code: 1,
      stdout: 'total 13 true\ntwice 26\n',
      location: 'lib.mts:8',
      header: 'TypeError: too big: 13',
      positions: ['/lib.mts:8:9', '/main.ts:7:17'],
    }),
  },
  'a CommonJS program: a .ts file in a "commonjs" package requires a .cts file that throws': {
    files: {
      'package.json': '{"type": "commonjs"}',
      'main.ts':
        "const { check } = require('./util.cts') as { check(n: number): void };\nconst n: number = 2;\ncheck(n);\n",
      'util.cts':
        'function check(n: number): void {\n  if (n > 1) throw new RangeError(`n is ${n}`);\n}\nmodule.exports = ' +
        '{ check };\n',
    },
    entry: 'main.ts',
    expected: () => ({
      code: 1,
      stdout: '',
      location: 'util.cts:2',
      header: 'RangeError: n is 2',
      positions: ['/util.cts:2:20', '/main.ts:3:1'],
    }),
  },
  'an enum in an imported .ts file': {
    files: {
      'package.json': '{"type": "module"}',
      'main.ts': "import './colors.ts';\nconsole.log('not reached');\n",
      'colors.ts': 'export const a = 1;\n\n    enum Color { Red }\n',
    },
    entry: 'main.ts',
    expected: () => ({
      code: 1,
      stdout: '',
      location: 'colors.ts:3',
      header: 'SyntaxError [ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX]: TypeScript enum is not supported in strip-only mode',
      positions: [],
    }),
  },
  'a namespace with values in the .mts entry': {
    files: { 'ns.mts': 'export const a: number = 1;\nnamespace N { export const x = 1; }\n' },
    entry: 'ns.mts',
    expected: () => ({
      code: 1,
      stdout: '',
      location: 'ns.mts:2',
      header:
        'SyntaxError [ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX]: TypeScript namespace declaration is not supported in ' +
        'strip-only mode',
      positions: [],
    }),
  },
  'a parameter property in the .cts entry': {
    files: { 'pp.cts': 'class A { constructor(private x: number) {} }\nnew A(1);\n' },
    entry: 'pp.cts',
    expected: () => ({
      code: 1,
      stdout: '',
      location: 'pp.cts:1',
      header:
        'SyntaxError [ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX]: TypeScript parameter property is not supported in ' +
        'strip-only mode',
      positions: [],
    }),
  },
  'a .ts file with module syntax in a package without "type": an ES module, and a warning': {
    files: {
      'package.json': '{"name": "typeless"}',
      'main.ts': 'const n: number = 1;\nexport {};\nconsole.log("esm", typeof require, n);\n',
    },
    entry: 'main.ts',
    expected: (dir) => ({
      code: 0,
      stdout: 'esm undefined 1\n',
      warnings: [
        `[MODULE_TYPELESS_PACKAGE_JSON] Warning: Module type of ${pathToFileURL(join(dir, 'main.ts')).href} is ` +
          "not specified and it doesn't parse as CommonJS.",
        'Reparsing as ES module because module syntax was detected. This incurs a performance overhead.',
        `To eliminate this warning, add "type": "module" to ${join(dir, 'package.json')}.`,
      ],
    }),
  },
  'a .ts file without module syntax in a package without "type": CommonJS': {
    files: {
      'package.json': '{"name": "typeless"}',
      'main.ts': 'const n: number = 1;\nconsole.log("cjs", typeof require, typeof module, n);\n',
    },
    entry: 'main.ts',
    expected: () => ({ code: 0, stdout: 'cjs function object 1\n', warnings: [] }),
  },
  'a TypeScript package under node_modules is not stripped': {
    files: {
      'package.json': '{"type": "module"}',
      'main.ts': "import { a } from 'pkg';\nconsole.log(a);\n",
      'node_modules/pkg/package.json': '{"name": "pkg", "type": "module", "exports": "./index.ts"}',
      'node_modules/pkg/index.ts': 'export const a: number = 1;\n',
    },
    entry: 'main.ts',
    expected: (dir) => ({
      code: 1,
      stdout: '',
      header:
        'Error [ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING]: Stripping types is currently unsupported for files ' +
        `under node_modules, for "${pathToFileURL(join(dir, 'node_modules/pkg/index.ts')).href}"`,
    }),
  },
};

/** What a run printed, in the terms of {@link Expected}; locations relative to `dir`. */
function observed(outcome: Outcome, dir: string): Expected {
  const lines = outcome.stderr.split('\n');
  const relative = (file: string) => {
    const url = `${pathToFileURL(dir).href}/`;
    return file.startsWith(url)
      ? file.slice(url.length)
      : file.startsWith(`${dir}/`)
        ? file.slice(dir.length + 1)
        : file;
  };
  const at = lines.findIndex((line) => /^(?:file:\/\/|\/)\S*:\d+$/.test(line));
  const header = lines.slice(Math.max(at, 0)).find((line) => /^[A-Z]\w*(?: \[\w+\])?: /.test(line));
  const warnings = lines
    .filter(
      (line, i) =>
        /^\(node:\d+\) \[/.test(line) ||
        (i > 0 && /^\(node:\d+\) \[/.test(lines[i - 1] ?? '')) ||
        /^(To eliminate|Reparsing)/.test(line),
    )
    .map((line) => line.replace(/^\(node:\d+\) /, ''));
  return {
    code: outcome.code ?? -1,
    stdout: outcome.stdout,
    location: at === -1 ? undefined : relative(lines[at]!),
    locationForm: at === -1 ? undefined : lines[at]!.startsWith('file:') ? 'url' : 'path',
    header: header?.replace(/ \{$/, ''),
    positions: positions(outcome.stderr, dir),
    warnings: [...new Set(warnings)],
  };
}

/** The parts of `actual` that `expected` names, for comparison. */
function named(actual: Expected, expected: Expected): Partial<Expected> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) out[key] = actual[key as keyof Expected];
  return out;
}

describe('modhost run app.ts as node app.ts on Node 24', () => {
  for (const [name, testCase] of Object.entries(CASES)) {
    it(name, () => {
      const dir = program(testCase.files);
      const expected = testCase.expected(dir);
      const modhost = spawn([bin, 'run', '--no-cache', testCase.entry], dir);
      assert.deepEqual(named(observed(modhost, dir), expected), expected, `modhost\n${modhost.stderr}`);
      if (!NODE_STRIPS) return;
      const node = spawn([testCase.entry], dir);
      assert.deepEqual(named(observed(node, dir), expected), expected, `node (the oracle)\n${node.stderr}`);
      // The same form of location (a path or a file: URL), as the running Node names the file.
      assert.equal(observed(modhost, dir).locationForm, observed(node, dir).locationForm);
    });
  }

  it('a warm compile cache gives the same output and positions', () => {
    const testCase = CASES['an ES module program: .ts imports .mts and (dynamically) .cts, an error thrown in .mts']!;
    const dir = program(testCase.files);
    const expected = testCase.expected(dir);
    for (let run = 0; run < 2; run++) {
      const modhost = spawn([bin, 'run', '--cache-dir', join(dir, '.cache'), testCase.entry], dir);
      assert.deepEqual(named(observed(modhost, dir), expected), expected, `run ${run}\n${modhost.stderr}`);
    }
  });
});
