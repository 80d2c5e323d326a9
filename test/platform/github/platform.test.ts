import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Annotation, RepoPlatform } from '../../../src/job/types.js';
import { MAX_SUMMARY_CHARS } from '../../../src/platform/github/checks.js';
import { readText } from '../../../src/platform/github/contents.js';
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

/** A branch one commit ahead of main, ready for a pull request. */
function branch(name: string, content = `FROM node:22 # ${name}\n`): string {
  return fx.gh.state.commit('acme', 'api', name, { Dockerfile: content });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

describe('repository and files', () => {
  it('describes the repository, and an unchanged repository answers 304', async () => {
    const info = await platform.getRepository();
    expect(info).toEqual({
      owner: 'acme',
      name: 'api',
      fullName: 'acme/api',
      defaultBranch: 'main',
      archived: false,
      pushedAt: expect.any(String) as string,
    });
    expect(await platform.getRepository()).toEqual(info);
    expect(platform.usage).toEqual({ requests: 2, notModified: 1 });
  });

  it('reads the claimed files at a ref', async () => {
    const read = await platform.readFiles('main');
    expect(read.commit).toBe(fx.gh.state.branches('acme', 'api').get('main'));
    expect(read.files.map((file) => file.path)).toEqual([
      '.github/workflows/build.yml',
      'Dockerfile',
      'k8s/deploy.yaml',
    ]);
    expect(read.files[1]!.bytes.toString()).toBe('FROM node:20.11.1\n');
  });

  it('reads one file at the default branch or a ref; absent paths and directories are null', async () => {
    branch('feature');
    const readFile = (path: string, ref?: string) => readText(fx.context(), path, ref);
    expect(await readFile('k8s/deploy.yaml')).toContain('image: redis:7');
    expect(await readFile('Dockerfile', 'feature')).toBe('FROM node:22 # feature\n');
    expect(await readFile('Dockerfile', 'no-such-branch')).toBeNull();
    expect(await readFile('.github/dockhand.yml')).toBeNull();
    expect(await readFile('k8s')).toBeNull();
  });

  it("reads the owner's other repository; a missing one is null", async () => {
    expect(await platform.readOwnerFile('.github', 'dockhand.yml')).toContain('cron');
    expect(await platform.readOwnerFile('.github', 'missing.yml')).toBeNull();
    fx.gh.state.deleteRepo('acme', '.github');
    expect(await platform.readOwnerFile('.github', 'dockhand.yml')).toBeNull();
  });
});

describe('pull requests', () => {
  it('opens a labelled pull request and finds it again by head prefix', async () => {
    const head = branch('dockhand/node-22.x');
    const created = await platform.createPullRequest({
      head: 'dockhand/node-22.x',
      base: 'main',
      title: 'Update node to 22',
      body: 'body <!-- marker -->',
      labels: ['dependencies', 'docker'],
    });
    expect(created).toMatchObject({
      state: 'open',
      merged: false,
      head: 'dockhand/node-22.x',
      headSha: head,
      base: 'main',
      labels: ['dependencies', 'docker'],
      closedAt: null,
    });
    expect(fx.gh.state.pulls('acme', 'api')[0]!.labels).toEqual(['dependencies', 'docker']);
    branch('feature/x');
    await platform.createPullRequest({ head: 'feature/x', base: 'main', title: 'x', body: '', labels: [] });
    const listed = await platform.listPullRequests('dockhand/');
    expect(listed).toEqual([{ ...created, labels: ['dependencies', 'docker'] }]);
    // Only a single pull request's answer carries `mergeable_state`.
    expect(listed[0]!.mergeableState).toBeNull();
    expect(await platform.getPullRequest(created.number)).toEqual({ ...listed[0], mergeableState: 'clean' });
  });

  it('lists every page, closed and merged included; an unchanged list costs only 304s', async () => {
    const numbers: number[] = [];
    for (let index = 0; index < 105; index++) {
      branch(`dockhand/image-${index}`);
      const pull = await platform.createPullRequest({
        head: `dockhand/image-${index}`,
        base: 'main',
        title: `Update image ${index}`,
        body: '',
        labels: [],
      });
      numbers.push(pull.number);
    }
    fx.gh.state.close('acme', 'api', numbers[0]!);
    fx.gh.state.mergePull('acme', 'api', numbers[1]!);
    const first = await platform.listPullRequests('dockhand/');
    expect(first.map((pull) => pull.number).sort((a, b) => a - b)).toEqual(numbers);
    expect(first.find((pull) => pull.number === numbers[0])).toMatchObject({
      state: 'closed',
      merged: false,
    });
    expect(first.find((pull) => pull.number === numbers[1])).toMatchObject({ state: 'closed', merged: true });

    const since = fx.gh.calls.length;
    expect(await platform.listPullRequests('dockhand/')).toEqual(first);
    expect(fx.gh.calls.slice(since).map((call) => call.status)).toEqual([304, 304]);
  });

  it('updates, closes, comments and lists changed files', async () => {
    branch('dockhand/node-22.x');
    const { number } = await platform.createPullRequest({
      head: 'dockhand/node-22.x',
      base: 'main',
      title: 'Update node',
      body: '',
      labels: [],
    });
    expect(await platform.listPullRequestFiles(number)).toEqual(['Dockerfile']);
    await platform.updatePullRequest(number, { title: 'Update node to 22.1', body: 'new body' });
    await platform.comment(number, 'Closing: superseded');
    await platform.updatePullRequest(number, { state: 'closed' });
    expect(await platform.getPullRequest(number)).toMatchObject({
      title: 'Update node to 22.1',
      body: 'new body',
      state: 'closed',
      merged: false,
    });
    expect(fx.gh.state.pulls('acme', 'api')[0]!.comments.map((item) => item.body)).toEqual([
      'Closing: superseded',
    ]);
  });
});

describe('issues', () => {
  it('finds open issues by label, oldest first, without pull requests', async () => {
    fx.gh.state.createIssue('acme', 'api', { title: 'user report', labels: ['dockhand'], user: 'octocat' });
    const dashboard = await platform.createIssue({
      title: 'Dashboard',
      body: '- [ ] a',
      labels: ['dockhand'],
    });
    const closed = await platform.createIssue({ title: 'Old', body: '', labels: ['dockhand'] });
    await platform.updateIssue(closed.number, { state: 'closed' });
    await platform.createIssue({ title: 'Other', body: '', labels: ['other'] });
    branch('dockhand/x');
    const pull = await platform.createPullRequest({
      head: 'dockhand/x',
      base: 'main',
      title: 'x',
      body: '',
      labels: ['dockhand'],
    });

    const found = await platform.findIssues('dockhand');
    expect(found.map((issue) => issue.title)).toEqual(['user report', 'Dashboard']);
    expect(found.map((issue) => issue.number)).not.toContain(pull.number);
    expect(found[1]).toEqual({ ...dashboard, labels: ['dockhand'] });

    await platform.updateIssue(dashboard.number, { body: '- [x] a' });
    expect((await platform.findIssues('dockhand'))[1]!.body).toBe('- [x] a');
  });
});

describe('check runs and dispatches', () => {
  const annotations: Annotation[] = Array.from({ length: 120 }, (_, index) => ({
    path: 'Dockerfile',
    startLine: index + 1,
    endLine: index + 1,
    level: index % 2 === 0 ? 'warning' : 'failure',
    title: `DH${index}`,
    message: `finding ${index}`,
  }));

  it('sends 120 annotations in 3 requests and GitHub keeps all of them, in order', async () => {
    const headSha = fx.gh.state.branches('acme', 'api').get('main')!;
    const id = await platform.createCheckRun({
      name: 'Dockhand',
      headSha,
      conclusion: 'failure',
      title: '120 findings',
      summary: 'x'.repeat(MAX_SUMMARY_CHARS + 10),
      annotations,
    });
    expect(fx.callsSince(0)).toEqual([
      'POST /repos/:owner/:repo/check-runs',
      'PATCH /repos/:owner/:repo/check-runs/:id',
      'PATCH /repos/:owner/:repo/check-runs/:id',
    ]);
    const [run] = fx.gh.state.checkRuns('acme', 'api');
    expect(run).toMatchObject({ id, headSha, status: 'completed', conclusion: 'failure' });
    expect(run!.output.summary!.length).toBe(MAX_SUMMARY_CHARS);
    expect(run!.annotations).toHaveLength(120);
    expect(run!.annotations[119]).toEqual({
      path: 'Dockerfile',
      start_line: 120,
      end_line: 120,
      annotation_level: 'failure',
      title: 'DH119',
      message: 'finding 119',
    });
  });

  it('dispatches a workflow with its inputs', async () => {
    await platform.dispatchWorkflow('build.yml', 'main', { 'no-cache': 'true' });
    expect(fx.gh.state.dispatches('acme', 'api')).toMatchObject([
      { kind: 'workflow', workflowId: 'build.yml', ref: 'main', inputs: { 'no-cache': 'true' } },
    ]);
  });
});

describe('failures', () => {
  it('a 502 is transient', async () => {
    fx.gh.failNext('POST /repos/acme/api/issues', 502);
    const error = await rejection(platform.createIssue({ title: 't', body: '', labels: [] }));
    expect(error).toBeInstanceOf(TransientJobError);
    expect((error as TransientJobError).retryAfterMs).toBeUndefined();
  });

  it('a secondary rate limit is transient, waits retry-after and holds back this installation only', async () => {
    fx.gh.secondaryRateLimitNext('POST /repos/acme/api/check-runs', { retryAfter: 7 });
    const error = await rejection(
      platform.createCheckRun({
        name: 'Dockhand',
        headSha: fx.gh.state.branches('acme', 'api').get('main')!,
        conclusion: 'success',
        title: 'ok',
        summary: 'ok',
        annotations: [],
      }),
    );
    expect(error).toBeInstanceOf(TransientJobError);
    expect(error).toMatchObject({ retryAfterMs: 7000, scope: 'installation' });
  });

  it('a repository that is gone is permanent', async () => {
    const error = await rejection(fx.platform('acme/gone').getRepository());
    expect(error).toBeInstanceOf(PermanentJobError);
    expect(error.message).toContain('acme/gone');
  });

  it('counts every request, 304s apart, as the server saw them', async () => {
    await platform.getRepository();
    await platform.getRepository();
    await platform.readOwnerFile('api', 'Dockerfile');
    await platform.listBranches('missing/');
    const seen = fx.gh.calls.filter((call) => call.installationId !== undefined);
    expect(platform.usage).toEqual({
      requests: seen.length,
      notModified: seen.filter((call) => call.status === 304).length,
    });
    expect(platform.usage).toEqual({ requests: 4, notModified: 1 });
  });

  it('never puts the token in an error message', async () => {
    fx.gh.failNext(/^POST /, 502, { times: 10 });
    fx.gh.failNext(/^GET /, 500, { times: 10 });
    const failures = await Promise.all([
      rejection(platform.getRepository()),
      rejection(platform.commitFiles({ branch: 'b', parent: 'a'.repeat(40), message: 'm', files: {} })),
      rejection(platform.createIssue({ title: 't', body: '', labels: [] })),
      rejection(fx.platform('acme/gone').listPullRequests('dockhand/')),
    ]);
    for (const failure of failures) {
      expect(failure.message).toMatch(/HTTP \d{3}/);
      expect(`${failure.message} ${failure.stack}`).not.toContain(fx.token);
    }
  });
});
