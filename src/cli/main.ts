/**
 * The `modhost` command: run a program through modhost, inspect a module's analysis, or print a
 * module graph. Usage errors exit 2, a program that throws or rejects exits 1.
 */
import { parseArgs } from 'node:util';
import { VERSION } from '../version.js';
import { compileCommand } from './compile.js';
import { graphCommand } from './graph.js';
import { inspectCommand } from './inspect.js';
import { paint, useColor } from './output.js';
import { runCommand } from './run.js';
import { USAGE } from './usage.js';

export interface CliOptions {
  conditions?: string[];
  cache: boolean;
  cacheDir?: string;
  stats: boolean;
  root?: string;
  json: boolean;
  dot: boolean;
}

class UsageError extends Error {}

function parse(argv: string[]): {
  command?: string;
  positionals: string[];
  options: CliOptions;
  help: boolean;
  version: boolean;
} {
  const parsed = (() => {
    try {
      return parseArgs({
        args: argv,
        strict: true,
        allowPositionals: true,
        options: {
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean', short: 'v' },
          conditions: { type: 'string' },
          'no-cache': { type: 'boolean' },
          'cache-dir': { type: 'string' },
          stats: { type: 'boolean' },
          root: { type: 'string' },
          json: { type: 'boolean' },
          dot: { type: 'boolean' },
        },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const v = parsed.values;
  const [command, ...positionals] = parsed.positionals;
  const options: CliOptions = {
    cache: v['no-cache'] !== true,
    stats: v.stats === true,
    json: v.json === true,
    dot: v.dot === true,
  };
  if (v.conditions !== undefined)
    options.conditions = v.conditions
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
  if (v['cache-dir'] !== undefined) options.cacheDir = v['cache-dir'];
  if (v.root !== undefined) options.root = v.root;
  const result: ReturnType<typeof parse> = { positionals, options, help: v.help === true, version: v.version === true };
  if (command !== undefined) result.command = command;
  return result;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  // `compile` has options of its own (--out, --bundle, ...), so it parses its own arguments.
  if (argv[0] === 'compile') return compileCommand(argv.slice(1));
  const color = useColor(process.stderr);
  let args: ReturnType<typeof parse> | undefined;
  try {
    args = parse(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.version) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const [target, ...rest] = args.positionals;
    switch (args.command) {
      case 'run':
        if (target === undefined) throw new UsageError('run needs an entry module: modhost run <entry>');
        return await runCommand(target, rest, args.options);
      case 'inspect':
        if (target === undefined || rest.length > 0)
          throw new UsageError('inspect needs exactly one file: modhost inspect <file>');
        return await inspectCommand(target, args.options);
      case 'graph':
        if (target === undefined || rest.length > 0)
          throw new UsageError('graph needs exactly one entry: modhost graph <entry>');
        if (args.options.json && args.options.dot) throw new UsageError('graph takes --json or --dot, not both');
        return await graphCommand(target, args.options);
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command "${args.command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${paint(color, '31', `modhost: ${error.message}`)}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
