/**
 * modhost/test: helpers for test files run by `modhost test`.
 *
 * @example
 * // test/checkout.test.js, run with `npx modhost test`
 * import { test } from 'node:test';
 * import assert from 'node:assert/strict';
 * import { mock } from 'modhost/test';
 *
 * // Every importer of ../src/payments.js, at any depth, ES or CommonJS, gets this object.
 * mock('../src/payments.js', () => ({ charge: async () => ({ ok: true, id: 'test' }) }));
 * const { checkout } = await import('../src/checkout.js');
 *
 * test('checkout charges the card', async () => {
 *   assert.deepEqual(await checkout({ total: 10 }), { paid: true, id: 'test' });
 * });
 */
import { createError } from '../errors/codes.js';
import type { MockFactory, MockHandle, MockOptions } from '../hosts/hooks/mocks.js';
import { currentTestFile } from './context.js';

export type { MockFactory, MockHandle, MockOptions } from '../hosts/hooks/mocks.js';

/**
 * `host.mock(specifier, factory, options)` of the host running the current test file: every
 * later import or require of the module `specifier` resolves to, in that file's host, gets the
 * factory's exports object instead. `specifier` resolves from `options.parentURL`, by default
 * from the test file. The mock is restored after the file (each file has a fresh host anyway,
 * unless `--isolate=none`).
 *
 * Static imports of the test file are linked before its body runs: to mock a module the test
 * file imports itself, import it with `await import()` after `mock()` (mocks for modules that
 * only the imported modules use apply either way, at any depth).
 *
 * @throws Error ERR_MODHOST_NOT_IN_TEST outside a file run by `modhost test`
 */
export function mock(specifier: string, factory: MockFactory, options?: MockOptions): MockHandle {
  const file = currentTestFile();
  if (file === undefined) {
    throw createError(
      'ERR_MODHOST_NOT_IN_TEST',
      `mock(${JSON.stringify(String(specifier))}) from modhost/test only works in test files run by \`modhost ` +
        `test\`; ` +
        'elsewhere use host.mock() of a host from modhost/node',
      { specifier: String(specifier) },
    );
  }
  return file.mock(specifier, factory, options);
}
