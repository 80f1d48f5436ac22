/**
 * Child process of memory.test.ts (run with --expose-gc). Prints one JSON line with:
 * - collected: which registered objects a FinalizationRegistry saw collected after the graph
 *   was dropped (Modules, ModuleSources, namespaces, import.meta objects);
 * - heap/rss after 2,000 warm-up graphs and after 1,000 more fresh graphs (each loaded, evaluated
 *   and dropped);
 * - newGlobals: own properties of globalThis that appeared while graphs ran.
 */
import { importModule, Module, ModuleSource } from '../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** A graph with a cycle, `export *`, a top-level await, import.meta and a dynamic import. */
function makeGraph(
  tag: number,
  signal?: AbortSignal,
): { root: Module; register(r: FinalizationRegistry<string>): void; run(): Promise<void> } {
  const texts: Record<string, string> = {
    root:
      `import { a } from 'a'; export * from 'b'; export const meta = import.meta; export const big = new ` +
      `Array(2000).fill(${tag}); const d = await import('d'); export const dv = d.default;`,
    a: `import { b } from 'b'; export const a = () => b; export const pad = 'x'.repeat(1000) + ${tag};`,
    b: `import { a } from 'a'; export const b = 1; export function f() { return a; } await null;`,
    d: `export default ${tag};`,
  };
  const modules = new Map<string, Module>();
  const sources: ModuleSource[] = [];
  const get = (name: string): Module => {
    let m = modules.get(name);
    if (m === undefined) {
      const source = new ModuleSource(texts[name]!, { url: `memory:/${tag}/${name}` });
      sources.push(source);
      m = new Module(source, {
        importHook: (s: string) => Promise.resolve(get(s)),
        importMetaHook: (meta: object) => void ((meta as { tag: number }).tag = tag),
      });
      modules.set(name, m);
    }
    return m;
  };
  const root = get('root');
  let namespace: object | undefined;
  return {
    root,
    async run() {
      namespace = await importModule(root, signal === undefined ? undefined : { signal });
      if ((namespace as { dv: number }).dv !== tag) throw new Error('wrong graph value');
    },
    register(registry) {
      for (const [name, m] of modules) registry.register(m, `module ${name}`);
      for (const [i, s] of sources.entries()) registry.register(s, `source ${i}`);
      registry.register(namespace!, 'namespace');
      registry.register((namespace as { meta: object }).meta, 'import.meta');
    },
  };
}

async function collect(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function main(): Promise<void> {
  const before = new Set(Reflect.ownKeys(globalThis));
  const collected: string[] = [];
  const registry = new FinalizationRegistry<string>((held) => collected.push(held));
  // A long-lived AbortSignal must not keep a settled import's graph alive either.
  const longLived = new AbortController();
  let registered = 0;
  await (async () => {
    for (const signal of [undefined, longLived.signal]) {
      const g = makeGraph(-1, signal);
      await g.run();
      g.register(registry);
      registered += 4 + 4 + 2;
    }
    // An import aborted while its hook never settles: the pending hook promise holds only the
    // abandoned load, which nothing else references.
    const controller = new AbortController();
    const hung = new Module(new ModuleSource(`import 'never';`), { importHook: () => new Promise<Module>(() => {}) });
    registry.register(hung, 'aborted module');
    registered += 1;
    const p = importModule(hung, { signal: controller.signal });
    controller.abort();
    await p.catch(() => {});
  })();
  await collect();
  await collect();

  const sample = (): { heap: number; rss: number } => ({
    heap: process.memoryUsage().heapUsed,
    rss: process.memoryUsage().rss,
  });
  // 2,000 graphs first, so that JIT code and the old generation's size settle (the young
  // generation's size is fixed by the parent's flags); then 1,000 fresh graphs are measured.
  let warm = { heap: 0, rss: 0 };
  for (let i = 0; i < 3000; i++) {
    await makeGraph(i).run();
    if (i === 1999) {
      await collect();
      warm = sample();
    }
  }
  await collect();
  const warm0 = sample();
  const newGlobals = Reflect.ownKeys(globalThis)
    .filter((k) => !before.has(k))
    .map(String);
  process.stdout.write(
    `${JSON.stringify({
      registered,
      collected: collected.sort(),
      warm,
      warm0,
      newGlobals,
      keepAlive: longLived.signal.aborted,
    })}\n`,
  );
}

await main();
