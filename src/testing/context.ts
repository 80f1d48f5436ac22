/**
 * The test file `modhost test` is running now, shared by every copy of modhost in the process
 * (the CLI's bundle, a project's own `modhost` package, a fork's instance of `modhost/test`)
 * through a `Symbol.for` key on the global object: files run one after another, so "now" is
 * well defined.
 */
import type { MockFactory, MockHandle, MockOptions } from '../hosts/hooks/mocks.js';

/** What `modhost/test` needs of the file being run. */
export interface TestFileContext {
  /** The test file's URL (`mock()` resolves from it by default). */
  readonly url: string;
  /** `host.mock` of the file's host; the handle is restored after the file. */
  mock(specifier: string, factory: MockFactory, options?: MockOptions): MockHandle;
}

interface SharedState {
  current: TestFileContext | undefined;
}

const KEY = Symbol.for('modhost.test.currentFile');

function state(): SharedState {
  const global = globalThis as unknown as Record<symbol, SharedState | undefined>;
  let shared = global[KEY];
  if (shared === undefined) {
    shared = { current: undefined };
    Object.defineProperty(globalThis, KEY, { value: shared, enumerable: false, configurable: true, writable: false });
  }
  return shared;
}

/** The file being run, or `undefined` outside `modhost test`. */
export function currentTestFile(): TestFileContext | undefined {
  return state().current;
}

/** Sets (or clears) the file being run. */
export function setCurrentTestFile(file: TestFileContext | undefined): void {
  state().current = file;
}
