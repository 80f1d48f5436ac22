/**
 * Built-ins captured when records/ is first loaded (scoped "primordials").
 *
 * Module code runs in the same realm as this machinery and may replace or poison built-ins:
 * `Array.prototype.push`, `Promise.prototype.then`, `Function.prototype.call`, setters on
 * `Object.prototype` or `Array.prototype` indices, `globalThis.Proxy`, `Reflect`… Every path of
 * records/ that can run after user code has run (loading continuations, linking, evaluation,
 * namespace objects, `import()`, `import.meta`) uses only what this file captured, and follows
 * these rules:
 *
 * - Methods are called through uncurried copies (`MapGet(map, key)`), never `obj.method()`.
 * - Internal lists are arrays from {@link ListCreate}, whose prototype chain is empty: index writes
 *   past the end cannot reach a setter on `Array.prototype`/`Object.prototype`, and they are walked with index
 *   loops (never `for…of`, spread or array destructuring, which use the poisonable
 *   %ArrayIteratorPrototype%.next).
 * - String-keyed tables are null-prototype objects or Maps; records are class instances whose
 *   fields are all defined in the constructor (class fields use [[DefineOwnProperty]]).
 * - Property descriptors are null-prototype objects, so `Object.prototype.get` & co. cannot
 *   change their meaning.
 */
import { AssertionFailed } from './assert.js';

const ReflectObject = Reflect;
export const ReflectApply = ReflectObject.apply;
export const ReflectConstruct = ReflectObject.construct;
export const ReflectDefineProperty = ReflectObject.defineProperty;
export const ReflectDeleteProperty = ReflectObject.deleteProperty;
export const ReflectGet = ReflectObject.get;
export const ReflectGetOwnPropertyDescriptor = ReflectObject.getOwnPropertyDescriptor;
export const ReflectGetPrototypeOf = ReflectObject.getPrototypeOf;
export const ReflectHas = ReflectObject.has;
export const ReflectIsExtensible = ReflectObject.isExtensible;
export const ReflectOwnKeys = ReflectObject.ownKeys;
export const ReflectPreventExtensions = ReflectObject.preventExtensions;
export const ReflectSetPrototypeOf = ReflectObject.setPrototypeOf;

const ObjectCtor = Object;
export const ObjectCreate = ObjectCtor.create;
export const ObjectDefineProperty = ObjectCtor.defineProperty;
export const ObjectEntries = ObjectCtor.entries;
export const ObjectFreeze = ObjectCtor.freeze;
export const ObjectIs = ObjectCtor.is;
export const ObjectPreventExtensions = ObjectCtor.preventExtensions;
export const ObjectSetPrototypeOf = ObjectCtor.setPrototypeOf;

const FunctionPrototypeCall = Function.prototype.call;
const FunctionPrototypeBind = Function.prototype.bind;

/**
 * `uncurryThis(f)(self, ...args)` calls `f` with `this = self`. The bound function holds the
 * original `Function.prototype.call`, so replacing `call`/`bind` later changes nothing.
 */
function uncurryThis<This, Args extends unknown[], R>(
  fn: (this: This, ...args: Args) => R,
): (self: This, ...args: Args) => R {
  return ReflectApply(FunctionPrototypeBind, FunctionPrototypeCall, [fn]) as (self: This, ...args: Args) => R;
}

export const ArrayCtor = Array;
export const ArrayIsArray = Array.isArray;
/** Array.prototype.sort, generic: used on null-prototype lists. */
export const ArrayPrototypeSort = uncurryThis(Array.prototype.sort) as <T>(
  list: T[],
  compare?: (a: T, b: T) => number,
) => T[];

export const MapCtor = Map;
export const MapPrototypeGet = uncurryThis(Map.prototype.get) as <K, V>(map: Map<K, V>, key: K) => V | undefined;
export const MapPrototypeSet = uncurryThis(Map.prototype.set) as <K, V>(map: Map<K, V>, key: K, value: V) => Map<K, V>;
export const MapPrototypeHas = uncurryThis(Map.prototype.has) as <K, V>(map: Map<K, V>, key: K) => boolean;
export const MapPrototypeDelete = uncurryThis(Map.prototype.delete) as <K, V>(map: Map<K, V>, key: K) => boolean;
export const MapPrototypeForEach = uncurryThis(Map.prototype.forEach) as <K, V>(
  map: Map<K, V>,
  callback: (value: V, key: K) => void,
) => void;

export const SetCtor = Set;
export const SetPrototypeAdd = uncurryThis(Set.prototype.add) as <T>(set: Set<T>, value: T) => Set<T>;
export const SetPrototypeHas = uncurryThis(Set.prototype.has) as <T>(set: Set<T>, value: T) => boolean;

export const WeakMapCtor = WeakMap;
export const WeakRefCtor = WeakRef;
export const WeakRefPrototypeDeref = uncurryThis(WeakRef.prototype.deref) as <T extends object>(
  ref: WeakRef<T>,
) => T | undefined;
export const WeakMapPrototypeGet = uncurryThis(WeakMap.prototype.get) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
) => V | undefined;
export const WeakMapPrototypeSet = uncurryThis(WeakMap.prototype.set) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
  value: V,
) => WeakMap<K, V>;

export const PromiseCtor = Promise;
/**
 * %Promise.resolve% — call as `ReflectApply(PromiseResolveFunction, PromiseCtor, [x])`
 * (PromiseResolve(%Promise%, x)).
 */
export const PromiseResolveFunction = Promise.resolve;
export const PromisePrototypeThen = uncurryThis(Promise.prototype.then) as (
  promise: Promise<unknown>,
  onFulfilled: ((value: unknown) => unknown) | undefined,
  onRejected: ((reason: unknown) => unknown) | undefined,
) => Promise<unknown>;

export const ProxyCtor = Proxy;
export const SymbolToStringTag: typeof Symbol.toStringTag = Symbol.toStringTag;

/** %GeneratorFunction.prototype.prototype% methods (work on generators of any realm). */
const GeneratorPrototype = ReflectGetPrototypeOf(function* () {}.prototype) as Generator;
export const GeneratorPrototypeNext = uncurryThis(GeneratorPrototype.next) as (
  gen: Generator,
  value?: unknown,
) => IteratorResult<unknown>;
export const GeneratorPrototypeThrow = uncurryThis(GeneratorPrototype.throw) as (
  gen: Generator,
  error: unknown,
) => IteratorResult<unknown>;

/* eslint-enable @typescript-eslint/unbound-method */

/**
 * The class of spec Lists: arrays whose prototype is an empty, frozen object with a null
 * prototype, which nothing outside this file can reach. Writing `list[list.length] = v` on one
 * cannot reach an inherited setter (of `Array.prototype` or `Object.prototype`), and reading past
 * the end yields `undefined`. (Constructing one is several times faster than setting the
 * prototype of an array literal to null, which Lists used to be.)
 */
class List<T> extends ArrayCtor<T> {
  // (not the implicit `constructor(...args)`: spreading arguments runs the array iterator, which
  // module code can replace)
  constructor(length: number) {
    if (length === 0) super();
    else super(length);
  }
}
ReflectDeleteProperty(List.prototype, 'constructor');
ObjectSetPrototypeOf(List.prototype, null);
ObjectFreeze(List.prototype);

/** A new empty spec List (see {@link List}). */
export function ListCreate<T>(): T[] {
  return new List<T>(0);
}

/**
 * A new spec List holding `value` (see {@link ListCreate}). Its storage
 * fits one element: appending to an empty List makes room for 16, which a List that usually
 * holds one element (a load's waiting processes, a module's one import) would waste.
 */
export function ListOf<T>(value: T): T[] {
  const list = new List<T>(1);
  list[0] = value;
  return list;
}

/**
 * A new List of `length` elements whose storage fits them exactly, for a caller that sets every
 * element (by index) before anything reads it: Lists never hold `undefined` (see ListAt).
 */
export function ListOfLength<T>(length: number): T[] {
  return new List<T>(length);
}

/** A new spec List of `length` elements, each `value`, whose storage fits them exactly. */
export function ListFilled<T>(length: number, value: T): T[] {
  const list = ListOfLength<T>(length);
  for (let i = 0; i < length; i++) list[i] = value;
  return list;
}

/**
 * A shared, frozen empty List: the initial value of record fields that usually stay empty
 * (replaced by a new List on first append; see the callers).
 */
export const EMPTY_LIST: never[] = ObjectFreeze(ListCreate<never>()) as never[];

/** Appends `value` to a List made by {@link ListCreate}. */
export function ListAppend<T>(list: T[], value: T): void {
  list[list.length] = value;
}

/**
 * The element at `index` of a List. Lists never hold `undefined` and are read within bounds, so an
 * index outside the List is an internal error (checked here, instead of asserting a type).
 */
export function ListAt<T extends {} | null>(list: readonly T[], index: number): T {
  const element = list[index];
  if (element === undefined) AssertionFailed(`List index ${index} is outside a List of ${list.length}`);
  return element;
}

/** Removes and returns the last element of a non-empty List. */
export function ListPop<T extends {} | null>(list: T[]): T {
  const last = ListAt(list, list.length - 1);
  list.length = list.length - 1;
  return last;
}

/** True if the List contains `value` (SameValue-free identity check: Lists here hold records or strings). */
export function ListContains<T>(list: readonly T[], value: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}

/** A new null-prototype object used as a string-keyed table. */
export function TableCreate<V>(): { [key: string]: V } {
  return ObjectCreate(null) as { [key: string]: V };
}

/** A data-property descriptor that cannot inherit fields from a poisoned Object.prototype. */
export function DataDescriptor(
  value: unknown,
  writable: boolean,
  enumerable: boolean,
  configurable: boolean,
): PropertyDescriptor {
  return { __proto__: null, value, writable, enumerable, configurable } as PropertyDescriptor;
}

/** CreateDataPropertyOrThrow for the objects records/ itself creates (ordinary, extensible). */
export function CreateDataProperty(object: object, key: PropertyKey, value: unknown): boolean {
  return ReflectDefineProperty(object, key, DataDescriptor(value, true, true, true));
}
