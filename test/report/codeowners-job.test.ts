// The repository job reads CODEOWNERS through the tree listing (GitHub's first location found) and its
// saved report records the teams owning the container files. Fake GitHub, no registry lookups needed
// (`FROM scratch`).
import { ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { runRepositoryJob } from '../../src/job/run.js';
import { createGitHubPlatform } from '../../src/platform/github/platform.js';
import { MemoryReportStore } from '../../src/report/store/memory.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';

const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
const INSTALLATION = 5;
let gh: FakeGitHub;

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
});
afterAll(async () => {
  await gh?.stop();
});

async function teamsOf(repository: string): Promise<string[] | undefined> {
  const reports = new MemoryReportStore();
  const token = gh.state.issueToken(INSTALLATION).token;
  const octokit = new Octokit({ baseUrl: gh.url, auth: { token } });
  const result = await runRepositoryJob(
    { installationId: INSTALLATION, repository, reason: 'push' },
    {
      platform: createGitHubPlatform({ octokit, cache: new MemoryCache(), repository }),
      registryCache: new MemoryCache(),
      mention: '@dockhand',
      reports,
    },
  );
  expect(result.errors).toEqual([]);
  return (await reports.latestOf(INSTALLATION, repository))?.facts.teams;
}

describe('CODEOWNERS in the repository job', () => {
  it('uses the first file in GitHub’s order and records the teams owning container files', async () => {
    gh.state.createRepo('acme', 'svc', {
      files: {
        '.github/CODEOWNERS': '* @acme/platform\n/deploy/ @acme/Ops @carol\n*.md @acme/writers\n',
        CODEOWNERS: '* @acme/shadowed\n',
        Dockerfile: 'FROM scratch\n',
        'deploy/Dockerfile': 'FROM scratch\n',
        'README.md': '# svc\n',
      },
    });
    expect(await teamsOf('acme/svc')).toEqual(['@acme/ops', '@acme/platform']);
  });

  it('reads docs/CODEOWNERS when it is the only one, and records no teams without any', async () => {
    gh.state.createRepo('acme', 'docs-owned', {
      files: { 'docs/CODEOWNERS': 'Dockerfile @acme/docs-team\n', Dockerfile: 'FROM scratch\n' },
    });
    expect(await teamsOf('acme/docs-owned')).toEqual(['@acme/docs-team']);
    gh.state.createRepo('acme', 'unowned', { files: { Dockerfile: 'FROM scratch\n' } });
    expect(await teamsOf('acme/unowned')).toBeUndefined();
  });
});
