// The registry cache's cross-process singleflight on a real Redis Cluster: two workers, each with its own
// Cluster connection from the connection factory (seeded with a node that does not serve the prefix's
// slot) and its own RedisCache, look the same key up at once: one lease, one registry request, one value.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cached } from '../../src/cache/cached.js';
import { RedisCache } from '../../src/cache/redis.js';
import {
  createWorkerConnection,
  queueSettingsFromEnv,
  type RedisClient,
} from '../../src/queue/connection.js';
import { until } from '../queue/helpers.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { gatedLoader } from './gated-loader.js';

const prefix = `{dockhand-${randomBytes(4).toString('hex')}}`;
let cluster: TestRedisCluster;
const connections: RedisClient[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);

afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await cluster?.stop();
});

/** A worker's cache as src/worker/main.ts builds it: on a connection of its own. */
async function workerCache(): Promise<RedisCache> {
  const { redis } = queueSettingsFromEnv({
    DOCKHAND_REDIS_MODE: 'cluster',
    DOCKHAND_REDIS_NODES: cluster.seeds([await cluster.notOwner(prefix)]),
    DOCKHAND_QUEUE_PREFIX: prefix,
  });
  const connection = createWorkerConnection(redis);
  connections.push(connection);
  return new RedisCache(connection, { prefix: `${prefix}:cache:` });
}

describe('RedisCache leases on a Redis Cluster', () => {
  it('two workers × 10 lookups of one key: one lease, one registry request, one value for all', async () => {
    const events: string[] = [];
    const registries = [
      gatedLoader<{ digest: string }>('worker 1', events),
      gatedLoader<{ digest: string }>('worker 2', events),
    ];
    const [first, second] = [await workerCache(), await workerCache()];
    const key = 'digest:docker.io/library/node:20';
    const firstLookups = Array.from({ length: 10 }, () => cached(first, key, 3600, registries[0]!.load));
    await until(() => registries[0]!.calls() === 1, 'the first worker to ask the registry');
    const owner = cluster.node(await cluster.owner(prefix));
    // The lease sits beside the value, on the primary of the prefix's slot.
    expect(await owner.keys(`${prefix}:cache:lock:*`)).toEqual([`${prefix}:cache:lock:${key}`]);
    const secondLookups = Array.from({ length: 10 }, () => cached(second, key, 3600, registries[1]!.load));
    // The second worker found the lease taken and polls the cache for the value.
    await until(() => second.stats().misses >= 2, 'the second worker to wait for the value');
    registries[0]!.open({ digest: 'sha256:1' });
    const results = await Promise.all([...firstLookups, ...secondLookups]);
    expect(events).toEqual(['worker 1 loads']);
    expect(results.every((result) => result.digest === 'sha256:1')).toBe(true);
    expect(await owner.keys(`${prefix}:cache:*`)).toEqual([`${prefix}:cache:${key}`]);
    expect(first.stats().errors + second.stats().errors).toBe(0);
  });
});
