// The test Redis harness (test/support/redis.ts) that other suites reuse.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedis } from '../support/redis.js';

const saved = { REDIS_URL: process.env.REDIS_URL, PATH: process.env.PATH };

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

describe('startRedis', () => {
  it('starts a server of its own on a loopback port and kills it on stop', async () => {
    const redis = await startRedis({ spawn: true });
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await answers(redis.url)).toBe(true);
    await redis.stop();
    expect(await answers(redis.url)).toBe(false);
    await redis.stop(); // a second stop is harmless
  });

  it('gives concurrent callers separate servers and prefixes', async () => {
    const [a, b] = await Promise.all([startRedis({ spawn: true }), startRedis({ spawn: true })]);
    try {
      expect(a.url).not.toBe(b.url);
      expect(a.prefix).not.toBe(b.prefix);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('uses REDIS_URL when set, and stop deletes only the keys under its prefix', async () => {
    const server = await startRedis({ spawn: true });
    const raw = new Redis(server.url);
    try {
      process.env.REDIS_URL = server.url;
      const shared = await startRedis();
      expect(shared.url).toBe(server.url);
      const keys = Array.from({ length: 2500 }, (_, i) => `${shared.prefix}k${i}`);
      await raw.mset(...keys.flatMap((key) => [key, 'v']));
      await raw.set('someone-else:key', 'kept');
      await raw.set(`${shared.prefix.slice(0, -1)}*glob`, 'kept');
      await shared.stop();
      expect(await raw.dbsize()).toBe(2);
      expect(await answers(server.url)).toBe(true);
    } finally {
      raw.disconnect();
      await server.stop();
    }
  });

  it('says how to get redis-server when it is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dockhand-nopath-'));
    try {
      delete process.env.REDIS_URL;
      process.env.PATH = empty;
      await expect(startRedis()).rejects.toThrow(/redis-server is not installed.*REDIS_URL/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
