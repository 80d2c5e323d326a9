// Groups a resolved scan's updates into branches: one per image or package major line (or per image or
// package, or one for all), plus one for digest pins and one for refreshed digests. Pure: the same scan
// gives the same branches, names, titles and fingerprints in the same order.
import type { PullRequestSettings } from '../config/schema.js';
import { isPackageDependency } from '../core/package-dependency.js';
import type { Dependency, DependencyUpdate, PackageFile, UpdateKind } from '../core/types.js';
import { imageRuntime } from '../scan/runtimes.js';
import { docker } from '../versioning/docker/index.js';
import { rangeVersioning, runtimeVersioning } from '../versioning/ranges.js';
import type { BranchGroup, BranchPlan, PlannedChange } from './types.js';

export const BRANCH_PREFIX = 'dockhand/';
export const PIN_BRANCH = `${BRANCH_PREFIX}pin-digests`;
export const DIGEST_BRANCH = `${BRANCH_PREFIX}digests`;
export const ALL_BRANCH = `${BRANCH_PREFIX}all`;

/**
 * What a dependency gets besides its major: one update, the largest move first. A minor already carries
 * the new digest, so a separate digest branch would only conflict with it.
 */
const REST_PRIORITY: readonly UpdateKind[] = ['minor', 'patch', 'replace', 'digest', 'pin'];
const VERSION_KINDS: ReadonlySet<UpdateKind> = new Set(['major', 'minor', 'patch']);

export function planBranches(files: readonly PackageFile[], settings: PullRequestSettings): BranchPlan[] {
  const byBranch = new Map<string, { group: BranchGroup; changes: PlannedChange[] }>();
  const add = (branch: string, group: BranchGroup, change: PlannedChange) => {
    const entry = byBranch.get(branch) ?? { group, changes: [] };
    entry.changes.push(change);
    byBranch.set(branch, entry);
  };
  for (const file of files) {
    for (const dep of file.deps) {
      for (const update of updatesToPropose(dep, settings.grouping)) {
        const change: PlannedChange = { path: file.path, manager: file.manager, dep, update };
        const { branch, group } = branchFor(dep, update, settings.grouping);
        add(branch, group, change);
      }
    }
  }
  return [...byBranch.entries()]
    .map(([branch, { group, changes }]) => {
      const plan = toPlan(branch, group, changes.sort(byPosition), settings.grouping);
      const excluded = runtimeExclusions(plan.changes, files);
      return excluded.length ? { ...plan, runtimeExclusions: excluded } : plan;
    })
    .sort((a, b) => compare(a.branch, b.branch));
}

/**
 * Locked packages that declare they do not run on the Node or Python a change moves their image to
 * (`requires-python <3.12` under `python:3.11` → `3.13`): the manifests whose runtime is the FROM the
 * change edits, and their packages' declared constraints.
 */
function runtimeExclusions(changes: readonly PlannedChange[], files: readonly PackageFile[]): string[] {
  const lines: string[] = [];
  for (const { path, dep, update } of changes) {
    const runtime = VERSION_KINDS.has(update.type) ? imageRuntime(dep, update.newValue) : undefined;
    const scheme = runtime && runtimeVersioning(runtime.kind);
    if (!runtime || !scheme) continue;
    const { kind, version } = runtime;
    for (const file of files) {
      const from = file.runtime?.from;
      if (file.runtime?.kind !== kind || from?.path !== path || from.line !== dep.line) continue;
      for (const pkg of file.deps) {
        const constraint = pkg.lockedRuntimeConstraint;
        if (!constraint || !scheme.isValid(constraint) || scheme.matches(version, constraint)) continue;
        const declared = kind === 'python' ? 'requires-python' : 'engines.node';
        lines.push(
          `${packageName(pkg)} ${pkg.lockedVersion ?? ''} (${file.path}) declares ${declared} ${constraint}, which excludes ${kind === 'python' ? 'Python' : 'Node'} ${version}`,
        );
      }
    }
  }
  return lines;
}

/**
 * The major on its own branch, and the best of the rest. With `image` or `all` grouping a major and a
 * minor would land on one branch editing the same reference, so the major alone is proposed there.
 * A package move that stays within the written range changes only a lockfile: lockfile maintenance
 * refreshes those, all at once, instead of one pull request per package.
 */
function updatesToPropose(dep: Dependency, grouping: PullRequestSettings['grouping']): DependencyUpdate[] {
  const updates = (dep.updates ?? []).filter((u) => !u.isLockfileUpdate);
  const major = updates.find((u) => u.type === 'major');
  const rest = REST_PRIORITY.map((kind) => updates.find((u) => u.type === kind)).find((u) => u !== undefined);
  if (major && rest && grouping !== 'major-line' && VERSION_KINDS.has(rest.type)) return [major];
  return [major, rest].filter((u): u is DependencyUpdate => u !== undefined);
}

function branchFor(
  dep: Dependency,
  update: DependencyUpdate,
  grouping: PullRequestSettings['grouping'],
): { branch: string; group: BranchGroup } {
  if (update.type === 'pin' || update.type === 'replace') return { branch: PIN_BRANCH, group: 'pin-digests' };
  if (update.type === 'digest') return { branch: DIGEST_BRANCH, group: 'digests' };
  if (grouping === 'all') return { branch: ALL_BRANCH, group: 'version' };
  const name = isPackageDependency(dep) ? slug(packageName(dep)) : imageSlug(dep);
  if (grouping === 'image') return { branch: `${BRANCH_PREFIX}${name}`, group: 'version' };
  const major = majorOf(dep, update);
  const line = major === null ? slug(targetOf(dep, update) ?? 'latest') : `${major}.x`;
  return { branch: `${BRANCH_PREFIX}${name}-${line}`, group: 'version' };
}

/** The major version an update moves to: of the image tag, or of the package release. */
function majorOf(dep: Dependency, update: DependencyUpdate): number | null {
  if (!isPackageDependency(dep)) return update.newValue === null ? null : docker.getMajor(update.newValue);
  const versioning = rangeVersioning(dep.versioning);
  return versioning && update.newVersion ? versioning.getMajor(update.newVersion) : null;
}

/** The version an update proposes: the package release, or the new tag (null: the tag stays). */
export function targetOf(dep: Dependency, update: DependencyUpdate): string | null {
  return isPackageDependency(dep) ? (update.newVersion ?? update.newValue) : update.newValue;
}

/** A package as its ecosystem names it (`@acme/ui`, `requests`). */
export function packageName(dep: Pick<Dependency, 'depName' | 'packageName'>): string {
  return dep.packageName ?? dep.depName;
}

function toPlan(
  branch: string,
  group: BranchGroup,
  changes: PlannedChange[],
  grouping: PullRequestSettings['grouping'],
): BranchPlan {
  const images = distinct(changes.map((c) => c.dep.depName));
  return {
    branch,
    group,
    title: titleOf(group, changes, images, grouping),
    changes,
    images,
    fingerprint: fingerprintOf(changes),
  };
}

function titleOf(
  group: BranchGroup,
  changes: readonly PlannedChange[],
  images: readonly string[],
  grouping: PullRequestSettings['grouping'],
): string {
  if (group === 'pin-digests') return 'Pin image digests';
  if (group === 'digests') return 'Refresh image digests';
  if (grouping === 'all' || images.length !== 1)
    return changes.some((c) => isPackageDependency(c.dep)) ? 'Update dependencies' : 'Update images';
  const name = displayName(changes[0]!.dep);
  const targets = distinct(changes.map((c) => targetOf(c.dep, c.update) ?? ''));
  return targets.length === 1 ? `Update ${name} to ${targets[0]}` : `Update ${name}`;
}

/**
 * `name:newValue` for version moves (a rebuilt digest of the same version is the same proposal),
 * `name:tag@digest` for refreshes, `name:tag@pin` for pins (closing a pin PR refuses pins, whatever digest).
 */
export function fingerprintOf(changes: readonly { dep: Dependency; update: DependencyUpdate }[]): string {
  return distinct(changes.map(({ dep, update }) => fingerprintEntry(dep, update))).join(' ');
}

function fingerprintEntry(dep: Dependency, update: DependencyUpdate): string {
  if (isPackageDependency(dep)) return `${dep.depName}:${update.newVersion ?? update.newValue ?? ''}`;
  const tag = dep.tag ?? 'latest';
  if (VERSION_KINDS.has(update.type)) return `${dep.depName}:${update.newValue ?? tag}`;
  if (update.type === 'digest') return `${dep.depName}:${tag}@${update.newDigest ?? ''}`;
  return `${dep.depName}:${tag}@pin`;
}

/**
 * The images and packages a fingerprint names (`docker.io/library/node`, `@acme/ui`), sorted: what a PR
 * touches, from its marker.
 */
export function fingerprintImages(fingerprint: string): string[] {
  const names = fingerprint
    .split(' ')
    .filter((entry) => entry !== '')
    .map((entry) => {
      // `name:tag@sha256:…` and `name:tag@pin`; a scoped package's `@` comes first and stays.
      const reference = entry.replace(/@(?:pin|[a-z0-9]+:[a-f0-9]+)$/, '');
      const colon = reference.lastIndexOf(':');
      return colon > reference.lastIndexOf('/') ? reference.slice(0, colon) : reference;
    });
  return distinct(names);
}

/**
 * The image part of a branch name: the repository without Docker Hub's `library/`, other registries
 * kept (`ghcr.io/acme/app` → `ghcr.io-acme-app`), lower case, only `[a-z0-9._-]`.
 */
export function imageSlug(dep: Pick<Dependency, 'depName' | 'registry' | 'repository'>): string {
  return slug(displayName(dep));
}

/** How people write the image or package: `node`, `bitnami/redis`, `ghcr.io/acme/app`, `@acme/ui`. */
export function displayName(
  dep: Pick<Dependency, 'depName' | 'registry' | 'repository' | 'datasource' | 'packageName'>,
): string {
  if (isPackageDependency(dep)) return packageName(dep);
  if (dep.registry === null || dep.repository === null) return dep.depName;
  if (dep.registry !== 'docker.io') return `${dep.registry}/${dep.repository}`;
  return dep.repository.startsWith('library/') ? dep.repository.slice('library/'.length) : dep.repository;
}

function slug(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return cleaned === '' ? 'image' : cleaned;
}

function byPosition(a: PlannedChange, b: PlannedChange): number {
  return compare(a.path, b.path) || a.dep.line - b.dep.line || compare(a.dep.depName, b.dep.depName);
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}

/** Code-unit order: the same on every machine, whatever the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
