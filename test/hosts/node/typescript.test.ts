/**
 * TypeScript type stripping (src/hosts/node/typescript.ts): erasable syntax becomes spaces, so
 * every line keeps its length and every position its column; syntax that needs code generated is
 * a coded SyntaxError at the file, line and column. Expected texts are written out here with the
 * type syntax marked, never taken from a stripper's output; the running Node's built-in stripper
 * and the `amaro` package are held to the same expectations and to each other.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import {
  defaultTypeScriptStripper,
  isTypeScriptFile,
  isUnderNodeModules,
  stripTypeScriptTypes,
  type TypeScriptStripper,
  typeScriptStripperId,
} from '../../../src/hosts/node/typescript.js';

const HAS_BUILTIN = typeof (process.features as { typescript?: unknown }).typescript === 'string';
const hasStripFunction = defaultTypeScriptStripper() === 'node';
/** Both strippers where the running Node has its own, else amaro alone. */
const STRIPPERS: TypeScriptStripper[] = hasStripFunction ? ['node', 'amaro'] : ['amaro'];
const URL_ = 'file:///app/main.ts';

/**
 * A TypeScript text and the JavaScript that stripping must give: the parts between ⟨ and ⟩ are
 * type syntax, which the JavaScript has as spaces (line breaks inside them stay).
 */
function marked(text: string): { ts: string; js: string } {
  const ts = text.replace(/[⟨⟩]/g, '');
  const js = text.replace(/⟨([^⟩]*)⟩/g, (_, inner: string) => inner.replace(/[^\n]/g, ' '));
  return { ts, js };
}

const ERASABLE: Record<string, string> = {
  annotations:
    'const a⟨: number⟩ = 1;\nlet b⟨: Array<Map<string, number>>⟩ = [];\nfunction f(x⟨: number⟩, y⟨?: string⟩)⟨: ' +
    'number⟩ { return x; }\n',
  'interface and type': '⟨interface P { x: number }⟩\n⟨type T = string | number;⟩\nexport const p = 1;\n',
  'as, satisfies and the non-null assertion':
    'const v = (1 ⟨as unknown⟩)⟨!⟩;\nconst w = { a: 1 } ⟨satisfies object⟩;\n',
  generics: 'function id⟨<T>⟩(x⟨: T⟩)⟨: T⟩ { return x; }\nconst n = id⟨<number>⟩(1);\n',
  'type-only imports and exports': "⟨import type { X } from './x.js';⟩\n⟨export type { X };⟩\nconsole.log(1);\n",
  'class members':
    '⟨abstract⟩ class C⟨<T>⟩ ⟨implements I⟩ {\n  ⟨declare y: string;⟩\n  ⟨private⟩ x⟨!: number⟩;\n  ⟨abstract ' +
    'm(): void;⟩\n  ⟨public⟩ n()⟨: void⟩ {}\n}\n',
  'declare and type-only namespaces': '⟨declare const g: number;⟩\n⟨namespace Types { }⟩\nexport {};\n',
  'this parameter and an overload': '⟨function f(this: Window): void;⟩\nfunction f(⟨this: Window⟩) {}\n',
  'non-ASCII and tabs around types': 'const s⟨: string⟩ = "日本😀";\n\tconst t⟨: number⟩ = 1;\n',
};

const UNSUPPORTED: Record<string, { text: string; message: RegExp }> = {
  enum: { text: 'const a: number = 1;\n  enum Color { Red }\n', message: /TypeScript enum is not supported/ },
  'namespace with values': {
    text: 'export const a = 1;\nnamespace N { export const x = 1; }\n',
    message: /namespace declaration is not supported/,
  },
  'parameter property': {
    text: 'class A {\n  constructor(\n    private x: number,\n  ) {}\n}\n',
    message: /parameter property is not supported/,
  },
  'import equals': { text: 'import x = require("y");\n', message: /import equals declaration is not supported/ },
  'export assignment': { text: 'export = 1;\n', message: /export assignment is not supported/ },
  'angle-bracket cast': { text: 'let b = 1;\nlet a = <number>(b);\n', message: /angle-bracket syntax/ },
};

/** 1-based line and column (UTF-16 code units, as V8 counts) of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

describe('TypeScript stripping: erasable syntax', () => {
  for (const stripper of STRIPPERS) {
    for (const [name, text] of Object.entries(ERASABLE)) {
      it(`${stripper}: ${name}`, () => {
        const { ts, js } = marked(text);
        assert.equal(stripTypeScriptTypes(ts, { url: URL_, stripper }), js);
      });
    }
  }

  it('the default stripper is the running Node’s own when it has one', () => {
    assert.equal(defaultTypeScriptStripper(), hasStripFunction ? 'node' : 'amaro');
    if (HAS_BUILTIN) assert.equal(hasStripFunction, true, 'a Node that strips types has module.stripTypeScriptTypes');
  });

  it('the stripper names itself and its version (stripped modules are cached under it)', () => {
    assert.match(
      typeScriptStripperId(),
      hasStripFunction ? new RegExp(`^node ${process.versions.node}$`) : /^amaro \d+\.\d+\.\d+$/,
    );
  });

  it('TypeScript files are .ts, .mts and .cts; node_modules is seen in URLs and paths', () => {
    assert.deepEqual(
      ['a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a.d.ts', 'a.js', 'ts', 'file:///x.ts?v=1'].map(isTypeScriptFile),
      [true, true, true, false, true, false, false, true],
    );
    assert.equal(isUnderNodeModules('file:///p/node_modules/x/a.ts'), true);
    assert.equal(isUnderNodeModules('/p/node_modules/x/a.ts'), true);
    assert.equal(isUnderNodeModules('file:///p/my_node_modules/a.ts'), false);
  });
});

describe('TypeScript stripping: what cannot be erased', () => {
  for (const stripper of STRIPPERS) {
    for (const [name, { text, message }] of Object.entries(UNSUPPORTED)) {
      it(`${stripper}: ${name} is ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX at its line and column`, () => {
        const first = name === 'parameter property' ? 'x: number' : name === 'angle-bracket cast' ? '<number>' : null;
        const start = first ?? text.trimStart().split('\n')[0]!;
        const want = positionOf(
          text,
          name === 'enum' ? 'enum' : name === 'namespace with values' ? 'namespace' : start,
        );
        assert.throws(
          () => stripTypeScriptTypes(text, { url: URL_, stripper }),
          (error: Error & Record<string, unknown>) => {
            assert.equal(error.name, 'SyntaxError');
            assert.equal(error.code, 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX');
            assert.match(error.message, message);
            assert.doesNotMatch(error.message, /main\.ts/, "Node's message names no file");
            assert.equal(error.url, URL_);
            assert.deepEqual({ line: error.line, column: error.column }, want);
            assert.match(String(error.snippet), /\^|>/);
            return true;
          },
        );
      });
    }

    it(`${stripper}: the column counts UTF-16 code units after tabs and wide characters`, () => {
      for (const prefix of ['\t\t', 'const s = "日本😀é"; ', '/* ☃\t*/ ', 'const 変数 = 1; ']) {
        const text = `let a = 1;\n${prefix}enum E { A }\n`;
        assert.throws(
          () => stripTypeScriptTypes(text, { url: URL_, stripper }),
          (error: Error & Record<string, unknown>) => {
            assert.deepEqual({ line: error.line, column: error.column }, positionOf(text, 'enum'), prefix);
            return true;
          },
        );
      }
    });

    it(`${stripper}: text that is not TypeScript is ERR_INVALID_TYPESCRIPT_SYNTAX`, () => {
      const text = 'const x = 1;\nlet y: = 2;\n';
      assert.throws(() => stripTypeScriptTypes(text, { url: URL_, stripper }), {
        name: 'SyntaxError',
        code: 'ERR_INVALID_TYPESCRIPT_SYNTAX',
        line: 2,
        column: positionOf(text, '= 2').column,
      });
    });
  }

  it('a file under node_modules is not stripped (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING)', () => {
    const url = 'file:///p/node_modules/pkg/index.ts';
    assert.throws(() => stripTypeScriptTypes('export const a: number = 1;', { url }), {
      name: 'Error',
      code: 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
      message: `Stripping types is currently unsupported for files under node_modules, for "${url}"`,
    });
    assert.throws(() => stripTypeScriptTypes('', { url, shown: '/p/node_modules/pkg/index.ts' }), {
      message: /for "\/p\/node_modules\/pkg\/index\.ts"$/,
    });
  });
});

describe('TypeScript stripping: the two strippers on real code', () => {
  /** This repository's own TypeScript: erasable only, so it must strip to valid modules. */
  const repo = fileURLToPath(new URL('../../../../', import.meta.url));
  const files: string[] = [];
  for (const top of ['src', 'bench', 'fuzz']) {
    (function walk(dir: string) {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) files.push(path);
      }
    })(join(repo, top));
  }

  const title =
    `${files.length} files: erasable ones keep every line's length and parse as modules, the others fail ` +
    `at a position${hasStripFunction ? '; both strippers agree' : ''}`;
  it(title, () => {
    assert.ok(files.length > 100);
    let failed = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const outcomes = STRIPPERS.map((stripper) => {
        try {
          return stripTypeScriptTypes(text, { url: `file://${file}`, stripper });
        } catch (error) {
          const e = error as Record<string, unknown>;
          return { code: e.code, line: e.line, column: e.column };
        }
      });
      const first = outcomes[0]!;
      // The built-in of Node 24 blanks characters outside ASCII with spaces of the same UTF-8
      // length (U+2002), newer amaro releases with ASCII spaces: the same JavaScript either way.
      const blanked = (outcome: unknown) => (typeof outcome === 'string' ? outcome.replace(/[^\S\n]/g, ' ') : outcome);
      for (const other of outcomes.slice(1)) assert.deepEqual(blanked(other), blanked(first), file);
      if (typeof first !== 'string') {
        failed++;
        assert.equal(first.code, 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', file);
        const line = text.split('\n')[(first.line as number) - 1] ?? '';
        // An enum starts where the error points; a parameter property's parameter follows its modifier.
        const at = (first.column as number) - 1;
        assert.ok(
          /^enum\b/.test(line.slice(at)) ||
            /\b(private|public|protected|readonly|override)\s+$/.test(line.slice(0, at)),
          `${file}:${first.line}:${first.column}`,
        );
        continue;
      }
      assert.deepEqual(
        first.split('\n').map((l) => l.length),
        text.split('\n').map((l) => l.length),
        file,
      );
      assert.doesNotThrow(() => new vm.SourceTextModule(first, { identifier: file }), file);
    }
    assert.ok(failed < files.length / 10, `${failed} files are not erasable`);
  });
});

describe('TypeScript stripping: warnings', () => {
  // (Only a Node with a built-in stripper has its warning.)
  if (hasStripFunction)
    it('the built-in’s ExperimentalWarning is not printed; other warnings still are', () => {
      const module = new URL('../../../src/hosts/node/typescript.js', import.meta.url).href;
      const script = `
      const { stripTypeScriptTypes } = await import(${JSON.stringify(module)});
      stripTypeScriptTypes('const a: number = 1;', { url: 'file:///a.ts', stripper: 'node' });
      process.emitWarning('still printed', 'ExperimentalWarning');`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /still printed/);
      assert.doesNotMatch(r.stderr, /stripTypeScriptTypes is an experimental feature/);
    });
});
