import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import { GitHubClient, type OctokitLike } from '../../../src/platform/github/client.js';

const NOW = Date.UTC(2026, 0, 1);
const ROUTE = 'GET /repos/{owner}/{repo}';
const REPO = { owner: 'acme', repo: 'api' };

/** Fails every request the way Octokit's RequestError does (status plus response headers). */
function failing(status: number | undefined, headers: Record<string, string> = {}): OctokitLike {
  return {
    request() {
      return Promise.reject(
        Object.assign(new Error('Bad credentials: token ghs_abcdefghijklmnopqrstuvwxyz0123'), {
          ...(status === undefined ? {} : { status }),
          response: { headers },
        }),
      );
    },
  };
}

async function errorFor(octokit: OctokitLike) {
  const result = await new GitHubClient(octokit, new MemoryCache(), () => NOW).get(ROUTE, REPO);
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('GitHubClient errors', () => {
  it('waits for the primary limit to reset, measured on the injected clock', async () => {
    const reset = String(NOW / 1000 + 90);
    expect(
      await errorFor(failing(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset })),
    ).toEqual({
      kind: 'rate-limited',
      status: 403,
      message: 'GET /repos/{owner}/{repo} (acme/api): HTTP 403',
      retryAfterMs: 90_000,
    });
  });

  it('waits a minute on a 429 without retry-after, as GitHub advises', async () => {
    expect(await errorFor(failing(429))).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
  });

  it('treats a network failure as transient and an unexpected 4xx as rejected, never echoing the cause', async () => {
    const network = await errorFor(failing(undefined));
    expect(network).toEqual({
      kind: 'transient',
      message: 'GET /repos/{owner}/{repo} (acme/api): network failure',
    });
    const rejected = await errorFor(failing(422));
    expect(rejected).toMatchObject({ kind: 'rejected', status: 422 });
    expect(JSON.stringify([network, rejected])).not.toContain('ghs_');
  });

  it('a 403 without rate-limit headers (no access) is rejected, not retried', async () => {
    expect(await errorFor(failing(403))).toMatchObject({ kind: 'rejected', status: 403 });
  });
});

describe('GitHubClient conditional requests', () => {
  it('keys ETags by repository and query, so neither answers for the other', async () => {
    const sent: Record<string, unknown>[] = [];
    const octokit: OctokitLike = {
      request(_route, parameters = {}) {
        sent.push(parameters);
        return Promise.resolve({ status: 200, headers: { etag: `"${String(parameters.repo)}"` }, data: {} });
      },
    };
    const client = new GitHubClient(octokit, new MemoryCache());
    await client.getConditional(ROUTE, REPO);
    await client.getConditional(ROUTE, { ...REPO, repo: 'web' });
    await client.getConditional(ROUTE, { ...REPO, recursive: '1' });
    await client.getConditional(ROUTE, REPO);
    expect(sent.map((parameters) => parameters.headers)).toEqual([{}, {}, {}, { 'if-none-match': '"api"' }]);
    expect(client.usage).toEqual({ requests: 4, notModified: 0 });
  });
});
