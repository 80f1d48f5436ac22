/** Command-line options of the fuzzer (fuzz/main.ts). */
import { fileURLToPath } from 'node:url';

/** The --help text. */
export const USAGE = `Usage: node --experimental-vm-modules dist/fuzz/main.js [options]

  --count N          graphs to run (default 1000)
  --seed S           first seed; graph i uses seed S+i (default 1)
  --engine NAME      engine under test: modhost (default) or v8 (checks the harness itself)
  --no-minimise      report divergences without minimising them
  --max-minimise K   minimise at most K divergences (default 10); later ones are listed only
                     (divergences in a known-V8-deviation zone are always minimised)
  --out DIR          where repro files go (default fuzz/repros)
  --show             print each generated graph with the oracle's log (e.g. --count 1)
  --replay FILE      run a repro file's graph through both engines and print the outcomes
  --in-process       do not isolate the run in a child process (a V8 abort then ends it)
  --quiet            print only the summary and the divergences
`;

/** Parsed options. */
export interface Options {
  count: number;
  seed: number;
  engine: string;
  minimise: boolean;
  maxMinimise: number;
  out: string;
  show: boolean;
  replay: string | null;
  inProcess: boolean;
  quiet: boolean;
  /** Internal: this process is a worker started by main (reports over IPC). */
  worker: boolean;
}

/** Parses argv (without node and the script); throws on a bad option. */
export function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    count: 1000,
    seed: 1,
    engine: 'modhost',
    minimise: true,
    maxMinimise: 10,
    out: fileURLToPath(new URL('../../fuzz/repros/', import.meta.url)),
    show: false,
    replay: null,
    inProcess: false,
    quiet: false,
    worker: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = Number(value());
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${arg} needs a non-negative integer`);
      return v;
    };
    switch (arg) {
      case '--count':
        options.count = int();
        break;
      case '--seed':
        options.seed = int();
        break;
      case '--engine':
        options.engine = value();
        break;
      case '--no-minimise':
        options.minimise = false;
        break;
      case '--max-minimise':
        options.maxMinimise = int();
        break;
      case '--out':
        options.out = value();
        break;
      case '--show':
        options.show = true;
        break;
      case '--replay':
        options.replay = value();
        break;
      case '--in-process':
        options.inProcess = true;
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--worker':
        options.worker = true;
        break;
      case '-h':
      case '--help':
        options.replay = null;
        throw new HelpRequested();
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (options.engine !== 'modhost' && options.engine !== 'v8')
    throw new Error(`unknown engine ${options.engine} (modhost or v8)`);
  return options;
}

/** Thrown by parseOptions for -h / --help. */
export class HelpRequested extends Error {}

/** The argv a worker gets for the seeds [seed, seed + count). */
export function workerArgs(options: Options, seed: number, count: number, maxMinimise: number): string[] {
  const args = [
    '--worker',
    '--seed',
    String(seed),
    '--count',
    String(count),
    '--engine',
    options.engine,
    '--out',
    options.out,
    '--max-minimise',
    String(maxMinimise),
  ];
  if (!options.minimise) args.push('--no-minimise');
  if (options.show) args.push('--show');
  if (options.quiet) args.push('--quiet');
  return args;
}
