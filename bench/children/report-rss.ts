/**
 * Preloaded with `node --import` when GNU time is missing: writes the process's peak RSS and CPU
 * time to $MODHOST_BENCH_RSS_FILE when the process exits, in GNU time's '%M %U %S' format (KiB,
 * user seconds, system seconds).
 */
import { writeFileSync } from 'node:fs';

const target = process.env.MODHOST_BENCH_RSS_FILE;
if (target !== undefined) {
  process.on('exit', () => {
    const usage = process.resourceUsage(); // maxRSS in KiB, CPU times in µs
    writeFileSync(target, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
  });
}
