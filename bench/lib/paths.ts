/**
 * Locations used by the suite. The suite runs compiled, from dist/bench/, normally from a private
 * snapshot of dist/ (see bench/index.ts), so two roots exist: `codeRoot`, where the compiled code
 * being measured lives (the snapshot), and `repoRoot`, the checkout (node_modules, results).
 */

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root above dist/ that this file was loaded from (this file is dist/bench/lib/paths.js). */
export const codeRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The repository: $MODHOST_BENCH_REPO when running from a snapshot, else codeRoot. */
export const repoRoot = process.env.MODHOST_BENCH_REPO ?? codeRoot;
export const nodeModules = join(repoRoot, 'node_modules');
/** JSON results, profiles and generated fixtures; gitignored. */
export const resultsDir = join(repoRoot, 'bench', 'results');
/** Generated entry files and fixtures; inside the repository so that bare specifiers resolve to its node_modules. */
export const fixturesDir = join(resultsDir, 'fixtures');
/** The modhost command that is measured: the bundled CLI, what `npx modhost` runs. */
export const modhostBin = join(codeRoot, 'dist', 'cli', 'modhost.mjs');
/** Compiled bench directory (dist/bench) that is running. */
export const distBench = fileURLToPath(new URL('../', import.meta.url));
