// getNewValue for PEP 440 specifiers: the rangeStrategy meanings of src/versioning/types.ts applied clause
// by clause, keeping operators, spacing and the precision each version was written with (`>=2.28` →
// `>=2.31`, `<3` → `<4`). Every result is checked to admit the new version; when it cannot be made to
// (a `>X` floor passed by a downgrade, a `===` on a name…), null: nothing is proposed rather than a
// value that does not install what the update says.
import { satisfies } from '@renovatebot/pep440';
import type { RangeStrategy } from '../types.js';
import { formatSpecifier, parseSpecifier, type Clause } from './specifier.js';
import { parseVersion } from './version.js';

export interface NewValueChange {
  currentValue: string;
  rangeStrategy: Exclude<RangeStrategy, 'auto'>;
  currentVersion?: string;
  newVersion: string;
}

/** Whether `specifier` admits `version`, pre-releases included (the caller chose the version). */
export function admits(specifier: string, version: string): boolean {
  return satisfies(version, specifier, { prereleases: true });
}

export function getNewValue(change: NewValueChange): string | null {
  const { currentValue, rangeStrategy } = change;
  const newVersion = change.newVersion.trim();
  const clauses = parseSpecifier(currentValue);
  if (clauses === null || parseVersion(newVersion) === null) return null;
  if (rangeStrategy === 'pin') return `==${newVersion}`;
  const inRange = admits(currentValue, newVersion);
  let moved: Clause[];
  switch (rangeStrategy) {
    case 'in-range-only':
      return inRange ? currentValue : null;
    case 'update-lockfile':
    case 'replace':
      if (inRange) return currentValue;
      moved = clauses.flatMap((clause) => replaceClause(clause, newVersion));
      break;
    case 'widen':
      if (inRange) return currentValue;
      moved = clauses.flatMap((clause) => widenClause(clause, newVersion));
      break;
    case 'bump':
      moved = clauses.flatMap((clause) => bumpClause(clause, newVersion));
      break;
  }
  if (moved.length === 0) return null;
  const value = formatSpecifier(moved);
  return parseSpecifier(value) !== null && admits(value, newVersion) ? value : null;
}

/** bump: every floor rises to the new version (at its written precision); ceilings move only if passed. */
function bumpClause(clause: Clause, newVersion: string): Clause[] {
  switch (clause.operator) {
    case '>=':
      return [{ ...clause, version: floorAt(newVersion, precision(clause.version)) }];
    case '~=':
    case '==':
    case '===':
      return replaceClause(clause, newVersion, true);
    default:
      return replaceClause(clause, newVersion);
  }
}

/** replace: a clause is rewritten only when it excludes the new version. */
function replaceClause(clause: Clause, newVersion: string, force = false): Clause[] {
  if (!force && admits(formatSpecifier([{ ...clause, lead: '', tail: '' }]), newVersion)) return [clause];
  const n = precision(clause.version);
  switch (clause.operator) {
    case '===':
    case '==':
      return [{ ...clause, version: clause.wildcard ? truncate(newVersion, n) : newVersion }];
    case '~=':
      return [{ ...clause, version: floorAt(newVersion, n) }];
    case '>=':
      return [{ ...clause, version: floorAt(newVersion, n) }];
    case '<':
      return [{ ...clause, version: exclusiveCeiling(clause.version, newVersion) }];
    case '<=':
      return [{ ...clause, version: inclusiveCeiling(newVersion, n) }];
    case '!=':
      return []; // an exclusion of the very version taken is dropped
    case '>':
      return [clause]; // cannot be raised without changing its meaning; the final check refuses
  }
}

/** widen: like replace, but `~=X` and `==X.*` become `>=X,<ceiling`, so that older versions stay in. */
function widenClause(clause: Clause, newVersion: string): Clause[] {
  const compatible = clause.operator === '~=' || (clause.operator === '==' && clause.wildcard);
  if (!compatible || admits(formatSpecifier([clause]), newVersion)) return replaceClause(clause, newVersion);
  const release = clause.version.split('.');
  // `~=2.28.0` means `<2.29`; `==2.28.*` means `<2.29` too.
  const implied = clause.operator === '~=' ? release.slice(0, -1) : release;
  const ceiling = exclusiveCeiling(bumpLast(implied.join('.')), newVersion);
  return [
    { ...clause, operator: '>=', wildcard: false, tail: '' },
    { ...clause, operator: '<', version: ceiling, wildcard: false, lead: '' },
  ];
}

/** Release segments written (`2.28` → 2); epoch, pre, post and dev parts do not count. */
function precision(version: string): number {
  return parseVersion(version)?.release.length ?? 1;
}

function release(version: string): { epoch: number; release: number[] } {
  const parsed = parseVersion(version);
  return { epoch: parsed?.epoch ?? 0, release: parsed?.release ?? [0] };
}

function render(epoch: number, segments: readonly number[]): string {
  return `${epoch ? `${epoch}!` : ''}${segments.join('.')}`;
}

/** The new version's release cut or zero-padded to `n` segments. */
function truncate(version: string, n: number): string {
  const { epoch, release: r } = release(version);
  return render(
    epoch,
    Array.from({ length: n }, (_, i) => r[i] ?? 0),
  );
}

/** A floor at `n` segments that still admits the version (a pre-release keeps its full form). */
function floorAt(version: string, n: number): string {
  const cut = truncate(version, n);
  return admits(`>=${cut}`, version) ? cut : version;
}

/** An inclusive ceiling at `n` segments that admits the version, else the version itself. */
function inclusiveCeiling(version: string, n: number): string {
  const cut = truncate(version, n);
  return admits(`<=${cut}`, version) ? cut : version;
}

/**
 * `<old` raised past the version, moving the segment the old ceiling moved (its last non-zero one) and
 * keeping its length: `<3` → `<4`, `<3.0` → `<4.0`, `<2.5` with 2.7.1 → `<2.8`.
 */
function exclusiveCeiling(old: string, version: string): string {
  const written = release(old).release;
  let k = written.length - 1;
  while (k > 0 && written[k] === 0) k--;
  const { epoch, release: r } = release(version);
  const next = Array.from({ length: written.length }, (_, i) =>
    i < k ? (r[i] ?? 0) : i === k ? (r[i] ?? 0) + 1 : 0,
  );
  return render(epoch, next);
}

/** `2.28` → `2.29`: the ceiling a compatible-release or prefix clause implies. */
function bumpLast(version: string): string {
  const { epoch, release: r } = release(version);
  return render(
    epoch,
    r.map((s, i) => (i === r.length - 1 ? s + 1 : s)),
  );
}
