/**
 * A list of text edits on the original source, applied in one pass with slice/join (measured
 * ~16x faster than magic-string for this workload). Edits never overlap except that a
 * composite edit may contain others: those are skipped where they stand and rendered only where
 * a piece of the composite asks for their range (used to move a `for await` head).
 */

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

  /** Replaces source range [start, end) with `text`. */
  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, seq: this.edits.length, text, pieces: null });
  }

  /** Inserts `text` at `at`; insertions at one offset come out in the order they were made. */
  insert(at: number, text: string): void {
    this.edits.push({ start: at, end: at, seq: this.edits.length, text, pieces: null });
  }

  /** Replaces [start, end) with `pieces`; edits inside [start, end) are dropped unless a piece renders them. */
  composite(start: number, end: number, pieces: readonly Piece[]): void {
    this.edits.push({ start, end, seq: this.edits.length, text: '', pieces });
  }

  get size(): number {
    return this.edits.length;
  }

  /** The source text with every edit applied. */
  apply(text: string): string {
    const edits = this.edits;
    if (edits.length === 0) return text;
    edits.sort(compareEdits);
    const out: string[] = [];
    renderRange(text, edits, 0, 0, text.length, out);
    return out.join('');
  }
}

function renderRange(
  text: string,
  edits: readonly Edit[],
  first: number,
  from: number,
  to: number,
  out: string[],
): void {
  let pos = from;
  for (let i = first; i < edits.length; i++) {
    const edit = edits[i]!;
    if (edit.start > to || (edit.start === to && edit.end > to)) break;
    // Inside an edit already applied (a composite's own range): skip.
    if (edit.start < pos) continue;
    if (edit.start > pos) out.push(text.slice(pos, edit.start));
    if (edit.pieces === null) {
      out.push(edit.text);
    } else {
      for (const piece of edit.pieces) {
        if (typeof piece === 'string') out.push(piece);
        else renderRange(text, edits, lowerBound(edits, piece.start), piece.start, piece.end, out);
      }
    }
    pos = edit.end;
  }
  if (pos < to) out.push(text.slice(pos, to));
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
