/**
 * Child-process scenario for intrinsics.test.ts: a module poisons built-ins (Array.prototype
 * indices and methods, iterators, Promise.prototype.then, Function.prototype.call/apply/bind,
 * Map/Set/WeakMap methods, Object.*, setters on Object.prototype, Proxy, Reflect, Promise), then
 * dynamically imports a graph. It runs in its own process because Node's async_hooks (enabled by
 * the test runner) write arrays by index and would trip the poisoned Array.prototype. Prints one
 * JSON line: { error, poisoned, log, depStatus }.
 */
import {
  createSourceTextModuleRecord,
  Evaluate,
  Link,
  LoadRequestedModules,
  type SourceTextModuleRecord,
} from '../../src/records/index.js';
import { createTestRealm, takeLog, textSource } from './fixtures.js';

// Captured before anything is poisoned: the poisoning code itself must keep working.
const defineProperty = Object.defineProperty;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const setPrototypeOf = Object.setPrototypeOf;
const getPrototypeOf = Object.getPrototypeOf;

/** Names poisoned with a throwing getter/setter pair. */
const TRAPPED: readonly (readonly [object, readonly string[]])[] = [
  [
    Object.prototype,
    [
      'status',
      'environment',
      'namespace',
      'module',
      'next',
      'kind',
      'value',
      'done',
      'get',
      'set',
      'type',
      'specifier',
      'frames',
      'resolve',
      'reject',
    ],
  ],
  [Array.prototype, ['0', '1', '2', '3', '4', '5']],
];

/** Methods replaced by throwing functions. (Not Array.prototype.pop: Node's own async_hooks call it.) */
const REPLACED: readonly (readonly [object, readonly PropertyKey[]])[] = [
  [Array.prototype, ['push', 'sort', 'map', 'includes', 'indexOf', 'slice', 'splice', Symbol.iterator]],
  [getPrototypeOf([][Symbol.iterator]()) as object, ['next']],
  [getPrototypeOf(function* () {}.prototype) as object, ['next', 'throw']],
  [Promise.prototype, ['then']],
  [Promise, ['resolve']],
  [Function.prototype, ['call', 'apply', 'bind']],
  [Map.prototype, ['get', 'set', 'has', 'delete']],
  [Set.prototype, ['add', 'has']],
  [WeakMap.prototype, ['get', 'set']],
  [Object, ['create', 'freeze', 'entries', 'setPrototypeOf', 'preventExtensions', 'is', 'defineProperty']],
  [globalThis, ['Proxy', 'Reflect', 'Map', 'Set', 'Promise']],
];

function bomb(name: string): () => never {
  return function poisoned(): never {
    throw new Error(`poisoned ${name} was called`);
  };
}

/**
 * Replaces the built-ins above. `undo` receives, as it goes, how to undo each replacement
 * (descriptors are null-prototype, since Object.prototype.get/set/value are trapped).
 */
function poison(undo: (() => void)[]): void {
  const swap = (object: object, key: PropertyKey, descriptor: PropertyDescriptor): void => {
    const found = getOwnPropertyDescriptor(object, key);
    const previous = found && (setPrototypeOf(found, null) as PropertyDescriptor);
    defineProperty(object, key, descriptor);
    undo[undo.length] = () => {
      if (previous) defineProperty(object, key, previous);
      else delete (object as Record<PropertyKey, unknown>)[key];
    };
  };
  for (let i = 0; i < TRAPPED.length; i++) {
    const [object, keys] = [TRAPPED[i]![0], TRAPPED[i]![1]];
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j]!;
      swap(object, key, {
        __proto__: null,
        get: bomb(`getter ${key}`),
        set: bomb(`setter ${key}`),
        configurable: true,
      } as PropertyDescriptor);
    }
  }
  for (let i = 0; i < REPLACED.length; i++) {
    const object = REPLACED[i]![0];
    const keys = REPLACED[i]![1];
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j]!;
      swap(object, key, {
        __proto__: null,
        value: bomb(String(key)),
        writable: true,
        configurable: true,
      } as PropertyDescriptor);
    }
  }
}

/** Undoes what {@link poison} did (latest first). */
function unpoison(undo: (() => void)[]): void {
  for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
  undo.length = 0;
}

async function main(): Promise<void> {
  const t = createTestRealm();
  const texts: Record<string, string> = {
    main:
      `log('main'); globalThis.__poison(); const ns = await import('./dep'); log(ns.value, ns.later, ` +
      `ns[Symbol.toStringTag], 'value' in ns, delete ns.missing); await null; log('main end');`,
    dep:
      `import { inner } from './inner'; import * as innerNs from './inner'; export const value = inner + ` +
      `innerNs.inner; export let later; await 0; later = 'set'; log('dep done');`,
    inner: `export const inner = 21; log('inner');`,
  };
  // Everything the hook needs is prepared before the poisoning.
  const table: Record<string, object> = Object.create(null) as Record<string, object>;
  const records: Record<string, SourceTextModuleRecord> = Object.create(null) as Record<string, SourceTextModuleRecord>;
  for (const name of Object.keys(texts)) {
    const record = createSourceTextModuleRecord(textSource(texts[name]!, `memory:/${name}`), t.realm, {
      importHook: (specifier: string) => table[specifier.slice(2)],
      handler: undefined,
    });
    records[name] = record;
    table[name] = t.wrap(record);
  }
  const undo = Object.setPrototypeOf([], null) as (() => void)[];
  let poisoned = false;
  (globalThis as Record<string, unknown>).__poison = (): void => {
    poison(undo);
    poisoned = true;
  };
  let error: unknown;
  try {
    takeLog();
    const main = records.main!;
    await LoadRequestedModules(main);
    Link(main);
    await Evaluate(main);
  } catch (e) {
    error = e;
  } finally {
    unpoison(undo);
    delete (globalThis as Record<string, unknown>).__poison;
  }
  process.stdout.write(
    `${JSON.stringify({
      error: error === undefined ? null : String((error as Error)?.stack ?? error),
      poisoned,
      log: takeLog(),
      depStatus: records.dep!.status,
    })}\n`,
  );
}

await main();
