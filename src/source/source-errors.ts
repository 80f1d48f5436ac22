/** Building ERR_MODHOST_PARSE errors with a 1-based line and column computed from an offset. */
import { createError, type ModhostErrorFields } from '../errors/codes.js';

/** 1-based line and column (in UTF-16 code units) of `offset` in `text`. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/**
 * Line and column of a source offset. Line terminators are those of ECMA-262 12.3 (LF, CR,
 * CR LF, LS, PS), so the line agrees with V8's stack traces. Only called on error paths.
 */
export function lineColumnAt(text: string, offset: number): LineColumn {
  const end = Math.min(Math.max(offset, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10 && i + 1 < end) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** An ERR_MODHOST_PARSE SyntaxError whose message ends with `(url:line:column)`. */
export function sourceSyntaxError(
  text: string,
  url: string,
  offset: number,
  message: string,
): SyntaxError & ModhostErrorFields {
  const { line, column } = lineColumnAt(text, offset);
  return createError('ERR_MODHOST_PARSE', message, { url, line, column }) as SyntaxError & ModhostErrorFields;
}
