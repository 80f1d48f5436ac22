/**
 * Precompiled modules: what `modhost compile` writes, and how a page registers it without eval.
 *
 * A compiled file (one module, or a bundle of many) is an ordinary classic script that pushes
 * one {@link CompiledBundle} onto the global array `self.modhostCompiled`. It does not need
 * modhost to be loaded first: the browser build drains the array when it starts and then
 * replaces `push` so later pushes register at once (the pattern lets bundles and the runtime load
 * in any order). Module code is in the script as real functions, so nothing is ever passed to
 * eval, and a page can forbid eval with its Content-Security-Policy.
 *
 * Format 1:
 * ```js
 * (self.modhostCompiled = self.modhostCompiled || []).push({
 *   format: 1,
 *   script: document.currentScript ? document.currentScript.src : '',   // where refs resolve
 *   base: null,                                                          // or a URL that overrides it
 *   modules: [
 *     { kind: 'esm', ref: 'lib/a.js', record: {...analysed record, compiled.code: ''},
 *       factory: function () { 'use strict'; return function* ($mh) { ... } } },
 *     { kind: 'cjs', ref: 'lib/b.js', form: 'plain' | 'define', params: [...], requires: [...],
 *       factory: function (require, exports, module, __filename, __dirname) { ... } },
 *     { kind: 'json', ref: 'data.json', text: '{...}' },
 *   ],
 * });
 * ```
 * A module's URL is `new URL(ref, base ?? script ?? document.baseURI)`.
 */
import { createError } from '../../errors/codes.js';
import type { ModuleSourceRecord } from '../../source/types.js';
import { currentDocument } from './dom.js';

/** The compiled-file format version this build reads. */
export const COMPILED_FORMAT = 1;

/** An ES module: its analysed record (code left out) and a function returning its generator function. */
export interface CompiledESModule {
  readonly kind: 'esm';
  readonly ref: string;
  readonly record: ModuleSourceRecord;
  readonly factory: () => unknown;
}

/** A CommonJS module: its wrapper function, the parameter names it was compiled with, its literal requires. */
export interface CompiledCommonJSModule {
  readonly kind: 'cjs';
  readonly ref: string;
  readonly form: 'plain' | 'define';
  readonly params: readonly string[];
  readonly requires: readonly string[];
  readonly factory: (...args: never[]) => unknown;
}

/** A JSON file, as text (JSON.parse needs no eval). */
export interface CompiledJSON {
  readonly kind: 'json';
  readonly ref: string;
  readonly text: string;
}

export type CompiledEntry = CompiledESModule | CompiledCommonJSModule | CompiledJSON;

/** One pushed file. */
export interface CompiledBundle {
  readonly format: number;
  readonly script?: string;
  readonly base?: string | null;
  readonly modules: readonly CompiledEntry[];
}

type Listener = (url: string, entry: CompiledEntry) => void;

/** URL → compiled module, for the whole page (every host consults it). */
const registry = new Map<string, CompiledEntry>();
const listeners = new Set<Listener>();

/** The compiled module registered for `url`, if any. */
export function compiledModule(url: string): CompiledEntry | undefined {
  return registry.get(url);
}

/** Calls `listener` for every module registered from now on; returns a function that stops it. */
export function onCompiledModule(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Number of registered compiled modules (diagnostics). */
export function compiledModuleCount(): number {
  return registry.size;
}

/**
 * Registers the modules of one compiled file. Refs resolve against `bundle.base`, else the
 * script's own URL, else the document's base URL. A URL registered twice keeps its first entry
 * (a page that includes a bundle twice must not get two module identities).
 *
 * @throws ERR_MODHOST_INVALID_ARGUMENT for a file of another format version or shape.
 */
export function registerCompiled(bundle: CompiledBundle): string[] {
  if (typeof bundle !== 'object' || bundle === null || !Array.isArray(bundle.modules)) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      'modhost: a compiled file pushed something that is not a compiled bundle',
    );
  }
  if (bundle.format !== COMPILED_FORMAT) {
    throw createError(
      'ERR_MODHOST_INVALID_ARGUMENT',
      `modhost: compiled file${bundle.script ? ` ${bundle.script}` : ''} has format ${String(bundle.format)}; ` +
        `this modhost reads format ${COMPILED_FORMAT} (recompile with this version's \`modhost compile\`)`,
    );
  }
  const fallback = currentDocument()?.baseURI ?? (globalThis as { location?: { href: string } }).location?.href;
  const scriptBase = bundle.script !== undefined && bundle.script !== '' ? bundle.script : fallback;
  const base = bundle.base !== undefined && bundle.base !== null ? new URL(bundle.base, scriptBase).href : scriptBase;
  const urls: string[] = [];
  for (const entry of bundle.modules) {
    const url = new URL(entry.ref, base).href;
    urls.push(url);
    if (registry.has(url)) continue;
    registry.set(url, entry);
    for (const listener of listeners) listener(url, entry);
  }
  return urls;
}

interface CompiledQueue {
  push(...bundles: CompiledBundle[]): number;
}

let drained = false;

/**
 * Registers what compiled scripts pushed onto `self.modhostCompiled` before modhost loaded, and
 * makes later pushes register immediately. Idempotent.
 */
export function installCompiledQueue(): void {
  if (drained) return;
  drained = true;
  const g = globalThis as { modhostCompiled?: CompiledBundle[] | CompiledQueue };
  const pending = g.modhostCompiled;
  const queue: CompiledQueue = {
    push(...bundles: CompiledBundle[]): number {
      for (const bundle of bundles) registerCompiled(bundle);
      return 0;
    },
  };
  g.modhostCompiled = queue;
  if (Array.isArray(pending)) for (const bundle of pending) registerCompiled(bundle);
}
