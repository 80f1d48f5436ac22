/**
 * The Node host's translate stage (resolve → load → **translate** → instantiate): a loaded
 * module becomes a Module in the host's realm, by one translator per format, as Node's
 * lib/internal/modules/esm/translators.js has them. Modules without a ModuleSource (built-ins,
 * JSON, CommonJS) are Synthetic Module Records.
 */
import { createRequire } from 'node:module';
import { TextModuleSource, WasmModuleSource } from '../../api/builtin-sources.js';
import {
  createModuleFromSourceRecord,
  createModuleInRealm,
  type HostModuleOptions,
  type Module,
  type ModuleHandler,
  moduleFromRecord,
} from '../../api/module.js';
import { ModuleSource, moduleSourceFromRecord, moduleSourceRecordOf } from '../../api/module-source.js';
import { createError } from '../../errors/codes.js';
import type { ModuleRecord, Realm } from '../../records/index.js';
import type { ModuleSourceRecord } from '../../source/types.js';
import type { CompileCache } from './compile-cache.js';
import { nowMs } from './lazy-builtin.js';
import type { LoadedModule } from './load.js';
import { syntheticModule } from './synthetic.js';
import { stripTypeScriptTypes, typeScriptStripperId } from './typescript.js';

/** What the translators need from the host. */
export interface TranslatorParts {
  readonly realm: Realm;
  readonly compileCache: CompileCache | undefined;
  /**
   * The handler of the ES module or WebAssembly module at `url`, if it needs one (a hot host's
   * modules: `import.meta.hot`); otherwise the realm's host hooks make its `import.meta`.
   */
  handlerFor(url: string): ModuleHandler | undefined;
  /** What the host gives every Module it makes (its records' [[HostDefined]]). */
  readonly moduleOptions: HostModuleOptions;
  /** The record an `import` of the CommonJS file at `url` gets (`text`: its source, if already read). */
  commonJSRecord(url: string, text: string | undefined): ModuleRecord;
  /** Told how long each compile took and whether the compile cache had it (`modhost run --stats`). */
  countCompile(milliseconds: number, cacheHit: boolean): void;
  /**
   * Analysed sources by URL, shared by a host and its forks once the host has been forked (a host
   * that never is records nothing): a URL the family has compiled is not parsed again.
   */
  readonly sources: FamilySources;
  /**
   * A hot family keys its sources by text too: a file read again after an edit is compiled anew,
   * never taken for what the family compiled from its earlier text.
   */
  readonly keyByText?: boolean;
}

/** A family's analysed sources (see {@link TranslatorParts.sources}). */
export interface FamilySources {
  /** True once the family has a fork: compiles are recorded, lookups answer. */
  readonly active: boolean;
  get(url: string): FamilySource | undefined;
  set(url: string, source: FamilySource): void;
}

/** One analysed source: its record, and the text it came from when a load hook gave it. */
export interface FamilySource {
  readonly record: ModuleSourceRecord;
  /**
   * Set for text a load hook gave (hooks may give other text for the URL later) and in a hot family
   * (files change); else the family trusts the URL.
   */
  readonly text: string | undefined;
}

export interface Translators {
  /** The Module for a loaded module. */
  translate(loaded: LoadedModule): Module;
  /**
   * The ModuleSource for ES module `text` at `url`: from the compile cache when it has one.
   * `typescript`: the text is TypeScript, whose types are stripped first (unless the compile
   * cache has the result, kept under the TypeScript text and the stripper that made it).
   */
  compile(text: string, url: string, typescript?: boolean): ModuleSource;
  /**
   * The Module for the ES module at `url` from the family's analysed source, without reading the
   * file (a fork: it sees files as its family first read them); undefined when there is none.
   */
  fromFamily(url: string): Module | undefined;
}

function textOf(loaded: LoadedModule): string {
  if (typeof loaded.source !== 'string') {
    throw createError('ERR_MODHOST_INTERNAL', `${loaded.url}: a ${loaded.format} module was loaded without its text`, {
      url: loaded.url,
    });
  }
  return loaded.source;
}

/** Creates the translators of a host. */
export function createTranslators(parts: TranslatorParts): Translators {
  const { realm, compileCache } = parts;
  const nodeRequire = createRequire(import.meta.url);

  const sources = parts.sources;

  /** `typescript`: strip types first; `fromHooks`: a load hook gave the text (kept with the record). */
  /** `stripped`: a TypeScript text's JavaScript, when the load step made it already. */
  function compile(
    text: string,
    url: string,
    typescript: boolean,
    fromHooks: boolean,
    stripped: string | undefined = undefined,
  ): ModuleSource {
    if (sources.active) {
      const known = sources.get(url);
      // (a fresh ModuleSource object over the shared record: each host's realm has its own)
      if (known !== undefined && (known.text === undefined || known.text === text)) {
        return moduleSourceFromRecord(known.record);
      }
    }
    const start = nowMs();
    const key = typescript ? `${typeScriptStripperId()}\0${text}` : text;
    let source = compileCache?.get(key, url);
    const cacheHit = source !== undefined;
    if (source === undefined) {
      source = new ModuleSource(typescript ? (stripped ?? stripTypeScriptTypes(text, { url })) : text, { url });
      compileCache?.set(key, url, source);
    }
    parts.countCompile(nowMs() - start, cacheHit);
    if (sources.active) {
      const record = moduleSourceRecordOf(source, 'a compiled source');
      sources.set(url, { record, text: fromHooks || parts.keyByText === true ? text : undefined });
    }
    return source;
  }

  /** A Node built-in: its exports object's own keys, read when it evaluates. */
  function builtin(url: string): Module {
    const name = url.startsWith('node:') ? url.slice(5) : url;
    const exports = nodeRequire(`node:${name}`) as Record<string, unknown>;
    return syntheticModule(realm, url, Object.keys(exports), () => ({
      default: exports,
      named: (n) => exports[n],
    }));
  }

  /** A JSON module: `default` only, parsed when it evaluates (a parse error is its evaluation error). */
  function json(url: string, text: string): Module {
    return syntheticModule(realm, url, [], () => {
      try {
        return { default: JSON.parse(text) as unknown, named: () => undefined };
      } catch (cause) {
        throw createError('ERR_MODHOST_PARSE', `${url}: ${(cause as Error).message}`, { url, cause });
      }
    });
  }

  /**
   * A WebAssembly module (ESM integration): imports are module imports resolved from this URL;
   * `import source m from './x.wasm'` binds the WebAssembly.Module.
   */
  function wasm(url: string, bytes: Uint8Array): Module {
    return createModuleInRealm(new WasmModuleSource(bytes, { url }), parts.handlerFor(url), realm, parts.moduleOptions);
  }

  /**
   * A Module of the host for the ES module at `url`, from its ModuleSource. The ModuleSource
   * object itself is not kept: the Module's is made if something asks for it
   * (createModuleFromSourceRecord), so no table outside the Module refers to the instance.
   */
  function instantiate(source: ModuleSource, url: string): Module {
    const record = moduleSourceRecordOf(source, 'a compiled source');
    return createModuleFromSourceRecord(record, parts.handlerFor(url), realm, parts.moduleOptions);
  }

  return {
    compile: (text, url, typescript = false) => compile(text, url, typescript, false),
    fromFamily(url) {
      if (!sources.active) return undefined;
      const known = sources.get(url);
      if (known === undefined || known.text !== undefined) return undefined;
      return createModuleFromSourceRecord(known.record, parts.handlerFor(url), realm, parts.moduleOptions);
    },
    translate(loaded) {
      const url = loaded.url;
      switch (loaded.format) {
        case 'builtin':
          return builtin(url);
        case 'json':
          return json(url, textOf(loaded));
        case 'commonjs':
          return moduleFromRecord(
            parts.commonJSRecord(url, typeof loaded.source === 'string' ? loaded.source : undefined),
          );
        case 'wasm': {
          if (!(loaded.source instanceof Uint8Array)) {
            throw createError('ERR_MODHOST_INTERNAL', `${url}: a wasm module was loaded without its bytes`, { url });
          }
          return wasm(url, loaded.source);
        }
        case 'text':
          // `import x from url with { type: 'text' }`: a TextModuleSource of the file's text.
          return createModuleInRealm(new TextModuleSource(textOf(loaded), { url }), undefined, realm);
        case 'module':
          return instantiate(compile(textOf(loaded), url, false, loaded.fromHooks === true), url);
        case 'module-typescript':
          return instantiate(compile(textOf(loaded), url, true, loaded.fromHooks === true, loaded.code), url);
        case 'commonjs-typescript':
          // (the stripped text is what the CommonJS runtime runs: it does not read the file again)
          return moduleFromRecord(
            parts.commonJSRecord(url, loaded.code ?? stripTypeScriptTypes(textOf(loaded), { url })),
          );
      }
    },
  };
}
