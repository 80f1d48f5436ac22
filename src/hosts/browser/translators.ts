/**
 * The browser host's translate stage (resolve → load → **translate** → instantiate): loaded
 * sources become ModuleSources and Modules in the host's realm.
 */
import { TextModuleSource, WasmModuleSource } from '../../api/builtin-sources.js';
import { createModuleInRealm, type Module, type ModuleHandler, moduleFromRecord } from '../../api/module.js';
import { ModuleSource, moduleSourceFromRecord, moduleSourceRecordOf } from '../../api/module-source.js';
import { createError } from '../../errors/codes.js';
import { createSyntheticModuleRecord, type Realm, SetSyntheticModuleExport } from '../../records/index.js';
import { deepFreeze } from '../../source/deep-freeze.js';
import type { ModuleSourceRecord } from '../../source/types.js';
import type { BrowserCompileCache } from './compile-cache.js';
import type { CompiledESModule } from './compiled.js';
import { precompiledCode } from './evaluator.js';
import type { LoadedJavaScript } from './load.js';

/** A JavaScript module's source and the URL its imports resolve against (after redirects). */
export interface JavaScriptSource {
  readonly source: ModuleSource;
  readonly baseURL: string;
  /** The fetched text (undefined for a precompiled module). */
  readonly text?: string | undefined;
}

/** The ModuleSource of a precompiled ES module (its code replaced by a marker the evaluator knows). */
function sourceFromCompiled(url: string, entry: CompiledESModule): ModuleSource {
  const record = entry.record;
  const code = precompiledCode(url, entry.factory);
  // The record's url was the compile-time ref; diagnostics name the URL the module really has.
  const full: ModuleSourceRecord = { ...record, url, compiled: { ...record.compiled, code } };
  return moduleSourceFromRecord(deepFreeze(full));
}

/** A precompiled JavaScript module's ModuleSource (fetched text goes through the host's parse). */
export function javascriptSource(loaded: Extract<LoadedJavaScript, { kind: 'compiled' }>): JavaScriptSource {
  return { source: sourceFromCompiled(loaded.url, loaded.entry), baseURL: loaded.url };
}

/**
 * A fetched JavaScript module's source through the compile cache: the cached record when its key
 * (URL and text) matches, else a fresh parse, which the cache keeps.
 */
export async function cachedJavaScriptSource(
  cache: BrowserCompileCache,
  text: string,
  responseURL: string,
): Promise<JavaScriptSource> {
  const record = await cache.get(responseURL, text);
  if (record !== undefined) return { source: moduleSourceFromRecord(record), baseURL: responseURL, text };
  const source = new ModuleSource(text, { url: responseURL });
  void cache.set(responseURL, text, moduleSourceRecordOf(source, 'compile cache'));
  return { source, baseURL: responseURL, text };
}

/** A JSON module: `default` is the parsed value (a parse error fails the load). */
export function jsonModule(realm: Realm, url: string, text: string): Module {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw createError('ERR_MODHOST_PARSE', `${url} is not valid JSON: ${(cause as Error).message}`, { url, cause });
  }
  const record = createSyntheticModuleRecord(
    ['default'],
    (module) => {
      SetSyntheticModuleExport(module, 'default', value);
    },
    realm,
    { url },
  );
  return moduleFromRecord(record);
}

/** `with { type: 'text' }`: the response text as a TextModuleSource. */
export function textModule(realm: Realm, text: string, responseURL: string): Module {
  return createModuleInRealm(new TextModuleSource(text, { url: responseURL }), undefined, realm);
}

/** A WebAssembly module, linked as a WasmModuleSource whose imports resolve from `responseURL`. */
export function wasmModule(realm: Realm, module: object, responseURL: string, handler: ModuleHandler): Module {
  return createModuleInRealm(new WasmModuleSource(module, { url: responseURL }), handler, realm);
}
