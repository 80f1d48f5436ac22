/**
 * Stack traces of modules modhost compiled, as the engine would show them for native modules:
 * every frame at the module's own line and column, without modhost's frames.
 *
 * V8 reports positions in the compiled code (source/compile.ts), whose line 1 starts with the
 * wrapper's header and whose import references are getter calls. Hosts register the code they
 * evaluate ({@link registerCompiledCode}); {@link installStackTraceMapping} sets V8's
 * `Error.prepareStackTrace` (the stack trace API, also what Node's `--enable-source-maps` uses) to
 * a function that maps the call sites of registered code through the code's position map
 * (source/positions.ts), drops the frames that are modhost at work (its own files, the
 * `Generator.next` that runs a module body) and hands the rest to the formatter it replaced
 * (Node's, which also applies source maps), else formats them as V8 does.
 *
 * A program that sets `Error.prepareStackTrace` itself gets V8's raw call sites, as under Node's
 * `--enable-source-maps`. Only V8 (Node, Chromium) has this API: in other engines stacks show
 * the compiled code's columns (lines are right everywhere).
 */
import { decodePositions, originalPosition, POSITIONS_MARKER, type PositionMap } from '../source/positions.js';

/** What V8 passes to `Error.prepareStackTrace` (the methods modhost uses and forwards). */
interface CallSite {
  getFileName(): string | null | undefined;
  getScriptNameOrSourceURL?(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getEnclosingLineNumber?(): number | null;
  getEnclosingColumnNumber?(): number | null;
  getFunctionName(): string | null;
  getTypeName(): string | null;
  getMethodName(): string | null;
  isNative(): boolean;
  toString(): string;
}

type PrepareStackTrace = (error: Error, trace: CallSite[]) => unknown;

interface Registered {
  readonly code: string;
  map?: PositionMap | null;
}

/** URL → the compiled code evaluated last under that URL (stack frames name only the URL). */
const registry = new Map<string, Registered>();

/**
 * Records that `code` (compiled module code carrying a position map) was evaluated under `url`,
 * so stack frames there can be mapped. A later registration for the same URL replaces it.
 */
export function registerCompiledCode(url: string, code: string): void {
  if (code.includes(POSITIONS_MARKER)) registry.set(url, { code });
}

function positionMapOf(url: string | null | undefined): PositionMap | undefined {
  if (url === null || url === undefined) return undefined;
  const entry = registry.get(url);
  if (entry === undefined) return undefined;
  if (entry.map === undefined) entry.map = decodePositions(entry.code) ?? null;
  return entry.map ?? undefined;
}

/**
 * modhost's own files: the folders of the build next to this one (`…/dist/src/`, `…/dist/cli/`,
 * `…/dist/browser/`). Empty when this file is not in a `dist/` build (nothing is dropped then).
 */
function ownPrefixes(): string[] {
  // (A classic-script bundle has no import.meta.url.)
  const url: unknown = import.meta.url;
  if (typeof url !== 'string') return [];
  const at = url.lastIndexOf('/dist/');
  if (at === -1) return [];
  const root = url.slice(0, at + '/dist/'.length);
  const prefixes = [`${root}src/`, `${root}cli/`, `${root}browser/`];
  // Frames name CommonJS and vm-compiled files by path, ES modules by URL.
  if (root.startsWith('file://')) {
    const path = decodeURIComponent(new URL(root).pathname);
    prefixes.push(`${path}src/`, `${path}cli/`, `${path}browser/`);
  }
  return prefixes;
}

/**
 * The file this code runs from, as stack frames name it: in a bundle (the CLI, the browser
 * bundles, served from any URL) every modhost frame is in that one file.
 */
function ownFile(): string | undefined {
  const stack = new Error().stack ?? '';
  const frame = /^\s+at (?:.*?\()?((?:https?|file):\/\/[^\s()]+?|\/[^\s():]+?):\d+:\d+\)?$/m.exec(stack);
  return frame?.[1];
}

const OWN = ((own) => (own === undefined ? ownPrefixes() : [...ownPrefixes(), own]))(ownFile());

/** True for a frame in modhost's own code. */
export function isOwnFrameFile(file: string): boolean {
  for (const prefix of OWN) if (file.startsWith(prefix)) return true;
  return false;
}

/** A call site of registered code, at its original position. */
function mappedCallSite(site: CallSite, line: number, column: number): CallSite {
  const text = String(site);
  const from = `:${site.getLineNumber()}:${site.getColumnNumber()}`;
  const at = text.lastIndexOf(from);
  const shown = at === -1 ? text : `${text.slice(0, at)}:${line}:${column}${text.slice(at + from.length)}`;
  const wrapper = Object.create(null) as Record<string, unknown>;
  // Forward every CallSite method (Node's source-map support and programs call more than these).
  for (const name of CALL_SITE_METHODS) {
    const method = (site as unknown as Record<string, unknown>)[name];
    if (typeof method === 'function') wrapper[name] = () => Reflect.apply(method, site, []);
  }
  wrapper.getLineNumber = () => line;
  wrapper.getColumnNumber = () => column;
  wrapper.toString = () => shown;
  return wrapper as unknown as CallSite;
}

const CALL_SITE_METHODS = [
  'getThis',
  'getTypeName',
  'getFunction',
  'getFunctionName',
  'getMethodName',
  'getFileName',
  'getLineNumber',
  'getColumnNumber',
  'getEvalOrigin',
  'isToplevel',
  'isEval',
  'isNative',
  'isConstructor',
  'isAsync',
  'isPromiseAll',
  'getPromiseIndex',
  'getScriptNameOrSourceURL',
  'getScriptHash',
  'getEnclosingColumnNumber',
  'getEnclosingLineNumber',
  'getPosition',
] as const;

function fileOf(site: CallSite): string | null | undefined {
  return site.getFileName() ?? site.getScriptNameOrSourceURL?.();
}

/**
 * The frames a reader should see: registered code at its original positions; no frame of
 * modhost's own files, no `Generator.next` that resumes a module body, and none of the host's
 * frames below modhost (Node's loader running modhost itself).
 */
function mapCallSites(trace: readonly CallSite[]): CallSite[] {
  const out: CallSite[] = [];
  let belowHost = false;
  let afterModuleBody = false;
  for (const site of trace) {
    const file = fileOf(site);
    const resumesBody = afterModuleBody;
    afterModuleBody = false;
    if (typeof file === 'string' && isOwnFrameFile(file)) {
      belowHost = true;
      continue;
    }
    const map = positionMapOf(file);
    if (map === undefined) {
      if (resumesBody && (file === null || file === undefined) && /^Generator\.(next|throw|return)$/.test(nameOf(site)))
        continue;
      // Below modhost, the host's own frames (node:internal, native) are not the program's.
      if (belowHost && (typeof file !== 'string' || file.startsWith('node:') || site.isNative())) continue;
      belowHost = false;
      out.push(site);
      continue;
    }
    belowHost = false;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (line === null || column === null) {
      out.push(site);
      continue;
    }
    const original = originalPosition(map, line, column);
    if (original === undefined) continue; // the header: modhost's code
    // A module body runs as a generator whose function starts in the header.
    const enclosingLine = site.getEnclosingLineNumber?.();
    const enclosingColumn = site.getEnclosingColumnNumber?.();
    if (
      typeof enclosingLine === 'number' &&
      typeof enclosingColumn === 'number' &&
      originalPosition(map, enclosingLine, enclosingColumn) === undefined
    )
      afterModuleBody = true;
    out.push(
      original.line === line && original.column === column
        ? site
        : mappedCallSite(site, original.line, original.column),
    );
  }
  return out;
}

function nameOf(site: CallSite): string {
  const type = site.getTypeName();
  const fn = site.getFunctionName() ?? site.getMethodName() ?? '';
  return type === null ? fn : `${type}.${fn}`;
}

/** V8's own format, for engines where no formatter was installed before. */
function formatLikeV8(error: Error, trace: readonly CallSite[]): string {
  let head: string;
  try {
    head = Error.prototype.toString.call(error);
  } catch {
    head = '<error>';
  }
  return trace.length === 0 ? head : `${head}\n    at ${trace.map(String).join('\n    at ')}`;
}

let installed: PrepareStackTrace | undefined;

/**
 * Sets `Error.prepareStackTrace` (once per process) to map registered code's frames; the
 * formatter found there before formats the result.
 */
export function installStackTraceMapping(): void {
  const ErrorCtor = Error as unknown as { prepareStackTrace?: unknown };
  if (installed !== undefined && ErrorCtor.prepareStackTrace === installed) return;
  const previous =
    typeof ErrorCtor.prepareStackTrace === 'function' ? (ErrorCtor.prepareStackTrace as PrepareStackTrace) : undefined;
  if (installed !== undefined && previous !== undefined) return; // the program installed its own
  installed = function prepareStackTrace(this: unknown, error: Error, trace: CallSite[]): unknown {
    const frames = mapCallSites(trace);
    return previous === undefined ? formatLikeV8(error, frames) : Reflect.apply(previous, this, [error, frames]);
  };
  ErrorCtor.prepareStackTrace = installed;
}

/**
 * The original position of a 1-based line and column of compiled code registered under `url`
 * (undefined inside modhost's header); the position itself for code without a map.
 */
export function originalPositionIn(
  url: string,
  line: number,
  column: number,
): { line: number; column: number } | undefined {
  const map = positionMapOf(url);
  return map === undefined ? { line, column } : originalPosition(map, line, column);
}
