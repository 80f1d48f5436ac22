#!/usr/bin/env node
// The `modhost` executable (bundled into dist/cli/modhost.mjs by scripts/build-cli.mjs, the
// package's bin); everything is in main.ts.
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`modhost: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
