// Locked versions onto a manifest's dependencies, and the contradictions that make a lock unusable: a
// direct dependency the lock lacks, or a pin the lock disagrees with. Errors belong to the lockfile.
import { posix } from 'node:path';
import { eq, satisfies, valid } from '@renovatebot/pep440';
import type { Dependency, FileError } from '../../core/types.js';
import type { LockRead, PythonLock } from './lock.js';
import { readPipfileLock } from './pipfile-lock.js';
import { readPoetryLock } from './poetry-lock.js';
import { readUvLock } from './uv-lock.js';

export interface AppliedLock<T extends Dependency> {
  /** Copies of the dependencies, with `lockedVersion` and `lockFile` where the lock has them. */
  deps: T[];
  /** Errors on the lockfile (malformed, or contradicting the manifest). */
  errors: FileError[];
  lock?: PythonLock;
}

/** Reads a lockfile by its file name; undefined for a name that is not a Python lockfile. */
export function readLockfile(lockPath: string, content: string): LockRead | undefined {
  const base = posix.basename(lockPath);
  if (base === 'poetry.lock') return readPoetryLock(content);
  if (base === 'uv.lock') return readUvLock(content);
  if (base === 'Pipfile.lock') return readPipfileLock(content);
  return undefined;
}

export function applyLockfile<T extends Dependency>(
  deps: T[],
  lockPath: string,
  lockContent: string,
): AppliedLock<T> {
  return applyRead(deps, lockPath, readLockfile(lockPath, lockContent));
}

/**
 * As applyLockfile, for a manifest that may sit below its lock (a uv workspace member): a lock in another
 * folder applies only when it locks the manifest's folder as one of its own projects.
 */
export function applyLockfileFor<T extends Dependency>(
  deps: T[],
  manifestPath: string,
  lockPath: string,
  lockContent: string,
): AppliedLock<T> {
  const read = readLockfile(lockPath, lockContent);
  const manifestDir = posix.dirname(manifestPath);
  const lockDir = posix.dirname(lockPath);
  if (read && 'lock' in read && manifestDir !== lockDir) {
    const folder = posix.relative(lockDir, manifestDir) || '.';
    if (!read.lock.localProjects?.includes(folder)) return { deps, errors: [] };
  }
  return applyRead(deps, lockPath, read);
}

function applyRead<T extends Dependency>(
  deps: T[],
  lockPath: string,
  read: LockRead | undefined,
): AppliedLock<T> {
  if (!read) return { deps, errors: [{ message: `${lockPath}: not a Python lockfile` }] };
  if ('error' in read) return { deps, errors: [read.error] };
  const { lock } = read;
  const errors: FileError[] = [];
  const out = deps.map((dep) => {
    if (dep.datasource !== 'pypi' || !dep.packageName || dep.depType === 'build-system') return dep;
    const versions = lock.packages.get(dep.packageName);
    const checked = !dep.skipReason || dep.skipReason === 'unspecified-version';
    if (!versions) {
      if (checked)
        errors.push({
          message: `${dep.depName} (${dep.depType}, manifest line ${dep.line}) is not in ${lock.kind}`,
        });
      return dep;
    }
    if (!versions.length || dep.skipReason === 'invalid-value') return dep;
    const pin = pinnedVersion(dep);
    if (checked && pin && !versions.some((version) => sameVersion(version, pin)))
      errors.push({
        message: `${dep.depName} is pinned to ${pin} but ${lock.kind} has ${versions.join(', ')}`,
      });
    return { ...dep, lockedVersion: chooseVersion(dep, versions, pin), lockFile: lockPath };
  });
  return { deps: out, errors, lock };
}

/** The version an exact pin names: `==1.2.3` (PEP 440), or Poetry's `1.2.3` / `=1.2.3` / `==1.2.3`. */
export function pinnedVersion(dep: Dependency): string | undefined {
  const value = dep.currentValue?.trim() ?? '';
  const match = (
    dep.versioning === 'poetry' ? /^(?:==?)?\s*([^\s,*|<>=!~^]+)$/ : /^===?\s*([^\s,*;]+)$/
  ).exec(value);
  return match && valid(match[1]) ? match[1] : undefined;
}

function sameVersion(a: string, b: string): boolean {
  return valid(a) && valid(b) ? eq(a, b) : a === b;
}

/** Of several locked versions (a fork by marker), the pinned one or one the specifier admits. */
function chooseVersion(dep: Dependency, versions: string[], pin: string | undefined): string {
  if (pin) return versions.find((version) => sameVersion(version, pin)) ?? versions[0]!;
  if (versions.length > 1 && dep.versioning === 'pep440' && dep.currentValue)
    return versions.find((version) => safeSatisfies(version, dep.currentValue!)) ?? versions[0]!;
  return versions[0]!;
}

function safeSatisfies(version: string, range: string): boolean {
  try {
    return satisfies(version, range);
  } catch {
    return false;
  }
}
