/**
 * `host.fork({ share })`: which of the parent's evaluated instances a fork takes instead of
 * making its own.
 *
 * The rule (docs/hosts.md, "What `share` means"): an instance carries its bindings to its
 * dependencies' instances, so a shared module must only reach shared modules. A module is shared
 * when `share(url)` is true for it and for every module of its static import closure, and none
 * of them is a mock (of the fork or of the parent); built-ins count as shared unless mocked.
 * Otherwise the fork makes its own instance (from the family's compiled source), and so for every
 * module above it: a fork's mock applies at any depth even under `share`.
 *
 * - ES modules: the parent loads the module and its static graph (in its own module map, for
 *   this fork and later ones) when it has no instance yet; the closure is checked on the loaded
 *   records, before anything is linked or evaluated. A CommonJS module inside that closure is
 *   taken as the parent has it (its `require()` calls are not known before it runs).
 * - CommonJS modules the fork requires (or imports: the fork's own synthetic record requires
 *   them when it evaluates): the parent's runtime runs the module if it has not yet, then its
 *   recorded requires (`module.dependencies`, `module.children`, recursively) are checked; if they
 *   reach a module the fork mocks or does not share, the fork runs its own instance.
 */
import { type Module, moduleRecordOf } from '../../api/module.js';

import type { CommonJSModule } from '../../commonjs/module.js';
import { createError } from '../../errors/codes.js';
import {
  GetImportedModule,
  IsCyclicModuleRecord,
  LoadRequestedModules,
  LoadRequestedModulesSync,
  type ModuleRecord,
} from '../../records/index.js';
import { isThenable, type MaybePromise } from './chain.js';
import type { MockRegistry } from './mocks.js';

/** Import attributes as a host's loader passes them. */
type ImportAttributes = Readonly<Record<string, string>>;

/** A fork's access to its parent's instances, as a host's loader asks for them. */
export interface SharedModules {
  /**
   * The parent's Module for `url` when the fork may share it (undefined: make one of its own);
   * `sync` when the caller cannot wait.
   */
  moduleFor(
    url: string,
    format: string | undefined,
    attributes: ImportAttributes,
    sync: boolean,
  ): MaybePromise<Module | undefined>;
}

function recordOfModule(module: Module): ModuleRecord {
  const record = moduleRecordOf(module);
  if (record === undefined) throw createError('ERR_MODHOST_INTERNAL', 'a host module has no module record');
  return record;
}

/** What a fork needs of its parent host (the CommonJS parts: the Node host's). */
export interface ShareParent {
  /** The parent's Module for `url` (loaded into its map on first use; a promise when it answers later). */
  moduleFor(
    url: string,
    format: string | undefined,
    attributes: ImportAttributes,
    syncFor: string | undefined,
  ): Module | Promise<Module>;
  /** The parent's Module for `url` if its map has one. */
  loadedModule(url: string): Module | undefined;
  readonly mocks: MockRegistry;
  /** True for the synthetic record of a CommonJS module (shared through `require`, not as a record). */
  isCommonJSRecord?(record: ModuleRecord): boolean;
  /** The parent's CommonJS module for `uri` after requiring it there (undefined if that fails). */
  requireCommonJS?(uri: string): CommonJSModule | undefined;
  /** The parent's CommonJS module cache entry for `uri`, if any. */
  cachedCommonJS?(uri: string): CommonJSModule | undefined;
}

/** A fork's sharing, over its parent. */
export interface Sharing extends SharedModules {
  /** What `require(uri)` in the fork gets from the parent, or undefined (the fork runs its own). */
  requireShared(uri: string): { readonly exports: unknown } | undefined;
}

/** The URL a record stands for (synthetic records keep it in [[HostDefined]]). */
function urlOf(record: ModuleRecord): string | undefined {
  if (IsCyclicModuleRecord(record)) return record.source.url;
  const hostDefined = (record as { hostDefined?: unknown }).hostDefined;
  const url = (hostDefined as { url?: unknown } | undefined)?.url;
  return typeof url === 'string' ? url : undefined;
}

/**
 * Checks `host.fork(options)`'s options.
 *
 * @throws TypeError ERR_MODHOST_INVALID_ARGUMENT
 */
export function checkForkOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'host.fork(options): options must be an object');
  }
  const share = (options as { share?: unknown }).share;
  if (share !== undefined && typeof share !== 'function') {
    throw createError('ERR_MODHOST_INVALID_ARGUMENT', 'host.fork({ share }): share must be a function of a URL');
  }
}

/** A root's closure as far as sharing goes, without any fork's mocks. */
interface ClosureVerdict {
  readonly shareable: boolean;
  readonly urls: ReadonlySet<string>;
}

/** Verdicts per parent and `share` predicate (see createSharing). */
const parentVerdicts = new WeakMap<ShareParent, WeakMap<Function, WeakMap<ModuleRecord, ClosureVerdict>>>();

/** Creates a fork's sharing. `share` is the fork's predicate; `mocks` the fork's own mocks. */
export function createSharing(share: (url: string) => boolean, parent: ShareParent, mocks: MockRegistry): Sharing {
  /** Records known to be shareable (with everything they reach), and known not to be. */
  const good = new WeakSet<ModuleRecord>();
  const bad = new WeakSet<ModuleRecord>();
  const goodCommonJS = new WeakSet<CommonJSModule>();

  /** Whether this fork or its parent mocks the URL (a mocked module is never shared). */
  function mocked(url: string): boolean {
    return (mocks.size !== 0 && mocks.has(url)) || (parent.mocks.size !== 0 && parent.mocks.has(url));
  }

  /** May the fork see this URL's parent instance, as far as the URL itself goes? */
  function urlShareable(url: string): boolean {
    return !mocked(url) && (url.startsWith('node:') || share(url));
  }

  /**
   * What the parent's forks with this `share` learned about a root's closure, without any fork's
   * mocks: whether it is shareable, and the URLs it reaches (to check a fork's mocks against).
   * Every fork of a test runner asks about the same few roots (a package's entry module).
   */
  let verdicts = parentVerdicts.get(parent)?.get(share);
  if (verdicts === undefined) {
    verdicts = new WeakMap();
    let byShare = parentVerdicts.get(parent);
    if (byShare === undefined) {
      byShare = new WeakMap();
      parentVerdicts.set(parent, byShare);
    }
    byShare.set(share, verdicts);
  }
  const known = verdicts;

  /** The static-closure check of an ES module's record (loaded records only). */
  function closureShareable(root: ModuleRecord): boolean {
    if (good.has(root)) return true;
    if (bad.has(root)) return false;
    // The parent's verdict, when the parent has no mocks (a fork's are checked against its URLs).
    const verdict = parent.mocks.size === 0 ? known.get(root) : undefined;
    if (verdict !== undefined) {
      let ok = verdict.shareable;
      if (ok && mocks.size !== 0) for (const url of mocks.urls()) if (verdict.urls.has(url)) ok = false;
      (ok ? good : bad).add(root);
      return ok;
    }
    const urls = new Set<string>();
    const seen = new Set<ModuleRecord>();
    const stack: ModuleRecord[] = [root];
    for (let record = stack.pop(); record !== undefined; record = stack.pop()) {
      if (seen.has(record) || good.has(record)) continue;
      seen.add(record);
      const url = urlOf(record);
      if (url !== undefined) urls.add(url);
      if (
        url === undefined ||
        !urlShareable(url) ||
        (parent.mocks.size !== 0 && parent.mocks.isMockModuleRecord(record))
      ) {
        bad.add(root);
        return false;
      }
      if (!IsCyclicModuleRecord(record)) continue;
      if (record.status === 'new') {
        // (not loaded: its dependencies are unknown)
        bad.add(root);
        return false;
      }
      const requests = record.requestedModules;
      for (let i = 0; i < requests.length; i++) {
        const request = requests[i];
        if (request !== undefined) stack.push(GetImportedModule(record, request));
      }
    }
    for (const record of seen) good.add(record);
    // Recorded for later forks only if no mock of this fork's took part in the answer.
    if (parent.mocks.size === 0 && (mocks.size === 0 || mocks.urls().every((url) => !urls.has(url)))) {
      known.set(root, { shareable: true, urls });
    }
    return true;
  }

  /** The parent's Module for `url` when its closure may be shared (it must be loaded first). */
  function decide(module: Module): Module | undefined | Promise<Module | undefined> {
    const record = recordOfModule(module);
    if (parent.isCommonJSRecord?.(record) === true) return undefined;
    if (!IsCyclicModuleRecord(record) || record.status !== 'new') return closureShareable(record) ? module : undefined;
    const outcome = LoadRequestedModulesSync(record);
    if (outcome.type === 'normal') return closureShareable(record) ? module : undefined;
    if (outcome.type === 'throw') return undefined;
    // A load that finishes later (an asynchronous hook of the parent's).
    return LoadRequestedModules(record).then(
      () => (closureShareable(record) ? module : undefined),
      () => undefined,
    );
  }

  /** The require-closure check of a CommonJS module the parent has run. */
  function commonJSShareable(root: CommonJSModule): boolean {
    if (goodCommonJS.has(root)) return true;
    const seen = new Set<CommonJSModule>();
    const stack: CommonJSModule[] = [root];
    for (let module = stack.pop(); module !== undefined; module = stack.pop()) {
      if (seen.has(module) || goodCommonJS.has(module)) continue;
      seen.add(module);
      if (!module.loaded || !urlShareable(module.uri)) return false;
      for (const uri of module.dependencies) {
        if (!urlShareable(uri)) return false;
        const child = parent.cachedCommonJS?.(uri);
        if (child !== undefined) stack.push(child);
        // An ES module it required: that graph must be shareable too.
        const esModule = parent.loadedModule(uri);
        if (esModule !== undefined) {
          const record = recordOfModule(esModule);
          if (IsCyclicModuleRecord(record) && !closureShareable(record)) return false;
        }
      }
    }
    for (const module of seen) goodCommonJS.add(module);
    return true;
  }

  return {
    moduleFor(url, format, attributes, sync) {
      if (!share(url) || mocked(url) || attributes.type === 'text') return undefined;
      let module: Module | Promise<Module>;
      try {
        module = parent.moduleFor(url, format, attributes, sync ? 'require()' : undefined);
      } catch {
        return undefined; // the fork loads it itself (and meets the error itself)
      }
      if (isThenable(module)) {
        if (sync) return undefined;
        return (module as Promise<Module>).then(decide, () => undefined);
      }
      const decided = decide(module as Module);
      if (isThenable(decided) && sync) return undefined;
      return decided;
    },
    requireShared(uri) {
      if (uri.startsWith('node:') || !share(uri) || mocked(uri)) return undefined;
      const module = parent.requireCommonJS?.(uri);
      if (module === undefined || !commonJSShareable(module)) return undefined;
      return { exports: module.exports };
    },
  };
}
