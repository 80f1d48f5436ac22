/** Terminal output helpers: colour only on a TTY and when NO_COLOR is unset, and code frames. */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isOwnFrameFile } from '../hosts/stack-traces.js';

export function useColor(stream: NodeJS.WriteStream): boolean {
  const noColor = process.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true;
}

export function paint(enabled: boolean, code: string, text: string): string {
  return enabled ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export interface SourceLocation {
  url: string;
  line: number;
  column: number;
  /** The file as the error names it (a `file:` URL for ES modules, a path for CommonJS). */
  shown: string;
}

function readText(url: string): string | undefined {
  try {
    return readFileSync(fileURLToPath(url), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Where a link error's import is written: the statement importing `importName` from
 * `specifier`, else the first `from '<specifier>'` / `import '<specifier>'` in the importing file.
 * Link errors name the specifier and the importer, but module records keep no positions, so the CLI
 * finds the statement in the text for its code frame.
 */
function importSiteOf(referrer: string, specifier: string, importName: string | undefined): SourceLocation | undefined {
  if (!referrer.startsWith('file:')) return undefined;
  const text = readText(referrer);
  if (text === undefined) return undefined;
  const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const specific: RegExp[] = [];
  const general: RegExp[] = [];
  for (const quote of ["'", '"']) {
    const literal = escapeRegExp(`${quote}${specifier}${quote}`);
    // The statement that imports the name the error is about, else any import of the specifier.
    if (importName !== undefined)
      specific.push(
        new RegExp(`\\b(?:import|export)\\b[^;'"]*?\\b${escapeRegExp(importName)}\\b[^;'"]*?\\bfrom\\s*${literal}`),
      );
    general.push(new RegExp(`\\b(?:from|import)\\s*${literal}`));
  }
  const patterns = [...specific, ...general];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match === null) continue;
    // The caret goes under the imported name when the statement names it, as Node's does.
    const nameAt =
      importName === undefined || !specific.includes(pattern)
        ? -1
        : match[0].search(new RegExp(`\\b${escapeRegExp(importName)}\\b`));
    const offset = match.index + Math.max(0, nameAt);
    const before = text.slice(0, offset);
    const line = before.split(/\r\n|\n|\r/).length;
    const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    return { url: referrer, line, column, shown: referrer };
  }
  return undefined;
}

/**
 * Where to point the user: the error's own location (parse errors), the import statement of a
 * link error, else (unless `stack: false`) the first frame of the stack in a file that is not
 * modhost's own code.
 */
export function locationOf(error: unknown, options: { stack?: boolean } = {}): SourceLocation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as {
    url?: unknown;
    filename?: unknown;
    line?: unknown;
    column?: unknown;
    stack?: unknown;
    referrer?: unknown;
    specifier?: unknown;
    importName?: unknown;
  };
  if (typeof e.url === 'string' && typeof e.line === 'number') {
    // (An error about a CommonJS file may name it by its path, as Node does: `filename`.)
    const shown = typeof e.filename === 'string' ? e.filename : e.url;
    return { url: e.url, line: e.line, column: typeof e.column === 'number' ? e.column : 1, shown };
  }
  if (typeof e.referrer === 'string' && typeof e.specifier === 'string') {
    const site = importSiteOf(e.referrer, e.specifier, typeof e.importName === 'string' ? e.importName : undefined);
    if (site !== undefined) return site;
  }
  if (options.stack === false || typeof e.stack !== 'string') return undefined;
  // ES modules are named by `file:` URLs in stacks, CommonJS modules by absolute paths; a frame
  // is `at name (file:line:column)` or `at file:line:column`. Built-ins (`node:…`) are skipped.
  for (const match of e.stack.matchAll(/^\s+at (?:.*?\()?(file:\/\/[^\s()]+?|\/[^\s()]+?):(\d+):(\d+)\)?$/gm)) {
    const shown = match[1];
    if (shown === undefined) continue;
    const url = shown.startsWith('file:') ? shown : pathToFileURL(shown).href;
    if (isOwnFrameFile(url)) continue;
    return { url, line: Number(match[2]), column: Number(match[3]), shown };
  }
  return undefined;
}

/** A few lines of source around a location, with a caret under the column. */
export function codeFrame(location: SourceLocation, color: boolean): string | undefined {
  const text = readText(location.url);
  if (text === undefined) return undefined;
  const lines = text.split(/\r\n|\n|\r/);
  const first = Math.max(1, location.line - 2);
  const last = Math.min(lines.length, location.line + 2);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === location.line ? '>' : ' ';
    const gutter = `${marker} ${String(n).padStart(width)} | `;
    out.push((n === location.line ? paint(color, '1', gutter) : paint(color, '2', gutter)) + lines[n - 1]);
    if (n === location.line) {
      out.push(`${' '.repeat(width + 3)}| ${' '.repeat(Math.max(0, location.column - 1))}${paint(color, '31', '^')}`);
    }
  }
  return out.join('\n');
}
