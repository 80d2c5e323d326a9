// Pull requests as the repository job sees them: Dockhand's own (by head-branch prefix), opened with
// labels, updated, commented on. Pull requests are issues too, so labels and comments go through issues.
import type { PullRequest } from '../../job/types.js';
import { allPages, unwrap, type RepoContext } from './repo-context.js';

interface RawPull {
  number: number;
  state: 'open' | 'closed';
  merged_at: string | null;
  title: string;
  body: string | null;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string };
  created_at: string;
  closed_at: string | null;
  labels: { name: string }[];
  node_id: string;
  /** Only in a single pull request's answer (GitHub computes it on demand). */
  mergeable_state?: string | null;
  auto_merge?: unknown;
}

export interface NewPullRequest {
  head: string;
  base: string;
  title: string;
  body: string;
  labels: string[];
}

export interface PullChanges {
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
}

/** Every pull request, open or closed, whose head is a branch of this repository starting with `prefix`. */
export async function listPullRequests(context: RepoContext, prefix: string): Promise<PullRequest[]> {
  const fullName = `${context.owner}/${context.repo}`.toLowerCase();
  const pulls = await allPages<RawPull>(context, 'GET /repos/{owner}/{repo}/pulls', { state: 'all' });
  return pulls
    .filter(
      (pull) => pull.head.repo?.full_name.toLowerCase() === fullName && pull.head.ref.startsWith(prefix),
    )
    .map((pull) => toPullRequest(pull));
}

export async function getPullRequest(
  { client, owner, repo }: RepoContext,
  number: number,
): Promise<PullRequest> {
  return toPullRequest(
    unwrap(
      await client.getConditional<RawPull>('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner,
        repo,
        pull_number: number,
      }),
    ),
    { withMergeableState: true },
  );
}

/** Opens the pull request, then labels it (GitHub creates labels the repository does not have yet). */
export async function createPullRequest(context: RepoContext, input: NewPullRequest): Promise<PullRequest> {
  const { client, owner, repo } = context;
  const created = toPullRequest(
    unwrap(
      await client.request<RawPull>('POST /repos/{owner}/{repo}/pulls', {
        owner,
        repo,
        head: input.head,
        base: input.base,
        title: input.title,
        body: input.body,
      }),
    ),
  );
  if (input.labels.length === 0) return created;
  return { ...created, labels: await addLabels(context, created.number, input.labels) };
}

/** Adds labels to a pull request or issue; returns all of its labels. */
export async function addLabels(
  { client, owner, repo }: RepoContext,
  number: number,
  labels: string[],
): Promise<string[]> {
  const all = unwrap(
    await client.request<{ name: string }[]>('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
      owner,
      repo,
      issue_number: number,
      labels,
    }),
  );
  return all.map((label) => label.name);
}

export async function updatePullRequest(
  { client, owner, repo }: RepoContext,
  number: number,
  changes: PullChanges,
): Promise<void> {
  unwrap(
    await client.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner,
      repo,
      pull_number: number,
      ...changes,
    }),
  );
}

/** A comment on a pull request or issue. */
export async function comment(
  { client, owner, repo }: RepoContext,
  number: number,
  body: string,
): Promise<void> {
  unwrap(
    await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: number,
      body,
    }),
  );
}

/**
 * `mergeable_state` is kept only from a single pull request's answer: a list does not carry it, and the
 * answer to a create is computed before GitHub has looked.
 */
function toPullRequest(pull: RawPull, { withMergeableState = false } = {}): PullRequest {
  return {
    number: pull.number,
    state: pull.state,
    merged: pull.merged_at !== null,
    title: pull.title,
    body: pull.body ?? '',
    head: pull.head.ref,
    headSha: pull.head.sha,
    base: pull.base.ref,
    createdAt: pull.created_at,
    closedAt: pull.closed_at,
    labels: pull.labels.map((label) => label.name),
    nodeId: pull.node_id,
    mergeableState: withMergeableState ? (pull.mergeable_state ?? null) : null,
    autoMerge: pull.auto_merge !== undefined && pull.auto_merge !== null,
  };
}

/** Paths a pull request changes (a rename names both paths); GitHub lists at most 3,000 files. */
export async function listPullRequestFiles(context: RepoContext, number: number): Promise<string[]> {
  const files = await allPages<{ filename: string; previous_filename?: string }>(
    context,
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
    { pull_number: number },
  );
  return files.flatMap((file) =>
    file.previous_filename === undefined ? [file.filename] : [file.filename, file.previous_filename],
  );
}
