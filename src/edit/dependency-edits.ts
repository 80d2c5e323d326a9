// Turns "this dependency's tag/digest becomes X" into byte edits at the dependency's ranges. Ranges hold
// the tag and digest text; an empty range is where a missing one goes, written with its `:` / `@`. An
// npm or Python dependency's new range or specifier replaces its `valueRange`.
import type { Dependency, DependencyUpdate, Range } from '../core/types.js';
import type { Edit } from './replace.js';

export interface ValueChange {
  /** New tag; undefined keeps the current one. */
  tag?: string;
  /** New digest (`sha256:…`); undefined keeps the current one. */
  digest?: string;
}

export type EditsResult = { edits: Edit[] } | { error: string };

/** The edits an update makes to the file that declares the dependency. */
export function updateEdits(dep: Dependency, update: DependencyUpdate): EditsResult {
  if (update.newVersion !== undefined) return packageEdits(dep, update);
  return dependencyEdits(dep, {
    ...(update.newValue !== null && { tag: update.newValue }),
    ...(update.newDigest !== null && { digest: update.newDigest }),
  });
}

/** A package's new value in place of the written one; a lockfile-only move edits no manifest. */
function packageEdits(dep: Dependency, update: DependencyUpdate): EditsResult {
  if (update.newValue === null || update.newValue === dep.currentValue) return { edits: [] };
  if (!dep.valueRange || dep.currentValue === undefined)
    return { error: `no place to write ${dep.depName} ${update.newValue} (line ${dep.line})` };
  return { edits: [{ range: dep.valueRange, text: update.newValue, expect: dep.currentValue }] };
}

export function dependencyEdits(dep: Dependency, change: ValueChange): EditsResult {
  const edits: Edit[] = [];
  for (const [part, separator, current, range, next] of [
    ['tag', ':', dep.tag, dep.tagRange, change.tag],
    ['digest', '@', dep.digest, dep.digestRange, change.digest],
  ] as const) {
    if (next === undefined || next === current) continue;
    const edit = partEdit(separator, current, range, next);
    if (!edit) return { error: `no place to write the ${part} of ${dep.value} (line ${dep.line})` };
    edits.push(edit);
  }
  return { edits };
}

function partEdit(
  separator: string,
  current: string | null,
  range: Range | undefined,
  next: string,
): Edit | null {
  if (!range) return null;
  const empty = range.start === range.end;
  if (current === null) return empty ? { range, text: separator + next, expect: '' } : null;
  return empty ? null : { range, text: next, expect: current };
}
