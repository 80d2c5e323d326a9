// End to end: the real webhook app (probot's signature check, trigger table, redelivery guard) and real
// workers (`dockhand worker`'s runWorker in this process, and a `dockhand worker` child process that is
// SIGKILLed mid-job) over a real Redis; GitHub's REST API stood in by the stateful fake GitHub (reached as
// GitHub Enterprise Server: GHE_HOST/GHE_PROTOCOL=http), Docker Hub by a real registry configured as its
// mirror in the operator's config (DOCKHAND_OPERATOR_CONFIG). Assertions are on the PRs, branches, commits, check runs,
// comments, dispatches and dashboards that result.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullEnqueuer, createQueues, QUEUE_NAMES } from '../../src/queue/queues.js';
import type { CrawlJobData, RepoJobData } from '../../src/queue/types.js';
import { latestResults } from '../../src/results/store.js';
import { until } from '../queue/helpers.js';
import { TEST_PRIVATE_KEY } from '../support/app-key.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import {
  settled as drained,
  startAppServer,
  startInProcessWorker as startWorkerWith,
  workerBaseEnv,
  writeOperatorConfig,
  type AppServer,
  type InProcessWorker,
} from '../support/github-app.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { sendWebhook } from '../support/webhooks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'e2e-webhook-secret';
const INSTALLATION = 4242;
const PRIVATE_KEY = TEST_PRIVATE_KEY;

let redis: TestRedis;
let registry: TestRegistry;
let gh: FakeGitHub;
let app: AppServer;
let appUrl: string;
let prefix: string;
let connection: Redis;
let repoQueue: Queue<RepoJobData>;
let crawlQueue: Queue<CrawlJobData>;
const digests: Record<string, string> = {};
let operatorConfig: Awaited<ReturnType<typeof writeOperatorConfig>>;

/**
 * What every worker reads. `quickStall`: a killed worker's job is taken over within seconds (the kill
 * test). Its workers all share it, as a deployment's must; the other tests keep BullMQ's 30 s lock, so a
 * busy machine cannot make a slow job look stalled.
 */
function workerEnv(quickStall = false): NodeJS.ProcessEnv {
  return {
    ...workerBaseEnv({ githubHost: gh.host, operatorConfig: operatorConfig.path }),
    REDIS_URL: redis.url,
    // The kill test's workers get queues of their own: a stall check by the other tests' workers would
    // hold theirs off for its 30 s interval.
    DOCKHAND_QUEUE_PREFIX: quickStall ? `${prefix}-kill` : prefix,
    ...(quickStall ? { DOCKHAND_LOCK_DURATION_MS: '2000', DOCKHAND_STALLED_INTERVAL_MS: '1000' } : {}),
  };
}

function startInProcessWorker(quickStall = false): InProcessWorker {
  return startWorkerWith(workerEnv(quickStall));
}

/** Every job of both queues done (none waiting, delayed, active or prioritised). */
function settled(): Promise<void> {
  return drained([crawlQueue, repoQueue] as Queue[]);
}

function deliver(event: string, payload: object, options: { deliveryId?: string; signWith?: string } = {}) {
  return sendWebhook(appUrl, SECRET, event, { installation: { id: INSTALLATION }, ...payload }, options);
}

const user = { login: 'octocat', type: 'User' };
function repository(name: string) {
  return { full_name: `acme/${name}`, name, default_branch: 'main', owner: { login: 'acme' } };
}

function openPulls(name: string) {
  return gh.state
    .pulls('acme', name)
    .filter((p) => p.state === 'open')
    .map((p) => ({ number: p.number, title: p.title, head: p.pull!.head }));
}

async function pushImage(name: string, tag: string, created: string): Promise<void> {
  digests[`${name}:${tag}`] = (await registry.push(`library/${name}`, tag, { images: [{ created }] })).digest;
}

beforeAll(async () => {
  [redis, registry, gh] = await Promise.all([startRedis(), startRegistry(), startFakeGitHub()]);
  prefix = redis.prefix.replace(/:$/, '');
  await pushImage('node', '20.1.0', '2025-01-10T00:00:00Z');
  await pushImage('node', '20.5.0', '2025-03-10T00:00:00Z');
  await pushImage('node', '22.3.0', '2025-05-10T00:00:00Z');
  operatorConfig = await writeOperatorConfig(registry.url);

  gh.state.createRepo('acme', '.github', {
    files: {
      'dockhand.yml': 'cacheTtlSeconds: 0\n',
    },
  });
  gh.state.createRepo('acme', 'api', {
    files: { Dockerfile: 'FROM node:20.1.0\nUSER node\n', 'README.md': '# api\n' },
  });
  gh.state.createRepo('acme', 'legacy', {
    files: {
      Dockerfile: `FROM node:22.3.0@${digests['node:22.3.0']}\nUSER node\n`,
      '.github/workflows/docker.yml': 'on:\n  workflow_dispatch:\n    inputs:\n      no-cache: {}\n',
      '.github/dockhand.yml':
        'maintenance:\n  enabled: true\n  workflow: docker.yml\n  inputs:\n    no-cache: "true"\n',
    },
  });
  gh.state.createRepo('acme', 'broken', {
    files: {
      Dockerfile: 'FROM node:20.1.0\n',
      '.github/dockhand.yml': 'updates:\n  pinDigests: sometimes\n',
    },
  });
  // Listed by the installation, gone by the time its job asks for it.
  gh.state.createRepo('acme', 'vanished', { files: { Dockerfile: 'FROM node:20.1.0\n' } });
  gh.failNext('GET /repos/acme/vanished', 404, { times: 1_000 });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });

  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  repoQueue = new Queue(QUEUE_NAMES.repo, { connection, prefix });
  crawlQueue = new Queue(QUEUE_NAMES.crawl, { connection, prefix });

  app = await startAppServer(
    { REDIS_URL: redis.url, DOCKHAND_QUEUE_PREFIX: prefix },
    { secret: SECRET, githubUrl: gh.url },
  );
  appUrl = app.url;
}, 120_000);

afterAll(async () => {
  await operatorConfig?.remove();
  await app?.stop();
  await repoQueue?.close();
  await crawlQueue?.close();
  connection?.disconnect();
  await Promise.all([gh?.stop(), registry?.stop()]);
  await redis?.stop();
});

describe('the GitHub App, end to end', () => {
  let worker: InProcessWorker;
  beforeAll(() => {
    worker = startInProcessWorker();
  });
  afterAll(async () => {
    expect(await worker.stop()).toBe(0);
  });

  it('rejects a webhook with a bad signature and enqueues nothing', async () => {
    expect(
      await deliver('installation', { action: 'created', sender: user }, { signWith: 'not-the-secret' }),
    ).toBe(400);
    expect(await crawlQueue.getJobCounts()).toEqual(expect.not.objectContaining({ wait: 1 }));
    expect(await crawlQueue.count()).toBe(0);
  });

  it('install → crawl → a PR per image line, dashboards, an invalid config reported, a vanished repository recorded', async () => {
    expect(await deliver('installation', { action: 'created', sender: user })).toBe(200);
    await settled();

    expect(openPulls('api')).toEqual([
      expect.objectContaining({ title: 'Update node to 20.5.0', head: 'dockhand/node-20.x' }),
      expect.objectContaining({ title: 'Update node to 22.3.0', head: 'dockhand/node-22.x' }),
    ]);
    expect(gh.state.file('acme', 'api', 'dockhand/node-20.x', 'Dockerfile')).toBe(
      `FROM node:20.5.0@${digests['node:20.5.0']}\nUSER node\n`,
    );
    const commit = gh.state
      .repo('acme', 'api')
      .commitObject(gh.state.branches('acme', 'api').get('dockhand/node-20.x')!);
    expect(commit).toMatchObject({
      message: 'Update node to 20.5.0\n\nDockhand-Branch: dockhand/node-20.x',
      verified: true,
    });

    const brokenDashboard = gh.state.issues('acme', 'broken').find((issue) => !issue.pull)!;
    expect(brokenDashboard.body).toContain('.github/dockhand.yml: updates.pinDigests');
    expect(gh.state.pulls('acme', 'broken')).toEqual([]);

    const failed = (await repoQueue.getFailed()).filter((job) => job.data.repository === 'acme/vanished');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attemptsMade).toBe(1);
    expect(failed[0]!.failedReason).toMatch(/HTTP 404/);
    const results = await latestResults(connection, prefix, INSTALLATION);
    expect(results.map((r) => [r.repository, r.outcome]).sort()).toEqual([
      ['acme/.github', 'ok'],
      ['acme/api', 'ok'],
      ['acme/broken', 'failed'],
      ['acme/legacy', 'ok'],
      ['acme/vanished', 'failed'],
    ]);
    // An installation crawl schedules the weekly run.
    expect((await crawlQueue.getJobSchedulers()).map((s) => s.pattern)).toEqual(['0 0 3 * * 1']);
  });

  it('a redelivered push and a rerun open no duplicate PR', async () => {
    const deliveryId = randomUUID();
    const push = {
      ref: 'refs/heads/main',
      repository: repository('api'),
      sender: user,
      commits: [{ added: [], modified: ['Dockerfile'], removed: [] }],
    };
    expect(await deliver('push', push, { deliveryId })).toBe(200);
    expect(await deliver('push', push, { deliveryId })).toBe(200);
    await settled();
    expect(gh.state.pulls('acme', 'api')).toHaveLength(2);
    const [latest] = await latestResults(connection, prefix, INSTALLATION).then((all) =>
      all.filter((r) => r.repository === 'acme/api'),
    );
    expect(latest!.pullRequests).toEqual({ opened: [], updated: [], closed: [], pending: [] });
  });

  it('a PR the user closes is not recreated, and Dockhand comments once', async () => {
    const major = openPulls('api').find((p) => p.head === 'dockhand/node-22.x')!;
    gh.state.close('acme', 'api', major.number);
    const closed = {
      action: 'closed',
      repository: repository('api'),
      sender: user,
      pull_request: {
        number: major.number,
        merged: false,
        head: { ref: 'dockhand/node-22.x', repo: { full_name: 'acme/api' } },
      },
    };
    expect(await deliver('pull_request', closed)).toBe(200);
    await settled();
    expect(
      await deliver('push', { ref: 'refs/heads/main', repository: repository('api'), sender: user }),
    ).toBe(200);
    await settled();
    expect(openPulls('api').map((p) => p.head)).toEqual(['dockhand/node-20.x']);
    expect(
      gh.state
        .repo('acme', 'api')
        .issue(major.number)
        .comments.map((c) => c.body),
    ).toEqual([expect.stringContaining('@dockhand recreate')]);
  });

  it('a PR whose base moved is rebased on it', async () => {
    const head = gh.state.commit('acme', 'api', 'main', { 'README.md': '# api\n\nMoved on.\n' });
    expect(
      await deliver('push', {
        ref: 'refs/heads/main',
        repository: repository('api'),
        sender: user,
        commits: [{ added: [], modified: ['Dockerfile'], removed: [] }],
      }),
    ).toBe(200);
    await settled();
    const branchHead = gh.state.branches('acme', 'api').get('dockhand/node-20.x')!;
    expect(gh.state.repo('acme', 'api').commitObject(branchHead).parents).toEqual([head]);
  });

  it('the weekly run: a newer version updates the same PR; a maintenance repository gets its rebuild dispatched', async () => {
    const pull = openPulls('api').find((p) => p.head === 'dockhand/node-20.x')!;
    await pushImage('node', '20.6.0', '2025-06-10T00:00:00Z');
    // What the job scheduler puts on the queue at each tick.
    await crawlQueue.add(QUEUE_NAMES.crawl, { installationId: INSTALLATION, reason: 'schedule' });
    await settled();
    expect(openPulls('api')).toEqual([
      { number: pull.number, title: 'Update node to 20.6.0', head: 'dockhand/node-20.x' },
    ]);
    expect(gh.state.dispatches('acme', 'legacy')).toEqual([
      expect.objectContaining({
        kind: 'workflow',
        workflowId: 'docker.yml',
        ref: 'main',
        inputs: { 'no-cache': 'true' },
      }),
    ]);
    expect(gh.state.pulls('acme', 'legacy')).toEqual([]);
  });

  it('a maintenance repository’s digest refresh is merged without a human once its checks pass', async () => {
    const pinned = (
      await registry.push('library/redis', '7.2.0', { images: [{ created: '2025-01-10T00:00:00Z' }] })
    ).digest;
    gh.state.createRepo('acme', 'quiet', {
      files: {
        Dockerfile: `FROM redis:7.2.0@${pinned}\nUSER redis\n`,
        '.github/workflows/docker.yml': 'on:\n  workflow_dispatch: {}\n',
        '.github/dockhand.yml': 'maintenance:\n  enabled: true\n  workflow: docker.yml\n  automerge: true\n',
      },
    });
    // Upstream rebuilt the tag with a patched base system.
    const rebuilt = (
      await registry.push('library/redis', '7.2.0', { images: [{ created: '2025-06-10T00:00:00Z' }] })
    ).digest;
    expect(
      await deliver('installation_repositories', {
        action: 'added',
        repositories_added: [{ full_name: 'acme/quiet' }],
        sender: user,
      }),
    ).toBe(200);
    await settled();
    const [pull] = openPulls('quiet');
    expect(pull).toMatchObject({ title: 'Refresh image digests', head: 'dockhand/digests' });
    const head = gh.state.pulls('acme', 'quiet')[0]!.pull!.headSha;
    // The repository's CI builds the branch and reports; GitHub then tells the app the suite completed.
    gh.state.addCheckRun('acme', 'quiet', { name: 'docker build', headSha: head, conclusion: 'success' });
    const status = await deliver('check_suite', {
      action: 'completed',
      repository: repository('quiet'),
      check_suite: {
        head_branch: 'dockhand/digests',
        pull_requests: [{ number: pull!.number, head: { ref: 'dockhand/digests' } }],
      },
      sender: user,
    });
    expect(status).toBe(200);
    await settled();
    expect(gh.state.pulls('acme', 'quiet')[0]!.pull!.merged).toBe(true);
    expect(gh.state.file('acme', 'quiet', 'main', 'Dockerfile')).toBe(
      `FROM redis:7.2.0@${rebuilt}\nUSER redis\n`,
    );
    expect(gh.state.branches('acme', 'quiet').has('dockhand/digests')).toBe(false);
  });

  it('carries out a comment command from a user with write access, and refuses one from a reader', async () => {
    const pull = openPulls('api').find((p) => p.head === 'dockhand/node-20.x')!;
    gh.state.setPermission('acme', 'api', 'octocat', 'write');
    gh.state.setPermission('acme', 'api', 'mallory', 'read');
    const comment = (login: string) => ({
      action: 'created',
      repository: repository('api'),
      sender: { login, type: 'User' },
      issue: { number: pull.number, pull_request: {}, user: { login: 'dockhand[bot]', type: 'Bot' } },
      comment: { body: '@dockhand ignore this minor', author_association: 'COLLABORATOR', user: { login } },
    });
    expect(await deliver('issue_comment', comment('mallory'))).toBe(200);
    await settled();
    expect(openPulls('api').map((p) => p.number)).toEqual([pull.number]);

    expect(await deliver('issue_comment', comment('octocat'))).toBe(200);
    await settled();
    expect(openPulls('api')).toEqual([]);
    expect(
      gh.state
        .repo('acme', 'api')
        .issue(pull.number)
        .comments.map((c) => c.body),
    ).toEqual([
      'Dockhand will not propose node minor version 20.6 again. Comment `@dockhand recreate` here to undo.',
    ]);
  });

  it('a GitHub 502 and a secondary rate limit are retried; the PR is opened once', async () => {
    gh.state.createRepo('acme', 'flaky', { files: { Dockerfile: 'FROM node:22.3.0\nUSER node\n' } });
    gh.failNext('GET /repos/acme/flaky/git/trees/*', 502);
    gh.secondaryRateLimitNext('POST /repos/acme/flaky/pulls', { retryAfter: 1 });
    expect(
      await deliver('installation_repositories', {
        action: 'added',
        sender: user,
        repositories_added: [{ full_name: 'acme/flaky' }],
      }),
    ).toBe(200);
    await settled();
    expect(openPulls('flaky').map((p) => p.head)).toEqual(['dockhand/pin-digests']);
    const injected = gh.calls
      .filter((call) => call.repo === 'acme/flaky' && call.injected)
      .map((c) => c.status);
    expect(injected.sort()).toEqual([403, 502]);
    expect(
      gh.calls.filter(
        (c) => c.repo === 'acme/flaky' && c.method === 'POST' && c.route?.endsWith('/pulls') && !c.injected,
      ),
    ).toHaveLength(1);
  });
});

describe('a worker killed mid-job', () => {
  it('leaves the job to another worker, which completes it once', async () => {
    gh.state.createRepo('acme', 'late', { files: { Dockerfile: 'FROM node:20.1.0\nUSER node\n' } });
    gh.setLatency(150);
    const child: ChildProcess = spawn(process.execPath, [`${ROOT}/bin/dockhand.js`, 'worker'], {
      // info-level logs: they must carry no credential either.
      env: { ...workerEnv(true), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [child.stdout!, child.stderr!])
      stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Enqueued as the app's enqueuer does, on this test's own queues (see workerEnv).
    const killQueues = createQueues({ connection, prefix: `${prefix}-kill` });
    try {
      const since = gh.calls.length;
      await new BullEnqueuer(killQueues).enqueueRepo({
        installationId: INSTALLATION,
        repository: 'acme/late',
        reason: 'repositories-added',
      });
      // The child has started writing: its first commit exists, its PRs do not.
      await until(
        () =>
          gh.calls
            .slice(since)
            .some((c) => c.repo === 'acme/late' && c.method === 'POST' && c.route?.endsWith('/git/commits')),
        'the child worker to start writing',
      );
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    gh.setLatency(0);
    const rescuer = startInProcessWorker(true);
    let job: Job<RepoJobData> | undefined;
    try {
      job = await until(
        async () => (await killQueues.repo.getCompleted()).find((j) => j.data.repository === 'acme/late'),
        'the job to complete on the other worker',
        20_000,
      );
    } finally {
      expect(await rescuer.stop()).toBe(0);
      await killQueues.close();
    }
    expect(output).toContain('worker ready');
    expect(output).not.toContain(PRIVATE_KEY.split('\n')[1]!);
    expect(output).not.toMatch(/ghs_[\w-]{10,}|Bearer [\w.-]{10,}/);
    expect(
      gh.state
        .pulls('acme', 'late')
        .map((p) => p.pull!.head)
        .sort(),
    ).toEqual(['dockhand/node-20.x', 'dockhand/node-22.x']);
    // It stalled on the killed worker and was taken over, not run from scratch as a new job.
    expect(job!.stalledCounter).toBe(1);
    // Each branch holds one Dockhand commit on main: the rerun did not stack a second one.
    for (const branch of ['dockhand/node-20.x', 'dockhand/node-22.x']) {
      const head = gh.state.branches('acme', 'late').get(branch)!;
      expect(gh.state.repo('acme', 'late').commitObject(head).parents).toEqual([
        gh.state.branches('acme', 'late').get('main'),
      ]);
    }
  }, 60_000);
});
