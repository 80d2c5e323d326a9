// Byte-range replacement: the only way Dockhand changes a file. Everything outside the ranges stays
// byte-for-byte as it was (line endings, BOM, tabs, comments, invalid UTF-8).
import type { Range } from '../core/types.js';

export interface Edit {
  range: Range; // byte offsets into the original file
  text: string; // replacement, written as UTF-8
}

/** Applies non-overlapping edits to `original`; throws on overlapping or out-of-bounds ranges. */
export function applyEdits(original: Uint8Array, edits: readonly Edit[]): Buffer {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const { range, text } of sorted) {
    if (range.start < at || range.end < range.start || range.end > original.length) {
      throw new RangeError(
        `edit range ${range.start}-${range.end} overlaps another edit or lies outside the file`,
      );
    }
    parts.push(original.subarray(at, range.start), Buffer.from(text, 'utf8'));
    at = range.end;
  }
  parts.push(original.subarray(at));
  return Buffer.concat(parts);
}
