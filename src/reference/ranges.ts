import type { Range } from '../core/types.js';
import type { ImageReference } from './parse.js';

/**
 * Edit ranges of a parsed reference whose text starts at `offsetInFile` in the file.
 *
 * - `tagRange` covers the tag text, without the `:`; without a tag it is the empty range right after
 *   the name, where `:tag` would be inserted.
 * - `digestRange` covers the digest text `algo:hex`, without the `@`; without a digest it is the empty
 *   range where `@digest` would be inserted: after the tag, or after the name when there is no tag.
 *
 * Writing a dependency's own `tag` / `digest` over its non-empty ranges gives back the same text.
 * Only meaningful when the reference text appears literally (unescaped, on one line) in the file.
 */
export function referenceRanges(
  ref: ImageReference,
  offsetInFile: number,
): { tagRange: Range; digestRange: Range } {
  const tagStart = offsetInFile + (ref.tagStart === null ? ref.nameEnd : ref.tagStart + 1);
  const tagEnd = ref.tag === null ? tagStart : tagStart + ref.tag.length;
  const digestStart = ref.digestStart === null ? tagEnd : offsetInFile + ref.digestStart + 1;
  const digestEnd = ref.digest === null ? digestStart : digestStart + ref.digest.length;
  return { tagRange: { start: tagStart, end: tagEnd }, digestRange: { start: digestStart, end: digestEnd } };
}
