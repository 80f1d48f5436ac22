/**
 * `require()` of an ES module (Node 20.19+/22.12+ "require(esm)"), on modhost's records: the
 * module graph is loaded, linked and evaluated synchronously, in the spec's operations.
 *
 * - Loading: LoadRequestedModulesSync (records/), which reads LoadRequestedModules' outcome as
 *   soon as InnerModuleLoading returns. The Node host loads modules through
 *   HostLoadImportedModule and finishes every load synchronously, so the graph is loaded (or
 *   failed) by then.
 * - Before evaluating, the graph is checked as Node checks it: a module with top-level await
 *   anywhere in the graph (even one `import()` has already evaluated, as Node 20), or one still
 *   evaluating asynchronously, makes `require` throw ERR_REQUIRE_ASYNC_MODULE (nothing runs); a
 *   module that is evaluating right now (the ES module being required is on the evaluation
 *   stack, or a CommonJS module it imports is still running) is a cycle through `require`,
 *   ERR_REQUIRE_CYCLE_MODULE (as Node: partially evaluated modules cannot be handed out without
 *   breaking the spec's invariants).
 * - Link and Evaluate are the spec's. Without top-level await, Evaluate finishes synchronously:
 *   the records' status and stored error say how it went.
 */
import { createError } from '../../errors/codes.js';
import {
  type CyclicModuleRecord,
  Evaluate,
  GetImportedModule,
  GetModuleNamespace,
  IsCyclicModuleRecord,
  Link,
  LoadRequestedModulesSync,
  type ModuleRecord,
} from '../../records/index.js';

/** What {@link requireModuleRecord} needs from the host. */
export interface RequireEsmContext {
  /** The URL of the module being required (for messages). */
  readonly url: string;
  /** The filename of the requiring CommonJS module, or `null` for a host-level require. */
  readonly requirer: string | null;
  /** For a CommonJS module inside the graph: its URL when its body is running right now. */
  runningCommonJS(record: ModuleRecord): string | undefined;
}

function ignore(): void {}

/** LoadRequestedModules, synchronously: throws the loading error, if any. */
function loadSync(record: CyclicModuleRecord, url: string): void {
  const outcome = LoadRequestedModulesSync(record);
  if (outcome.type === 'throw') throw outcome.value;
  if (outcome.type === 'pending') {
    throw createError('ERR_MODHOST_INTERNAL', `require() of ${url}: the module graph did not load synchronously`, {
      url,
    });
  }
}

function fromText(context: RequireEsmContext): string {
  return context.requirer === null ? '' : ` (from ${context.requirer})`;
}

/** Throws ERR_REQUIRE_ASYNC_MODULE / ERR_REQUIRE_CYCLE_MODULE when the graph cannot be evaluated synchronously. */
function checkGraph(root: CyclicModuleRecord, context: RequireEsmContext): void {
  const seen = new Set<ModuleRecord>();
  const pending: ModuleRecord[] = [root];
  for (let module = pending.pop(); module !== undefined; module = pending.pop()) {
    if (seen.has(module)) continue;
    seen.add(module);
    if (!IsCyclicModuleRecord(module)) {
      const running = context.runningCommonJS(module);
      if (running !== undefined) {
        throw createError(
          'ERR_REQUIRE_CYCLE_MODULE',
          `Cannot import CommonJS Module ${running} in a cycle. (from ${context.url}, required${fromText(context)})`,
          { url: running, referrer: context.url },
        );
      }
      continue;
    }
    // (An evaluated module is checked too: Node 20 refuses a graph with top-level await even
    // after `import()` has evaluated it.)
    if (module.status === 'evaluating') {
      throw createError(
        'ERR_REQUIRE_CYCLE_MODULE',
        `Cannot require() ES Module ${context.url} in a cycle.${fromText(context)} A cycle involving require(esm) ` +
          `is not allowed; ` +
          'load part of the cycle lazily (import() or a require() inside a function).',
        { url: context.url, referrer: context.requirer ?? undefined },
      );
    }
    if (module.status === 'evaluating-async' || module.hasTLA) {
      throw createError(
        'ERR_REQUIRE_ASYNC_MODULE',
        `require() cannot be used on an ESM graph with top-level await. Use import() instead.\n  From ` +
          `${context.requirer ?? '(host)'} \n  Requiring ${context.url} ` +
          (module.source.url === context.url ? '' : `\n  (top-level await in ${module.source.url})`),
        { url: context.url, referrer: context.requirer ?? undefined, tla: module.source.url },
      );
    }
    const requests = module.requestedModules;
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i];
      if (request !== undefined) pending.push(GetImportedModule(module, request));
    }
  }
}

/**
 * Loads, links and evaluates `record` (an ES module) synchronously and returns its namespace.
 * An evaluation error is thrown (and stays the module's result, as for `import`).
 *
 * @throws ERR_REQUIRE_ASYNC_MODULE, ERR_REQUIRE_CYCLE_MODULE, or the load, link or evaluation error
 */
export function requireModuleRecord(record: ModuleRecord, context: RequireEsmContext): Record<string, unknown> {
  if (!IsCyclicModuleRecord(record)) {
    const promise = Evaluate(record);
    promise.then(undefined, ignore);
    if (record.evaluationResult?.type === 'throw') throw record.evaluationResult.value;
    return GetModuleNamespace(record) as Record<string, unknown>;
  }
  if (record.status === 'new') loadSync(record, context.url);
  checkGraph(record, context);
  if (record.status !== 'evaluated') {
    Link(record);
    const promise = Evaluate(record);
    // The outcome is read from the records below; keep the internal promise from reporting an
    // unhandled rejection.
    promise.then(undefined, ignore);
  }
  const root = record.cycleRoot ?? record;
  const error = record.evaluationError ?? root.evaluationError;
  if (error !== undefined) throw error.value;
  if (record.status !== 'evaluated') {
    throw createError('ERR_REQUIRE_ASYNC_MODULE', `require() of ${context.url} did not finish synchronously`, {
      url: context.url,
    });
  }
  return GetModuleNamespace(record) as Record<string, unknown>;
}

/** What {@link createRequireModule} needs from the host. */
export interface RequireModuleParts {
  /** The ES module record of the file at `url`. */
  moduleRecordFor(url: string): ModuleRecord;
  /** A module record for ES module `text` named `url`, whose imports the host resolves from `url`. */
  facadeRecord(text: string, url: string): ModuleRecord;
  /** For a CommonJS module's record in a graph: its filename when its body is running right now. */
  runningCommonJS(record: ModuleRecord): string | undefined;
}

/**
 * `require()` of an ES module, as Node: the value it exports as 'module.exports' if it has that
 * export; else, if it has a default export and no `__esModule` export, the namespace of a facade
 * module that re-exports everything and adds `__esModule: true` (so transpiled code reading
 * `.default` works); else its namespace. The result is `(url, requirer) => value`, `requirer`
 * being the requiring module's filename (`null` for a host-level require).
 */
export function createRequireModule(parts: RequireModuleParts): (url: string, requirer: string | null) => unknown {
  /** What `require` returned for each ES module URL it loaded successfully. */
  const required = new Map<string, unknown>();
  /** require(esm) facades (adding `__esModule`), per ES module URL. */
  const facades = new Map<string, ModuleRecord>();
  const runningCommonJS = (record: ModuleRecord) => parts.runningCommonJS(record);

  function requireOnce(url: string, requirer: string | null): unknown {
    const record = parts.moduleRecordFor(url);
    const namespace = requireModuleRecord(record, { url, requirer, runningCommonJS });
    if ('module.exports' in namespace) return namespace['module.exports'];
    if (!('default' in namespace) || '__esModule' in namespace) return namespace;
    let facade = facades.get(url);
    if (facade === undefined) {
      const specifier = JSON.stringify(url);
      const text = [
        `export * from ${specifier};`,
        `export { default } from ${specifier};`,
        'export const __esModule = true;',
        '',
      ].join('\n');
      facade = parts.facadeRecord(text, `${url}#modhost-require-esm`);
      facades.set(url, facade);
    }
    return requireModuleRecord(facade, { url, requirer, runningCommonJS });
  }

  return (url, requirer) => {
    // A graph required once is evaluated and synchronous: later requires get the same value.
    if (required.has(url)) return required.get(url);
    const value = requireOnce(url, requirer);
    required.set(url, value);
    return value;
  };
}
