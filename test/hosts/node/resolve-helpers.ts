/**
 * Fixture trees on disk and Node itself as the oracle for resolution tests.
 *
 * `import` oracle: Node's own default resolver (the function behind `import.meta.resolve` and
 * `import()`), run in a child `node --expose-internals` so that we get its URL, its format and
 * its errors (import.meta.resolve swallows not-found errors). The child changes directory to the
 * importer's folder before each query, because Node words its "Did you mean" hint for relative
 * specifiers from the working directory.
 *
 * `require` oracle: `createRequire(parent).resolve(id)` in this process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A file's text, or a symlink to another path of the tree (relative to the link's folder). */
export type TreeEntry = string | { readonly symlink: string };

/** Writes `files` (path → text) under a fresh temporary folder and returns its real path. */
export function makeTree(files: Record<string, TreeEntry>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'modhost-resolve-')));
  for (const [path, entry] of Object.entries(files)) {
    const full = join(root, path);
    if (path.endsWith('/')) {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    if (typeof entry === 'string') writeFileSync(full, entry);
    else symlinkSync(entry.symlink, full);
  }
  return root;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** What a resolution produced: a URL and format, or an error's identity. */
export type Outcome =
  | { readonly ok: true; readonly url: string; readonly format: string | undefined }
  | { readonly ok: false; readonly code: string | undefined; readonly name: string; readonly message: string };

export interface ImportQuery {
  readonly specifier: string;
  /** URL of the importing module. */
  readonly parent: string;
  readonly conditions?: readonly string[];
}

const ORACLE_SOURCE = `
const { defaultResolve } = require('internal/modules/esm/resolve');
const { fileURLToPath } = require('node:url');
const { dirname } = require('node:path');
const queries = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const out = [];
for (const q of queries) {
  try { process.chdir(dirname(fileURLToPath(q.parent))); } catch {}
  try {
    const r = defaultResolve(q.specifier, { parentURL: q.parent, conditions: q.conditions });
    out.push({ ok: true, url: r.url, format: r.format == null ? undefined : r.format });
  } catch (e) {
    out.push({ ok: false, code: e && e.code, name: e && e.name, message: String(e && e.message) });
  }
}
process.stdout.write(JSON.stringify(out));
`;

let oracleFile: string | undefined;

/** Node's answers for a batch of `import` resolutions (one child process for the whole batch). */
export function nodeImportResolve(queries: readonly ImportQuery[]): Outcome[] {
  if (oracleFile === undefined) {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'modhost-oracle-')));
    oracleFile = join(dir, 'oracle.cjs');
    writeFileSync(oracleFile, ORACLE_SOURCE);
    process.once('exit', () => removeTree(dir));
  }
  const child = spawnSync(process.execPath, ['--expose-internals', '--no-warnings', oracleFile], {
    input: JSON.stringify(queries),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`oracle failed: ${child.stderr}`);
  // JSON drops `format: undefined`; put it back so that outcomes compare key for key.
  return (JSON.parse(child.stdout) as Outcome[]).map((outcome) =>
    outcome.ok ? { ok: true, url: outcome.url, format: outcome.format } : outcome,
  );
}

/** Runs `fn` and records its outcome in the oracle's shape. */
export function outcomeOf(fn: () => { url: string; format: string | undefined }): Outcome {
  try {
    const { url, format } = fn();
    return { ok: true, url, format };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { ok: false, code: e.code, name: e.name, message: e.message };
  }
}

/** Node's require.resolve from a module at `parentPath`, in this process. */
export function nodeRequireResolve(id: string, parentPath: string): Outcome {
  try {
    const path = createRequire(parentPath).resolve(id);
    return { ok: true, url: path, format: undefined };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { ok: false, code: e.code, name: e.name, message: e.message };
  }
}

export function fileURL(path: string): string {
  return pathToFileURL(path).href;
}

export function pathOf(url: string): string {
  return fileURLToPath(url);
}
