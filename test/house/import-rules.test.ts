/**
 * ARCHITECTURE.md's layering rules, checked on the code's own import statements (static imports,
 * `export … from`, dynamic `import()`, `import('x')` types). Type-only imports count like any
 * other: a layer that names another's types depends on it. The one exception is the one
 * ARCHITECTURE.md states: records/ may import types (only types) from source/, whose
 * ModuleSourceRecord it runs.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CodeFile, codeFiles, type ImportEdge, importsOf } from './code-files.js';

/** A layering rule: which importing files it governs and which imports it forbids there. */
interface Rule {
  readonly id: string;
  /** As ARCHITECTURE.md words it. */
  readonly text: string;
  applies(file: string): boolean;
  forbids(edge: ImportEdge): boolean;
}

const under = (folder: string) => (path: string) => path.startsWith(folder);
const isFile = (edge: ImportEdge, test: (path: string) => boolean): boolean =>
  edge.target.kind === 'file' && test(edge.target.path);
const isPackage = (edge: ImportEdge, name: string): boolean =>
  edge.target.kind === 'package' && edge.target.name === name;

const inRecords = under('src/records/');
const inSource = under('src/source/');
const inHosts = under('src/hosts/');
const inLexical = under('src/lexical/');

/**
 * Tests may reach into the module they unit-test: test/records/ tests records/ internals, and the
 * compiler's harness runs compiled code with the helpers every module runtime inherits.
 */
function testsRecordsInternals(path: string): boolean {
  return path.startsWith('test/records/') || path === 'test/source/harness.ts';
}

const RULES: readonly Rule[] = [
  {
    id: 'source-records',
    text: 'source/ never imports records/',
    applies: inSource,
    forbids: (edge) => isFile(edge, inRecords),
  },
  {
    id: 'records-hosts',
    text: 'records/ never imports hosts/',
    applies: inRecords,
    forbids: (edge) => isFile(edge, inHosts),
  },
  {
    id: 'records-node',
    text: 'records/ never imports node:* built-ins',
    applies: inRecords,
    forbids: (edge) => edge.target.kind === 'builtin',
  },
  {
    id: 'records-parser',
    text: 'records/ never imports the parser (meriyah)',
    applies: inRecords,
    forbids: (edge) => isPackage(edge, 'meriyah'),
  },
  {
    id: 'records-source-types',
    text: 'records/ imports only types from source/',
    applies: inRecords,
    forbids: (edge) => isFile(edge, inSource) && !edge.typeOnly,
  },
  {
    id: 'commonjs-hosts',
    text: 'commonjs/ never imports hosts/',
    applies: under('src/commonjs/'),
    forbids: (edge) => isFile(edge, inHosts),
  },
  {
    id: 'meriyah',
    text: 'only source/ imports meriyah',
    // (bench/module-source.bench.ts --parser times meriyah alone, as the reference for source/.)
    applies: (path) => !inSource(path) && path !== 'bench/module-source.bench.ts',
    forbids: (edge) => isPackage(edge, 'meriyah'),
  },
  {
    id: 'records-entry',
    text: 'nothing outside records/ reaches past records/index.ts',
    applies: (path) => !inRecords(path) && !testsRecordsInternals(path),
    forbids: (edge) => isFile(edge, (path) => inRecords(path) && path !== 'src/records/index.ts'),
  },
  {
    id: 'lexical-leaf',
    text: 'lexical/ imports nothing but lexical/ (source/ and commonjs/ both use it)',
    applies: inLexical,
    forbids: (edge) => !isFile(edge, inLexical),
  },
  {
    id: 'computed-import',
    text: 'src/ has no dynamic import() whose specifier the rules cannot read',
    applies: under('src/'),
    forbids: (edge) => edge.target.kind === 'computed',
  },
];

function describeEdge(edge: ImportEdge): string {
  const kind = edge.typeOnly ? `type-only ${edge.form}` : edge.form;
  return `${edge.from}:${edge.line}: ${kind} of '${edge.specifier}'`;
}

function violations(files: readonly CodeFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const rules = RULES.filter((rule) => rule.applies(file.path));
    if (rules.length === 0) continue;
    for (const edge of importsOf(file)) {
      for (const rule of rules) if (rule.forbids(edge)) found.push(`${describeEdge(edge)} breaks "${rule.text}"`);
    }
  }
  return found;
}

/** The runtime imports reachable from `start` (files of the repository only). */
function runtimeClosure(start: string, edgesOf: (path: string) => readonly ImportEdge[]): ImportEdge[] {
  const reached: ImportEdge[] = [];
  const seen = new Set<string>([start]);
  const pending = [start];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    for (const edge of edgesOf(path)) {
      if (edge.typeOnly) continue;
      reached.push(edge);
      if (edge.target.kind === 'file' && !seen.has(edge.target.path)) {
        seen.add(edge.target.path);
        pending.push(edge.target.path);
      }
    }
  }
  return reached;
}

describe('house rules: layering (ARCHITECTURE.md)', () => {
  const files = codeFiles();

  it('every code file parses, and the scan finds the imports it should', () => {
    // (A parse error would hide a file's imports from the rules.)
    const edges = files.flatMap((file) => importsOf(file));
    const seen = (from: string, specifier: string) =>
      edges.some((edge) => edge.from === from && edge.specifier === specifier);
    assert.ok(seen('src/source/parse.ts', 'meriyah'), 'a static import');
    assert.ok(seen('src/records/index.ts', './loading.js'), 'an export … from');
    assert.ok(
      edges.some((edge) => edge.from === 'src/records/loading.ts' && edge.typeOnly && edge.target.kind === 'file'),
      'a type-only import',
    );
    assert.ok(
      edges.some((edge) => edge.form === 'dynamic-import'),
      'a dynamic import()',
    );
  });

  it('no import breaks a rule (a violation names the file, the import and the rule)', () => {
    assert.deepEqual(violations(files), []);
  });

  it('records/ runs in any engine: its runtime imports reach no hosts/, node:* built-in or meriyah', () => {
    const byPath = new Map(files.map((file) => [file.path, file]));
    const cache = new Map<string, ImportEdge[]>();
    const edgesOf = (path: string): ImportEdge[] => {
      let edges = cache.get(path);
      if (edges === undefined) {
        const file = byPath.get(path);
        edges = file === undefined ? [] : importsOf(file);
        cache.set(path, edges);
      }
      return edges;
    };
    const bad = runtimeClosure('src/records/index.ts', edgesOf)
      .filter((edge) => edge.target.kind === 'builtin' || isPackage(edge, 'meriyah') || isFile(edge, inHosts))
      .map(describeEdge);
    assert.deepEqual(bad, []);
  });

  it('the checker catches what it is meant to catch', () => {
    const planted: CodeFile[] = [
      { path: 'src/source/bad.ts', text: "import type { X } from '../records/module-record.js';" },
      {
        path: 'src/records/bad.ts',
        text: "export * from '../hosts/node/host.js';\nconst fs = await import('node:fs');",
      },
      {
        path: 'src/records/bad2.ts',
        text: "import { parse } from 'meriyah';\nimport { createModuleSourceRecord } from '../source/index.js';",
      },
      { path: 'src/commonjs/bad.ts', text: "type H = import('../hosts/node/host.js').NodeHost;" },
      { path: 'src/api/bad.ts', text: "import { InnerModuleLoading } from '../records/loading.js';" },
      { path: 'src/lexical/bad.ts', text: "import { createError } from '../errors/codes.js';" },
      { path: 'src/cli/bad.ts', text: 'const m = await import(name);' },
    ];
    const rule = (id: string) => RULES.find((candidate) => candidate.id === id)?.text;
    const expected = [
      `src/api/bad.ts:1: import of '../records/loading.js' breaks "${rule('records-entry')}"`,
      `src/cli/bad.ts:1: dynamic-import of 'name' breaks "${rule('computed-import')}"`,
      `src/commonjs/bad.ts:1: type-only type-import of '../hosts/node/host.js' breaks "${rule('commonjs-hosts')}"`,
      `src/lexical/bad.ts:1: import of '../errors/codes.js' breaks "${rule('lexical-leaf')}"`,
      `src/records/bad.ts:1: export-from of '../hosts/node/host.js' breaks "${rule('records-hosts')}"`,
      `src/records/bad.ts:2: dynamic-import of 'node:fs' breaks "${rule('records-node')}"`,
      `src/records/bad2.ts:1: import of 'meriyah' breaks "${rule('records-parser')}"`,
      `src/records/bad2.ts:1: import of 'meriyah' breaks "${rule('meriyah')}"`,
      `src/records/bad2.ts:2: import of '../source/index.js' breaks "${rule('records-source-types')}"`,
      `src/source/bad.ts:1: type-only import of '../records/module-record.js' breaks "${rule('source-records')}"`,
      `src/source/bad.ts:1: type-only import of '../records/module-record.js' breaks "${rule('records-entry')}"`,
    ];
    assert.deepEqual(violations(planted).sort(), expected.sort());
  });
});
