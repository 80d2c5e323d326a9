// The lockfiles that may lock a manifest, best first: beside it, then (pyproject.toml) the uv.lock of
// each ancestor folder, for a uv workspace member; applyLockfileFor checks the lock lists the member.
import { posix } from 'node:path';

const inDir = (dir: string, name: string): string => (dir === '.' ? name : `${dir}/${name}`);

export function lockfileCandidates(manifestPath: string): string[] {
  let dir = posix.dirname(manifestPath);
  const base = posix.basename(manifestPath);
  if (base === 'Pipfile') return [inDir(dir, 'Pipfile.lock')];
  if (base !== 'pyproject.toml') return [];
  const out = [inDir(dir, 'poetry.lock'), inDir(dir, 'uv.lock')];
  while (dir !== '.' && dir !== '/') {
    dir = posix.dirname(dir);
    out.push(inDir(dir, 'uv.lock'));
  }
  return out;
}
