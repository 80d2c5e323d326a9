// Which webhook deliveries become queue jobs. Pure: a delivery's name and payload in, a decision out, so the
// whole table is tested without probot. Handlers validate and enqueue; all real work happens in workers.

import { CONFIG_LOCATIONS, ORG_CONFIG_FILE, ORG_CONFIG_REPOSITORY } from '../config/load.js';
import { BRANCH_PREFIX } from '../job/branches.js';
import { managerFor } from '../managers/index.js';
import type { CrawlJobData, RepoJobData } from '../queue/types.js';
import { parseCommand } from './commands.js';
import { DASHBOARD_LABEL, newlyTicked } from '../core/dashboard.js';

/**
 * GitHub lists at most 20 commits in a push payload (and none for some ref moves): with 20 or none the
 * file lists may be incomplete, so such a push is taken as touching everything.
 */
const PUSH_COMMITS_LISTED = 20;
/** Comment authors who may hold write access; everyone else is turned away without an API call. */
const MAY_WRITE = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export type Job = { queue: 'repo'; data: RepoJobData } | { queue: 'crawl'; data: CrawlJobData };

export type Decision =
  | {
      action: 'enqueue';
      jobs: Job[];
      /** Enqueue only if this user has write access to the repository (comment commands). */
      requireWriteAccess?: string;
    }
  | { action: 'ignore'; reason: string };

export interface TriggerOptions {
  /** How users address the app in comments, e.g. `@dockhand`. */
  mention: string;
}

// The fields of GitHub's webhook payloads that the decisions read; probot's payloads carry them all.
interface Account {
  login: string;
  type?: string;
}
interface Repository {
  full_name: string;
  name: string;
  default_branch?: string;
}
interface Commit {
  added?: string[];
  modified?: string[];
  removed?: string[];
}
export interface WebhookPayload {
  action?: string;
  installation?: { id: number };
  sender?: Account;
  repository?: Repository;
  repositories_added?: { full_name: string }[];
  // push
  ref?: string;
  deleted?: boolean;
  commits?: Commit[];
  // pull_request
  pull_request?: {
    number: number;
    merged?: boolean | null;
    head: { ref: string; sha?: string; repo?: { full_name: string } | null };
  };
  // issues, issue_comment
  issue?: {
    number: number;
    user?: Account | null;
    labels?: ({ name: string } | string)[];
    body?: string | null;
    pull_request?: unknown;
  };
  changes?: { body?: { from: string } };
  comment?: { body: string; author_association?: string; user?: Account | null };
  // check_run
  check_run?: { pull_requests?: { number: number }[] };
  // check_suite
  check_suite?: { head_branch?: string | null; pull_requests?: { number: number; head?: { ref: string } }[] };
  // status
  state?: string;
  branches?: { name: string }[];
}

export function decide(event: string, payload: WebhookPayload, options: TriggerOptions): Decision {
  const installationId = payload.installation?.id;
  if (installationId === undefined) return ignore('no installation in the payload');
  const repository = payload.repository?.full_name;
  switch (event) {
    case 'installation':
      if (payload.action !== 'created') return ignore(`installation ${payload.action}`);
      return crawl({ installationId, reason: 'installed' });
    case 'installation_repositories': {
      const added = payload.repositories_added ?? [];
      if (payload.action !== 'added' || added.length === 0) return ignore('no repositories added');
      return enqueue(
        added.map((repo) => ({
          installationId,
          repository: repo.full_name,
          reason: 'repositories-added' as const,
        })),
      );
    }
    case 'push':
      return repository ? decidePush(installationId, repository, payload) : ignore('no repository');
    case 'pull_request':
      return repository ? decidePullRequest(installationId, repository, payload) : ignore('no repository');
    case 'issues':
      return repository ? decideIssue(installationId, repository, payload) : ignore('no repository');
    case 'issue_comment':
      return repository
        ? decideComment(installationId, repository, payload, options)
        : ignore('no repository');
    case 'check_run': {
      if (payload.action !== 'rerequested' || !repository) return ignore(`check_run ${payload.action}`);
      const number = payload.check_run?.pull_requests?.[0]?.number;
      return enqueue([{ installationId, repository, reason: 'check-rerun', ...(number ? { number } : {}) }]);
    }
    case 'check_suite':
      return repository ? decideCheckSuite(installationId, repository, payload) : ignore('no repository');
    case 'status':
      return repository ? decideStatus(installationId, repository, payload) : ignore('no repository');
    default:
      return ignore(`event ${event} is not a trigger`);
  }
}

/** A finished check suite on a Dockhand branch: its PR may be ready to merge automatically. */
function decideCheckSuite(installationId: number, repository: string, payload: WebhookPayload): Decision {
  if (payload.action !== 'completed') return ignore(`check_suite ${payload.action}`);
  const suite = payload.check_suite;
  if (!suite?.head_branch?.startsWith(BRANCH_PREFIX)) return ignore('not a Dockhand branch');
  const number = suite.pull_requests?.find((pull) => pull.head?.ref === suite.head_branch)?.number;
  return enqueue([{ installationId, repository, reason: 'checks-completed', ...(number ? { number } : {}) }]);
}

/** A commit status that settled on a Dockhand branch (pending ones change nothing). */
function decideStatus(installationId: number, repository: string, payload: WebhookPayload): Decision {
  if (payload.state === 'pending') return ignore('status pending');
  if (!(payload.branches ?? []).some((branch) => branch.name.startsWith(BRANCH_PREFIX)))
    return ignore('not on a Dockhand branch');
  return enqueue([{ installationId, repository, reason: 'checks-completed' }]);
}

function decidePush(installationId: number, repository: string, payload: WebhookPayload): Decision {
  const branch = payload.repository?.default_branch;
  if (payload.deleted || !branch || payload.ref !== `refs/heads/${branch}`)
    return ignore('not the default branch');
  const commits = payload.commits ?? [];
  const complete = commits.length > 0 && commits.length < PUSH_COMMITS_LISTED;
  const paths = commits.flatMap((commit) => [
    ...(commit.added ?? []),
    ...(commit.modified ?? []),
    ...(commit.removed ?? []),
  ]);
  const jobs: Job[] = [];
  if (payload.repository?.name === ORG_CONFIG_REPOSITORY && (!complete || paths.includes(ORG_CONFIG_FILE))) {
    // Org defaults apply to every repository of the installation.
    jobs.push({ queue: 'crawl', data: { installationId, reason: 'manual' } });
  }
  if (!complete || paths.some((path) => CONFIG_LOCATIONS.includes(path) || managerFor(path) !== undefined)) {
    jobs.push({ queue: 'repo', data: { installationId, repository, reason: 'push' } });
  }
  return jobs.length > 0 ? { action: 'enqueue', jobs } : ignore('no container or config file touched');
}

/** Pull request actions that put a new head commit up for review: its check run is due. */
const PR_HEAD_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

function decidePullRequest(installationId: number, repository: string, payload: WebhookPayload): Decision {
  const pr = payload.pull_request;
  if (pr && PR_HEAD_ACTIONS.has(payload.action ?? '')) {
    // Any branch, the repository's own or a fork's: the check run is made on this (the base) repository.
    if (!pr.head.sha) return ignore('no head commit');
    return enqueue([
      { installationId, repository, reason: 'pull-request', number: pr.number, headSha: pr.head.sha },
    ]);
  }
  if (payload.action !== 'closed' || !pr) return ignore(`pull_request ${payload.action}`);
  if (!pr.head.ref.startsWith(BRANCH_PREFIX) || pr.head.repo?.full_name !== repository) {
    return ignore('not a Dockhand pull request');
  }
  // Dockhand closes superseded PRs itself; reacting to that would only repeat the run that closed them.
  if (!pr.merged && isBot(payload.sender)) return ignore('closed by a bot');
  return enqueue([{ installationId, repository, reason: 'pr-closed', number: pr.number }]);
}

function decideIssue(installationId: number, repository: string, payload: WebhookPayload): Decision {
  const issue = payload.issue;
  if (payload.action !== 'edited' || !issue) return ignore(`issues ${payload.action}`);
  const labels = (issue.labels ?? []).map((label) => (typeof label === 'string' ? label : label.name));
  if (!labels.includes(DASHBOARD_LABEL) || !isBot(issue.user)) return ignore('not the dashboard issue');
  // Dockhand rewrites the dashboard after every run: its own edits must not trigger another run.
  if (isBot(payload.sender)) return ignore('edited by a bot');
  const before = payload.changes?.body?.from;
  if (before === undefined || newlyTicked(before, issue.body).length === 0)
    return ignore('no checkbox ticked');
  return enqueue([{ installationId, repository, reason: 'dashboard', number: issue.number }]);
}

function decideComment(
  installationId: number,
  repository: string,
  payload: WebhookPayload,
  options: TriggerOptions,
): Decision {
  const { issue, comment } = payload;
  if (payload.action !== 'created' || !issue || !comment) return ignore(`issue_comment ${payload.action}`);
  // Dockhand's PRs are opened by the app; the worker checks the PR's marker before acting on it.
  if (!issue.pull_request || !isBot(issue.user)) return ignore('not a Dockhand pull request');
  if (isBot(payload.sender) || !payload.sender) return ignore('comment by a bot');
  const command = parseCommand(comment.body, options.mention);
  if (!command) return ignore('no command');
  if (!MAY_WRITE.has(comment.author_association ?? '')) return ignore('commenter cannot have write access');
  return {
    action: 'enqueue',
    jobs: [
      {
        queue: 'repo',
        data: { installationId, repository, reason: 'command', command, number: issue.number },
      },
    ],
    requireWriteAccess: payload.sender.login,
  };
}

function isBot(account: Account | null | undefined): boolean {
  return account?.type === 'Bot';
}

function enqueue(jobs: RepoJobData[]): Decision {
  return { action: 'enqueue', jobs: jobs.map((data) => ({ queue: 'repo', data })) };
}

function crawl(data: CrawlJobData): Decision {
  return { action: 'enqueue', jobs: [{ queue: 'crawl', data }] };
}

function ignore(reason: string): Decision {
  return { action: 'ignore', reason };
}
