// The npm datasource against a local HTTP server playing a registry, for the answers a real registry
// does not give on demand: rate limits, server errors, cut and oversized bodies, bad JSON, redirects.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import type { Cache } from '../../../src/cache/types.js';
import { RegistryError } from '../../../src/datasources/docker/errors.js';
import {
  ABBREVIATED_ACCEPT,
  FULL_ACCEPT,
  NpmDatasource,
  type NpmDatasourceOptions,
  type NpmRequestEvent,
} from '../../../src/datasources/npm/index.js';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { fakeSleep, json, startServer, type FakeServer, type Handler } from '../docker/fake-registry.js';

const servers: FakeServer[] = [];
const datasources: NpmDatasource[] = [];
afterEach(async () => {
  await Promise.all(datasources.splice(0).map((d) => d.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Handler): Promise<FakeServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

function datasource(extra: Partial<NpmDatasourceOptions> = {}) {
  const events: NpmRequestEvent[] = [];
  const { sleep, waits } = fakeSleep();
  const npm = new NpmDatasource({
    network: NetworkPolicy.local(),
    cache: new MemoryCache(),
    sleep,
    onRequest: (e) => events.push(e),
    ...extra,
  });
  datasources.push(npm);
  return { npm, events, waits };
}

const packument = (name = 'pkg') => ({
  name,
  'dist-tags': { latest: '1.1.0' },
  versions: { '1.0.0': { version: '1.0.0' }, '1.1.0': { version: '1.1.0' } },
});
const RELEASES = [{ version: '1.0.0' }, { version: '1.1.0' }];

/** Answers each request with the next of `statuses` (the last repeats); 200 serves a packument. */
function sequence(statuses: number[], headers: Record<string, string> = {}): Handler {
  let call = 0;
  return (_req, res) => {
    const status = statuses[Math.min(call++, statuses.length - 1)]!;
    json(res, status === 200 ? packument() : { error: 'nope' }, headers, status);
  };
}

async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describe('requests', () => {
  it('asks for the abbreviated packument of a scoped name, encoded', async () => {
    const s = await server((_req, res) => json(res, packument('@scope/pkg')));
    const { npm, events } = datasource();
    const result = await npm.getReleases({ packageName: '@scope/pkg', registryUrl: s.origin });
    expect(result).toEqual({ releases: RELEASES, latest: '1.1.0' });
    expect(s.received.map((r) => [r.url, r.headers.accept])).toEqual([['/@scope%2fpkg', ABBREVIATED_ACCEPT]]);
    expect(events).toEqual([
      { kind: 'packument', registry: s.host, method: 'GET', url: `${s.origin}/@scope%2fpkg`, status: 200 },
    ]);
  });

  it('asks for the full packument when publish times are needed, and keeps both apart', async () => {
    const s = await server((req, res) => {
      const full = req.headers.accept === FULL_ACCEPT;
      json(res, { ...packument(), ...(full && { time: { '1.1.0': '2025-05-06T07:08:09.000Z' } }) });
    });
    const { npm } = datasource();
    const abbreviated = await npm.getReleases({ packageName: 'pkg', registryUrl: `${s.origin}/` });
    const full = await npm.getReleases({ packageName: 'pkg', registryUrl: s.origin, withTimestamps: true });
    expect(abbreviated.releases[1]).toEqual({ version: '1.1.0' });
    expect(full.releases[1]).toEqual({ version: '1.1.0', releaseTimestamp: '2025-05-06T07:08:09.000Z' });
    expect(s.received.map((r) => r.headers.accept)).toEqual([ABBREVIATED_ACCEPT, FULL_ACCEPT]);
  });

  it('keeps a registry path (Nexus, Artifactory)', async () => {
    const s = await server((_req, res) => json(res, packument()));
    const { npm } = datasource();
    await npm.getReleases({ packageName: 'pkg', registryUrl: `${s.origin}/repository/npm` });
    expect(s.received.map((r) => r.url)).toEqual(['/repository/npm/pkg']);
  });

  it('shares one request among concurrent lookups of a package', async () => {
    const s = await server((_req, res) => void setTimeout(() => json(res, packument()), 50));
    const { npm } = datasource();
    const query = { packageName: 'pkg', registryUrl: s.origin };
    const results = await Promise.all([
      npm.getReleases(query),
      npm.getReleases(query),
      npm.getReleases(query),
    ]);
    expect(results.map((r) => r.releases)).toEqual([RELEASES, RELEASES, RELEASES]);
    expect(s.received).toHaveLength(1);
  });

  it.each(['../secrets', 'a?b', '@scope/a/b', ''])('asks nothing for the name %j', async (packageName) => {
    const s = await server((_req, res) => json(res, packument()));
    const { npm } = datasource();
    expect((await rejection(npm.getReleases({ packageName, registryUrl: s.origin }))).kind).toBe('protocol');
    expect(s.received).toHaveLength(0);
  });

  it('asks nothing of a registry URL that carries credentials or is not http(s)', async () => {
    const s = await server((_req, res) => json(res, packument()));
    const { npm } = datasource();
    const withUser = `http://user:secret@${s.host}/`;
    const error = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: withUser }));
    expect(error.kind).toBe('protocol');
    expect(error.message).not.toContain('secret');
    const file = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: 'file:///etc/' }));
    expect(file.kind).toBe('protocol');
    expect(s.received).toHaveLength(0);
  });
});

describe('caching and ETags', () => {
  const etagServer = () => {
    let body: { versions: Record<string, object> } = packument();
    const handler: Handler = (req, res) => {
      const etag = `"v${Object.keys(body.versions).length}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
      } else json(res, body, { etag });
    };
    return {
      handler,
      publish: () => (body = { ...body, versions: { ...body.versions, '2.0.0': { version: '2.0.0' } } }),
    };
  };

  it('asks nothing again within the TTL', async () => {
    let now = 1_000_000;
    const s = await server(etagServer().handler);
    const { npm, events } = datasource({ now: () => now, cache: new MemoryCache({ now: () => now }) });
    const query = { packageName: 'pkg', registryUrl: s.origin };
    await npm.getReleases(query);
    now += 3_599_000;
    expect((await npm.getReleases(query)).releases).toEqual(RELEASES);
    expect(events).toHaveLength(1);
  });

  it('revalidates a stale answer with If-None-Match, reuses it on 304 and replaces it on 200', async () => {
    let now = 1_000_000;
    const fake = etagServer();
    const s = await server(fake.handler);
    const { npm, events } = datasource({ now: () => now, cache: new MemoryCache({ now: () => now }) });
    const query = { packageName: 'pkg', registryUrl: s.origin };
    await npm.getReleases(query);
    now += 3_601_000;
    expect((await npm.getReleases(query)).releases).toEqual(RELEASES);
    now += 3_601_000;
    fake.publish();
    const after = await npm.getReleases(query);
    expect(after.releases.map((r) => r.version)).toEqual(['1.0.0', '1.1.0', '2.0.0']);
    expect(events.map((e) => e.status)).toEqual([200, 304, 200]);
    expect(s.received.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v2"', '"v2"']);
  });

  it('forgets an answer with an ETag only after the revalidation period', async () => {
    let now = 1_000_000;
    const s = await server(etagServer().handler);
    const cache = new MemoryCache({ now: () => now });
    const { npm } = datasource({ now: () => now, cache, ttlSeconds: 60, revalidateSeconds: 600 });
    const query = { packageName: 'pkg', registryUrl: s.origin };
    await npm.getReleases(query);
    now += 500_000;
    await npm.getReleases(query);
    now += 601_000;
    await npm.getReleases(query);
    expect(s.received.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v2"', undefined]);
  });

  it('calls a 304 to a request without an ETag a protocol error', async () => {
    const s = await server((_req, res) => {
      res.writeHead(304);
      res.end();
    });
    const { npm } = datasource();
    const error = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: s.origin }));
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('npm package pkg');
  });

  it('does not serve one identity’s answer to another sharing the cache', async () => {
    const s = await server((_req, res) => json(res, packument()));
    const cache: Cache = new MemoryCache();
    const anonymous = datasource({ cache }).npm;
    const authorized = datasource({
      cache,
      registries: [{ url: s.origin, authorization: 'Bearer t0ken-1' }],
    }).npm;
    const query = { packageName: 'pkg', registryUrl: s.origin };
    await anonymous.getReleases(query);
    await authorized.getReleases(query);
    await anonymous.getReleases(query);
    expect(s.received.map((r) => r.headers.authorization)).toEqual([undefined, 'Bearer t0ken-1']);
  });
});

describe('hostile or failing registries', () => {
  it('honours Retry-After on 429', async () => {
    const s = await server(sequence([429, 200], { 'retry-after': '7' }));
    const { npm, waits, events } = datasource();
    expect((await npm.getReleases({ packageName: 'pkg', registryUrl: s.origin })).releases).toEqual(RELEASES);
    expect(waits).toEqual([7000]);
    expect(events.map((e) => e.status)).toEqual([429, 200]);
  });

  it('fails as rate-limited when Retry-After asks for longer than it waits', async () => {
    const s = await server(sequence([429], { 'retry-after': '3600' }));
    const { npm, waits } = datasource();
    const error = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: s.origin }));
    expect([error.kind, error.status, waits]).toEqual(['rate-limited', 429, []]);
  });

  it('retries 5xx and succeeds', async () => {
    const s = await server(sequence([500, 503, 200]));
    const { npm, waits } = datasource();
    expect((await npm.getReleases({ packageName: 'pkg', registryUrl: s.origin })).latest).toBe('1.1.0');
    expect(waits).toEqual([500, 1000]);
  });

  it('gives up after the allowed retries of 5xx', async () => {
    const s = await server(sequence([502]));
    const { npm } = datasource({ limits: { retries: 2 } });
    const error = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: s.origin }));
    expect([error.kind, error.status]).toEqual(['server', 502]);
    expect(error.message).toContain('npm package pkg');
    expect(s.received).toHaveLength(3);
  });

  it('calls 404 not found, naming the package', async () => {
    const s = await server(sequence([404]));
    const { npm } = datasource();
    const error = await rejection(npm.getReleases({ packageName: '@a/missing', registryUrl: s.origin }));
    expect([error.kind, error.status]).toEqual(['not-found', 404]);
    expect(error.message).toBe(`npm package @a/missing (${s.host}): not found`);
  });

  it('calls 401 and 403 unauthorized', async () => {
    const s = await server(sequence([401, 403]));
    const { npm } = datasource();
    const query = { packageName: 'pkg', registryUrl: s.origin };
    expect((await rejection(npm.getReleases(query))).kind).toBe('unauthorized');
    expect((await rejection(npm.getReleases(query))).kind).toBe('unauthorized');
  });

  it('refuses a body over the cap, announced or streamed', async () => {
    const big = JSON.stringify({ ...packument(), readme: 'x'.repeat(4096) });
    const s = await server((req, res) => {
      if (req.url === '/announced') res.writeHead(200, { 'content-length': Buffer.byteLength(big) });
      else res.writeHead(200); // chunked: no length to judge by
      res.end(big);
    });
    const { npm } = datasource({ limits: { maxBodyBytes: 1024 } });
    for (const packageName of ['announced', 'streamed']) {
      const error = await rejection(npm.getReleases({ packageName, registryUrl: s.origin }));
      expect(error.kind).toBe('too-large');
      expect(error.message).toBe(
        `npm package ${packageName} (${s.host}): packument over 1024 bytes; not looked up`,
      );
    }
  });

  it('calls a body cut short a network failure', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"name":"pkg","versions":{');
      setTimeout(() => res.destroy(), 20);
    });
    const { npm } = datasource({ limits: { retries: 1 } });
    const error = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: s.origin }));
    expect(error.kind).toBe('network');
    expect(s.received).toHaveLength(2);
  });

  it.each([
    ['{"name":"pkg","versions":', 'packument is not valid JSON'],
    ['[1,2]', 'not a packument (no versions object)'],
    ['{"name":"other","versions":{}}', 'answered with the packument of other'],
  ])('calls %s a protocol error naming the package', async (body, why) => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const { npm } = datasource();
    const error = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: s.origin }));
    expect(error.kind).toBe('protocol');
    expect(error.message).toBe(`npm package pkg (${s.host}): ${why}`);
  });

  it('follows a redirect to another host without the Authorization', async () => {
    const other = await server((_req, res) => json(res, packument()));
    const s = await server((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/mirror/pkg` });
      res.end();
    });
    const { npm } = datasource({ registries: [{ url: s.origin, authorization: 'Bearer s3cret-token' }] });
    expect((await npm.getReleases({ packageName: 'pkg', registryUrl: s.origin })).releases).toEqual(RELEASES);
    expect(s.received[0]!.headers.authorization).toBe('Bearer s3cret-token');
    expect(other.received.map((r) => [r.url, r.headers.authorization])).toEqual([['/mirror/pkg', undefined]]);
  });

  it('does not follow a redirect to a host the network policy refuses', async () => {
    const other = await server((_req, res) => json(res, packument()));
    const s = await server((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/pkg` });
      res.end();
    });
    // The app's policy: public addresses only, plus the registries the operator configured.
    const { npm } = datasource({ network: NetworkPolicy.publicOnly(), registries: [{ url: s.origin }] });
    const error = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: s.origin }));
    expect(error.kind).toBe('not-allowed');
    expect(other.received).toHaveLength(0);
  });

  it('refuses a loopback registry the operator did not allow', async () => {
    const s = await server((_req, res) => json(res, packument()));
    const { npm } = datasource({ network: NetworkPolicy.publicOnly() });
    const error = await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: s.origin }));
    expect(error.kind).toBe('not-allowed');
    expect(s.received).toHaveLength(0);
  });

  it('sends credentials only to the configured registry, and never shows them', async () => {
    const s = await server(sequence([500]));
    const { npm } = datasource({
      limits: { retries: 0 },
      registries: [{ url: `${s.origin}/private/`, authorization: 'Bearer s3cret-token' }],
    });
    await rejection(npm.getReleases({ packageName: 'pkg', registryUrl: `${s.origin}/public/` }));
    const error = await rejection(
      npm.getReleases({ packageName: 'pkg', registryUrl: `${s.origin}/private/` }),
    );
    expect(s.received.map((r) => r.headers.authorization)).toEqual([undefined, 'Bearer s3cret-token']);
    expect(error.message).not.toContain('s3cret');
  });
});
