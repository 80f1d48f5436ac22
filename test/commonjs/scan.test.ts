import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { detectWrapperForm, scanRequires } from '../../src/commonjs/scan.js';

describe('detectWrapperForm: the whole top level is one define(...) call', () => {
  const wrapped: Array<[string, string]> = [
    ['factory', 'define(function (require, exports, module) { exports.a = 1; });'],
    ['no semicolon', 'define(function () {})'],
    ['value', 'define({ foo: "bar" })'],
    ['array value', "define(['foo', 'bar']);"],
    ['string value', "define('foo bar');"],
    ['null value', 'define(null)'],
    ['leading comments and space', '/* license */\n// more\n\n  define({})\n'],
    ['trailing comments', 'define({}); // done\n/* end */\n'],
    ['directive with semicolon', '"use strict";\ndefine(function () {});'],
    ['directive ended by a line break', "'use strict'\ndefine(function () {})"],
    ['hashbang', '#!/usr/bin/env node\ndefine({})'],
    ['space before the paren', 'define /* c */ (function () {})'],
    ['parens inside strings', 'define(function () { return ")(" + \')\' + "\\")"; })'],
    ['parens inside a template with nested substitutions', 'define(function () { return `)${ `(${")"}` })`; })'],
    ['parens inside a regex', 'define(function (s) { return /\\)[)(]/.test(s) && /[/]/.test(s); })'],
    ['regex after return', 'define(function (s) { return /[)]/g.exec(s); })'],
    ['regex after if (…)', 'define(function (s) { if (s) /[)]/.test(s); })'],
    ['division after a call and after a name', 'define(function (a, b) { return f(a) / 2 / b; })'],
    ['division after a member named like a keyword', 'define(function (a) { return a.return / 2 / (a.if) ; })'],
    ['parens inside comments', 'define(function () { // )\n /* ) */ })'],
    ['exponent numbers', 'define(function () { return 1e-5 / (2) + 0x1e-1; })'],
    ['regex after }', 'define(function (s) { function f() {} /[)]/.test(s); })'],
    ['CMD long form', "define('id', ['a'], function (require) { require('a'); })"],
  ];
  for (const [name, text] of wrapped) {
    it(`wrapped: ${name}`, () => assert.equal(detectWrapperForm(text), 'define'));
  }

  const plain: Array<[string, string]> = [
    ['no define', 'exports.a = 1;'],
    ['empty file', ''],
    ['only comments', '// nothing\n/* here */'],
    ['define.amd probe', "if (typeof define === 'function' && define.amd) define([], f);"],
    ['define as property', 'define.amd = true;'],
    ['statement after the call', 'define({}); exports.x = 1;'],
    ['statement before the call', 'var x = 1; define({});'],
    ['result called', 'define(function () {})(1);'],
    ['comma expression', 'define({}), 1;'],
    ['identifier starting with define', 'defineProperty(exports, "a", {});'],
    ['unbalanced', 'define(function () {'],
    ['own define function declared later', 'define("a", 1);\nfunction define(k, v) { exports[k] = v; }'],
    ['directive followed by code', '"use strict"; module.exports = 1;'],
    ['a string that is not a directive', '"use strict" + define({});'],
    [
      'UMD wrapper',
      "(function (root, factory) { if (typeof define === 'function') define(factory); else module.exports = " +
        'factory(); })(this, function () { return 1; });',
    ],
  ];
  for (const [name, text] of plain) {
    it(`plain: ${name}`, () => assert.equal(detectWrapperForm(text), 'plain'));
  }

  it('two define statements: multiple-define', () => {
    assert.equal(detectWrapperForm('define({ a: 1 });\ndefine({ b: 2 });'), 'multiple-define');
    assert.equal(detectWrapperForm('define({ a: 1 })\ndefine(function () {})\n'), 'multiple-define');
  });

  it('a define call nested in the factory does not count as a top-level call', () => {
    assert.equal(detectWrapperForm('define(function () { define({}); })'), 'define');
  });
});

describe('scanRequires: literal require ids', () => {
  it('lists literal ids in order without duplicates', () => {
    const text = "var a = require('./a');\nvar b = require(\"b/c\");\nrequire('./a');\nrequire ( 'd' ) ;";
    assert.deepEqual(scanRequires(text), ['./a', 'b/c', 'd']);
  });
  it('skips method calls, computed ids, strings and comments', () => {
    const text = [
      "x.require('no1');",
      "require('a' + b);",
      'require(name);',
      'var s = "require(\'no2\')";',
      "// require('no3')",
      "/* require('no4') */",
      "var t = `require('no5')`;",
      "var r = /require('no6')/;",
      "require('yes');",
    ].join('\n');
    assert.deepEqual(scanRequires(text), ['yes']);
  });
  it('finds requires inside a define factory and inside template substitutions', () => {
    const text = "define(function (require) { var a = require('./a'); return `${require('./b')}`; });";
    assert.deepEqual(scanRequires(text), ['./a', './b']);
  });
});

describe('detectWrapperForm on real code (V8 as the oracle of what is a valid function body)', () => {
  const nodeModules = resolve(dirname(fileURLToPath(import.meta.url)), '../../../node_modules');
  const roots = [
    'lodash',
    '@babel/parser/lib',
    '@babel/types/lib',
    '@babel/generator/lib',
    'rxjs/dist/cjs/internal/operators',
    'three/build',
    'typescript/lib',
  ];

  function collect(path: string, into: string[]): void {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return; // a package another checkout may not have
    }
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) collect(child, into);
      else if (/\.(c?js)$/.test(entry.name)) into.push(child);
    }
  }

  it('every plain file is plain, and the same file wrapped in define(function () {…}) is wrapped', () => {
    const files: string[] = [];
    for (const root of roots) collect(join(nodeModules, root), files);
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      try {
        // Only text V8 accepts as a function body (CommonJS, not ES module syntax).
        new Function(text);
      } catch {
        continue;
      }
      checked++;
      assert.equal(detectWrapperForm(text), 'plain', file);
      assert.equal(detectWrapperForm(`define(function (require, exports, module) {${text}\n});`), 'define', file);
    }
    assert.ok(checked > 1000, `checked ${checked} files`);
  });
});
