/**
 * Early errors of ECMA-262 16.2.1.1, 16.2.2.1, 16.2.3.1 and 13.3.1.1: each must make
 * createModuleSourceRecord throw an ERR_MODHOST_PARSE SyntaxError at the offending token, and V8
 * (vm.SourceTextModule) must reject the same text. The valid neighbours must be accepted by both.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { analyzeModule } from '../../src/source/analyze-module.js';
import { createModuleSourceRecord } from '../../src/source/index.js';
import { parseModuleText } from '../../src/source/parse.js';

const URL = 'file:///early.js';

/**
 * [rule, module text, line, column, columnEnd?]: line and column (1-based) of the offending
 * token. Errors modhost checks itself are located exactly; for those only the parser detects,
 * the parser reports the token where it noticed the error, which must lie within
 * [column, columnEnd] (the offending construct).
 */
const INVALID: [string, string, number, number, number?][] = [
  // 16.2.1.1 LexicallyDeclaredNames has no duplicates.
  ['duplicate let', 'let a;\nlet a;', 2, 5],
  ['duplicate top-level functions (lexical in modules)', 'function f() {}\nfunction f() {}', 2, 10],
  ['class and let', 'class C {}\nlet C;', 2, 5],
  ['import and let', 'import a from "m";\nlet a;', 2, 5],
  ['import and function', 'import a from "m";\nfunction a() {}', 2, 10],
  ['import and class', 'import { a } from "m";\nclass a {}', 2, 7],
  ['two imports of one name', 'import { a } from "m";\nimport { a } from "n";', 2, 10],
  // 16.2.1.1 LexicallyDeclaredNames ∩ VarDeclaredNames is empty.
  ['let and var', 'let a;\nvar a;', 2, 5],
  ['var in block and let', 'let a;\n{ var a; }', 2, 7],
  ['function and var', 'function f() {}\nvar f;', 2, 5],
  ['import and var', 'import a from "m";\nvar a;', 2, 5],
  ['import and nested var', 'import a from "m";\nif (1) { for (var a of []); }', 2, 19],
  // 16.2.1.1 ExportedNames has no duplicates.
  ['export list twice', 'var a;\nexport { a };\nexport { a };', 3, 10],
  ['export default twice', 'export default 1;\nexport default 2;', 2, 1],
  ['default and as default', 'var x;\nexport default 1;\nexport { x as default };', 3, 15],
  ['declaration and list', 'export var a;\nexport { a };', 2, 10],
  ['star-as and declaration', 'export * as a from "m";\nexport var a;', 2, 12],
  ['two re-exports', 'export { a } from "m";\nexport { b as a } from "n";', 2, 15],
  ['string and identifier names', 'var a, b;\nexport { a as "x" };\nexport { b as x };', 3, 15],
  ['destructured declaration', 'export let [x, { y }] = [];\nexport { y };', 2, 10],
  // 16.2.1.1 ExportedBindings are declared.
  ['export of undeclared', 'export { a };', 1, 10],
  ['export of block-scoped name', '{ let a; }\nexport { a as b };', 2, 10],
  ['export of function-local var', 'function f() { var a; }\nexport { a };', 2, 10],
  ['export of a function declared in a block', '{ function g() {} }\nexport { g };', 2, 10],
  // 16.2.1.1 super, new.target.
  ['super property', 'super.x;', 1, 1, 8],
  ['super call', 'super();', 1, 1, 8],
  ['new.target', 'new.target;', 1, 1, 11],
  ['new.target in a top-level arrow', '() => new.target;', 1, 7, 17],
  // 16.2.1.1 ContainsDuplicateLabels / UndefinedBreakTarget / UndefinedContinueTarget.
  ['duplicate labels', 'a: a: ;', 1, 4, 7],
  ['nested duplicate label', 'a: { a: ; }', 1, 6, 9],
  ['break outside', 'break;', 1, 1, 6],
  ['break to undefined label', 'while (0) { break y; }', 1, 13, 20],
  ['continue outside', 'continue;', 1, 1, 9],
  ['continue to a non-iteration label', 'x: { continue x; }', 1, 6, 17],
  // 16.2.1.1 AllPrivateIdentifiersValid.
  ['private name at top level', 'this.#x;', 1, 6, 8],
  ['undeclared private name', 'class C { m() { return #y in this; } }', 1, 24, 27],
  // 16.2.1.1 ModuleExportName : StringLiteral is well-formed Unicode.
  ['lone surrogate import name', 'import { "\\uD800" as x } from "m";', 1, 10],
  ['lone surrogate export name', 'var x;\nexport { x as "\\uDC00" };', 2, 15],
  ['lone surrogate re-export local', 'export { "\\uDBFF" as y } from "m";', 1, 10],
  ['lone surrogate star-as', 'export * as "a\\uD83D" from "m";', 1, 13],
  // 16.2.2.1 BoundNames of an ImportDeclaration have no duplicates.
  ['duplicate import bindings', 'import { a, b as a } from "m";', 1, 18],
  ['default and namespace', 'import a, * as a from "m";', 1, 16],
  // 16.2.2.1 WithClauseToAttributes has no duplicate keys.
  ['duplicate attribute', 'import x from "m" with { type: "json", type: "json" };', 1, 40, 54],
  ['duplicate attribute, string key', 'import "m" with { a: "1", "a": "2" };', 1, 27, 37],
  ['duplicate attribute on export-from', 'export { x } from "m" with { k: "", k: "" };', 1, 37, 44],
  // 16.2.3.1 ReferencedBindings of NamedExports.
  ['string local without from', 'export { "a" };', 1, 10, 15],
  ['string local with as, without from', 'export { "a" as b };', 1, 10, 20],
  ['reserved word', 'export { if };', 1, 10],
  ['implements', 'export { implements };', 1, 10],
  ['let', 'export { let };', 1, 10],
  ['static', 'export { static };', 1, 10],
  ['enum', 'export { enum };', 1, 10],
  ['yield', 'export { yield };', 1, 10],
  ['await', 'export { await };', 1, 10],
  // 13.3.1.1 OptionalChain TemplateLiteral.
  ['optional chain tagged template', 'a?.b`c`;', 1, 5, 8],
  ['optional chain tagged template after a member', 'a?.b.c`d`;', 1, 7, 10],
  ['optional chain template', 'a?.`c`;', 1, 4, 7],
  ['optional chain template on the next line', 'a?.b\n`c`;', 2, 1, 4],
];

const VALID = [
  'export { if } from "m";',
  'export { "a" } from "m"; export { "b" as c } from "m";',
  'var x; export { x as "\\uD83D\\uDE00" }; export * as "\\u{1F600}x" from "m";',
  'import x from "m" with { type: "json" }; import y from "n" with { type: "json", other: "json" };',
  'import * as ns from "m"; export { ns };',
  'import { x } from "m"; export { x };',
  'export default function f() {} export { f };',
  'try {} catch (e) { var e; }',
  'a: ; a: ;',
  'if (1) { var v; } export { v };',
  'import.meta;',
  'a\n`c`;',
  'export {}; export {} from "m"; import {} from "n";',
];

for (const [rule, text, line, column, columnEnd] of INVALID) {
  test(`early error: ${rule}`, () => {
    assert.throws(() => new vm.SourceTextModule(text), SyntaxError, 'V8 rejects it too');
    assert.throws(
      () => createModuleSourceRecord(text, { url: URL }),
      (error: unknown) => {
        assert.ok(error instanceof SyntaxError);
        const e = error as SyntaxError & { code: string; url: string; line: number; column: number };
        assert.equal(e.code, 'ERR_MODHOST_PARSE');
        assert.equal(e.url, URL);
        assert.equal(e.line, line);
        if (columnEnd === undefined) assert.equal(e.column, column);
        else
          assert.ok(e.column >= column && e.column <= columnEnd, `column ${e.column} not in [${column}, ${columnEnd}]`);
        assert.ok(e.message.includes(`${URL}:${e.line}:${e.column}`), e.message);
        return true;
      },
    );
  });
}

for (const text of VALID) {
  test(`valid: ${text}`, () => {
    assert.doesNotThrow(() => new vm.SourceTextModule(text), 'V8 accepts it');
    assert.doesNotThrow(() => createModuleSourceRecord(text, { url: URL }));
  });
}

// meriyah without its scope analysis misses these; modhost's own checks must find them.
const OWN_CHECKS: [string, string, number, number][] = [
  ['duplicate export', 'var a;\nexport { a };\nexport { a as a };', 3, 15],
  ['export default twice', 'export default 1;\nexport default 2;', 2, 1],
  ['undeclared export', 'let b;\nexport { a as b };', 2, 10],
  ['import redeclared by let', 'import { a } from "m";\nlet a;', 2, 5],
  ['import redeclared by var in a block', 'import { a } from "m";\n{ var a; }', 2, 7],
  ['duplicate import', 'import { a } from "m";\nimport a from "n";', 2, 8],
];

for (const [rule, text, line, column] of OWN_CHECKS) {
  test(`own check without the parser's scope analysis: ${rule}`, () => {
    const program = parseModuleText(text, URL, false);
    assert.throws(
      () => analyzeModule(program, text, URL, '$mh'),
      (error: unknown) => {
        const e = error as SyntaxError & { code: string; line: number; column: number };
        assert.ok(e instanceof SyntaxError);
        assert.equal(e.code, 'ERR_MODHOST_PARSE');
        assert.deepEqual([e.line, e.column], [line, column]);
        return true;
      },
    );
  });
}

test('plain syntax errors carry the location too (CR LF and LS count as one line break)', () => {
  for (const [text, line, column] of [
    ['let x = ;', 1, 9],
    ['a;\r\nb;\r\n  )', 3, 3],
    ['a;\u2028  b c', 2, 5],
  ] as const) {
    assert.throws(
      () => createModuleSourceRecord(text, { url: URL }),
      (e: unknown) => {
        const error = e as { code: string; line: number; column: number };
        assert.equal(error.code, 'ERR_MODHOST_PARSE');
        assert.deepEqual([error.line, error.column], [line, column]);
        return e instanceof SyntaxError;
      },
    );
  }
});

test('the parser error class does not leak out of source/', () => {
  try {
    createModuleSourceRecord('let let;');
    assert.fail('no error');
  } catch (error) {
    assert.equal(Object.getPrototypeOf(error), SyntaxError.prototype);
    assert.ok((error as Error).message.includes('modhost:source/'));
  }
});
