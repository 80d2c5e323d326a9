// The lockfiles that may lock a manifest: beside it, or (uv workspaces) at the root of a workspace
// whose pyproject.toml lists it as a member.
import { posix } from 'node:path';
import { parseToml } from '../pyproject/extract.js';
import { asArray, tableAt } from '../pyproject/values.js';

const inDir = (dir: string, name: string): string => (dir === '.' || dir === '' ? name : `${dir}/${name}`);

/** Lockfiles beside the manifest, in the order they are tried. */
export function lockfileCandidates(manifestPath: string): string[] {
  const dir = posix.dirname(manifestPath);
  const base = posix.basename(manifestPath);
  if (base === 'pyproject.toml') return [inDir(dir, 'poetry.lock'), inDir(dir, 'uv.lock')];
  if (base === 'Pipfile') return [inDir(dir, 'Pipfile.lock')];
  return [];
}

export interface WorkspaceLock {
  /** The root's uv.lock. */
  lockPath: string;
  /** The root's pyproject.toml, which must list the member (see uvWorkspaceIncludes). */
  rootManifest: string;
}

/** For a pyproject.toml without a lock beside it: the ancestors' uv.lock files, nearest first. */
export function workspaceLockCandidates(manifestPath: string): WorkspaceLock[] {
  if (posix.basename(manifestPath) !== 'pyproject.toml') return [];
  const out: WorkspaceLock[] = [];
  let dir = posix.dirname(manifestPath);
  while (dir !== '.' && dir !== '/' && dir !== '') {
    dir = posix.dirname(dir);
    out.push({ lockPath: inDir(dir, 'uv.lock'), rootManifest: inDir(dir, 'pyproject.toml') });
  }
  return out;
}

/** Whether the root pyproject.toml's `[tool.uv.workspace]` members (minus exclude) take the manifest's folder. */
export function uvWorkspaceIncludes(
  rootContent: string,
  rootManifest: string,
  manifestPath: string,
): boolean {
  const parsed = parseToml(rootContent);
  if ('error' in parsed) return false;
  const workspace = tableAt(parsed.doc, 'tool', 'uv', 'workspace');
  const rootDir = posix.dirname(rootManifest);
  const memberDir = posix.dirname(manifestPath);
  const relative = rootDir === '.' ? memberDir : memberDir.slice(rootDir.length + 1);
  if (rootDir !== '.' && !memberDir.startsWith(rootDir + '/')) return false;
  const matches = (key: string): boolean =>
    asArray(workspace?.[key]).some((glob) => typeof glob === 'string' && globRegExp(glob).test(relative));
  return matches('members') && !matches('exclude');
}

/** A uv member glob (`packages/*`, `libs/**`, `backend`) as an anchored pattern over posix paths. */
function globRegExp(glob: string): RegExp {
  const source = glob
    .replace(/^\.\/|\/$/g, '')
    .split(/(\*\*|\*|\?)/)
    .map((part) =>
      part === '**'
        ? '.*'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}
