/**
 * Freezes a plain-data value and everything it holds: a ModuleSourceRecord read back from a
 * compile cache or a precompiled module is shared by every instance made from it.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
