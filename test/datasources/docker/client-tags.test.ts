import { afterEach, describe, expect, it } from 'vitest';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { RegistryClient, type RequestEvent } from '../../../src/datasources/docker/index.js';
import { fakeSleep, json, memoryCache, startServer, type FakeServer } from './fake-registry.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ALL = Array.from({ length: 10 }, (_, i) => `1.${i}.0`);

/** Pages of `n` tags after `last`, with a Link built by `link` (relative by default). */
async function pagingRegistry(
  link: (next: string, server: FakeServer) => string = (next) => next,
): Promise<FakeServer> {
  const ref: { self?: FakeServer } = {};
  const server = await startServer((_req, res, url) => {
    const n = Number(url.searchParams.get('n') ?? '100');
    const last = url.searchParams.get('last');
    const start = last ? ALL.indexOf(last) + 1 : 0;
    const tags = ALL.slice(start, start + n);
    const headers: Record<string, string> = {};
    if (start + n < ALL.length) {
      headers.link = `<${link(`/v2/app/tags/list?n=${n}&last=${tags.at(-1)}`, ref.self!)}>; rel="next"`;
    }
    json(res, { name: 'app', tags }, headers);
  });
  ref.self = server;
  servers.push(server);
  return server;
}

function client(
  server: FakeServer,
  limits: Partial<ConstructorParameters<typeof RegistryClient>[0]['limits']> = {},
) {
  const events: RequestEvent[] = [];
  const warnings: string[] = [];
  const registryClient = new RegistryClient({
    network: NetworkPolicy.local(),
    cache: memoryCache(),
    sleep: fakeSleep().sleep,
    limits: { tagPageSize: 3, ...limits },
    onRequest: (event) => events.push(event),
    logger: { warn: (message) => warnings.push(message) },
  });
  return { registryClient, events, warnings, image: { registry: server.host, repository: 'app' } };
}

describe('getTags', () => {
  it('follows relative Link headers through every page', async () => {
    const server = await pagingRegistry();
    const { registryClient, events, image } = client(server);
    expect(await registryClient.getTags(image)).toEqual(ALL);
    expect(events.map((e) => e.kind)).toEqual(['tags', 'tags', 'tags', 'tags']);
    expect(server.received[0]!.url).toBe('/v2/app/tags/list?n=3');
  });

  it('follows absolute Link headers to the same origin', async () => {
    const server = await pagingRegistry((next, self) => `${self.origin}${next}`);
    const { registryClient, image } = client(server);
    expect(await registryClient.getTags(image)).toEqual(ALL);
  });

  it('does not follow a next link to another host', async () => {
    const other = await startServer((_req, res) => json(res, { tags: ['evil'] }));
    servers.push(other);
    const server = await pagingRegistry((next) => `${other.origin}${next}`);
    const { registryClient, warnings, image } = client(server);
    expect(await registryClient.getTags(image)).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    expect(other.received).toHaveLength(0);
    expect(warnings.join('\n')).toMatch(/another host/);
  });

  it('stops at the page cap', async () => {
    const server = await pagingRegistry();
    const { registryClient, image } = client(server, { maxTagPages: 2 });
    expect(await registryClient.getTags(image)).toEqual(ALL.slice(0, 6));
    expect(server.received).toHaveLength(2);
  });

  it('takes everything from a registry that ignores n and answers unsorted without a Link', async () => {
    const unsorted = ['b', '1.0', 'latest', 'a', '0.9'];
    const server = await startServer((_req, res) => json(res, { name: 'app', tags: unsorted }));
    servers.push(server);
    const { registryClient, image } = client(server);
    expect(await registryClient.getTags(image)).toEqual(unsorted);
    expect(server.received).toHaveLength(1);
  });

  it('stops when a registry that ignores last keeps linking to the same tags', async () => {
    const server = await startServer((_req, res, url) =>
      json(
        res,
        { tags: ['x', 'y'] },
        { link: `</v2/app/tags/list?page=${Number(url.searchParams.get('page') ?? 0) + 1}>; rel="next"` },
      ),
    );
    servers.push(server);
    const { registryClient, image } = client(server);
    expect(await registryClient.getTags(image)).toEqual(['x', 'y']);
    expect(server.received).toHaveLength(2);
  });

  it('treats "tags": null as no tags, drops invalid names and rejects non-JSON', async () => {
    let body = JSON.stringify({ tags: null });
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    servers.push(server);
    expect(await client(server).registryClient.getTags({ registry: server.host, repository: 'app' })).toEqual(
      [],
    );
    body = JSON.stringify({ tags: ['ok', '-bad', 'x'.repeat(129), 'with space', 42, 'v1.2_3-b'] });
    expect(await client(server).registryClient.getTags({ registry: server.host, repository: 'app' })).toEqual(
      ['ok', 'v1.2_3-b'],
    );
    body = '<html>maintenance</html>';
    await expect(
      client(server).registryClient.getTags({ registry: server.host, repository: 'app' }),
    ).rejects.toMatchObject({
      kind: 'protocol',
    });
  });

  it('asks once for concurrent and repeated lookups of one repository (cache and singleflight)', async () => {
    const server = await startServer((_req, res) => json(res, { tags: ['1'] }));
    servers.push(server);
    const { registryClient, image } = client(server);
    await Promise.all([registryClient.getTags(image), registryClient.getTags(image)]);
    await registryClient.getTags(image);
    expect(server.received).toHaveLength(1);
  });

  it('asks again with n=1000 when a registry refuses a larger page (ECR answers 405)', async () => {
    const server = await startServer((_req, res, url) =>
      Number(url.searchParams.get('n')) > 1000
        ? json(res, { errors: [] }, {}, 405)
        : json(res, { tags: ['1'] }),
    );
    servers.push(server);
    const { registryClient, image } = client(server, { tagPageSize: 10_000 });
    expect(await registryClient.getTags(image)).toEqual(['1']);
    expect(server.received.map((r) => r.url)).toEqual([
      '/v2/app/tags/list?n=10000',
      '/v2/app/tags/list?n=1000',
    ]);
  });

  it('reports an unknown repository as not-found', async () => {
    const server = await startServer((_req, res) =>
      json(res, { errors: [{ code: 'NAME_UNKNOWN' }] }, {}, 404),
    );
    servers.push(server);
    const { registryClient, image } = client(server);
    await expect(registryClient.getTags(image)).rejects.toMatchObject({ kind: 'not-found', status: 404 });
  });
});
