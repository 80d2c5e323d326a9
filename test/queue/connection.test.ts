import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProducerConnection,
  createWorkerConnection,
  primaryAnswers,
  queueSettingsFromEnv,
  redactRedisUrl,
} from '../../src/queue/connection.js';
import { BullEnqueuer, createQueues, EnqueueTimeoutError } from '../../src/queue/queues.js';
import type { RepoJobData } from '../../src/queue/types.js';
import { NO_PERSISTENCE, startRedisProcess } from '../support/redis-process.js';
import { startRedis } from '../support/redis.js';
import { startQueueTestEnv, until, type QueueTestEnv } from './helpers.js';

let env: QueueTestEnv;
const job: RepoJobData = { installationId: 1, repository: 'acme/api', reason: 'push' };

beforeAll(async () => {
  env = await startQueueTestEnv();
});

afterAll(async () => {
  await env.stop();
});

describe('queueSettingsFromEnv', () => {
  it('defaults to local Redis and the dockhand prefix, and takes a Cluster hash-tag prefix', () => {
    expect(queueSettingsFromEnv({})).toEqual({
      redis: { mode: 'standalone', url: 'redis://127.0.0.1:6379', tls: false },
      prefix: 'dockhand',
    });
    expect(
      queueSettingsFromEnv({
        REDIS_URL: 'rediss://redis.internal:6380/1',
        DOCKHAND_QUEUE_PREFIX: '{dockhand}',
      }),
    ).toEqual({
      redis: { mode: 'standalone', url: 'rediss://redis.internal:6380/1', tls: false },
      prefix: '{dockhand}',
    });
    expect(() => queueSettingsFromEnv({ DOCKHAND_QUEUE_PREFIX: 'dockhand:' })).toThrow(
      /must not end with ':'/,
    );
  });
});

describe('redactRedisUrl', () => {
  it('hides user and password', () => {
    const redacted = redactRedisUrl('redis://admin:s3cr%40t@redis.internal:6379/2');
    expect(redacted).toBe('redis://***:***@redis.internal:6379/2');
    expect(redactRedisUrl('redis://:s3cret@host:1')).toBe('redis://:***@host:1');
    expect(redactRedisUrl('not a url s3cret')).toBe('<invalid redis url>');
  });
});

describe('connections', () => {
  it('producers give up within their bound when Redis was never reachable, and errors never carry the password', async () => {
    // A port where Redis was and is no more.
    const gone = await startRedis({ spawn: true });
    await gone.stop();
    const password = 'pa55-w0rd-never-logged';
    const url = gone.url.replace('redis://', `redis://dockhand:${password}@`);
    const errors: string[] = [];
    const producer = createProducerConnection(url, (message) => errors.push(message));
    const queues = createQueues({ connection: producer, prefix: env.prefix, onError: (m) => errors.push(m) });
    try {
      const enqueuer = new BullEnqueuer(queues, { timeoutMs: 200 });
      await expect(enqueuer.enqueueRepo(job)).rejects.toThrow(EnqueueTimeoutError);
      await until(
        async () => errors.some((m) => m.startsWith('redis redis://***:***@127.0.0.1:')),
        'a connection error',
      );
      expect(errors.join('\n')).not.toContain(password);
    } finally {
      producer.disconnect();
    }
  });

  it('producers fail at once when Redis goes away after connecting, and recover', async () => {
    const own = await startRedis({ spawn: true });
    const port = Number(new URL(own.url).port);
    const producer = createProducerConnection(own.url);
    const queues = createQueues({ connection: producer, prefix: env.prefix });
    // Long bound: a failure below must come from the connection, not from the timeout.
    const enqueuer = new BullEnqueuer(queues, { timeoutMs: 60_000 });
    let again: Awaited<ReturnType<typeof startRedis>> | undefined;
    try {
      await enqueuer.enqueueRepo(job);
      await own.stop();
      await until(async () => producer.status !== 'ready', 'the connection to notice');
      await expect(enqueuer.enqueueRepo(job)).rejects.toThrow(/enableOfflineQueue/);
      again = await startRedis({ port });
      await until(async () => producer.status === 'ready', 'the reconnect');
      await enqueuer.enqueueRepo({ ...job, repository: 'acme/web' });
      expect(await queues.repo.count()).toBe(1);
    } finally {
      await queues.close().catch(() => {});
      producer.disconnect();
      await again?.stop();
    }
  });

  it('standalone: REDIS_PASSWORD reaches a server that requires one when REDIS_URL carries none; the URL’s own wins', async () => {
    const server = await startRedisProcess({
      args: (port, dir) => [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        ...NO_PERSISTENCE,
        '--dir',
        dir,
        '--requirepass',
        'right',
      ],
    });
    const url = `redis://127.0.0.1:${server.port}`;
    const fromEnv = createProducerConnection(
      queueSettingsFromEnv({ REDIS_URL: url, REDIS_PASSWORD: 'right' }).redis,
    );
    const fromUrl = createProducerConnection(
      queueSettingsFromEnv({ REDIS_URL: url.replace('//', '//:right@'), REDIS_PASSWORD: 'wrong' }).redis,
    );
    try {
      for (const client of [fromEnv, fromUrl]) {
        await until(() => client.status === 'ready', 'the connection');
        expect(await primaryAnswers(client, `${env.prefix}:ready`)).toBe(true);
      }
    } finally {
      fromEnv.disconnect();
      fromUrl.disconnect();
      await server.stop();
    }
  });

  it('a worker connection retries commands through an outage (BullMQ requires it for workers)', () => {
    const worker = createWorkerConnection(env.redis.url);
    try {
      expect(worker.options.maxRetriesPerRequest).toBeNull();
      expect(worker.options.keyPrefix ?? '').toBe('');
    } finally {
      worker.disconnect();
    }
  });

  it('keeps every key under a Redis Cluster hash-tag prefix', async () => {
    const prefix = `{${env.prefix}}`;
    const producer = createProducerConnection(env.redis.url);
    const queues = createQueues({ connection: producer, prefix });
    try {
      await new BullEnqueuer(queues).enqueueRepo({
        installationId: 1,
        repository: 'acme/api',
        reason: 'push',
      });
      const keys = await env.connection.keys(`*${env.prefix}*`);
      const tagged = keys.filter((key) => key.includes(prefix));
      expect(tagged.length).toBeGreaterThan(0);
      expect(tagged.every((key) => key.startsWith(`${prefix}:`))).toBe(true);
      // Redis Cluster hashes only the text inside the first {…}: all these keys share one slot.
      await env.connection.del(...tagged);
    } finally {
      await queues.close();
      producer.disconnect();
    }
  });
});
