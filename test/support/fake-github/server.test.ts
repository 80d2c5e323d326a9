import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from './index.js';

// Retries and throttling off (function form, see TECH-NOTES): each call is one request.
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
type Client = InstanceType<typeof Octokit>;

const INSTALLATION = 42;
const DOCKERFILE = 'FROM node:20.11.1\n';

let gh: FakeGitHub;
let octokit: Client;

function client(baseUrl = gh.url): Client {
  return new Octokit({ baseUrl, auth: { token: gh.state.issueToken(INSTALLATION).token } });
}

async function status(
  promise: Promise<unknown>,
): Promise<{ status: number; message: string; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as {
      status: number;
      message: string;
      response?: { headers: Record<string, string> };
    };
    return { status: failure.status, message: failure.message, headers: failure.response?.headers ?? {} };
  }
  throw new Error('expected the request to fail');
}

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.state.createRepo('acme', 'api', {
    files: {
      Dockerfile: DOCKERFILE,
      'services/web/Dockerfile': 'FROM nginx:1.25\n',
      'scripts/build.sh': { content: '#!/bin/sh\n', executable: true },
      'Dockerfile.link': { symlink: 'Dockerfile' },
      '.github/workflows/build.yml': 'on:\n  workflow_dispatch:\n    inputs:\n      no-cache: {}\n',
    },
  });
  gh.state.createRepo('acme', 'old', { archived: true, defaultBranch: 'master' });
  gh.state.createRepo('other', 'secret');
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
  octokit = client();
});

afterEach(async () => {
  await gh.stop();
});

describe('app authentication', () => {
  it('gives probot an installation token for its app JWT and records that a JWT was sent', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const probot = new Probot({
      appId: 1,
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      baseUrl: gh.url,
      Octokit,
    });
    const app = await probot.auth();
    const installations = await app.paginate(app.rest.apps.listInstallations);
    expect(installations.map((installation) => installation.id)).toEqual([INSTALLATION]);

    const installation = await probot.auth(INSTALLATION);
    const repos = await installation.paginate(installation.rest.apps.listReposAccessibleToInstallation);
    expect(repos.map((repo) => repo.full_name)).toEqual(['acme/api', 'acme/old']);

    const tokenCall = gh.calls.find((call) => call.route === '/app/installations/:id/access_tokens');
    expect(tokenCall).toMatchObject({ method: 'POST', status: 201, jwt: true });
    expect(gh.calls.at(-1)).toMatchObject({ installationId: INSTALLATION, jwt: false, status: 200 });
  });

  it('never keeps tokens in the call log, and logs unknown routes with route null', async () => {
    const token = gh.state.issueToken(INSTALLATION).token;
    const response = await fetch(`${gh.url}/repos/acme/api/unknown/thing`, {
      headers: { authorization: `token ${token}` },
    });
    expect(response.status).toBe(404);
    await new Octokit({ baseUrl: gh.url, auth: { token } }).rest.repos.get({ owner: 'acme', repo: 'api' });
    expect(gh.calls.map((call) => [call.route, call.status])).toEqual([
      [null, 404],
      ['/repos/:owner/:repo', 200],
    ]);
    expect(JSON.stringify(gh.calls)).not.toContain(token);
  });

  it('refuses app routes without a JWT and repository routes without a live token', async () => {
    expect((await status(octokit.rest.apps.listInstallations())).status).toBe(401);
    expect(
      (
        await status(
          new Octokit({ baseUrl: gh.url, auth: { token: 'ghs_unknown' } }).rest.repos.get({
            owner: 'acme',
            repo: 'api',
          }),
        )
      ).status,
    ).toBe(401);
    gh.state.expireTokens();
    expect((await status(octokit.rest.repos.get({ owner: 'acme', repo: 'api' }))).status).toBe(401);
  });
});

describe('repositories', () => {
  it('answers 404 for unknown repositories and for those outside the installation', async () => {
    expect((await status(octokit.rest.repos.get({ owner: 'acme', repo: 'nope' }))).status).toBe(404);
    expect((await status(octokit.rest.repos.get({ owner: 'other', repo: 'secret' }))).status).toBe(404);
  });

  it('describes a repository with its default branch, archived flag and a clone URL on this server', async () => {
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'old' });
    expect(data).toMatchObject({
      full_name: 'acme/old',
      default_branch: 'master',
      archived: true,
      clone_url: `${gh.url}/acme/old.git`,
    });
    const write = await status(octokit.rest.issues.create({ owner: 'acme', repo: 'old', title: 'x' }));
    expect(write).toMatchObject({ status: 403 });
  });

  it('serves the API under /api/v3 too (GitHub Enterprise Server layout) with links under it', async () => {
    const ghes = client(`${gh.url}/api/v3`);
    const { data } = await ghes.rest.repos.get({ owner: 'acme', repo: 'api' });
    expect(data.url).toBe(`${gh.url}/api/v3/repos/acme/api`);
  });
});

describe('git data', () => {
  it('lists the tree with modes, reads blobs and contents (JSON and raw)', async () => {
    const { data: tree } = await octokit.rest.git.getTree({
      owner: 'acme',
      repo: 'api',
      tree_sha: 'main',
      recursive: '1',
    });
    expect(tree.truncated).toBe(false);
    const modes = Object.fromEntries(tree.tree.map((entry) => [entry.path, `${entry.mode} ${entry.type}`]));
    expect(modes).toMatchObject({
      Dockerfile: '100644 blob',
      'Dockerfile.link': '120000 blob',
      'scripts/build.sh': '100755 blob',
      services: '040000 tree',
      'services/web/Dockerfile': '100644 blob',
    });
    const dockerfile = tree.tree.find((entry) => entry.path === 'Dockerfile')!;
    expect(dockerfile.size).toBe(DOCKERFILE.length);
    const { data: blob } = await octokit.rest.git.getBlob({
      owner: 'acme',
      repo: 'api',
      file_sha: dockerfile.sha!,
    });
    expect(Buffer.from(blob.content, 'base64').toString()).toBe(DOCKERFILE);

    const { data: json } = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: 'api',
      path: 'services/web/Dockerfile',
    });
    expect(json).toMatchObject({ type: 'file', path: 'services/web/Dockerfile', encoding: 'base64' });
    const { data: raw } = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: 'api',
      path: 'Dockerfile',
      mediaType: { format: 'raw' },
    });
    expect(raw).toBe(DOCKERFILE);
  });

  it('truncates recursive listings past the configured entry limit', async () => {
    gh.state.treeEntryLimit = 3;
    const { data } = await octokit.rest.git.getTree({
      owner: 'acme',
      repo: 'api',
      tree_sha: 'main',
      recursive: '1',
    });
    expect(data).toMatchObject({ truncated: true });
    expect(data.tree).toHaveLength(3);
    const { data: top } = await octokit.rest.git.getTree({ owner: 'acme', repo: 'api', tree_sha: 'main' });
    expect(top.truncated).toBe(false);
  });

  it('creates blob, tree, commit and branch; identical content gives identical shas; refs refuse non-fast-forwards', async () => {
    const repo = { owner: 'acme', repo: 'api' };
    const { data: same } = await octokit.rest.git.createBlob({ ...repo, content: DOCKERFILE });
    const { data: head } = await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' });
    const { data: base } = await octokit.rest.repos.getCommit({ ...repo, ref: head.object.sha });
    const { data: tree } = await octokit.rest.git.getTree({ ...repo, tree_sha: base.commit.tree.sha });
    expect(tree.tree.find((entry) => entry.path === 'Dockerfile')!.sha).toBe(same.sha);

    const { data: blob } = await octokit.rest.git.createBlob({
      ...repo,
      content: Buffer.from('FROM node:22\n').toString('base64'),
      encoding: 'base64',
    });
    const { data: newTree } = await octokit.rest.git.createTree({
      ...repo,
      base_tree: base.commit.tree.sha,
      tree: [
        { path: 'Dockerfile', mode: '100644', type: 'blob', sha: blob.sha },
        { path: 'services/web/Dockerfile', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      ...repo,
      message: 'Update node',
      tree: newTree.sha,
      parents: [head.object.sha],
    });
    expect(commit.verification?.verified).toBe(true);
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/dockhand/node-22.x', sha: commit.sha });
    expect(
      (
        await status(
          octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/dockhand/node-22.x', sha: commit.sha }),
        )
      ).status,
    ).toBe(422);

    const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: 'heads/dockhand/node-22.x' });
    expect(ref.object.sha).toBe(commit.sha);
    expect(gh.state.file('acme', 'api', 'dockhand/node-22.x', 'Dockerfile')).toBe('FROM node:22\n');
    expect(gh.state.file('acme', 'api', 'dockhand/node-22.x', 'services/web/Dockerfile')).toBeUndefined();
    expect(gh.state.file('acme', 'api', 'dockhand/node-22.x', 'scripts/build.sh')).toBe('#!/bin/sh\n');

    // A commit that does not descend from the branch head needs force.
    const { data: sideways } = await octokit.rest.git.createCommit({
      ...repo,
      message: 'Rebased',
      tree: newTree.sha,
      parents: [head.object.sha],
    });
    const update = { ...repo, ref: 'heads/dockhand/node-22.x', sha: sideways.sha };
    expect((await status(octokit.rest.git.updateRef(update))).status).toBe(422);
    await octokit.rest.git.updateRef({ ...update, force: true });
    await octokit.rest.git.deleteRef({ ...repo, ref: 'heads/dockhand/node-22.x' });
    expect((await status(octokit.rest.git.getRef({ ...repo, ref: 'heads/dockhand/node-22.x' }))).status).toBe(
      404,
    );
  });
});

describe('pull requests and issues', () => {
  const repo = { owner: 'acme', repo: 'api' };

  it('opens a PR, refuses a duplicate, finds it by head, follows its branch and closes it', async () => {
    const first = gh.state.commit('acme', 'api', 'dockhand/node-22.x', { Dockerfile: 'FROM node:22\n' });
    const { data: pull } = await octokit.rest.pulls.create({
      ...repo,
      title: 'Update node to 22',
      head: 'dockhand/node-22.x',
      base: 'main',
      body: '<!-- dockhand -->',
    });
    expect(pull).toMatchObject({
      number: 1,
      state: 'open',
      head: { ref: 'dockhand/node-22.x', sha: first },
      user: { login: 'dockhand[bot]' },
    });

    const duplicate = await status(
      octokit.rest.pulls.create({ ...repo, title: 'again', head: 'dockhand/node-22.x', base: 'main' }),
    );
    expect(duplicate.status).toBe(422);
    expect(duplicate.message).toContain('A pull request already exists for acme:dockhand/node-22.x.');

    const { data: found } = await octokit.rest.pulls.list({
      ...repo,
      head: 'acme:dockhand/node-22.x',
      state: 'open',
    });
    expect(found.map((item) => item.number)).toEqual([1]);
    expect((await octokit.rest.pulls.list({ ...repo, head: 'acme:other' })).data).toEqual([]);

    // The base moved, then the bot rebased its branch: the PR follows both.
    const baseMoved = gh.state.commit('acme', 'api', 'main', { 'README.md': 'hello\n' });
    const second = gh.state.commit('acme', 'api', 'dockhand/node-22.x', { Dockerfile: 'FROM node:22.1\n' });
    const { data: after } = await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
    expect(after).toMatchObject({ head: { sha: second }, base: { sha: baseMoved } });
    const { data: compare } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: 'main...dockhand/node-22.x',
    });
    expect(compare).toMatchObject({ status: 'diverged', ahead_by: 2, behind_by: 1 });

    await octokit.rest.pulls.update({
      ...repo,
      pull_number: 1,
      title: 'Update node to 22.1',
      state: 'closed',
    });
    expect(gh.state.pulls('acme', 'api')[0]).toMatchObject({
      title: 'Update node to 22.1',
      state: 'closed',
      pull: { merged: false },
    });
    const { data: files } = await octokit.rest.pulls.listFiles({ ...repo, pull_number: 1 });
    expect(files.map((file) => [file.filename, file.status])).toEqual([['Dockerfile', 'modified']]);
  });

  it('refuses a PR with no commits, and merging applies the head to the base', async () => {
    const none = await status(octokit.rest.pulls.create({ ...repo, title: 't', head: 'main', base: 'main' }));
    expect(none.status).toBe(422);
    gh.state.commit('acme', 'api', 'feature', { Dockerfile: 'FROM node:22\n' });
    const { data: pull } = await octokit.rest.pulls.create({
      ...repo,
      title: 't',
      head: 'feature',
      base: 'main',
    });
    gh.state.commit('acme', 'api', 'main', { 'README.md': 'base moved\n' });
    gh.state.mergePull('acme', 'api', pull.number);
    expect(gh.state.file('acme', 'api', 'main', 'Dockerfile')).toBe('FROM node:22\n');
    expect(gh.state.file('acme', 'api', 'main', 'README.md')).toBe('base moved\n');
    expect((await octokit.rest.pulls.get({ ...repo, pull_number: pull.number })).data).toMatchObject({
      merged: true,
      state: 'closed',
    });
  });

  it('keeps issues (the dashboard) with labels and comments; issue lists include PRs', async () => {
    const { data: issue } = await octokit.rest.issues.create({
      ...repo,
      title: 'Dependency dashboard',
      labels: ['dockhand'],
    });
    gh.state.createIssue('acme', 'api', { title: 'Human issue', labels: ['dockhand'], user: 'alice' });
    gh.state.commit('acme', 'api', 'feature', { Dockerfile: 'FROM node:22\n' });
    const { data: pull } = await octokit.rest.pulls.create({
      ...repo,
      title: 'PR',
      head: 'feature',
      base: 'main',
    });
    await octokit.rest.issues.addLabels({
      ...repo,
      issue_number: pull.number,
      labels: ['dockhand', 'docker'],
    });

    const { data: mine } = await octokit.rest.issues.listForRepo({
      ...repo,
      creator: 'dockhand[bot]',
      labels: 'dockhand',
      state: 'open',
    });
    expect(mine.map((item) => [item.number, Boolean(item.pull_request)])).toEqual([
      [pull.number, true],
      [issue.number, false],
    ]);

    await octokit.rest.issues.update({ ...repo, issue_number: issue.number, body: '- [ ] update node' });
    await octokit.rest.issues.createComment({ ...repo, issue_number: issue.number, body: 'Run finished' });
    gh.state.comment('acme', 'api', issue.number, '@dockhand rebase', 'alice');
    const { data: comments } = await octokit.rest.issues.listComments({
      ...repo,
      issue_number: issue.number,
    });
    expect(comments.map((comment) => [comment.user?.login, comment.body])).toEqual([
      ['dockhand[bot]', 'Run finished'],
      ['alice', '@dockhand rebase'],
    ]);
    expect(gh.state.issues('acme', 'api').map((item) => item.title)).toEqual([
      'Dependency dashboard',
      'Human issue',
    ]);
    expect(gh.state.pulls('acme', 'api')[0]!.labels).toEqual(['dockhand', 'docker']);
  });
});

describe('check runs and dispatches', () => {
  const repo = { owner: 'acme', repo: 'api' };
  const annotation = (line: number) => ({
    path: 'Dockerfile',
    start_line: line,
    end_line: line,
    annotation_level: 'warning' as const,
    message: `finding ${line}`,
  });

  it('refuses more than 50 annotations per request and appends them on update', async () => {
    const head_sha = gh.state.branches('acme', 'api').get('main')!;
    const many = Array.from({ length: 51 }, (_, index) => annotation(index + 1));
    const tooMany = await status(
      octokit.rest.checks.create({
        ...repo,
        name: 'Dockhand',
        head_sha,
        output: { title: 't', summary: 's', annotations: many },
      }),
    );
    expect(tooMany.status).toBe(422);

    const { data: run } = await octokit.rest.checks.create({
      ...repo,
      name: 'Dockhand',
      head_sha,
      status: 'in_progress',
      output: { title: 't', summary: 's', annotations: many.slice(0, 50) },
    });
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: run.id,
      conclusion: 'failure',
      output: { title: 't', summary: '51 findings', annotations: many.slice(50) },
    });
    const [stored] = gh.state.checkRuns('acme', 'api');
    expect(stored).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { summary: '51 findings' },
    });
    expect(stored!.annotations).toHaveLength(51);

    const { data: list } = await octokit.rest.checks.listForRef({
      ...repo,
      ref: 'main',
      check_name: 'Dockhand',
    });
    expect(list.total_count).toBe(1);
    expect(list.check_runs[0]!.output.annotations_count).toBe(51);
  });

  it('records workflow dispatches with their inputs and refuses unknown workflows', async () => {
    await octokit.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'build.yml',
      ref: 'main',
      inputs: { 'no-cache': 'true' },
    });
    expect(gh.state.dispatches('acme', 'api')).toMatchObject([
      { kind: 'workflow', workflowId: 'build.yml', ref: 'main', inputs: { 'no-cache': 'true' } },
    ]);
    expect(
      (
        await status(
          octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'missing.yml', ref: 'main' }),
        )
      ).status,
    ).toBe(404);
  });
});

describe('quota, conditional requests and injected failures', () => {
  const repo = { owner: 'acme', repo: 'api' };

  it('answers a matching If-None-Match with 304, which costs no quota and is logged as not counted', async () => {
    const first = await octokit.rest.git.getTree({ ...repo, tree_sha: 'main', recursive: '1' });
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    expect(first.headers.etag).toBeTruthy();
    const notModified = await status(
      octokit.rest.git.getTree({
        ...repo,
        tree_sha: 'main',
        recursive: '1',
        headers: { 'if-none-match': first.headers.etag },
      }),
    );
    expect(notModified.status).toBe(304);
    expect(Number(notModified.headers['x-ratelimit-remaining'])).toBe(remaining);
    expect(gh.calls.at(-1)).toMatchObject({ status: 304, counted: false, repo: 'acme/api' });

    gh.state.commit('acme', 'api', 'main', { Dockerfile: 'FROM node:22\n' });
    const changed = await octokit.rest.git.getTree({
      ...repo,
      tree_sha: 'main',
      recursive: '1',
      headers: { 'if-none-match': first.headers.etag },
    });
    expect(changed.status).toBe(200);
    expect(Number(changed.headers['x-ratelimit-remaining'])).toBe(remaining - 1);
  });

  it('paginates with Link headers and per_page', async () => {
    for (let index = 0; index < 33; index++) gh.state.createRepo('acme', `repo-${index}`);
    const first = await octokit.rest.apps.listReposAccessibleToInstallation({ per_page: 10 });
    expect(first.headers.link).toContain('rel="next"');
    expect(first.data.total_count).toBe(35);
    gh.calls.length = 0;
    const all = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 10 });
    expect(all).toHaveLength(35);
    expect(gh.calls).toHaveLength(4);
  });

  it('fails the next matching requests as told, then answers normally', async () => {
    gh.failNext('GET /repos/:owner/:repo/git/trees/*', 502, { times: 2 });
    const tree = { ...repo, tree_sha: 'main' };
    expect((await status(octokit.rest.git.getTree(tree))).status).toBe(502);
    expect((await status(octokit.rest.git.getTree(tree))).status).toBe(502);
    expect((await octokit.rest.git.getTree(tree)).status).toBe(200);
    expect(gh.calls.map((call) => [call.status, call.injected])).toEqual([
      [502, true],
      [502, true],
      [200, false],
    ]);
  });

  it('answers a secondary rate limit with 403, retry-after and the message octokit recognises', async () => {
    gh.secondaryRateLimitNext('POST /repos/acme/api/pulls', { retryAfter: 7 });
    gh.state.commit('acme', 'api', 'feature', { Dockerfile: 'FROM node:22\n' });
    const limited = await status(
      octokit.rest.pulls.create({ ...repo, title: 't', head: 'feature', base: 'main' }),
    );
    expect(limited.status).toBe(403);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.message).toMatch(/secondary rate limit/);
    expect(
      (await octokit.rest.pulls.create({ ...repo, title: 't', head: 'feature', base: 'main' })).status,
    ).toBe(201);
  });

  it('counts quota per installation and refuses requests once it is used up', async () => {
    const one = await octokit.rest.repos.get(repo);
    const two = await octokit.rest.repos.get(repo);
    expect(one.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(two.headers['x-ratelimit-remaining'])).toBe(
      Number(one.headers['x-ratelimit-remaining']) - 1,
    );
    gh.setRateLimitRemaining(INSTALLATION, 0);
    const refused = await status(octokit.rest.repos.get(repo));
    expect(refused).toMatchObject({ status: 403, headers: { 'x-ratelimit-remaining': '0' } });
  });

  it('waits out the configured latency before each answer', async () => {
    const waits: number[] = [];
    const slow = await startFakeGitHub({ latencyMs: 25, sleep: async (ms) => void waits.push(ms) });
    try {
      slow.state.createRepo('acme', 'api');
      slow.state.addInstallation({ id: INSTALLATION, account: 'acme' });
      const token = slow.state.issueToken(INSTALLATION).token;
      const slowClient = new Octokit({ baseUrl: slow.url, auth: { token } });
      await slowClient.rest.repos.get(repo);
      slow.setLatency(0);
      await slowClient.rest.repos.get(repo);
      expect(waits).toEqual([25]);
    } finally {
      await slow.stop();
    }
  });
});
