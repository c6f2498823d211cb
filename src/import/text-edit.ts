/**
 * Rewrites of query strings (`[5m]` → `[{{window}}]`) that remember how offsets move, so that an error
 * found later at an offset of the rewritten query is shown at the right column of the original.
 */
export interface Edit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

export interface EditedText {
  readonly text: string;
  /** Offset in `text` → offset in the original; offsets inside an insertion map to the replaced range's start. */
  readonly toOriginal: (offset: number) => number;
}

export function unedited(text: string): EditedText {
  return { text, toOriginal: (o) => o };
}

/** Applies non-overlapping edits (in any order) to `original`. */
export function applyEdits(original: string, edits: readonly Edit[]): EditedText {
  const sorted = [...edits].sort((a, b) => a.from - b.from);
  // Segments of the new text: copied ones map linearly, inserted ones map to their edit's start.
  const segments: Array<{ newFrom: number; newTo: number; origFrom: number; copied: boolean }> = [];
  let text = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.from < pos) throw new RangeError('overlapping edits');
    const kept = original.slice(pos, e.from);
    segments.push({ newFrom: text.length, newTo: text.length + kept.length, origFrom: pos, copied: true });
    text += kept;
    segments.push({ newFrom: text.length, newTo: text.length + e.insert.length, origFrom: e.from, copied: false });
    text += e.insert;
    pos = e.to;
  }
  const rest = original.slice(pos);
  segments.push({ newFrom: text.length, newTo: text.length + rest.length, origFrom: pos, copied: true });
  text += rest;
  const toOriginal = (offset: number): number => {
    for (const s of segments) {
      if (offset >= s.newFrom && offset < s.newTo) return s.copied ? s.origFrom + (offset - s.newFrom) : s.origFrom;
    }
    return original.length;
  };
  return { text, toOriginal };
}
