// `--resolve`: plans every dependency of a scan against its registry and records the result on the
// dependency itself (updates, stale digest, lookup error). Many files share images; the client's cache
// and singleflight make each distinct question one request.
import type { UpdatePolicy } from '../config/schema.js';
import type { PackageFile } from '../core/types.js';
import { planDependency, type RegistryLookups } from './plan.js';
import { policyFor } from './policy.js';

export interface ResolveOptions {
  /** Lookups in flight at once (across registries). */
  concurrency?: number;
  now?: number;
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
      const plan = await planDependency(
        dep,
        policyFor(updates, dep, file.path, file.manager),
        lookups,
        options.now,
      );
      if (plan.updates.length) dep.updates = plan.updates;
      if (plan.staleDigest) dep.staleDigest = true;
      if (plan.error) dep.lookupError = plan.error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, jobs.length) }, worker));
}
