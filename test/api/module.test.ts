import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importModule, install, Module, ModuleSource } from '../../src/index.js';

const source = () => new ModuleSource('export default 1;');

describe('Module constructor (proposal "Module ( moduleSource, handler )")', () => {
  it('step 1: requires new', () => {
    assert.throws(() => (Module as unknown as (s: unknown) => unknown)(source()), TypeError);
  });
  it('step 2: the first argument must be a real ModuleSource or (layer 2) a virtual module source object', () => {
    // Non-objects are neither. Objects that inherit ModuleSource's brand-checked getters without
    // the slot are read as virtual sources, and reading their `bindings` throws the TypeError.
    for (const bad of [
      undefined,
      null,
      1,
      'export {}',
      ModuleSource.prototype,
      Object.create(ModuleSource.prototype),
    ]) {
      assert.throws(() => new Module(bad as unknown as ModuleSource), TypeError);
    }
    // Layer 2: an object without [[ModuleSource]] is a virtual module source; `{}` is the empty one.
    assert.equal(new Module({}).source !== null, true);
  });
  it('steps 4-6: handler must be an object or undefined; hooks must be callable when present', () => {
    assert.throws(() => new Module(source(), null as unknown as object), TypeError);
    assert.throws(() => new Module(source(), 1 as unknown as object), TypeError);
    assert.throws(() => new Module(source(), { importHook: 1 } as unknown as object), TypeError);
    assert.throws(() => new Module(source(), { importMetaHook: 'x' } as unknown as object), TypeError);
    new Module(source(), { importHook: undefined, importMetaHook: null } as unknown as object);
    new Module(source(), (() => {}) as unknown as object); // functions are objects
    new Module(source());
  });
  it('reads each hook exactly once, at construction, importHook first', () => {
    const reads: string[] = [];
    const handler = {
      get importHook() {
        reads.push('importHook');
        return undefined;
      },
      get importMetaHook() {
        reads.push('importMetaHook');
        return undefined;
      },
    };
    new Module(source(), handler);
    assert.deepEqual(reads, ['importHook', 'importMetaHook']);
  });
  it('hooks replaced on the handler after construction are not used', async () => {
    const dep = new Module(new ModuleSource('export const v = "original";'));
    const handler: { importHook(s: string): Module } = { importHook: () => dep };
    const main = new Module(new ModuleSource('export { v } from "dep";'), handler);
    handler.importHook = () => {
      throw new Error('replacement hook must not be called');
    };
    const ns = await importModule(main);
    assert.equal(ns.v, 'original');
  });
  it('calls hooks with this = handler', async () => {
    const seen: unknown[] = [];
    const dep = new Module(new ModuleSource('export default 2;'));
    const handler = {
      importHook(this: unknown) {
        seen.push(this);
        return dep;
      },
      importMetaHook(this: unknown) {
        seen.push(this);
      },
    };
    const main = new Module(new ModuleSource('import d from "dep"; export const m = import.meta;'), handler);
    await importModule(main);
    assert.equal(seen.length, 2);
    assert.equal(seen[0], handler);
    assert.equal(seen[1], handler);
  });
  it('source getter returns the ModuleSource and is brand-checked', () => {
    const s = source();
    const m = new Module(s);
    assert.equal(m.source, s);
    const d = Object.getOwnPropertyDescriptor(Module.prototype, 'source')!;
    assert.equal(d.set, undefined);
    assert.equal(d.enumerable, false);
    assert.equal(d.get!.name, 'get source');
    assert.throws(() => d.get!.call({}), TypeError);
    assert.throws(() => d.get!.call(Module.prototype), TypeError);
  });
  it('has @@toStringTag "Module" (non-writable, configurable) and length 2', () => {
    const d = Object.getOwnPropertyDescriptor(Module.prototype, Symbol.toStringTag)!;
    assert.deepEqual(d, { value: 'Module', writable: false, enumerable: false, configurable: true });
    assert.equal(Object.prototype.toString.call(new Module(source())), '[object Module]');
    assert.equal(Module.length, 2);
    assert.equal(Module.prototype.constructor, Module);
  });
  it('many Modules share one ModuleSource and get separate instances', async () => {
    const s = new ModuleSource('export let count = 0; export function inc() { count++; }');
    const a = await importModule(new Module(s));
    const b = await importModule(new Module(s));
    (a.inc as () => void)();
    (a.inc as () => void)();
    assert.equal(a.count, 2);
    assert.equal(b.count, 0);
  });
});

describe('install()', () => {
  it('defines ModuleSource and Module as non-enumerable, writable, configurable globals', () => {
    const target = {};
    install(target);
    for (const [key, value] of [
      ['ModuleSource', ModuleSource],
      ['Module', Module],
    ] as const) {
      assert.deepEqual(Object.getOwnPropertyDescriptor(target, key), {
        value,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
    assert.equal('AbstractModuleSource' in target, false);
  });
});
