import type { DepSource, Dependency, SkipReason } from '../core/types.js';
import { depNameOf, parseReference, type ImageReference } from './parse.js';
import { referenceRanges } from './ranges.js';

/** `$VAR`, `${VAR}`, `${{ expr }}` (GitHub Actions) or `{{ … }}` (Helm / Go templates). */
const VARIABLE = /\$|\{\{/;

/**
 * Turns the text of one image reference into a `Dependency`.
 *
 * @param text   the reference as it would be pulled (after any substitution the manager did)
 * @param offset index of `text` inside the file content, or `null` when the text is not a literal
 *               of the file (built from variables, escaped, folded): then no ranges are set
 * @param line   1-based line where the reference (or the value supplying it) starts
 * @param source where the reference was found
 *
 * Skipped references keep `depName = text` and null name parts: `'empty'` for blank text,
 * `'unresolved-variable'` when the text still contains `$` or `{{`, `'invalid-reference'` when it does
 * not parse. Valid references get the normalised name and `tagRange`/`digestRange` (see
 * `referenceRanges`) when `offset` is known.
 */
export function referenceToDependency(
  text: string,
  offset: number | null,
  line: number,
  source: DepSource,
): Dependency {
  if (text.trim() === '') return skippedDependency(text, line, source, 'empty');
  if (VARIABLE.test(text)) return skippedDependency(text, line, source, 'unresolved-variable');
  const ref = parseReference(text);
  if ('error' in ref) return skippedDependency(text, line, source, 'invalid-reference');
  const dep = parsedDependency(ref, text, line, source);
  if (offset !== null) Object.assign(dep, referenceRanges(ref, offset));
  return dep;
}

/** The dependency for a valid reference (`value` is its text), without edit ranges. */
export function parsedDependency(
  ref: ImageReference,
  value: string,
  line: number,
  source: DepSource,
): Dependency {
  return {
    depName: depNameOf(ref),
    registry: ref.registry,
    repository: ref.repository,
    tag: ref.tag,
    digest: ref.digest,
    value,
    line,
    source,
  };
}

/** A dependency that cannot be looked up: `depName` is the raw text, name parts are null. */
export function skippedDependency(
  text: string,
  line: number,
  source: DepSource,
  skipReason: SkipReason,
): Dependency {
  return {
    depName: text,
    registry: null,
    repository: null,
    tag: null,
    digest: null,
    value: text,
    line,
    source,
    skipReason,
  };
}
