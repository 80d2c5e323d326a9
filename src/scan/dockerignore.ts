// The .dockerignore that applies to a Dockerfile, assuming the build context is the Dockerfile's
// directory (what `docker build -f dir/Dockerfile dir` and compose's default `build: dir` do).
import { posix } from 'node:path';

/** `.dockerignore` and BuildKit's per-Dockerfile `<name>.dockerignore`. */
export function isDockerignore(path: string): boolean {
  return path.endsWith('.dockerignore');
}

/**
 * `found` maps the ignore files of the tree to their content, or to undefined when one exists but was
 * not read (symlink, too large, binary). Returns null when there is none: DH102 then knows it is absent.
 */
export function dockerignoreFor(
  dockerfile: string,
  found: ReadonlyMap<string, string | undefined>,
): string | null | undefined {
  // BuildKit prefers `<Dockerfile name>.dockerignore` beside the Dockerfile over `.dockerignore`.
  const own = `${dockerfile}.dockerignore`;
  if (found.has(own)) return found.get(own);
  const shared = posix.join(posix.dirname(dockerfile), '.dockerignore');
  return found.has(shared) ? found.get(shared) : null;
}
