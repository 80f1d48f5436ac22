/**
 * A modhost CLI process that a test talks to while it runs (`repl`, `run --watch`): write to its
 * stdin, wait for a pattern in its output, stop it with a signal. Every wait has a timeout, and
 * `stop()` kills the process (by its own pid) if it is still there.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const bin = fileURLToPath(new URL('../../cli/modhost.mjs', import.meta.url));

export interface LiveProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  write(text: string): void;
  /** Resolves when `pattern` has appeared in the stream after `from` characters (default: anywhere). */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, from?: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolves to the exit code (null when killed by a signal); a child still running after
   * `timeoutMs` (default 15 s) is killed.
   */
  exited(timeoutMs?: number): Promise<number | null>;
  stop(): void;
}

export function startCli(args: string[], cwd: string, env: Record<string, string> = {}): LiveProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    notify();
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    write: (text) => child.stdin.write(text),
    waitFor(stream, pattern, from = 0, timeoutMs = 15_000) {
      const text = () => (stream === 'stdout' ? out : err).slice(from);
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`timed out waiting for ${pattern} on ${stream}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const check = () => {
          if (pattern.test(text())) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    exited(timeoutMs = 15_000) {
      // (killed after the timeout, so a child that ignores its end never outlives the test)
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      return exit.finally(() => clearTimeout(timer));
    },
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
