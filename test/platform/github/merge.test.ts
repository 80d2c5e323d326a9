// The automerge half of the GitHub platform against the fake GitHub: merge settings, required checks,
// head checks, native auto-merge (GraphQL) and merges pinned to a head.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import type { RepoPlatform } from '../../../src/job/types.js';
import type { OctokitLike } from '../../../src/platform/github/client.js';
import { createGitHubPlatform } from '../../../src/platform/github/platform.js';
import { PermanentJobError, TransientJobError } from '../../../src/queue/worker.js';
import { startFixture, type Fixture } from './platform-fixture.js';

let fx: Fixture;
let platform: RepoPlatform;

beforeEach(async () => {
  fx = await startFixture();
  platform = fx.platform();
});

afterEach(async () => {
  await fx.gh.stop();
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

/** Dockhand's PR: a branch one commit ahead of main. */
async function openPull(branch = 'dockhand/node-22.x') {
  const sha = fx.gh.state.commit('acme', 'api', branch, { Dockerfile: 'FROM node:22\n' });
  const pull = await platform.createPullRequest({
    head: branch,
    base: 'main',
    title: `Update ${branch}`,
    body: '',
    labels: [],
  });
  return { ...pull, sha };
}

describe('pull requests', () => {
  it('carry their node id, auto-merge flag and (single reads only) mergeable state', async () => {
    const created = await openPull();
    expect(created).toMatchObject({
      nodeId: expect.any(String) as string,
      mergeableState: null,
      autoMerge: false,
    });
    fx.gh.state.protectBranch('acme', 'api', 'main', { requiredChecks: ['build'] });
    expect(await platform.getPullRequest(created.number)).toMatchObject({
      nodeId: created.nodeId,
      mergeableState: 'blocked',
      autoMerge: false,
    });
    fx.gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true });
    expect(await platform.enableAutoMerge(created, 'squash')).toEqual({ ok: true });
    const [listed] = await platform.listPullRequests('dockhand/');
    expect(listed).toMatchObject({ autoMerge: true, mergeableState: null });
  });

  it('adds labels', async () => {
    const { number } = await openPull();
    await platform.addLabels(number, ['automerge-failed']);
    await platform.addLabels(number, []);
    expect(fx.gh.state.pulls('acme', 'api')[0]!.labels).toEqual(['automerge-failed']);
  });
});

describe('merge settings', () => {
  it('come from the repository answer getRepository already read', async () => {
    await platform.getRepository();
    const since = fx.gh.calls.length;
    expect(await platform.getMergeSettings()).toEqual({
      allowAutoMerge: false,
      methods: ['squash', 'merge', 'rebase'],
      deleteBranchOnMerge: false,
    });
    expect(fx.callsSince(since)).toEqual([]);
  });

  it('are read once when the job has not read the repository', async () => {
    fx.gh.state.setMergeSettings('acme', 'api', {
      allowAutoMerge: true,
      allowSquashMerge: false,
      deleteBranchOnMerge: true,
    });
    expect(await platform.getMergeSettings()).toEqual({
      allowAutoMerge: true,
      methods: ['merge', 'rebase'],
      deleteBranchOnMerge: true,
    });
    expect(fx.callsSince(0)).toEqual(['GET /repos/:owner/:repo']);
  });
});

describe('required checks', () => {
  it('are empty for an unprotected branch and read from the branch (no administration permission)', async () => {
    expect(await platform.requiredChecks('main')).toEqual([]);
    fx.gh.state.protectBranch('acme', 'api', 'main', {
      requiredChecks: ['build', 'ci/jenkins'],
      strict: true,
    });
    expect(await platform.requiredChecks('main')).toEqual(['build', 'ci/jenkins']);
    expect(fx.callsSince(0)).toEqual([
      'GET /repos/:owner/:repo/branches/*branch',
      'GET /repos/:owner/:repo/branches/*branch',
    ]);
  });

  it('a missing branch is a permanent error', async () => {
    expect(await rejection(platform.requiredChecks('gone'))).toBeInstanceOf(PermanentJobError);
  });
});

describe('head checks', () => {
  it('lists every check run (all pages) and the latest status per context', async () => {
    const sha = fx.gh.state.branches('acme', 'api').get('main')!;
    for (let index = 0; index < 104; index++)
      fx.gh.state.addCheckRun('acme', 'api', { name: `job-${index}`, headSha: sha, conclusion: 'success' });
    fx.gh.state.addCheckRun('acme', 'api', { name: 'slow', headSha: sha, status: 'in_progress' });
    fx.gh.state.setStatus('acme', 'api', sha, { context: 'ci/jenkins', state: 'pending' });
    fx.gh.state.setStatus('acme', 'api', sha, { context: 'ci/jenkins', state: 'failure' });
    fx.gh.state.setStatus('acme', 'api', sha, { context: 'coverage', state: 'success' });

    const checks = await platform.headChecks(sha);
    expect(checks.checkRuns).toHaveLength(105);
    expect(checks.checkRuns).toContainEqual({ name: 'slow', status: 'in_progress', conclusion: null });
    expect(checks.checkRuns).toContainEqual({ name: 'job-0', status: 'completed', conclusion: 'success' });
    expect(checks.statuses).toEqual([
      { context: 'ci/jenkins', state: 'failure' },
      { context: 'coverage', state: 'success' },
    ]);
    expect(fx.callsSince(fx.gh.calls.length - 3)).toEqual([
      'GET /repos/:owner/:repo/commits/*ref/check-runs',
      'GET /repos/:owner/:repo/commits/*ref/check-runs',
      'GET /repos/:owner/:repo/commits/*ref/status',
    ]);
  });

  it('a commit without checks has none', async () => {
    const sha = fx.gh.state.branches('acme', 'api').get('main')!;
    expect(await platform.headChecks(sha)).toEqual({ checkRuns: [], statuses: [] });
  });
});

describe('native auto-merge', () => {
  it("returns GitHub's refusals as reasons", async () => {
    const pull = await openPull();
    expect(await platform.enableAutoMerge(pull, 'squash')).toEqual({
      ok: false,
      reason: 'Pull request Auto merge is not allowed for this repository',
    });
    fx.gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true });
    expect(await platform.enableAutoMerge(pull, 'squash')).toEqual({
      ok: false,
      reason: 'Pull request is in clean status',
    });
  });

  it('is enabled and GitHub merges once the required checks pass', async () => {
    fx.gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true, deleteBranchOnMerge: true });
    fx.gh.state.protectBranch('acme', 'api', 'main', { requiredChecks: ['build'] });
    const pull = await openPull();
    expect(await platform.enableAutoMerge(pull, 'squash')).toEqual({ ok: true });
    expect(await platform.getPullRequest(pull.number)).toMatchObject({ state: 'open', autoMerge: true });
    fx.gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: pull.sha, conclusion: 'success' });
    expect(await platform.getPullRequest(pull.number)).toMatchObject({ state: 'closed', merged: true });
    expect(fx.gh.state.branches('acme', 'api').has('dockhand/node-22.x')).toBe(false);
  });

  it('goes through POST /graphql when the client has no graphql method', async () => {
    fx.gh.state.setMergeSettings('acme', 'api', { allowAutoMerge: true });
    fx.gh.state.protectBranch('acme', 'api', 'main', { requiredChecks: ['build'] });
    const pull = await openPull();
    const full = fx.octokit();
    const octokit: OctokitLike = { request: (route, parameters) => full.request(route, parameters) };
    const plain = createGitHubPlatform({ octokit, cache: new MemoryCache(), repository: 'acme/api' });
    expect(await plain.enableAutoMerge(pull, 'rebase')).toEqual({ ok: true });
    expect(fx.gh.state.pulls('acme', 'api')[0]!.pull!.autoMerge).toMatchObject({ method: 'rebase' });
    expect(await plain.enableAutoMerge({ nodeId: 'nope' }, 'rebase')).toEqual({
      ok: false,
      reason: "Could not resolve to a node with the global id of 'nope'",
    });
    expect(plain.usage.requests).toBe(2);
  });

  it('a GraphQL rate limit is transient; an HTTP failure is classified as for REST', async () => {
    const limited = createGitHubPlatform({
      octokit: {
        request: () => Promise.reject(new Error('unused')),
        graphql: () =>
          Promise.reject(
            Object.assign(new Error('Request failed due to following response errors'), {
              errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }],
            }),
          ),
      },
      cache: new MemoryCache(),
      repository: 'acme/api',
    });
    const error = await rejection(limited.enableAutoMerge({ nodeId: 'x' }, 'squash'));
    expect(error).toBeInstanceOf(TransientJobError);
    expect(error).toMatchObject({ scope: 'installation' });

    fx.gh.failNext('POST /graphql', 502);
    expect(await rejection(platform.enableAutoMerge({ nodeId: 'x' }, 'squash'))).toBeInstanceOf(
      TransientJobError,
    );
  });
});

describe('merging', () => {
  it("merges the head it was given, and says why GitHub would not (GitHub's words)", async () => {
    fx.gh.state.protectBranch('acme', 'api', 'main', {
      requiredChecks: ['build'],
      requiredApprovingReviews: 1,
    });
    fx.gh.state.setMergeSettings('acme', 'api', { allowMergeCommit: false });
    const pull = await openPull();
    expect(await platform.mergePullRequest(pull.number, { sha: pull.sha, method: 'squash' })).toEqual({
      merged: false,
      reason:
        'At least 1 approving review is required by reviewers with write access.\nRequired status check "build" is expected.',
    });
    expect(await platform.mergePullRequest(pull.number, { sha: pull.sha, method: 'merge' })).toEqual({
      merged: false,
      reason: 'Merge commits are not allowed on this repository.',
    });
    fx.gh.state.approve('acme', 'api', pull.number);
    fx.gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: pull.sha, conclusion: 'success' });
    // Someone pushed after the checks were read.
    const pushed = fx.gh.state.commit('acme', 'api', 'dockhand/node-22.x', { 'extra.txt': 'x\n' });
    expect(await platform.mergePullRequest(pull.number, { sha: pull.sha, method: 'squash' })).toEqual({
      merged: false,
      reason: 'Head branch was modified. Review and try the merge again.',
    });
    fx.gh.state.addCheckRun('acme', 'api', { name: 'build', headSha: pushed, conclusion: 'success' });
    fx.gh.state.approve('acme', 'api', pull.number);
    const merged = await platform.mergePullRequest(pull.number, { sha: pushed, method: 'squash' });
    expect(merged).toEqual({ merged: true, sha: fx.gh.state.branches('acme', 'api').get('main') });
    expect(await platform.getPullRequest(pull.number)).toMatchObject({ state: 'closed', merged: true });
    expect(await platform.mergePullRequest(pull.number, { sha: pushed, method: 'squash' })).toEqual({
      merged: false,
      reason: 'Pull Request is not mergeable',
    });
  });

  it('a base behind a strict branch is refused; other failures throw as usual', async () => {
    fx.gh.state.protectBranch('acme', 'api', 'main', { strict: true });
    const pull = await openPull();
    fx.gh.state.commit('acme', 'api', 'main', { 'README.md': '# moved\n' });
    expect(await platform.getPullRequest(pull.number)).toMatchObject({ mergeableState: 'behind' });
    const refused = await platform.mergePullRequest(pull.number, { sha: pull.sha, method: 'squash' });
    expect(refused).toMatchObject({
      merged: false,
      reason: expect.stringContaining('out of date') as string,
    });

    expect(
      await rejection(platform.mergePullRequest(999, { sha: pull.sha, method: 'squash' })),
    ).toBeInstanceOf(PermanentJobError);
    fx.gh.failNext('PUT /repos/acme/api/pulls/:number/merge', 502);
    expect(
      await rejection(platform.mergePullRequest(pull.number, { sha: pull.sha, method: 'squash' })),
    ).toBeInstanceOf(TransientJobError);
  });
});
