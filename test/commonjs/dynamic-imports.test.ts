/**
 * findDynamicImports: the `import(...)` calls of CommonJS text that the Node host rewrites, and
 * the look-alikes it must leave alone. Expected offsets are computed from the texts themselves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDynamicImports } from '../../src/commonjs/scan.js';

/** Offsets of every marked `import` (the ones followed by a `/*call*\/` comment). */
function marked(text: string): number[] {
  const offsets: number[] = [];
  for (let at = text.indexOf('import/*call*/'); at !== -1; at = text.indexOf('import/*call*/', at + 1))
    offsets.push(at);
  return offsets;
}

describe('findDynamicImports', () => {
  it('finds calls in expressions, statements, arguments and template substitutions', () => {
    const text = [
      "const a = import/*call*/('./a.mjs');",
      "import/*call*/('./b.mjs').then(f);",
      'f(await import/*call*/(x), y);',
      'const t = `${import/*call*/(name)}`;',
      'if (c) import/*call*/ (\n "./d.mjs", { with: { type: "json" } });',
    ].join('\n');
    assert.deepEqual(findDynamicImports(text), marked(text));
    assert.equal(marked(text).length, 5);
  });

  it('finds a call with only comments or white space between `import` and `(`', () => {
    for (const text of [
      "x = import /* c */ ('./a.mjs');",
      "x = import // c\n('./a.mjs');",
      "x = import\n\t('./a.mjs');",
    ]) {
      assert.deepEqual(findDynamicImports(text), [4], text);
    }
  });

  it('leaves property calls, method definitions, strings, comments and regular expressions alone', () => {
    const text = [
      'obj.import(x); obj?.import(y); obj\n  .import(z);',
      'const o = { import(a) { return a; }, async import2() {} };',
      'class K { static import(b) {} get import() { return 1; } }',
      'const s = \'import("x")\' + "import(\'y\')" + `import(z)`;',
      '// import("comment")',
      '/* import("block") */',
      'const re = /import\\(/g;',
      'const important = 1; reimport(2); import_(3);',
      "real(); import/*call*/('./real.mjs');",
    ].join('\n');
    assert.deepEqual(findDynamicImports(text), marked(text));
    assert.equal(marked(text).length, 1);
  });

  it('is empty for text without the word', () => {
    assert.deepEqual(findDynamicImports('exports.a = require("./b");'), []);
  });
});
