// Writes wait for the installation's write slot (shared through Redis); reads never do.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Politeness } from '../../src/queue/politeness.js';
import { politeOctokit } from '../../src/worker/polite-octokit.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

describe('politeOctokit', () => {
  it('spaces writes per installation on the shared clock and lets reads through', async () => {
    let now = 1_000_000;
    const politeness = new Politeness({
      redis,
      prefix: server.prefix,
      writeSpacingMs: 1_000,
      now: () => now,
    });
    const sent: string[] = [];
    const waits: number[] = [];
    const octokit = {
      request: async (route: string) => {
        sent.push(route);
        return { status: 200, headers: {}, data: null };
      },
    };
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const polite = politeOctokit(octokit, politeness, 42, sleep);
    const other = politeOctokit(octokit, politeness, 43, sleep);

    await polite.request('GET /repos/{owner}/{repo}');
    await polite.request('POST /repos/{owner}/{repo}/git/blobs');
    await polite.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}');
    await polite.request('GET /repos/{owner}/{repo}/pulls');
    await other.request('POST /repos/{owner}/{repo}/pulls');
    now += 400;
    await polite.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}');

    expect(sent).toHaveLength(6);
    // First write at once, the second a second later, the other installation at once, then 1.6 s
    // (the slot after the second write, 400 ms on).
    expect(waits).toEqual([1_000, 1_600]);
  });

  it('passes Octokit’s GraphQL client through (it knows GitHub Enterprise’s endpoint), each call a write', async () => {
    const politeness = new Politeness({
      redis,
      prefix: `${server.prefix}gql:`,
      writeSpacingMs: 1_000,
      now: () => 5_000_000,
    });
    const queries: string[] = [];
    const waits: number[] = [];
    const octokit = {
      request: async () => ({ status: 200, headers: {}, data: null }),
      graphql: async <T>(query: string): Promise<T> => {
        queries.push(query);
        return { ok: true } as T;
      },
    };
    const polite = politeOctokit(octokit, politeness, 7, async (ms) => {
      waits.push(ms);
    });
    expect(await polite.graphql!('mutation { a }')).toEqual({ ok: true });
    await polite.graphql!('mutation { b }');
    expect(queries).toEqual(['mutation { a }', 'mutation { b }']);
    expect(waits).toEqual([1_000]);
    expect(politeOctokit({ request: octokit.request }, politeness, 7).graphql).toBeUndefined();
  });
});
