/**
 * Mocking a dependency: the code under test imports './clock.js'; the test gives it a fake
 * clock module instead, without touching the code under test.
 */
import { importModule, Module, ModuleSource } from '../src/index.js';

export async function mockedDependency(): Promise<string[]> {
  const codeUnderTest = new ModuleSource(
    `
    import { now } from './clock.js';
    export function stamp(message) { return '[' + now() + '] ' + message; }
  `,
    { url: 'memory:/logger.js' },
  );
  const fakeClock = new Module(
    new ModuleSource(`export function now() { return '2000-01-01T00:00:00Z'; }`, { url: 'memory:/fake-clock.js' }),
  );
  const logger = new Module(codeUnderTest, {
    importHook(specifier) {
      if (specifier === './clock.js') return fakeClock;
      throw new Error(`unexpected import ${specifier}`);
    },
  });
  const ns = await importModule(logger);
  return [(ns.stamp as (m: string) => string)('mocked')];
}
