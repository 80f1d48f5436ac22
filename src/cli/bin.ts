// The entry of the bundled CLI (dist/cli/modhost.bundle.js, made by scripts/build-cli.mjs and
// loaded by the launcher dist/cli/modhost.mjs, the package's bin); everything is in main.ts.
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
