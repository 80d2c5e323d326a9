// Test doubles of the repository job and its platform: enough to see the worker's wiring around them.
import type { RepoPlatform } from '../../src/job/types.js';
import { GitHubClient } from '../../src/platform/github/client.js';
import { toJobError } from '../../src/platform/github/errors.js';
import type { CreatePlatform, RunRepositoryJob } from '../../src/worker/processors.js';

/** A stand-in for the repository job: reads the repository (as the real job does first) and reports. */
export const readingJob: RunRepositoryJob = async (data, { platform }) => {
  const info = await platform.getRepository();
  return {
    installationId: data.installationId,
    repository: info.fullName,
    reason: data.reason,
    startedAt: new Date(0).toISOString(),
    durationMs: 5,
    outcome: 'ok',
    commit: null,
    deps: 0,
    updates: 0,
    findings: { error: 0, warning: 0, info: 0 },
    pullRequests: { opened: [1], updated: [], closed: [], pending: [] },
    errors: [],
    apiCalls: { ...platform.usage },
    registryRequests: 0,
  };
};

/** Enough of a platform for `readingJob`: the repository through the real client. */
export const readingPlatform: CreatePlatform = ({ octokit, cache, repository }) => {
  const client = new GitHubClient(octokit, cache);
  const [owner, repo] = repository.split('/');
  const platform: Pick<RepoPlatform, 'usage' | 'getRepository'> = {
    usage: client.usage,
    getRepository: async () => {
      const result = await client.get<{ full_name: string; default_branch: string; archived: boolean }>(
        'GET /repos/{owner}/{repo}',
        { owner, repo },
      );
      if (!result.ok) throw toJobError(result.error);
      return {
        owner: owner!,
        name: repo!,
        fullName: result.value.full_name,
        defaultBranch: result.value.default_branch,
        archived: result.value.archived,
        pushedAt: null,
      };
    },
  };
  return platform as RepoPlatform;
};
