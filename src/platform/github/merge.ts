// What automerge reads and does on GitHub, within the App's permissions (pull_requests, contents and checks
// read and write, statuses read; never `administration`): the repository's merge settings, the checks
// branch protection requires (read from the branch, whose summary any reader sees, not from the protection
// endpoint, which needs `administration`), what ran on a head commit, native auto-merge (GraphQL) and a
// merge pinned to the head Dockhand checked.
import type {
  AutoMergeResult,
  HeadChecks,
  MergeMethod,
  MergeResult,
  MergeSettings,
} from '../../job/types.js';
import { toJobError } from './errors.js';
import { unwrap, type RepoContext } from './repo-context.js';

/** The merge fields of `GET /repos/{owner}/{repo}`; absent ones take GitHub's defaults. */
export interface RawMergeFields {
  allow_auto_merge?: boolean;
  allow_squash_merge?: boolean;
  allow_merge_commit?: boolean;
  allow_rebase_merge?: boolean;
  delete_branch_on_merge?: boolean;
}

export function toMergeSettings(raw: RawMergeFields): MergeSettings {
  const methods: MergeMethod[] = [];
  if (raw.allow_squash_merge ?? true) methods.push('squash');
  if (raw.allow_merge_commit ?? true) methods.push('merge');
  if (raw.allow_rebase_merge ?? true) methods.push('rebase');
  return {
    allowAutoMerge: raw.allow_auto_merge ?? false,
    methods,
    deleteBranchOnMerge: raw.delete_branch_on_merge ?? false,
  };
}

interface RawBranch {
  protected?: boolean;
  protection?: {
    enabled?: boolean;
    required_status_checks?: {
      contexts?: string[];
      checks?: { context: string }[];
    } | null;
  };
}

/**
 * The checks protection requires on `branch`, from `GET /repos/{o}/{r}/branches/{branch}` (conditional).
 * `GET …/branches/{branch}/protection` would also say whether the branch must be up to date and how many
 * reviews it needs, but it needs the `administration` permission, which Dockhand does not ask for; those
 * rules show in the pull request's `mergeable_state` instead.
 */
export async function requiredChecks(
  { client, owner, repo }: RepoContext,
  branch: string,
): Promise<string[]> {
  const raw = unwrap(
    await client.getConditional<RawBranch>('GET /repos/{owner}/{repo}/branches/{branch}', {
      owner,
      repo,
      branch,
    }),
  );
  const checks = raw.protection?.required_status_checks;
  if (!raw.protected || !checks) return [];
  const contexts = [...(checks.contexts ?? []), ...(checks.checks ?? []).map((check) => check.context)];
  return [...new Set(contexts)];
}

interface RawCheckRuns {
  total_count: number;
  check_runs: { name: string; status: string; conclusion: string | null }[];
}

interface RawCombinedStatus {
  statuses: { context: string; state: HeadChecks['statuses'][number]['state'] }[];
}

const PER_PAGE = 100;
/** A runaway guard: 100 pages is 10,000 check runs on one commit. */
const MAX_PAGES = 100;

/**
 * Every check run on `sha` (all pages; GitHub's default filter keeps the latest run of each name per
 * suite) and its combined status (whose `statuses` are already the latest per context).
 */
export async function headChecks({ client, owner, repo }: RepoContext, sha: string): Promise<HeadChecks> {
  const checkRuns: HeadChecks['checkRuns'] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = unwrap(
      await client.getConditional<RawCheckRuns>('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        owner,
        repo,
        ref: sha,
        per_page: PER_PAGE,
        page,
      }),
    );
    for (const run of answer.check_runs)
      checkRuns.push({ name: run.name, status: run.status, conclusion: run.conclusion });
    if (answer.check_runs.length < PER_PAGE || checkRuns.length >= answer.total_count) break;
  }
  const statuses: HeadChecks['statuses'] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = unwrap(
      await client.getConditional<RawCombinedStatus>('GET /repos/{owner}/{repo}/commits/{ref}/status', {
        owner,
        repo,
        ref: sha,
        per_page: PER_PAGE,
        page,
      }),
    );
    for (const status of answer.statuses) statuses.push({ context: status.context, state: status.state });
    if (answer.statuses.length < PER_PAGE) break;
  }
  return { checkRuns, statuses };
}

const ENABLE_AUTO_MERGE = `mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number autoMergeRequest { mergeMethod } }
  }
}`;

/**
 * GitHub's native auto-merge, through GraphQL (REST has no way to enable it). GitHub's refusals come back
 * as the reason ("Pull request is in clean status": it can be merged now; "… Auto merge is not allowed for
 * this repository"); HTTP failures and GraphQL rate limits throw the usual job errors.
 */
export async function enableAutoMerge(
  { client, owner, repo }: RepoContext,
  pull: { nodeId: string },
  method: MergeMethod,
): Promise<AutoMergeResult> {
  const answer = await client.graphql(
    ENABLE_AUTO_MERGE,
    { pullRequestId: pull.nodeId, mergeMethod: method.toUpperCase() },
    { owner, repo },
  );
  if (answer.ok) return { ok: true };
  if (answer.error.graphql && answer.error.kind === 'rejected')
    return { ok: false, reason: answer.error.apiMessage ?? answer.error.message };
  throw toJobError(answer.error);
}

/**
 * `PUT /pulls/{n}/merge` pinned to `sha`: GitHub refuses with 409 when the head moved, 405 when the pull
 * request cannot be merged (protection, draft, method not allowed); both come back with GitHub's message.
 */
export async function mergePullRequest(
  { client, owner, repo }: RepoContext,
  number: number,
  { sha, method }: { sha: string; method: MergeMethod },
): Promise<MergeResult> {
  const answer = await client.request<{ sha: string; merged: boolean; message?: string }>(
    'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
    { owner, repo, pull_number: number, sha, merge_method: method },
  );
  if (answer.ok) {
    if (answer.value.merged) return { merged: true, sha: answer.value.sha };
    return { merged: false, reason: answer.value.message ?? 'not merged' };
  }
  const { status } = answer.error;
  if (status === 405 || status === 409)
    return { merged: false, reason: answer.error.apiMessage ?? answer.error.message };
  throw toJobError(answer.error);
}
