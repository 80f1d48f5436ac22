/**
 * Built-ins the public API captures when modhost is loaded, so module code that later replaces
 * them (Object.defineProperty, Reflect.*, WeakMap.prototype.get, …) cannot change how the API
 * behaves. See records/intrinsics.ts for the engine's own set.
 */
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectCreate = Object.create;
export const ObjectFreeze = Object.freeze;
export const ReflectGet = Reflect.get;
export const ReflectApply = Reflect.apply;
export const WeakMapCtor = WeakMap;
const weakMapGet = WeakMap.prototype.get;
const weakMapSet = WeakMap.prototype.set;
const weakMapHas = WeakMap.prototype.has;

/** A WeakMap whose methods cannot be replaced by module code. */
export class SafeWeakMap<K extends object, V> {
  readonly #map = new WeakMapCtor<K, V>();
  get(key: K): V | undefined {
    return ReflectApply(weakMapGet, this.#map, [key]) as V | undefined;
  }
  set(key: K, value: V): void {
    ReflectApply(weakMapSet, this.#map, [key, value]);
  }
  has(key: unknown): key is K {
    return ReflectApply(weakMapHas, this.#map, [key]) as boolean;
  }
}

/** ES ToString: template literals perform exactly ToString (Symbols throw TypeError). */
export function ToString(value: unknown): string {
  return `${value as string}`;
}

/** Type(value) is Object. */
export function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Defines a built-in-style data property (writable, non-enumerable, configurable unless said). */
export function defineBuiltinValue(
  target: object,
  key: PropertyKey,
  value: unknown,
  attributes: { writable?: boolean; configurable?: boolean } = {},
): void {
  ObjectDefineProperty(target, key, {
    value,
    writable: attributes.writable ?? true,
    enumerable: false,
    configurable: attributes.configurable ?? true,
  });
}

const ReflectOwnKeys = Reflect.ownKeys;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;

/**
 * Copies the accessors and methods of an object literal onto `target` as built-ins are shaped:
 * non-enumerable, configurable. Writing them as object-literal methods and getters gives what a
 * built-in has: no `prototype`, not a constructor, names like "get source".
 */
export function defineBuiltins(target: object, literal: object): void {
  for (const key of ReflectOwnKeys(literal)) {
    const descriptor = ObjectGetOwnPropertyDescriptor(literal, key)!;
    descriptor.enumerable = false;
    ObjectDefineProperty(target, key, descriptor);
  }
}
