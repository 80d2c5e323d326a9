// Decides the updates of one npm or Python dependency from its registry's releases: the highest major
// and the highest minor-or-patch above the version in use (the lockfile's, else the one the written
// value pins or starts at), each written in the dependency's range style (src/plan/range-strategy.ts).
// Never proposes a deprecated or yanked release, a prerelease to a stable user, anything past npm's
// `latest` tag, a release younger than minimumReleaseAgeDays, or one whose declared runtime
// (`requires-python`, `engines.node`) excludes the runtime of the image the code ships in. Pure.
import type { UpdateType } from '../config/schema.js';
import type { Dependency, DependencyUpdate, Runtime } from '../core/types.js';
import type { Release, ReleaseResult } from '../datasources/types.js';
import type { RangeVersioning } from '../versioning/types.js';
import { isIgnored, type DependencyPolicy } from './policy.js';
import { rangeStrategyFor } from './range-strategy.js';

/** The runtime the code ships on, with the scheme its releases' constraints are written in. */
export interface RuntimeCheck extends Runtime {
  /** Reads `>=3.10`, `>=20`: pep440 for Python, npm for Node. */
  versioning: RangeVersioning;
}

export interface PackagePlan {
  updates: DependencyUpdate[];
  /** A newer release not proposed because its runtime constraint excludes the image's runtime. */
  heldBack?: { version: string; reason: string };
}

/** Declarations of what a project runs on, not dependencies to update. */
const RUNTIME_DECLARATIONS = new Set(['engines', 'requires-python', 'packageManager']);

const DAY_MS = 24 * 60 * 60 * 1000;

export function planPackage(
  dep: Dependency,
  result: ReleaseResult,
  versioning: RangeVersioning,
  policy: DependencyPolicy,
  options: { now: number; runtime?: RuntimeCheck },
): PackagePlan {
  if (!needsReleases(dep, versioning, policy)) return { updates: [] };
  const value = dep.currentValue!;
  const published = result.releases.filter(
    (release) => versioning.isVersion(release.version) && !release.isDeprecated && !release.isYanked,
  );
  // A pin to a yanked or deprecated release still says which version is in use.
  const current = currentVersion(dep, value, result.releases, versioning);
  if (current === null) return { updates: [] };

  const newer = published.filter((release) =>
    isCandidate(release, current, result, versioning, policy, options),
  );
  const { fitting, heldBack } = splitByRuntime(newer, options.runtime, versioning);
  const updates: DependencyUpdate[] = [];
  for (const { type, release } of proposals(current, fitting, versioning, policy.separateMajor)) {
    if (!policy.updateTypes.includes(type) || isIgnored(policy, type, release.version)) continue;
    const update = updateTo(dep, value, current, release, type, versioning, policy);
    if (update) updates.push(update);
  }
  const highest = updates.reduce<string | null>(
    (top, u) => (top === null || versioning.compare(u.newVersion!, top) > 0 ? u.newVersion! : top),
    null,
  );
  const kept = heldBack && (highest === null || versioning.compare(heldBack.version, highest) > 0);
  return { updates, ...(kept ? { heldBack } : {}) };
}

/** Whether the dependency is one to look up at all: a registry value its versioning reads, enabled. */
export function needsReleases(
  dep: Dependency,
  versioning: RangeVersioning,
  policy: DependencyPolicy,
): boolean {
  if (dep.skipReason || dep.currentValue === undefined || !policy.enabled) return false;
  return !RUNTIME_DECLARATIONS.has(dep.depType ?? '') && versioning.isValid(dep.currentValue);
}

/** The lockfile's version, else the one a pin names, else the lowest published version the range admits. */
function currentVersion(
  dep: Dependency,
  value: string,
  releases: readonly Release[],
  versioning: RangeVersioning,
): string | null {
  if (dep.lockedVersion && versioning.isVersion(dep.lockedVersion)) return dep.lockedVersion;
  const admitted = releases
    .map((release) => release.version)
    .filter((version) => versioning.isVersion(version) && versioning.matches(version, value))
    .sort((a, b) => versioning.compare(a, b));
  if (versioning.isSingleVersion(value)) return admitted.at(-1) ?? null;
  return admitted[0] ?? null;
}

function isCandidate(
  release: Release,
  current: string,
  result: ReleaseResult,
  versioning: RangeVersioning,
  policy: DependencyPolicy,
  options: { now: number },
): boolean {
  const { version } = release;
  if (versioning.compare(version, current) <= 0) return false;
  const stableUser = versioning.isStable(current);
  if (stableUser && !versioning.isStable(version)) return false;
  // npm's `latest` is what the publisher calls current: a stable user is not moved past it.
  const ceiling = result.latest;
  if (stableUser && ceiling && versioning.isVersion(ceiling) && versioning.compare(version, ceiling) > 0)
    return false;
  if (policy.allowedVersions && !policy.allowedVersions.test(version)) return false;
  if (policy.ignored.some((i) => i.updateTypes === null && i.versions?.test(version))) return false;
  if (policy.minimumReleaseAgeDays > 0) {
    // Without a publish date its age cannot be shown: it waits.
    const published = release.releaseTimestamp ? Date.parse(release.releaseTimestamp) : NaN;
    if (Number.isNaN(published) || options.now - published < policy.minimumReleaseAgeDays * DAY_MS)
      return false;
  }
  return true;
}

/** Releases whose runtime constraint admits the image's runtime, and the highest one that does not. */
function splitByRuntime(
  releases: readonly Release[],
  runtime: RuntimeCheck | undefined,
  versioning: RangeVersioning,
): { fitting: Release[]; heldBack?: { version: string; reason: string } } {
  if (!runtime) return { fitting: [...releases] };
  const fitting: Release[] = [];
  let excluded: { release: Release; constraint: string } | undefined;
  for (const release of releases) {
    const constraint = release.constraints?.[runtime.kind];
    // A constraint the scheme cannot read says nothing either way.
    const fits =
      !constraint ||
      !runtime.versioning.isValid(constraint) ||
      runtime.versioning.matches(runtime.version, constraint);
    if (fits) fitting.push(release);
    else if (!excluded || versioning.compare(release.version, excluded.release.version) > 0)
      excluded = { release, constraint };
  }
  if (!excluded) return { fitting };
  const declared = runtime.kind === 'python' ? 'requires-python' : 'engines.node';
  const name = runtime.kind === 'python' ? 'Python' : 'Node';
  return {
    fitting,
    heldBack: {
      version: excluded.release.version,
      reason: `${declared} ${excluded.constraint} excludes ${name} ${runtime.version} of ${runtime.image}`,
    },
  };
}

/** The highest major, and the highest minor-or-patch (one pull request each, as for images). */
function proposals(
  current: string,
  releases: readonly Release[],
  versioning: RangeVersioning,
  separateMajor: boolean,
): { type: UpdateType; release: Release }[] {
  let major: Release | undefined;
  let sameMajor: Release | undefined;
  const higher = (a: Release | undefined, b: Release) => !a || versioning.compare(b.version, a.version) > 0;
  for (const release of releases) {
    if (versioning.getMajor(release.version) !== versioning.getMajor(current)) {
      if (higher(major, release)) major = release;
    } else if (higher(sameMajor, release)) sameMajor = release;
  }
  const found: { type: UpdateType; release: Release }[] = [];
  if (major) found.push({ type: 'major', release: major });
  if (major && !separateMajor) return found;
  if (sameMajor) {
    const type = versioning.getMinor(sameMajor.version) !== versioning.getMinor(current) ? 'minor' : 'patch';
    found.push({ type, release: sameMajor });
  }
  return found;
}

function updateTo(
  dep: Dependency,
  value: string,
  current: string,
  release: Release,
  type: UpdateType,
  versioning: RangeVersioning,
  policy: DependencyPolicy,
): DependencyUpdate | null {
  const newValue = versioning.getNewValue({
    currentValue: value,
    rangeStrategy: rangeStrategyFor(policy.rangeStrategy, dep, versioning),
    currentVersion: current,
    newVersion: release.version,
  });
  if (newValue === null) return null;
  const lockfileOnly = newValue === value;
  // The range already admits it and there is no lockfile to move: nothing would change.
  if (lockfileOnly && !dep.lockFile) return null;
  return {
    type,
    newValue: lockfileOnly ? null : newValue,
    newDigest: null,
    newVersion: release.version,
    ...(lockfileOnly ? { isLockfileUpdate: true } : {}),
    ...(release.releaseTimestamp ? { releaseTimestamp: release.releaseTimestamp } : {}),
  };
}
