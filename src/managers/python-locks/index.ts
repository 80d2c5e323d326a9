// Python lockfile readers (poetry.lock, uv.lock, Pipfile.lock) and applying them to a manifest's deps.
export { applyLockfile, applyLockfileFor, pinnedVersion, readLockfile } from './apply.js';
export type { AppliedLock } from './apply.js';
export { lockfileCandidates } from './candidates.js';
export type { LockKind, LockRead, PythonLock } from './lock.js';
export { readPipfileLock } from './pipfile-lock.js';
export { poetryContentHashes, poetryLockIsFresh, pythonJson } from './poetry-hash.js';
export { readPoetryLock } from './poetry-lock.js';
export { pipfileLockfiles, pyprojectLockfiles } from './support.js';
export { readUvLock } from './uv-lock.js';
