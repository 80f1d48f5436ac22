/**
 * Which files `modhost test` runs, as `node --test` finds them: each argument is a file, a
 * directory (searched for test files) or a glob pattern (`*`, `**`, `?`, `{a,b}`, `[abc]`);
 * without arguments, the working directory is searched. Test files are those Node's default
 * patterns match: `**\/*.test.{cjs,mjs,js}`, `**\/*-test.*`, `**\/*_test.*`, `**\/test-*.*`,
 * `**\/test.*` (those extensions), and every such file under a `test` folder. `node_modules`
 * folders are never searched. Files are sorted within each argument, arguments keep their order,
 * and a file named twice runs once.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

const SCRIPT = /\.(?:c|m)?js$/;

/** Node's default test file patterns, on a path relative to the searched folder (POSIX separators). */
export function isDefaultTestFile(relativePath: string): boolean {
  if (!SCRIPT.test(relativePath)) return false;
  const parts = relativePath.split('/');
  const name = parts[parts.length - 1] ?? '';
  const stem = name.replace(SCRIPT, '');
  if (stem === 'test' || stem.endsWith('.test') || stem.endsWith('-test') || stem.endsWith('_test')) return true;
  if (stem.startsWith('test-')) return true;
  // Every script under a folder named `test`.
  return parts.slice(0, -1).includes('test');
}

/** Every file under `dir` (node_modules and dot folders skipped), as paths relative to it. */
function walk(dir: string, out: string[], prefix = ''): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      walk(join(dir, entry.name), out, `${prefix}${entry.name}/`);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      out.push(`${prefix}${entry.name}`);
    }
  }
}

const MAGIC = /[*?[{]/;

/** A glob pattern (POSIX separators) as a regular expression over whole relative paths. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches any number of folders; a trailing `**` matches anything.
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end === -1) {
        out += '\\{';
        continue;
      }
      const options = pattern.slice(i + 1, end).split(',');
      out += `(?:${options.map((o) => globToRegExp(o).source.slice(1, -1)).join('|')})`;
      i = end;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else {
      out += /[\\^$.|+()]/.test(c) ? `\\${c}` : c;
    }
  }
  return new RegExp(`^${out}$`);
}

/** The test files for `args` (absolute paths); `missing` lists arguments that matched nothing. */
export function findTestFiles(args: readonly string[], cwd = process.cwd()): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const seen = new Set<string>();
  const missing: string[] = [];
  const add = (path: string) => {
    if (!seen.has(path)) {
      seen.add(path);
      files.push(path);
    }
  };
  const searchDir = (dir: string) => {
    const found: string[] = [];
    walk(dir, found);
    for (const rel of found) if (isDefaultTestFile(rel)) add(join(dir, rel));
  };
  if (args.length === 0) {
    searchDir(cwd);
    return { files, missing };
  }
  for (const arg of args) {
    const posix = arg.split(sep).join('/');
    if (!MAGIC.test(posix)) {
      const path = resolve(cwd, arg);
      let stats: import('node:fs').Stats | undefined;
      try {
        stats = statSync(path);
      } catch {
        stats = undefined;
      }
      if (stats === undefined) missing.push(arg);
      else if (stats.isDirectory()) searchDir(path);
      else add(path);
      continue;
    }
    // The folder before the first magic segment is where the search starts.
    const segments = posix.split('/');
    const firstMagic = segments.findIndex((s) => MAGIC.test(s));
    const base = segments.slice(0, firstMagic).join('/');
    const root = isAbsolute(posix) ? base || '/' : resolve(cwd, base || '.');
    const matcher = globToRegExp(segments.slice(firstMagic).join('/'));
    const found: string[] = [];
    walk(root, found);
    let any = false;
    for (const rel of found) {
      if (matcher.test(rel)) {
        any = true;
        add(join(root, rel));
      }
    }
    if (!any) missing.push(arg);
  }
  return { files, missing };
}
