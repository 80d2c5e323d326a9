import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProducerConnection } from '../../src/queue/connection.js';
import { commandInboxKey, readCommands } from '../../src/queue/commands.js';
import { BASE_JOB_OPTIONS, BullEnqueuer, createQueues, type DockhandQueues } from '../../src/queue/queues.js';
import type { RepoJobData } from '../../src/queue/types.js';
import { PermanentJobError, startWorker, type DockhandWorker } from '../../src/queue/worker.js';
import { gate, startQueueTestEnv, until, type QueueTestEnv } from './helpers.js';

let env: QueueTestEnv;
let producer: Redis;
let queues: DockhandQueues;
let worker: DockhandWorker | undefined;
let run = 0;

beforeAll(async () => {
  env = await startQueueTestEnv();
  producer = createProducerConnection(env.redis.url);
});

afterAll(async () => {
  producer.disconnect();
  await env.stop();
});

// Each test gets its own queues under a fresh sub-prefix: no job of one test is seen by another.
async function freshQueues(): Promise<{ queues: DockhandQueues; prefix: string }> {
  const prefix = `${env.prefix}:${++run}`;
  queues = createQueues({ connection: producer, prefix });
  return { queues, prefix };
}

afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await queues.close();
});

const repo = (repository: string, reason: RepoJobData['reason'] = 'push'): RepoJobData => ({
  installationId: 7,
  repository,
  reason,
});

describe('BullEnqueuer', () => {
  it('keeps one waiting job per repository (case-insensitive) and the first data', async () => {
    const { queues } = await freshQueues();
    const enqueuer = new BullEnqueuer(queues);
    await enqueuer.enqueueRepo(repo('acme/api', 'installed'));
    await enqueuer.enqueueRepo(repo('acme/api', 'push'));
    await enqueuer.enqueueRepo(repo('Acme/API', 'dashboard'));
    await enqueuer.enqueueRepo(repo('acme/web'));
    const waiting = await queues.repo.getWaiting();
    expect(waiting.map((job) => job.data).sort((a, b) => a.repository.localeCompare(b.repository))).toEqual([
      repo('acme/api', 'installed'),
      repo('acme/web'),
    ]);
    const job = waiting[0]!;
    expect(job.opts.attempts).toBe(BASE_JOB_OPTIONS.attempts);
    expect(job.opts.backoff).toEqual(BASE_JOB_OPTIONS.backoff);
    expect(job.opts.removeOnComplete).toEqual(BASE_JOB_OPTIONS.removeOnComplete);
    expect(job.opts.removeOnFail).toEqual(BASE_JOB_OPTIONS.removeOnFail);
  });

  it('while a repository job runs, keeps the newest add and runs it after the active one', async () => {
    const { queues, prefix } = await freshQueues();
    const enqueuer = new BullEnqueuer(queues);
    const release = gate();
    const seen: RepoJobData[] = [];
    worker = startWorker({
      connection: env.connection,
      prefix,
      concurrency: 4,
      processors: {
        crawl: async () => {},
        repo: async (data) => {
          seen.push(data);
          if (seen.length === 1) await release.promise;
        },
      },
    });
    await enqueuer.enqueueRepo(repo('acme/api', 'installed'));
    await until(async () => seen.length === 1, 'the first job to start');
    await enqueuer.enqueueRepo(repo('acme/api', 'push'));
    await enqueuer.enqueueRepo(repo('acme/api', 'command'));
    // Neither add may run alongside the active job, even with free worker concurrency.
    expect(await queues.repo.getJobCounts('active', 'waiting')).toEqual({ active: 1, waiting: 0 });
    expect(seen).toHaveLength(1);
    release.open();
    await until(async () => (await queues.repo.getJobCounts('completed')).completed === 2, 'two completions');
    expect(seen).toEqual([repo('acme/api', 'installed'), repo('acme/api', 'command')]);
    // Once both finished, a new add is a new job again.
    await enqueuer.enqueueRepo(repo('acme/api', 'schedule'));
    await until(async () => seen.length === 3, 'the third run');
    expect(seen[2]).toEqual(repo('acme/api', 'schedule'));
  });

  it('releases the repository when its job fails for good', async () => {
    const { queues, prefix } = await freshQueues();
    const enqueuer = new BullEnqueuer(queues);
    const seen: string[] = [];
    worker = startWorker({
      connection: env.connection,
      prefix,
      processors: {
        crawl: async () => {},
        repo: async ({ reason }) => {
          seen.push(reason);
          if (seen.length === 1) throw new PermanentJobError('archived');
        },
      },
    });
    await enqueuer.enqueueRepo(repo('acme/api', 'installed'));
    await until(async () => (await queues.repo.getJobCounts('failed')).failed === 1, 'the failure');
    await enqueuer.enqueueRepo(repo('acme/api', 'push'));
    await until(async () => (await queues.repo.getJobCounts('completed')).completed === 1, 'the new job');
    expect(seen).toEqual(['installed', 'push']);
  });

  it('keeps one crawl per installation while it waits', async () => {
    const { queues } = await freshQueues();
    const enqueuer = new BullEnqueuer(queues);
    await enqueuer.enqueueCrawl({ installationId: 1, reason: 'installed' });
    await enqueuer.enqueueCrawl({ installationId: 1, reason: 'manual' });
    await enqueuer.enqueueCrawl({ installationId: 2, reason: 'manual' });
    const waiting = await queues.crawl.getWaiting();
    expect(waiting.map((job) => job.data).sort((a, b) => a.installationId - b.installationId)).toEqual([
      { installationId: 1, reason: 'installed' },
      { installationId: 2, reason: 'manual' },
    ]);
  });

  it("gives each pull request's check-run job its own dedup, apart from the repository's main job", async () => {
    const { queues } = await freshQueues();
    const enqueuer = new BullEnqueuer(queues);
    const pr = (number: number, headSha: string): RepoJobData => ({
      installationId: 7,
      repository: 'acme/api',
      reason: 'pull-request',
      number,
      headSha,
    });
    await enqueuer.enqueueRepo(repo('acme/api', 'push'));
    await enqueuer.enqueueRepo(pr(5, 'a'.repeat(40)));
    await enqueuer.enqueueRepo(pr(5, 'b'.repeat(40)));
    await enqueuer.enqueueRepo(pr(6, 'c'.repeat(40)));
    await enqueuer.enqueueRepo(repo('acme/api', 'dashboard'));
    const waiting = (await queues.repo.getWaiting()).map((job) => job.data);
    expect(waiting.sort((a, b) => (a.number ?? 0) - (b.number ?? 0))).toEqual([
      repo('acme/api', 'push'),
      pr(5, 'a'.repeat(40)),
      pr(6, 'c'.repeat(40)),
    ]);
  });

  it('keeps every comment command in the repository inbox, even one whose job a waiting job absorbed', async () => {
    const { queues, prefix } = await freshQueues();
    const enqueuer = new BullEnqueuer(queues);
    await enqueuer.enqueueRepo(repo('acme/api', 'push'));
    await enqueuer.enqueueRepo({ ...repo('acme/api', 'command'), command: 'rebase', number: 3 });
    await enqueuer.enqueueRepo({ ...repo('Acme/API', 'command'), command: 'ignore major', number: 4 });
    expect((await queues.repo.getWaiting()).map((job) => job.data.reason)).toEqual(['push']);

    const inbox = await readCommands(producer, prefix, 7, 'acme/api');
    expect(inbox.commands).toEqual([
      { command: 'rebase', number: 3 },
      { command: 'ignore major', number: 4 },
    ]);
    // A command posted while the job runs stays for the next run; what was read goes once acknowledged.
    await enqueuer.enqueueRepo({ ...repo('acme/api', 'command'), command: 'recreate', number: 5 });
    await inbox.acknowledge();
    expect((await readCommands(producer, prefix, 7, 'acme/api')).commands).toEqual([
      { command: 'recreate', number: 5 },
    ]);
    expect(await producer.ttl(commandInboxKey(prefix, 7, 'acme/api'))).toBeGreaterThan(6 * 24 * 3600);
  });
});
