// PEP 440 versions through @renovatebot/pep440: parsing (case and spelling normalised, so `1.0.0RC1` is
// `1.0.0rc1`), order, stability and release segments.
import { compare as pepCompare, explain, type Pep440Version } from '@renovatebot/pep440';

/** Longest value read: the library's patterns are not linear-time, and no real version is this long. */
export const MAX_LENGTH = 256;

export function parseVersion(value: string): Pep440Version | null {
  if (value.length > MAX_LENGTH) return null;
  return explain(value.trim());
}

export function isVersion(value: string): boolean {
  return parseVersion(value) !== null;
}

/** Pre-releases and dev releases are not stable; post releases and local versions are. */
export function isStable(value: string): boolean {
  const version = parseVersion(value);
  return version !== null && !version.is_prerelease && !version.is_devrelease;
}

/** Total order; values that are not versions sort first, among themselves by text. */
export function compare(a: string, b: string): number {
  const va = parseVersion(a) !== null;
  const vb = parseVersion(b) !== null;
  if (va && vb) return pepCompare(a.trim(), b.trim());
  if (va !== vb) return va ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Release segment `index` (missing trailing segments are 0, as PEP 440 pads them). */
export function segment(value: string, index: number): number | null {
  const version = parseVersion(value);
  return version === null ? null : (version.release[index] ?? 0);
}
