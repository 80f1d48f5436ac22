/**
 * Hostile module text: deep nesting, huge literals, lone surrogates, a 50 MB module, hostile
 * URLs. V8 (vm.SourceTextModule) is the oracle for every value; where modhost has a lower limit
 * than V8 (nesting depth) it must fail with a typed error and keep working.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { importModule, Module, ModuleSource } from '../../src/index.js';
import { detectUnhandled } from './harness.js';

const skip =
  typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function' && 'needs --experimental-vm-modules';

interface NativeModule {
  link(linker: (specifier: string) => NativeModule): Promise<void>;
  evaluate(): Promise<void>;
  namespace: Record<string, unknown>;
}
const SourceTextModule = (vm as unknown as { SourceTextModule: new (text: string) => NativeModule }).SourceTextModule;

/** Outcome of `text` natively: its namespace's `default`, or the error's class name. */
async function native(text: string, linked: Record<string, string> = {}): Promise<unknown> {
  try {
    const m = new SourceTextModule(text);
    await m.link(
      (specifier) => new SourceTextModule(linked[specifier] ?? `export default ${JSON.stringify(specifier)};`),
    );
    await m.evaluate();
    return m.namespace.default;
  } catch (error) {
    return `throws ${(error as Error).constructor.name}`;
  }
}

/** The same outcome through modhost (a dependency exports its specifier as default). */
async function modhost(text: string, linked: Record<string, string> = {}): Promise<unknown> {
  try {
    const handler = {
      importHook: (specifier: string) =>
        new Module(new ModuleSource(linked[specifier] ?? `export default ${JSON.stringify(specifier)};`)),
    };
    return (await importModule(new Module(new ModuleSource(text), handler))).default;
  } catch (error) {
    return `throws ${(error as Error).constructor.name}`;
  }
}

const NESTING: Record<string, (n: number) => string> = {
  arrays: (n) => `export default JSON.stringify(${'['.repeat(n)}${']'.repeat(n)}).length;`,
  parentheses: (n) => `export default ${'('.repeat(n)}1${')'.repeat(n)};`,
  blocks: (n) => `let d = 0; ${'{ d++; '.repeat(n)}${'}'.repeat(n)} export default d;`,
  'arrow functions': (n) => `export default (${'() => '.repeat(n)}7)${'()'.repeat(n)};`,
  'binary operators': (n) => `export default 0${' + 1'.repeat(n)};`,
  'object literals': (n) => `export default JSON.stringify(${'{ a: '.repeat(n)}0${' }'.repeat(n)}).length;`,
  templates: (n) => `export default ${'`${'.repeat(n)}1${'}`'.repeat(n)};`,
};

describe('hostile module text', { skip }, () => {
  detectUnhandled();

  for (const [form, make] of Object.entries(NESTING)) {
    // V8's parser handles a chain of binary operators iteratively, and so does modhost (meriyah,
    // and the analysis walks the left spine in a loop): 100,000 terms evaluate. Every other form
    // is a RangeError at 100,000 levels in V8, and a typed one in modhost.
    const flat = form === 'binary operators';
    const deepResult = flat ? 'too' : 'are a typed RangeError (ERR_MODHOST_SOURCE_TOO_DEEP)';
    it(`nesting (${form}): 300 levels evaluate natively; 100,000 levels ${deepResult}; modhost works on`, async () => {
      assert.deepEqual(await modhost(make(300)), await native(make(300)));
      const deep = make(100_000);
      if (flat) {
        assert.equal(await native(deep), 100_000);
        assert.equal(await modhost(deep), 100_000);
        return;
      }
      assert.equal(await native(deep), 'throws RangeError');
      let error: unknown;
      try {
        new ModuleSource(deep, { url: 'memory:/deep' });
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof RangeError, String(error));
      assert.equal((error as { code?: string }).code, 'ERR_MODHOST_SOURCE_TOO_DEEP');
      assert.equal((error as { url?: string }).url, 'memory:/deep');
      assert.equal(await modhost(`export default 'still works';`), 'still works');
    });
  }

  const HUGE: Record<string, string> = {
    '10 MB string literal with escapes':
      `const s = "${'ab\\n\\u00e9\\x41'.repeat(1_000_000)}"; export default ` +
      `s.length + ':' + s.slice(0, 9) + s.slice(-3);`,
    '200,000-element array literal':
      `const a = [${Array.from({ length: 200_000 }, (_, i) => i).join(',')}]; ` +
      `export default a.length + ':' + a.reduce((x, y) => x + y, 0);`,
    '100,000-property object literal':
      `const o = {${Array.from({ length: 100_000 }, (_, i) => `p${i}: ${i}`).join(',')}}; ` +
      `export default Object.keys(o).length + ':' + o.p99999;`,
    '10,000-digit number and 100,000-digit BigInt': `export default String(${'9'.repeat(10_000)}) + ':' +
      (${'7'.repeat(100_000)}n % 1000003n);`,
    'template literal with 10,000 substitutions': `let i = 0; export default \`${'x${i++}'.repeat(10_000)}\`.length;`,
    '100 KB regular expression literal': `export default /${'[ab]'.repeat(25_000)}/.test('${'ab'.repeat(12_500)}');`,
    '20,000 named exports and 5,000 named imports': `${Array.from(
      { length: 20_000 },
      (_, i) => `export const e${i} = ${i};`,
    ).join('\n')}
      import { ${Array.from({ length: 5_000 }, (_, i) => `x${i}`).join(', ')} } from 'many';
      export default x0 + x4999;`,
  };
  const manyExports = Array.from({ length: 5_000 }, (_, i) => `export const x${i} = ${i};`).join('\n');
  for (const [what, text] of Object.entries(HUGE)) {
    it(`huge literals: ${what}`, async () => {
      const linked = { many: manyExports };
      const expected = await native(text, linked);
      assert.ok(typeof expected !== 'string' || !expected.startsWith('throws'), `oracle failed: ${String(expected)}`);
      assert.deepEqual(await modhost(text, linked), expected);
    });
  }

  it('a 50 MB module (10 MB comment, 40 MB string literal) loads and evaluates', async () => {
    const text =
      `/*${' comment '.repeat(1_200_000)}*/\nexport const data = ` +
      `"${'x'.repeat(40 * 1024 * 1024)}";\nexport default data.length;`;
    assert.ok(text.length > 50 * 1024 * 1024);
    assert.equal(await modhost(text), 40 * 1024 * 1024);
  });

  const lone = '\uD800';
  const LONE_SURROGATES: Record<string, string> = {
    'in a string literal': `export default [...'a${lone}b'].map((c) => c.charCodeAt(0)).join();`,
    'in a template literal': `export default [...\`a${lone}b\`].map((c) => c.charCodeAt(0)).join();`,
    'in a comment': `// ${lone}\n/* \uDFFF */ export default 1;`,
    'in a regular expression': `export default /a${lone}/.test('a${lone}');`,
    'as an identifier': `let a${lone} = 1; export default 1;`,
    'alone as the whole text': `${lone}`,
    'escaped in an import specifier': `import d from '\\uD800x';
      export default [...d].map((c) => c.charCodeAt(0)).join();`,
    'raw in an import specifier': `import d from '${lone}y'; export default [...d].map((c) => c.charCodeAt(0)).join();`,
    'in an exported name (not well-formed: an early error)': `const x = 1; export { x as '${lone}' };`,
    'in an imported name (not well-formed: an early error)': `import { '\\uDC00' as y } from 'm'; export default y;`,
    'a surrogate pair split by an escape': `export default '\\uD83D${'\uDE00'}' === '😀';`,
    'U+2028 and U+2029 in a string, then a runtime error line':
      `const s = 'a\u2028b\u2029c';\nlet line; try { ` +
      `null.x; } catch (e) { line = 2; }\nexport default s.length + ':' + line;`,
    'a byte order mark and NUL characters': `\uFEFFexport default '\u0000'.length + '\\0'.length;`,
  };
  for (const [what, text] of Object.entries(LONE_SURROGATES)) {
    it(`lone surrogates and odd characters: ${what}`, async () => {
      assert.deepEqual(await modhost(text), await native(text));
    });
  }

  it('a hostile url cannot end the sourceURL comment and inject code', async () => {
    const g = globalThis as { __injected?: boolean };
    for (const url of [
      'x\n})(); globalThis.__injected = true; (function*(){',
      'x\u2028globalThis.__injected = true',
      'x*/ globalThis.__injected = true /*',
      'x\r\n//# sourceURL=other',
    ]) {
      const ns = await importModule(new Module(new ModuleSource('export default 1;', { url })));
      assert.equal(ns.default, 1);
      assert.equal(g.__injected, undefined, JSON.stringify(url));
    }
  });
});
