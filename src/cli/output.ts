/** Terminal output helpers: colour only on a TTY and when NO_COLOR is unset, and code frames. */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
}

/**
 * modhost's own files (`…/dist/`, bundled or not): frames there are the host at work, never the
 * place in the user's program to show.
 */
export const OWN_DIST = ((url: string) => {
  const at = url.lastIndexOf('/dist/');
  return at === -1 ? '' : url.slice(0, at + '/dist/'.length);
})(import.meta.url);

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
    const offset = match.index;
    const before = text.slice(0, offset);
    const line = before.split(/\r\n|\n|\r/).length;
    const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    return { url: referrer, line, column };
  }
  return undefined;
}

/**
 * Where to point the user: the error's own location (parse errors), the import statement of a
 * link error, else the first `file:` frame of the stack that is not modhost's own code.
 */
export function locationOf(error: unknown): SourceLocation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as {
    url?: unknown;
    line?: unknown;
    column?: unknown;
    stack?: unknown;
    referrer?: unknown;
    specifier?: unknown;
    importName?: unknown;
  };
  if (typeof e.url === 'string' && typeof e.line === 'number') {
    return { url: e.url, line: e.line, column: typeof e.column === 'number' ? e.column : 1 };
  }
  if (typeof e.referrer === 'string' && typeof e.specifier === 'string') {
    const site = importSiteOf(e.referrer, e.specifier, typeof e.importName === 'string' ? e.importName : undefined);
    if (site !== undefined) return site;
  }
  if (typeof e.stack !== 'string') return undefined;
  // ES modules are named by `file:` URLs in stacks, CommonJS modules by absolute paths.
  for (const match of e.stack.matchAll(/(file:\/\/[^\s()]+?|\/[^\s():]+?):(\d+):(\d+)/g)) {
    const url = match[1]!.startsWith('file:') ? match[1]! : pathToFileURL(match[1]!).href;
    if (OWN_DIST !== '' && url.startsWith(OWN_DIST)) continue;
    return { url, line: Number(match[2]), column: Number(match[3]) };
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
