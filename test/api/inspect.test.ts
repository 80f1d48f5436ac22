// Node's util.inspect (console.log) prints a Proxy's target, not what its traps report. modhost's
// namespaces are Proxies, so their targets mirror the export values; the oracle is the same graph
// as native modules under vm.SourceTextModule, inspected the same way.

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
  return inspect(ns, { depth: 4 }).replace(/\[(?:Object|Module): null prototype\] |\[Module\] /g, '');
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
