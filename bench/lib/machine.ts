/** What the numbers were measured on: recorded with every result file and printed under the table. */
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, type as osType, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { nodeModules, repoRoot } from './paths.js';
import { rssMethod } from './spawn.js';

export interface MachineInfo {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  loadAverage: number[];
  os: string;
  node: string;
  v8: string;
  rssMethod: string;
  packages: Record<string, string>;
}

const PACKAGES = [
  'meriyah',
  'cjs-module-lexer',
  'ses',
  '@endo/module-source',
  'mitata',
  'lodash-es',
  'lodash',
  'three',
  'date-fns',
  'rxjs',
];

function versionOf(packageJsonPath: string): string {
  try {
    return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return 'missing';
  }
}

/** Collects the machine and software facts. */
export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  const packages: Record<string, string> = { modhost: versionOf(join(repoRoot, 'package.json')) };
  for (const name of PACKAGES) packages[name] = versionOf(join(nodeModules, name, 'package.json'));
  return {
    date: new Date().toISOString(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    os: `${osType()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
    rssMethod: rssMethod(),
    packages,
  };
}

/** One line for the table's footer. */
export function machineLine(info: MachineInfo): string {
  const pkgs = Object.entries(info.packages)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    `${info.cpuModel}, ${info.cores} cores, ${info.memoryGiB} GiB; ${info.os}; Node ${info.node} (V8 ` +
    `${info.v8}); ${pkgs}; load ${info.loadAverage.join('/')}`
  );
}
