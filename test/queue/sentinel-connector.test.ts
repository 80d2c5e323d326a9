// The Sentinel connector against a real Sentinel deployment. A failover announcement (`+switch-master`)
// makes ioredis' failover detector disconnect the connector; landing while the client is reconnecting
// (asking a sentinel for the primary), it ended ioredis' client for good. Here the announcement's
// disconnect is made at that moment on purpose, through the same call the detector makes.
import { Redis, SentinelConnector, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverSafeSentinelConnector } from '../../src/queue/sentinel-connector.js';
import { startRedisSentinel, type TestRedisSentinel } from '../support/redis-sentinel.js';
import { until } from './helpers.js';

let sentinel: TestRedisSentinel;
const clients: Redis[] = [];

beforeAll(async () => {
  sentinel = await startRedisSentinel({ password: 'nodes-pass', sentinelPassword: 'sentinels-pass' });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await sentinel?.stop();
});

function client(Connector: RedisOptions['Connector']): Redis {
  const redis = new Redis({
    sentinels: sentinel.sentinels,
    name: sentinel.masterName,
    password: sentinel.password,
    sentinelPassword: sentinel.sentinelPassword,
    lazyConnect: true,
    retryStrategy: () => 50,
    Connector,
  });
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

/** What the failover detector does on `+switch-master`: the connector, not the client, disconnects. */
function announceFailover(redis: Redis): void {
  (redis as unknown as { connector: SentinelConnector }).connector.disconnect();
}

/** Connects, and while the connector asks a sentinel for the primary, the failover is announced. */
async function announcedWhileConnecting(redis: Redis): Promise<void> {
  const connected = redis.connect().catch(() => undefined);
  expect(redis.status).toBe('connecting');
  announceFailover(redis);
  await connected;
}

describe('FailoverSafeSentinelConnector', () => {
  it('a failover announced while the client asks the sentinels: the client connects again and answers', async () => {
    const redis = client(FailoverSafeSentinelConnector);
    await announcedWhileConnecting(redis);
    await until(() => redis.status === 'ready', 'the client to be ready');
    await redis.set('after-failover', 'ok');
    expect(await redis.get('after-failover')).toBe('ok');
  });

  it('ioredis’ own connector ends the client for good there (why ours exists)', async () => {
    const redis = client(SentinelConnector as unknown as RedisOptions['Connector']);
    await announcedWhileConnecting(redis);
    await until(() => redis.status === 'end', 'the client to end');
    await expect(redis.ping()).rejects.toThrow('Connection is closed.');
  });

  it('the application’s own disconnect while connecting still ends the client', async () => {
    const redis = client(FailoverSafeSentinelConnector);
    const connected = redis.connect().catch(() => undefined);
    redis.disconnect();
    await connected;
    await until(() => redis.status === 'end', 'the client to end');
    // It stays ended: no reconnect behind the application's back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(redis.status).toBe('end');
  });

  it('other connect failures still reach the client', async () => {
    const redis = new Redis({
      sentinels: [{ host: '127.0.0.1', port: 1 }],
      name: sentinel.masterName,
      lazyConnect: true,
      sentinelRetryStrategy: () => null,
      Connector: FailoverSafeSentinelConnector,
    });
    redis.on('error', () => undefined);
    clients.push(redis);
    await expect(redis.connect()).rejects.toThrow('All sentinels are unreachable');
  });
});
