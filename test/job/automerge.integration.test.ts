// Automerge through the repository job (issue 13): the fake GitHub holds the repository, its merge
// settings, branch protection, reviews, and the check runs and statuses other systems report on a PR's
// head; a real registry (Debian's docker-registry) serves the images as Docker Hub's mirror.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { operatorSettings } from '../../src/config/operator.js';
import { AUTOMERGE_FAILED_LABEL } from '../../src/job/automerge-run.js';
import { runRepositoryJob } from '../../src/job/run.js';
import type { RepoResult } from '../../src/job/types.js';
import type { RepoJobData } from '../../src/queue/types.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { jobPlatform } from '../support/job-platform.js';

const INSTALLATION = 11;
const BRANCH = 'dockhand/node-20.x';

let gh: FakeGitHub;
let registry: TestRegistry;
const registryCache = new MemoryCache();

beforeAll(async () => {
  [registry, gh] = await Promise.all([startRegistry(), startFakeGitHub()]);
  await registry.push('library/node', '20.1.0', { images: [{ created: '2025-01-10T00:00:00Z' }] });
  await registry.push('library/node', '20.5.0', { images: [{ created: '2025-03-10T00:00:00Z' }] });
  gh.state.createRepo('acme', '.github', { files: { 'dockhand.yml': 'cacheTtlSeconds: 0\n' } });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
}, 120_000);
afterAll(async () => {
  await gh?.stop();
  await registry?.stop();
});

function run(repository: string, data: Partial<RepoJobData> = {}, now?: () => number): Promise<RepoResult> {
  return runRepositoryJob(
    { installationId: INSTALLATION, repository, reason: 'push', ...data },
    {
      platform: jobPlatform(gh, INSTALLATION, repository),
      registryCache,
      mention: '@dockhand',
      operator: operatorSettings({ registries: [{ host: 'docker.io', mirror: registry.url }] }, {}),
      ...(now && { now }),
    },
  );
}

const CONFIG =
  'updates:\n  pinDigests: false\n  separateMajor: false\n  automerge: [minor]\npullRequests:\n  rebaseWhen: never\n';

/** A repository whose node 20.1.0 has a minor update, and its Dockhand PR opened by a first run. */
async function repoWithPull(name: string, config = CONFIG) {
  gh.state.createRepo('acme', name, {
    files: { Dockerfile: 'FROM node:20.1.0\nUSER node\n', '.github/dockhand.yml': config },
  });
  await run(`acme/${name}`, { reason: 'repositories-added' });
  const pull = gh.state.pulls('acme', name).find((p) => p.pull!.head === BRANCH)!;
  return { number: pull.number, head: pull.pull!.headSha };
}

const pullOf = (name: string, number: number) =>
  gh.state.pulls('acme', name).find((p) => p.number === number)!;
const commentsOf = (name: string, number: number) => pullOf(name, number).comments.map((c) => c.body);

describe('automerge in the repository job', () => {
  it('merges once every check on the head passed, deletes the branch, and the dashboard says so', async () => {
    const { number, head } = await repoWithPull('green');
    // The first run opened the PR: its checks had not run, so nothing was merged.
    expect(pullOf('green', number).state).toBe('open');
    gh.state.addCheckRun('acme', 'green', { name: 'build', headSha: head, conclusion: 'success' });
    gh.state.setStatus('acme', 'green', head, { context: 'ci/legacy', state: 'success' });
    // A check_suite webhook, or simply the next run: both evaluate open PRs.
    const result = await run('acme/green', { reason: 'checks-completed', number });
    expect(result.automerge?.merged).toEqual([{ number, title: 'Update node to 20.5.0' }]);
    expect(pullOf('green', number)).toMatchObject({ state: 'closed' });
    expect(pullOf('green', number).pull!.merged).toBe(true);
    expect(gh.state.file('acme', 'green', 'main', 'Dockerfile')).toBe('FROM node:20.5.0\nUSER node\n');
    expect(gh.state.branches('acme', 'green').has(BRANCH)).toBe(false);
    const [dashboard] = gh.state.issues('acme', 'green').filter((i) => !i.pull);
    expect(dashboard!.body).toContain(`## Merged`);
    expect(dashboard!.body).toContain(`- #${number} Update node to 20.5.0`);
  }, 120_000);

  it('a missed webhook only delays the merge: the next scheduled run merges', async () => {
    const { number, head } = await repoWithPull('missed');
    gh.state.addCheckRun('acme', 'missed', { name: 'build', headSha: head, conclusion: 'success' });
    // No check_suite delivery reached the app; the weekly crawl's run finds the PR ready.
    const result = await run('acme/missed', { reason: 'schedule' });
    expect(result.automerge?.merged).toEqual([{ number, title: 'Update node to 20.5.0' }]);
  }, 120_000);

  it('uses a merge method the repository allows (squash first, else a merge commit)', async () => {
    const { number, head } = await repoWithPull('methods');
    gh.state.setMergeSettings('acme', 'methods', { allowSquashMerge: false });
    gh.state.addCheckRun('acme', 'methods', { name: 'build', headSha: head, conclusion: 'success' });
    await run('acme/methods', { reason: 'checks-completed', number });
    const main = gh.state.branches('acme', 'methods').get('main')!;
    const commit = gh.state.repo('acme', 'methods').commitObject(main);
    expect(commit.parents).toHaveLength(2);
    expect(commit.message).toContain(`Merge pull request #${number}`);
  }, 120_000);

  it('waits while a check runs: no merge, no comment', async () => {
    const { number, head } = await repoWithPull('pending');
    gh.state.addCheckRun('acme', 'pending', { name: 'build', headSha: head, status: 'in_progress' });
    const result = await run('acme/pending', { reason: 'checks-completed', number });
    expect(result.automerge?.merged).toEqual([]);
    expect(pullOf('pending', number).state).toBe('open');
    expect(commentsOf('pending', number)).toEqual([]);
  }, 120_000);

  it('a failed check: the PR stays open with a label and one comment naming it, once per head', async () => {
    const { number, head } = await repoWithPull('red');
    gh.state.addCheckRun('acme', 'red', { name: 'build', headSha: head, conclusion: 'failure' });
    const result = await run('acme/red', { reason: 'checks-completed', number });
    expect(result.automerge?.failed).toEqual([{ number, title: 'Update node to 20.5.0', checks: ['build'] }]);
    expect(pullOf('red', number).state).toBe('open');
    expect(pullOf('red', number).labels).toContain(AUTOMERGE_FAILED_LABEL);
    await run('acme/red');
    const said = commentsOf('red', number).filter((c) => c.includes('did not merge'));
    expect(said).toEqual([
      'Dockhand did not merge this pull request: `build` failed. It will try again when the branch changes.',
    ]);
    const [dashboard] = gh.state.issues('acme', 'red').filter((i) => !i.pull);
    expect(dashboard!.body).toContain('## Automerge failed');
  }, 120_000);

  it('never merges a branch someone else pushed to', async () => {
    const { number } = await repoWithPull('pushed');
    const sha = gh.state.commit('acme', 'pushed', BRANCH, { 'NOTES.md': 'mine\n' }, 'Add notes');
    gh.state.addCheckRun('acme', 'pushed', { name: 'build', headSha: sha, conclusion: 'success' });
    const result = await run('acme/pushed', { reason: 'checks-completed', number });
    expect(result.automerge?.merged).toEqual([]);
    expect(pullOf('pushed', number).state).toBe('open');
  }, 120_000);

  it('required reviews: reported once as blocked, not retried into a loop', async () => {
    const { number, head } = await repoWithPull('reviewed');
    gh.state.protectBranch('acme', 'reviewed', 'main', { requiredApprovingReviews: 1 });
    gh.state.addCheckRun('acme', 'reviewed', { name: 'build', headSha: head, conclusion: 'success' });
    const result = await run('acme/reviewed', { reason: 'checks-completed', number });
    expect(result.automerge?.blocked).toEqual([
      {
        number,
        title: 'Update node to 20.5.0',
        reason: 'branch protection requires more than passing checks (reviews or other rules)',
      },
    ]);
    await run('acme/reviewed');
    expect(commentsOf('reviewed', number).filter((c) => c.startsWith('automerge blocked:'))).toHaveLength(1);
    expect(pullOf('reviewed', number).state).toBe('open');
  }, 120_000);

  it('a base that requires up-to-date branches and moved: the branch is rebuilt on it, then waits again', async () => {
    const { number, head } = await repoWithPull('strict');
    gh.state.protectBranch('acme', 'strict', 'main', { requiredChecks: ['build'], strict: true });
    gh.state.addCheckRun('acme', 'strict', { name: 'build', headSha: head, conclusion: 'success' });
    gh.state.commit('acme', 'strict', 'main', { 'README.md': 'moved on\n' }, 'Docs');
    // rebaseWhen: never keeps the ordinary rebuild out of the way: the rebuild is automerge's.
    const result = await run('acme/strict', { reason: 'checks-completed', number });
    expect(result.automerge?.merged).toEqual([]);
    const rebuilt = pullOf('strict', number).pull!.headSha;
    expect(rebuilt).not.toBe(head);
    expect(gh.state.file('acme', 'strict', BRANCH, 'README.md')).toBe('moved on\n');
    gh.state.addCheckRun('acme', 'strict', { name: 'build', headSha: rebuilt, conclusion: 'success' });
    expect((await run('acme/strict')).automerge?.merged).toHaveLength(1);
  }, 120_000);

  it('no check ran at all: not merged, said once, unless the repository opts in', async () => {
    const { number } = await repoWithPull('unchecked');
    await run('acme/unchecked');
    await run('acme/unchecked');
    expect(pullOf('unchecked', number).state).toBe('open');
    expect(
      commentsOf('unchecked', number).filter((c) => c.startsWith('automerge blocked: no check ran')),
    ).toHaveLength(1);
    const { number: optedIn } = await repoWithPull('optin', `${CONFIG}automergeWithoutChecks: true\n`);
    await run('acme/optin');
    expect(pullOf('optin', optedIn).pull!.merged).toBe(true);
  }, 120_000);

  it('GitHub’s native auto-merge where allowed and checks are required: GitHub merges once they pass', async () => {
    const { number, head } = await repoWithPull('native');
    gh.state.setMergeSettings('acme', 'native', { allowAutoMerge: true });
    gh.state.protectBranch('acme', 'native', 'main', { requiredChecks: ['build'] });
    const build = gh.state.addCheckRun('acme', 'native', {
      name: 'build',
      headSha: head,
      status: 'in_progress',
    });
    const result = await run('acme/native', { reason: 'checks-completed', number });
    expect(result.automerge?.enabled).toEqual([number]);
    expect(pullOf('native', number).state).toBe('open');
    gh.state.updateCheckRun('acme', 'native', build.id, { conclusion: 'success' });
    expect(pullOf('native', number).pull!.merged).toBe(true);
  }, 120_000);

  it('outside automergeSchedule nothing is merged; inside it, the next run merges', async () => {
    const schedule = "automergeSchedule: { cron: '* * 3 * * *', timezone: UTC }\n";
    const { number, head } = await repoWithPull('windowed', CONFIG + schedule);
    gh.state.addCheckRun('acme', 'windowed', { name: 'build', headSha: head, conclusion: 'success' });
    const noon = () => Date.parse('2026-12-02T12:00:00Z');
    expect((await run('acme/windowed', {}, noon)).automerge?.merged).toEqual([]);
    expect(pullOf('windowed', number).state).toBe('open');
    const night = () => Date.parse('2026-12-03T03:10:00Z');
    expect((await run('acme/windowed', {}, night)).automerge?.merged).toHaveLength(1);
    expect(pullOf('windowed', number).pull!.merged).toBe(true);
  }, 120_000);
});

describe('automerge in maintenance mode', () => {
  it('merges a digest refresh once its checks pass, and that merge is the week’s rebuild: no dispatch', async () => {
    const first = (
      await registry.push('library/redis', '7.2.0', { images: [{ created: '2025-01-10T00:00:00Z' }] })
    ).digest;
    gh.state.createRepo('acme', 'quiet', {
      files: {
        Dockerfile: `FROM redis:7.2.0@${first}\nUSER redis\n`,
        '.github/dockhand.yml': 'maintenance:\n  enabled: true\n  workflow: build.yml\n  automerge: true\n',
        '.github/workflows/build.yml': 'on: {workflow_dispatch: {}}\n',
      },
    });
    // Upstream rebuilt the tag (a security patch of the base system).
    const rebuilt = (
      await registry.push('library/redis', '7.2.0', { images: [{ created: '2025-06-10T00:00:00Z' }] })
    ).digest;
    await run('acme/quiet', { reason: 'schedule' });
    const pull = gh.state.pulls('acme', 'quiet').find((p) => p.pull!.head === 'dockhand/digests')!;
    expect(gh.state.dispatches('acme', 'quiet')).toEqual([]);
    gh.state.addCheckRun('acme', 'quiet', {
      name: 'build',
      headSha: pull.pull!.headSha,
      conclusion: 'success',
    });

    const result = await run('acme/quiet', { reason: 'checks-completed', number: pull.number });
    expect(result.automerge?.merged).toEqual([{ number: pull.number, title: 'Refresh image digests' }]);
    expect(gh.state.file('acme', 'quiet', 'main', 'Dockerfile')).toBe(
      `FROM redis:7.2.0@${rebuilt}\nUSER redis\n`,
    );
    // The next weekly run finds the images rebuilt this week: nothing is dispatched.
    await run('acme/quiet', { reason: 'schedule' });
    expect(gh.state.dispatches('acme', 'quiet')).toEqual([]);
  }, 120_000);
});
