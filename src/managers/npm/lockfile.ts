// Lockfiles beside a manifest: which ones to look for, and filling the manifest's dependencies with the
// versions one of them locks. A lockfile that contradicts the manifest is reported on the lockfile and
// the dependencies it does answer for keep their versions.
import { posix } from 'node:path';
import type { Dependency, FileError } from '../../core/types.js';
import { parsePackageLock } from './locks/package-lock.js';
import { parsePnpmLock } from './locks/pnpm.js';
import { lockKey, type LockParser, type ParsedLock, type WantedDep } from './locks/types.js';
import { parseYarnLock } from './locks/yarn.js';
import { admits } from './range-syntax.js';

// npm-shrinkwrap.json first: npm itself prefers it over package-lock.json when both exist.
export const LOCKFILE_NAMES = [
  'npm-shrinkwrap.json',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
] as const;

const PARSERS: Record<(typeof LOCKFILE_NAMES)[number], LockParser> = {
  'npm-shrinkwrap.json': parsePackageLock,
  'package-lock.json': parsePackageLock,
  'yarn.lock': parseYarnLock,
  'pnpm-lock.yaml': parsePnpmLock,
};

// Installed dependencies: the lockfile must hold these. Peers may be satisfied from elsewhere and
// optional ones may be left out on a platform, so for them only what is locked is used.
const LOCKED_TYPES = new Set(['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']);
const REQUIRED_TYPES = new Set(['dependencies', 'devDependencies']);

/**
 * Lockfile paths to look for, in priority order: the manifest's own directory, then the workspace root's
 * (when the manifest is a member of a workspace rooted elsewhere). Repository-relative posix paths.
 */
export function lockfileCandidates(manifestPath: string, workspaceRoot?: string): string[] {
  const dirs = [posix.dirname(manifestPath)];
  if (workspaceRoot !== undefined) {
    // The root's directory, or its package.json.
    const root = posix.normalize(
      posix.basename(workspaceRoot) === 'package.json' ? posix.dirname(workspaceRoot) : workspaceRoot || '.',
    );
    if (root !== dirs[0]) dirs.push(root);
  }
  return dirs.flatMap((dir) => LOCKFILE_NAMES.map((name) => (dir === '.' ? name : `${dir}/${name}`)));
}

export type { ParsedLock } from './locks/types.js';

/** The lockfile at `lockPath` parsed, or the error to report on it. Parse once, apply to each member. */
export function parseLockfile(lockPath: string, content: string): ParsedLock | FileError {
  const name = posix.basename(lockPath);
  const parser = Object.hasOwn(PARSERS, name) ? PARSERS[name as (typeof LOCKFILE_NAMES)[number]] : undefined;
  if (!parser) return { message: `${lockPath} is not a lockfile Dockhand reads` };
  const parsed = parser(content);
  if (!parsed.ok) return { ...(parsed.line ? { line: parsed.line } : {}), message: parsed.message };
  return parsed.lock;
}

export interface ApplyOptions {
  /** The workspace root manifest's yarn `resolutions` (name → range): yarn locks key those by it. */
  resolutions?: ReadonlyMap<string, string>;
  /** Names of the workspace's own packages: a yarn v1 lock leaves them out, as they are linked. */
  workspacePackages?: ReadonlySet<string>;
}

export interface AppliedLockfile {
  deps: Dependency[];
  /** Problems found in the lockfile: report them on `lockPath`. */
  errors: FileError[];
  /** What the lockfile is, when it could be read. */
  lock?: Pick<ParsedLock, 'kind' | 'lockfileVersion'>;
}

/**
 * The manifest's dependencies with `lockedVersion` and `lockFile` from the lockfile at `lockPath`
 * (repository-relative; in the directory of `manifestPath` or of its workspace root), given as text or
 * as `parseLockfile`'s result. A dependency the lockfile links to a workspace member becomes
 * `workspace`. Returns new objects; the errors name each package the lockfile contradicts.
 */
export function applyLockfile(
  deps: Dependency[],
  lockPath: string,
  lockfile: string | ParsedLock | FileError,
  manifestPath: string,
  options: ApplyOptions = {},
): AppliedLockfile {
  const lock = typeof lockfile === 'string' ? parseLockfile(lockPath, lockfile) : lockfile;
  if (!('lookup' in lock)) return { deps, errors: [lock] };
  const member = posix.relative(posix.dirname(lockPath), posix.dirname(manifestPath));
  if (member.startsWith('..') || posix.isAbsolute(member))
    return {
      deps,
      errors: [{ message: `${lockPath} cannot lock ${manifestPath}, which is outside its directory` }],
    };

  const wanted: WantedDep[] = deps
    .filter(isLockable)
    .map((dep) => ({ name: dep.depName, spec: writtenSpec(dep) }));
  const found = lock.lookup(member, wanted, options.resolutions);
  if (!found.ok) return { deps, errors: [{ message: found.message }] };

  const errors: FileError[] = [];
  const out = deps.map((dep): Dependency => {
    if (!isLockable(dep)) return dep;
    const spec = writtenSpec(dep);
    const entry = found.locked.get(lockKey({ name: dep.depName, spec }));
    if (!entry || entry.version === undefined) {
      if (entry || options.workspacePackages?.has(dep.depName)) return { ...dep, skipReason: 'workspace' };
      if (REQUIRED_TYPES.has(dep.depType!) && !dep.skipReason)
        errors.push({
          message: `${dep.depName} (${dep.depType} "${spec}" in ${manifestPath}) is not in the lockfile`,
        });
      return dep;
    }
    // A peer range is not what gets installed (pnpm records the dev range of the same name).
    const recorded = dep.depType === 'peerDependencies' ? undefined : entry.specs;
    const resolved = options.resolutions?.has(dep.depName);
    if (recorded?.length && !recorded.includes(spec) && !dep.skipReason)
      errors.push({
        message: `${dep.depName}: the lockfile was written for "${recorded.join('", "')}", ${manifestPath} says "${spec}"`,
      });
    // A peer is satisfied by whatever the dev range installed; the other ranges must admit the version.
    else if (
      !resolved &&
      !dep.skipReason &&
      dep.depType !== 'peerDependencies' &&
      !admits(dep.currentValue!, entry.version)
    )
      errors.push({
        message: `${dep.depName}: ${manifestPath} asks for "${dep.currentValue}", the lockfile has ${entry.version}`,
      });
    return { ...dep, lockedVersion: entry.version, lockFile: lockPath };
  });
  return { deps: out, errors, lock: { kind: lock.kind, lockfileVersion: lock.lockfileVersion } };
}

// Registry dependencies of the installed kinds; git/url/local/workspace values are locked as something
// other than a version.
function isLockable(dep: Dependency): boolean {
  if (!LOCKED_TYPES.has(dep.depType ?? '')) return false;
  return !dep.skipReason || dep.skipReason === 'unspecified-version';
}

/** The value exactly as the manifest writes it, which is what lockfiles key or record. */
function writtenSpec(dep: Dependency): string {
  if (dep.packageName && dep.packageName !== dep.depName)
    return dep.currentValue ? `npm:${dep.packageName}@${dep.currentValue}` : `npm:${dep.packageName}`;
  return dep.currentValue ?? '';
}
