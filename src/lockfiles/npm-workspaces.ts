// npm workspaces for lockfile regeneration: which member directories a root's `workspaces` names, found
// without listing directories (a relocker can only read files by path). The lock knows them: in a v2/v3
// package-lock every member has an entry under its own path (no `node_modules/`) and a link entry
// `node_modules/<name>` with `link: true, resolved: <path>`. Members are the paths with both that match
// the root's `workspaces` globs. Each member's package.json is then read and written into the sandbox at
// the same relative path, so npm keeps every member in the lock.
import { posix } from 'node:path';

/** A member as the sandbox gets it: its directory relative to the root, and its package.json text. */
export interface WorkspaceMember {
  path: string;
  manifest: string;
}

export const MAX_WORKSPACE_MEMBERS = 200;
export const MAX_MEMBER_MANIFEST_BYTES = 1024 * 1024;

/**
 * The root's `workspaces` globs (an array, or `{ packages: [...] }`), undefined when it declares none,
 * or a reason when the field is not something npm reads.
 */
export function workspacePatterns(root: Record<string, unknown>): string[] | undefined | { reason: string } {
  if (!Object.hasOwn(root, 'workspaces')) return undefined;
  const field = root.workspaces;
  const list = Array.isArray(field)
    ? field
    : typeof field === 'object' && field !== null && Array.isArray((field as { packages?: unknown }).packages)
      ? ((field as { packages: unknown[] }).packages as unknown[])
      : undefined;
  if (!list || !list.every((item): item is string => typeof item === 'string'))
    return { reason: 'package.json `workspaces` is neither a list of paths nor { packages: [...] }' };
  const patterns: string[] = [];
  for (const raw of list) {
    const pattern = raw.trim().replace(/^\.\//, '').replace(/\/+$/, '');
    const escape = unsafePath(pattern);
    if (escape) return { reason: `workspace pattern ${JSON.stringify(raw)} ${escape}` };
    if (pattern.startsWith('!')) return { reason: `negated workspace patterns (${raw}) are not supported` };
    patterns.push(pattern);
  }
  return patterns;
}

/** Why a repository-relative path may not be used (absolute, `..`, empty), or undefined. */
export function unsafePath(path: string): string | undefined {
  if (path === '' || path === '.') return 'is the root itself';
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.includes('\\')) return 'is absolute';
  if (path.split('/').some((segment) => segment === '..')) return 'leaves the root (`..`)';
  if (path.includes('\0')) return 'is not a path';
  return undefined;
}

/** Does `path` match a workspace glob (`*` within one segment, `**` across any number of them)? */
export function matchesPattern(path: string, pattern: string): boolean {
  const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.');
  const parts = path.split('/');
  const match = (s: number, p: number): boolean => {
    if (s === segments.length) return p === parts.length;
    const segment = segments[s]!;
    if (segment === '**') {
      for (let skip = p; skip <= parts.length; skip++) if (match(s + 1, skip)) return true;
      return false;
    }
    if (p === parts.length) return false;
    return segmentRegExp(segment).test(parts[p]!) && match(s + 1, p + 1);
  };
  return match(0, 0);
}

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (const char of segment) {
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A segment starting with a dot is not matched by `*` (npm's glob).
  return new RegExp(segment.startsWith('*') ? `^(?!\\.)${source}$` : `^${source}$`);
}

/**
 * The member directories the lock records for the given globs, sorted; or a reason when the lock cannot
 * tell them (a v1 lock, not JSON, a member path that escapes the root, too many members).
 */
export function lockedWorkspaceMembers(lockfile: string, patterns: string[]): string[] | { reason: string } {
  let packages: unknown;
  try {
    packages = (JSON.parse(lockfile) as { packages?: unknown }).packages;
  } catch {
    return { reason: 'the lockfile is not valid JSON' };
  }
  if (typeof packages !== 'object' || packages === null)
    return { reason: 'npm workspaces need a lockfileVersion 2 or 3 lock (its `packages` name the members)' };
  const entries = packages as Record<string, unknown>;
  const linked = new Set<string>();
  for (const [key, value] of Object.entries(entries)) {
    if (!key.startsWith('node_modules/') || key.indexOf('/node_modules/') !== -1) continue;
    const entry = value as { link?: unknown; resolved?: unknown } | null;
    if (entry?.link === true && typeof entry.resolved === 'string') linked.add(entry.resolved);
  }
  const members: string[] = [];
  for (const resolved of [...linked].sort()) {
    if (!Object.hasOwn(entries, resolved)) continue;
    if (!patterns.some((pattern) => matchesPattern(resolved, pattern))) continue;
    const escape = unsafePath(resolved);
    if (escape) return { reason: `workspace member ${JSON.stringify(resolved)} ${escape}` };
    members.push(posix.normalize(resolved));
  }
  if (members.length > MAX_WORKSPACE_MEMBERS)
    return { reason: `more than ${MAX_WORKSPACE_MEMBERS} workspace members (${members.length})` };
  return members;
}

/**
 * Reads each member's package.json (`read` takes a repository-relative path); a reason when one is
 * missing or larger than MAX_MEMBER_MANIFEST_BYTES. `rootDir` is the root's directory in the repository;
 * `edited` gives texts to use instead of reading (the manifest Dockhand just edited).
 */
export async function readWorkspaceMembers(
  rootDir: string,
  members: string[],
  read: (path: string) => Promise<string | undefined>,
  edited: ReadonlyMap<string, string> = new Map(),
): Promise<WorkspaceMember[] | { reason: string }> {
  const out: WorkspaceMember[] = [];
  for (const member of members) {
    const path = posix.join(rootDir, member, 'package.json');
    const manifest = edited.get(member) ?? (await read(path));
    if (manifest === undefined) return { reason: `workspace member ${path} is missing` };
    if (Buffer.byteLength(manifest) > MAX_MEMBER_MANIFEST_BYTES)
      return { reason: `workspace member ${path} is larger than ${MAX_MEMBER_MANIFEST_BYTES} bytes` };
    out.push({ path: member, manifest });
  }
  return out;
}
