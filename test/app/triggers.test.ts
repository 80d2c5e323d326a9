import { describe, expect, it } from 'vitest';
import { decide, type WebhookPayload } from '../../src/app/triggers.js';

const options = { mention: '@dockhand' };
const installation = { id: 7 };
const repository = { full_name: 'acme/web', name: 'web', default_branch: 'main' };
const user = { login: 'alice', type: 'User' };
const bot = { login: 'dockhand[bot]', type: 'Bot' };

function push(paths: string[] | null, overrides: Partial<WebhookPayload> = {}): WebhookPayload {
  return {
    installation,
    repository,
    sender: user,
    ref: 'refs/heads/main',
    commits: paths === null ? [] : [{ added: [], modified: paths, removed: [] }],
    ...overrides,
  };
}

const repoJob = (reason: string, extra: object = {}) => ({
  queue: 'repo',
  data: { installationId: 7, repository: 'acme/web', reason, ...extra },
});

describe('decide', () => {
  it('crawls an installation when the app is installed, and nothing else for other installation actions', () => {
    expect(decide('installation', { action: 'created', installation }, options)).toEqual({
      action: 'enqueue',
      jobs: [{ queue: 'crawl', data: { installationId: 7, reason: 'installed' } }],
    });
    expect(decide('installation', { action: 'deleted', installation }, options).action).toBe('ignore');
  });

  it('enqueues each added repository', () => {
    const payload = {
      action: 'added',
      installation,
      repositories_added: [{ full_name: 'acme/a' }, { full_name: 'acme/b' }],
    };
    expect(decide('installation_repositories', payload, options)).toEqual({
      action: 'enqueue',
      jobs: [
        { queue: 'repo', data: { installationId: 7, repository: 'acme/a', reason: 'repositories-added' } },
        { queue: 'repo', data: { installationId: 7, repository: 'acme/b', reason: 'repositories-added' } },
      ],
    });
    expect(decide('installation_repositories', { ...payload, action: 'removed' }, options).action).toBe(
      'ignore',
    );
  });

  it('ignores deliveries without an installation', () => {
    expect(decide('push', { ...push(['Dockerfile']), installation: undefined }, options)).toEqual({
      action: 'ignore',
      reason: 'no installation in the payload',
    });
  });

  describe('push', () => {
    it.each([
      ['Dockerfile'],
      ['services/api/Containerfile'],
      ['docker-compose.yml'],
      ['.github/workflows/build.yml'],
      ['charts/app/values.yaml'],
      ['.github/dockhand.yml'],
      ['.dockhand.yml'],
    ])('to the default branch touching %s enqueues the repository', (path) => {
      expect(decide('push', push([path]), options)).toEqual({ action: 'enqueue', jobs: [repoJob('push')] });
    });

    it('counts removed and added files too', () => {
      const commits = [
        { added: ['README.md'], modified: [], removed: [] },
        { added: [], modified: [], removed: ['Dockerfile'] },
      ];
      expect(decide('push', push(null, { commits }), options).action).toBe('enqueue');
    });

    it('ignores pushes that touch no container or config file', () => {
      expect(decide('push', push(['src/index.ts', 'README.md']), options)).toEqual({
        action: 'ignore',
        reason: 'no container or config file touched',
      });
    });

    it('enqueues when the file lists may be incomplete: no commits, or 20 listed', () => {
      expect(decide('push', push(null), options).action).toBe('enqueue');
      const twenty = Array.from({ length: 20 }, () => ({ modified: ['README.md'] }));
      expect(decide('push', push(null, { commits: twenty }), options).action).toBe('enqueue');
    });

    it('ignores other branches, tags and deletions', () => {
      expect(
        decide('push', push(['Dockerfile'], { ref: 'refs/heads/dockhand/node-22.x' }), options).action,
      ).toBe('ignore');
      expect(decide('push', push(['Dockerfile'], { ref: 'refs/tags/main' }), options).action).toBe('ignore');
      expect(decide('push', push(['Dockerfile'], { deleted: true }), options).action).toBe('ignore');
    });

    it('crawls the installation when the org defaults change', () => {
      const dotGithub = { full_name: 'acme/.github', name: '.github', default_branch: 'main' };
      // Any YAML file is claimed by the kubernetes manager, so the .github repository is scanned as well.
      const jobs = (paths: string[]) => {
        const decision = decide('push', push(paths, { repository: dotGithub }), options);
        return decision.action === 'enqueue' ? decision.jobs.map((job) => job.queue) : [];
      };
      expect(jobs(['dockhand.yml'])).toEqual(['crawl', 'repo']);
      expect(jobs(['workflow-templates/ci.yml'])).toEqual(['repo']);
      expect(jobs(['profile/README.md'])).toEqual([]);
      expect(decide('push', push(['dockhand.yml'], { repository: dotGithub }), options)).toMatchObject({
        jobs: [{ queue: 'crawl', data: { installationId: 7, reason: 'manual' } }, {}],
      });
    });
  });

  describe('pull_request closed', () => {
    const pr = (overrides: object = {}, sender = user): WebhookPayload => ({
      action: 'closed',
      installation,
      repository,
      sender,
      pull_request: {
        number: 12,
        merged: false,
        head: { ref: 'dockhand/node-22.x', repo: repository },
        ...overrides,
      },
    });

    it('enqueues when a Dockhand PR is closed or merged', () => {
      expect(decide('pull_request', pr(), options)).toEqual({
        action: 'enqueue',
        jobs: [repoJob('pr-closed', { number: 12 })],
      });
      expect(decide('pull_request', pr({ merged: true }, bot), options).action).toBe('enqueue');
    });

    it('ignores PRs of other branches or forks, other actions, and closes by bots', () => {
      expect(
        decide('pull_request', pr({ head: { ref: 'feature/x', repo: repository } }), options).action,
      ).toBe('ignore');
      const fork = { full_name: 'mallory/web', name: 'web' };
      expect(decide('pull_request', pr({ head: { ref: 'dockhand/x', repo: fork } }), options).action).toBe(
        'ignore',
      );
      expect(decide('pull_request', { ...pr(), action: 'edited' }, options).action).toBe('ignore');
      expect(decide('pull_request', pr({}, bot), options)).toEqual({
        action: 'ignore',
        reason: 'closed by a bot',
      });
    });
  });

  describe('pull_request with a new head commit', () => {
    const fork = { full_name: 'mallory/web', name: 'web' };
    const pr = (action: string, head: object = {}): WebhookPayload => ({
      action,
      installation,
      repository,
      sender: user,
      pull_request: {
        number: 31,
        head: { ref: 'feature/x', sha: 'a'.repeat(40), repo: repository, ...head },
      },
    });

    it.each(['opened', 'synchronize', 'reopened'])(
      '%s enqueues the check run for the head commit, on any branch',
      (action) => {
        expect(decide('pull_request', pr(action), options)).toEqual({
          action: 'enqueue',
          jobs: [repoJob('pull-request', { number: 31, headSha: 'a'.repeat(40) })],
        });
      },
    );

    it("runs a fork's pull request in the base repository, and Dockhand's own PRs too", () => {
      expect(decide('pull_request', pr('opened', { repo: fork }), options)).toEqual({
        action: 'enqueue',
        jobs: [repoJob('pull-request', { number: 31, headSha: 'a'.repeat(40) })],
      });
      expect(decide('pull_request', pr('synchronize', { ref: 'dockhand/node-22.x' }), options).action).toBe(
        'enqueue',
      );
    });

    it('ignores other actions and payloads without a head commit', () => {
      for (const action of ['edited', 'labeled', 'assigned', 'ready_for_review'])
        expect(decide('pull_request', pr(action), options).action).toBe('ignore');
      expect(decide('pull_request', pr('opened', { sha: undefined }), options)).toEqual({
        action: 'ignore',
        reason: 'no head commit',
      });
    });
  });

  describe('dashboard issue edited', () => {
    const before = '## Pending\n- [ ] node 20 → 22\n- [ ] redis 7.2 → 7.4\n- [x] rebuild now';
    const edited = (body: string, overrides: Partial<WebhookPayload> = {}): WebhookPayload => ({
      action: 'edited',
      installation,
      repository,
      sender: user,
      issue: { number: 3, user: bot, labels: [{ name: 'dockhand-dashboard' }], body },
      changes: { body: { from: before } },
      ...overrides,
    });

    it('enqueues when a checkbox is newly ticked', () => {
      expect(decide('issues', edited(before.replace('- [ ] redis', '- [x] redis')), options)).toEqual({
        action: 'enqueue',
        jobs: [repoJob('dashboard', { number: 3 })],
      });
    });

    it('ignores unticking, other text edits, title edits, bot edits and other issues', () => {
      expect(decide('issues', edited(before.replace('- [x] rebuild', '- [ ] rebuild')), options).action).toBe(
        'ignore',
      );
      expect(decide('issues', edited(`${before}\nmore text`), options).action).toBe('ignore');
      expect(decide('issues', edited(before, { changes: {} }), options).action).toBe('ignore');
      const ticked = before.replace('- [ ] node', '- [x] node');
      expect(decide('issues', edited(ticked, { sender: bot }), options)).toEqual({
        action: 'ignore',
        reason: 'edited by a bot',
      });
      const plain = edited(ticked);
      plain.issue!.labels = [{ name: 'bug' }];
      expect(decide('issues', plain, options).action).toBe('ignore');
    });
  });

  describe('issue_comment', () => {
    const comment = (
      body: string,
      overrides: Partial<WebhookPayload> = {},
      association = 'MEMBER',
    ): WebhookPayload => ({
      action: 'created',
      installation,
      repository,
      sender: user,
      issue: { number: 12, user: bot, pull_request: { url: 'x' } },
      comment: { body, author_association: association, user },
      ...overrides,
    });

    it.each([
      ['@dockhand rebase', 'rebase'],
      ['@dockhand recreate', 'recreate'],
      ['@dockhand ignore this major', 'ignore major'],
      ['@dockhand ignore this minor', 'ignore minor'],
      ['@dockhand ignore this version', 'ignore version'],
      ['@dockhand ignore this image', 'ignore image'],
    ])('%s on a Dockhand PR enqueues the command, if the commenter can write', (body, command) => {
      expect(decide('issue_comment', comment(body), options)).toEqual({
        action: 'enqueue',
        jobs: [repoJob('command', { command, number: 12 })],
        requireWriteAccess: 'alice',
      });
    });

    it('ignores outsiders without asking GitHub, bots, plain issues, human PRs and non-commands', () => {
      expect(decide('issue_comment', comment('@dockhand rebase', {}, 'CONTRIBUTOR'), options)).toEqual({
        action: 'ignore',
        reason: 'commenter cannot have write access',
      });
      expect(decide('issue_comment', comment('@dockhand rebase', { sender: bot }), options).action).toBe(
        'ignore',
      );
      const issue = { number: 4, user: bot };
      expect(decide('issue_comment', comment('@dockhand rebase', { issue }), options).action).toBe('ignore');
      const humanPr = { number: 4, user, pull_request: {} };
      expect(decide('issue_comment', comment('@dockhand rebase', { issue: humanPr }), options).action).toBe(
        'ignore',
      );
      expect(decide('issue_comment', comment('thanks @dockhand rebase'), options).action).toBe('ignore');
      expect(
        decide('issue_comment', { ...comment('@dockhand rebase'), action: 'edited' }, options).action,
      ).toBe('ignore');
    });

    it('listens to the configured mention', () => {
      expect(
        decide('issue_comment', comment('@acme-dockhand rebase'), { mention: '@acme-dockhand' }).action,
      ).toBe('enqueue');
    });
  });

  it('enqueues a re-requested check run with its pull request', () => {
    const payload = {
      action: 'rerequested',
      installation,
      repository,
      check_run: { pull_requests: [{ number: 9 }] },
    };
    expect(decide('check_run', payload, options)).toEqual({
      action: 'enqueue',
      jobs: [repoJob('check-rerun', { number: 9 })],
    });
    expect(decide('check_run', { ...payload, check_run: { pull_requests: [] } }, options)).toEqual({
      action: 'enqueue',
      jobs: [repoJob('check-rerun')],
    });
    expect(decide('check_run', { ...payload, action: 'completed' }, options).action).toBe('ignore');
  });

  it('enqueues a check suite completed on a Dockhand branch, with its pull request (automerge)', () => {
    const payload = {
      action: 'completed',
      installation,
      repository,
      check_suite: {
        head_branch: 'dockhand/node-22.x',
        pull_requests: [{ number: 12, head: { ref: 'dockhand/node-22.x' } }],
      },
    };
    expect(decide('check_suite', payload, options)).toEqual({
      action: 'enqueue',
      jobs: [repoJob('checks-completed', { number: 12 })],
    });
    expect(decide('check_suite', { ...payload, action: 'requested' }, options).action).toBe('ignore');
    expect(
      decide(
        'check_suite',
        { ...payload, check_suite: { head_branch: 'feature', pull_requests: [] } },
        options,
      ),
    ).toEqual({ action: 'ignore', reason: 'not a Dockhand branch' });
  });

  it('enqueues a settled commit status on a Dockhand branch; pending ones and other branches are ignored', () => {
    const payload = { installation, repository, state: 'success', branches: [{ name: 'dockhand/digests' }] };
    expect(decide('status', payload, options)).toEqual({
      action: 'enqueue',
      jobs: [repoJob('checks-completed')],
    });
    expect(decide('status', { ...payload, state: 'pending' }, options).action).toBe('ignore');
    expect(decide('status', { ...payload, branches: [{ name: 'main' }] }, options).action).toBe('ignore');
  });

  it('ignores events that are not triggers', () => {
    expect(decide('star', { action: 'created', installation, repository }, options).action).toBe('ignore');
  });
});
