/**
 * A persistent compile cache: the analysed and compiled ModuleSourceRecord of a module, stored on
 * disk under a key made of modhost's version, the module URL and a hash of its text, so a warm
 * run skips parsing. Writes are atomic (temporary file + rename), so concurrent processes never
 * see half a file; an entry that cannot be read or has the wrong shape is ignored and rebuilt.
 *
 * Location: `options.dir`, else `$MODHOST_CACHE_DIR`, else `$XDG_CACHE_HOME/modhost`, else
 * `~/.cache/modhost`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '../../version.js';
import { moduleSourceFromRecord, moduleSourceRecordOf, type ModuleSource } from '../../api/module-source.js';
import type { ModuleSourceRecord } from '../../source/types.js';

export interface CompileCache {
  /** The cached ModuleSource for this text at this URL, or undefined. */
  get(text: string, url: string): ModuleSource | undefined;
  /** Stores the record of `source` (best effort: a failed write is ignored). */
  set(text: string, url: string, source: ModuleSource): void;
  readonly dir: string;
}

/** The directory used when none is given. */
export function defaultCacheDir(): string {
  const env = process.env;
  if (env['MODHOST_CACHE_DIR']) return env['MODHOST_CACHE_DIR'];
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'modhost');
}

const RECORD_KEYS = ['url', 'requestedModules', 'importEntries', 'localExportEntries', 'indirectExportEntries', 'starExportEntries', 'hasTLA', 'needsImport', 'needsImportMeta', 'bindings', 'compiled'] as const;

function looksLikeRecord(value: unknown, url: string): value is ModuleSourceRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  for (const key of RECORD_KEYS) if (!(key in record)) return false;
  const compiled = record['compiled'] as Record<string, unknown> | null;
  return record['url'] === url && typeof compiled === 'object' && compiled !== null && typeof compiled['code'] === 'string';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Creates a compile cache in `dir` (created on first write). */
export function createCompileCache(options: { dir?: string } = {}): CompileCache {
  const dir = join(options.dir ?? defaultCacheDir(), `v${VERSION}`);
  let dirReady = false;
  const pathFor = (text: string, url: string): string => {
    const hash = createHash('sha256').update(url).update('\0').update(text).digest('hex');
    return join(dir, hash.slice(0, 2), `${hash.slice(2)}.json`);
  };
  return {
    dir,
    get(text, url) {
      const path = pathFor(text, url);
      let data: string;
      try {
        data = readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
      try {
        const parsed = JSON.parse(data) as unknown;
        if (looksLikeRecord(parsed, url)) return moduleSourceFromRecord(deepFreeze(parsed));
      } catch {
        // Corrupt entry: fall through and remove it; the caller rebuilds it.
      }
      try {
        rmSync(path, { force: true });
      } catch {
        // Another process may have replaced it already.
      }
      return undefined;
    },
    set(text, url, source) {
      const path = pathFor(text, url);
      const record = moduleSourceRecordOf(source, 'compile cache entry');
      const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        if (!dirReady) {
          mkdirSync(dir, { recursive: true });
          dirReady = true;
        }
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(temp, JSON.stringify(record));
        renameSync(temp, path);
      } catch {
        try {
          rmSync(temp, { force: true });
        } catch {
          // Nothing more to clean up.
        }
      }
    },
  };
}
