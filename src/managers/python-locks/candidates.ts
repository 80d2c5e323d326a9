// The lockfiles that may lock a manifest, best first: beside it, then (pyproject.toml) the uv.lock of
// each ancestor folder, for a uv workspace member; applyLockfileFor checks the lock lists the member.
import { posix } from 'node:path';
import { ancestorPaths } from '../../core/ancestor-paths.js';

const inDir = (dir: string, name: string): string => (dir === '.' ? name : `${dir}/${name}`);

export function lockfileCandidates(manifestPath: string): string[] {
  const dir = posix.dirname(manifestPath);
  const base = posix.basename(manifestPath);
  if (base === 'Pipfile') return [inDir(dir, 'Pipfile.lock')];
  if (base !== 'pyproject.toml') return [];
  return [inDir(dir, 'poetry.lock'), ...ancestorPaths(manifestPath, ['uv.lock'])];
}
