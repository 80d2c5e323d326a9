import { posix } from 'node:path';

/**
 * `names` in the directory of `path` (repository-relative, posix), then in each directory above it up to
 * the root: where tools look for a lockfile or a settings file that applies to a manifest.
 */
export function ancestorPaths(path: string, names: readonly string[]): string[] {
  const out: string[] = [];
  for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
    for (const name of names) out.push(dir === '.' || dir === '/' ? name : `${dir}/${name}`);
    if (dir === '.' || dir === '/' || dir === '') return out;
  }
}
