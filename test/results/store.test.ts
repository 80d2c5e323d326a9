import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoResult } from '../../src/job/types.js';
import {
  latestResults,
  recentResults,
  RECENT_RUNS,
  resultsKey,
  saveResult,
} from '../../src/results/store.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let server: TestRedis;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  prefix = server.prefix.replace(/:$/, '');
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

function result(repository: string, overrides: Partial<RepoResult> = {}): RepoResult {
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
    ...overrides,
  };
}

describe('results store', () => {
  it('keeps the latest run per repository, sorted by repository', async () => {
    await saveResult(redis, prefix, result('acme/web', { deps: 1 }));
    await saveResult(redis, prefix, result('acme/api'));
    await saveResult(redis, prefix, result('acme/web', { deps: 2, reason: 'push' }));
    await saveResult(redis, prefix, result('other/repo', { installationId: 8 }));

    const latest = await latestResults(redis, prefix, 7);
    expect(latest.map((r) => [r.repository, r.deps, r.reason])).toEqual([
      ['acme/api', 3, 'crawl'],
      ['acme/web', 2, 'push'],
    ]);
    expect(latest[0]).toEqual(result('acme/api'));
    expect((await latestResults(redis, prefix, 8)).map((r) => r.repository)).toEqual(['other/repo']);
    expect(await redis.hlen(resultsKey(prefix, 7))).toBe(2);
  });

  it('treats repository names case-insensitively, as GitHub does', async () => {
    await saveResult(redis, prefix, result('Case/Repo', { deps: 1 }));
    await saveResult(redis, prefix, result('case/repo', { deps: 5 }));
    const latest = (await latestResults(redis, prefix, 7)).filter(
      (r) => r.repository.toLowerCase() === 'case/repo',
    );
    expect(latest.map((r) => r.deps)).toEqual([5]);
    expect((await recentResults(redis, prefix, 7, 'CASE/REPO')).map((r) => r.deps)).toEqual([5, 1]);
  });

  it('keeps a capped list of recent runs, newest first', async () => {
    for (let run = 0; run < RECENT_RUNS + 5; run++)
      await saveResult(redis, prefix, result('acme/busy', { durationMs: run }));
    const recent = await recentResults(redis, prefix, 7, 'acme/busy');
    expect(recent).toHaveLength(RECENT_RUNS);
    expect(recent[0]!.durationMs).toBe(RECENT_RUNS + 4);
    expect(recent.at(-1)!.durationMs).toBe(5);
    expect((await recentResults(redis, prefix, 7, 'acme/busy', 2)).map((r) => r.durationMs)).toEqual([
      RECENT_RUNS + 4,
      RECENT_RUNS + 3,
    ]);
  });

  it("keeps a pull request's check run out of the repository's latest result, but in its recent runs", async () => {
    await saveResult(redis, prefix, result('acme/checked', { deps: 4 }));
    await saveResult(redis, prefix, result('acme/checked', { reason: 'pull-request', deps: 1 }));
    const latest = (await latestResults(redis, prefix, 7)).find((r) => r.repository === 'acme/checked');
    expect(latest).toMatchObject({ reason: 'crawl', deps: 4 });
    expect((await recentResults(redis, prefix, 7, 'acme/checked')).map((r) => r.reason)).toEqual([
      'pull-request',
      'crawl',
    ]);
  });

  it('answers empty lists for an installation or repository without runs', async () => {
    expect(await latestResults(redis, prefix, 999)).toEqual([]);
    expect(await recentResults(redis, prefix, 999, 'acme/none')).toEqual([]);
  });
});
