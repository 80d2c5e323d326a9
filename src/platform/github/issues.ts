// Issues (the dependency dashboard): found by label, created, updated. GitHub's issue lists include pull
// requests; they are left out here.
import type { Issue } from '../../job/types.js';
import { allPages, unwrap, type RepoContext } from './repo-context.js';

interface RawIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: ({ name?: string } | string)[];
  pull_request?: unknown;
}

export interface IssueChanges {
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
}

/** Open issues with `label`, oldest first (conditional GETs: an unchanged list costs 304s). */
export async function findIssues(context: RepoContext, label: string): Promise<Issue[]> {
  const issues = await allPages<RawIssue>(context, 'GET /repos/{owner}/{repo}/issues', {
    labels: label,
    state: 'open',
    sort: 'created',
    direction: 'asc',
  });
  return issues.filter((issue) => issue.pull_request === undefined).map(toIssue);
}

export async function createIssue(
  { client, owner, repo }: RepoContext,
  input: { title: string; body: string; labels: string[] },
): Promise<Issue> {
  return toIssue(
    unwrap(await client.request<RawIssue>('POST /repos/{owner}/{repo}/issues', { owner, repo, ...input })),
  );
}

export async function updateIssue(
  { client, owner, repo }: RepoContext,
  number: number,
  changes: IssueChanges,
): Promise<void> {
  unwrap(
    await client.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      owner,
      repo,
      issue_number: number,
      ...changes,
    }),
  );
}

function toIssue(issue: RawIssue): Issue {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state,
    // GitHub documents labels as objects or plain names.
    labels: issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))),
  };
}
