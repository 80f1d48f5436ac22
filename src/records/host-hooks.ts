/**
 * The host-defined operations records/ calls, named as in ECMA-262, and modhost's defaults.
 *
 * A host supplies a {@link HostHooks} object in its {@link Realm}; it should have all four hooks
 * as own properties (spread {@link defaultHostHooks} and override what it needs). The proposal's
 * per-Module `importHook` / `importMetaHook` take precedence over these (see LoadImportedModule and
 * rt.meta()).
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { createError } from '../errors/codes.js';
import type { ModuleRequest } from '../source/types.js';
import type { LoadingModuleRequest } from './cyclic-module-record.js';
import { ListCreate, ObjectFreeze, ReflectApply } from './intrinsics.js';
import { FinishLoadingImportedModule } from './loading.js';
import { type CyclicModuleRecord, type Realm, ThrowCompletion } from './module-record.js';
import type { SourceTextModuleRecord } from './source-text-module-record.js';

/** An element of HostGetImportMetaProperties' result: a Record { [[Key]], [[Value]] }. */
export interface ImportMetaProperty {
  readonly key: PropertyKey;
  readonly value: unknown;
}

/**
 * The opaque `payload` of HostLoadImportedModule: pass it back, untouched, to
 * FinishLoadingImportedModule.
 */
export type LoadPayload = LoadingModuleRequest;

/** The host hooks of one Realm. */
export interface HostHooks {
  /**
   * 16.2.1.10 HostLoadImportedModule(referrer, moduleRequest, hostDefined, payload) —
   * https://tc39.es/ecma262/#sec-HostLoadImportedModule. Must eventually call exactly once
   * `FinishLoadingImportedModule(referrer, moduleRequest, payload, result)`, synchronously or
   * later, with a normal completion holding a Module Record or a throw completion; for equal
   * (referrer, moduleRequest) pairs every normal result must be the same record. If it calls
   * FinishLoadingImportedModule synchronously, loading continues after this hook returns.
   */
  HostLoadImportedModule(
    referrer: CyclicModuleRecord,
    moduleRequest: ModuleRequest,
    hostDefined: unknown,
    payload: LoadPayload,
  ): void;
  /**
   * 13.3.12.1.1 HostGetImportMetaProperties(moduleRecord) — https://tc39.es/ecma262/#sec-hostgetimportmetaproperties.
   * Returns a list of { key, value } records defining the initial properties of `import.meta`.
   */
  HostGetImportMetaProperties(moduleRecord: SourceTextModuleRecord): readonly ImportMetaProperty[];
  /**
   * 13.3.12.1.2 HostFinalizeImportMeta(importMeta, moduleRecord) —
   * https://tc39.es/ecma262/#sec-hostfinalizeimportmeta.
   */
  HostFinalizeImportMeta(importMeta: object, moduleRecord: SourceTextModuleRecord): void;
  /**
   * 16.2.1.12.1 HostGetSupportedImportAttributes() — https://tc39.es/ecma262/#sec-hostgetsupportedimportattributes.
   * The same list (of attribute keys) every time.
   */
  HostGetSupportedImportAttributes(): readonly string[];
}

const TYPE_ONLY: readonly string[] = ObjectFreeze(['type']);
const NO_PROPERTIES: readonly ImportMetaProperty[] = ObjectFreeze(ListCreate<ImportMetaProperty>());

/**
 * The hooks of a host that cannot load modules by itself: loading fails with
 * ERR_MODHOST_NO_IMPORT_HOOK; import.meta gets no host properties; the supported import
 * attribute keys are « "type" ». (The spec's default for HostGetSupportedImportAttributes is the
 * empty List, but 16.2.1.10 requires every host to load `type: "json"` requests, which needs the
 * "type" key; importHooks receive it.)
 */
export const defaultHostHooks: HostHooks = ObjectFreeze({
  __proto__: null,
  HostLoadImportedModule(
    referrer: CyclicModuleRecord,
    moduleRequest: ModuleRequest,
    _hostDefined: unknown,
    payload: LoadPayload,
  ): void {
    const url = referrer.source.url;
    const error = createError(
      'ERR_MODHOST_NO_IMPORT_HOOK',
      `Cannot load module '${moduleRequest.specifier}' imported from ${url}: the importing Module has no ` +
        `importHook and the host cannot load modules`,
      { specifier: moduleRequest.specifier, referrer: url },
    );
    FinishLoadingImportedModule(referrer, moduleRequest, payload, ThrowCompletion(error));
  },
  HostGetImportMetaProperties(): readonly ImportMetaProperty[] {
    return NO_PROPERTIES;
  },
  HostFinalizeImportMeta(): void {},
  HostGetSupportedImportAttributes(): readonly string[] {
    return TYPE_ONLY;
  },
} as HostHooks);

/** 16.2.1.10 HostLoadImportedModule — dispatches to the referrer's realm's hook. */
export function HostLoadImportedModule(
  referrer: CyclicModuleRecord,
  moduleRequest: ModuleRequest,
  hostDefined: unknown,
  payload: LoadPayload,
): void {
  const hooks = referrer.realm.hostHooks;
  ReflectApply(hooks.HostLoadImportedModule, hooks, [referrer, moduleRequest, hostDefined, payload]);
}

/** 13.3.12.1.1 HostGetImportMetaProperties — dispatches to the module's realm's hook. */
export function HostGetImportMetaProperties(moduleRecord: SourceTextModuleRecord): readonly ImportMetaProperty[] {
  const hooks = moduleRecord.realm.hostHooks;
  return ReflectApply(hooks.HostGetImportMetaProperties, hooks, [moduleRecord]) as readonly ImportMetaProperty[];
}

/** 13.3.12.1.2 HostFinalizeImportMeta — dispatches to the module's realm's hook. */
export function HostFinalizeImportMeta(importMeta: object, moduleRecord: SourceTextModuleRecord): void {
  const hooks = moduleRecord.realm.hostHooks;
  ReflectApply(hooks.HostFinalizeImportMeta, hooks, [importMeta, moduleRecord]);
}

/** 16.2.1.12.1 HostGetSupportedImportAttributes — of the realm `referrer` belongs to. */
export function HostGetSupportedImportAttributes(referrer: { readonly realm: Realm }): readonly string[] {
  const hooks = referrer.realm.hostHooks;
  return ReflectApply(hooks.HostGetSupportedImportAttributes, hooks, []) as readonly string[];
}
