/**
 * The CLI's commands and options, one table: `main.ts` parses each command's arguments with
 * `util.parseArgs` from its entry here, and every help text is made from it (the top-level help is
 * also printed in README.md; a test keeps them equal). A new command is one more entry.
 */

/** One option of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** May be given more than once (the values are kept in order). */
  readonly multiple?: boolean;
  /** The value's name in help (`--depth <n>`). */
  readonly value?: string;
  readonly help: string;
}

/** One command. */
export interface CommandSpec {
  /** `run <entry> [args...]` */
  readonly synopsis: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Lines after the options in the command's help. */
  readonly notes?: readonly string[];
}

const CONDITIONS: OptionSpec = {
  type: 'string',
  value: '<list>',
  help: 'Export conditions, comma-separated (default: modhost,import,node,default)',
};
const HELP: OptionSpec = { type: 'boolean', short: 'h', help: "Show this command's help" };
const HOOKS: OptionSpec = {
  type: 'string',
  multiple: true,
  value: '<file>',
  help: 'A module whose resolve/load exports become hooks, first ones first (repeatable)',
};
const NO_CACHE: OptionSpec = { type: 'boolean', help: 'Do not use the persistent compile cache' };
const CACHE_DIR: OptionSpec = {
  type: 'string',
  value: '<dir>',
  help: 'Compile cache directory (default: $MODHOST_CACHE_DIR, else $XDG_CACHE_HOME/modhost, else ~/.cache/modhost)',
};

export const COMMANDS = {
  run: {
    synopsis: 'run <entry> [args...]',
    summary: 'Run a program through modhost (ES modules and CommonJS)',
    options: {
      conditions: CONDITIONS,
      hooks: HOOKS,
      'no-cache': NO_CACHE,
      'cache-dir': CACHE_DIR,
      stats: { type: 'boolean', help: 'Print modules loaded, bytes parsed and phase times to stderr' },
      watch: {
        type: 'boolean',
        help: 'Apply edits of the files the program loaded while it runs (hot updates; re-run when nothing accepts)',
      },
      root: {
        type: 'string',
        value: '<dir>',
        help: "Root folder for top-level CommonJS ids (default: the main module's folder)",
      },
      help: HELP,
    },
    notes: [
      "Options come before the entry; everything after it is the program's (process.argv), as with node.",
      "Exit code: the program's (process.exitCode), 1 for an uncaught error, 13 for an unsettled top-level await.",
      '--watch: one line per update on stderr; errors in new code are reported, the program goes on; Ctrl+C ends it.',
    ],
  },
  repl: {
    synopsis: 'repl',
    summary: 'Start a REPL where each input is a module (static import, export, top-level await)',
    options: {
      conditions: CONDITIONS,
      hooks: HOOKS,
      help: HELP,
    },
    notes: [
      'Commands: .help, .load <file>, .reload (apply edited files), .break, .exit.',
      'History: ~/.modhost_repl_history (MODHOST_REPL_HISTORY names another file; empty: none).',
    ],
  },
  test: {
    synopsis: 'test [files|globs...]',
    summary: 'Run node:test files in one process, each in a fresh fork of one host (reports as node --test)',
    options: {
      isolate: {
        type: 'string',
        value: '<mode>',
        help: "'file' (default): a fresh fork per file, node_modules shared; 'none': one host for all",
      },
      hooks: HOOKS,
      conditions: CONDITIONS,
      'test-name-pattern': {
        type: 'string',
        multiple: true,
        value: '<re>',
        help: "Run only tests whose name matches (node's flag; repeatable)",
      },
      'test-skip-pattern': {
        type: 'string',
        multiple: true,
        value: '<re>',
        help: "Skip tests whose name matches (node's flag, Node 22+; repeatable)",
      },
      'test-reporter': {
        type: 'string',
        multiple: true,
        value: '<name>',
        help: "node:test reporter: spec, tap, dot, junit, lcov or a module (node's flag; repeatable)",
      },
      'test-reporter-destination': {
        type: 'string',
        multiple: true,
        value: '<file>',
        help: "Where each reporter writes: stdout, stderr or a file (node's flag; repeatable)",
      },
      'test-only': { type: 'boolean', help: "Run only tests marked `only` (node's flag)" },
      'test-timeout': { type: 'string', value: '<ms>', help: "Fail tests that run longer (node's flag)" },
      'no-cache': NO_CACHE,
      'cache-dir': CACHE_DIR,
      help: HELP,
    },
    notes: [
      'Without files, searches the working directory as node --test does (*.test.js, test/**, …; node_modules ' +
        'skipped).',
      "Exit code and output are node --test's: node:test's own reporters; 1 when a test or a file failed.",
    ],
  },
  inspect: {
    synopsis: 'inspect <file>',
    summary: "Show a module's static analysis (bindings, requests, flags; a CommonJS file's requires)",
    options: {
      json: { type: 'boolean', help: 'Print JSON' },
      help: HELP,
    },
  },
  graph: {
    synopsis: 'graph <entry>',
    summary: 'Show the resolved module graph, imports and requires (cycles marked)',
    options: {
      conditions: CONDITIONS,
      json: { type: 'boolean', help: 'Print JSON' },
      dot: { type: 'boolean', help: 'Print Graphviz dot' },
      depth: { type: 'string', value: '<n>', help: 'Show modules at most <n> edges from the entry' },
      collapse: {
        type: 'string',
        value: '<folder>',
        help: 'Show each package under <folder> (e.g. node_modules) as one node',
      },
      help: HELP,
    },
    notes: ['Exit code 1 when some import or require cannot be resolved (they are listed).'],
  },
  compile: {
    synopsis: 'compile <files|dirs>',
    summary: 'Precompile modules into scripts for pages whose CSP forbids eval (--out <dir> | --bundle <file>)',
    options: {},
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const short = spec.short === undefined ? '' : `-${spec.short}, `;
    const flag = `${short}--${name}${spec.value === undefined ? '' : ` ${spec.value}`}`;
    return `  ${flag.padEnd(25)}  ${spec.help}`;
  });
}

/** `modhost <command> --help`. */
export function commandUsage(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const lines = [
    `Usage: modhost ${spec.synopsis} [options]`,
    '',
    spec.summary,
    '',
    'Options:',
    ...optionLines(spec.options),
  ];
  if (spec.notes !== undefined) lines.push('', ...spec.notes);
  return lines.join('\n');
}

/** The top-level help (`modhost --help`). */
export const USAGE = [
  'Usage: modhost <command> [options]',
  '',
  'Commands:',
  ...Object.values(COMMANDS).map((spec: CommandSpec) => `  ${spec.synopsis.padEnd(25)}  ${spec.summary}`),
  '',
  'Options:',
  "  -h, --help                 Show this help (modhost <command> --help: that command's options)",
  '  -v, --version              Show the version',
  '',
  "Exit codes: 0 success, 1 the program threw or rejected (run: the program's own exit code), 2 usage error.",
  'Environment: NO_COLOR disables colour; MODHOST_CACHE_DIR sets the cache directory.',
].join('\n');

/** `modhost compile`'s help: it parses its own options (./compile.ts). */
export const COMPILE_USAGE = `Usage: modhost compile <files|dirs...> (--out <dir> | --bundle <file>) [options]

Precompiles ES modules, CommonJS modules and JSON into classic scripts that the browser build
registers without eval (for pages whose Content-Security-Policy forbids eval).

Options:
  --out <dir>            One script per module, same relative paths (serve <dir> in place of the sources)
  --bundle <file>        One script with every module (+ <file>.map)
  --root <dir>           Folder module refs are relative to (default: the input folder)
  --base-url <url>       (--bundle) URL the refs resolve against at run time (default: the bundle's URL)
  --format <kind>        How .js files are read: auto (default), esm or cjs
  --cjs-globals <list>   CommonJS globals the runtime passes (its globals option), comma-separated
  -h, --help             Show this help`;
