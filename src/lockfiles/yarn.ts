// The yarn.lock relocker: a yarn v1 lock (`# yarn lockfile v1`) goes to yarn 1 (./yarn-classic.ts), a
// Berry lock (a `__metadata:` block) to yarn 4 (./yarn-berry.ts), each beside its package.json. Refused
// when the tool would fetch from a host the manifest names (git, URL dependencies).
import { posix } from 'node:path';
import { remoteDependency, type Relocker } from './request.js';
import { regenerateYarnBerryLockfile } from './yarn-berry.js';
import { regenerateYarnClassicLockfile } from './yarn-classic.js';

/** Whether yarn.lock (or, when it is empty, the manifest's packageManager) is Berry's. */
export function isBerryLock(lockfile: string, manifest: string): boolean {
  if (/^__metadata:\s*$/m.test(lockfile)) return true;
  if (lockfile.trim()) return false;
  try {
    const pinned = (JSON.parse(manifest) as { packageManager?: unknown }).packageManager;
    return typeof pinned === 'string' && /^yarn@([2-9]|\d{2,})\./.test(pinned);
  } catch {
    return false;
  }
}

export const relockYarn: Relocker = async (request) => {
  const dir = posix.dirname(request.manifestPath);
  if (posix.dirname(request.lockPath) !== dir)
    return { ok: false, reason: 'Dockhand regenerates yarn.lock only beside its manifest yet' };
  const remote = remoteDependency(request.deps);
  if (remote)
    return {
      ok: false,
      reason: `not regenerated because ${remote.depName} is a ${remote.skipReason} dependency`,
    };
  const registry = request.registries?.npm;
  if (isBerryLock(request.lockfile, request.manifest)) {
    // Read even when the operator's registry replaces the repository's: a yarnPath or plugins there
    // means the repository's yarn is not the one Dockhand runs, and is refused.
    const yarnrcYml = await request.readFile(posix.join(dir, '.yarnrc.yml'));
    return regenerateYarnBerryLockfile({
      manifest: request.manifest,
      lockfile: request.lockfile,
      ...(yarnrcYml !== undefined && { yarnrcYml }),
      ...(registry !== undefined && { registry }),
      ...(request.refresh && { refresh: true }),
    });
  }
  // The operator's registry replaces the repository's settings entirely.
  const npmrc = registry === undefined ? await request.readFile(posix.join(dir, '.npmrc')) : undefined;
  const yarnrc = registry === undefined ? await request.readFile(posix.join(dir, '.yarnrc')) : undefined;
  return regenerateYarnClassicLockfile({
    manifest: request.manifest,
    lockfile: request.lockfile,
    ...(npmrc !== undefined && { npmrc }),
    ...(yarnrc !== undefined && { yarnrc }),
    ...(registry !== undefined && { registry }),
    ...(request.refresh && { refresh: true }),
  });
};
