// What every Python lockfile reader returns: locked versions by PEP 503 name.
import type { FileError } from '../../core/types.js';

export type LockKind = 'poetry.lock' | 'uv.lock' | 'Pipfile.lock';

export interface PythonLock {
  kind: LockKind;
  /** Normalised name → locked versions (several when a lock forks by marker; none for a git or path package). */
  packages: Map<string, string[]>;
  /** poetry.lock `content-hash`, Pipfile.lock `_meta.hash.sha256`: the manifest digest the lock was made from. */
  contentHash?: string;
  /** Pipfile.lock: the hashes pinned per package. */
  hashes?: Map<string, string[]>;
  /** uv.lock: folders (relative to the lock, `.` for its own) of the projects it locks as sources, not versions. */
  localProjects?: string[];
}

export type LockRead = { lock: PythonLock } | { error: FileError };

export function addLocked(packages: Map<string, string[]>, name: string, version: string | undefined): void {
  const versions = packages.get(name) ?? [];
  if (version && !versions.includes(version)) versions.push(version);
  packages.set(name, versions);
}
