// The Redis report store on a real three-master Redis Cluster through Dockhand's connection factory,
// seeded with a node that does not serve the prefix's slot: the shared behaviour suite passes, and
// every key it writes lands in the `{…}` prefix's one slot (its pipelines and transactions need that).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProducerConnection,
  queueSettingsFromEnv,
  type RedisClient,
} from '../../src/queue/connection.js';
import { RedisReportStore } from '../../src/report/store/redis.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { fixtureReport, reportStoreBehaviour } from './store-suite.js';

const TAG = `dockhand-${randomBytes(4).toString('hex')}`;
let cluster: TestRedisCluster;
let client: RedisClient;
let count = 0;

beforeAll(async () => {
  cluster = await startRedisCluster();
  const seed = await cluster.notOwner(`{${TAG}}`);
  const { redis } = queueSettingsFromEnv({
    DOCKHAND_REDIS_MODE: 'cluster',
    DOCKHAND_REDIS_NODES: cluster.seeds([seed]),
    DOCKHAND_QUEUE_PREFIX: `{${TAG}}`,
  });
  client = createProducerConnection(redis);
  // A producer connection queues nothing while it connects (it fails fast): wait until it is ready.
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
}, 60_000);
afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
});

// Each test its own prefix, all with the same hash tag.
reportStoreBehaviour(
  'RedisReportStore on a Cluster',
  () => new RedisReportStore(client, `{${TAG}}:t${++count}`),
);

describe('RedisReportStore on a Cluster', () => {
  it('keeps every key of an installation in the prefix’s slot', async () => {
    const prefix = `{${TAG}}:slots`;
    const store = new RedisReportStore(client, prefix);
    const shop = await fixtureReport('shop');
    await store.save(7, shop, new Date('2026-12-01T03:00:00Z'));
    await store.save(7, { ...shop, repository: 'acme/other' }, new Date('2026-12-01T03:00:00Z'));
    await store.rollup(7, '2026-12-01');
    const owner = cluster.node(await cluster.owner(prefix));
    const keys = await owner.keys(`${prefix}*`);
    expect(keys).toHaveLength(4);
    const slots = new Set(await Promise.all(keys.map((key) => cluster.keyslot(key))));
    expect(slots).toEqual(new Set([await cluster.keyslot(prefix)]));
    expect((await store.latest(7)).map((r) => r.repository)).toEqual(['acme/other', 'acme/shop']);
  });
});
