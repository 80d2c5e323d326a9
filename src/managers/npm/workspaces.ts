// Workspace members: the package.json files a root manifest's `workspaces` globs (or pnpm-workspace.yaml's
// `packages`) name, which share the root's lockfile. Globs come from the repository, so they are compiled
// to linear-time expressions (RE2), never to a backtracking RegExp.
import { posix } from 'node:path';
import { parse } from 'yaml';
import { linearRegExp, type LinearRegExp } from '../../core/linear-regex.js';

/**
 * The member manifests among `paths` (repository-relative posix paths) of the workspace whose root
 * manifest is `rootManifest`, in the order of `paths`. `!glob` excludes, as in npm, yarn and pnpm.
 */
export function workspaceMembers(rootManifest: string, globs: string[], paths: string[]): string[] {
  const rootDir = posix.dirname(rootManifest);
  const include: LinearRegExp[] = [];
  const exclude: LinearRegExp[] = [];
  for (const glob of globs) {
    const negated = glob.startsWith('!');
    const regexp = globRegExp(negated ? glob.slice(1) : glob);
    if (regexp) (negated ? exclude : include).push(regexp);
  }
  return paths.filter((path) => {
    if (posix.basename(path) !== 'package.json' || path === rootManifest) return false;
    const dir = posix.dirname(path);
    const relative =
      rootDir === '.' ? dir : dir.startsWith(`${rootDir}/`) ? dir.slice(rootDir.length + 1) : null;
    if (relative === null || relative === '.' || relative.split('/').includes('node_modules')) return false;
    return include.some((re) => re.test(relative)) && !exclude.some((re) => re.test(relative));
  });
}

/** The `packages` globs of a pnpm-workspace.yaml; [] when it has none or cannot be read. */
export function pnpmWorkspaceGlobs(content: string): string[] {
  try {
    const value = parse(content) as { packages?: unknown } | null;
    return Array.isArray(value?.packages)
      ? value.packages.filter((g): g is string => typeof g === 'string')
      : [];
  } catch {
    return [];
  }
}

// A directory glob: `*` and `?` inside one segment, `**` any number of segments, `{a,b}` alternatives.
// Null when it cannot name a directory inside the workspace (absolute, `..`).
function globRegExp(glob: string): LinearRegExp | null {
  const body = glob.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  if (!body || body.startsWith('/') || body.split('/').includes('..')) return null;
  let source = '';
  let braces = 0;
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '*' && body[i + 1] === '*') {
      const slash = body[i + 2] === '/';
      source += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  if (braces > 0) return null;
  try {
    return linearRegExp(`^${source}$`);
  } catch {
    return null;
  }
}
