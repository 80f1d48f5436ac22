/**
 * Hygiene: what module code can reach of the compiled wrapper (ARCHITECTURE.md "Compiled module
 * protocol"). Where modhost must behave as a native module, V8 (vm.SourceTextModule) is the
 * oracle. Where it cannot (a direct eval can name the wrapper's own bindings, see
 * docs/SECURITY.md), what is reachable must grant nothing the module does not already have.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { importModule, Module, ModuleSource } from '../../src/index.js';
import { detectUnhandled } from './harness.js';

const skip =
  typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function' && 'needs --experimental-vm-modules';

/** The default export of `text` as a native module (no imports). */
async function native(text: string): Promise<unknown> {
  const SourceTextModule = (
    vm as unknown as {
      SourceTextModule: new (
        text: string,
      ) => { link(f: () => never): Promise<void>; evaluate(): Promise<void>; namespace: { default: unknown } };
    }
  ).SourceTextModule;
  const m = new SourceTextModule(text);
  await m.link(() => {
    throw new Error('no imports');
  });
  await m.evaluate();
  return m.namespace.default;
}

async function modhost(text: string, handler?: ConstructorParameters<typeof Module>[1]): Promise<unknown> {
  return (await importModule(new Module(new ModuleSource(text), handler))).default;
}

/** Each text exports as default a string describing what it saw; both engines must agree. */
const SAME_AS_NATIVE: Record<string, string> = {
  'top-level arguments (typeof)': `let r; try { r = typeof arguments; } catch (e) { r = e.constructor.name; }
    export default r;`,
  'top-level arguments (read)': `let r; try { r = arguments; } catch (e) { r = e.constructor.name; }
    export default String(r);`,
  'arguments in a top-level arrow': `let r; try { r = (() => arguments)(); } catch (e) { r = e.constructor.name; }
    export default String(r);`,
  'top-level this, and in a plain function': `function f() { return this; }
    export default String(this) + String(f()) + String(eval('this'));`,
  'Function.prototype.caller from a sloppy function': `
    const p = new Function('return function p() { return p.caller; }')();
    export default String(p());`,
  'arguments.callee.caller from a sloppy function': `
    const p = new Function('return function p() { return arguments.callee.caller; }')();
    export default String(p());`,
  'caller of a module function': `
    function f() { try { return String(f.caller); } catch (e) { return e.constructor.name; } }
    export default f();`,
  'stack frames with a function or receiver (structured stack trace)': `const saved = Error.prepareStackTrace;
    Error.prepareStackTrace = (e, frames) => frames
      .filter((c) => c.getFunction() !== undefined || (c.getThis() !== undefined && c.getThis() !== globalThis))
      .map((c) => c.getFunctionName());
    let s; function f() { s = new Error().stack; } f(); [1].map(function g() { f(); });
    Error.prepareStackTrace = saved; export default s.join(',');`,
  'identifiers that look generated': `var $mh = 1; let $mh_i0 = 2; function $mh_d() { return 3; }
    const $mh_v = 4, $mh0 = 5, $mh_1 = 6;
    export default [$mh, $mh_i0, $mh_d(), $mh_v, $mh0, $mh_1, typeof $mh2].join();`,
  'generated-looking identifiers written with escapes': `var \\u0024mh = 1; let \\u{24}mh_i0 = 2;
    export default $mh + $mh_i0;`,
  'generated-looking names in strings and comments only': `/* $mh $mh_i0 */
    export default eval('typeof $mh') + eval('typeof $mh_i0');`,
  'yield and await in eval': `let r = [];
    for (const c of ['yield 1', 'await 1']) { try { r.push(eval(c)); } catch (e) { r.push(e.constructor.name); } }
    export default r.join();`,
};

describe('hygiene: module code and the compiled wrapper', { skip }, () => {
  detectUnhandled();

  for (const [name, text] of Object.entries(SAME_AS_NATIVE)) {
    it(`as native: ${name}`, async () => {
      assert.deepEqual(await modhost(text), await native(text));
    });
  }

  it('a direct eval of constructed names reaches only a frozen runtime object without the module record', async () => {
    // The names are built at run time, so the compiler cannot pick a prefix that avoids them.
    const text = `const rt = eval('$' + 'mh'); const args = eval('arguments');
      const seen = new Set(); const found = [];
      (function walk(v, path) {
        if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) return;
        if (v === Object.prototype || v === Function.prototype) return;
        seen.add(v);
        for (const k of Reflect.ownKeys(v)) {
          const d = Reflect.getOwnPropertyDescriptor(v, k);
          if (['status', 'loadedModules', 'environment', 'realm', 'hostHooks', 'evaluator'].includes(String(k)))
            found.push(path + '.' + String(k));
          if ('value' in d) walk(d.value, path + '.' + String(k));
        }
        walk(Object.getPrototypeOf(v), path + '.__proto__');
      })(rt, 'rt');
      export default {
        found,
        frozen: Object.isFrozen(rt) && Object.isFrozen(Object.getPrototypeOf(rt)),
        symbols: Object.getOwnPropertySymbols(rt).length,
        args: args.length === 1 && args[0] === rt,
        rt,
      };`;
    const result = (await modhost(text)) as {
      found: string[];
      frozen: boolean;
      symbols: number;
      args: boolean;
      rt: object;
    };
    assert.deepEqual(result.found, []);
    assert.equal(result.frozen, true);
    assert.equal(result.symbols, 0);
    assert.equal(result.args, true);
  });

  it("the runtime's methods act only for their own module; another receiver is a TypeError, not internal", async () => {
    const text = `const rt = eval('$' + 'mh'); let r = [];
      for (const m of ['meta', 'import', 'ref']) {
        try { rt[m].call({}, 'x'); r.push('no error'); } catch (e) { r.push(e.constructor.name + ' ' + e.code); }
      }
      try { Object.getPrototypeOf(rt).unlinked = null; r.push('changed'); } catch (e) { r.push(e.constructor.name); }
      export default r.join();`;
    assert.equal(
      await modhost(text),
      'TypeError ERR_MODHOST_INVALID_ARGUMENT,TypeError ERR_MODHOST_INVALID_ARGUMENT,' +
        'TypeError ERR_MODHOST_INVALID_ARGUMENT,TypeError',
    );
  });

  it('through its runtime a module reaches only its own import.meta and import(), as the syntax gives it', async () => {
    const dep = new Module(new ModuleSource('export default "dep";'));
    const handler = {
      importHook: () => dep,
      importMetaHook: (meta: object) => void ((meta as { who: string }).who = 'main'),
    };
    const text = `const rt = eval('$' + 'mh');
      export default [rt.meta() === import.meta, (await rt.import('dep')) === (await import('dep'))].join();`;
    assert.equal(await modhost(text, handler), 'true,true');
  });
});
