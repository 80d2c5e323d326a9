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
    return planPackage(dep, releases, versioning, policy, {
      now: options.now ?? Date.now(),
      ...(file.runtime && runtimeScheme && { runtime: { ...file.runtime, versioning: runtimeScheme } }),
    });
  } catch (error) {
    return { updates: [], error: error instanceof Error ? error.message : String(error) };
  }
}
