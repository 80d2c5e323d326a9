// Which tool regenerates a lockfile after Dockhand edited its manifest: one relocker per lockfile name,
// each running the real package manager in the sandbox of ./sandbox.ts (scripts off, an environment
// built from nothing, time and output caps). `fix` and the app's pull requests both come through here;
// a lockfile nobody regenerates is reported with the reason, never left inconsistent in silence.
import { posix } from 'node:path';
import { foreignLockHost } from './lock-hosts.js';
import type { Relocker, RelockRequest, RelockResult } from './request.js';
import { relockNpm } from './npm-relock.js';
import { relockPipenv } from './pipenv-relock.js';
import { relockPoetry } from './poetry-relock.js';
import { relockUv } from './uv-relock.js';
import { relockYarn } from './yarn.js';
import { relockPnpm } from './pnpm.js';

export type { Relocker, RelockRegistries, RelockRequest, RelockResult } from './request.js';
export { remoteDependency } from './request.js';

/** By lockfile name. A new tool adds its line here. */
const RELOCKERS: Readonly<Record<string, Relocker>> = {
  'package-lock.json': relockNpm,
  'npm-shrinkwrap.json': relockNpm,
  'poetry.lock': relockPoetry,
  'uv.lock': relockUv,
  'Pipfile.lock': relockPipenv,
  'yarn.lock': relockYarn,
  'pnpm-lock.yaml': relockPnpm,
};

/** Lockfiles whose relocker resolves everything afresh when asked (lock file maintenance). */
const REFRESHING: ReadonlySet<string> = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'poetry.lock',
  'Pipfile.lock',
]);

/** Regenerates `request.lockPath`, or says why it was not. */
export function relockFile(request: RelockRequest): Promise<RelockResult> {
  const name = posix.basename(request.lockPath);
  const relocker = RELOCKERS[name];
  if (!relocker) return refused(`Dockhand does not regenerate ${name} yet`);
  if (request.refresh && !REFRESHING.has(name))
    return refused(`lock file maintenance does not refresh ${name} yet`);
  // The app names the registries; the CLI runs on the user's own tree and machine.
  const foreign = request.registries && foreignLockHost(request.lockfile, request.registries);
  if (foreign)
    return refused(
      `${name} names ${foreign}, which is not a registry this Dockhand uses; it was not regenerated (the tool would fetch from there)`,
    );
  return relocker(request);
}

function refused(reason: string): Promise<RelockResult> {
  return Promise.resolve({ ok: false, reason });
}
