// RepoPlatform for GitHub: one installation's Octokit bound to one repository. Every request goes through
// GitHubClient (counted, ETag-conditional reads); every failure is thrown as the job error a worker
// classifies (404 → permanent; 5xx, network, limits → transient, limits for this installation only).
import { gzipSync } from 'node:zlib';
import type { Cache } from '../../cache/types.js';
import type { RepoInfo, RepoPlatform } from '../../job/types.js';
import { createCheckRun } from './checks.js';
import { GitHubClient, type OctokitLike } from './client.js';
import { commitFiles, commitMessage, deleteBranch, listBranches } from './commits.js';
import { readText } from './contents.js';
import { createIssue, findIssues, updateIssue } from './issues.js';
import {
  enableAutoMerge,
  headChecks,
  mergePullRequest,
  requiredChecks,
  toMergeSettings,
  type RawMergeFields,
} from './merge.js';
import {
  addLabels,
  comment,
  createPullRequest,
  getPullRequest,
  listPullRequestFiles,
  listPullRequests,
  updatePullRequest,
} from './pulls.js';
import { readRepository } from './read.js';
import { unwrap, type RepoContext } from './repo-context.js';

export interface GitHubPlatformOptions {
  /** The installation's client (probot's `context.octokit` in the app). */
  octokit: OctokitLike;
  /** ETags and content-addressed objects (Redis in the app, shared by workers). */
  cache: Cache;
  /** `owner/name`. */
  repository: string;
  now?: () => number;
}

interface RawRepository extends RawMergeFields {
  name: string;
  full_name: string;
  owner: { login: string };
  default_branch: string;
  archived: boolean;
  pushed_at: string | null;
}

export function createGitHubPlatform(options: GitHubPlatformOptions): RepoPlatform {
  const [owner, repo, ...rest] = options.repository.split('/');
  if (!owner || !repo || rest.length > 0)
    throw new Error(`not an owner/name repository: ${options.repository}`);
  const client = new GitHubClient(options.octokit, options.cache, options.now);
  const context: RepoContext = { client, owner, repo };
  /** This job's last answer for the repository: merge settings reuse it rather than asking again. */
  let repository: RawRepository | undefined;
  const fetchRepository = async (): Promise<RawRepository> => {
    repository = unwrap(
      await client.getConditional<RawRepository>('GET /repos/{owner}/{repo}', { owner, repo }),
    );
    return repository;
  };

  return {
    usage: client.usage,

    async getRepository(): Promise<RepoInfo> {
      const info = await fetchRepository();
      return {
        owner: info.owner.login,
        name: info.name,
        fullName: info.full_name,
        defaultBranch: info.default_branch,
        archived: info.archived,
        pushedAt: info.pushed_at,
      };
    },

    async readFiles(ref) {
      return unwrap(await readRepository(client, { owner, repo, ref }));
    },

    commitMessage: (sha) => commitMessage(context, sha),
    // The same installation's token reads the owner's other repository (often `.github`).
    readOwnerFile: (repository, path) => readText({ client, owner, repo: repository }, path),
    listBranches: (prefix) => listBranches(context, prefix),
    commitFiles: (input) => commitFiles(context, input),
    deleteBranch: (branch) => deleteBranch(context, branch),
    listPullRequests: (prefix) => listPullRequests(context, prefix),
    getPullRequest: (number) => getPullRequest(context, number),
    createPullRequest: (input) => createPullRequest(context, input),
    updatePullRequest: (number, changes) => updatePullRequest(context, number, changes),
    comment: (number, body) => comment(context, number, body),
    findIssues: (label) => findIssues(context, label),
    createIssue: (input) => createIssue(context, input),
    updateIssue: (number, changes) => updateIssue(context, number, changes),
    createCheckRun: (input) => createCheckRun(context, input),
    listPullRequestFiles: (number) => listPullRequestFiles(context, number),

    async getMergeSettings() {
      return toMergeSettings(repository ?? (await fetchRepository()));
    },
    requiredChecks: (branch) => requiredChecks(context, branch),
    headChecks: (sha) => headChecks(context, sha),
    enableAutoMerge: (pull, method) => enableAutoMerge(context, pull, method),
    mergePullRequest: (number, options) => mergePullRequest(context, number, options),
    async addLabels(number, labels) {
      if (labels.length > 0) await addLabels(context, number, labels);
    },

    async dispatchWorkflow(workflow, ref, inputs) {
      unwrap(
        await client.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
          owner,
          repo,
          workflow_id: workflow,
          ref,
          inputs,
        }),
      );
    },

    async lastSuccessfulRun(workflow) {
      const answer = await client.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
        owner,
        repo,
        workflow_id: workflow,
        status: 'success',
        per_page: 1,
      });
      // No such workflow (or no longer): nothing seen to succeed.
      if (!answer.ok && answer.error.kind === 'not-found') return null;
      const runs = (unwrap(answer) as { workflow_runs?: { created_at?: unknown }[] }).workflow_runs ?? [];
      const created = runs[0]?.created_at;
      return typeof created === 'string' ? created : null;
    },

    async uploadSarif(commitSha, ref, sarif) {
      unwrap(
        await client.request('POST /repos/{owner}/{repo}/code-scanning/sarifs', {
          owner,
          repo,
          commit_sha: commitSha,
          ref,
          // GitHub takes the file gzip-compressed and base64-encoded.
          sarif: gzipSync(sarif).toString('base64'),
          tool_name: 'Dockhand',
        }),
      );
    },
  };
}
