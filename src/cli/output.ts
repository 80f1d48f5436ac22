/** Terminal output helpers: colour only on a TTY and when NO_COLOR is unset, and code frames. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function useColor(stream: NodeJS.WriteStream): boolean {
  const noColor = process.env['NO_COLOR'];
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

/** The first `file:` location in an error's stack (or on the error itself, for parse errors). */
export function locationOf(error: unknown): SourceLocation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { url?: unknown; line?: unknown; column?: unknown; stack?: unknown };
  if (typeof e.url === 'string' && typeof e.line === 'number') {
    return { url: e.url, line: e.line, column: typeof e.column === 'number' ? e.column : 1 };
  }
  if (typeof e.stack !== 'string') return undefined;
  const match = /(file:\/\/[^\s()]+?):(\d+):(\d+)/.exec(e.stack);
  if (!match) return undefined;
  return { url: match[1]!, line: Number(match[2]), column: Number(match[3]) };
}

/** A few lines of source around a location, with a caret under the column. */
export function codeFrame(location: SourceLocation, color: boolean): string | undefined {
  let text: string;
  try {
    text = readFileSync(fileURLToPath(location.url), 'utf8');
  } catch {
    return undefined;
  }
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
