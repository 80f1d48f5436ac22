/**
 * The `modhost` command: run a program through modhost, inspect a module's analysis, print a
 * module graph, or precompile modules. Each command parses its own arguments with
 * `util.parseArgs` from its entry in ./usage.ts (options and help text in one table). Usage
 * errors exit 2.
 */
import { parseArgs } from 'node:util';
import { VERSION } from '../version.js';
import { paint, useColor } from './output.js';
import { runCommand } from './run.js';
import { COMMANDS, COMPILE_USAGE, type CommandName, type CommandSpec, commandUsage, USAGE } from './usage.js';

/** Options of run, inspect and graph (each reads those its table entry has). */
export interface CliOptions {
  conditions?: string[];
  /** run, test, repl: modules whose resolve/load exports become the host's first hooks. */
  hooks?: string[];
  /** test: 'file' or 'none'. */
  isolate?: string;
  /** test: Node's test-runner flags, passed to Node as they were given (`--test-reporter=tap`, …). */
  nodeTestFlags?: string[];
  cache: boolean;
  cacheDir?: string;
  stats: boolean;
  root?: string;
  json: boolean;
  dot: boolean;
  /** graph: edges from the entry to show (undefined: all). */
  depth?: number;
  /** graph: a folder name whose packages are shown as one node each. */
  collapse?: string;
  /** run: apply edits while the program runs. */
  watch: boolean;
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/**
 * `run`'s arguments end at the entry: what follows is the program's, as with `node`. Returns the
 * arguments for parseArgs (options and the entry) and the program's arguments.
 */
function splitAtEntry(spec: CommandSpec, argv: readonly string[]): { own: string[]; program: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      const entry = argv[i + 1];
      return entry === undefined
        ? { own: argv.slice(0, i), program: [] }
        : { own: [...argv.slice(0, i), entry], program: argv.slice(i + 2) };
    }
    if (arg.startsWith('-') && arg !== '-') {
      const name = arg.replace(/^--?/, '');
      const option = Object.entries(spec.options).find(([long, o]) => long === name || o.short === name)?.[1];
      if (option?.type === 'string' && !arg.includes('=')) i++; // its value
      continue;
    }
    // The entry: `modhost run app.js -- x` passes x (the `--` is dropped, as before).
    const rest = argv.slice(i + 1);
    return { own: [...argv.slice(0, i), arg], program: rest[0] === '--' ? rest.slice(1) : rest };
  }
  return { own: [...argv], program: [] };
}

function parseCommand(name: CommandName, argv: readonly string[]) {
  const spec: CommandSpec = COMMANDS[name];
  const { own, program } = name === 'run' ? splitAtEntry(spec, argv) : { own: [...argv], program: [] };
  const parseOptions: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [long, option] of Object.entries(spec.options)) {
    const parsed: { type: 'string' | 'boolean'; short?: string; multiple?: boolean } = { type: option.type };
    if (option.short !== undefined) parsed.short = option.short;
    if (option.multiple === true) parsed.multiple = true;
    parseOptions[long] = parsed;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: own, strict: true, allowPositionals: true, options: parseOptions });
  } catch (error) {
    throw new UsageError((error as Error).message, name);
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const text = (key: string) => (typeof v[key] === 'string' ? (v[key] as string) : undefined);
  const options: CliOptions = {
    cache: v['no-cache'] !== true,
    stats: v.stats === true,
    json: v.json === true,
    dot: v.dot === true,
    watch: v.watch === true,
  };
  const conditions = text('conditions');
  if (conditions !== undefined)
    options.conditions = conditions
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
  const cacheDir = text('cache-dir');
  if (cacheDir !== undefined) options.cacheDir = cacheDir;
  const root = text('root');
  if (root !== undefined) options.root = root;
  const depth = text('depth');
  if (depth !== undefined) {
    if (!/^\d+$/.test(depth)) throw new UsageError(`--depth takes a whole number, not "${depth}"`, name);
    options.depth = Number(depth);
  }
  const collapse = text('collapse');
  if (collapse !== undefined) options.collapse = collapse;
  const list = (key: string) => (Array.isArray(v[key]) ? (v[key] as string[]) : []);
  if (list('hooks').length > 0) options.hooks = list('hooks');
  const isolate = text('isolate');
  if (isolate !== undefined) {
    if (isolate !== 'file' && isolate !== 'none')
      throw new UsageError(`--isolate takes 'file' or 'none', not "${isolate}"`, name);
    options.isolate = isolate;
  }
  const nodeTestFlags: string[] = [];
  for (const flag of ['test-name-pattern', 'test-skip-pattern', 'test-reporter', 'test-reporter-destination'])
    for (const value of list(flag)) nodeTestFlags.push(`--${flag}=${value}`);
  if (v['test-only'] === true) nodeTestFlags.push('--test-only');
  const timeout = text('test-timeout');
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout)) throw new UsageError(`--test-timeout takes milliseconds, not "${timeout}"`, name);
    nodeTestFlags.push(`--test-timeout=${timeout}`);
  }
  if (nodeTestFlags.length > 0) options.nodeTestFlags = nodeTestFlags;
  return { help: v.help === true, positionals: parsed.positionals, program, options };
}

/** Runs the CLI; resolves to the exit code, or undefined to keep the program's (`run`). */
export async function main(argv: string[]): Promise<number | undefined> {
  const color = useColor(process.stderr);
  const [first, ...rest] = argv;
  try {
    if (first === undefined) throw new UsageError('missing command');
    if (first === '-h' || first === '--help' || first === 'help') {
      const topic = rest[0];
      process.stdout.write(`${isCommand(topic) ? helpOf(topic) : USAGE}\n`);
      return 0;
    }
    if (first === '-v' || first === '--version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (!isCommand(first)) {
      throw new UsageError(
        first.startsWith('-') ? `unknown option "${first}" (options follow the command)` : `unknown command "${first}"`,
      );
    }
    // Commands other than `run` are imported when used: their modules and the built-ins those
    // load (readline for the REPL, child_process for `test`, …) would otherwise load on every run.
    // `compile` has options of its own (--out, --bundle, ...) and its own help.
    if (first === 'compile') return await (await import('./compile.js')).compileCommand(rest);
    const args = parseCommand(first, rest);
    if (args.help) {
      process.stdout.write(`${helpOf(first)}\n`);
      return 0;
    }
    const [target, ...extra] = args.positionals;
    switch (first) {
      case 'test':
        return await (await import('./test.js')).testCommand(args.positionals, args.options);
      case 'run':
        if (target === undefined) throw new UsageError('run needs an entry module: modhost run <entry>', first);
        return await runCommand(target, args.program, args.options);
      case 'inspect':
        if (target === undefined || extra.length > 0)
          throw new UsageError('inspect needs exactly one file: modhost inspect <file>', first);
        return await (await import('./inspect.js')).inspectCommand(target, args.options);
      case 'repl':
        if (target !== undefined) throw new UsageError('repl takes no file (use .load <file> inside it)', first);
        return await (await import('./repl.js')).replCommand(args.options);
      case 'graph':
        if (target === undefined || extra.length > 0)
          throw new UsageError('graph needs exactly one entry: modhost graph <entry>', first);
        if (args.options.json && args.options.dot) throw new UsageError('graph takes --json or --dot, not both', first);
        return await (await import('./graph.js')).graphCommand(target, args.options);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command === undefined ? USAGE : commandUsage(error.command);
      process.stderr.write(`${paint(color, '31', `modhost: ${error.message}`)}\n\n${help}\n`);
      return 2;
    }
    throw error;
  }
}

function helpOf(name: CommandName): string {
  return name === 'compile' ? COMPILE_USAGE : commandUsage(name);
}
