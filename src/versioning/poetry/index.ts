// The `poetry` versioning: Poetry's constraints (pyproject `[tool.poetry]`), compared and selected as
// PEP 440 (Poetry's own semantics), new values written in the constraint's own style.
import { maxSatisfying } from '@renovatebot/pep440';
import { pep440 } from '../pep440/index.js';
import { admits } from '../pep440/new-value.js';
import { parseVersion } from '../pep440/version.js';
import type { RangeVersioning } from '../types.js';
import { parseConstraint, toPep440, type PoetryClause } from './constraint.js';

function matches(version: string, range: string): boolean {
  const alternatives = parseConstraint(range);
  return (
    pep440.isVersion(version) &&
    alternatives !== null &&
    alternatives.some((clauses) => admits(toPep440(clauses), version.trim()))
  );
}

/** `version` cut or zero-padded to `n` release segments. */
function atPrecision(version: string, n: number): string {
  const release = parseVersion(version)?.release ?? [0];
  return Array.from({ length: n }, (_, i) => release[i] ?? 0).join('.');
}

/** The new clause for `^`/`~`/bare/`X.*` in the clause's own style; null for other kinds. */
function restyle(clause: PoetryClause, newVersion: string): string | null {
  const stable = pep440.isStable(newVersion);
  switch (clause.kind) {
    case 'caret':
    case 'tilde': {
      const n = parseVersion(clause.version)?.release.length ?? 1;
      // A pre-release keeps its full form: cut, it would fall below its own floor.
      return `${clause.kind === 'caret' ? '^' : '~'}${stable ? atPrecision(newVersion, n) : newVersion}`;
    }
    case 'exact':
      return newVersion;
    case 'wildcard':
      return `${atPrecision(newVersion, parseVersion(clause.version)?.release.length ?? 1)}.*`;
    default:
      return null;
  }
}

export const poetry: RangeVersioning = {
  id: 'poetry',
  isVersion: pep440.isVersion,
  isValid: (value) => parseConstraint(value) !== null,
  isSingleVersion(value) {
    const alternatives = parseConstraint(value);
    if (alternatives?.length !== 1 || alternatives[0]!.length !== 1) return false;
    const clause = alternatives[0]![0]!;
    return clause.kind === 'exact' || (clause.kind === 'pep440' && pep440.isSingleVersion(clause.text));
  },
  isStable: pep440.isStable,
  compare: pep440.compare,
  getMajor: pep440.getMajor,
  getMinor: pep440.getMinor,
  getPatch: pep440.getPatch,
  matches,
  getSatisfyingVersion(versions, range) {
    const alternatives = parseConstraint(range);
    if (alternatives === null) return null;
    const found = alternatives
      .map((clauses) => maxSatisfying(versions.filter(pep440.isVersion), toPep440(clauses)))
      .filter((v): v is string => v !== null);
    return found.sort(pep440.compare).at(-1) ?? null;
  },
  getNewValue({ currentValue, rangeStrategy, currentVersion, newVersion }) {
    const alternatives = parseConstraint(currentValue);
    const version = newVersion.trim();
    if (alternatives === null || !pep440.isVersion(version)) return null;
    if (rangeStrategy === 'pin') return version;
    const inRange = matches(version, currentValue);
    if ((rangeStrategy !== 'bump' && inRange) || rangeStrategy === 'in-range-only')
      return inRange ? currentValue : null;
    const single = alternatives.length === 1 && alternatives[0]!.length === 1 ? alternatives[0]![0]! : null;
    if (single?.kind === 'any') return currentValue;
    let result: string | null = null;
    if (single && single.kind !== 'pep440') {
      const next = restyle(single, version);
      // widen keeps what was in and adds the new series: `^1.0` → `^1.0 || ^2.0`.
      result =
        next && rangeStrategy === 'widen' && single.kind !== 'exact'
          ? `${currentValue.trim()} || ${next}`
          : next;
    } else if (
      single?.kind === 'pep440' ||
      (alternatives.length === 1 && alternatives[0]!.every((c) => c.kind === 'pep440'))
    ) {
      // Plain PEP 440 comparison clauses, written the PEP 440 way (`>=1.2,<2`).
      result = pep440.getNewValue({
        currentValue,
        rangeStrategy,
        newVersion: version,
        ...(currentVersion && { currentVersion }),
      });
    }
    return result !== null && matches(version, result) ? result : null;
  },
};

export { parseConstraint, toPep440 } from './constraint.js';
