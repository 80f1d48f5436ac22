/**
 * 16.2.1.7 Source Text Module Records, created from a shared, frozen ModuleSourceRecord (the
 * proposal's Module Source Record) by the proposal's CreateModuleRecord.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import type {
  ImportEntry,
  IndirectExportEntry,
  LocalExportEntry,
  ModuleRequest,
  ModuleSourceRecord,
  StarExportEntry,
} from '../source/types.js';
import type {
  AsyncEvaluationOrder,
  CyclicModuleStatus,
  LoadedModuleRequest,
  LoadingModuleRequest,
} from './cyclic-module-record.js';
import { EMPTY_LIST, ListAppend, ListCreate, ObjectFreeze } from './intrinsics.js';
import type { ModuleEnvironment, ModuleInstanceSlots, Realm, ThrowCompletion } from './module-record.js';
import { type RequestTable, RequestTableCreate } from './module-requests.js';
import type { PromiseCapability } from './promise-operations.js';

/**
 * The Environment Record of a Source Text Module Record: the getters the compiled code yielded
 * (indexed through its source's `getterNames`), plus the import binding functions handed to the
 * compiled code through `setImports`.
 */
export interface SourceTextModuleEnvironment extends ModuleEnvironment {
  /** `importBindings[i]` reads the import binding `compiled.importNames[i]`. */
  readonly importBindings: (() => unknown)[];
  /** The compiled code's `setImports`. */
  readonly setImports: (fns: readonly (() => unknown)[]) => void;
}

/**
 * An import binding of another module that waits for this module's environment (a cycle, or an
 * export resolved through a module not yet linked): CreateImportBinding completes when this
 * module's InitializeEnvironment (or Synthetic Link) creates the target binding.
 */
export interface WaitingImportBinding {
  readonly importer: SourceTextModuleRecord;
  /** The importer's environment when the wait was registered; a stale wait is ignored. */
  readonly importerEnvironment: SourceTextModuleEnvironment;
  readonly slot: number;
  readonly bindingName: string;
}

/** 16.2.1.7 Source Text Module Record (with the Cyclic Module Record fields of 16.2.1.6). */
export class SourceTextModuleRecord {
  readonly kind = 'source-text' as const;
  // 16.2.1.5 Module Record fields.
  readonly realm: Realm;
  environment: SourceTextModuleEnvironment | undefined = undefined;
  namespace: object | undefined = undefined;
  readonly hostDefined: unknown;
  /**
   * Source phase imports: the object GetModuleSource() returns ([[ModuleSourceObject]]): the
   * ModuleSource (or virtual module source) the Module was made from; undefined → no source.
   */
  moduleSourceObject: object | undefined = undefined;
  /** Import defer: [[DeferredNamespace]], the namespace object of GetModuleNamespace(module, ~defer~). */
  deferredNamespace: object | undefined = undefined;
  // 16.2.1.6 Cyclic Module Record fields.
  status: CyclicModuleStatus = 'new';
  evaluationError: ThrowCompletion | undefined = undefined;
  dfsIndex: number | undefined = undefined;
  dfsAncestorIndex: number | undefined = undefined;
  readonly requestedModules: readonly ModuleRequest[];
  readonly loadedModules: RequestTable<LoadedModuleRequest> = RequestTableCreate<LoadedModuleRequest>();
  /** The proposal's [[LoadingModules]]. */
  readonly loadingModules: RequestTable<LoadingModuleRequest> = RequestTableCreate<LoadingModuleRequest>();
  cycleRoot: SourceTextModuleRecord | undefined = undefined;
  readonly hasTLA: boolean;
  asyncEvaluationOrder: AsyncEvaluationOrder = 'unset';
  topLevelCapability: PromiseCapability | undefined = undefined;
  /** (Starts as the shared EMPTY_LIST; see AppendAsyncParentModule.) */
  asyncParentModules: SourceTextModuleRecord[] = EMPTY_LIST as SourceTextModuleRecord[];
  pendingAsyncDependencies: number | undefined = undefined;
  // 16.2.1.7 Source Text Module Record fields. [[ECMAScriptCode]] is `source` (its compiled code).
  readonly source: ModuleSourceRecord;
  /** [[Context]]: the compiled generator, suspended at its first `yield` until ExecuteModule. */
  context: Generator | undefined = undefined;
  importMeta: object | undefined = undefined;
  readonly importEntries: readonly ImportEntry[];
  readonly localExportEntries: readonly LocalExportEntry[];
  readonly indirectExportEntries: readonly IndirectExportEntry[];
  readonly starExportEntries: readonly StarExportEntry[];
  // Proposal: [[ModuleInstance]] (the slots records/ reads from it).
  readonly moduleInstance: ModuleInstanceSlots | undefined;
  // modhost: import bindings of other modules waiting for this module's environment.
  waitingImportBindings: WaitingImportBinding[] = EMPTY_LIST as WaitingImportBinding[];
  /**
   * modhost (hot replacement): the modules whose [[LoadedModules]] hold this one, in a realm with
   * `trackImporters` (see AppendImporter); otherwise stays empty.
   */
  importers: SourceTextModuleRecord[] = EMPTY_LIST as SourceTextModuleRecord[];

  constructor(
    source: ModuleSourceRecord,
    realm: Realm,
    moduleInstance: ModuleInstanceSlots | undefined,
    hostDefined: unknown,
  ) {
    this.realm = realm;
    this.hostDefined = hostDefined;
    this.requestedModules = source.requestedModules;
    this.hasTLA = source.hasTLA;
    this.source = source;
    this.importEntries = source.importEntries;
    this.localExportEntries = source.localExportEntries;
    this.indirectExportEntries = source.indirectExportEntries;
    this.starExportEntries = source.starExportEntries;
    this.moduleInstance = moduleInstance;
  }
}

/** The record's own copy of the [[ModuleInstance]] slots it was made with (frozen). */
class ModuleInstanceSlotsRecord implements ModuleInstanceSlots {
  readonly importHook: Function | undefined;
  readonly importMetaHook: Function | undefined;
  readonly handler: unknown;
  readonly handlerOf: 'Module' | 'ModuleSource';
  readonly hostLoader: boolean;
  readonly assignImport: ((localName: string, value: unknown) => void) | undefined;
  constructor(instance: ModuleInstanceSlots) {
    this.importHook = instance.importHook;
    this.importMetaHook = instance.importMetaHook;
    this.handler = instance.handler;
    this.handlerOf = instance.handlerOf ?? 'Module';
    this.hostLoader = instance.hostLoader === true;
    this.assignImport = instance.assignImport;
  }
}

/**
 * CreateModuleRecord(moduleSource) of the Module and ModuleSource proposal — plus the Module
 * constructor's step that sets [[ModuleInstance]]. `instance` is copied, so later changes to the
 * caller's object do not affect the record.
 */
export function createSourceTextModuleRecord(
  source: ModuleSourceRecord,
  realm: Realm,
  instance?: ModuleInstanceSlots,
  hostDefined?: unknown,
): SourceTextModuleRecord {
  // 1-9. The static fields come from the Module Source Record (see the constructor).
  // 10. The realm is the caller's (there is no running execution context to ask).
  const slots: ModuleInstanceSlots | undefined =
    instance === undefined ? undefined : ObjectFreeze(new ModuleInstanceSlotsRecord(instance));
  // 11. DEVIATION(CreateModuleRecord step 11): [[Status]] starts ~new~, not ~unlinked~, as in
  //     ECMA-262 ParseModule: with ~unlinked~, InnerModuleLoading (step 2) would never load the
  //     module's dependencies.
  return new SourceTextModuleRecord(source, realm, slots, hostDefined);
}

/** Appends `parent` to `module`.[[AsyncParentModules]] (replacing the shared empty List first). */
export function AppendAsyncParentModule(module: SourceTextModuleRecord, parent: SourceTextModuleRecord): void {
  if (module.asyncParentModules === EMPTY_LIST) module.asyncParentModules = ListCreate<SourceTextModuleRecord>();
  ListAppend(module.asyncParentModules, parent);
}
