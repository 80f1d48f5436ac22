/**
 * `modhost repl`: a read-eval-print loop where every input is a module (./repl-session.ts) of a
 * hot Node host, so static `import`, `export` and top-level `await` work, declarations stay
 * visible to later inputs and may be declared again, and `.reload` applies edited files through
 * `host.update`.
 *
 * On a terminal: a `> ` prompt (`... ` while an input is incomplete), line editing and history in
 * ~/.modhost_repl_history (MODHOST_REPL_HISTORY names another file; empty turns it off). With
 * stdin not a terminal (a pipe, a test): no prompt, each complete input's result is printed as it
 * is read; history only when MODHOST_REPL_HISTORY names a file.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { createNodeHost, type NodeHost } from '../hosts/node/index.js';
import { hooksFromOptions } from './hooks.js';
import type { CliOptions } from './main.js';
import { useColor } from './output.js';
import { createReplSession, type ReplHost } from './repl-session.js';
import { hostOptionsFrom } from './run.js';
import { describeUpdate, errorLine } from './watch-report.js';

const HELP = [
  '.break    Discard the input being typed (after an incomplete line)',
  '.exit     Leave the REPL (also Ctrl+D)',
  '.help     Show this list',
  '.load     .load <file>: run a file as one input (its declarations join the session)',
  '.reload   Apply the changes to the files the session imported (hot update)',
  '',
  'Each input is a module: `import x from "./file.js"`, `export`, top-level `await` work;',
  'let/const/class/function declarations stay visible to later inputs and may be declared again.',
].join('\n');

/** Where history is kept: MODHOST_REPL_HISTORY, else ~/.modhost_repl_history on a terminal. */
function historyFile(terminal: boolean): string | undefined {
  const chosen = process.env.MODHOST_REPL_HISTORY;
  if (chosen !== undefined) return chosen === '' ? undefined : resolvePath(chosen);
  return terminal ? join(homedir(), '.modhost_repl_history') : undefined;
}

function readHistory(file: string | undefined): string[] {
  if (file === undefined) return [];
  try {
    // readline wants the newest first.
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 1000);
  } catch {
    return [];
  }
}

/**
 * A Node host as a REPL session's host: specifiers resolve from `folder` (the working
 * directory), and `import.meta.url` is `<folder>/repl`, as in Node's REPL.
 */
export function replHostOf(host: NodeHost, folder: string): ReplHost {
  const base = pathToFileURL(`${folder}/`).href;
  const replURL = `${base}repl`;
  return {
    realm: host.realm,
    moduleFor(specifier, attributes) {
      const url = host.resolve(specifier, base);
      return host.moduleFor(url, host.formatOf(url), attributes);
    },
    fillImportMeta(meta) {
      meta.url = replURL;
      meta.filename = fileURLToPath(replURL);
      meta.dirname = dirname(fileURLToPath(replURL));
      meta.resolve = (specifier: unknown) => host.resolve(`${specifier as string}`, base);
    },
  };
}

/** Runs the REPL until `.exit` or the end of input; resolves to the exit code. */
export async function replCommand(options: CliOptions): Promise<number> {
  const hooks = await hooksFromOptions(options);
  if (hooks === null) return 1;
  // (no compile cache: REPL inputs are one-off texts)
  const { hostOptions } = hostOptionsFrom(options, hooks, undefined);
  hostOptions.hot = true;
  const host: NodeHost = createNodeHost(hostOptions);
  const session = createReplSession(replHostOf(host, process.cwd()));
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const colors = useColor(process.stdout);
  const history = historyFile(terminal);
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal,
    prompt: '> ',
    history: readHistory(history),
    historySize: 1000,
  } as Parameters<typeof createInterface>[0]);
  const write = (text: string): void => {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  const showError = (error: unknown): void => {
    write(`Uncaught ${formatError(error, colors)}`);
  };
  // Errors of code the inputs started (a timer that throws): printed, and the session goes on.
  process.on('uncaughtException', showError);
  process.on('unhandledRejection', showError);

  let buffer = '';
  const prompt = (): void => {
    if (terminal) {
      rl.setPrompt(buffer === '' ? '> ' : '... ');
      rl.prompt();
    }
  };

  async function run(text: string): Promise<void> {
    const result = await session.evaluate(text);
    if (result.kind === 'incomplete') {
      buffer = `${text}\n`;
      return;
    }
    buffer = '';
    if (result.kind === 'error') showError(result.error);
    else write(inspect(result.value, { colors }));
  }

  async function command(line: string): Promise<boolean> {
    const [name, ...rest] = line.trim().split(/\s+/);
    const argument = rest.join(' ');
    switch (name) {
      case '.exit':
        return false;
      case '.help':
        write(HELP);
        return true;
      case '.break':
        buffer = '';
        return true;
      case '.load': {
        if (argument === '') {
          write('.load needs a file: .load <file>');
          return true;
        }
        let text: string;
        try {
          text = readFileSync(resolvePath(argument), 'utf8');
        } catch (error) {
          write(`.load: cannot read ${argument} (${(error as { code?: string }).code ?? errorLine(error)})`);
          return true;
        }
        const result = await session.evaluate(text);
        if (result.kind === 'incomplete') write(`${argument}: the file ends in the middle of a statement`);
        else if (result.kind === 'error') showError(result.error);
        else if (result.hasValue) write(inspect(result.value, { colors }));
        return true;
      }
      case '.reload': {
        const report = await host.update(host.loadedFiles());
        write(describeUpdate(report, { cwd: process.cwd(), colors }));
        if (report.error !== undefined) showError(report.error);
        return true;
      }
      default:
        write(`Unknown REPL command "${name}". Type .help for the list.`);
        return true;
    }
  }

  if (terminal) write('modhost repl: every input is a module. Type .help for commands, .exit to leave.');
  prompt();
  let keepGoing = true;
  for await (const line of rl) {
    if (history !== undefined && line.trim() !== '') {
      try {
        appendFileSync(history, `${line}\n`);
      } catch {
        // an unwritable history file does not stop the session
      }
    }
    if (buffer === '' && line.trim().startsWith('.') && /^\.[a-z]+\b/.test(line.trim())) {
      keepGoing = await command(line);
      if (!keepGoing) break;
      prompt();
      continue;
    }
    const text = `${buffer}${line}`;
    if (text.trim() === '') {
      prompt();
      continue;
    }
    await run(text);
    prompt();
  }
  rl.close();
  process.off('uncaughtException', showError);
  process.off('unhandledRejection', showError);
  if (buffer !== '') {
    // The input ended inside an incomplete statement: run it to report the error.
    const result = await session.evaluate(buffer.replace(/\n$/, ''));
    if (result.kind === 'error') showError(result.error);
    else if (result.kind === 'incomplete') write('Uncaught SyntaxError: the input ends in the middle of a statement');
  }
  return 0;
}

/**
 * An error as the REPL shows it: a parse error's message alone; anything else inspected, without
 * the frame of the input's own top level (as Node's REPL leaves out its evaluation frames).
 */
function formatError(error: unknown, colors: boolean): string {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; stack?: unknown } | null;
  if (e !== null && typeof e === 'object' && e.code === 'ERR_MODHOST_PARSE') return `${e.name}: ${e.message}`;
  if (e !== null && typeof e === 'object' && typeof e.stack === 'string') {
    const lines = e.stack.split('\n');
    const last = lines[lines.length - 1] ?? '';
    if (lines.length > 1 && /^\s+at REPL\d+:\d+:\d+$/.test(last)) {
      // (util.inspect brackets an error without frames: show its first line as it is)
      if (lines.length === 2) return lines[0] ?? '';
      const stack = e.stack;
      try {
        (e as { stack: string }).stack = lines.slice(0, -1).join('\n');
        return inspect(error, { colors });
      } finally {
        (e as { stack: string }).stack = stack;
      }
    }
  }
  return inspect(error, { colors });
}
