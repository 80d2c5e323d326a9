// What a planner needs from an ecosystem's version scheme. A versioning only compares and selects; the
// planner decides (ignore rules, allowedVersions, release age, grouping). Everything here is pure.

/** How far an update moves. `suffix`: only a version-bearing compatibility suffix moved (opt-in). */
export type VersionUpdateType = 'major' | 'minor' | 'patch' | 'suffix';

export interface SelectOptions {
  /** Normalised dependency name (`docker.io/library/node`): selects per-package policies such as LTS majors. */
  depName?: string;
  /** Also offer majors that a package policy marks as not long-term-supported (odd Node majors…). */
  allowNonLts?: boolean;
  /** Allow a newer version of a version-bearing suffix of the same family (`alpine3.19` → `alpine3.20`). */
  moveSuffix?: boolean;
}

/** The highest candidate of each update type; a type is absent when nothing qualifies. */
export type UpdateCandidates = Partial<Record<VersionUpdateType, string>>;

export interface Versioning {
  readonly id: string;
  /** A comparable version of this scheme (false for `latest`, codenames, commit hashes…). */
  isVersion(value: string): boolean;
  /** A version without a prerelease marker; false for anything that is not a version. */
  isStable(value: string): boolean;
  /**
   * `candidate` could replace `current` without changing what kind of artifact is used (same prefix style,
   * precision and suffix). Says nothing about which is newer; stability is not part of compatibility.
   */
  isCompatible(current: string, candidate: string): boolean;
  /**
   * A total order for sorting (negative, 0, positive). Across incompatible values it is only a sort order,
   * not an upgrade relation: use `isCompatible` or `getUpdateType` for that. Non-versions sort first.
   */
  compare(a: string, b: string): number;
  getMajor(value: string): number | null;
  getMinor(value: string): number | null;
  getPatch(value: string): number | null;
  /** The kind of move from `current` to a compatible, newer `candidate`; null otherwise. */
  getUpdateType(current: string, candidate: string): VersionUpdateType | null;
  /** The best candidate per update type among `available` (a registry's tag list, any order). */
  selectUpdates(current: string, available: Iterable<string>, options?: SelectOptions): UpdateCandidates;
}

/**
 * How a range is moved when a newer version is taken (Renovate's `rangeStrategy`): `pin` writes the exact
 * version, `bump` raises the range's floor, `replace` rewrites the range only when the version falls
 * outside it, `widen` extends it (`^1.0.0` → `^1.0.0 || ^2.0.0`), `update-lockfile` moves only the
 * lockfile while the range admits the version (else `replace`), `in-range-only` never leaves the range.
 * `auto` picks per dependency type (see src/plan/range-strategy.ts).
 */
export const RANGE_STRATEGIES = [
  'auto',
  'pin',
  'bump',
  'replace',
  'widen',
  'update-lockfile',
  'in-range-only',
] as const;
export type RangeStrategy = (typeof RANGE_STRATEGIES)[number];

/** A versioning for ecosystems whose values are ranges or specifiers (npm semver, PEP 440). Pure. */
export interface RangeVersioning {
  readonly id: string;
  /** A single version of this scheme (`4.18.2`, `2.31.0`). */
  isVersion(value: string): boolean;
  /** A range or specifier this scheme can read (`^4.18.0`, `>=2.31,<3`, `==2.31.0`, `4.18.2`). */
  isValid(value: string): boolean;
  /** The value admits exactly one version (`4.18.2`, `==2.31.0`). */
  isSingleVersion(value: string): boolean;
  /** A version without a prerelease (or dev) part. */
  isStable(version: string): boolean;
  /** Total order of versions (negative, 0, positive). */
  compare(a: string, b: string): number;
  getMajor(version: string): number | null;
  getMinor(version: string): number | null;
  getPatch(version: string): number | null;
  /** `version` satisfies `range`. */
  matches(version: string, range: string): boolean;
  /** The highest of `versions` that satisfies `range`, or null. */
  getSatisfyingVersion(versions: readonly string[], range: string): string | null;
  /**
   * The value to write so that `newVersion` is taken, keeping the written style (operator, precision,
   * spacing) where the strategy allows; null when the strategy cannot express it (then nothing is proposed).
   */
  getNewValue(change: {
    currentValue: string;
    rangeStrategy: Exclude<RangeStrategy, 'auto'>;
    currentVersion?: string;
    newVersion: string;
  }): string | null;
}
