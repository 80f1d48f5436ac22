/**
 * The CLI's help text (also printed in README.md; a test keeps them equal). A `\` at the end of a
 * line continues it (a template literal's LineContinuation adds nothing to the text).
 */
export const USAGE = `Usage: modhost <command> [options]

Commands:
  run <entry> [-- args...]   Run a program through modhost (ES modules and CommonJS)
  inspect <file>             Show a module's static analysis (bindings, requests, flags)
  graph <entry>              Show the resolved module graph (cycles marked)
  compile <files|dirs>       Precompile modules into scripts for pages whose CSP forbids eval \
(--out <dir> | --bundle <file>)

Options:
  -h, --help                 Show this help
  -v, --version              Show the version
  --conditions <list>        Export conditions, comma-separated (default: modhost,import,node,default)
  --no-cache                 Do not use the persistent compile cache
  --cache-dir <dir>          Compile cache directory (default: $MODHOST_CACHE_DIR or ~/.cache/modhost)
  --stats                    (run) Print modules loaded, bytes parsed and phase times to stderr
  --root <dir>               (run) Root folder for top-level CommonJS ids (default: the main module's folder)
  --json                     (inspect, graph) Print JSON
  --dot                      (graph) Print Graphviz dot

Exit codes: 0 success, 1 the program threw or rejected, 2 usage error.
Environment: NO_COLOR disables colour; MODHOST_CACHE_DIR sets the cache directory.`;
