/** Where modhost keeps its caches when no directory is given (also read by the CLI's launcher). */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$MODHOST_CACHE_DIR`, else `$XDG_CACHE_HOME/modhost`, else `~/.cache/modhost`. */
export function defaultCacheDir(): string {
  const env = process.env;
  if (env.MODHOST_CACHE_DIR) return env.MODHOST_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'modhost');
}
