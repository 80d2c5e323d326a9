// The lockfiles that may lock a manifest: beside it, in the order they are tried.
import { posix } from 'node:path';

export function lockfileCandidates(manifestPath: string): string[] {
  const dir = posix.dirname(manifestPath);
  const beside = (name: string): string => (dir === '.' ? name : `${dir}/${name}`);
  const base = posix.basename(manifestPath);
  if (base === 'pyproject.toml') return [beside('poetry.lock'), beside('uv.lock')];
  if (base === 'Pipfile') return [beside('Pipfile.lock')];
  return [];
}
