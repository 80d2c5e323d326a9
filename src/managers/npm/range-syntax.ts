// Whether a text is an npm range or version, read as npm reads package.json: node-semver in loose mode
// (`>= 1.2`, `v1.2.3`, `=1.0.0`).
import semver from 'semver';

const LOOSE = { loose: true } as const;

// The common case, one comparator (`^4.17.21`, `~1.2`, `>=18`, `1.2.3-beta.1`), without semver's Range
// construction, which costs tens of microseconds per value. Anchored, each part deterministic: linear.
const SIMPLE =
  /^(?:[~^]|[<>]=?|=)?v?(?:0|[1-9]\d*|[xX*])(?:\.(?:0|[1-9]\d*|[xX*])(?:\.(?:0|[1-9]\d*|[xX*])(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;

/** Whether `text` is a valid npm range (an exact version is a range too). */
export function isValidRange(text: string): boolean {
  return SIMPLE.test(text) || semver.validRange(text, LOOSE) !== null;
}

/** Whether `text` names one exact version (`1.2.3`, `=v1.2.3-beta.1`). */
export function isExactVersion(text: string): boolean {
  return semver.valid(text, LOOSE) !== null;
}

/** Whether the locked `version` is one the manifest's `range` admits; true when either cannot be read. */
export function admits(range: string, version: string): boolean {
  if (semver.valid(version, LOOSE) === null || semver.validRange(range, LOOSE) === null) return true;
  return semver.satisfies(version, range, { loose: true, includePrerelease: true });
}
