// Dockhand's Redis users on a real three-master Redis Cluster (with a password), reached through a seed
// node that does not serve the prefix's slot: what a plain single-node client did there (MOVED), what the
// connection factory does instead, that every key Dockhand writes lands in the prefix's one slot (so its
// scripts and transactions run), and that readiness follows the primary serving that slot.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisDedupe } from '../../src/app/dedupe.js';
import { RedisCache } from '../../src/cache/redis.js';
import type { RepoResult } from '../../src/job/types.js';
import { readCommands } from '../../src/queue/commands.js';
import {
  createProducerConnection,
  createWorkerConnection,
  primaryAnswers,
  queueSettingsFromEnv,
  type RedisClient,
  type RedisSettings,
} from '../../src/queue/connection.js';
import { Politeness } from '../../src/queue/politeness.js';
import { BullEnqueuer, createQueues } from '../../src/queue/queues.js';
import { upsertInstallationSchedule } from '../../src/queue/schedules.js';
import type { RepoJobData } from '../../src/queue/types.js';
import { startWorker } from '../../src/queue/worker.js';
import { latestResults, saveResult } from '../../src/results/store.js';
import { startRedisCluster, type ClusterNode, type TestRedisCluster } from '../support/redis-cluster.js';
import { until } from './helpers.js';

const PASSWORD = 'cluster-pass-never-logged';
const prefix = `{dockhand-${randomBytes(4).toString('hex')}}`;
let cluster: TestRedisCluster;
let seed: ClusterNode;
let owner: ClusterNode;
let settings: RedisSettings;
const clients: RedisClient[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster({ password: PASSWORD });
  [seed, owner] = await Promise.all([cluster.notOwner(prefix), cluster.owner(prefix)]);
  settings = queueSettingsFromEnv({
    DOCKHAND_REDIS_MODE: 'cluster',
    DOCKHAND_REDIS_NODES: cluster.seeds([seed]),
    REDIS_PASSWORD: PASSWORD,
    DOCKHAND_QUEUE_PREFIX: prefix,
  }).redis;
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await cluster?.stop();
});

function producer(): RedisClient {
  const client = createProducerConnection(settings);
  clients.push(client);
  return client;
}

function workerConnection(): RedisClient {
  const client = createWorkerConnection(settings);
  clients.push(client);
  return client;
}

const job: RepoJobData = { installationId: 7, repository: 'acme/api', reason: 'push' };

describe('Dockhand on a Redis Cluster, seeded with a node that does not serve its slot', () => {
  it('a single-node client there, as Dockhand had before, fails with MOVED', async () => {
    expect(seed.port).not.toBe(owner.port);
    const plain = new Redis({ ...seed, password: PASSWORD, maxRetriesPerRequest: 1 });
    clients.push(plain);
    const queues = createQueues({ connection: plain, prefix });
    try {
      await expect(new BullEnqueuer(queues).enqueueRepo(job)).rejects.toThrow(
        new RegExp(`^MOVED ${await cluster.keyslot(prefix)} 127\\.0\\.0\\.1:${owner.port}$`),
      );
    } finally {
      await queues.close();
    }
  });

  it('the factory’s connections follow the redirect: a job a producer adds runs on a worker', async () => {
    const connection = producer();
    const queues = createQueues({ connection, prefix });
    const ran: RepoJobData[] = [];
    const worker = startWorker({
      connection: workerConnection(),
      prefix,
      processors: { crawl: async () => undefined, repo: async (data) => void ran.push(data) },
    });
    try {
      await worker.waitUntilReady();
      await new BullEnqueuer(queues).enqueueRepo(job);
      await until(() => ran.length === 1, 'the job to run');
      expect(ran).toEqual([job]);
      await until(async () => (await queues.repo.getCompletedCount()) === 1, 'the job to complete');
    } finally {
      await worker.close();
      await queues.close();
    }
  });

  it('every key Dockhand writes starts with the prefix and lives on the primary of its slot', async () => {
    const redis = workerConnection();
    const queues = createQueues({ connection: redis, prefix });
    try {
      const enqueuer = new BullEnqueuer(queues);
      // The queues, the deduplication keys, the command inbox (a transaction) and a job scheduler.
      await enqueuer.enqueueRepo({
        ...job,
        repository: 'acme/web',
        reason: 'command',
        command: 'rebase',
        number: 4,
      });
      await enqueuer.enqueueCrawl({ installationId: 7, reason: 'installed' });
      await upsertInstallationSchedule(queues.crawl, 7);
      const inbox = await readCommands(redis, prefix, 7, 'acme/web');
      expect(inbox.commands).toEqual([{ command: 'rebase', number: 4 }]);
      // Politeness: scripts over two keys.
      const politeness = new Politeness({ redis, prefix, writeSpacingMs: 10 });
      const slot = await politeness.tryAcquire(7);
      expect(slot.acquired).toBe(true);
      await politeness.reserveWrite(7);
      await politeness.pause(7, 50);
      // Results: a transaction over the latest-results hash and the recent-runs list.
      await saveResult(redis, prefix, result('acme/web'));
      expect((await latestResults(redis, prefix, 7)).map((r) => r.repository)).toEqual(['acme/web']);
      // The redelivery guard and the registry cache with its lease (released by a script).
      const dedupe = createRedisDedupe(redis, { prefix: `${prefix}:delivery:` });
      expect(await dedupe.claim('d-1')).toBe('claimed');
      await dedupe.confirm('d-1');
      expect(await dedupe.claim('d-1')).toBe('seen');
      const cache = new RedisCache(redis, { prefix: `${prefix}:cache:` });
      await cache.set('tags:docker.io/library/node', ['20', '22'], 60);
      const release = await cache.claim('tags:docker.io/library/node', 60_000);
      await release!();
      expect(cache.stats().errors).toBe(0);

      const keysOn = async (node: ClusterNode) => cluster.node(node).keys('*');
      const ownerKeys = await keysOn(owner);
      const kinds = ['repo', 'crawl', 'commands', 'politeness', 'results', 'delivery', 'cache'];
      expect(kinds.filter((kind) => !ownerKeys.some((key) => key.startsWith(`${prefix}:${kind}:`)))).toEqual(
        [],
      );
      expect(ownerKeys.filter((key) => !key.startsWith(`${prefix}:`))).toEqual([]);
      for (const node of cluster.nodes.filter((node) => node.port !== owner.port))
        expect(await keysOn(node)).toEqual([]);
    } finally {
      await queues.close();
    }
  });

  it('readiness asks the primary of the prefix’s slot: ready through the seed, not ready once it is gone', async () => {
    const connection = producer();
    await until(() => primaryAnswers(connection, `${prefix}:ready`), 'the slot’s primary to answer');
    // A PING could still be answered by the seed; the slot's primary is what Dockhand needs.
    await cluster.kill(owner);
    await until(
      async () => !(await primaryAnswers(connection, `${prefix}:ready`)),
      'readiness to turn false',
      20_000,
    );
  });
});

function result(repository: string): RepoResult {
  return {
    installationId: 7,
    repository,
    reason: 'crawl',
    startedAt: '2026-11-23T01:00:00.000Z',
    durationMs: 120,
    outcome: 'ok',
    commit: 'c'.repeat(40),
    deps: 3,
    updates: 1,
    findings: { error: 0, warning: 2, info: 0 },
    pullRequests: { opened: [4], updated: [], closed: [], pending: [] },
    errors: [],
    apiCalls: { requests: 9, notModified: 2 },
    registryRequests: 1,
  };
}
