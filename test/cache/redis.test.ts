import { createServer } from 'node:net';
import { Redis, type Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { cached } from '../../src/cache/cached.js';
import {
  DEFAULT_PREFIX,
  RedisCache,
  createRedisCache,
  type RedisCacheOperation,
  type RedisCommands,
} from '../../src/cache/redis.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
let raw: Redis;

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
});

afterAll(async () => {
  raw?.disconnect();
  await redis?.stop();
});

function errorLog() {
  const seen: { operation: RedisCacheOperation; message: string }[] = [];
  return {
    seen,
    onError: (error: Error, operation: RedisCacheOperation) =>
      seen.push({ operation, message: error.message }),
  };
}

/** Lets timers (ioredis' reconnection) run between polls that would otherwise settle in microtasks. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('RedisCache', () => {
  it('takes ioredis Redis and Cluster connections', () => {
    expectTypeOf<Redis>().toExtend<RedisCommands>();
    expectTypeOf<Cluster>().toExtend<RedisCommands>();
  });

  it('round-trips JSON values under its prefix', async () => {
    const cache = new RedisCache(raw, { prefix: redis.prefix });
    const value = { tags: ['1.0', '1.1'], digest: 'sha256:abc', nested: { n: 1, none: null } };
    await cache.set('tags:docker.io:library/node', value);
    expect(await cache.get('tags:docker.io:library/node')).toEqual(value);
    expect(await raw.get(`${redis.prefix}tags:docker.io:library/node`)).toBe(JSON.stringify(value));
    expect(await cache.get('absent')).toBeUndefined();
    await cache.set('null', null);
    expect(await cache.get('null')).toBeNull();
    expect(cache.stats()).toEqual({ hits: 2, misses: 1, sets: 2, errors: 0 });
  });

  it('sets the TTL with EX, rounding fractions up, and no TTL means no expiry', async () => {
    const cache = new RedisCache(raw, { prefix: redis.prefix });
    await cache.set('hour', 'v', 3600);
    await cache.set('fraction', 'v', 1.5);
    await cache.set('forever', 'v');
    const hour = await raw.ttl(`${redis.prefix}hour`);
    expect(hour).toBeGreaterThan(3000);
    expect(hour).toBeLessThanOrEqual(3600);
    const fraction = await raw.pttl(`${redis.prefix}fraction`);
    expect(fraction).toBeGreaterThan(1000);
    expect(fraction).toBeLessThanOrEqual(2000);
    expect(await raw.ttl(`${redis.prefix}forever`)).toBe(-1);
  });

  it('a set without TTL clears an earlier TTL; a TTL of 0 deletes the key', async () => {
    const cache = new RedisCache(raw, { prefix: redis.prefix });
    await cache.set('k', 1, 60);
    await cache.set('k', 2);
    expect(await raw.ttl(`${redis.prefix}k`)).toBe(-1);
    await cache.set('k', 3, 0);
    expect(await raw.exists(`${redis.prefix}k`)).toBe(0);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('uses dockhand:cache: by default and accepts a Redis Cluster hash-tag prefix', async () => {
    const key = `${redis.prefix}default-prefix`;
    const plain = new RedisCache(raw);
    await plain.set(key, 'v');
    expect(await raw.get(`${DEFAULT_PREFIX}${key}`)).toBe('"v"');
    await raw.del(`${DEFAULT_PREFIX}${key}`);

    const tagged = new RedisCache(raw, { prefix: `${redis.prefix}{dockhand}:cache:` });
    await tagged.set('tags:ghcr.io:o/app', ['1']);
    expect(await raw.get(`${redis.prefix}{dockhand}:cache:tags:ghcr.io:o/app`)).toBe('["1"]');
    expect(await tagged.get('tags:ghcr.io:o/app')).toEqual(['1']);
  });

  it('leaves the connection as it was: no keyPrefix, still usable by others', async () => {
    const cache = new RedisCache(raw, { prefix: redis.prefix });
    await cache.set('shared', 'v');
    expect(raw.options.keyPrefix ?? '').toBe('');
    expect(await raw.ping()).toBe('PONG');
  });

  it('reads an entry that is not JSON as a miss and reports it', async () => {
    const log = errorLog();
    const cache = new RedisCache(raw, { prefix: redis.prefix, onError: log.onError });
    await raw.set(`${redis.prefix}garbage`, '{not json');
    expect(await cache.get('garbage')).toBeUndefined();
    expect(log.seen).toEqual([{ operation: 'get', message: 'cache entry garbage is not JSON' }]);
  });

  it('singleflight holds across a Redis cache: 50 concurrent lookups, one load, one stored key', async () => {
    const cache = new RedisCache(raw, { prefix: redis.prefix });
    let loads = 0;
    const load = async () => {
      loads++;
      return { digest: 'sha256:1' };
    };
    const results = await Promise.all(Array.from({ length: 50 }, () => cached(cache, 'flight', 3600, load)));
    expect(loads).toBe(1);
    expect(results.every((r) => r.digest === 'sha256:1')).toBe(true);
    expect(await raw.ttl(`${redis.prefix}flight`)).toBeGreaterThan(0);
    expect(cache.stats()).toMatchObject({ misses: 1, sets: 1 });
  });
});

describe('RedisCache when Redis goes away', () => {
  it('turns reads into misses and writes into no-ops, reporting each failure', async () => {
    const own = await startRedis({ spawn: true });
    const client = new Redis(own.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      const log = errorLog();
      const cache = new RedisCache(client, { onError: log.onError });
      await cache.set('k', 'v');
      expect(await cache.get('k')).toBe('v');
      expect(log.seen).toEqual([]);

      await own.stop();
      expect(await cache.get('k')).toBeUndefined();
      await expect(cache.set('k', 'w')).resolves.toBeUndefined();
      let loads = 0;
      expect(await cached(cache, 'other', 60, async () => ++loads)).toBe(1);

      expect(log.seen.map((e) => e.operation)).toEqual(['get', 'set', 'get', 'set']);
      expect(cache.stats()).toEqual({ hits: 1, misses: 2, sets: 1, errors: 4 });
    } finally {
      client.disconnect();
      await own.stop();
    }
  });

  it('gives up after timeoutMs on a connection that queues commands for ever (BullMQ-style)', async () => {
    const client = new Redis(`redis://127.0.0.1:${await closedPort()}`, {
      maxRetriesPerRequest: null,
      retryStrategy: () => 50,
    });
    client.on('error', () => undefined);
    try {
      const log = errorLog();
      const cache = new RedisCache(client, { timeoutMs: 100, onError: log.onError });
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k', 'v', 60);
      expect(log.seen).toEqual([
        { operation: 'get', message: 'Redis did not answer within 100 ms' },
        { operation: 'set', message: 'Redis did not answer within 100 ms' },
      ]);
    } finally {
      client.disconnect();
    }
  });
});

describe('createRedisCache', () => {
  it('opens its own connection from a URL and closes it', async () => {
    const cache = createRedisCache(redis.url, { prefix: redis.prefix });
    await cache.set('owned', { a: 1 }, 120);
    expect(await cache.get('owned')).toEqual({ a: 1 });
    expect(await raw.ttl(`${redis.prefix}owned`)).toBeGreaterThan(0);
    await cache.close();
    expect(await cache.get('owned')).toBeUndefined();
  });

  it('comes back when Redis does', async () => {
    const first = await startRedis({ spawn: true });
    const port = Number(new URL(first.url).port);
    const log = errorLog();
    const cache = createRedisCache(first.url, { onError: log.onError });
    let second: TestRedis | undefined;
    try {
      await cache.set('k', 'before');
      await first.stop();
      while (!log.seen.some((e) => e.operation === 'connection')) await cache.get('k').then(pause);
      second = await startRedis({ port });
      // The client reconnects on its own schedule: poll until a write lands.
      while ((await cache.get('k')) === undefined) await cache.set('k', 'after').then(pause);
      expect(await cache.get('k')).toBe('after');
      expect(log.seen.filter((e) => e.operation === 'connection')).toHaveLength(1);
    } finally {
      await cache.close();
      await first.stop();
      await second?.stop();
    }
  });

  it('fails fast when Redis is unreachable, reports the outage once, and never shows the password', async () => {
    const password = 'hunter2-s3cret';
    const log = errorLog();
    const cache = createRedisCache(`redis://user:${password}@127.0.0.1:${await closedPort()}`, {
      onError: log.onError,
    });
    try {
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k', 'v');
      expect(await cache.get('k')).toBeUndefined();
      expect(log.seen.filter((e) => e.operation === 'connection')).toHaveLength(1);
      expect(log.seen.filter((e) => e.operation !== 'connection').map((e) => e.operation)).toEqual([
        'get',
        'set',
        'get',
      ]);
      expect(JSON.stringify(log.seen)).not.toContain(password);
    } finally {
      await cache.close();
    }
  });

  it('removes the password from errors Redis itself sends back', async () => {
    // The test server has no password: AUTH fails, and the reply must not carry ours through onError.
    const password = 'pa%3Ass-word';
    const log = errorLog();
    const cache = createRedisCache(`redis://someone:${password}@${redis.url.slice('redis://'.length)}`, {
      prefix: redis.prefix,
      timeoutMs: 500,
      onError: log.onError,
    });
    try {
      expect(await cache.get('k')).toBeUndefined();
      expect(log.seen.map((e) => e.operation)).toEqual(['connection', 'get']);
      const text = JSON.stringify(log.seen);
      expect(text).not.toContain(password);
      expect(text).not.toContain('pa:ss-word');
    } finally {
      await cache.close();
    }
  });
});
