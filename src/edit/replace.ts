// Byte-range replacement: the only way Dockhand changes a file. Everything outside the ranges stays
// byte-for-byte as it was (line endings, BOM, tabs, comments, invalid UTF-8).
import type { Range } from '../core/types.js';

export interface Edit {
  range: Range; // byte offsets into the original file
  text: string; // replacement, written as UTF-8
  /** What the range must hold now; an edit planned against other bytes is refused, not misapplied. */
  expect?: string;
}

/** The file is not what the edits were planned against (it changed since the scan). */
export class StaleEditError extends Error {}

/**
 * Applies non-overlapping edits to `original`; identical edits (one ARG feeding two FROMs) count once.
 * Throws RangeError on overlapping or out-of-bounds ranges and StaleEditError when `expect` fails.
 */
export function applyEdits(original: Uint8Array, edits: readonly Edit[]): Buffer {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const parts: Uint8Array[] = [];
  let at = 0;
  let previous: Edit | undefined;
  for (const edit of sorted) {
    const { range, text, expect } = edit;
    if (previous && sameEdit(previous, edit)) continue;
    previous = edit;
    if (range.start < at || range.end < range.start || range.end > original.length) {
      throw new RangeError(
        `edit range ${range.start}-${range.end} overlaps another edit or lies outside the file`,
      );
    }
    if (
      expect !== undefined &&
      Buffer.from(original.subarray(range.start, range.end)).toString('utf8') !== expect
    ) {
      throw new StaleEditError(`expected "${expect}" at bytes ${range.start}-${range.end}: the file changed`);
    }
    parts.push(original.subarray(at, range.start), Buffer.from(text, 'utf8'));
    at = range.end;
  }
  parts.push(original.subarray(at));
  return Buffer.concat(parts);
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.range.start === b.range.start && a.range.end === b.range.end && a.text === b.text;
}
