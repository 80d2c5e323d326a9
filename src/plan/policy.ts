// The update policy in force for one dependency: the repository's `updates` settings with every
// matching rule applied on top, in order. Pure.
import { UPDATE_TYPES, type UpdatePolicy, type UpdateType } from '../config/schema.js';
import { linearRegExp, type LinearRegExp } from '../core/linear-regex.js';
import type { Dependency } from '../core/types.js';
import { pathMatcher } from '../scan/glob.js';
import type { RangeStrategy } from '../versioning/types.js';

export interface DependencyPolicy {
  enabled: boolean;
  pinDigests: boolean;
  separateMajor: boolean;
  updateTypes: readonly UpdateType[];
  minimumReleaseAgeDays: number;
  allowedVersions: LinearRegExp | null;
  ltsOnly: boolean;
  moveSuffix: boolean;
  rangeStrategy: RangeStrategy;
  /** Update types the app may merge without a human (empty: none). */
  automerge: readonly UpdateType[];
  /** Versions (regex) and update types the repository asked to skip for this image. */
  ignored: { versions: LinearRegExp | null; updateTypes: readonly UpdateType[] | null }[];
}

export function policyFor(
  updates: UpdatePolicy,
  dep: Dependency,
  path: string,
  manager: string,
): DependencyPolicy {
  const policy: DependencyPolicy = {
    enabled: true,
    pinDigests: forManager(updates.pinDigests, manager),
    separateMajor: updates.separateMajor,
    updateTypes: updates.updateTypes,
    minimumReleaseAgeDays: updates.minimumReleaseAgeDays,
    allowedVersions: regex(updates.allowedVersions),
    ltsOnly: updates.ltsOnly,
    moveSuffix: updates.moveSuffix,
    rangeStrategy: updates.rangeStrategy,
    automerge: automergeTypes(updates.automerge),
    ignored: [],
  };
  for (const rule of updates.rules) {
    if (rule.matchPaths && !pathMatcher(rule.matchPaths)(path)) continue;
    if (rule.matchImages && !rule.matchImages.some((p) => imageMatches(p, dep))) continue;
    if (rule.matchManagers && !rule.matchManagers.includes(manager)) continue;
    if (rule.enabled !== undefined) policy.enabled = rule.enabled;
    if (rule.pinDigests !== undefined) policy.pinDigests = forManager(rule.pinDigests, manager);
    if (rule.separateMajor !== undefined) policy.separateMajor = rule.separateMajor;
    if (rule.updateTypes !== undefined) policy.updateTypes = rule.updateTypes;
    if (rule.minimumReleaseAgeDays !== undefined) policy.minimumReleaseAgeDays = rule.minimumReleaseAgeDays;
    if (rule.allowedVersions !== undefined) policy.allowedVersions = regex(rule.allowedVersions);
    if (rule.ltsOnly !== undefined) policy.ltsOnly = rule.ltsOnly;
    if (rule.moveSuffix !== undefined) policy.moveSuffix = rule.moveSuffix;
    if (rule.rangeStrategy !== undefined) policy.rangeStrategy = rule.rangeStrategy;
    if (rule.automerge !== undefined) policy.automerge = automergeTypes(rule.automerge);
  }
  for (const ignore of updates.ignore) {
    if (!imageMatches(ignore.image, dep)) continue;
    policy.ignored.push({ versions: regex(ignore.versions ?? ''), updateTypes: ignore.updateTypes ?? null });
  }
  return policy;
}

function automergeTypes(setting: boolean | readonly UpdateType[]): readonly UpdateType[] {
  if (setting === true) return UPDATE_TYPES;
  return setting === false ? [] : setting;
}

/** Is this version (or, with a null version, this update type for any version) ignored? */
export function isIgnored(policy: DependencyPolicy, type: UpdateType, version: string | null): boolean {
  return policy.ignored.some(
    (i) =>
      (i.updateTypes === null || i.updateTypes.includes(type)) &&
      (i.versions === null || (version !== null && i.versions.test(version))),
  );
}

/**
 * `*` matches within one path segment, `**` across segments. A pattern matches the normalised name
 * (`docker.io/library/node`) or the short one people write (`node`, `bitnami/redis`, `ghcr.io/org/app`).
 */
export function imageMatches(pattern: string, dep: Dependency): boolean {
  const source = pattern
    .split('**')
    .map((part) => part.split('*').map(escape).join('[^/]*'))
    .join('.*');
  const re = linearRegExp(`^${source}$`);
  return re.test(dep.depName) || re.test(shortName(dep));
}

function shortName(dep: Dependency): string {
  if (dep.registry !== 'docker.io' || !dep.repository) return dep.depName;
  return dep.repository.startsWith('library/') ? dep.repository.slice('library/'.length) : dep.repository;
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function forManager(setting: boolean | string[], manager: string): boolean {
  return typeof setting === 'boolean' ? setting : setting.includes(manager);
}

/** Patterns were checked when the configuration was read (src/config/schema.ts). */
function regex(source: string): LinearRegExp | null {
  return source === '' ? null : linearRegExp(source);
}
