/**
 * Two isolated instances of one source: the text is parsed and compiled once, each Module has its
 * own state (what a test runner needs for fresh module instances per test).
 */
import { importModule, Module, ModuleSource } from '../src/index.js';

export async function isolatedInstances(): Promise<string[]> {
  const counter = new ModuleSource(`export let count = 0; export function increment() { return ++count; }`, {
    url: 'memory:/counter.js',
  });
  const first = await importModule(new Module(counter));
  const second = await importModule(new Module(counter));
  const inc = (ns: Record<string, unknown>) => (ns.increment as () => number)();
  inc(first);
  inc(first);
  inc(second);
  return [`first instance count = ${first.count}`, `second instance count = ${second.count}`];
}
