/**
 * A list of text edits on the original source, applied in one pass with slice/join (measured
 * ~16x faster than magic-string for this workload). Edits never overlap except that a
 * composite edit may contain others: those are skipped where they stand and rendered only where
 * a piece of the composite asks for their range (used to move a `for await` head).
 */

import { PositionKind, type RawPoints } from './positions.js';

/** A range of the original text to render (with the edits inside it) as part of a composite. */
export interface RenderRange {
  readonly start: number;
  readonly end: number;
}

/** A composite edit's output: literal text or a rendered range of the source. */
export type Piece = string | RenderRange;

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly seq: number;
  readonly text: string;
  readonly pieces: readonly Piece[] | null;
  /** The text replaces a callee (see PositionKind.Callee). */
  readonly callee: boolean;
}

// Order: by start; at one start, insertions (empty ranges) first, then the widest range first
// (so a composite comes before the edits it contains, which are then skipped), then creation order.
function compareEdits(a: Edit, b: Edit): number {
  if (a.start !== b.start) return a.start - b.start;
  const aEmpty = a.end === a.start;
  const bEmpty = b.end === b.start;
  if (aEmpty !== bEmpty) return aEmpty ? -1 : 1;
  if (a.end !== b.end) return b.end - a.end;
  return a.seq - b.seq;
}

export class EditList {
  private readonly edits: Edit[] = [];

  /**
   * Replaces source range [start, end) with `text`. `callee`: the range is a called name, so
   * the position just after the text stands for `start` in the position map.
   */
  replace(start: number, end: number, text: string, callee = false): void {
    this.edits.push({ start, end, seq: this.edits.length, text, pieces: null, callee });
  }

  /** Inserts `text` at `at`; insertions at one offset come out in the order they were made. */
  insert(at: number, text: string): void {
    this.edits.push({ start: at, end: at, seq: this.edits.length, text, pieces: null, callee: false });
  }

  /** Replaces [start, end) with `pieces`; edits inside [start, end) are dropped unless a piece renders them. */
  composite(start: number, end: number, pieces: readonly Piece[]): void {
    this.edits.push({ start, end, seq: this.edits.length, text: '', pieces, callee: false });
  }

  get size(): number {
    return this.edits.length;
  }

  /**
   * The source text with every edit applied. `points`, when given, receives the position map's
   * raw points (source/positions.ts): one wherever the rendered text stops being a copy of the
   * source at a constant distance.
   */
  apply(text: string, points?: RawPoints): string {
    const edits = this.edits;
    if (edits.length === 0) return text;
    edits.sort(compareEdits);
    const out: Render = { parts: [], length: 0, points: points ?? null, delta: 0, copying: true };
    renderRange(text, edits, 0, 0, text.length, out);
    return out.parts.join('');
  }
}

/** The rendered parts, their total length and the position points made so far. */
interface Render {
  readonly parts: string[];
  length: number;
  readonly points: RawPoints | null;
  /** Rendered offset minus source offset of the current copy (when `copying`). */
  delta: number;
  copying: boolean;
}

/** Renders source [start, end) as it is. */
function copy(out: Render, text: string, start: number, end: number): void {
  if (out.points !== null && (!out.copying || out.length - start !== out.delta)) {
    out.points.push(out.length, PositionKind.Copy, start);
    out.copying = true;
    out.delta = out.length - start;
  }
  out.parts.push(text.slice(start, end));
  out.length += end - start;
}

/** Renders `replacement` in place of source [start, end). */
function rewrite(out: Render, replacement: string, start: number, end: number, callee: boolean): void {
  // A same-length replacement (blanked declarations, `export` → spaces) keeps every column.
  if (out.points !== null && (callee || replacement.length !== end - start || !out.copying)) {
    out.points.push(out.length, callee ? PositionKind.Callee : PositionKind.Rewritten, start);
    out.copying = false;
  }
  out.parts.push(replacement);
  out.length += replacement.length;
  if (out.copying) out.delta = out.length - end;
}

function renderRange(text: string, edits: readonly Edit[], first: number, from: number, to: number, out: Render): void {
  let pos = from;
  for (let i = first; i < edits.length; i++) {
    const edit = edits[i]!;
    if (edit.start > to || (edit.start === to && edit.end > to)) break;
    // Inside an edit already applied (a composite's own range): skip.
    if (edit.start < pos) continue;
    if (edit.start > pos) copy(out, text, pos, edit.start);
    if (edit.pieces === null) {
      rewrite(out, edit.text, edit.start, edit.end, edit.callee);
    } else {
      for (const piece of edit.pieces) {
        if (typeof piece === 'string') rewrite(out, piece, edit.start, edit.start, false);
        else renderRange(text, edits, lowerBound(edits, piece.start), piece.start, piece.end, out);
      }
    }
    pos = edit.end;
  }
  if (pos < to) copy(out, text, pos, to);
}

/** Index of the first edit whose start is >= `offset`. */
function lowerBound(edits: readonly Edit[], offset: number): number {
  let lo = 0;
  let hi = edits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edits[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
