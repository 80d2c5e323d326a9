// The crawl and repo processors against the fake GitHub, with probot minting the tokens, enqueuing onto
// real BullMQ queues on a real Redis. The repository job itself is a test double here (src/job has its
// own tests); what is checked is the wiring around it.
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import type { RepoResult } from '../../src/job/types.js';
import { createQueues, BullEnqueuer, type DockhandQueues } from '../../src/queue/queues.js';
import {
  DEFAULT_SCHEDULE,
  listInstallationSchedules,
  removeInstallationSchedule,
  upsertInstallationSchedule,
} from '../../src/queue/schedules.js';
import type { RepoJobData } from '../../src/queue/types.js';
import { PermanentJobError, startWorker, type WorkerLogger } from '../../src/queue/worker.js';
import { MemoryReportStore } from '../../src/report/store/memory.js';
import { latestResults, saveResult } from '../../src/results/store.js';
import { githubAppFromEnv } from '../../src/worker/auth.js';
import { createProcessors, type ProcessorDeps } from '../../src/worker/processors.js';
import { readCommands } from '../../src/queue/commands.js';
import { TEST_PRIVATE_KEY } from '../support/app-key.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { startQueueTestEnv, until, type QueueTestEnv } from '../queue/helpers.js';
import { fixtureReport } from '../report/store-suite.js';
import { readingJob, readingPlatform } from './doubles.js';

const privateKey = TEST_PRIVATE_KEY;

let env: QueueTestEnv;
let gh: FakeGitHub;
let queues: DockhandQueues;
let redis: Redis;
let logs: { level: string; message: string }[];

const logger: WorkerLogger = {
  info: (_fields, message) => logs.push({ level: 'info', message }),
  warn: (_fields, message) => logs.push({ level: 'warn', message }),
  error: (_fields, message) => logs.push({ level: 'error', message }),
};

beforeAll(async () => {
  env = await startQueueTestEnv();
  redis = new Redis(env.redis.url);
});

afterAll(async () => {
  redis.disconnect();
  await env.stop();
});

beforeEach(async () => {
  logs = [];
  gh = await startFakeGitHub();
  // Each test its own queues (and so its own jobs and schedulers).
  queues = createQueues({
    connection: env.connection,
    prefix: `${env.prefix}:${Math.random().toString(36).slice(2)}`,
    jobOptions: { attempts: 2, backoff: { type: 'fixed', delay: 50 } },
  });
});

afterEach(async () => {
  await queues.close();
  await gh.stop();
});

function prefixOf(queue: DockhandQueues['repo']): string {
  return queue.opts.prefix!;
}

function deps(overrides: Partial<ProcessorDeps> = {}): ProcessorDeps {
  const app = githubAppFromEnv(
    { APP_ID: '1', PRIVATE_KEY: privateKey, GHE_HOST: gh.host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'fatal' },
    { throttle: false },
  );
  const prefix = prefixOf(queues.repo);
  return {
    octokitForInstallation: (id) => app.octokitForInstallation(id),
    enqueuer: new BullEnqueuer(queues),
    schedules: {
      upsert: (id, schedule) => upsertInstallationSchedule(queues.crawl, id, schedule),
      remove: (id) => removeInstallationSchedule(queues.crawl, id),
    },
    githubCache: new MemoryCache(),
    registryCache: new MemoryCache(),
    runRepositoryJob: readingJob,
    createPlatform: readingPlatform,
    saveResult: (result) => saveResult(redis, prefix, result),
    mention: '@dockhand',
    log: logger,
    ...overrides,
  };
}

async function repoJobs(): Promise<RepoJobData[]> {
  const jobs: Job<RepoJobData>[] = await queues.repo.getJobs(['waiting', 'delayed', 'active', 'completed']);
  return jobs.map((job) => job.data).sort((a, b) => a.repository.localeCompare(b.repository));
}

describe('crawl processor', () => {
  it('enqueues every unarchived repository of the installation and applies the org schedule', async () => {
    gh.state.createRepo('acme', 'api', { files: { Dockerfile: 'FROM node:20\n' } });
    gh.state.createRepo('acme', 'web', { files: { Dockerfile: 'FROM nginx:1.27\n' } });
    gh.state.createRepo('acme', 'old', { files: { Dockerfile: 'FROM node:8\n' }, archived: true });
    gh.state.createRepo('acme', '.github', {
      files: { 'dockhand.yml': "schedule:\n  cron: '0 30 5 * * 2'\n  timezone: Europe/Berlin\n" },
    });
    gh.state.createRepo('other', 'app', { files: { Dockerfile: 'FROM node:20\n' } });
    gh.state.addInstallation({ id: 42, account: 'acme' });

    await createProcessors(deps()).crawl(
      { installationId: 42, reason: 'installed' },
      { id: '1', attempt: 1, attempts: 5 },
    );

    expect(await repoJobs()).toEqual([
      { installationId: 42, repository: 'acme/.github', reason: 'crawl' },
      { installationId: 42, repository: 'acme/api', reason: 'crawl' },
      { installationId: 42, repository: 'acme/web', reason: 'crawl' },
    ]);
    expect(await listInstallationSchedules(queues.crawl)).toMatchObject([
      { installationId: 42, cron: '0 30 5 * * 2', tz: 'Europe/Berlin' },
    ]);
    expect(logs).toContainEqual({
      level: 'info',
      message: 'crawl of installation 42: 3 repositories enqueued (1 archived skipped)',
    });
    // probot minted the installation token with the app's JWT.
    expect(gh.calls.find((call) => call.route === '/app/installations/:id/access_tokens')).toMatchObject({
      jwt: true,
      status: 201,
    });
  });

  it('lists past one page, and a scheduled re-crawl of an unchanged installation is answered by 304s', async () => {
    for (let index = 0; index < 130; index++) gh.state.createRepo('big', `repo-${index}`, {});
    gh.state.addInstallation({ id: 7, account: 'big' });
    const processors = createProcessors(deps());

    await processors.crawl({ installationId: 7, reason: 'installed' }, { id: '1', attempt: 1, attempts: 5 });
    expect((await repoJobs()).length).toBe(130);
    const listings = () => gh.calls.filter((call) => call.route === '/installation/repositories');
    expect(listings().map((call) => call.status)).toEqual([200, 200]);

    await processors.crawl({ installationId: 7, reason: 'schedule' }, { id: '2', attempt: 1, attempts: 5 });
    expect(listings().map((call) => call.status)).toEqual([200, 200, 304, 304]);
    // The jobs still waiting absorb the scheduled ones (one waiting job per repository).
    expect((await repoJobs()).length).toBe(130);
    // No org config: the default schedule.
    expect(await listInstallationSchedules(queues.crawl)).toMatchObject([
      { installationId: 7, cron: DEFAULT_SCHEDULE.cron, tz: DEFAULT_SCHEDULE.tz },
    ]);
  });

  it('marks scheduled crawls’ jobs as such', async () => {
    gh.state.createRepo('acme', 'api', {});
    gh.state.addInstallation({ id: 42, account: 'acme' });
    await createProcessors(deps()).crawl(
      { installationId: 42, reason: 'schedule' },
      { id: '1', attempt: 1, attempts: 5 },
    );
    expect(await repoJobs()).toEqual([{ installationId: 42, repository: 'acme/api', reason: 'schedule' }]);
  });

  it('falls back to the default schedule with a warning when the org config is unusable', async () => {
    gh.state.createRepo('acme', 'api', {});
    gh.state.createRepo('acme', '.github', {
      files: { 'dockhand.yml': "schedule:\n  cron: 'every monday'\n" },
    });
    gh.state.addInstallation({ id: 42, account: 'acme' });

    await createProcessors(deps()).crawl(
      { installationId: 42, reason: 'manual' },
      { id: '1', attempt: 1, attempts: 5 },
    );

    expect(await listInstallationSchedules(queues.crawl)).toMatchObject([
      { installationId: 42, cron: DEFAULT_SCHEDULE.cron, tz: 'UTC' },
    ]);
    expect(logs.filter((log) => log.level === 'warn').map((log) => log.message)).toEqual([
      'acme/.github/dockhand.yml: schedule.cron: expected a 6-field cron (with seconds), got "every monday"; using the default schedule',
    ]);
  });

  it('fails for good when the installation is gone (its own listing 404s), and drops its schedule', async () => {
    await upsertInstallationSchedule(queues.crawl, 999);
    const crawl = createProcessors(deps()).crawl(
      { installationId: 999, reason: 'schedule' },
      { id: '1', attempt: 1, attempts: 5 },
    );
    await expect(crawl).rejects.toBeInstanceOf(PermanentJobError);
    await expect(crawl).rejects.toThrow(/^installation 999: .*HTTP 404/);
    expect(await listInstallationSchedules(queues.crawl)).toEqual([]);
    expect(await repoJobs()).toEqual([]);
  });

  it('retries a GitHub 5xx during the listing (a transient error, not a permanent one)', async () => {
    gh.state.createRepo('acme', 'api', {});
    gh.state.addInstallation({ id: 42, account: 'acme' });
    gh.failNext('GET /installation/repositories', 502);
    const processors = createProcessors(deps());
    // probot's Octokit retries 5xx itself once before the job sees it.
    await processors.crawl({ installationId: 42, reason: 'installed' }, { id: '1', attempt: 1, attempts: 5 });
    expect(await repoJobs()).toEqual([{ installationId: 42, repository: 'acme/api', reason: 'crawl' }]);
  });
});

type HookedOctokit = {
  hook: {
    after(name: 'request', hook: (response: { data: unknown }, options: { url: string }) => void): void;
  };
};

describe('crawl processor: reports of repositories no longer listed', () => {
  async function storeWith(repositories: string[]): Promise<MemoryReportStore> {
    const store = new MemoryReportStore();
    const report = await fixtureReport('shop');
    for (const repository of repositories)
      await store.save(42, { ...report, repository }, new Date('2026-12-01T03:00:00Z'));
    await store.save(43, { ...report, repository: 'acme/gone' }, new Date('2026-12-01T03:00:00Z'));
    return store;
  }
  const reported = async (store: MemoryReportStore, id = 42) =>
    (await store.latest(id)).map((r) => r.repository);

  it('forgets removed, deleted and archived repositories after a complete listing', async () => {
    gh.state.createRepo('acme', 'api', {});
    gh.state.createRepo('acme', 'web', {});
    gh.state.createRepo('acme', 'old', { archived: true });
    gh.state.addInstallation({ id: 42, account: 'acme' });
    const store = await storeWith(['acme/api', 'acme/web', 'acme/old', 'acme/gone']);
    await createProcessors(deps({ reports: store })).crawl(
      { installationId: 42, reason: 'schedule' },
      { id: '1', attempt: 1, attempts: 5 },
    );
    expect(await reported(store)).toEqual(['acme/api', 'acme/web']);
    expect(await store.repoHistory(42, 'acme/gone', 30)).toEqual([]);
    // Another installation's reports are its own crawl's business.
    expect(await reported(store, 43)).toEqual(['acme/gone']);
    expect(logs).toContainEqual({
      level: 'info',
      message: 'installation 42: reports of 2 repositories no longer listed removed',
    });
  });

  it('keeps every report when the listing fails', async () => {
    gh.state.createRepo('acme', 'api', {});
    gh.state.addInstallation({ id: 42, account: 'acme' });
    const store = await storeWith(['acme/api', 'acme/gone']);
    gh.failNext('GET /installation/repositories', 404);
    const crawl = createProcessors(deps({ reports: store })).crawl(
      { installationId: 42, reason: 'schedule' },
      { id: '1', attempt: 1, attempts: 5 },
    );
    await expect(crawl).rejects.toThrow(/HTTP 404/);
    expect(await reported(store)).toEqual(['acme/api', 'acme/gone']);
  });

  it('keeps every report when the listing ends short of GitHub’s total_count', async () => {
    gh.state.createRepo('acme', 'api', {});
    gh.state.addInstallation({ id: 42, account: 'acme' });
    const store = await storeWith(['acme/api', 'acme/gone']);
    const base = deps({ reports: store });
    const processors = createProcessors({
      ...base,
      octokitForInstallation: async (id) => {
        const octokit = await base.octokitForInstallation(id);
        // GitHub counting a repository that no page lists (the listing changed while it was read).
        (octokit as unknown as HookedOctokit).hook.after('request', (response, options) => {
          if (options.url.startsWith('/installation/repositories'))
            (response.data as { total_count: number }).total_count += 1;
        });
        return octokit;
      },
    });
    await processors.crawl({ installationId: 42, reason: 'schedule' }, { id: '1', attempt: 1, attempts: 5 });
    expect(await repoJobs()).toEqual([{ installationId: 42, repository: 'acme/api', reason: 'schedule' }]);
    expect(await reported(store)).toEqual(['acme/api', 'acme/gone']);
    expect(logs).toContainEqual({
      level: 'warn',
      message: 'installation 42: listing incomplete; reports kept',
    });
  });
});

describe('repo processor', () => {
  it('hands the job every command of the repository inbox and empties it only after the job succeeded', async () => {
    gh.state.createRepo('acme', 'api', { files: { Dockerfile: 'FROM node:20\n' } });
    gh.state.addInstallation({ id: 42, account: 'acme' });
    const prefix = prefixOf(queues.repo);
    const enqueuer = new BullEnqueuer(queues);
    await enqueuer.enqueueRepo({ installationId: 42, repository: 'acme/api', reason: 'push' });
    await enqueuer.enqueueRepo({
      installationId: 42,
      repository: 'acme/api',
      reason: 'command',
      command: 'rebase',
      number: 9,
    });
    const seen: RepoJobData[] = [];
    let fail = true;
    const processors = createProcessors(
      deps({
        commandInbox: (id, repository) => readCommands(redis, prefix, id, repository),
        runRepositoryJob: async (data, jobDeps) => {
          seen.push(data);
          if (fail) throw new Error('registry down');
          return readingJob(data, jobDeps);
        },
      }),
    );
    const context = { id: '1', attempt: 1, attempts: 5 };
    const push = { installationId: 42, repository: 'acme/api', reason: 'push' } as const;
    await expect(processors.repo(push, context)).rejects.toThrow('registry down');
    fail = false;
    await processors.repo(push, { ...context, attempt: 2 });
    expect(seen.map((data) => data.commands)).toEqual([
      [{ command: 'rebase', number: 9 }],
      [{ command: 'rebase', number: 9 }],
    ]);
    expect((await readCommands(redis, prefix, 42, 'acme/api')).commands).toEqual([]);
  });
});

describe('repo processor failures', () => {
  it('records a failure on the last attempt (with secrets redacted), not on one that will be retried', async () => {
    gh.state.createRepo('acme', 'api', { files: { Dockerfile: 'FROM node:20\n' } });
    gh.state.addInstallation({ id: 42, account: 'acme' });
    const prefix = prefixOf(queues.repo);
    const processors = createProcessors(
      deps({
        runRepositoryJob: async () => {
          throw new Error(
            'upstream said no to https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz@example.com',
          );
        },
      }),
    );
    const job = { installationId: 42, repository: 'acme/api', reason: 'push' } as const;
    await expect(processors.repo(job, { id: '1', attempt: 1, attempts: 5 })).rejects.toThrow();
    expect(await latestResults(redis, prefix, 42)).toEqual([]);
    await expect(processors.repo(job, { id: '1', attempt: 5, attempts: 5 })).rejects.toThrow();
    const [result] = await latestResults(redis, prefix, 42);
    expect(result).toMatchObject({ repository: 'acme/api', outcome: 'failed' });
    expect(result!.detail).toContain('upstream said no');
    expect(result!.detail).not.toContain('ghs_');
  });
});

describe('crawl and repo jobs on a real worker', () => {
  it('a repository gone before its job fails once with a recorded reason; the others complete', async () => {
    for (const name of ['api', 'gone', 'web']) gh.state.createRepo('acme', name, {});
    gh.state.addInstallation({ id: 42, account: 'acme' });
    const prefix = prefixOf(queues.repo);
    const processors = createProcessors(deps());
    // Crawl first, then delete one repository before any repo job runs.
    await processors.crawl({ installationId: 42, reason: 'installed' }, { id: '1', attempt: 1, attempts: 5 });
    gh.state.deleteRepo('acme', 'gone');

    const worker = startWorker({ connection: env.connection, prefix, processors, logger });
    try {
      const finished = await until(async () => {
        const [completed, failed] = await Promise.all([
          queues.repo.getJobs(['completed']),
          queues.repo.getJobs(['failed']),
        ]);
        return completed.length + failed.length === 3 && { completed, failed };
      }, 'the three repo jobs');
      expect(finished.completed.map((job) => job.data.repository).sort()).toEqual(['acme/api', 'acme/web']);
      expect(finished.failed.map((job) => [job.data.repository, job.attemptsMade])).toEqual([
        ['acme/gone', 1],
      ]);
      expect(finished.failed[0]!.failedReason).toMatch(/HTTP 404/);
    } finally {
      await worker.close();
    }

    const results = await latestResults(redis, prefix, 42);
    expect(results.map((r: RepoResult) => [r.repository, r.outcome])).toEqual([
      ['acme/api', 'ok'],
      ['acme/gone', 'failed'],
      ['acme/web', 'ok'],
    ]);
    expect(results[1]!.detail).toMatch(/GET \/repos\/\{owner\}\/\{repo\} \(acme\/gone\): HTTP 404/);
    expect(results[1]!.apiCalls.requests).toBe(1);
    expect(
      logs.some((log) => log.level === 'info' && log.message.startsWith('acme/api ok (crawl); PRs 1 opened')),
    ).toBe(true);
  });
});
