/**
 * Running a program with `node` and with `modhost run`, and reading what both print, for the
 * like-node tests (./like-node.test.ts, ./like-node-typescript.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const bin = fileURLToPath(new URL('../../cli/modhost.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'modhost-like-node-'));
after(() => rmSync(root, { recursive: true, force: true }));

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

let programs = 0;
/** Writes `files` into a fresh folder; returns its path. */
export function program(files: Record<string, string>): string {
  const dir = join(root, `p${++programs}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export function spawn(args: string[], cwd: string): Outcome {
  // (a program that does not exit must fail its test, not block the file's event loop for good)
  const env = { ...process.env, NO_COLOR: '1' };
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `entry` of `dir` with node and with `modhost run`. */
export function both(dir: string, entry: string): { node: Outcome; modhost: Outcome } {
  return { node: spawn([entry], dir), modhost: spawn([bin, 'run', '--no-cache', entry], dir) };
}

const LOCATION_LINE = /^(?:file:\/\/|\/|node:)\S*:\d+$/;
const CARET_LINE = /^[\s|]*\^+\s*$/;

/**
 * The parts of a fatal-error report both tools print: the location line (`file:line`, when the
 * value has a location) and the error line after the code frame (Node's source line and caret,
 * modhost's code frame), with a trailing ` {` of util.inspect's properties dropped.
 */
export function report(stderr: string): { location: string | undefined; header: string | undefined } {
  const lines = stderr.split('\n');
  let i = 0;
  while (i < lines.length && lines[i] === '') i++;
  let location: string | undefined;
  if (LOCATION_LINE.test(lines[i] ?? '')) {
    location = lines[i];
    while (i < lines.length && !CARET_LINE.test(lines[i] ?? '')) i++;
    i++;
    // modhost's code frame goes on after the caret with the lines below.
    while (i < lines.length && /^[\s>]*\d+ \| /.test(lines[i] ?? '')) i++;
  }
  while (i < lines.length && lines[i] === '') i++;
  return { location, header: lines[i]?.replace(/ \{$/, '') };
}

/** Stack frames in the program's own files: `file:line:column`, relative to `dir`. */
export function positions(stderr: string, dir: string): string[] {
  const url = pathToFileURL(dir).href;
  const out: string[] = [];
  for (const match of stderr.matchAll(/^\s+at (?:.*?\()?(file:\/\/[^\s()]+|\/[^\s()]+):(\d+):(\d+)\)?(?:,| \{)?$/gm)) {
    const file = match[1] ?? '';
    const relative = file.startsWith(url) ? file.slice(url.length) : file.startsWith(dir) ? file.slice(dir.length) : '';
    if (relative !== '') out.push(`${relative}:${match[2]}:${match[3]}`);
  }
  return out;
}
