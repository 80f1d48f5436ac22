/**
 * Shared set-up for the CommonJS tests: the fixture folder, and two ways to run it - the Node
 * loader (files, vm.compileFunction) and the in-memory loader (the same files copied into a
 * `memory:///` map, default indirect-eval evaluator) - so each behaviour is checked on both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type CommonJSRuntime, createCommonJS, createMemoryLoader } from '../../src/commonjs/index.js';
import type { CommonJSOptions } from '../../src/commonjs/runtime.js';
import { createNodeCommonJS } from '../../src/hosts/node/commonjs-loader.js';

/** test/fixtures/commonjs in the source tree (fixtures are not copied to dist/). */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/commonjs');

/** A runtime over the fixtures, with a `trace` global recording what module code ran. */
export interface Setup {
  readonly name: string;
  readonly cjs: CommonJSRuntime;
  readonly traces: string[];
  /** The filename (`module.id`, `require.cache` key) of a fixture path relative to FIXTURES. */
  filename(path: string): string;
  /** The URI (`module.uri`) of a fixture path relative to FIXTURES. */
  uri(path: string): string;
}

type ExtraOptions = Omit<CommonJSOptions, 'loader'>;

function withTrace(options: ExtraOptions, traces: string[]): ExtraOptions {
  return { ...options, globals: { trace: (message: string) => traces.push(message), ...options.globals } };
}

/** The Node loader over the fixture files (base = FIXTURES). */
export function nodeSetup(options: ExtraOptions = {}, compile: 'function' | 'script' = 'function'): Setup {
  const traces: string[] = [];
  const cjs = createNodeCommonJS({ base: FIXTURES, compile, ...withTrace(options, traces) });
  return {
    name: `node loader (vm ${compile})`,
    cjs,
    traces,
    filename: (path) => join(FIXTURES, path),
    uri: (path) => pathToFileURL(join(FIXTURES, path)).href,
  };
}

function collectFiles(dir: string, into: Record<string, string>, root: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collectFiles(path, into, root);
    else into[`memory:///fixtures/${relative(root, path).split('\\').join('/')}`] = readFileSync(path, 'utf8');
  }
}

let fixtureFiles: Record<string, string> | undefined;

/** The fixture files as a `memory:///fixtures/…` map (read once). */
export function fixtureMap(): Record<string, string> {
  if (fixtureFiles === undefined) {
    fixtureFiles = {};
    collectFiles(FIXTURES, fixtureFiles, FIXTURES);
  }
  return fixtureFiles;
}

/** The in-memory loader over a copy of the fixture files (base = memory:///fixtures/). */
export function memorySetup(options: ExtraOptions = {}): Setup {
  const traces: string[] = [];
  const loader = createMemoryLoader(fixtureMap(), { base: 'memory:///fixtures/' });
  const cjs = createCommonJS({ loader, ...withTrace(options, traces) });
  const uri = (path: string): string => `memory:///fixtures/${path}`;
  return { name: 'memory loader (indirect eval)', cjs, traces, filename: uri, uri };
}

/** Both set-ups, for `for (const make of SETUPS) describe(make().name, …)`. */
export const SETUPS: ReadonlyArray<(options?: ExtraOptions) => Setup> = [
  (options) => nodeSetup(options),
  (options) => memorySetup(options),
];

/** Properties of an error, read loosely (tests check them one by one). */
export function fields(error: unknown): Record<string, unknown> {
  return error as Record<string, unknown>;
}
