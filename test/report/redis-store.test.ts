// The Redis report store against a real redis-server: the shared behaviour suite (as the memory store),
// the keys it uses, `latest()` for 2,000 repositories in one command, and what a repository costs.
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoReport } from '../../src/report/evaluate.js';
import {
  installationDaysKey,
  latestReportsKey,
  RedisReportStore,
  repositoryDaysKey,
} from '../../src/report/store/redis.js';
import { MemoryReportStore } from '../../src/report/store/memory.js';
import { HISTORY_DAYS } from '../../src/report/store/types.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { dayAfter, fixtureReport, reportStoreBehaviour } from './store-suite.js';

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  // A server of our own: MONITOR below must see only this test's commands.
  server = await startRedis({ spawn: true });
  redis = new Redis(server.url);
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

const freshPrefix = () => `{dockhand-test-${randomBytes(4).toString('hex')}}`;

reportStoreBehaviour('RedisReportStore', () => new RedisReportStore(redis, freshPrefix()));

describe('RedisReportStore in Redis', () => {
  let shop: RepoReport;
  beforeAll(async () => {
    shop = await fixtureReport('shop');
  });

  it('keeps an installation under its prefix: the latest hash, the days sorted set, one series per repository', async () => {
    const prefix = freshPrefix();
    const store = new RedisReportStore(redis, prefix);
    await store.save(7, shop, new Date('2026-12-01T03:00:00Z'));
    await store.rollup(7, '2026-12-01');
    const keys = (await redis.keys(`${prefix}*`)).sort();
    expect(keys).toEqual(
      [
        latestReportsKey(prefix, 7),
        installationDaysKey(prefix, 7),
        repositoryDaysKey(prefix, 7, 'ACME/Shop'),
      ].sort(),
    );
    expect(keys).toEqual([
      `${prefix}:report:7:days`,
      `${prefix}:report:7:latest`,
      `${prefix}:report:7:repo:acme/shop`,
    ]);
    expect(await redis.type(latestReportsKey(prefix, 7))).toBe('hash');
    expect(await redis.type(installationDaysKey(prefix, 7))).toBe('zset');
    // A repository's series expires once nothing was written to it for HISTORY_DAYS.
    const ttl = await redis.pttl(repositoryDaysKey(prefix, 7, 'acme/shop'));
    expect(ttl).toBeGreaterThan((HISTORY_DAYS - 1) * 86_400_000);
  });

  it('reads the latest reports of 2,000 repositories with one command, and a repository costs a few KiB', async () => {
    const prefix = freshPrefix();
    const store = new RedisReportStore(redis, prefix);
    const names = Array.from({ length: 2_000 }, (_, i) => `acme/repo-${String(i).padStart(4, '0')}`);
    const at = new Date('2026-12-01T03:00:00Z');
    for (let i = 0; i < names.length; i += 100)
      await Promise.all(
        names
          .slice(i, i + 100)
          .map((repository) =>
            store.save(7, { ...shop, repository, facts: { ...shop.facts, repository } }, at),
          ),
      );

    const monitor = await redis.monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(String(args[0]).toLowerCase()));
    try {
      const latest = await store.latest(7);
      expect(latest.map((r) => r.repository)).toEqual(names);
      // MONITOR's own lines arrive asynchronously: wait for a marker sent after the read.
      await redis.ping('after-latest');
      await waitFor(() => commands.includes('ping'));
    } finally {
      monitor.disconnect();
    }
    expect(commands.filter((c) => c !== 'ping')).toEqual(['hgetall']);

    // Memory per repository: its share of the latest hash, and a full 400-day series.
    const latestBytes = (await redis.memory('USAGE', latestReportsKey(prefix, 7), 'SAMPLES', 0)) ?? 0;
    const singlePrefix = freshPrefix();
    const single = new RedisReportStore(redis, singlePrefix);
    for (let offset = -(HISTORY_DAYS - 1); offset <= 0; offset++)
      await single.save(7, shop, new Date(`${dayAfter('2027-06-30', offset)}T03:00:00Z`));
    const series = await single.repoHistory(7, 'acme/shop', 1000);
    expect(series).toHaveLength(HISTORY_DAYS);
    const seriesBytes = (await redis.memory('USAGE', repositoryDaysKey(singlePrefix, 7, 'acme/shop'))) ?? 0;
    console.log(
      `report store: latest ${Math.round(latestBytes / names.length)} B per repository` +
        ` (its JSON ${JSON.stringify(shop).length} B), a ${HISTORY_DAYS}-day series ${seriesBytes} B`,
    );
    expect(seriesBytes).toBeLessThan(16 * 1024);
  }, 60_000);

  it('reads many repositories’ series with one MGET, and prunes their keys', async () => {
    const prefix = freshPrefix();
    const store = new RedisReportStore(redis, prefix);
    const names = Array.from({ length: 300 }, (_, i) => `acme/repo-${i}`);
    const at = new Date('2026-12-01T03:00:00Z');
    await Promise.all(
      names.map((repository) =>
        store.save(7, { ...shop, repository, facts: { ...shop.facts, repository } }, at),
      ),
    );
    const monitor = await redis.monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(String(args[0]).toLowerCase()));
    try {
      const histories = await store.repoHistories(7, names, 90);
      expect(histories.map((h) => h.map((r) => r.day))).toEqual(names.map(() => ['2026-12-01']));
      await redis.ping('after-histories');
      await waitFor(() => commands.includes('ping'));
    } finally {
      monitor.disconnect();
    }
    expect(commands.filter((c) => c !== 'ping')).toEqual(['mget']);

    expect(await store.prune(7, names.slice(0, 100))).toHaveLength(200);
    expect(await redis.hlen(latestReportsKey(prefix, 7))).toBe(100);
    expect(await redis.keys(`${prefix}:report:7:repo:*`)).toHaveLength(100);
    expect(await redis.exists(repositoryDaysKey(prefix, 7, 'acme/repo-299'))).toBe(0);
  });

  it('reads back a series of changing figures with gaps exactly as the memory store keeps it', async () => {
    const tools = await fixtureReport('tools');
    const store = new RedisReportStore(redis, freshPrefix());
    const memory = new MemoryReportStore();
    const offsets = [0, 1, 2, 5, 6, 7, 8, 20, 21, 22, 40];
    for (const [n, offset] of offsets.entries()) {
      const report = { ...(n % 3 === 2 ? shop : tools), repository: 'acme/mixed' };
      const at = new Date(`${dayAfter('2026-10-01', offset)}T03:00:00Z`);
      await store.save(7, report, at);
      await memory.save(7, report, at);
    }
    for (const days of [1, 3, 4, 10, 400])
      expect(await store.repoHistory(7, 'acme/mixed', days)).toEqual(
        await memory.repoHistory(7, 'acme/mixed', days),
      );
  });

  it('reads a series written as a plain JSON array (before identical days were stored once)', async () => {
    const prefix = freshPrefix();
    const store = new RedisReportStore(redis, prefix);
    await store.save(7, shop, new Date('2026-11-30T03:00:00Z'));
    await store.save(7, shop, new Date('2026-12-01T03:00:00Z'));
    const current = await store.repoHistory(7, 'acme/shop', 30);
    const key = repositoryDaysKey(prefix, 7, 'acme/shop');
    // The stored form keeps the two identical days' figures once.
    const stored = JSON.parse(inflateRawSync((await redis.getBuffer(key))!).toString('utf8')) as {
      figures: unknown[];
      runs: unknown[];
    };
    expect(stored.figures).toHaveLength(1);
    expect(stored.runs).toEqual([['2026-11-30', 2, 0]]);
    await redis.set(key, deflateRawSync(JSON.stringify(current)));
    expect(await store.repoHistory(7, 'acme/shop', 30)).toEqual(current);
    expect(await store.repoHistories(7, ['acme/shop'], 1)).toEqual([current.slice(-1)]);
    // The next save rewrites it in the current form, the old days kept.
    await store.save(7, shop, new Date('2026-12-02T03:00:00Z'));
    expect((await store.repoHistory(7, 'acme/shop', 30)).map((r) => r.day)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
