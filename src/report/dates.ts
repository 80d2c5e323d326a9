// Dates a report needs that update planning does not look up: when a tag moved to its new digest, when
// the newest release of an image's line was built, and when npm/Python releases in use and newest were
// published (libyears). Run after resolving, on the same lookups (cached: nothing is asked twice). A
// lookup that fails leaves the date unknown; reports say so.
import { isPackageDependency } from '../core/package-dependency.js';
import type { Dependency, PackageFile } from '../core/types.js';
import type { ReleaseResult } from '../datasources/types.js';
import { releaseKey } from './packages.js';

export interface DatingLookups {
  getDigest(image: { registry: string; repository: string }, reference: string): Promise<{ digest: string }>;
  getCreated(image: { registry: string; repository: string }, digest: string): Promise<string | null>;
}

export interface PackageDatingLookups {
  getReleases(
    datasource: string,
    query: { packageName: string; registryUrl?: string; withTimestamps?: boolean },
  ): Promise<ReleaseResult>;
}

/**
 * Fills `releaseTimestamp` on image updates (digest, minor, patch) and package updates that lack it, and
 * records in `dates` when each outdated package's release in use was published (the lockfile's version,
 * else an exact pin; a range alone names no release).
 */
export async function addReleaseDates(
  files: readonly PackageFile[],
  images: DatingLookups,
  packages: PackageDatingLookups | undefined,
  dates: Map<string, string>,
): Promise<void> {
  for (const file of files)
    for (const dep of file.deps) {
      if (!dep.updates?.length) continue;
      try {
        if (isPackageDependency(dep)) {
          if (packages) await datePackage(file.path, dep, packages, dates);
        } else await dateImage(dep, images);
      } catch {
        // Unknown dates stay unknown.
      }
    }
}

async function dateImage(dep: Dependency, lookups: DatingLookups): Promise<void> {
  if (!dep.registry || !dep.repository) return;
  const image = { registry: dep.registry, repository: dep.repository };
  for (const update of dep.updates ?? []) {
    if (update.releaseTimestamp !== undefined || update.type === 'pin' || update.type === 'replace') continue;
    if (update.type === 'major') continue; // not judged by any policy
    const digest =
      update.newDigest ??
      (update.newValue !== null ? (await lookups.getDigest(image, update.newValue)).digest : null);
    if (digest === null) continue;
    const created = await lookups.getCreated(image, digest);
    if (created) update.releaseTimestamp = created;
  }
}

const EXACT = /^(?:==|=|v)?\s*(\d[0-9A-Za-z.+-]*)$/;

async function datePackage(
  path: string,
  dep: Dependency,
  lookups: PackageDatingLookups,
  dates: Map<string, string>,
): Promise<void> {
  const inUse = dep.lockedVersion ?? EXACT.exec(dep.currentValue ?? '')?.[1];
  const result = await lookups.getReleases(dep.datasource!, {
    packageName: dep.packageName ?? dep.depName,
    ...(dep.registryUrls?.[0] !== undefined && { registryUrl: dep.registryUrls[0] }),
    withTimestamps: true,
  });
  const published = new Map(
    result.releases.flatMap((r) => (r.releaseTimestamp ? [[r.version, r.releaseTimestamp] as const] : [])),
  );
  for (const update of dep.updates ?? []) {
    const at = update.newVersion !== undefined ? published.get(update.newVersion) : undefined;
    if (update.releaseTimestamp === undefined && at !== undefined) update.releaseTimestamp = at;
  }
  const date = inUse !== undefined ? published.get(inUse) : undefined;
  if (date !== undefined) dates.set(releaseKey(path, dep), date);
}
