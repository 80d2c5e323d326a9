// Lists the files of a repository's commit the scanner would read, through the Git Data API: one
// recursive tree request, or a bounded walk of subtrees when GitHub truncates it. What the local walker
// skips (symlinks, submodules, files over 1 MiB, node_modules) is skipped here the same way.
import { createHash } from 'node:crypto';
import { CONFIG_LOCATIONS } from '../../config/load.js';
import type { SkippedFile } from '../../core/types.js';
import { isCompanionFile, managerFor, managers } from '../../managers/index.js';
import { CODEOWNERS_LOCATIONS, CODEOWNERS_MAX_BYTES } from '../../report/codeowners.js';
import { isDockerignore } from '../../scan/dockerignore.js';
import { maxBytesFor } from '../../scan/scan.js';
import type { GitHubClient, GitHubResult } from './client.js';

export interface RepoRef {
  owner: string;
  repo: string;
  /** A branch name or a commit sha; default: the repository's default branch. */
  ref?: string;
}

/** A kept blob: a file a manager claims, a `.dockerignore`, a config file or CODEOWNERS (reports' teams). */
export interface TreeFile {
  path: string;
  mode: string;
  sha: string;
  size: number;
}

export interface RepoListing {
  commit: string;
  files: TreeFile[];
  skipped: SkippedFile[];
}

export interface ListOptions {
  /** Subtree requests allowed when the recursive listing comes back truncated. */
  maxTreeRequests?: number;
}

interface RawEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
  size?: number;
}

interface RawTree {
  sha: string;
  tree: RawEntry[];
  truncated: boolean;
}

const SHA = /^[0-9a-f]{40}$/;
const PRUNED_DIRS = new Set(['node_modules']);
/** What the listing depends on besides the commit: a release that claims new paths lists afresh. */
const CLAIMS_VERSION = createHash('sha1')
  .update(
    JSON.stringify([
      managers.flatMap((manager) => manager.filePatterns.map(String)),
      CONFIG_LOCATIONS,
      CODEOWNERS_LOCATIONS,
    ]),
  )
  .digest('hex')
  .slice(0, 12);

export async function listFiles(
  client: GitHubClient,
  target: RepoRef,
  options: ListOptions = {},
): Promise<GitHubResult<RepoListing>> {
  const commit = await headCommit(client, target);
  if (!commit.ok) return commit;
  // A commit's tree never changes: an unchanged repository costs no tree request at all.
  const key = `github:listing:${CLAIMS_VERSION}:${commit.value}`;
  const cached = await client.cache.get<RepoListing>(key);
  if (cached) return { ok: true, value: cached };

  const { owner, repo } = target;
  const full = await client.get<RawTree>('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
    owner,
    repo,
    tree_sha: commit.value,
    recursive: '1',
  });
  if (!full.ok) return full;
  const entries = full.value.truncated
    ? await walkTrees(client, target, full.value.sha, options.maxTreeRequests ?? 200)
    : { ok: true as const, value: full.value.tree };
  if (!entries.ok) return entries;
  const listing = { commit: commit.value, ...classify(entries.value) };
  await client.cache.set(key, listing);
  return { ok: true, value: listing };
}

/** The commit sha of the ref (conditional requests: an unchanged branch answers 304). */
async function headCommit(
  client: GitHubClient,
  { owner, repo, ref }: RepoRef,
): Promise<GitHubResult<string>> {
  if (ref && SHA.test(ref)) return { ok: true, value: ref };
  let branch = ref;
  if (!branch) {
    const info = await client.getConditional<{ default_branch: string }>('GET /repos/{owner}/{repo}', {
      owner,
      repo,
    });
    if (!info.ok) return info;
    branch = info.value.default_branch;
  }
  const head = await client.getConditional<{ object: { sha: string } }>(
    'GET /repos/{owner}/{repo}/git/ref/{ref}',
    {
      owner,
      repo,
      ref: `heads/${branch}`,
    },
  );
  return head.ok ? { ok: true, value: head.value.object.sha } : head;
}

/** Breadth-first over directories, one non-recursive request each, at most `budget` requests. */
async function walkTrees(
  client: GitHubClient,
  { owner, repo }: RepoRef,
  root: string,
  budget: number,
): Promise<GitHubResult<RawEntry[]>> {
  const found: RawEntry[] = [];
  const pending = [{ sha: root, prefix: '' }];
  for (let requests = 0; pending.length > 0; requests++) {
    const { sha, prefix } = pending.shift()!;
    if (requests >= budget) {
      return {
        ok: false,
        error: { kind: 'rejected', message: `tree of ${owner}/${repo} needs more than ${budget} requests` },
      };
    }
    const tree = await client.get<RawTree>('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner,
      repo,
      tree_sha: sha,
    });
    if (!tree.ok) return tree;
    for (const entry of tree.value.tree) {
      const path = prefix + entry.path;
      found.push({ ...entry, path });
      if (entry.type === 'tree' && !PRUNED_DIRS.has(entry.path))
        pending.push({ sha: entry.sha, prefix: `${path}/` });
    }
  }
  return { ok: true, value: found };
}

function classify(entries: RawEntry[]): { files: TreeFile[]; skipped: SkippedFile[] } {
  const files: TreeFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const entry of entries) {
    const { path, mode, sha } = entry;
    if (path.split('/').some((part) => PRUNED_DIRS.has(part))) continue;
    // As the local walker: every symlink is reported, whatever it is named.
    if (mode === '120000') skipped.push({ path, reason: 'symlink' });
    // SkippedFile has no `submodule` reason yet; its content is in another repository.
    else if (mode === '160000') skipped.push({ path, reason: 'unreadable' });
    else if (entry.type !== 'blob' || !claimed(path)) continue;
    else if ((entry.size ?? 0) > maxBytes(path)) skipped.push({ path, reason: 'too-large' });
    else files.push({ path, mode, sha, size: entry.size ?? 0 });
  }
  const byPath = (a: { path: string }, b: { path: string }) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  return { files: files.sort(byPath), skipped: skipped.sort(byPath) };
}

/** GitHub reads CODEOWNERS up to 3 MiB; everything else as the scanner does. */
function maxBytes(path: string): number {
  return CODEOWNERS_LOCATIONS.includes(path) ? CODEOWNERS_MAX_BYTES : maxBytesFor(path);
}

function claimed(path: string): boolean {
  return (
    CONFIG_LOCATIONS.includes(path) ||
    CODEOWNERS_LOCATIONS.includes(path) ||
    isDockerignore(path) ||
    isCompanionFile(path) ||
    managerFor(path) !== undefined
  );
}
