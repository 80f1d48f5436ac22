/**
 * Pure helper functions that compiled module code reaches through its runtime object `rt`
 * (see CompiledModuleRuntime in src/source/types.ts). They hold no per-module state, so one frozen
 * object serves every module instance as the prototype of its `rt`.
 *
 * Owned by the compiler work (src/source/compile.ts decides what compiled code calls);
 * records/ builds `rt` objects on top of it.
 */
const ObjectDefineProperty = Object.defineProperty;
const ReflectHas = Reflect.has;
const ReflectGet = Reflect.get;
const globalObject = globalThis;
const ReferenceErrorCtor = ReferenceError;

export const COMPILED_HELPERS = Object.freeze({
  nameDefault(fn: Function): void {
    ObjectDefineProperty(fn, 'name', { value: 'default' });
  },
  globalArguments(): unknown {
    if (ReflectHas(globalObject, 'arguments')) return ReflectGet(globalObject, 'arguments');
    throw new ReferenceErrorCtor('arguments is not defined');
  },
  typeofGlobalArguments(): string {
    return ReflectHas(globalObject, 'arguments') ? typeof ReflectGet(globalObject, 'arguments') : 'undefined';
  },
});
