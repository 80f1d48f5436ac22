/**
 * The import phase syntax of the source phase imports and import defer proposals, and the static
 * semantics modhost derives from it: [[RequestedModules]] (with [[Phase]]), ImportEntries,
 * the bindings reflection, the compiled `import.source()` / `import.defer()` calls. Also checks
 * that turning the syntax on in meriyah changes nothing else: `source` and `defer` stay ordinary
 * identifiers, and syntax errors keep their line and column.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModuleSourceRecord } from '../../src/source/module-source-record.js';

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

test("import source x from 'm': a ~source~ request, an ImportEntry with [[ImportName]] ~source~, one binding", () => {
  const r = createModuleSourceRecord("import source x from 'm'; export { x };");
  assert.deepEqual(plain(r.requestedModules), [{ specifier: 'm', attributes: [], phase: 'source' }]);
  assert.deepEqual(plain(r.importEntries), [
    { moduleRequest: { specifier: 'm', attributes: [], phase: 'source' }, importName: null, localName: 'x' },
  ]);
  // ExportEntries (ParseModule 10.a.ii with tc39/ecma262#3715 and tc39/proposal-source-phase-imports#76):
  // a re-export of a ~source~ import is the indirect entry { m (phase source), ~source~ } (importName null).
  assert.deepEqual(plain(r.localExportEntries), []);
  assert.deepEqual(plain(r.indirectExportEntries), [
    { exportName: 'x', moduleRequest: { specifier: 'm', attributes: [], phase: 'source' }, importName: null },
  ]);
  assert.deepEqual(r.compiled.getterNames, []);
  assert.deepEqual(plain(r.bindings), [{ importSourceFrom: 'm', as: 'x' }, { export: 'x' }]);
});

test("import defer * as ns from 'm': a ~defer~ request and a namespace ImportEntry", () => {
  const r = createModuleSourceRecord("import defer * as ns from 'm' with { type: 'json' };");
  assert.deepEqual(plain(r.requestedModules), [
    { specifier: 'm', attributes: [{ key: 'type', value: 'json' }], phase: 'defer' },
  ]);
  assert.deepEqual(plain(r.importEntries)[0], {
    moduleRequest: { specifier: 'm', attributes: [{ key: 'type', value: 'json' }], phase: 'defer' },
    importName: null,
    localName: 'ns',
  });
  assert.deepEqual(plain(r.bindings), [{ importAllFrom: 'm', as: 'ns', phase: 'defer', with: { type: 'json' } }]);
});

test('ModuleRequests de-duplicates by (ModuleRequestsEqual, [[Phase]]) in source order', () => {
  const r = createModuleSourceRecord(
    "import source a from 'm'; import 'm'; import defer * as d from 'm'; import source b from 'm'; import * as n " +
      "from 'm'; export * from 'm';",
  );
  assert.deepEqual(
    r.requestedModules.map((q) => q.phase ?? 'evaluation'),
    ['source', 'evaluation', 'defer'],
  );
  // Entries that name the same module in the same phase share the canonical record.
  assert.equal(r.importEntries[0]!.moduleRequest, r.importEntries[2]!.moduleRequest);
});

test('`source` and `defer` stay identifiers everywhere else (the grammar is otherwise unchanged)', () => {
  const cases: [string, unknown][] = [
    [
      "import source from 'm';",
      [{ moduleRequest: { specifier: 'm', attributes: [] }, importName: 'default', localName: 'source' }],
    ],
    [
      "import defer from 'm';",
      [{ moduleRequest: { specifier: 'm', attributes: [] }, importName: 'default', localName: 'defer' }],
    ],
    [
      "import { source, defer } from 'm';",
      [
        { moduleRequest: { specifier: 'm', attributes: [] }, importName: 'source', localName: 'source' },
        { moduleRequest: { specifier: 'm', attributes: [] }, importName: 'defer', localName: 'defer' },
      ],
    ],
    [
      "import source, { a } from 'm';",
      [
        { moduleRequest: { specifier: 'm', attributes: [] }, importName: 'default', localName: 'source' },
        { moduleRequest: { specifier: 'm', attributes: [] }, importName: 'a', localName: 'a' },
      ],
    ],
    [
      "import defer, * as ns from 'm';",
      [
        { moduleRequest: { specifier: 'm', attributes: [] }, importName: 'default', localName: 'defer' },
        { moduleRequest: { specifier: 'm', attributes: [] }, importName: null, localName: 'ns' },
      ],
    ],
    // `import source from from 'm'`: a source import whose binding is named `from`.
    [
      "import source from from 'm';",
      [{ moduleRequest: { specifier: 'm', attributes: [], phase: 'source' }, importName: null, localName: 'from' }],
    ],
  ];
  for (const [text, entries] of cases)
    assert.deepEqual(plain(createModuleSourceRecord(text).importEntries), entries, text);
  for (const text of [
    'let defer = 1, source = 2; export { defer, source };',
    'function source() {} function defer() {} source(); defer();',
    'const o = { source: 1, defer: 2 }; o.source + o.defer;',
    'export const m = import.meta;',
    "export const p = import('m');",
    'label: { source: 1; }',
  ]) {
    const r = createModuleSourceRecord(text);
    assert.ok(
      r.requestedModules.every((q) => q.phase === undefined),
      text,
    );
  }
});

test('import.source() and import.defer() compile to rt.importSource / rt.importDefer, keeping lines', () => {
  const r = createModuleSourceRecord("x = import /*\n*/ . source ( 'm' );\nimport.defer('n').then(f);\nexport var x;");
  assert.equal(r.needsImport, true);
  assert.match(r.compiled.code, /\.importSource\n\( 'm' \);\n\$mh\.importDefer\('n'\)/);
  assert.equal(r.compiled.code.split('\n').length, 7);
});

test('syntax errors keep their line and column; the phase forms have their own early errors', () => {
  const cases: [string, number, number][] = [
    ["let a;\nlet b;\n  import defer x from 'm';", 3, 16],
    ["import source * as ns from 'm';", 1, 15],
    ["import source { x } from 'm';", 1, 15],
    ["import source x, { y } from 'm';", 1, 16],
    ["\nimport defer * as ns, { y } from 'm';", 2, 21],
    ["new import.source('x');", 1, 12],
    ['import.source();', 1, 15],
    ['import.defer;', 1, 13],
    ["let x = 1;\nimport source x from 'm';", 2, 15],
  ];
  for (const [text, line, column] of cases) {
    assert.throws(
      () => createModuleSourceRecord(text, { url: 'memory:/e.js' }),
      (e: SyntaxError & { code?: string; line?: number; column?: number }) =>
        e instanceof SyntaxError && e.code === 'ERR_MODHOST_PARSE' && e.line === line && e.column === column,
      JSON.stringify(text),
    );
  }
});
