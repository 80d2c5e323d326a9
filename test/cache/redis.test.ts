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
import { gatedLoader } from './gated-loader.js';

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

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await pause();
}

describe('RedisCache leases (singleflight across processes)', () => {
  // Each "process" has a connection and a RedisCache of its own, so the in-process singleflight cannot help.
  const connections: Redis[] = [];
  function process(): RedisCache {
    const connection = new Redis(redis.url);
    connections.push(connection);
    return new RedisCache(connection, { prefix: redis.prefix });
  }
  afterAll(() => connections.forEach((connection) => connection.disconnect()));

  /** Until `cache` has read `key` in vain at least twice: its lookup lost the lease and is polling. */
  const polling = (cache: RedisCache) => until(() => cache.stats().misses >= 2);

  it('grants one lease per key until it is released, and releases only its own', async () => {
    const cache = process();
    const release = await cache.claim('lease', 60_000);
    expect(release).not.toBeNull();
    expect(await process().claim('lease', 60_000)).toBeNull();
    expect(await cache.claim('other', 60_000)).not.toBeNull();
    await release!();
    expect(await raw.exists(`${redis.prefix}lock:lease`)).toBe(0);

    // A lease that expired and was taken by another process is not ours to delete.
    const stale = await cache.claim('taken', 60_000);
    await raw.set(`${redis.prefix}lock:taken`, 'someone else');
    await stale!();
    expect(await raw.get(`${redis.prefix}lock:taken`)).toBe('someone else');
  });

  it('sets the lease to expire after leaseMs', async () => {
    await process().claim('expiring', 30_000);
    const pttl = await raw.pttl(`${redis.prefix}lock:expiring`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(30_000);
  });

  it('4 processes × 10 lookups of one key while the first loads: one load, one value for all', async () => {
    const events: string[] = [];
    const loaders = [0, 1, 2, 3].map((n) => gatedLoader<{ digest: string }>(`p${n}`, events));
    const caches = loaders.map(() => process());
    const first = Array.from({ length: 10 }, () => cached(caches[0]!, 'image', 3600, loaders[0]!.load));
    await until(() => loaders[0]!.calls() === 1);
    const others = caches
      .slice(1)
      .flatMap((cache, n) =>
        Array.from({ length: 10 }, () => cached(cache, 'image', 3600, loaders[n + 1]!.load)),
      );
    await Promise.all(caches.slice(1).map(polling));
    loaders[0]!.open({ digest: 'sha256:1' });
    const results = await Promise.all([...first, ...others]);
    expect(events).toEqual(['p0 loads']);
    expect(results.every((r) => r.digest === 'sha256:1')).toBe(true);
    expect(await raw.exists(`${redis.prefix}lock:image`)).toBe(0);
  });

  it('a waiter loads itself when the holder fails, and the failure releases the lease', async () => {
    const events: string[] = [];
    const [holder, waiter] = [process(), process()];
    const failing = gatedLoader<string>('holder', events);
    const working = gatedLoader<string>('waiter', events);
    const held = cached(holder, 'flaky', 3600, failing.load);
    const heldOutcome = held.catch((error: Error) => error.message);
    await until(() => failing.calls() === 1);
    const waiting = cached(waiter, 'flaky', 3600, working.load);
    await polling(waiter);
    expect(working.calls()).toBe(0);
    failing.fail(new Error('registry said 503'));
    expect(await heldOutcome).toBe('registry said 503');
    await until(() => working.calls() === 1);
    // The waiter holds the lease now: a third process waits for it too.
    const third = process();
    const thirdLoads = gatedLoader<string>('third', events);
    const alsoWaiting = cached(third, 'flaky', 3600, thirdLoads.load);
    await polling(third);
    working.open('ok');
    expect(await Promise.all([waiting, alsoWaiting])).toEqual(['ok', 'ok']);
    expect(events).toEqual(['holder loads', 'waiter loads']);
    expect(await raw.get(`${redis.prefix}flaky`)).toBe('"ok"');
    expect(await raw.exists(`${redis.prefix}lock:flaky`)).toBe(0);
  });

  it('a waiter loads itself once waitMs has passed without a value', async () => {
    const events: string[] = [];
    const [holder, waiter] = [process(), process()];
    const slow = gatedLoader<string>('holder', events);
    const held = cached(holder, 'slow', 3600, slow.load);
    await until(() => slow.calls() === 1);
    const timing = { leaseMs: 60_000, waitMs: 100, pollMs: 10 };
    const value = await cached(
      waiter,
      'slow',
      3600,
      async () => {
        events.push('waiter loads');
        return 'waiter';
      },
      timing,
    );
    expect(value).toBe('waiter');
    slow.open('holder');
    expect(await held).toBe('holder');
    expect(events).toEqual(['holder loads', 'waiter loads']);
  });

  it('takes no lease for a value that will not be stored (TTL 0)', async () => {
    const events: string[] = [];
    const loaders = [gatedLoader<string>('a', events), gatedLoader<string>('b', events)];
    const [a, b] = [process(), process()];
    const lookups = [cached(a, 'uncached', 0, loaders[0]!.load), cached(b, 'uncached', 0, loaders[1]!.load)];
    await until(() => loaders.every((loader) => loader.calls() === 1));
    expect(await raw.exists(`${redis.prefix}lock:uncached`)).toBe(0);
    loaders[0]!.open('a');
    loaders[1]!.open('b');
    expect(await Promise.all(lookups)).toEqual(['a', 'b']);
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

      // The failed claim lets the lookup load; it is reported like the read and write.
      expect(log.seen.map((e) => e.operation)).toEqual(['get', 'set', 'get', 'claim', 'set']);
      expect(cache.stats()).toEqual({ hits: 1, misses: 2, sets: 1, errors: 5 });
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
