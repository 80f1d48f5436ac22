/**
 * %AbstractModuleSource% (source phase imports proposal, 28.3.2 in its spec text): the abstract
 * base of every module source class. Not a global; reachable as
 * `Object.getPrototypeOf(ModuleSource)`.
 */
import { createError } from '../errors/codes.js';
import { defineBuiltins, isObject, SafeWeakMap } from './intrinsics.js';

/** [[ModuleSourceClassName]] of every module source object, keyed by the object. */
export const moduleSourceClassNames = new SafeWeakMap<object, string>();

/**
 * The abstract constructor: calling or constructing it throws a TypeError.
 *
 * @example
 * import { AbstractModuleSource, ModuleSource } from 'modhost';
 * new ModuleSource('') instanceof AbstractModuleSource; // true
 * Object.prototype.toString.call(new ModuleSource('')); // "[object ModuleSource]"
 */
export class AbstractModuleSource {
  constructor() {
    // Step 1: throw a TypeError.
    throw createError(
      'ERR_MODHOST_ILLEGAL_CONSTRUCTOR',
      'AbstractModuleSource is abstract: construct a concrete module source such as ModuleSource',
    );
  }
}

defineBuiltins(AbstractModuleSource.prototype, {
  /** get %AbstractModuleSource%.prototype [ @@toStringTag ] */
  get [Symbol.toStringTag](): string | undefined {
    if (!isObject(this)) return undefined;
    // 4-6.
    return moduleSourceClassNames.get(this);
  },
});
