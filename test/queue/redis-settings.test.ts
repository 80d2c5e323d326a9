import { describe, expect, it } from 'vitest';
import { describeRedis } from '../../src/queue/connection.js';
import {
  hashTag,
  queueSettingsFromEnv,
  RedisSettingsError,
  redisSettingsFromEnv,
} from '../../src/queue/redis-settings.js';

describe('redisSettingsFromEnv', () => {
  it('standalone by default: REDIS_URL, with REDIS_USERNAME, REDIS_PASSWORD and DOCKHAND_REDIS_TLS', () => {
    expect(redisSettingsFromEnv({})).toEqual({
      mode: 'standalone',
      url: 'redis://127.0.0.1:6379',
      tls: false,
    });
    expect(
      redisSettingsFromEnv({
        DOCKHAND_REDIS_MODE: 'standalone',
        REDIS_URL: 'redis://redis.internal:6380/2',
        REDIS_USERNAME: 'dockhand',
        REDIS_PASSWORD: ' pass word ',
        DOCKHAND_REDIS_TLS: 'true',
      }),
    ).toEqual({
      mode: 'standalone',
      url: 'redis://redis.internal:6380/2',
      username: 'dockhand',
      // Taken as written: a password may start or end with a space.
      password: ' pass word ',
      tls: true,
    });
  });

  it('cluster: seed nodes, default port 6379, IPv6 in brackets', () => {
    expect(
      redisSettingsFromEnv({
        DOCKHAND_REDIS_MODE: 'cluster',
        DOCKHAND_REDIS_NODES: 'redis-0.redis:7000, redis-1.redis ,[fd00::1]:7002',
        REDIS_PASSWORD: 'secret',
      }),
    ).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'redis-0.redis', port: 7000 },
        { host: 'redis-1.redis', port: 6379 },
        { host: 'fd00::1', port: 7002 },
      ],
      password: 'secret',
      tls: false,
    });
  });

  it('sentinel: sentinels (default port 26379), master name, both passwords', () => {
    expect(
      redisSettingsFromEnv({
        DOCKHAND_REDIS_MODE: 'sentinel',
        DOCKHAND_REDIS_SENTINELS: 'sentinel-0:26380,sentinel-1',
        DOCKHAND_REDIS_MASTER_NAME: 'dockhand',
        REDIS_PASSWORD: 'data-secret',
        DOCKHAND_REDIS_SENTINEL_USERNAME: 'watcher',
        DOCKHAND_REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
        DOCKHAND_REDIS_TLS: 'false',
      }),
    ).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 'sentinel-0', port: 26380 },
        { host: 'sentinel-1', port: 26379 },
      ],
      masterName: 'dockhand',
      password: 'data-secret',
      sentinelUsername: 'watcher',
      sentinelPassword: 'sentinel-secret',
      tls: false,
    });
  });

  it.each([
    [
      { DOCKHAND_REDIS_MODE: 'replicated' },
      /^DOCKHAND_REDIS_MODE must be one of standalone, cluster, sentinel/,
    ],
    [{ DOCKHAND_REDIS_MODE: 'cluster' }, /^DOCKHAND_REDIS_NODES must list at least one host:port/],
    [{ DOCKHAND_REDIS_MODE: 'cluster', DOCKHAND_REDIS_NODES: 'a:b' }, /^DOCKHAND_REDIS_NODES: "a:b" is not/],
    [{ DOCKHAND_REDIS_MODE: 'cluster', DOCKHAND_REDIS_NODES: 'a:70000' }, /^DOCKHAND_REDIS_NODES: "a:70000"/],
    [
      { DOCKHAND_REDIS_MODE: 'cluster', DOCKHAND_REDIS_NODES: 'a:7000', REDIS_URL: 'redis://a:7000' },
      /^REDIS_URL is read only with DOCKHAND_REDIS_MODE=standalone .*DOCKHAND_REDIS_NODES names the nodes/,
    ],
    [
      { DOCKHAND_REDIS_SENTINELS: 's:26379' },
      /^DOCKHAND_REDIS_SENTINELS is read only with DOCKHAND_REDIS_MODE=sentinel .*set DOCKHAND_REDIS_MODE=sentinel/,
    ],
    [{ DOCKHAND_REDIS_NODES: 'a:7000' }, /set DOCKHAND_REDIS_MODE=cluster/],
    [
      { DOCKHAND_REDIS_MODE: 'sentinel', DOCKHAND_REDIS_SENTINELS: 's:26379' },
      /^DOCKHAND_REDIS_MASTER_NAME must name the primary/,
    ],
    [
      { DOCKHAND_REDIS_MODE: 'sentinel', DOCKHAND_REDIS_MASTER_NAME: 'dockhand' },
      /^DOCKHAND_REDIS_SENTINELS must list/,
    ],
    [{ DOCKHAND_REDIS_TLS: 'yes' }, /^DOCKHAND_REDIS_TLS must be true or false/],
    [{ REDIS_URL: 'http://redis:6379' }, /^REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    [{ REDIS_URL: 'redis' }, /^REDIS_URL must be a URL/],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => redisSettingsFromEnv(env)).toThrow(RedisSettingsError);
    expect(() => redisSettingsFromEnv(env)).toThrow(message);
  });
});

describe('queueSettingsFromEnv on a Redis Cluster', () => {
  const cluster = { DOCKHAND_REDIS_MODE: 'cluster', DOCKHAND_REDIS_NODES: '10.0.0.1:7000' };

  it('refuses a prefix without a hash tag and says what to set', () => {
    expect(() => queueSettingsFromEnv(cluster)).toThrow(
      /^DOCKHAND_QUEUE_PREFIX must carry a hash tag on a Redis Cluster \(got dockhand\): set DOCKHAND_QUEUE_PREFIX=\{dockhand\}/,
    );
    for (const prefix of ['acme', '{}acme', 'acme{', '{acme'])
      expect(() => queueSettingsFromEnv({ ...cluster, DOCKHAND_QUEUE_PREFIX: prefix })).toThrow(
        RedisSettingsError,
      );
  });

  it('takes a prefix whose keys all hash by one tag', () => {
    expect(queueSettingsFromEnv({ ...cluster, DOCKHAND_QUEUE_PREFIX: '{dockhand}' }).prefix).toBe(
      '{dockhand}',
    );
    expect(queueSettingsFromEnv({ ...cluster, DOCKHAND_QUEUE_PREFIX: 'prod-{dockhand}' }).prefix).toBe(
      'prod-{dockhand}',
    );
    // Standalone and Sentinel have one keyspace: any prefix.
    expect(queueSettingsFromEnv({ DOCKHAND_QUEUE_PREFIX: 'acme' }).prefix).toBe('acme');
  });

  it('hashTag reads the text Redis Cluster hashes', () => {
    expect(hashTag('{dockhand}')).toBe('dockhand');
    expect(hashTag('a{b}{c}')).toBe('b');
    expect(hashTag('{}{b}')).toBeUndefined();
    expect(hashTag('dockhand')).toBeUndefined();
  });
});

describe('describeRedis', () => {
  it('names where the connection goes, never a password', () => {
    expect(describeRedis('redis://user:s3cret@redis:6379/1')).toBe('redis://***:***@redis:6379/1');
    expect(
      describeRedis({
        mode: 'cluster',
        nodes: [
          { host: 'a', port: 7000 },
          { host: 'fd00::1', port: 7001 },
        ],
        password: 's3cret',
        tls: true,
      }),
    ).toBe('cluster a:7000,[fd00::1]:7001');
    expect(
      describeRedis({
        mode: 'sentinel',
        sentinels: [{ host: 's', port: 26379 }],
        masterName: 'dockhand',
        sentinelPassword: 's3cret',
        tls: false,
      }),
    ).toBe('sentinel primary dockhand via s:26379');
  });
});
