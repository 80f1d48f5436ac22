// The entry of the bundled CLI (dist/cli/modhost.bundle.js, made by scripts/build-cli.mjs and
// loaded by the launcher dist/cli/modhost.mjs, the package's bin); everything is in main.ts.
import { isMainThread } from 'node:worker_threads';
import { main } from './main.js';

const command = process.argv[2];
if (command !== 'run') {
  // modhost's own output (graph, inspect, help) piped into a reader that stops early, such as
  // `modhost graph app.js | head`: end quietly, as command-line tools do. (A program under
  // `modhost run` sees EPIPE as under node.)
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    // undefined: `run` leaves the program's own exit code.
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    // In a worker thread (./workers.ts), the parent's Worker 'error' event reports it.
    if (!isMainThread) throw error;
    process.stderr.write(`modhost: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
