import { afterEach, describe, expect, it } from 'vitest';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { cacheKey } from '../../../src/cache/cached.js';
import { RegistryClient, type RequestEvent } from '../../../src/datasources/docker/index.js';
import { fakeSleep, json, memoryCache, startServer, type FakeServer, type Handler } from './fake-registry.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Handler): Promise<FakeServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

function client(extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) {
  const events: RequestEvent[] = [];
  const { sleep, waits } = fakeSleep();
  const cache = memoryCache();
  const registryClient = new RegistryClient({
    network: NetworkPolicy.local(),
    cache,
    sleep,
    onRequest: (e) => events.push(e),
    ...extra,
  });
  return { registryClient, events, waits, cache };
}

const image = (s: FakeServer, repository = 'app') => ({ registry: s.host, repository });

/** Answers each request with the next of `statuses` (the last repeats); 200 serves a tag list. */
function sequence(
  statuses: number[],
  headers: (status: number) => Record<string, string> = () => ({}),
): Handler {
  let call = 0;
  return (_req, res) => {
    const status = statuses[Math.min(call++, statuses.length - 1)]!;
    json(res, status === 200 ? { tags: ['ok'] } : { errors: [] }, headers(status), status);
  };
}

describe('retries', () => {
  it('honours Retry-After in seconds on 429', async () => {
    const s = await server(sequence([429, 200], () => ({ 'retry-after': '3' })));
    const { registryClient, waits } = client();
    expect(await registryClient.getTags(image(s))).toEqual(['ok']);
    expect(waits).toEqual([3000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const s = await server(
      sequence([429, 429, 200], () => ({ 'retry-after': 'Sun, 01 Mar 2026 12:00:20 GMT' })),
    );
    const { registryClient, waits } = client({ now: () => now });
    expect(await registryClient.getTags(image(s))).toEqual(['ok']);
    expect(waits).toEqual([20_000, 20_000]);
  });

  it('backs off on 429 without Retry-After and gives up at once when asked to wait too long', async () => {
    const plain = await server(sequence([429, 200]));
    const first = client();
    expect(await first.registryClient.getTags(image(plain))).toEqual(['ok']);
    expect(first.waits).toHaveLength(1);

    const long = await server(sequence([429], () => ({ 'retry-after': '3600' })));
    const second = client();
    await expect(second.registryClient.getTags(image(long))).rejects.toMatchObject({
      kind: 'rate-limited',
      status: 429,
    });
    expect(long.received).toHaveLength(1);
    expect(second.waits).toEqual([]);
  });

  it('retries 5xx and succeeds', async () => {
    const s = await server(sequence([502, 503, 200]));
    const { registryClient, waits } = client();
    expect(await registryClient.getTags(image(s))).toEqual(['ok']);
    expect(s.received).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
  });

  it('stops after the configured retries when 5xx never ends', async () => {
    const s = await server(sequence([500]));
    const { registryClient, waits } = client({ limits: { retries: 2 } });
    await expect(registryClient.getTags(image(s))).rejects.toMatchObject({
      name: 'RegistryError',
      kind: 'server',
      status: 500,
    });
    expect(s.received).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('retries refused connections a bounded number of times, then reports network', async () => {
    const s = await server(() => undefined);
    const host = s.host;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const { registryClient, events } = client({ limits: { retries: 1 } });
    await expect(registryClient.getTags({ registry: host, repository: 'app' })).rejects.toMatchObject({
      kind: 'network',
    });
    expect(events.map((e) => e.failure)).toEqual(['network', 'network']);
  });
});

describe('hostile bodies', () => {
  it('times out on a server that never answers', async () => {
    const s = await server(() => undefined);
    const { registryClient } = client({ limits: { timeoutMs: 150 } });
    await expect(registryClient.getTags(image(s))).rejects.toMatchObject({ kind: 'timeout' });
    expect(s.received).toHaveLength(1);
  });

  it('times out on a server that sends headers and then stalls the body', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"tags":[');
    });
    const { registryClient } = client({ limits: { timeoutMs: 150 } });
    await expect(registryClient.getTags(image(s))).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('reports a body cut short of its Content-Length as a network failure', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"tags":["a"');
      setTimeout(() => res.destroy(), 10);
    });
    const { registryClient } = client({ limits: { retries: 0 } });
    await expect(registryClient.getTags(image(s))).rejects.toMatchObject({ kind: 'network' });
  });

  it('reports a body that ends early without a length as a protocol error', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end('{"tags":["a"');
    });
    await expect(client().registryClient.getTags(image(s))).rejects.toMatchObject({ kind: 'protocol' });
  });

  it('stops reading a body that never ends at the size limit', async () => {
    let written = 0;
    const limit = 64 * 1024;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"tags":[');
      const chunk = Buffer.from('"1.0.0",'.repeat(1024));
      const pump = () => {
        while (!res.destroyed && written < 1024 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => undefined);
      pump();
    });
    const { registryClient } = client({ limits: { maxBodyBytes: limit } });
    await expect(registryClient.getTags(image(s))).rejects.toMatchObject({ kind: 'too-large' });
    // Socket buffers let the server write ahead of us, but nowhere near the gigabyte it offered.
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(1024 * 1024 * 1024),
      });
      res.write('{');
    });
    const { registryClient } = client({ limits: { maxBodyBytes: 1024 } });
    await expect(registryClient.getTags(image(s))).rejects.toMatchObject({ kind: 'too-large' });
  });
});

describe('redirects', () => {
  it('follows a blob redirect to another host without forwarding Authorization', async () => {
    const config = JSON.stringify({ created: '2024-05-06T07:08:09Z' });
    const { createHash } = await import('node:crypto');
    const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
    const manifest = JSON.stringify({ schemaVersion: 2, config: { digest: configDigest } });
    const manifestDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    const storage = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(config);
    });
    const registry = await server((req, res, url) => {
      if (req.headers.authorization !== 'Basic dTpw') {
        return json(res, {}, { 'www-authenticate': 'Basic realm="r"' }, 401);
      }
      if (url.pathname.includes('/manifests/')) {
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
        return void res.end(manifest);
      }
      // Same-origin hop first, then off to storage with a signed URL.
      if (!url.searchParams.has('hop'))
        return void res.writeHead(307, { location: `${url.pathname}?hop=1` }).end();
      res.writeHead(302, { location: `${storage.origin}/bucket/blob?X-Signature=abc` }).end();
    });
    const { registryClient, events } = client({
      hosts: [{ host: registry.host, credentials: { username: 'u', password: 'p' } }],
    });
    expect(await registryClient.getCreated(image(registry), manifestDigest)).toBe('2024-05-06T07:08:09.000Z');
    const blobRequests = registry.received.filter((r) => r.url.includes('/blobs/'));
    expect(blobRequests.map((r) => r.headers.authorization)).toEqual(['Basic dTpw', 'Basic dTpw']);
    expect(storage.received).toHaveLength(1);
    expect(storage.received[0]!.headers.authorization).toBeUndefined();
    expect(events.filter((e) => e.kind === 'get-blob').map((e) => e.url)).toEqual([
      `${registry.origin}/v2/app/blobs/${configDigest}`,
      `${registry.origin}/v2/app/blobs/${configDigest}`,
      `${storage.origin}/bucket/blob`,
    ]);
  });

  it('stops following after the redirect limit', async () => {
    const s = await server(
      (_req, res, url) => void res.writeHead(302, { location: `${url.pathname}x` }).end(),
    );
    const { registryClient } = client({ limits: { maxRedirects: 3 } });
    await expect(registryClient.getTags(image(s))).rejects.toMatchObject({ kind: 'protocol', status: 302 });
    expect(s.received).toHaveLength(4);
  });
});

describe('hosts', () => {
  it('maps docker.io to registry-1.docker.io with library/ names, and reports rate-limit headers', async () => {
    const hub = await server((req, res) => {
      res.writeHead(200, {
        'docker-content-digest': `sha256:${'c'.repeat(64)}`,
        'content-type': 'application/vnd.oci.image.index.v1+json',
        'ratelimit-limit': '100;w=21600',
        'ratelimit-remaining': '99;w=21600',
      });
      res.end();
    });
    const { registryClient, events, cache } = client({ hostUrls: { 'registry-1.docker.io': hub.origin } });
    await registryClient.getDigest({ registry: 'docker.io', repository: 'node' }, '20');
    expect(hub.received.map((r) => `${r.method} ${r.url}`)).toEqual(['HEAD /v2/library/node/manifests/20']);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'head',
        registry: 'docker.io',
        rateLimit: { limit: 100, remaining: 99, windowSeconds: 21600 },
      }),
    ]);
    expect([...cache.store.keys()]).toEqual([cacheKey('tagDigest', 'docker.io', 'library/node', '20')]);
  });

  it('asks a configured mirror instead of the host, and keys the cache by the host it answers for', async () => {
    const mirror = await server((_req, res) => json(res, { tags: ['bookworm'] }));
    const { registryClient, cache } = client({
      hosts: [{ host: 'docker.io', mirror: `${mirror.origin}/hub/` }],
    });
    expect(await registryClient.getTags({ registry: 'docker.io', repository: 'debian' })).toEqual([
      'bookworm',
    ]);
    expect(mirror.received.map((r) => r.url)).toEqual(['/hub/v2/library/debian/tags/list?n=10000']);
    expect([...cache.store.keys()]).toEqual([
      cacheKey('tags', `docker.io~${mirror.host}/hub`, 'library/debian'),
    ]);
  });
});
