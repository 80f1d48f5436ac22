/**
 * A CommonJS module inside an ES module graph (the Node host's `import` of a CommonJS file), as
 * Node presents it (lib/internal/modules/esm/translators.js, "commonjs" strategy):
 *
 * - export names: `default`, `'module.exports'` (Node 23 and later; both are `module.exports`), and
 *   the names cjs-module-lexer detects in the text, following its re-exports
 *   (`module.exports = require('./x')`, `__exportStar(require('./y'))`) into `.js`/`.cjs` files;
 * - values: when the module evaluates, the CommonJS module runs (once per host, through the host's
 *   CommonJS runtime; if a `require` ran it already, its exports are used), then each detected
 *   name that is an own property of `module.exports` gets its value at that moment. Like Node,
 *   these are **snapshots**: later changes to `module.exports` are not seen by importers (the
 *   `default` export is the object itself, so its properties are live).
 *
 * The module is a Synthetic Module Record (ECMA-262 16.2.1.8, #sec-synthetic-module-records)
 * wrapped in a Module, as Node's own CommonJS modules are synthetic modules: it has no
 * ModuleSource (`import source` of it is a SyntaxError) and no top-level await, so `require()` of
 * an ES module graph that imports it stays synchronous.
 */
import { extname } from 'node:path';
import { initSync as initCjsLexer, parse as parseCjsExports } from 'cjs-module-lexer';
import {
  createSyntheticModuleRecord,
  type Realm,
  SetSyntheticModuleExport,
  type SyntheticModuleRecord,
} from '../../records/index.js';
import { type NodeBehaviour, RUNNING_NODE } from './node-release.js';

let lexerReady = false;

/**
 * Reads a file's text (`null` when unreadable) and resolves a `require` id from a file (`null` when
 * it does not resolve).
 */
export interface ExportNameSources {
  read(filename: string): string | null;
  resolve(id: string, fromFilename: string): string | null;
}

/** Extensions whose files Node does not lex for re-exports (they are not CommonJS text). */
const NOT_LEXED = new Set(['.json', '.node', '.mjs', '.wasm']);

/**
 * The names Node's ESM loader gives a CommonJS module (cjsPreparseModuleExports): cjs-module-lexer's
 * `exports`, plus, recursively, those of each re-exported file that resolves to an absolute path
 * that is not JSON, an addon or an ES module. `cache` holds the names per filename (Node keeps them
 * on the module object): set before following re-exports, so cycles end.
 */
export function commonJSExportNames(
  filename: string,
  text: string | null,
  sources: ExportNameSources,
  cache: Map<string, Set<string>>,
): Set<string> {
  const cached = cache.get(filename);
  if (cached !== undefined) return cached;
  if (!lexerReady) {
    initCjsLexer();
    lexerReady = true;
  }
  let found: { exports: readonly string[]; reexports: readonly string[] };
  try {
    found = parseCjsExports(text ?? sources.read(filename) ?? '');
  } catch {
    found = { exports: [], reexports: [] };
  }
  const names = new Set<string>(found.exports);
  cache.set(filename, names);
  for (const reexport of found.reexports) {
    const target = sources.resolve(reexport, filename);
    if (target === null || (!target.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(target))) continue;
    if (NOT_LEXED.has(extname(target))) continue;
    for (const name of commonJSExportNames(target, null, sources, cache)) names.add(name);
  }
  return names;
}

/**
 * The export names of the synthetic record: `default`, `'module.exports'` where the running Node
 * has it, then the detected names.
 */
export function syntheticExportNames(detected: Iterable<string>, node: NodeBehaviour = RUNNING_NODE): string[] {
  const names = node.commonJSModuleExportsName ? ['default', MODULE_EXPORTS] : ['default'];
  for (const name of detected) if (name !== 'default' && !names.includes(name)) names.push(name);
  return names;
}

const MODULE_EXPORTS = 'module.exports';

/**
 * Creates the record. `run()` runs the CommonJS module (or returns its cached exports) and returns
 * `module.exports`; it is called once, when the record evaluates.
 */
export function createCommonJSModuleRecord(
  realm: Realm,
  url: string,
  exportNames: readonly string[],
  run: () => unknown,
  node: NodeBehaviour = RUNNING_NODE,
): SyntheticModuleRecord {
  return createSyntheticModuleRecord(
    exportNames,
    (module) => {
      const exports = run();
      const isObjectLike = (typeof exports === 'object' && exports !== null) || typeof exports === 'function';
      const whole = node.commonJSModuleExportsName;
      for (const name of exportNames) {
        if (name === 'default' || (whole && name === MODULE_EXPORTS)) continue;
        // Own properties only, read once; a throwing getter leaves the export undefined (as Node).
        if (!isObjectLike || !Object.hasOwn(exports, name)) continue;
        let value: unknown;
        try {
          value = (exports as Record<string, unknown>)[name];
        } catch {
          value = undefined;
        }
        SetSyntheticModuleExport(module, name, value);
      }
      if (whole) SetSyntheticModuleExport(module, MODULE_EXPORTS, exports);
      SetSyntheticModuleExport(module, 'default', exports);
    },
    realm,
    { url, commonjs: true },
  );
}
