/**
 * Where Node releases differ in what the Node host imitates (resolution and its errors,
 * package.json reading, `import.meta`, warnings), what the Node that runs modhost does. The Node
 * host, the resolver and `modhost run` follow {@link RUNNING_NODE}; tests take the running Node as
 * their oracle, and build other releases' behaviour with {@link nodeBehaviourOf} to test both.
 * docs/NODE-VERSIONS.md lists these differences and the ones modhost knows of but keeps.
 */

/** One behaviour per field; each names the Node change and the releases that have it. */
export interface NodeBehaviour {
  /** The version these answers are for (`process.versions.node`). */
  readonly version: string;
  /**
   * How package.json files are read. `'js'` (Node 20): with JSON.parse; a field of another type
   * than expected is ignored; ERR_INVALID_PACKAGE_CONFIG carries the parse error's message
   * (`require` words it "Error parsing <path>: …"). `'native'` (Node 21.2 and later, the simdjson
   * reader of nodejs/node#50322): a document that is not an object, or a `name` or `type` that is
   * not a string, is an invalid config; `exports` and `imports` that are not an object, an array
   * or a string count as absent; messages have no parse detail ("Invalid package config <path>.",
   * or "… while importing "<specifier>" from <importer>." when a package is looked up for an
   * import). The legacy "main" lookup moved to C++ in the same releases, and its "Cannot find
   * package" message names a normalized path (no "//", no trailing "/").
   */
  readonly packageJsonReader: 'js' | 'native';
  /** "#/…" subpath imports are allowed (nodejs/node#60864: 25.4.0, backported to 24.14.0). */
  readonly slashSubpathImports: boolean;
  /** `import.meta.main` (24.2.0, backported to 22.18.0). */
  readonly importMetaMain: boolean;
  /** An entry point stuck on a top-level await prints "Warning: Detected unsettled top-level await at …" (22.0.0). */
  readonly unsettledAwaitWarning: boolean;
  /**
   * Stack traces name a CommonJS TypeScript file by its file: URL, not its path (the stripped
   * code's sourceURL; 24.19.0 and 26: found by trying releases, 24.18.0 names the path).
   */
  readonly typeScriptCommonJSFileURLs: boolean;
  /**
   * The namespace of an imported CommonJS module has a `'module.exports'` export beside `default`
   * (23.0.0; not in Node 22, whose latest release still has only `default` and the detected names).
   */
  readonly commonJSModuleExportsName: boolean;
  /**
   * `vm.compileFunction` keeps the `importModuleDynamically` option when it is given `cachedData`
   * (22.0.0; Node 20 drops it: an `import()` in such a function, in code it `eval`s for instance,
   * rejects with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). The compile cache keeps no code cache
   * of CommonJS wrappers where it does not.
   */
  readonly compileFunctionCachedDataKeepsImport: boolean;
}

/** `[major, minor, patch]` of a version such as `24.14.0` or `v24.14.0`. */
export function parseNodeVersion(version: string): [number, number, number] {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (match === null) return [0, 0, 0];
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Whether `version` has a change that landed in the releases `since`, one per release line it
 * reached (the line it landed in and those it was backported to): a listed line from its entry
 * on, and every line newer than all of them.
 */
function has(version: readonly [number, number, number], since: readonly string[]): boolean {
  const lines = since.map(parseNodeVersion);
  const own = lines.find((line) => line[0] === version[0]);
  if (own === undefined) return lines.every((line) => line[0] < version[0]);
  for (let i = 0; i < 3; i++) if (version[i] !== own[i]) return (version[i] ?? 0) > (own[i] ?? 0);
  return true;
}

/** What Node `version` does where releases differ. */
export function nodeBehaviourOf(version: string): NodeBehaviour {
  const parsed = parseNodeVersion(version);
  return {
    version: version.replace(/^v/, ''),
    packageJsonReader: has(parsed, ['21.2.0']) ? 'native' : 'js',
    slashSubpathImports: has(parsed, ['24.14.0', '25.4.0']),
    importMetaMain: has(parsed, ['22.18.0', '24.2.0']),
    unsettledAwaitWarning: has(parsed, ['22.0.0']),
    typeScriptCommonJSFileURLs: has(parsed, ['24.19.0', '26.0.0']),
    commonJSModuleExportsName: has(parsed, ['23.0.0']),
    compileFunctionCachedDataKeepsImport: has(parsed, ['22.0.0']),
  };
}

/** The Node that runs modhost. */
export const RUNNING_NODE: NodeBehaviour = nodeBehaviourOf(process.versions.node);
