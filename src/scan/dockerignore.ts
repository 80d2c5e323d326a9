// The .dockerignore that applies to a Dockerfile: BuildKit's `<Dockerfile>.dockerignore` beside it, else
// `.dockerignore` at the root of the build context — the one a compose file names for the Dockerfile,
// else the Dockerfile's own directory (what `docker build -f dir/Dockerfile dir` does).
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
  context: string | undefined,
  found: ReadonlyMap<string, string | undefined>,
): string | null | undefined {
  const own = `${dockerfile}.dockerignore`;
  if (found.has(own)) return found.get(own);
  const shared = posix.join(context ?? posix.dirname(dockerfile), '.dockerignore');
  return found.has(shared) ? found.get(shared) : null;
}
