// Moving one comparator so that it admits a new version, at the precision it was written with. Each
// function returns null when the comparator cannot be moved without changing its operator.
import semver from 'semver';
import { renderPartial, type Comparator, type PartialVersion } from './range.js';
import type { NewVersion } from './version.js';

/**
 * What a comparator bounds: a `floor` (`>=`, `^`, `~`, an exact or x-range, a hyphen's start: raising it
 * to the new version keeps its meaning), a `strict-floor` (`>`: cannot name the new version), a `ceiling`
 * (`<`) or an `inclusive-ceiling` (`<=`, a hyphen's end).
 */
export type Bound = 'floor' | 'strict-floor' | 'ceiling' | 'inclusive-ceiling';

export function boundOf(comparator: Comparator): Bound {
  if (comparator.hyphen === 'from') return 'floor';
  if (comparator.hyphen === 'to') return 'inclusive-ceiling';
  switch (comparator.operator) {
    case '<':
      return 'ceiling';
    case '<=':
      return 'inclusive-ceiling';
    case '>':
      return 'strict-floor';
    default:
      return 'floor';
  }
}

/** The comparator on its own admits the version (semver's pre-release rule included). */
export function admitsAlone(comparator: Comparator, version: NewVersion): boolean {
  const operator =
    comparator.hyphen === 'from' ? '>=' : comparator.hyphen === 'to' ? '<=' : comparator.operator;
  return semver.satisfies(version.text, `${operator}${renderPartial(comparator.version)}`);
}

/**
 * The new version cut to the comparator's written precision, keeping the first `keep` segments and zeroing
 * the rest (`^1.2.0`, keep 2, 2.1.5 → `^2.1.0`); the least `keep` from `keepFrom` up that admits the
 * version. A pre-release is admitted only by a comparator naming it, so then the full version is written.
 */
export function moveFloor(comparator: Comparator, version: NewVersion, keepFrom: number): Comparator | null {
  const written = comparator.version;
  const n = written.numbers.length;
  for (let keep = Math.min(keepFrom, n); keep <= n; keep++) {
    const numbers = written.numbers.map((_, i) => (i < keep ? version.numbers[i] : 0) ?? 0);
    const moved = withVersion(comparator, { ...written, numbers, prerelease: '', build: '' });
    if (admitsAlone(moved, version)) return moved;
  }
  if (written.wildcards.length > 0) return null; // `1.x` cannot name a pre-release
  const full = withVersion(comparator, {
    ...written,
    numbers: [...version.numbers],
    prerelease: version.prerelease,
    build: '',
  });
  return admitsAlone(full, version) ? full : null;
}

/** Index of the last non-zero segment written (0 when all are zero). */
function lastNonZero(numbers: readonly number[]): number {
  let k = numbers.length - 1;
  while (k > 0 && numbers[k] === 0) k--;
  return Math.max(k, 0);
}

function leadingZeros(numbers: readonly number[]): number {
  const k = numbers.findIndex((n) => n !== 0);
  return k === -1 ? numbers.length : k;
}

/**
 * How many leading segments of the new version a replaced floor keeps: as many significant ones as the
 * written floor had, counted from the first non-zero one (`^1.2.0`: 2, so 2.1.5 → `^2.1.0`; `^0.2.0`:
 * 1, so 0.5.6 → `^0.5.0` and 1.5.6 → `^1.0.0`).
 */
export function significance(comparator: Comparator, version: NewVersion): number {
  const numbers = comparator.version.numbers;
  if (numbers.length === 0) return 0;
  const significant = lastNonZero(numbers) + 1 - Math.min(leadingZeros(numbers), lastNonZero(numbers));
  return leadingZeros(version.numbers) + significant;
}

/**
 * `<old` moved past the version, stepping the segment the old ceiling stepped (its last non-zero one) and
 * keeping its length and any pre-release tag: `<2.0.0` → `<3.0.0`, `<2` → `<3`, `<1.5` with 1.7.2 → `<1.8`,
 * `<2.0.0-0` → `<3.0.0-0`.
 */
export function raiseCeiling(comparator: Comparator, version: NewVersion): Comparator | null {
  const written = comparator.version;
  const n = written.numbers.length;
  if (n === 0) return null;
  const k = lastNonZero(written.numbers);
  const numbers = written.numbers.map((_, i) => {
    const segment = version.numbers[i] ?? 0;
    return i < k ? segment : i === k ? segment + 1 : 0;
  });
  const moved = withVersion(comparator, { ...written, numbers, build: '' });
  return admitsAlone(moved, version) ? moved : null;
}

function withVersion(comparator: Comparator, version: PartialVersion): Comparator {
  return { ...comparator, version };
}
