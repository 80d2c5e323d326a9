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

/**
 * A package's new value in place of the written one; a lockfile-only move edits no manifest. A
 * requirement pinned with `--hash` changes only together with its hash block: a new pin under the old
 * hashes would fail `pip install --require-hashes`.
 */
function packageEdits(dep: Dependency, update: DependencyUpdate): EditsResult {
  const valueChanges = update.newValue !== null && update.newValue !== dep.currentValue;
  const hashed = (dep.hashes?.length ?? 0) > 0;
  if (!valueChanges && (!hashed || update.newHashes === undefined)) return { edits: [] };
  const edits: Edit[] = [];
  if (valueChanges) {
    if (!dep.valueRange || dep.currentValue === undefined)
      return { error: `no place to write ${dep.depName} ${update.newValue} (line ${dep.line})` };
    edits.push({ range: dep.valueRange, text: update.newValue!, expect: dep.currentValue });
  }
  if (hashed) {
    const what = `${dep.depName} ${update.newVersion ?? update.newValue} (line ${dep.line})`;
    if (!update.newHashes?.length)
      return {
        error: `${what}: the new release's hashes are unknown, so its --hash lines cannot be written`,
      };
    if (!dep.hashesRange || dep.hashesText === undefined)
      return { error: `${what}: no place to write its --hash lines (another option follows them)` };
    const text = hashBlockText(dep.hashesText, update.newHashes);
    if (text !== dep.hashesText) edits.push({ range: dep.hashesRange, text, expect: dep.hashesText });
  }
  return { edits };
}

/**
 * The `--hash` options for `hashes`, in the layout of the block they replace: what came before the first
 * `--hash` is kept; a block written across continuation lines gets one `--hash=<hash>` per line, as
 * pip-compile writes it, at the first hash's indentation and with the block's line ending; a block on
 * one line stays on one line. Hashes are sorted as pip-compile sorts them (by their text). Pure.
 */
export function hashBlockText(original: string, hashes: readonly string[]): string {
  const at = original.indexOf('--hash');
  const lead = at === -1 ? ' ' : original.slice(0, at);
  const options = [...hashes].sort(compareText).map((hash) => `--hash=${hash}`);
  if (!original.includes('\n')) return lead + options.join(' ');
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]*)--hash/.exec(original)?.[1] ?? '    ';
  return lead + options.join(` \\${eol}${indent}`);
}

/** Code-unit order, as Python's `sorted` orders ASCII strings (localeCompare would not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
