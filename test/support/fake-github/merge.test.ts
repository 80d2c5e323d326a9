// The fake GitHub's merging: repository merge settings, branch protection (required checks, up to date,
// reviews), commit statuses, other apps' check runs, `mergeable_state`, PUT /pulls/{n}/merge and native
// auto-merge through GraphQL.
import { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from './index.js';

const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
type Client = InstanceType<typeof Octokit>;

const INSTALLATION = 42;
const repo = { owner: 'acme', repo: 'api' };

let gh: FakeGitHub;
let octokit: Client;

function client(baseUrl = gh.url): Client {
  return new Octokit({ baseUrl, auth: { token: gh.state.issueToken(INSTALLATION).token } });
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { status, message } = error as { status: number; message: string };
    return { status, message };
  }
  throw new Error('expected the request to fail');
}

/** A Dockhand-like PR: branch `name` one commit ahead of main. */
async function openPull(name = 'dockhand/node-22.x', content = 'FROM node:22\n') {
  const sha = gh.state.commit('acme', 'api', name, { Dockerfile: content });
  const { data } = await octokit.rest.pulls.create({
    ...repo,
    head: name,
    base: 'main',
    title: `Update ${name}`,
  });
  return { number: data.number, nodeId: data.node_id, sha };
}

const mergeableState = async (number: number) =>
  (await octokit.rest.pulls.get({ ...repo, pull_number: number })).data.mergeable_state;

const ENABLE = `mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number autoMergeRequest { mergeMethod } }
  }
}`;

async function graphqlErrors(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    return ((error as { errors?: { message: string }[] }).errors ?? []).map((item) => item.message);
  }
  throw new Error('expected GraphQL errors');
}

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.state.createRepo('acme', 'api', { files: { Dockerfile: 'FROM node:20\n', 'README.md': '# api\n' } });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
  octokit = client();
});

afterEach(async () => {
  await gh.stop();
});

describe('settings and protection as the app can read them', () => {
  it("has GitHub's default merge settings, which tests change", async () => {
    expect((await octokit.rest.repos.get(repo)).data).toMatchObject({
      allow_auto_merge: false,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true,
      delete_branch_on_merge: false,
    });
    gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true, allowMergeCommit: false });
    expect((await octokit.rest.repos.get(repo)).data).toMatchObject({
      allow_auto_merge: true,
      allow_merge_commit: false,
    });
  });

  it('summarises protection on the branch; the protection endpoint needs administration', async () => {
    const unprotected = (await octokit.rest.repos.getBranch({ ...repo, branch: 'main' })).data;
    expect(unprotected).toMatchObject({
      protected: false,
      protection: { enabled: false, required_status_checks: { contexts: [], checks: [] } },
    });
    gh.state.protectBranch('acme', 'api', 'main', { requiredChecks: ['ci', 'lint'], strict: true });
    const branch = (await octokit.rest.repos.getBranch({ ...repo, branch: 'main' })).data;
    expect(branch).toMatchObject({
      protected: true,
      protection: {
        enabled: true,
        required_status_checks: {
          enforcement_level: 'non_admins',
          contexts: ['ci', 'lint'],
          checks: [
            { context: 'ci', app_id: null },
            { context: 'lint', app_id: null },
          ],
        },
      },
    });
    const denied = await failure(octokit.rest.repos.getBranchProtection({ ...repo, branch: 'main' }));
    expect(denied).toMatchObject({
      status: 403,
      message: expect.stringContaining('not accessible') as string,
    });
  });
});

describe('commit statuses and check runs', () => {
  it('creates statuses and combines the latest per context', async () => {
    const sha = gh.state.branches('acme', 'api').get('main')!;
    await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: 'pending', context: 'ci/jenkins' });
    gh.state.setStatus('acme', 'api', sha, { context: 'ci/jenkins', state: 'success' });
    gh.state.setStatus('acme', 'api', sha, { context: 'coverage', state: 'pending' });
    const combined = (await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha })).data;
    expect(combined.state).toBe('pending');
    expect(combined.statuses.map((status) => [status.context, status.state])).toEqual([
      ['ci/jenkins', 'success'],
      ['coverage', 'pending'],
    ]);
    gh.state.setStatus('acme', 'api', sha, { context: 'coverage', state: 'error' });
    expect((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'main' })).data.state).toBe(
      'failure',
    );
    const listed = (await octokit.rest.repos.listCommitStatusesForRef({ ...repo, ref: sha })).data;
    expect(listed.map((status) => status.state)).toEqual(['error', 'pending', 'success', 'pending']);
    const invalid = await failure(
      octokit.rest.repos.createCommitStatus({ ...repo, sha: 'f'.repeat(40), state: 'success' }),
    );
    expect(invalid.status).toBe(422);
  });

  it("lists other apps' check runs on a commit next to the app's own", async () => {
    const sha = gh.state.branches('acme', 'api').get('main')!;
    await octokit.rest.checks.create({ ...repo, name: 'Dockhand', head_sha: sha, conclusion: 'success' });
    const run = gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: sha, status: 'in_progress' });
    gh.state.updateCheckRun('acme', 'api', run.id, { conclusion: 'failure' });
    const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: sha });
    expect(data.check_runs.map((item) => [item.name, item.app?.slug, item.status, item.conclusion])).toEqual([
      ['build', 'ci', 'completed', 'failure'],
      ['Dockhand', 'dockhand', 'completed', 'success'],
    ]);
  });
});

describe('mergeable_state', () => {
  it('is clean without protection, unstable when a check is pending or failed', async () => {
    const pull = await openPull();
    expect(await mergeableState(pull.number)).toBe('clean');
    const run = gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: pull.sha });
    expect(await mergeableState(pull.number)).toBe('unstable');
    gh.state.updateCheckRun('acme', 'api', run.id, { conclusion: 'success' });
    expect(await mergeableState(pull.number)).toBe('clean');
    gh.state.setStatus('acme', 'api', pull.sha, { context: 'ci/other', state: 'failure' });
    expect(await mergeableState(pull.number)).toBe('unstable');
    // Lists do not carry it, as on GitHub.
    const listed = (await octokit.rest.pulls.list(repo)).data[0]!;
    expect('mergeable_state' in listed).toBe(false);
  });

  it('is blocked until required checks (runs or statuses) succeed, unstable past a failed other one', async () => {
    gh.state.protectBranch('acme', 'api', 'main', { requiredChecks: ['build', 'ci/jenkins'] });
    const pull = await openPull();
    expect(await mergeableState(pull.number)).toBe('blocked');
    gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: pull.sha, conclusion: 'failure' });
    gh.state.setStatus('acme', 'api', pull.sha, { context: 'ci/jenkins', state: 'success' });
    expect(await mergeableState(pull.number)).toBe('blocked');
    // A re-run: the latest run of a name counts.
    gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: pull.sha, conclusion: 'success' });
    expect(await mergeableState(pull.number)).toBe('clean');
    gh.state.addCheckRun('acme', 'api', { name: 'docs', headSha: pull.sha, conclusion: 'failure' });
    expect(await mergeableState(pull.number)).toBe('unstable');
  });

  it('is blocked without the required approvals, behind when strict and the base moved', async () => {
    gh.state.protectBranch('acme', 'api', 'main', { requiredApprovingReviews: 1, strict: true });
    const pull = await openPull();
    expect(await mergeableState(pull.number)).toBe('blocked');
    gh.state.review('acme', 'api', pull.number, 'CHANGES_REQUESTED', 'alice');
    gh.state.approve('acme', 'api', pull.number, 'bob');
    expect(await mergeableState(pull.number)).toBe('clean');
    const reviews = (await octokit.rest.pulls.listReviews({ ...repo, pull_number: pull.number })).data;
    expect(reviews.map((review) => [review.user?.login, review.state])).toEqual([
      ['alice', 'CHANGES_REQUESTED'],
      ['bob', 'APPROVED'],
    ]);
    gh.state.commit('acme', 'api', 'main', { 'README.md': '# api v2\n' });
    expect(await mergeableState(pull.number)).toBe('behind');
  });
});

describe('PUT /pulls/{n}/merge', () => {
  it('refuses a moved head (409), a disallowed method and a protected merge (405)', async () => {
    gh.state.protectBranch('acme', 'api', 'main', { requiredChecks: ['build'] });
    gh.state.setMergeSettings('acme', 'api', { allowRebaseMerge: false });
    const pull = await openPull();
    const merge = (sha: string, merge_method: 'merge' | 'squash' | 'rebase' = 'squash') =>
      failure(octokit.rest.pulls.merge({ ...repo, pull_number: pull.number, sha, merge_method }));
    expect(await merge('f'.repeat(40))).toMatchObject({
      status: 409,
      message: expect.stringContaining('Head branch was modified') as string,
    });
    expect(await merge(pull.sha, 'rebase')).toMatchObject({
      status: 405,
      message: expect.stringContaining('Rebase merges are not allowed') as string,
    });
    expect(await merge(pull.sha)).toMatchObject({
      status: 405,
      message: expect.stringContaining('Required status check "build" is expected.') as string,
    });
    gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: pull.sha, conclusion: 'failure' });
    expect((await merge(pull.sha)).message).toContain('Required status check "build" is failing.');
    expect(gh.state.pulls('acme', 'api')[0]).toMatchObject({ state: 'open', pull: { merged: false } });
  });

  it('squashes onto the base, closes the PR as merged and deletes the branch when the repository says so', async () => {
    gh.state.setMergeSettings('acme', 'api', { deleteBranchOnMerge: true });
    const pull = await openPull();
    const { data } = await octokit.rest.pulls.merge({
      ...repo,
      pull_number: pull.number,
      sha: pull.sha,
      merge_method: 'squash',
    });
    expect(data).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });
    const branches = gh.state.branches('acme', 'api');
    expect(branches.get('main')).toBe(data.sha);
    expect(branches.has('dockhand/node-22.x')).toBe(false);
    const commit = (await octokit.rest.git.getCommit({ ...repo, commit_sha: data.sha })).data;
    expect(commit.parents).toHaveLength(1);
    expect(commit.message).toBe(`Update dockhand/node-22.x (#${pull.number})`);
    expect(gh.state.file('acme', 'api', 'main', 'Dockerfile')).toBe('FROM node:22\n');
    const merged = (await octokit.rest.pulls.get({ ...repo, pull_number: pull.number })).data;
    expect(merged).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: data.sha });
    expect((await failure(octokit.rest.pulls.merge({ ...repo, pull_number: pull.number }))).status).toBe(405);
  });

  it('merges with a merge commit or rebases the head commits, keeping the branch by default', async () => {
    const first = await openPull('feature/a', 'FROM node:22\n');
    gh.state.commit('acme', 'api', 'feature/a', { 'a.txt': 'a\n' });
    const rebased = (
      await octokit.rest.pulls.merge({ ...repo, pull_number: first.number, merge_method: 'rebase' })
    ).data.sha;
    const top = (await octokit.rest.git.getCommit({ ...repo, commit_sha: rebased })).data;
    const below = (await octokit.rest.git.getCommit({ ...repo, commit_sha: top.parents[0]!.sha })).data;
    expect([top.message, below.message]).toEqual(['Update files', 'Update files']);
    expect(gh.state.file('acme', 'api', 'main', 'a.txt')).toBe('a\n');
    expect(gh.state.branches('acme', 'api').has('feature/a')).toBe(true);

    const second = await openPull('feature/b', 'FROM node:23\n');
    const merged = (await octokit.rest.pulls.merge({ ...repo, pull_number: second.number })).data.sha;
    const commit = (await octokit.rest.git.getCommit({ ...repo, commit_sha: merged })).data;
    expect(commit.parents.map((parent) => parent.sha)).toEqual([rebased, second.sha]);
    expect(gh.state.file('acme', 'api', 'main', 'Dockerfile')).toBe('FROM node:23\n');
  });
});

describe('native auto-merge (GraphQL)', () => {
  it('is refused when the repository does not allow it, or when the PR could be merged now', async () => {
    const pull = await openPull();
    const enable = () => octokit.graphql(ENABLE, { pullRequestId: pull.nodeId, mergeMethod: 'SQUASH' });
    expect(await graphqlErrors(enable())).toEqual([
      'Pull request Auto merge is not allowed for this repository',
    ]);
    gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true });
    expect(await graphqlErrors(enable())).toEqual(['Pull request is in clean status']);
    expect(
      await graphqlErrors(octokit.graphql(ENABLE, { pullRequestId: 'nope', mergeMethod: 'SQUASH' })),
    ).toEqual(["Could not resolve to a node with the global id of 'nope'"]);
  });

  it('merges by itself once the required checks pass', async () => {
    gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true, deleteBranchOnMerge: true });
    gh.state.protectBranch('acme', 'api', 'main', { requiredChecks: ['build', 'Dockhand'] });
    const pull = await openPull();
    const answer = await octokit.graphql<{ enablePullRequestAutoMerge: unknown }>(ENABLE, {
      pullRequestId: pull.nodeId,
      mergeMethod: 'SQUASH',
    });
    expect(answer.enablePullRequestAutoMerge).toMatchObject({
      pullRequest: { number: pull.number, autoMergeRequest: { mergeMethod: 'SQUASH' } },
    });
    const open = (await octokit.rest.pulls.get({ ...repo, pull_number: pull.number })).data;
    expect(open).toMatchObject({ mergeable_state: 'blocked', auto_merge: { merge_method: 'squash' } });

    const run = gh.state.addCheckRun('acme', 'api', {
      name: 'build',
      headSha: pull.sha,
      status: 'in_progress',
    });
    gh.state.updateCheckRun('acme', 'api', run.id, { conclusion: 'success' });
    expect(gh.state.pulls('acme', 'api')[0]!.state).toBe('open');
    // The last required check comes through the API (the app's own check run).
    await octokit.rest.checks.create({
      ...repo,
      name: 'Dockhand',
      head_sha: pull.sha,
      conclusion: 'success',
    });
    expect(gh.state.pulls('acme', 'api')[0]).toMatchObject({ state: 'closed', pull: { merged: true } });
    expect(gh.state.file('acme', 'api', 'main', 'Dockerfile')).toBe('FROM node:22\n');
    expect(gh.state.branches('acme', 'api').has('dockhand/node-22.x')).toBe(false);
  });

  it('waits for an approval, and answers at /api/graphql for GitHub Enterprise Server clients', async () => {
    gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true });
    gh.state.protectBranch('acme', 'api', 'main', { requiredApprovingReviews: 1 });
    const pull = await openPull();
    await client(`${gh.url}/api/v3`).graphql(ENABLE, { pullRequestId: pull.nodeId, mergeMethod: 'MERGE' });
    expect(gh.calls.at(-1)).toMatchObject({ method: 'POST', path: '/graphql', status: 200 });
    expect(gh.state.pulls('acme', 'api')[0]!.pull!.autoMerge).toMatchObject({ method: 'merge' });
    gh.state.approve('acme', 'api', pull.number);
    expect(gh.state.pulls('acme', 'api')[0]).toMatchObject({ state: 'closed', pull: { merged: true } });
  });

  it('closing the PR turns auto-merge off', async () => {
    gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true });
    gh.state.protectBranch('acme', 'api', 'main', { requiredChecks: ['build'] });
    const pull = await openPull();
    await octokit.graphql(ENABLE, { pullRequestId: pull.nodeId, mergeMethod: 'SQUASH' });
    gh.state.close('acme', 'api', pull.number);
    gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: pull.sha, conclusion: 'success' });
    expect(gh.state.pulls('acme', 'api')[0]).toMatchObject({
      state: 'closed',
      pull: { merged: false, autoMerge: null },
    });
  });
});
