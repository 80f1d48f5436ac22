/**
 * Where compiled module code came from, column by column.
 *
 * The compiler keeps every module line on its own line, but some rewrites change lengths (an
 * import reference `fail` becomes `$mh_i0()`, `export default ` becomes `const $mh_d=`, line 1
 * starts with the wrapper's header), so V8 reports columns of the compiled text. The compiler
 * therefore appends a compact position map to the compiled code, as a comment:
 *
 *   //# modhostPositions=0h0,93c0,120f11,128c15
 *
 * Each point is `<generated offset><kind><original column>`: from that offset of the compiled
 * code on, until the next point, the code is
 *
 * - `c` copied from the original (column = original column + distance from the point),
 * - `r` rewritten text standing for the original at that column,
 * - `f` a rewritten callee (an import reference that is called): as `r`, and the position just
 *   after it, where V8 reports a call whose callee is not a plain name, is the callee's too,
 * - `h` the wrapper's header (modhost's own code: no user position).
 *
 * Only rewrites that change lengths make points, so a module without them carries two points
 * (the header and the copy of line 1). Hosts that format stack traces (hosts/stack-traces.ts)
 * decode the map lazily, the first time an error's stack shows the module.
 */

import { isLineTerminator } from '../lexical/characters.js';

/** A point's kind (see the module comment). */
export const PositionKind = { Copy: 0, Rewritten: 1, Callee: 2, Header: 3 } as const;

const KIND_LETTERS = 'crfh';

/** The comment's marker; the map runs to the end of the code. */
export const POSITIONS_MARKER = '\n//# modhostPositions=';

/**
 * Points as the edit list renders them: generated offset (relative to the rendered text), kind
 * and original *offset*, flattened in triples. {@link positionsComment} turns original offsets into
 * columns.
 */
export type RawPoints = number[];

/**
 * The comment for `points` (relative to the body, which starts at `headerLength` in the compiled
 * code). `text` is the original module text, used to turn original offsets into columns.
 */
export function positionsComment(text: string, points: RawPoints, headerLength: number): string {
  let out = `${POSITIONS_MARKER}0h0,${headerLength}c0`;
  if (points.length === 0) return out;
  // Original offsets mostly grow: the line start is found by moving forward with indexOf.
  const oddTerminators = hasOddTerminator(text);
  let lineStart = 0;
  let nextNewline = text.indexOf('\n');
  for (let i = 0; i + 2 < points.length; i += 3) {
    const generated = points[i] ?? 0;
    const kind = points[i + 1] ?? 0;
    const original = points[i + 2] ?? 0;
    let start: number;
    if (oddTerminators) {
      start = lineStartBefore(text, original);
    } else {
      if (original < lineStart) {
        lineStart = text.lastIndexOf('\n', original - 1) + 1;
        nextNewline = text.indexOf('\n', lineStart);
      }
      while (nextNewline !== -1 && nextNewline < original) {
        lineStart = nextNewline + 1;
        nextNewline = text.indexOf('\n', lineStart);
      }
      start = lineStart;
    }
    out += `,${generated + headerLength}${KIND_LETTERS[kind]}${original - start}`;
  }
  return out;
}

/**
 * Line terminators other than LF: a CR not followed by LF, LS, PS (lines are then found one by
 * one). indexOf, not a regular expression: for LS and PS in a one-byte string it returns at once.
 */
function hasOddTerminator(text: string): boolean {
  if (text.indexOf('\u2028') !== -1 || text.indexOf('\u2029') !== -1) return true;
  for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 1))
    if (text.charCodeAt(cr + 1) !== 10) return true;
  return false;
}

function lineStartBefore(text: string, offset: number): number {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (isLineTerminator(c)) return i + 1;
  }
  return 0;
}

/** A decoded map: sorted points and the compiled code's line starts. */
export interface PositionMap {
  readonly generated: Int32Array;
  readonly kinds: Uint8Array;
  readonly columns: Int32Array;
  readonly lineStarts: Int32Array;
}

/** Decodes the map at the end of compiled `code`; undefined when it has none. */
export function decodePositions(code: string): PositionMap | undefined {
  const at = code.lastIndexOf(POSITIONS_MARKER);
  if (at === -1) return undefined;
  const items = code.slice(at + POSITIONS_MARKER.length).split(',');
  const generated = new Int32Array(items.length);
  const kinds = new Uint8Array(items.length);
  const columns = new Int32Array(items.length);
  const point = /^(\d+)([crfh])(\d+)$/;
  for (let i = 0; i < items.length; i++) {
    const match = point.exec(items[i] ?? '');
    if (match === null) return undefined;
    generated[i] = Number(match[1]);
    kinds[i] = KIND_LETTERS.indexOf(match[2] ?? 'c');
    columns[i] = Number(match[3]);
  }
  const starts = [0];
  for (let i = 0; i < at; i++) {
    const c = code.charCodeAt(i);
    // (CR LF is one line terminator: the line starts after the LF)
    if (isLineTerminator(c) && !(c === 13 && code.charCodeAt(i + 1) === 10)) starts.push(i + 1);
  }
  return { generated, kinds, columns, lineStarts: Int32Array.from(starts) };
}

/**
 * The original position of a 1-based `line` and `column` of the compiled code: the same line
 * (the compiler keeps lines) and the original column, or undefined for modhost's own header.
 */
export function originalPosition(
  map: PositionMap,
  line: number,
  column: number,
): { line: number; column: number } | undefined {
  const lineStart = map.lineStarts[line - 1];
  if (lineStart === undefined) return { line, column };
  const offset = lineStart + column - 1;
  // The last point at or before `offset`.
  let lo = 0;
  let hi = map.generated.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((map.generated[mid] ?? 0) <= offset) lo = mid + 1;
    else hi = mid;
  }
  const index = lo - 1;
  if (index < 0) return { line, column };
  const at = map.generated[index] ?? 0;
  const kind = map.kinds[index];
  if (kind === PositionKind.Header) return undefined;
  // Just after a rewritten callee: V8's position of the call, which is the callee's natively.
  if (at === offset && index > 0 && map.kinds[index - 1] === PositionKind.Callee && at >= lineStart)
    return { line, column: (map.columns[index - 1] ?? 0) + 1 };
  // A point on an earlier line: lines are kept, and a copied line starts at column 1.
  if (at < lineStart) return { line, column: kind === PositionKind.Copy ? column : 1 };
  const original = map.columns[index] ?? 0;
  return { line, column: kind === PositionKind.Copy ? original + (offset - at) + 1 : original + 1 };
}
