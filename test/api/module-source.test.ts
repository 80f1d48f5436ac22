import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbstractModuleSource, ModuleSource } from '../../src/index.js';

const getTag = (o: unknown) => Object.prototype.toString.call(o);

describe('AbstractModuleSource (source phase imports 28.3.2)', () => {
  it('throws a TypeError when called or constructed', () => {
    assert.throws(() => (AbstractModuleSource as unknown as () => void)(), TypeError);
    assert.throws(() => new AbstractModuleSource(), TypeError);
  });
  it('has a non-writable, non-configurable prototype whose constructor is itself', () => {
    const d = Object.getOwnPropertyDescriptor(AbstractModuleSource, 'prototype')!;
    assert.equal(d.writable, false);
    assert.equal(d.enumerable, false);
    assert.equal(d.configurable, false);
    assert.equal(AbstractModuleSource.prototype.constructor, AbstractModuleSource);
    assert.equal(AbstractModuleSource.name, 'AbstractModuleSource');
    assert.equal(AbstractModuleSource.length, 0);
    assert.equal(Object.getPrototypeOf(AbstractModuleSource.prototype), Object.prototype);
  });
  it('@@toStringTag is a brand-checked getter returning undefined for other values', () => {
    const d = Object.getOwnPropertyDescriptor(AbstractModuleSource.prototype, Symbol.toStringTag)!;
    assert.equal(typeof d.get, 'function');
    assert.equal(d.set, undefined);
    assert.equal(d.enumerable, false);
    assert.equal(d.configurable, true);
    assert.equal(d.get!.name, 'get [Symbol.toStringTag]');
    assert.equal(d.get!.call({}), undefined);
    assert.equal(d.get!.call(1), undefined);
    assert.equal(d.get!.call(undefined), undefined);
    assert.equal(d.get!.call(new ModuleSource('')), 'ModuleSource');
    assert.equal(getTag(AbstractModuleSource.prototype), '[object Object]');
  });
  it('is not a global', () => {
    assert.equal('AbstractModuleSource' in globalThis, false);
  });
});

describe('ModuleSource constructor', () => {
  it('requires new', () => {
    assert.throws(() => (ModuleSource as unknown as (s: string) => unknown)(''), TypeError);
  });
  it('has length 1 and inherits from AbstractModuleSource', () => {
    assert.equal(ModuleSource.length, 1);
    assert.equal(Object.getPrototypeOf(ModuleSource), AbstractModuleSource);
    assert.equal(Object.getPrototypeOf(ModuleSource.prototype), AbstractModuleSource.prototype);
    assert.ok(new ModuleSource('') instanceof AbstractModuleSource);
    assert.equal(getTag(new ModuleSource('')), '[object ModuleSource]');
    const d = Object.getOwnPropertyDescriptor(ModuleSource, 'prototype')!;
    assert.equal(d.writable, false);
    assert.equal(d.configurable, false);
  });
  it('applies ToString to its argument (symbols throw TypeError, objects use toString)', () => {
    assert.throws(() => new ModuleSource(Symbol('x') as unknown as string), TypeError);
    const calls: string[] = [];
    const text = {
      toString() {
        calls.push('toString');
        return 'export default 1;';
      },
      valueOf() {
        calls.push('valueOf');
        return 'export default 2;';
      },
    };
    const source = new ModuleSource(text as unknown as string);
    assert.deepEqual(calls, ['toString']);
    assert.deepEqual(source.bindings, [{ export: 'default' }]);
    assert.deepEqual(new ModuleSource(undefined as unknown as string).bindings, []);
  });
  it('supports subclassing (OrdinaryCreateFromConstructor with NewTarget)', () => {
    class Sub extends ModuleSource {}
    const s = new Sub('export const a = 1;');
    assert.ok(s instanceof Sub);
    assert.deepEqual(s.bindings, [{ export: 'a' }]);
  });
  it('throws a SyntaxError naming url:line:column for a parse error', () => {
    let caught: unknown;
    try {
      new ModuleSource('let a = 1;\nlet b = ;\n', { url: 'file:///app/bad.js' });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof SyntaxError);
    const e = caught as SyntaxError & { code: string; line: number; column: number; url: string };
    assert.equal(e.code, 'ERR_MODHOST_PARSE');
    assert.equal(e.line, 2);
    assert.equal(typeof e.column, 'number');
    assert.equal(e.url, 'file:///app/bad.js');
    assert.match(e.message, /file:\/\/\/app\/bad\.js:2:\d+/);
  });
  it('throws a SyntaxError for early errors of the Module goal', () => {
    const bad = [
      'export let a; export { a };', // duplicate export name
      'export { undeclared };', // ExportedBindings not declared
      'import a from "x"; let a;', // duplicate lexical binding
      'await: 1;', // await is reserved in modules
      'new.target;',
      'return 1;',
      'with (a) {}', // strict mode
      '<!-- html comment',
      'import x from "a" with { type: "json", type: "json" };', // duplicate attribute key
      'export { "\\uD800" as x } from "m";', // lone surrogate export name
      'import.meta = 1;',
      'super.x;',
      'label: label: ;',
    ];
    for (const text of bad) {
      assert.throws(() => new ModuleSource(text), SyntaxError, text);
    }
  });
  it('rejects options that are not an object', () => {
    assert.throws(() => new ModuleSource('', 5 as never), TypeError);
  });
});

describe('ModuleSource.prototype reflection (layer 1)', () => {
  it('bindings lists imports and exports in source order', () => {
    const source = new ModuleSource(`
      import d, { a, b as c } from './dep.js';
      import * as ns from 'ns';
      import 'side-effect';
      export let x = 1;
      export { x as y };
      export default function () {}
      export { p as q } from './re.js';
      export * from './star.js';
      export * as all from './all.js';
      import j from './data.json' with { type: 'json' };
    `);
    assert.deepEqual(source.bindings, [
      { import: 'default', as: 'd', from: './dep.js' },
      { import: 'a', from: './dep.js' },
      { import: 'b', as: 'c', from: './dep.js' },
      { importAllFrom: 'ns', as: 'ns' },
      { importFrom: 'side-effect' },
      { export: 'x' },
      { export: 'x', as: 'y' },
      { export: 'default' },
      { export: 'p', as: 'q', from: './re.js' },
      { exportAllFrom: './star.js' },
      { exportAllFrom: './all.js', as: 'all' },
      { import: 'default', as: 'j', from: './data.json', with: { type: 'json' } },
    ]);
  });
  it('bindings returns a fresh copy each time', () => {
    const source = new ModuleSource('export const a = 1;');
    const first = source.bindings;
    (first as unknown as { export: string }[])[0]!.export = 'changed';
    assert.deepEqual(source.bindings, [{ export: 'a' }]);
    assert.notEqual(source.bindings, source.bindings);
  });
  it('needsImport and needsImportMeta reflect import() and import.meta', () => {
    assert.equal(new ModuleSource('import("x")').needsImport, true);
    assert.equal(new ModuleSource('import x from "x"').needsImport, false);
    assert.equal(new ModuleSource('() => import.meta.url').needsImportMeta, true);
    assert.equal(new ModuleSource('const meta = 1;').needsImportMeta, false);
  });
  it('getters are brand-checked', () => {
    for (const key of ['bindings', 'needsImport', 'needsImportMeta']) {
      const d = Object.getOwnPropertyDescriptor(ModuleSource.prototype, key)!;
      assert.equal(typeof d.get, 'function', key);
      assert.equal(d.enumerable, false);
      assert.equal(d.get!.name, `get ${key}`);
      assert.throws(() => d.get!.call({}), TypeError);
      assert.throws(() => d.get!.call(ModuleSource.prototype), TypeError);
    }
  });
});
