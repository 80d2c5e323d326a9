// getNewValue for npm ranges: the rangeStrategy meanings of src/versioning/types.ts, applied comparator by
// comparator so that operators, precision, `v`, wildcards and spacing stay as written. Every result is
// checked to admit the new version by semver's own rules; when it cannot be made to (a `>` floor, an
// x-range asked for a pre-release, a ceiling that cannot be stepped), null: nothing is proposed rather than
// a value that does not install what the update says.
import semver from 'semver';
import type { RangeStrategy } from '../types.js';
import { admitsAlone, boundOf, moveFloor, raiseCeiling, significance } from './move.js';
import {
  exactComparator,
  isValidRange,
  parseRange,
  renderAlternative,
  renderComparator,
  renderRange,
  type Alternative,
  type Comparator,
  type Range,
} from './range.js';
import { parseNewVersion, type NewVersion } from './version.js';

export interface NewValueChange {
  currentValue: string;
  rangeStrategy: Exclude<RangeStrategy, 'auto'>;
  /** Not needed: the written range and the new version decide. */
  currentVersion?: string;
  newVersion: string;
}

export function getNewValue(change: NewValueChange): string | null {
  const { currentValue, rangeStrategy } = change;
  const version = parseNewVersion(change.newVersion.trim());
  if (version === null || !isValidRange(currentValue)) return null;
  const inRange = semver.satisfies(version.text, currentValue);
  if (rangeStrategy === 'pin') return pin(currentValue, version);
  if (rangeStrategy === 'in-range-only' || (inRange && rangeStrategy !== 'bump')) {
    return inRange ? currentValue : null;
  }
  // Only rewriting needs the written structure: a range semver reads but this module cannot (an empty
  // `||` alternative…) is still pinned or kept above.
  const range = parseRange(currentValue);
  if (range === null) return null;
  let moved: Range | null;
  switch (rangeStrategy) {
    case 'update-lockfile':
    case 'replace':
      moved = replace(range, version);
      break;
    case 'widen':
      moved = widen(range, version);
      break;
    case 'bump':
      moved = bump(range, version);
      break;
  }
  if (moved === null) return null;
  const value = renderRange(moved);
  return semver.validRange(value) !== null && semver.satisfies(version.text, value) ? value : null;
}

/** The exact version; `=1.2.3` and `v1.2.3` keep their `=` or `v`, any range becomes the bare version. */
function pin(currentValue: string, version: NewVersion): string {
  const exact = exactComparator(parseRange(currentValue));
  if (exact === null) return version.text;
  const numbers = [...version.numbers];
  return renderComparator({
    ...exact,
    version: { ...exact.version, numbers, prerelease: version.prerelease, build: '' },
  });
}

/** Floors rise to the new version at their written precision; ceilings move only if it lies past them. */
function bumpAlternative(alternative: Alternative, version: NewVersion): Alternative | null {
  return mapComparators(alternative, (comparator) => {
    const n = comparator.version.numbers.length;
    switch (boundOf(comparator)) {
      case 'floor':
        return moveFloor(comparator, version, n);
      case 'strict-floor':
        return null; // `>X` cannot be raised to the new version without becoming `>=`
      case 'ceiling':
        return admitsAlone(comparator, version) ? comparator : raiseCeiling(comparator, version);
      case 'inclusive-ceiling':
        return admitsAlone(comparator, version) ? comparator : moveFloor(comparator, version, n);
    }
  });
}

/** Only comparators that exclude the new version move, floors as specific as they were written. */
function replaceAlternative(alternative: Alternative, version: NewVersion): Alternative | null {
  return mapComparators(alternative, (comparator) => {
    if (admitsAlone(comparator, version)) return comparator;
    switch (boundOf(comparator)) {
      case 'floor':
        return moveFloor(comparator, version, significance(comparator, version));
      case 'strict-floor':
        return null;
      case 'ceiling':
        return raiseCeiling(comparator, version);
      case 'inclusive-ceiling':
        return moveFloor(comparator, version, comparator.version.numbers.length);
    }
  });
}

/** bump: the alternative that admits the version rises in place; if none does, the last one alone. */
function bump(range: Range, version: NewVersion): Range | null {
  const alternatives = range.alternatives;
  const admitting = alternatives.findLastIndex((a) => semver.satisfies(version.text, renderAlternative(a)));
  if (admitting === -1) return alone(range, bumpAlternative(alternatives.at(-1) ?? [], version));
  const moved = bumpAlternative(alternatives[admitting] ?? [], version);
  return moved && { ...range, alternatives: alternatives.map((a, i) => (i === admitting ? moved : a)) };
}

/** replace: the last alternative rewritten is the new range (`^1.0.0 || ^2.0.0` + 3.1.0 → `^3.0.0`). */
function replace(range: Range, version: NewVersion): Range | null {
  return alone(range, replaceAlternative(range.alternatives.at(-1) ?? [], version));
}

/**
 * widen: the last alternative is replaced in place when that only widens it (`<2` → `<3`, `1 - 2` →
 * `1 - 3`, `>=1.2.3` → `>=1.2.1`); otherwise the replaced form is appended (`^1.0.0 || ^2.0.0`).
 */
function widen(range: Range, version: NewVersion): Range | null {
  const alternatives = range.alternatives;
  const last = alternatives.at(-1) ?? [];
  const moved = replaceAlternative(last, version);
  if (moved === null) return null;
  if (semver.subset(renderAlternative(last), renderAlternative(moved))) {
    return { ...range, alternatives: [...alternatives.slice(0, -1), moved] };
  }
  return {
    ...range,
    alternatives: [...alternatives, moved],
    separators: [...range.separators, range.separators.at(-1) ?? ' || '],
  };
}

function alone(range: Range, alternative: Alternative | null): Range | null {
  return alternative && { ...range, alternatives: [alternative], separators: [] };
}

function mapComparators(
  alternative: Alternative,
  move: (comparator: Comparator) => Comparator | null,
): Alternative | null {
  const moved: (Comparator | string)[] = [];
  for (const part of alternative) {
    if (typeof part === 'string') moved.push(part);
    else {
      const next = move(part);
      if (next === null) return null;
      moved.push(next);
    }
  }
  return moved;
}
