// Node's util.inspect (console.log) prints a Proxy's target, not what its traps report. modhost's
// namespaces are Proxies, so their targets mirror the export values; the oracle is the same graph
// as native modules under vm.SourceTextModule, inspected the same way. Node 26 and later also
// wrap what they print of a Proxy in `Proxy(...)`, which no script can avoid: the comparison
// leaves that wrapper out, and a test checks that it is the only difference.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import vm from 'node:vm';
import { importModule, Module, ModuleSource } from '../../src/index.js';

const DEP = 'export let n = 1; export function inc() { n++; } export const o = { a: [1, 2] };';
const MAIN = 'export * from "dep"; export * as d from "dep"; export default 42; export let late;';

/**
 * The export names and values that inspect shows. The headers differ and are left out: V8's
 * namespaces print as `[Module: null prototype]`, a Proxy's target as `[Object: null prototype] [Module]`.
 */
function shown(ns: object): string {
  return withoutProxyMarks(inspect(ns, { depth: 4 })).replace(
    /\[(?:Object|Module): null prototype\] |\[Module\] /g,
    '',
  );
}

/** Does the running Node mark Proxies in util.inspect output (`Proxy({ a: 1 })`, Node 26+)? */
const MARKS_PROXIES = inspect(new Proxy({ a: 1 }, {})) !== inspect({ a: 1 });

/** `text` without the `Proxy(` ... `)` wrappers util.inspect puts around Proxies on Node 26+. */
function withoutProxyMarks(text: string): string {
  let out = text;
  for (let at = out.indexOf('Proxy('); at >= 0; at = out.indexOf('Proxy(')) {
    let depth = 0;
    let end = at + 'Proxy'.length;
    for (; end < out.length; end++) {
      if (out[end] === '(') depth++;
      else if (out[end] === ')' && --depth === 0) break;
    }
    out = out.slice(0, at) + out.slice(at + 'Proxy('.length, end) + out.slice(end + 1);
  }
  return out;
}

async function native(): Promise<Record<string, unknown>> {
  const dep = new vm.SourceTextModule(DEP);
  const main = new vm.SourceTextModule(MAIN);
  await main.link(async () => dep);
  await main.evaluate();
  return main.namespace as Record<string, unknown>;
}

describe('namespaces under util.inspect (console.log)', () => {
  it('show the current export values, as native namespaces do', async () => {
    const dep = new Module(new ModuleSource(DEP));
    const main = new Module(new ModuleSource(MAIN), { importHook: () => dep });
    const ns = (await importModule(main)) as Record<string, unknown>;
    const v8 = await native();
    assert.equal(shown(ns), shown(v8));
    // A live binding changed later shows once the export is read, or the namespace handed out, again.
    (ns.inc as () => void)();
    (v8.inc as () => void)();
    assert.equal(ns.n, 2);
    assert.match(shown(ns), /\n {2}n: 2/);
    assert.equal(shown(await importModule(main)), shown(v8));
  });

  it('print as a Proxy only where the running Node marks every Proxy', async () => {
    const ns = await importModule(new Module(new ModuleSource('export const a = 1;')));
    const printed = inspect(ns);
    assert.equal(printed.startsWith('Proxy('), MARKS_PROXIES);
    assert.equal(withoutProxyMarks(printed), '[Object: null prototype] [Module] { a: 1 }');
  });

  it('namespaces that re-export each other print (as circular) instead of recursing', async () => {
    const mods: Record<string, Module> = {};
    const hook = { importHook: (s: string) => mods[s]! };
    mods.a = new Module(new ModuleSource('export * as b from "b"; export const x = 1;'), hook);
    mods.b = new Module(new ModuleSource('export * as a from "a"; export const y = 2;'), hook);
    const ns = await importModule(mods.a);
    assert.match(inspect(ns), /x: 1/);
    assert.match(inspect(ns), /y: 2/);
    assert.match(inspect(ns), /Circular/);
  });

  it('a deferred namespace is not evaluated by inspecting the namespace that holds it', async () => {
    let ran = false;
    const heavy = new Module({
      bindings: [{ export: 'v' }],
      execute(env: Record<string, unknown>) {
        ran = true;
        env.v = 1;
      },
    });
    const main = new Module(new ModuleSource('import defer * as h from "heavy"; export { h };'), {
      importHook: () => heavy,
    });
    const ns = await importModule(main);
    inspect(ns, { depth: 3 });
    assert.equal(ran, false);
  });
});
