// The repository job against the fake GitHub (repository state: trees, blobs, refs, PRs, issues, check
// runs, dispatches) and a real registry (Debian's docker-registry, images pushed by skopeo), answering for
// Docker Hub as the operator's mirror. One run at a time, as the queue guarantees per repository.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { operatorSettings, type OperatorSettings } from '../../src/config/operator.js';
import { RegistryClient } from '../../src/datasources/docker/client.js';
import { runRepositoryJob } from '../../src/job/run.js';
import type { RepoResult } from '../../src/job/types.js';
import type { RepoJobData } from '../../src/queue/types.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { jobPlatform } from '../support/job-platform.js';

const INSTALLATION = 7;

let gh: FakeGitHub;
let registry: TestRegistry;
const digests: Record<string, string> = {};
/** The registry cache outlives runs, as Redis does in production (tags are not cached: TTL 0). */
const registryCache = new MemoryCache();
const githubCache = new MemoryCache();

async function pushNode(tag: string, created: string): Promise<void> {
  digests[`node:${tag}`] = (await registry.push('library/node', tag, { images: [{ created }] })).digest;
}

beforeAll(async () => {
  registry = await startRegistry();
  await pushNode('20.1.0', '2025-01-10T00:00:00Z');
  await pushNode('20.5.0', '2025-03-10T00:00:00Z');
  await pushNode('22.3.0', '2025-05-10T00:00:00Z');
  gh = await startFakeGitHub();
  gh.state.createRepo('acme', '.github', {
    files: {
      'dockhand.yml': 'cacheTtlSeconds: 0\n',
    },
  });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
}, 120_000);
afterAll(async () => {
  await gh?.stop();
  await registry?.stop();
});

function run(
  repository: string,
  data: Partial<RepoJobData> = {},
  options: { retryTransientLookups?: boolean; now?: () => number; operator?: OperatorSettings } = {},
): Promise<RepoResult> {
  return runRepositoryJob(
    { installationId: INSTALLATION, repository, reason: 'push', ...data },
    {
      platform: jobPlatform(gh, INSTALLATION, repository, githubCache),
      registryCache,
      mention: '@dockhand',
      operator: mirrorOf(registry.url),
      ...options,
    },
  );
}

/** The operator's configuration with `url` as Docker Hub's mirror. */
function mirrorOf(url: string): OperatorSettings {
  return operatorSettings({ registries: [{ host: 'docker.io', mirror: url }] }, {});
}

function pullsOf(name: string) {
  return gh.state.pulls('acme', name).map((p) => ({
    number: p.number,
    title: p.title,
    state: p.state,
    head: p.pull!.head,
  }));
}

describe('a repository with an outdated base image', () => {
  beforeAll(() => {
    gh.state.createRepo('acme', 'api', {
      files: { Dockerfile: 'FROM node:20.1.0\nUSER node\n', 'README.md': '# api\n' },
    });
  });

  it('opens one PR per image major line, with digests pinned, and a dashboard issue', async () => {
    const result = await run('acme/api', { reason: 'repositories-added' });
    expect(result).toMatchObject({ outcome: 'ok', deps: 1, errors: [] });
    expect(result.pullRequests.opened).toHaveLength(2);
    expect(pullsOf('api')).toEqual([
      expect.objectContaining({ title: 'Update node to 20.5.0', state: 'open', head: 'dockhand/node-20.x' }),
      expect.objectContaining({ title: 'Update node to 22.3.0', state: 'open', head: 'dockhand/node-22.x' }),
    ]);
    expect(gh.state.file('acme', 'api', 'dockhand/node-20.x', 'Dockerfile')).toBe(
      `FROM node:20.5.0@${digests['node:20.5.0']}\nUSER node\n`,
    );
    expect(gh.state.file('acme', 'api', 'dockhand/node-22.x', 'Dockerfile')).toBe(
      `FROM node:22.3.0@${digests['node:22.3.0']}\nUSER node\n`,
    );
    const [pull] = gh.state.pulls('acme', 'api');
    expect(pull!.labels).toEqual(['dependencies', 'docker']);
    expect(pull!.body).toContain('20.1.0');
    // The age of the proposed image, from its config blob's `created` (2025-03-10).
    expect(pull!.body).toMatch(/\| minor \| \d+ (days|months|years?) \|/);
    expect(pull!.body).toContain('@dockhand ignore this major');
    expect(pull!.body).toMatch(/<!-- dockhand:pr /);
    const [dashboard] = gh.state.issues('acme', 'api').filter((i) => !i.pull);
    expect(dashboard!.labels).toEqual(['dockhand-dashboard']);
    expect(dashboard!.body).toContain(`#${pull!.number}`);
  });

  it('a rerun with nothing changed opens, updates and closes nothing', async () => {
    const before = gh.state.pulls('acme', 'api').length;
    // One clock for this run and the next: the dashboard shows the day of the last run.
    const now = Date.now();
    const result = await run('acme/api', {}, { now: () => now });
    expect(result.pullRequests).toEqual({ opened: [], updated: [], closed: [], pending: [] });
    expect(gh.state.pulls('acme', 'api')).toHaveLength(before);
    expect(result.apiCalls.notModified).toBeGreaterThan(0);
    // Once its own pushes are behind it, an unchanged repository costs only 304s (no quota) and no write.
    const since = gh.calls.length;
    const third = await run('acme/api', {}, { now: () => now });
    expect(third.apiCalls.requests).toBe(third.apiCalls.notModified);
    expect(gh.calls.slice(since).filter((call) => call.method !== 'GET')).toEqual([]);
  });

  it('a PR the user closes is never recreated, and Dockhand says once how to get it back', async () => {
    const major = gh.state.pulls('acme', 'api').find((p) => p.pull!.head === 'dockhand/node-22.x')!;
    gh.state.close('acme', 'api', major.number);
    await run('acme/api', { reason: 'pr-closed', number: major.number });
    await run('acme/api');
    expect(pullsOf('api').filter((p) => p.head === 'dockhand/node-22.x')).toEqual([
      expect.objectContaining({ number: major.number, state: 'closed' }),
    ]);
    const closed = gh.state.pulls('acme', 'api').find((p) => p.number === major.number)!;
    expect(closed.comments.map((c) => c.body)).toEqual([expect.stringContaining('@dockhand recreate')]);
    expect(gh.state.branches('acme', 'api').has('dockhand/node-22.x')).toBe(false);
  });

  it('`@dockhand recreate` on the closed PR brings the update back', async () => {
    const closed = gh.state.pulls('acme', 'api').find((p) => p.pull!.head === 'dockhand/node-22.x')!;
    const result = await run('acme/api', { reason: 'command', command: 'recreate', number: closed.number });
    expect(result.pullRequests.opened).toHaveLength(1);
    expect(
      pullsOf('api')
        .filter((p) => p.head === 'dockhand/node-22.x')
        .map((p) => p.state),
    ).toEqual(['closed', 'open']);
  });

  it('rebases a PR when its base moved', async () => {
    const pull = gh.state.pulls('acme', 'api').find((p) => p.pull!.head === 'dockhand/node-20.x')!;
    const head = gh.state.commit('acme', 'api', 'main', { 'README.md': '# api\n\nMoved on.\n' });
    const result = await run('acme/api');
    expect(result.pullRequests.updated).toContain(pull.number);
    const branchHead = gh.state.branches('acme', 'api').get('dockhand/node-20.x')!;
    expect(gh.state.repo('acme', 'api').commitObject(branchHead).parents).toEqual([head]);
    expect(gh.state.file('acme', 'api', 'dockhand/node-20.x', 'README.md')).toBe('# api\n\nMoved on.\n');
  });

  it('moves the same PR to a newer version', async () => {
    const pull = gh.state.pulls('acme', 'api').find((p) => p.pull!.head === 'dockhand/node-20.x')!;
    await pushNode('20.6.0', '2025-06-10T00:00:00Z');
    const result = await run('acme/api');
    expect(result.pullRequests).toMatchObject({ opened: [], updated: [pull.number] });
    expect(pullsOf('api').find((p) => p.number === pull.number)).toMatchObject({
      title: 'Update node to 20.6.0',
      state: 'open',
    });
    expect(gh.state.file('acme', 'api', 'dockhand/node-20.x', 'Dockerfile')).toBe(
      `FROM node:20.6.0@${digests['node:20.6.0']}\nUSER node\n`,
    );
  });
});

describe('maintenance mode', () => {
  it('dispatches the rebuild workflow on the weekly run when no file changes, once a week', async () => {
    gh.state.createRepo('acme', 'legacy', {
      files: {
        Dockerfile: `FROM node:22.3.0@${digests['node:22.3.0']}\nUSER node\n`,
        '.github/workflows/docker.yml': 'on:\n  workflow_dispatch:\n    inputs:\n      no-cache: {}\n',
        '.github/dockhand.yml':
          'maintenance:\n  enabled: true\n  workflow: docker.yml\n  inputs:\n    no-cache: "true"\n',
      },
    });
    const first = await run('acme/legacy', { reason: 'schedule' });
    expect(first.rebuild).toEqual({ kind: 'dispatch', workflow: 'docker.yml' });
    expect(gh.state.dispatches('acme', 'legacy')).toEqual([
      expect.objectContaining({
        kind: 'workflow',
        workflowId: 'docker.yml',
        ref: 'main',
        inputs: { 'no-cache': 'true' },
      }),
    ]);
    const rerun = await run('acme/legacy', { reason: 'schedule' });
    expect(rerun.rebuild).toBeUndefined();
    expect(gh.state.dispatches('acme', 'legacy')).toHaveLength(1);
    expect(gh.state.pulls('acme', 'legacy')).toEqual([]);
  });

  it('the dashboard box rebuilds at once, even within the week', async () => {
    const dashboard = gh.state.issues('acme', 'legacy').find((issue) => !issue.pull)!;
    expect(dashboard.body).toContain('- [ ] <!-- rebuild --> Trigger a rebuild now');
    dashboard.body = dashboard.body!.replace('- [ ] <!-- rebuild -->', '- [x] <!-- rebuild -->');
    const result = await run('acme/legacy', { reason: 'dashboard', number: dashboard.number });
    expect(result.rebuild).toEqual({ kind: 'dispatch', workflow: 'docker.yml' });
    expect(gh.state.dispatches('acme', 'legacy')).toHaveLength(2);
    expect(gh.state.repo('acme', 'legacy').issue(dashboard.number).body).toContain('- [ ] <!-- rebuild -->');
  });

  it('a workflow that does not exist is reported on the dashboard, not retried', async () => {
    gh.state.createRepo('acme', 'orphan', {
      files: {
        Dockerfile: `FROM node:22.3.0@${digests['node:22.3.0']}\n`,
        '.github/dockhand.yml': 'maintenance:\n  enabled: true\n  workflow: missing.yml\n',
      },
    });
    const result = await run('acme/orphan', { reason: 'schedule' });
    expect(result.outcome).toBe('ok');
    expect(result.errors).toEqual([expect.stringMatching(/^maintenance.workflow missing.yml: .*HTTP 404/)]);
    expect(gh.state.issues('acme', 'orphan')[0]!.body).toContain('maintenance.workflow missing.yml');
  });
});

describe('an invalid configuration', () => {
  it('is reported on the dashboard, and nothing is changed', async () => {
    gh.state.createRepo('acme', 'broken', {
      files: {
        Dockerfile: 'FROM node:20.1.0\n',
        '.github/dockhand.yml': 'pullRequests:\n  prConcurrentLimit: many\n',
      },
    });
    const result = await run('acme/broken');
    expect(result).toMatchObject({ outcome: 'failed', detail: 'invalid configuration' });
    expect(gh.state.pulls('acme', 'broken')).toEqual([]);
    const [dashboard] = gh.state.issues('acme', 'broken');
    expect(dashboard!.body).toContain('.github/dockhand.yml: pullRequests.prConcurrentLimit');
    const rerun = await run('acme/broken');
    expect(rerun.outcome).toBe('failed');
    expect(gh.state.issues('acme', 'broken')).toHaveLength(1);
  });
});

describe('a dashboard only where there is something to show', () => {
  it("opens none in the org's .github repository that holds only dockhand.yml", async () => {
    const result = await run('acme/.github');
    expect(result.outcome).toBe('ok');
    expect(gh.state.issues('acme', '.github')).toEqual([]);
  });

  it('opens none for YAML no manager extracts anything from, and closes one left from before', async () => {
    gh.state.createRepo('acme', 'docs-site', {
      files: {
        'mkdocs.yml': 'site_name: Docs\nnav:\n  - Home: index.md\ntheme:\n  name: material\n',
        '.github/workflows/docs.yml':
          'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mkdocs build\n',
        'config/settings.yaml': 'debug: false\nreplicas: 3\n',
      },
    });
    await run('acme/docs-site');
    expect(gh.state.issues('acme', 'docs-site')).toEqual([]);

    // A repository whose Dockerfile went away keeps no dashboard about nothing.
    gh.state.createRepo('acme', 'was-docker', { files: { Dockerfile: 'FROM node:20.1.0\nUSER node\n' } });
    await run('acme/was-docker');
    const [dashboard] = gh.state.issues('acme', 'was-docker');
    expect(dashboard!.state).toBe('open');
    gh.state.commit('acme', 'was-docker', 'main', { Dockerfile: null, 'README.md': '# no images\n' });
    await run('acme/was-docker');
    expect(gh.state.issues('acme', 'was-docker').map((issue) => issue.state)).toEqual(['closed']);
  });
});

describe('comment commands, limits and superseded PRs', () => {
  beforeAll(async () => {
    for (const [tag, created] of [
      ['2.4.0', '2025-01-01T00:00:00Z'],
      ['2.6.0', '2025-02-01T00:00:00Z'],
      ['3.0.0', '2025-03-01T00:00:00Z'],
    ] as const)
      digests[`httpd:${tag}`] = (await registry.push('library/httpd', tag, { images: [{ created }] })).digest;
  }, 60_000);

  it('`ignore this major` closes the PR and no later run proposes that major again', async () => {
    gh.state.createRepo('acme', 'web', { files: { Dockerfile: 'FROM httpd:2.4.0\nUSER 1000\n' } });
    await run('acme/web');
    const major = gh.state.pulls('acme', 'web').find((p) => p.pull!.head === 'dockhand/httpd-3.x')!;
    await run('acme/web', { reason: 'command', command: 'ignore major', number: major.number });
    expect(pullsOf('web').find((p) => p.number === major.number)!.state).toBe('closed');
    expect(
      gh.state
        .pulls('acme', 'web')
        .find((p) => p.number === major.number)!
        .comments.map((c) => c.body),
    ).toEqual([
      'Dockhand will not propose httpd major version 3 again. Comment `@dockhand recreate` here to undo.',
    ]);
    const rerun = await run('acme/web');
    expect(rerun.pullRequests.opened).toEqual([]);
    expect(
      pullsOf('web')
        .filter((p) => p.state === 'open')
        .map((p) => p.head),
    ).toEqual(['dockhand/httpd-2.x']);
  });

  it('acts on every command waiting in the inbox in one run', async () => {
    gh.state.createRepo('acme', 'inbox', { files: { Dockerfile: 'FROM httpd:2.4.0\nUSER 1000\n' } });
    await run('acme/inbox');
    const numbers = Object.fromEntries(gh.state.pulls('acme', 'inbox').map((p) => [p.pull!.head, p.number]));
    await run('acme/inbox', {
      reason: 'command',
      commands: [
        { command: 'ignore major', number: numbers['dockhand/httpd-3.x']! },
        { command: 'ignore image', number: numbers['dockhand/httpd-2.x']! },
      ],
    });
    expect(pullsOf('inbox').map((p) => p.state)).toEqual(['closed', 'closed']);
    const rerun = await run('acme/inbox');
    expect(rerun.pullRequests.opened).toEqual([]);
  });

  it('holds PRs over prConcurrentLimit on the dashboard until a box is ticked', async () => {
    gh.state.createRepo('acme', 'limited', {
      files: {
        Dockerfile: 'FROM httpd:2.4.0\nUSER 1000\n',
        '.github/dockhand.yml': 'pullRequests:\n  prConcurrentLimit: 1\n',
      },
    });
    const first = await run('acme/limited');
    expect(first.pullRequests.opened).toHaveLength(1);
    expect(first.pullRequests.pending).toEqual(['dockhand/httpd-3.x']);
    const dashboard = gh.state.issues('acme', 'limited').find((i) => !i.pull)!;
    expect(dashboard.body).toMatch(/- \[ \] <!-- approve:dockhand\/httpd-3\.x --> Update httpd to 3\.0\.0/);
    // The user ticks the box.
    dashboard.body = dashboard.body!.replace('- [ ] <!-- approve:', '- [x] <!-- approve:');
    const approved = await run('acme/limited', { reason: 'dashboard', number: dashboard.number });
    expect(approved.pullRequests.opened).toHaveLength(1);
    expect(
      pullsOf('limited')
        .map((p) => p.head)
        .sort(),
    ).toEqual(['dockhand/httpd-2.x', 'dockhand/httpd-3.x']);
    expect(gh.state.repo('acme', 'limited').issue(dashboard.number).body).not.toContain('- [x]');
  });

  it('closes a PR superseded by a newer major, naming its successor', async () => {
    gh.state.createRepo('acme', 'edge', { files: { Dockerfile: 'FROM httpd:2.6.0\nUSER 1000\n' } });
    await run('acme/edge');
    const before = gh.state.pulls('acme', 'edge').find((p) => p.pull!.head === 'dockhand/httpd-3.x')!;
    digests['httpd:4.0.0'] = (
      await registry.push('library/httpd', '4.0.0', { images: [{ created: '2025-04-01T00:00:00Z' }] })
    ).digest;
    const result = await run('acme/edge', { reason: 'push' });
    const successor = gh.state.pulls('acme', 'edge').find((p) => p.pull!.head === 'dockhand/httpd-4.x')!;
    expect(result.pullRequests).toMatchObject({ opened: [successor.number], closed: [before.number] });
    const closed = gh.state.repo('acme', 'edge').issue(before.number);
    expect(closed.state).toBe('closed');
    expect(closed.comments.map((c) => c.body)).toEqual([
      `Superseded by #${successor.number}: Dockhand closes this one.`,
    ]);
    expect(gh.state.branches('acme', 'edge').has('dockhand/httpd-3.x')).toBe(false);
    // Closed by Dockhand, so no "how to get it back" comment follows.
    await run('acme/edge');
    expect(gh.state.repo('acme', 'edge').issue(before.number).comments).toHaveLength(1);
  });
});

describe('check runs on pull requests', () => {
  it('annotates the changed container files and fails on findings at the threshold', async () => {
    gh.state.createRepo('acme', 'svc', {
      files: { Dockerfile: 'FROM httpd:2.4.0\nUSER 1000\n', 'docs/Dockerfile': 'FROM httpd:2.4.0\n' },
    });
    const head = gh.state.commit('acme', 'svc', 'feature', {
      Dockerfile: 'FROM httpd:2.4.0\nENV API_TOKEN=hunter2hunter2\n',
    });
    const repo = gh.state.repo('acme', 'svc');
    const pull = repo.createPull({
      title: 'Feature',
      head: 'feature',
      base: 'main',
      user: gh.state.user('octocat'),
    });
    const result = await run('acme/svc', { reason: 'pull-request', number: pull.number, headSha: head });
    expect(result.outcome).toBe('ok');
    const [check] = gh.state.checkRuns('acme', 'svc');
    expect(check).toMatchObject({
      name: 'Dockhand',
      headSha: head,
      status: 'completed',
      conclusion: 'failure',
    });
    expect(new Set(check!.annotations.map((a) => a.path))).toEqual(new Set(['Dockerfile']));
    expect(check!.annotations.map((a) => a.title)).toEqual(
      expect.arrayContaining(['DH201 final-stage-root', expect.stringMatching(/secret/)]),
    );
  });

  it('fails the check of a PR that breaks the configuration', async () => {
    const head = gh.state.commit('acme', 'svc', 'config', {
      '.github/dockhand.yml': 'failureThreshold: fatal\n',
    });
    const pull = gh.state
      .repo('acme', 'svc')
      .createPull({ title: 'Config', head: 'config', base: 'main', user: gh.state.user('octocat') });
    const result = await run('acme/svc', { reason: 'pull-request', number: pull.number });
    expect(result).toMatchObject({ outcome: 'failed', detail: 'invalid configuration' });
    const check = gh.state.checkRuns('acme', 'svc').find((c) => c.headSha === head)!;
    expect(check.conclusion).toBe('failure');
    expect(check.annotations).toEqual([
      expect.objectContaining({ path: '.github/dockhand.yml', annotation_level: 'failure' }),
    ]);
  });
});

describe('a registry that rate-limits', () => {
  it('fails the job for a retry while attempts remain, and only reports it on the last one', async () => {
    // Docker Hub's mirror answers 429 with a wait longer than any client waits.
    const limited = createServer((_, response) => response.writeHead(429, { 'retry-after': '3600' }).end());
    await new Promise<void>((resolve) => limited.listen(0, '127.0.0.1', resolve));
    const mirror = `http://127.0.0.1:${(limited.address() as AddressInfo).port}`;
    try {
      gh.state.createRepo('acme', 'throttled', {
        files: {
          Dockerfile: 'FROM node:20.1.0\nUSER node\n',
        },
      });
      const operator = mirrorOf(mirror);
      await expect(run('acme/throttled', {}, { retryTransientLookups: true, operator })).rejects.toThrow(
        expect.objectContaining({
          name: 'TransientJobError',
          message: expect.stringMatching(/will be retried$/),
        }),
      );
      const last = await run('acme/throttled', {}, { retryTransientLookups: false, operator });
      expect(last.outcome).toBe('ok');
      expect(last.errors).toEqual([expect.stringMatching(/^docker\.io\/library\/node: .*(rate|429)/i)]);
      expect(gh.state.pulls('acme', 'throttled')).toEqual([]);
      expect(gh.state.issues('acme', 'throttled')[0]!.body).toContain('docker.io/library/node');
    } finally {
      await new Promise((resolve) => limited.close(resolve));
    }
  });
});

describe('the registry client', () => {
  it('is closed also when the job fails between its lookups and its pull requests', async () => {
    gh.state.createRepo('acme', 'closing', { files: { Dockerfile: 'FROM node:20.1.0\nUSER node\n' } });
    await run('acme/closing');
    const major = gh.state.pulls('acme', 'closing').find((p) => p.pull!.head === 'dockhand/node-22.x')!;
    gh.state.close('acme', 'closing', major.number);
    await run('acme/closing', { reason: 'pr-closed', number: major.number });
    // `@dockhand recreate` writes the closed PR's marker before any PR is planned: GitHub fails it.
    gh.failNext(/^PATCH \/repos\/acme\/closing\/pulls\//, 500, { times: 10 });
    const close = vi.spyOn(RegistryClient.prototype, 'close');
    try {
      await expect(
        run('acme/closing', { reason: 'command', command: 'recreate', number: major.number }),
      ).rejects.toThrow();
      expect(close).toHaveBeenCalledTimes(1);
    } finally {
      close.mockRestore();
    }
  });
});

describe('code scanning', () => {
  it('uploads the findings as SARIF for the default branch head when configured', async () => {
    gh.state.createRepo('acme', 'scanned', {
      files: {
        Dockerfile: `FROM node:22.3.0@${digests['node:22.3.0']}\nENV API_TOKEN=hunter2hunter2\n`,
        '.github/dockhand.yml': 'codeScanning: true\n',
      },
    });
    const result = await run('acme/scanned');
    expect(result.errors).toEqual([]);
    const [upload] = gh.state.sarifUploads('acme', 'scanned');
    expect(upload).toMatchObject({ ref: 'refs/heads/main', commitSha: result.commit });
    const results = (upload!.sarif as { runs: { results: { ruleId: string }[] }[] }).runs[0]!.results;
    expect(results.length).toBe(result.findings.error + result.findings.warning + result.findings.info);
    expect(results.map((r) => r.ruleId)).toContain('DH201');
  });

  it('reports a refused upload (no security_events permission) instead of failing the run', async () => {
    gh.state.createRepo('acme', 'unscanned', {
      files: { Dockerfile: 'FROM node:20.1.0\n', '.github/dockhand.yml': 'codeScanning: true\n' },
    });
    gh.failNext('POST /repos/acme/unscanned/code-scanning/sarifs', 403, {
      message: 'Resource not accessible by integration',
    });
    const result = await run('acme/unscanned');
    expect(result.outcome).toBe('ok');
    expect(result.errors).toContainEqual(
      expect.stringMatching(/^codeScanning: POST .*code-scanning\/sarifs.*HTTP 403/),
    );
  });
});

describe('a PR branch someone pushed to', () => {
  beforeAll(async () => {
    for (const [tag, created] of [
      ['7.0.0', '2025-01-01T00:00:00Z'],
      ['7.2.0', '2025-02-01T00:00:00Z'],
    ] as const)
      digests[`redis:${tag}`] = (await registry.push('library/redis', tag, { images: [{ created }] })).digest;
  }, 60_000);

  it("is left alone when a user pushed, and taken up again when the head is Dockhand's own unrecorded commit", async () => {
    for (const name of ['pushed', 'crashed'])
      gh.state.createRepo('acme', name, { files: { Dockerfile: 'FROM redis:7.0.0\nUSER 1000\n' } });
    await run('acme/pushed');
    await run('acme/crashed');
    const branch = 'dockhand/redis-7.x';
    // A user's commit on the PR branch…
    gh.state.commit('acme', 'pushed', branch, { 'NOTES.md': 'mine\n' }, 'Add notes');
    // …and a commit Dockhand pushed just before its worker was killed (the PR body still names the old one).
    gh.state.commit(
      'acme',
      'crashed',
      branch,
      { 'NOTES.md': 'x\n' },
      `Update redis to 7.2.0\n\nDockhand-Branch: ${branch}`,
    );
    digests['redis:7.4.0'] = (
      await registry.push('library/redis', '7.4.0', { images: [{ created: '2025-03-01T00:00:00Z' }] })
    ).digest;

    const pushed = await run('acme/pushed');
    expect(pushed.pullRequests.updated).toEqual([]);
    expect(gh.state.file('acme', 'pushed', branch, 'NOTES.md')).toBe('mine\n');
    expect(gh.state.file('acme', 'pushed', branch, 'Dockerfile')).toContain('redis:7.2.0');

    const crashed = await run('acme/crashed');
    expect(crashed.pullRequests.updated).toHaveLength(1);
    expect(gh.state.file('acme', 'crashed', branch, 'Dockerfile')).toContain('redis:7.4.0');
  });

  it("deletes Dockhand's branches left without a PR, never a user's branch under the same prefix", async () => {
    gh.state.createRepo('acme', 'merged', { files: { Dockerfile: 'FROM redis:7.0.0\nUSER 1000\n' } });
    await run('acme/merged');
    const pull = gh.state.pulls('acme', 'merged').find((p) => p.pull!.head === 'dockhand/redis-7.x')!;
    gh.state.mergePull('acme', 'merged', pull.number);
    gh.state.commit('acme', 'merged', 'dockhand/experiment', { 'NOTES.md': 'mine\n' }, 'Try something');
    expect(gh.state.branches('acme', 'merged').has('dockhand/redis-7.x')).toBe(true);
    await run('acme/merged');
    const branches = gh.state.branches('acme', 'merged');
    expect(branches.has('dockhand/redis-7.x')).toBe(false);
    expect(branches.has('dockhand/experiment')).toBe(true);
  });
});
