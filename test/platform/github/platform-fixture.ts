// A fake GitHub with one organisation (acme: api and its `.github` repository), an installation token and
// a platform for acme/api over a real Octokit with retries and throttling off (each call is one request).
import { ProbotOctokit } from 'probot';
import { MemoryCache } from '../../../src/cache/memory.js';
import type { RepoPlatform } from '../../../src/job/types.js';
import { GitHubClient } from '../../../src/platform/github/client.js';
import { createGitHubPlatform } from '../../../src/platform/github/platform.js';
import type { RepoContext } from '../../../src/platform/github/repo-context.js';
import { startFakeGitHub, type CallRecord, type FakeGitHub } from '../../support/fake-github/index.js';

const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export const INSTALLATION = 42;

export interface Fixture {
  gh: FakeGitHub;
  token: string;
  cache: MemoryCache;
  platform(repository?: string): RepoPlatform;
  /** A new Octokit of the installation (REST and GraphQL). */
  octokit(): InstanceType<typeof Octokit>;
  /** The same installation client as a RepoContext, for the readers the platform is built from. */
  context(repository?: string): RepoContext;
  /** The calls recorded since `since` (an index into `gh.calls`), as `METHOD route`. */
  callsSince(since: number): string[];
}

export async function startFixture(): Promise<Fixture> {
  const gh = await startFakeGitHub({ latencyMs: 0 });
  gh.state.createRepo('acme', 'api', {
    files: {
      Dockerfile: 'FROM node:20.11.1\n',
      'k8s/deploy.yaml': 'kind: Pod\nspec:\n  containers:\n    - image: redis:7\n',
      'README.md': '# api\n',
      '.github/workflows/build.yml': 'on:\n  workflow_dispatch:\n    inputs:\n      no-cache: {}\n',
    },
  });
  gh.state.createRepo('acme', '.github', { files: { 'dockhand.yml': 'schedule:\n  cron: "0 4 * * 1"\n' } });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
  const token = gh.state.issueToken(INSTALLATION).token;
  const cache = new MemoryCache();
  return {
    gh,
    token,
    cache,
    platform: (repository = 'acme/api') =>
      createGitHubPlatform({ octokit: new Octokit({ baseUrl: gh.url, auth: { token } }), cache, repository }),
    context: (repository = 'acme/api') => {
      const [owner, repo] = repository.split('/') as [string, string];
      return {
        client: new GitHubClient(new Octokit({ baseUrl: gh.url, auth: { token } }), cache),
        owner,
        repo,
      };
    },
    octokit: () => new Octokit({ baseUrl: gh.url, auth: { token } }),
    callsSince: (since) => gh.calls.slice(since).map(describeCall),
  };
}

function describeCall(call: CallRecord): string {
  return `${call.method} ${call.route ?? call.path}`;
}
