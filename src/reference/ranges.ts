import type { Range } from '../core/types.js';
import type { ImageReference } from './parse.js';

/**
 * Edit ranges of a parsed reference whose text starts at `offsetInFile` in the file.
 *
 * - `tagRange` covers `:tag` including the colon; without a tag it is the empty range at the
 *   insertion point right after the name.
 * - `digestRange` covers `@algo:hex` including the `@`; without a digest it is the empty range at
 *   the insertion point after the tag (or after the name when there is no tag either).
 *
 * Only meaningful when the reference text appears literally (unescaped, on one line) in the file.
 */
export function referenceRanges(
  ref: ImageReference,
  offsetInFile: number,
): { tagRange: Range; digestRange: Range } {
  const tagStart = offsetInFile + (ref.tagStart ?? ref.nameEnd);
  const tagEnd = ref.tag === null ? tagStart : tagStart + 1 + ref.tag.length;
  const digestStart = ref.digestStart === null ? tagEnd : offsetInFile + ref.digestStart;
  const digestEnd = ref.digest === null ? digestStart : digestStart + 1 + ref.digest.length;
  return { tagRange: { start: tagStart, end: tagEnd }, digestRange: { start: digestStart, end: digestEnd } };
}
