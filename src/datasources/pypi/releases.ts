// From a project's files to releases: one per version (PEP 440-equal spellings together), yanked only
// when every file is (pip still installs a non-yanked file of a partly yanked release).
//
// `requires-python` of a release: the value all its usable files agree on; when they differ, the sdist's
// (the one file any Python can fall back to, so it states what the release as a whole needs; wheels may
// legitimately narrow it per Python tag); without an sdist, the value most files give (first seen on a
// tie). Usable files are the non-yanked ones, or all when every file is yanked.
import type { Release } from '../types.js';
import { parseVersion, pep440 } from '../../versioning/pep440/index.js';
import { fileVersion } from './names.js';
import type { DistributionFile, SimpleProject } from './types.js';

export interface VersionFiles {
  /** The version as the index's `versions` list, else the first file naming it, spells it. */
  version: string;
  files: (DistributionFile & { sdist: boolean })[];
}

/** The project's files grouped by version, in ascending version order. */
export function groupFiles(project: SimpleProject, name: string): VersionFiles[] {
  // PEP 700's list, when given, names each version as the index spells it.
  const spelled = new Map((project.versions ?? []).map((version) => [versionKey(version), version]));
  const byVersion = new Map<string, VersionFiles>();
  for (const file of project.files) {
    const found = fileVersion(file.filename, name);
    if (!found) continue;
    const key = versionKey(found.version);
    let group = byVersion.get(key);
    if (!group) {
      group = { version: spelled.get(key) ?? found.version, files: [] };
      byVersion.set(key, group);
    }
    group.files.push({ ...file, sdist: found.sdist });
  }
  return [...byVersion.values()].sort((a, b) => pep440.compare(a.version, b.version));
}

/** PEP 440 normal form, so that `1.0RC1` and `1.0rc1` are one version (and `1.0` and `1.0.0` too). */
export function versionKey(version: string): string {
  const parsed = parseVersion(version);
  if (!parsed) return version;
  const release = [...parsed.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  return JSON.stringify([parsed.epoch, release, parsed.pre, parsed.post, parsed.dev, parsed.local]);
}

export function toRelease(group: VersionFiles): Release {
  const yanked = group.files.every((file) => file.yanked);
  const usable = yanked ? group.files : group.files.filter((file) => !file.yanked);
  const python = requiresPython(usable);
  const times = usable.flatMap((file) => (file.uploadTime ? [Date.parse(file.uploadTime)] : []));
  return {
    version: group.version,
    // The release appeared when its first file did.
    ...(times.length > 0 && {
      releaseTimestamp: new Date(times.reduce((a, b) => Math.min(a, b))).toISOString(),
    }),
    ...(yanked && { isYanked: true }),
    ...(python !== undefined && { constraints: { python } }),
  };
}

function requiresPython(files: VersionFiles['files']): string | undefined {
  const values = files.map((file) => file.requiresPython?.trim() || undefined);
  if (values.every((value) => value === values[0])) return values[0];
  const sdist = files.find((file) => file.sdist);
  if (sdist) return sdist.requiresPython?.trim() || undefined;
  const counts = new Map<string, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  for (const [value, count] of counts) if (best === undefined || count > counts.get(best)!) best = value;
  return best;
}
