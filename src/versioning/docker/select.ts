// Update selection over a registry's tag list: one pass, each tag parsed once, the best candidate kept
// per update type.
import type { SelectOptions, UpdateCandidates, VersionUpdateType } from '../types.js';
import { compareVersions } from './compare.js';
import type { DockerVersion } from './parse.js';
import { parseDockerTag } from './parse.js';
import type { ImagePolicy } from './policies.js';
import { imagePolicy, isLtsMajor } from './policies.js';
import type { SuffixKey } from './suffix.js';
import { compareSuffixRanks, suffixKey } from './suffix.js';

/**
 * What must be equal for two tags to be interchangeable, suffix aside: prefix style (`v`, `artful-`),
 * precision, build style and length, dated or not.
 */
export function shapeOf(v: DockerVersion): string {
  return `${v.prefix}|${v.release.length}|${v.buildStyle}${v.build.length}|${v.date ? 'd' : 'n'}`;
}

/** Same shape and same suffix. */
export function isCompatibleVersion(current: DockerVersion, candidate: DockerVersion): boolean {
  return current.suffix === candidate.suffix && shapeOf(current) === shapeOf(candidate);
}

/**
 * The kind of move between two versions of the same shape that `compareVersions` orders `candidate`
 * after: by the first release part that differs (0 major, 1 minor, later patch). Build numbers, a
 * prerelease becoming its release, and newer snapshot dates count as patch.
 */
export function updateTypeOf(
  current: DockerVersion,
  candidate: DockerVersion,
): Exclude<VersionUpdateType, 'suffix'> {
  if (current.date) return 'patch';
  const index = current.release.findIndex((part, i) => part !== candidate.release[i]);
  return index === 0 ? 'major' : index === 1 ? 'minor' : 'patch';
}

interface Best {
  version: DockerVersion;
  ranks: number[][];
}

export function selectDockerUpdates(
  currentTag: string,
  available: Iterable<string>,
  options: SelectOptions = {},
): UpdateCandidates {
  const current = parseDockerTag(currentTag);
  if (!current) return {};
  const policy = imagePolicy(options.depName);
  const shape = shapeOf(current);
  const currentSuffix = options.moveSuffix ? suffixKey(current.suffix) : undefined;
  const best: Partial<Record<VersionUpdateType, Best>> = {};
  const worthParsing = prefilter(current, !options.moveSuffix);
  // A large list repeats a few dozen suffixes.
  const suffixKeys = new Map<string, SuffixKey>();

  for (const tag of available) {
    if (tag === currentTag || !worthParsing(tag)) continue;
    const candidate = parseDockerTag(tag);
    if (!candidate || shapeOf(candidate) !== shape) continue;
    let ranks = currentSuffix?.ranks ?? [];
    let suffixMoved = false;
    if (candidate.suffix !== current.suffix) {
      if (!currentSuffix) continue;
      let key = suffixKeys.get(candidate.suffix);
      if (!key) suffixKeys.set(candidate.suffix, (key = suffixKey(candidate.suffix)));
      if (key.skeleton !== currentSuffix.skeleton) continue;
      const d = compareSuffixRanks(key.ranks, currentSuffix.ranks);
      if (d <= 0) continue;
      ranks = key.ranks;
      suffixMoved = true;
    }
    if (!allowedStability(current, candidate) || !allowedByPolicy(current, candidate, policy, options))
      continue;

    const order = compareVersions(candidate, current);
    let type: VersionUpdateType;
    if (order > 0) type = updateTypeOf(current, candidate);
    else if (order === 0 && suffixMoved) type = 'suffix';
    else continue;
    if (isBetter(candidate, ranks, best[type])) best[type] = { version: candidate, ranks };
  }

  const result: UpdateCandidates = {};
  for (const type of ['major', 'minor', 'patch', 'suffix'] as const) {
    const b = best[type];
    if (b) result[type] = b.version.tag;
  }
  return result;
}

/**
 * Text tests that reject most of a large tag list before parsing: the prefix is written first, and an
 * exact suffix is written last.
 */
function prefilter(current: DockerVersion, exactSuffix: boolean): (tag: string) => boolean {
  const { prefix } = current;
  const ending = exactSuffix && current.suffix ? '-' + current.suffix : '';
  const startsRight = prefix
    ? (tag: string) => tag.startsWith(prefix) && isDigit(tag.charCodeAt(prefix.length))
    : (tag: string) => isDigit(tag.charCodeAt(0));
  return ending ? (tag) => tag.endsWith(ending) && startsRight(tag) : startsRight;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Never a prerelease from a stable tag. From a prerelease, other prereleases only of the same release
 * (`3.13.0rc1` → `3.13.0rc2`, not → `3.14.0a1`); any newer stable version.
 */
function allowedStability(current: DockerVersion, candidate: DockerVersion): boolean {
  if (!candidate.prerelease) return true;
  if (!current.prerelease) return false;
  return sameNumbers(current.release, candidate.release) && sameNumbers(current.build, candidate.build);
}

function allowedByPolicy(
  current: DockerVersion,
  candidate: DockerVersion,
  policy: ImagePolicy | undefined,
  options: SelectOptions,
): boolean {
  if (!policy || current.date) return true;
  const fixed = policy.fixedParts ?? 0;
  for (let i = 0; i < fixed && i < current.release.length; i++) {
    if (current.release[i] !== candidate.release[i]) return false;
  }
  const major = candidate.release[0]!;
  if (policy.ltsMajors && !options.allowNonLts && major !== current.release[0]) {
    return isLtsMajor(policy.ltsMajors, major);
  }
  return true;
}

function isBetter(candidate: DockerVersion, ranks: number[][], best: Best | undefined): boolean {
  if (!best) return true;
  const d = compareVersions(candidate, best.version);
  return d > 0 || (d === 0 && compareSuffixRanks(ranks, best.ranks) > 0);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
