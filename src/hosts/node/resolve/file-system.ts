/**
 * The resolver's view of the disk: what is at a path (file, folder, nothing) and real paths, each
 * asked of the file system once per resolver and cached until {@link FileSystemCache.clear}.
 */
import { closeSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';

/** Anything that is not a folder, as Node counts. */
export const FILE = 0;
export const DIRECTORY = 1;
/** Added to FILE or DIRECTORY when the path itself is a symlink. */
const LINKED = 2;
export const NOTHING = -1;

/** What is at a path: {@link FILE}, {@link DIRECTORY} or {@link NOTHING}. */
export type EntryKind = typeof FILE | typeof DIRECTORY | typeof NOTHING;

/** Cached stat results and real paths (one per resolver). */
export class FileSystemCache {
  readonly preserveSymlinks: boolean;
  private readonly entries = new Map<string, number>();
  private readonly realpaths = new Map<string, string>();

  /** `preserveSymlinks`: keep symlinked paths instead of resolving them (Node's --preserve-symlinks). */
  constructor(preserveSymlinks: boolean) {
    this.preserveSymlinks = preserveSymlinks;
  }

  clear(): void {
    this.entries.clear();
    this.realpaths.clear();
  }

  /**
   * What is at `path`, following symlinks, and whether `path` itself is a symlink: FILE or
   * DIRECTORY (plus LINKED), or NOTHING. One lstat per path (and a stat for links), cached.
   */
  private entry(path: string): number {
    let kind = this.entries.get(path);
    if (kind === undefined) {
      kind = NOTHING;
      try {
        const own = lstatSync(path, { throwIfNoEntry: false });
        if (own?.isSymbolicLink()) {
          const target = statSync(path, { throwIfNoEntry: false });
          if (target !== undefined) kind = LINKED | (target.isDirectory() ? DIRECTORY : FILE);
        } else if (own !== undefined) {
          kind = own.isDirectory() ? DIRECTORY : FILE;
        }
      } catch {
        // Unreadable (EACCES, ELOOP, a name too long): Node treats it as absent.
      }
      this.entries.set(path, kind);
    }
    return kind;
  }

  /** FILE (anything that is not a folder, as Node counts), DIRECTORY, or NOTHING. */
  stat(path: string): EntryKind {
    const kind = this.entry(path);
    return kind === NOTHING ? NOTHING : kind & DIRECTORY ? DIRECTORY : FILE;
  }

  /**
   * The real path of an existing file or folder. Like Node's own realpath, it walks the path:
   * a component that is not a symlink keeps its name under its folder's real path, so only
   * symlinks cost a system call, and every folder is resolved once per resolver.
   */
  realpath(path: string): string {
    if (this.preserveSymlinks) return resolvePath(path);
    let real = this.realpaths.get(path);
    if (real === undefined) {
      const normalized = resolvePath(path);
      const folder = dirname(normalized);
      const kind = folder === normalized ? NOTHING : this.entry(normalized);
      if (folder === normalized) real = normalized;
      else if (kind === FILE || kind === DIRECTORY) real = join(this.realpath(folder), basename(normalized));
      else real = realpathSync.native(normalized);
      this.realpaths.set(path, real);
    }
    return real;
  }

  /** LOAD_AS_FILE for one name: a file (not a folder) there, by its real path. */
  tryFile(path: string): string | undefined {
    return this.stat(path) === FILE ? this.realpath(path) : undefined;
  }
}

/** The first bytes of a WebAssembly binary ("\0asm"). */
export function hasWasmHeader(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const header = Buffer.alloc(4);
    return readSync(fd, header, 0, 4, 0) === 4 && header.readUInt32BE(0) === 0x0061736d;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
