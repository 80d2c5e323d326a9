// Single npm versions (semver 2.0.0 as npm reads it: a leading `v` is allowed, build metadata ignored in
// ordering).
import semver from 'semver';

export function isVersion(value: string): boolean {
  return semver.valid(value) !== null;
}

export function isStable(version: string): boolean {
  return isVersion(version) && semver.prerelease(version) === null;
}

/** Versions in semver order; anything that is not a version sorts first, among themselves by text. */
export function compare(a: string, b: string): number {
  const [va, vb] = [isVersion(a), isVersion(b)];
  if (va && vb) return semver.compare(a, b);
  if (va !== vb) return va ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function segment(version: string, index: 0 | 1 | 2): number | null {
  const parsed = semver.parse(version);
  if (parsed === null) return null;
  return [parsed.major, parsed.minor, parsed.patch][index] ?? null;
}

/** The parts of a version that a rewritten range is built from (`v2.1.0+build` → 2, 1, 0). */
export interface NewVersion {
  /** Normalised text: no `v`, no build metadata. */
  readonly text: string;
  readonly numbers: readonly [number, number, number];
  /** Without the leading `-`; empty for a stable version. */
  readonly prerelease: string;
}

export function parseNewVersion(version: string): NewVersion | null {
  const parsed = semver.parse(version);
  if (parsed === null) return null;
  return {
    text: parsed.version,
    numbers: [parsed.major, parsed.minor, parsed.patch],
    prerelease: parsed.prerelease.join('.'),
  };
}
