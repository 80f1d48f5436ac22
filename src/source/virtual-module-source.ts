/**
 * Virtual module sources (Module & ModuleSource proposal, layer 2 "Virtual Module Sources"): the
 * static part. A virtual source's `bindings` (the shapes of ModuleSource.prototype.bindings) are
 * turned into the same Module Source Record a parsed module has — [[RequestedModules]],
 * ImportEntries and the three export entry lists, classified exactly as ParseModule does — so the
 * records/ machinery (loading, linking, cycles, top-level await, namespaces) runs them unchanged.
 * Only the body differs: instead of compiled code, the record carries a generator function that
 * follows the compiled module protocol (see ARCHITECTURE.md) and calls the source's `execute`.
 */
import { createError } from '../errors/codes.js';
import { ALL_BUT_DEFAULT, classifyExportEntries, type ExportEntryRecord, NAMESPACE } from './export-entries.js';
import { ModuleRequestCollector } from './module-requests.js';
import type {
  CompiledModuleRuntime,
  ImportAttribute,
  ImportEntry,
  ImportPhase,
  ModuleBinding,
  ModuleRequest,
  ModuleSourceRecord,
} from './types.js';

/** What {@link createVirtualModuleSourceRecord} needs besides the bindings. */
export interface VirtualModuleSourceOptions {
  readonly url: string;
  readonly hasTLA: boolean;
  readonly needsImport: boolean;
  readonly needsImportMeta: boolean;
  /**
   * Makes the module's generator function once the names are known: `importNames[i]` is the local
   * name `setImports` fills at index i; `getterNames[j]` the local binding the j-th getter reads;
   * `localNames` the bindings the module itself owns (the writable exports).
   */
  readonly makeGenerator: (names: VirtualModuleNames) => (rt: CompiledModuleRuntime) => Generator;
}

/** The binding names of a virtual module, in the orders the compiled module protocol uses. */
export interface VirtualModuleNames {
  readonly importNames: readonly string[];
  readonly getterNames: readonly string[];
  /** Local bindings that are not imports: one writable cell each, initialized to undefined. */
  readonly localNames: readonly string[];
}

function invalid(url: string, message: string): never {
  throw createError('ERR_MODHOST_INVALID_VIRTUAL_SOURCE', `${message} (virtual module source ${url})`, { url });
}

function stringField(url: string, binding: Record<string, unknown>, key: string, index: number): string | undefined {
  const value = binding[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(url, `bindings[${index}].${key} must be a string`);
  return value;
}

function attributesOf(url: string, binding: Record<string, unknown>, index: number): readonly ImportAttribute[] {
  const given = binding.with;
  if (given === undefined) return [];
  if (typeof given !== 'object' || given === null) invalid(url, `bindings[${index}].with must be an object`);
  const list: ImportAttribute[] = [];
  for (const key of Object.keys(given)) {
    const value = (given as Record<string, unknown>)[key];
    if (typeof value !== 'string') invalid(url, `bindings[${index}].with.${key} must be a string`);
    list.push(Object.freeze({ key, value }));
  }
  // WithClauseToAttributes order: by key, in code units.
  list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return Object.freeze(list);
}

/**
 * Builds the Module Source Record of a virtual module source from plain-data `bindings` (already
 * read from the source object). The accepted shapes are ModuleBinding's:
 * `{ import, as?, from, with? }`, `{ importAllFrom, as, with?, phase? }`, `{ importSourceFrom, as, with? }`,
 * `{ importFrom, with? }`, `{ export, as? }`, `{ export, as?, from, with? }`, `{ exportAllFrom, as?, with? }`.
 *
 * @throws TypeError ERR_MODHOST_INVALID_VIRTUAL_SOURCE for a binding of another shape, a local name
 *   bound twice, or an export name exported twice.
 */
export function createVirtualModuleSourceRecord(
  bindings: readonly unknown[],
  options: VirtualModuleSourceOptions,
): ModuleSourceRecord {
  const url = options.url;
  const requests = new ModuleRequestCollector();
  const importEntries: ImportEntry[] = [];
  const exportEntries: ExportEntryRecord[] = [];
  const reflected: ModuleBinding[] = [];
  const importLocals = new Set<string>();
  const exportNames = new Set<string>();
  const declare = (name: string, index: number): void => {
    if (importLocals.has(name))
      invalid(url, `bindings[${index}] binds '${name}', which another import binding already binds`);
    importLocals.add(name);
  };
  const exported = (name: string, index: number): void => {
    if (exportNames.has(name)) invalid(url, `bindings[${index}] exports '${name}', which is already exported`);
    exportNames.add(name);
  };
  const request = (
    specifier: string,
    binding: Record<string, unknown>,
    index: number,
    phase: ImportPhase = 'evaluation',
  ): ModuleRequest => requests.request(specifier, attributesOf(url, binding, index), phase);

  for (let index = 0; index < bindings.length; index++) {
    const raw = bindings[index];
    if (typeof raw !== 'object' || raw === null) invalid(url, `bindings[${index}] must be an object`);
    const binding = raw as Record<string, unknown>;
    const from = stringField(url, binding, 'from', index);
    const as = stringField(url, binding, 'as', index);
    const importName = stringField(url, binding, 'import', index);
    const exportName = stringField(url, binding, 'export', index);
    const importAllFrom = stringField(url, binding, 'importAllFrom', index);
    const importSourceFrom = stringField(url, binding, 'importSourceFrom', index);
    const importFrom = stringField(url, binding, 'importFrom', index);
    const exportAllFrom = stringField(url, binding, 'exportAllFrom', index);
    const phase = binding.phase;
    if (phase !== undefined && !(phase === 'defer' && importAllFrom !== undefined))
      invalid(url, `bindings[${index}].phase is only allowed as 'defer' with importAllFrom`);
    if (importName !== undefined) {
      if (from === undefined) invalid(url, `bindings[${index}] has 'import' without 'from'`);
      const local = as ?? importName;
      declare(local, index);
      const moduleRequest = request(from, binding, index);
      importEntries.push(Object.freeze({ moduleRequest, importName, localName: local }));
    } else if (importAllFrom !== undefined || importSourceFrom !== undefined) {
      if (as === undefined) invalid(url, `bindings[${index}] needs 'as' (the local name)`);
      declare(as, index);
      const moduleRequest =
        importAllFrom !== undefined
          ? request(importAllFrom, binding, index, phase === 'defer' ? 'defer' : 'evaluation')
          : request(importSourceFrom!, binding, index, 'source');
      // ~namespace-object~ / ~source~ (null; see ImportEntry).
      importEntries.push(Object.freeze({ moduleRequest, importName: null, localName: as }));
    } else if (importFrom !== undefined) {
      request(importFrom, binding, index);
    } else if (exportName !== undefined) {
      const name = as ?? exportName;
      exported(name, index);
      if (from === undefined) {
        exportEntries.push({
          exportName: name,
          moduleRequest: null,
          importName: null,
          localName: exportName,
          at: index,
        });
      } else {
        exportEntries.push({
          exportName: name,
          moduleRequest: request(from, binding, index),
          importName: exportName,
          localName: null,
          at: index,
        });
      }
    } else if (exportAllFrom !== undefined) {
      const moduleRequest = request(exportAllFrom, binding, index);
      if (as === undefined) {
        exportEntries.push({
          exportName: null,
          moduleRequest,
          importName: ALL_BUT_DEFAULT,
          localName: null,
          at: index,
        });
      } else {
        exported(as, index);
        exportEntries.push({ exportName: as, moduleRequest, importName: NAMESPACE, localName: null, at: index });
      }
    } else {
      invalid(
        url,
        `bindings[${index}] has none of import, importAllFrom, importSourceFrom, importFrom, export, exportAllFrom`,
      );
    }
    const copy: Record<string, unknown> = { ...binding };
    if (binding.with !== undefined) copy.with = Object.freeze({ ...(binding.with as object) });
    reflected.push(Object.freeze(copy) as ModuleBinding);
  }

  const exports = classifyExportEntries(exportEntries, importEntries);
  const importNames = importEntries.map((entry) => entry.localName);
  const getterNames: string[] = [];
  const localNames: string[] = [];
  const seen = new Set<string>();
  for (const entry of exports.local) {
    if (seen.has(entry.localName)) continue;
    seen.add(entry.localName);
    getterNames.push(entry.localName);
    if (!importLocals.has(entry.localName)) localNames.push(entry.localName);
  }
  const names: VirtualModuleNames = Object.freeze({
    importNames: Object.freeze(importNames),
    getterNames: Object.freeze(getterNames),
    localNames: Object.freeze(localNames),
  });
  return Object.freeze({
    url,
    requestedModules: Object.freeze(requests.list),
    importEntries: Object.freeze(importEntries),
    localExportEntries: Object.freeze(exports.local),
    indirectExportEntries: Object.freeze(exports.indirect),
    starExportEntries: Object.freeze(exports.star),
    hasTLA: options.hasTLA,
    needsImport: options.needsImport,
    needsImportMeta: options.needsImportMeta,
    bindings: Object.freeze(reflected),
    compiled: Object.freeze({
      code: '',
      getterNames: names.getterNames,
      importNames: names.importNames,
      generatorFunction: options.makeGenerator(names),
    }),
  });
}
