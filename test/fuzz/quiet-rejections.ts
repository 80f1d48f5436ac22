/**
 * node:test fails the running test on any unhandled rejection. Generated graphs reject promises
 * nobody handles on purpose (failed modules, unawaited imports; V8 and Node internals add their
 * own), and the fuzz harness compares those outcomes itself; modhost internal errors among them
 * are still caught, by runGraph's own listener. So these test files replace node:test's listener.
 */
import { before } from 'node:test';

/** Call inside a describe() whose tests run generated graphs. */
export function ignoreUnhandledRejections(): void {
  before(() => {
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', () => {});
  });
}
