// `--resolve`: plans every dependency of a scan against its registry and records the result on the
// dependency itself (updates, stale digest, held-back release, lookup error). Images go to the OCI
// registry client, npm and Python packages to their datasources. Many files share images and packages;
// the clients' caches and singleflight make each distinct question one request.
import type { UpdatePolicy } from '../config/schema.js';
import { isPackageDependency } from '../core/package-dependency.js';
import type { Dependency, PackageFile } from '../core/types.js';
import type { PackageLookups } from '../datasources/packages.js';
import { rangeVersioning, runtimeVersioning } from '../versioning/ranges.js';
import { needsReleases, planPackage, type PackagePlan } from './packages.js';
import { planDependency, type DependencyPlan, type RegistryLookups } from './plan.js';
import { policyFor, type DependencyPolicy } from './policy.js';

export interface ResolveOptions {
  /** Lookups in flight at once (across registries). */
  concurrency?: number;
  now?: number;
  /** npm and PyPI: without them, package dependencies are left unresolved. */
  packages?: PackageLookups;
}

export async function resolveFiles(
  files: readonly PackageFile[],
  updates: UpdatePolicy,
  lookups: RegistryLookups,
  options: ResolveOptions = {},
): Promise<void> {
  const jobs = files.flatMap((file) => file.deps.map((dep) => ({ file, dep })));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const { file, dep } = jobs[next++]!;
      const policy = policyFor(updates, dep, file.path, file.manager);
      const plan = isPackageDependency(dep)
        ? await planPackageDependency(dep, file, policy, options)
        : await planDependency(dep, policy, lookups, options.now);
      if (plan.updates.length) dep.updates = plan.updates;
      if ('staleDigest' in plan && plan.staleDigest) dep.staleDigest = true;
      if ('heldBack' in plan && plan.heldBack) dep.heldBack = plan.heldBack;
      if (plan.error) dep.lookupError = plan.error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, jobs.length) }, worker));
}

async function planPackageDependency(
  dep: Dependency,
  file: PackageFile,
  policy: DependencyPolicy,
  options: ResolveOptions,
): Promise<PackagePlan & Pick<DependencyPlan, 'error'>> {
  const versioning = rangeVersioning(dep.versioning);
  if (!options.packages || !versioning || !needsReleases(dep, versioning, policy)) return { updates: [] };
  const runtimeScheme = file.runtime && runtimeVersioning(file.runtime.kind);
  try {
    const releases = await options.packages.getReleases(dep.datasource!, {
      packageName: dep.packageName ?? dep.depName,
      ...(dep.registryUrls?.[0] !== undefined && { registryUrl: dep.registryUrls[0] }),
      withTimestamps: policy.minimumReleaseAgeDays > 0,
    });
    const kind = file.runtime?.kind;
    const locked = kind && releases.releases.find((release) => release.version === dep.lockedVersion);
    const constraint = locked && locked.constraints?.[kind];
    if (constraint) dep.lockedRuntimeConstraint = constraint;
    const plan = planPackage(dep, releases, versioning, policy, {
      now: options.now ?? Date.now(),
      ...(file.runtime && runtimeScheme && { runtime: { ...file.runtime, versioning: runtimeScheme } }),
    });
    return dep.hashes?.length ? await withHashes(dep, plan, options.packages) : plan;
  } catch (error) {
    return { updates: [], error: errorText(error) };
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A requirement pinned with `--hash` (pip's hash-checking mode) moves only with the hashes of every
 * file of the new release: each update gets them, or is dropped and the lookup error says why (a new pin
 * under old hashes would break `pip install --require-hashes`).
 */
async function withHashes(
  dep: Dependency,
  plan: PackagePlan,
  packages: PackageLookups,
): Promise<PackagePlan & Pick<DependencyPlan, 'error'>> {
  const problems: string[] = [];
  const checked = await Promise.all(
    plan.updates.map(async (update) => {
      if (update.newVersion === undefined) return update;
      try {
        return { ...update, newHashes: await releaseHashes(dep, update.newVersion, packages) };
      } catch (error) {
        problems.push(
          `${dep.depName} ${update.newVersion} not proposed: the hashes of its files for the --hash lines could not be read (${errorText(error)})`,
        );
        return null;
      }
    }),
  );
  const updates = checked.filter((update) => update !== null);
  return { ...plan, updates, ...(problems.length && { error: problems.join('; ') }) };
}

/** `sha256:<hex>` of every non-yanked file of `version`, sorted as pip-compile sorts them. */
async function releaseHashes(dep: Dependency, version: string, packages: PackageLookups): Promise<string[]> {
  if (!packages.getFiles) throw new Error(`the ${dep.datasource} lookups list no release files`);
  const files = await packages.getFiles(dep.datasource!, {
    packageName: dep.packageName ?? dep.depName,
    ...(dep.registryUrls?.[0] !== undefined && { registryUrl: dep.registryUrls[0] }),
    version,
  });
  const usable = files.filter((file) => !file.yanked);
  if (!usable.length)
    throw new Error(files.length ? 'every file of the release is yanked' : 'the index lists no files for it');
  const hashes = new Set<string>();
  for (const file of usable) {
    const hex = file.hashes.sha256?.toLowerCase();
    // The index's text goes into the file: only a well-formed digest does.
    if (hex === undefined || !SHA256.test(hex))
      throw new Error(`${JSON.stringify(file.filename.slice(0, 200))} has no sha256 hash on the index`);
    hashes.add(`sha256:${hex}`);
  }
  return [...hashes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
