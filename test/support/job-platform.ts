// The repository job's platform on the fake GitHub, as the tests of the job build it: an installation
// token, an Octokit with probot's retries and throttling off (a test sees each answer as it comes).
import { ProbotOctokit } from 'probot';
import { MemoryCache } from '../../src/cache/memory.js';
import type { Cache } from '../../src/cache/types.js';
import type { RepoPlatform } from '../../src/job/types.js';
import { createGitHubPlatform } from '../../src/platform/github/platform.js';
import type { FakeGitHub } from './fake-github/index.js';

const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export function jobPlatform(
  gh: FakeGitHub,
  installationId: number,
  repository: string,
  cache: Cache = new MemoryCache(),
): RepoPlatform {
  const token = gh.state.issueToken(installationId).token;
  const octokit = new Octokit({ baseUrl: gh.url, auth: { token } });
  return createGitHubPlatform({ octokit, cache, repository });
}
