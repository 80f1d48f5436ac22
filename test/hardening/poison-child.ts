/**
 * Child process of poisoned-builtins.test.ts: `node poison-child.js <poisoning>`. The entry
 * module's first dependency poisons built-ins (module code, run by modhost, in the main realm);
 * then, with the poison in place, modhost loads, links and evaluates the rest of that graph
 * (static imports with a cycle, `export *`, top-level await, import.meta, a dynamic import),
 * a second graph through importModule, a graph with a link error, a hook that returns a
 * non-Module and an aborted import (and, reported on stderr, parses a new ModuleSource). The poison
 * is undone before the results are printed as one JSON line. The code between poisoning and
 * undoing uses only `await`, try/catch, string concatenation and own-property reads and writes.
 */
import { importModule, Module, type ModuleHandler, ModuleSource } from '../../src/index.js';

const which = process.argv[2] ?? 'none';

/** Module texts that poison built-ins; each stores an undo function in globalThis.__undo. */
const THROW = `function bomb(what) { return function () { throw new Error('poisoned ' + what + ' was used'); }; }`;
const SAVE =
  `const saved = []; const gopd = Object.getOwnPropertyDescriptor, dp = Object.defineProperty, sp = ` +
  `Object.setPrototypeOf;
  function swap(o, k, d) { const old = gopd(o, k); if (old) sp(old, null); saved[saved.length] = [o, k, old]; ` +
  `dp(o, k, d); }
  function replace(o, keys) { for (let i = 0; i < keys.length; i++) swap(o, keys[i], { __proto__: null, value: ` +
  `bomb(String(keys[i])), writable: true, configurable: true }); }
  function trap(o, keys) { for (let i = 0; i < keys.length; i++) swap(o, keys[i], { __proto__: null, get: ` +
  `bomb('get ' + keys[i]), set: bomb('set ' + keys[i]), configurable: true }); }
  globalThis.__undo = () => { for (let i = saved.length - 1; i >= 0; i--) { const e = saved[i], o = e[0], k = ` +
  `e[1], d = e[2]; if (d) dp(o, k, d); else delete o[k]; } };`;
const POISONINGS: Record<string, string> = {
  none: ``,
  'array-methods':
    `replace(Array.prototype, ['push', 'pop', 'shift', 'unshift', 'splice', 'slice', 'map', ` +
    `'forEach', 'filter', 'includes', 'indexOf', 'join', 'sort', 'concat']);`,
  'array-iterator':
    `const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]()); replace(Array.prototype, ` +
    `[Symbol.iterator]); replace(arrayIterator, ['next']);`,
  'object-prototype-accessors':
    `trap(Object.prototype, ['value', 'get', 'set', 'writable', 'enumerable', ` +
    `'configurable', 'status', 'module', 'code', 'cause', 'url', 'line', 'column', 'referrer', 'specifier', ` +
    `'name', 'kind', 'next', 'done', 'signal', 'type', '0', '1', '2']);`,
  // Not a poisoning modhost can ignore: the proposal resolves importHook results with
  // PromiseResolve, which reads `then` (see docs/SECURITY.md); the test expects exactly that.
  'object-prototype-then': `trap(Object.prototype, ['then']);`,
  'array-index-setters': `trap(Array.prototype, ['0', '1', '2', '3', '4', '5', '6', '7']);`,
  'promise-then': `replace(Promise.prototype, ['then', 'catch', 'finally']);
    replace(Promise, ['resolve', 'reject', 'all']);`,
  'function-call-apply-bind': `replace(Function.prototype, ['call', 'apply', 'bind']);`,
  reflect:
    `replace(Reflect, Reflect.ownKeys(Reflect).filter((k) => typeof k === 'string')); swap(globalThis, ` +
    `'Reflect', { __proto__: null, value: undefined, writable: true, configurable: true });`,
  proxy: `swap(globalThis, 'Proxy', { __proto__: null, value: bomb('Proxy'), writable: true, configurable: true });`,
  'object-statics':
    `replace(Object, ['defineProperty', 'defineProperties', 'keys', 'entries', 'create', ` +
    `'freeze', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'setPrototypeOf', 'hasOwn', 'is', ` +
    `'preventExtensions', 'assign']);`,
  'error-constructors':
    `for (const k of ['Error', 'TypeError', 'SyntaxError', 'ReferenceError', 'RangeError']) ` +
    `swap(globalThis, k, { __proto__: null, value: bomb(k), writable: true, configurable: true });`,
  'collections-strings-regexps':
    `replace(Map.prototype, ['get', 'set', 'has', 'delete']); replace(Set.prototype, ` +
    `['add', 'has', 'delete']); replace(WeakMap.prototype, ['get', 'set', 'has']); replace(String.prototype, ` +
    `['includes', 'slice', 'indexOf', 'replace', 'split', 'startsWith', 'endsWith', 'charCodeAt', 'repeat']); ` +
    `replace(RegExp.prototype, ['exec', 'test', Symbol.replace, Symbol.match]);`,
  'event-target':
    `replace(EventTarget.prototype, ['addEventListener', 'removeEventListener']); ` +
    `replace(AbortSignal.prototype, ['throwIfAborted']);`,
};

const texts: Record<string, string> = {
  entry: `import 'poison'; import { total, meta } from 'a'; import * as starNs from 'star';
    const dyn = await import('dyn');
    export const result = total + '|' + meta + '|' + starNs.fromB + '|' + dyn.default;`,
  a: `import { b, later } from 'b'; export const total = 'a' + b() + later; export const meta = import.meta.tag;`,
  b: `import { total } from 'a'; export function b() { return 'b'; } export let later = 'x'; await null; later = 'L';`,
  star: `export * from 'b'; export * from 'c';`,
  c: `export const fromB = 'c';`,
  dyn: `export default 'dyn';`,
  second: `import { b } from 'b'; export default 'second:' + b();`,
  broken: `import { missing } from 'c';`,
  nonModule: `import 'returns-42';`,
  hangs: `import 'never';`,
};

async function main(): Promise<void> {
  const poisonText = POISONINGS[which];
  if (poisonText === undefined) throw new Error(`unknown poisoning ${which}`);
  const allTexts: Record<string, string> = { ...texts, poison: `${THROW} ${SAVE} ${poisonText}` };
  // Everything the hooks use is made before the poisoning (hooks are the host's code).
  const modules: Record<string, Module> = Object.create(null) as Record<string, Module>;
  const handler: ModuleHandler = {
    importHook(specifier: string): Module {
      if (specifier === 'returns-42') return 42 as unknown as Module;
      if (specifier === 'never') return new Promise<Module>(() => {}) as unknown as Module;
      return modules[specifier]!;
    },
    importMetaHook(meta: object): void {
      (meta as { tag?: string }).tag = 'meta';
    },
  };
  for (const name of Object.keys(allTexts))
    modules[name] = new Module(new ModuleSource(allTexts[name]!, { url: `memory:/${name}` }), handler);
  const controller = new AbortController();
  const out = Object.create(null) as Record<string, unknown>;
  // POISON_STACKS=1 adds the stack of every error to the output (for debugging a failure).
  const showStacks = process.env.POISON_STACKS === '1';
  let stackCount = 0;
  let parse = '';
  // Own properties only (Object.prototype may have throwing getters for these names); `name`
  // is inherited from the error class's prototype unless an own one was set.
  const field = (e: unknown, key: string): unknown =>
    hasOwn(e as object, key) ? (e as Record<string, unknown>)[key] : undefined;
  const describeError = (e: unknown): string => {
    if (typeof e !== 'object' || e === null) return `non-object ${typeof e} ${String(e)}`;
    const name = field(e, 'name') ?? field(getPrototypeOf(e), 'name');
    if (showStacks) out[`stack ${stackCount++}`] = field(e, 'stack');
    return `${name as string}/${field(e, 'code') as string}/${field(e, 'message') as string}`;
  };
  try {
    const ns = await importModule(modules.entry!);
    out.entry = ns.result;
  } catch (e) {
    out.entry = `threw ${describeError(e)}`;
  }
  try {
    out.second = (await importModule(modules.second!)).default;
  } catch (e) {
    out.second = `threw ${describeError(e)}`;
  }
  try {
    await importModule(modules.broken!);
    out.broken = 'no error';
  } catch (e) {
    out.broken = describeError(e);
    out.brokenIsSyntaxError = e instanceof SyntaxErrorCtor;
  }
  try {
    await importModule(modules.nonModule!);
    out.nonModule = 'no error';
  } catch (e) {
    out.nonModule = describeError(e);
    out.nonModuleIsTypeError = e instanceof TypeErrorCtor;
  }
  try {
    const pending = importModule(modules.hangs!, { signal: controller.signal });
    controller.abort();
    await pending;
    out.aborted = 'no error';
  } catch (e) {
    out.aborted = describeError(e);
  }
  // Parsing (meriyah and the analysis in source/) is not hardened (docs/SECURITY.md): reported,
  // not asserted.
  try {
    const source = new ModuleSource('const [x] = [1]; export default `${x}` + (x ? 2 : 3);');
    parse = `${(await importModule(new Module(source))).default as string}`;
  } catch (e) {
    parse = `threw ${describeError(e)}`;
  }
  const undo = (globalThis as { __undo?: () => void }).__undo;
  if (undo) undo();
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.stderr.write(`parse after poisoning ${which}: ${parse}\n`);
}

const hasOwn = Object.hasOwn;
const getPrototypeOf = Object.getPrototypeOf;
const SyntaxErrorCtor = SyntaxError;
const TypeErrorCtor = TypeError;
await main();
