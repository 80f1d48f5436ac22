/**
 * Process-level measurement: one child process per sample, timed from spawn to exit by the parent,
 * with the child's CPU time (user + system) and peak resident set size. Both come from GNU time
 * (`/usr/bin/time -f '%M %U %S'`) when it exists, else from a preload module that writes
 * `process.resourceUsage()` when the child exits (Node processes only).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ProcessSample {
  wallMs: number;
  /** User + system CPU time of the child, in ms (GNU time reports it in 10 ms steps). */
  cpuMs: number;
  /** Peak RSS in MiB. */
  maxRssMiB: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface ProcessCommand {
  /** Arguments after the node executable. */
  nodeArgs: string[];
  /** The node executable (default: the one running the suite). */
  node?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const GNU_TIME = '/usr/bin/time';
const RSS_PRELOAD = fileURLToPath(new URL('../children/report-rss.js', import.meta.url));

const BASH = '/bin/bash';
/**
 * Run inside bash (5.0+): the child's wall time from EPOCHREALTIME (µs steps, without bash's own
 * start-up) and the CPU time of its process tree from `times` (ms steps). GNU time reports CPU in
 * 10 ms steps, an eighth of an 80 ms run (Node 24 loads rxjs in that).
 */
const TIMED =
  't0=$EPOCHREALTIME; "$@"; s=$?; t1=$EPOCHREALTIME; { echo "$t0 $t1"; times; } > "$MODHOST_BENCH_TIMES"; exit $s';

/** Which peak-RSS and CPU methods this machine uses (recorded in the results). */
export function rssMethod(): string {
  const rss = existsSync(GNU_TIME)
    ? "GNU time '%M %U %S' (the kernel's rusage of the child)"
    : 'process.resourceUsage() at exit (preload)';
  return existsSync(BASH) ? `${rss}; wall and CPU time from bash's EPOCHREALTIME and times` : rss;
}

/** Wall and CPU ms from the TIMED script's file, or undefined when it is missing or unreadable. */
function bashTimes(file: string): { wallMs: number; cpuMs: number } | undefined {
  try {
    const [span = '', , children = ''] = readFileSync(file, 'utf8').trim().split('\n');
    const [t0, t1] = span.split(' ').map(Number);
    const seconds = children
      .trim()
      .split(/\s+/)
      .map((field) => {
        const m = /^(\d+)m([\d.]+)s$/.exec(field);
        return m === null ? Number.NaN : Number(m[1]) * 60 + Number(m[2]);
      });
    const cpu = ((seconds[0] ?? Number.NaN) + (seconds[1] ?? Number.NaN)) * 1000;
    const wall = ((t1 ?? Number.NaN) - (t0 ?? Number.NaN)) * 1000;
    return Number.isFinite(cpu) && Number.isFinite(wall) ? { wallMs: wall, cpuMs: cpu } : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `node ...nodeArgs` once and measures it. */
export async function runNodeProcess(command: ProcessCommand): Promise<ProcessSample> {
  const scratch = mkdtempSync(join(tmpdir(), 'modhost-bench-rss-'));
  const rssFile = join(scratch, 'rss');
  const useGnuTime = existsSync(GNU_TIME);
  const node = command.node ?? process.execPath;
  const timesFile = join(scratch, 'times');
  const useBash = existsSync(BASH);
  let file = useGnuTime ? GNU_TIME : node;
  let args = useGnuTime
    ? ['-f', '%M %U %S', '-o', rssFile, node, ...command.nodeArgs]
    : ['--import', RSS_PRELOAD, ...command.nodeArgs];
  if (useBash) {
    args = ['-c', TIMED, 'bash', file, ...args];
    file = BASH;
  }
  // LC_NUMERIC=C: EPOCHREALTIME is written with the locale's decimal separator.
  const env = {
    ...process.env,
    ...command.env,
    MODHOST_BENCH_RSS_FILE: rssFile,
    MODHOST_BENCH_TIMES: timesFile,
    LC_NUMERIC: 'C',
  };
  try {
    const start = performance.now();
    const child = spawn(file, args, { cwd: command.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    let wallMs = performance.now() - start;
    let rssKiB = Number.NaN;
    let cpuMs = Number.NaN;
    try {
      // "<KiB> <user s> <system s>"; GNU time writes "Command exited with non-zero status N"
      // on a line before it when the child fails.
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
      const [kib, user, system] = (lines[lines.length - 1] ?? '').trim().split(/\s+/).map(Number);
      rssKiB = kib ?? Number.NaN;
      cpuMs = ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000;
    } catch {
      // No file: the child died before writing it; the NaN shows up as a failed sample.
    }
    const precise = useBash ? bashTimes(timesFile) : undefined;
    if (precise !== undefined && Number.isFinite(cpuMs)) {
      wallMs = precise.wallMs;
      cpuMs = precise.cpuMs;
    }
    return { wallMs, cpuMs, maxRssMiB: rssKiB / 1024, exitCode, stdout, stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
