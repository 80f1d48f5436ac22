/**
 * Runs every example (the README's first command, `npm run example`): the proposal API first,
 * then a programmable Node host, hot replacement, and the CLI (`modhost run`, `test`, `repl`) run
 * as a process, as a user runs it. Exits 1 when an example fails.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hotReplacement } from './hot-replacement.js';
import { importHook } from './import-hook.js';
import { importPhases } from './import-phases.js';
import { inMemoryGraph } from './in-memory-graph.js';
import { isolatedInstances } from './isolated-instances.js';
import { mockedDependency } from './mocked-dependency.js';
import { programmableHost } from './programmable-host.js';

const section = (title: string, lines: string[]) =>
  console.log(`\n== ${title}\n${lines.map((l) => `   ${l}`).join('\n')}`);

/** Runs an example that reports line by line. */
async function collect(example: (say: (line: string) => void) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  await example((line) => lines.push(line));
  return lines;
}

// The TC39 Module & ModuleSource API (layer 0 to 2), on modhost's own module records.
section('In-memory module graph (ModuleSource + Module + importHook, with a cycle)', await inMemoryGraph());
section('Mocked dependency (importHook hands out a fake module)', await mockedDependency());
section('Two isolated instances of one ModuleSource', await isolatedInstances());
section('The Import Hook proposal (new ModuleSource(text, handler), import(source))', await importHook());
section('Import phases, a virtual module source and a JSON source', await importPhases());

// What modhost builds on it: programmable hosts and hot replacement.
section('A programmable host: hooks, forks, a deep mock, share, dispose', await collect(programmableHost));
section('Hot replacement with true rebinding (hot: true, host.update)', await collect(hotReplacement));

// The command line, run as a process of the built CLI.
const cli = fileURLToPath(new URL('../cli/modhost.mjs', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Runs `modhost <args>` in `cwd` (relative to examples/), feeding `input` to its stdin. */
function modhost(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: `${examples}${options.cwd ?? ''}`,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', MODHOST_REPL_HISTORY: '' },
  });
  if (result.status !== 0) process.exitCode = 1;
  return { status: result.status, lines: (result.stdout + result.stderr).trim().split('\n') };
}

// An ES app: modules from disk, a JSON module, a Node built-in, the print() global.
const app = modhost(['run', '--no-cache', 'app/main.js']);
section(`modhost run examples/app/main.js (exit ${app.status})`, app.lines);

// A CommonJS app (plain and define(...) modules), with --root for its top-level ids.
const cjsApp = modhost(['run', '--no-cache', '--root', 'lib', 'main.js'], { cwd: 'commonjs-app' });
section(`modhost run --root lib main.js, in examples/commonjs-app (exit ${cjsApp.status})`, cjsApp.lines);

// node:test files, each in a fresh fork of one host; one of them mocks a module two levels deep.
const tests = modhost(['test', '--no-cache', '--test-reporter=spec'], { cwd: 'testing' });
section(`modhost test, in examples/testing (exit ${tests.status})`, tests.lines);

// A REPL where each input is a module, fed through a pipe: no prompts then, one result per input.
const inputs = [`import { total, format } from './lib/cart.js'`, `format(total([['apple', 2]], { apple: 75 }))`];
const repl = modhost(['repl'], { cwd: 'app', input: `${inputs.join('\n')}\n` });
const session =
  repl.lines.length === inputs.length ? inputs.flatMap((input, i) => [`> ${input}`, repl.lines[i] ?? '']) : repl.lines;
section(`modhost repl, in examples/app, two lines through a pipe (exit ${repl.status})`, session);
