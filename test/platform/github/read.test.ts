import { Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import { GitHubClient, type OctokitLike } from '../../../src/platform/github/client.js';
import { toJobError } from '../../../src/platform/github/errors.js';
import { readRepository } from '../../../src/platform/github/read.js';
import { listFiles } from '../../../src/platform/github/tree.js';
import { PermanentJobError, TransientJobError } from '../../../src/queue/worker.js';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github/index.js';

// Retries and throttling off (function form, see TECH-NOTES): each call is one request.
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

const INSTALLATION = 42;
const REPO = { owner: 'acme', repo: 'api' };
const BINARY = Buffer.concat([Buffer.from('FROM scratch\n'), Buffer.alloc(16), Buffer.from('\n')]);
const LARGE = `FROM alpine:3.19\n${'# padding\n'.repeat(110_000)}`;

let gh: FakeGitHub;
let token: string;
let cache: MemoryCache;

function octokit(): OctokitLike {
  return new Octokit({ baseUrl: gh.url, auth: { token } });
}

function client(octo: OctokitLike = octokit()): GitHubClient {
  return new GitHubClient(octo, cache);
}

beforeEach(async () => {
  gh = await startFakeGitHub({ latencyMs: 0 });
  gh.state.createRepo('acme', 'api', {
    files: {
      Dockerfile: 'FROM node:20.11.1\n',
      'services/web/Dockerfile': 'FROM nginx:1.25\n',
      'services/web/.dockerignore': 'node_modules\n',
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n',
      'k8s/deploy.yaml': 'kind: Pod\nspec:\n  containers:\n    - image: redis:7\n',
      '.github/dockhand.yml': 'ignore: [DH201]\n',
      'README.md': '# api\n',
      'src/index.ts': 'export {};\n',
      'node_modules/left-pad/Dockerfile': 'FROM node:8\n',
      'Dockerfile.link': { symlink: 'Dockerfile' },
      'big/Dockerfile': LARGE,
      'images/Dockerfile': BINARY,
      'scripts/build.sh': { content: '#!/bin/sh\n', executable: true },
    },
  });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
  token = gh.state.issueToken(INSTALLATION).token;
  cache = new MemoryCache();
});

afterEach(async () => {
  await gh.stop();
});

const KEPT = [
  '.github/dockhand.yml',
  'Dockerfile',
  'docker-compose.yml',
  'k8s/deploy.yaml',
  'services/web/.dockerignore',
  'services/web/Dockerfile',
];
const SKIPPED = [
  { path: 'Dockerfile.link', reason: 'symlink' },
  { path: 'big/Dockerfile', reason: 'too-large' },
  { path: 'images/Dockerfile', reason: 'binary' },
];

describe('readRepository', () => {
  it('keeps the files the scanner reads, with their bytes, and skips symlinks, large and binary files', async () => {
    const read = await readRepository(client(), REPO);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.commit).toBe(gh.state.branches('acme', 'api').get('main'));
    expect(read.value.files.map((file) => file.path)).toEqual(KEPT);
    expect(read.value.skipped).toEqual(SKIPPED);
    const dockerfile = read.value.files.find((file) => file.path === 'Dockerfile')!;
    expect(dockerfile.bytes.toString()).toBe('FROM node:20.11.1\n');
  });

  it('skips a submodule: its content lives in another repository', async () => {
    const git = new Octokit({ baseUrl: gh.url, auth: { token } }).rest.git;
    const head = gh.state.branches('acme', 'api').get('main')!;
    const { data: base } = await git.getCommit({ ...REPO, commit_sha: head });
    const { data: tree } = await git.createTree({
      ...REPO,
      base_tree: base.tree.sha,
      tree: [{ path: 'vendor/Dockerfile', mode: '160000', type: 'commit', sha: 'a'.repeat(40) }],
    });
    const { data: commit } = await git.createCommit({
      ...REPO,
      message: 'submodule',
      tree: tree.sha,
      parents: [head],
    });
    await git.updateRef({ ...REPO, ref: 'heads/main', sha: commit.sha });
    const read = await readRepository(client(), REPO);
    expect(read.ok && read.value.skipped).toContainEqual({ path: 'vendor/Dockerfile', reason: 'unreadable' });
    expect(read.ok && read.value.files.map((file) => file.path)).toEqual(KEPT);
  });

  it('walks subtrees when the recursive listing is truncated, and lists the same files', async () => {
    gh.state.treeEntryLimit = 3;
    const read = await readRepository(client(), REPO);
    expect(read.ok && read.value.files.map((file) => file.path)).toEqual(KEPT);
    expect(read.ok && read.value.skipped).toEqual(SKIPPED);
    const trees = gh.calls.filter((call) => call.route === '/repos/:owner/:repo/git/trees/*sha');
    // The truncated recursive one, then one per directory (node_modules is never entered).
    expect(trees).toHaveLength(
      1 + ['', '.github', 'big', 'images', 'k8s', 'scripts', 'services', 'services/web', 'src'].length,
    );
  });

  it('reports a walk that would take more subtree requests than allowed', async () => {
    gh.state.treeEntryLimit = 3;
    const read = await listFiles(client(), REPO, { maxTreeRequests: 2 });
    expect(read).toMatchObject({ ok: false, error: { kind: 'rejected' } });
  });

  it('reads an unchanged repository again with 304s only, and a change with one blob request', async () => {
    await readRepository(client(), REPO);
    const before = gh.calls.length;
    const again = client();
    const read = await readRepository(again, REPO);
    expect(read.ok && read.value.files.map((file) => file.path)).toEqual(KEPT);
    const second = gh.calls.slice(before);
    expect(second.map((call) => [call.route, call.status, call.counted])).toEqual([
      ['/repos/:owner/:repo', 304, false],
      ['/repos/:owner/:repo/git/ref/*ref', 304, false],
    ]);
    expect(again.usage).toEqual({ requests: 2, notModified: 2 });

    gh.state.commit('acme', 'api', 'main', { Dockerfile: 'FROM node:22.1.0\n' });
    const mark = gh.calls.length;
    const changed = await readRepository(client(), REPO);
    expect(
      changed.ok && changed.value.files.find((file) => file.path === 'Dockerfile')!.bytes.toString(),
    ).toBe('FROM node:22.1.0\n');
    // The repository's own answer may change with the push (its pushed_at moves when the clock ticks): 200 or 304.
    const afterCommit = gh.calls.slice(mark);
    expect([200, 304]).toContain(afterCommit[0]?.status);
    expect(afterCommit.map((call, i) => [call.route, i === 0 ? 'either' : call.status])).toEqual([
      ['/repos/:owner/:repo', 'either'],
      ['/repos/:owner/:repo/git/ref/*ref', 200],
      ['/repos/:owner/:repo/git/trees/*sha', 200],
      ['/repos/:owner/:repo/git/blobs/:sha', 200],
    ]);
  });

  it('reads a given branch or commit without asking for the repository', async () => {
    const commit = gh.state.branches('acme', 'api').get('main')!;
    gh.state.commit('acme', 'api', 'main', { Dockerfile: 'FROM node:22.1.0\n' });
    const read = await readRepository(client(), { ...REPO, ref: commit });
    expect(read.ok && read.value.files.find((file) => file.path === 'Dockerfile')!.bytes.toString()).toBe(
      'FROM node:20.11.1\n',
    );
    const byBranch = await readRepository(client(), { ...REPO, ref: 'main' });
    expect(byBranch.ok && byBranch.value.commit).toBe(gh.state.branches('acme', 'api').get('main'));
    expect(gh.calls.some((call) => call.route === '/repos/:owner/:repo')).toBe(false);
  });

  it('keeps at most `concurrency` blob requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const inner = octokit();
    const counting: OctokitLike = {
      async request(route, parameters) {
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          return await inner.request(route, parameters);
        } finally {
          inFlight--;
        }
      },
    };
    const read = await readRepository(client(counting), REPO, { concurrency: 2 });
    expect(read.ok).toBe(true);
    expect(most).toBe(2);
  });
});

describe('failures', () => {
  function expectNoToken(value: unknown): void {
    const text = JSON.stringify(value) + String((value as { message?: string }).message);
    expect(text).not.toContain(token);
  }

  it('reports a missing repository as not found, which fails the job once', async () => {
    const read = await readRepository(client(), { owner: 'acme', repo: 'gone' });
    expect(read).toMatchObject({ ok: false, error: { kind: 'not-found', status: 404 } });
    if (read.ok) return;
    expect(read.error.message).toBe('GET /repos/{owner}/{repo} (acme/gone): HTTP 404');
    const jobError = toJobError(read.error);
    expect(jobError).toBeInstanceOf(PermanentJobError);
    expectNoToken(read.error);
    expectNoToken(jobError);
  });

  it('reports a 502 as transient, for the job backoff to retry, and succeeds on the retry', async () => {
    gh.failNext('GET /repos/:owner/:repo/git/blobs/:sha', 502);
    const read = await readRepository(client(), REPO);
    expect(read).toMatchObject({ ok: false, error: { kind: 'transient', status: 502 } });
    if (read.ok) return;
    const jobError = toJobError(read.error);
    expect(jobError).toBeInstanceOf(TransientJobError);
    expect((jobError as TransientJobError).retryAfterMs).toBeUndefined();
    expectNoToken(read.error);
    expect((await readRepository(client(), REPO)).ok).toBe(true);
  });

  it('reports a secondary rate limit with its wait, scoped to the installation', async () => {
    gh.secondaryRateLimitNext('GET /repos/:owner/:repo/git/trees/*sha', { retryAfter: 7 });
    const read = await readRepository(client(), REPO);
    expect(read).toMatchObject({
      ok: false,
      error: { kind: 'rate-limited', status: 403, retryAfterMs: 7000 },
    });
    if (read.ok) return;
    const jobError = toJobError(read.error) as TransientJobError;
    expect(jobError).toBeInstanceOf(TransientJobError);
    expect([jobError.retryAfterMs, jobError.scope]).toEqual([7000, 'installation']);
  });

  it('reports an expired token as transient (the retry mints a new one) without the token', async () => {
    gh.state.expireTokens();
    const read = await readRepository(client(), REPO);
    expect(read).toMatchObject({ ok: false, error: { kind: 'transient', status: 401 } });
    expectNoToken(read);
  });

  it('reads through probot’s installation client (app JWT, then an installation token)', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const probot = new Probot({
      appId: 1,
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      baseUrl: gh.url,
      Octokit,
    });
    const installation = await probot.auth(INSTALLATION);
    const read = await readRepository(new GitHubClient(installation, cache), REPO);
    expect(read.ok && read.value.files.map((file) => file.path)).toEqual(KEPT);
  });
});
