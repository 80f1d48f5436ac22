/**
 * Runs one in-process workload and writes its result as JSON to a file. Started by bench/index.ts:
 *   node --expose-gc --experimental-vm-modules dist/bench/child.js <workload> <options-json> <out-file>
 */
import { writeFileSync } from 'node:fs';
import type { RunOptions } from './lib/types.js';
import { workloadById } from './workloads/registry.js';

const [id, optionsJson, outFile] = process.argv.slice(2);
if (id === undefined || optionsJson === undefined || outFile === undefined) {
  process.stderr.write('usage: child.js <workload> <options-json> <out-file>\n');
  process.exit(2);
}
const result = await workloadById(id).run(JSON.parse(optionsJson) as RunOptions);
writeFileSync(outFile, JSON.stringify(result));
