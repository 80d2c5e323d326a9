import { createHash } from 'node:crypto';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  RegistryClient,
  type RequestEvent,
} from '../../../src/datasources/docker/index.js';
import { fakeSleep, memoryCache, startServer, type FakeServer } from './fake-registry.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Blob {
  body: string;
  type: string;
}

const sha = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

/** Content-addressed store plus tags, served like distribution does. */
class Store {
  readonly blobs = new Map<string, Blob>();
  readonly tags = new Map<string, string>();

  put(doc: unknown, type: string): string {
    const body = JSON.stringify(doc);
    const digest = sha(body);
    this.blobs.set(digest, { body, type });
    return digest;
  }

  image(
    created: unknown,
    options: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
  ): string {
    const config = this.put(
      { created, architecture: 'amd64', os: 'linux', config: { Labels: options.labels ?? {} } },
      'application/vnd.oci.image.config.v1+json',
    );
    return this.put(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 1 },
        layers: [],
        ...(options.annotations && { annotations: options.annotations }),
      },
      MEDIA_TYPES.ociManifest,
    );
  }
}

interface ServeOptions {
  /** Leave Docker-Content-Digest out of manifest answers. */
  noDigestHeader?: boolean;
  /** Serve this body instead of the stored one (a registry lying about content). */
  tamper?: string;
}

async function serve(store: Store, options: ServeOptions = {}): Promise<FakeServer> {
  const server = await startServer((req, res, url) => {
    const match = /^\/v2\/app\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
    const ref = match ? decodeURIComponent(match[2]!) : '';
    const digest = store.tags.get(ref) ?? ref;
    const blob = store.blobs.get(digest);
    if (!blob) {
      res.writeHead(404).end();
      return;
    }
    const body = options.tamper ?? blob.body;
    const headers: Record<string, string> = {
      'content-type': blob.type,
      'content-length': String(Buffer.byteLength(body)),
    };
    if (!options.noDigestHeader) headers['docker-content-digest'] = digest;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  servers.push(server);
  return server;
}

function client() {
  const events: RequestEvent[] = [];
  const registryClient = new RegistryClient({
    network: NetworkPolicy.local(),
    cache: memoryCache(),
    sleep: fakeSleep().sleep,
    onRequest: (e) => events.push(e),
  });
  return { registryClient, events };
}

describe('getDigest', () => {
  it('resolves a tag with one HEAD carrying the full Accept list', async () => {
    const store = new Store();
    const manifest = store.image('2024-01-02T03:04:05Z');
    const index = store.put(
      { schemaVersion: 2, manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest: manifest }] },
      MEDIA_TYPES.ociIndex,
    );
    store.tags.set('1.0', index);
    const server = await serve(store);
    const { registryClient, events } = client();
    const image = { registry: server.host, repository: 'app' };
    expect(await registryClient.getDigest(image, '1.0')).toEqual({
      digest: index,
      mediaType: MEDIA_TYPES.ociIndex,
    });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: 'HEAD', url: '/v2/app/manifests/1.0' });
    expect(server.received[0]!.headers.accept).toBe(MANIFEST_ACCEPT);
    for (const type of Object.values(MEDIA_TYPES)) expect(server.received[0]!.headers.accept).toContain(type);
    expect(events.map((e) => e.kind)).toEqual(['head']);
    await registryClient.getDigest(image, '1.0');
    expect(server.received).toHaveLength(1);
  });

  it('hashes the GET body only when the digest header is missing', async () => {
    const store = new Store();
    const manifest = store.image('2024-01-02T03:04:05Z');
    store.tags.set('latest', manifest);
    const server = await serve(store, { noDigestHeader: true });
    const { registryClient, events } = client();
    expect(await registryClient.getDigest({ registry: server.host, repository: 'app' }, 'latest')).toEqual({
      digest: manifest,
      mediaType: MEDIA_TYPES.ociManifest,
    });
    expect(events.map((e) => `${e.kind} ${e.method}`)).toEqual(['head HEAD', 'get-manifest GET']);
  });

  it('reports an unknown tag as not-found', async () => {
    const server = await serve(new Store());
    await expect(
      client().registryClient.getDigest({ registry: server.host, repository: 'app' }, 'nope'),
    ).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
});

describe('getManifest and getPlatformDigest', () => {
  it('reads an index once (content-addressed) and picks the same platform', async () => {
    const store = new Store();
    const amd64 = store.image('2024-01-01T00:00:00Z');
    const armv7 = store.image('2024-01-02T00:00:00Z');
    const index = store.put(
      {
        schemaVersion: 2,
        manifests: [
          {
            mediaType: MEDIA_TYPES.dockerManifest,
            digest: amd64,
            platform: { os: 'linux', architecture: 'amd64' },
          },
          {
            mediaType: MEDIA_TYPES.dockerManifest,
            digest: armv7,
            platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
          },
        ],
      },
      MEDIA_TYPES.dockerList,
    );
    const server = await serve(store);
    const { registryClient } = client();
    const image = { registry: server.host, repository: 'app' };
    expect(await registryClient.getManifest(image, index)).toMatchObject({
      kind: 'index',
      mediaType: MEDIA_TYPES.dockerList,
    });
    expect(
      await registryClient.getPlatformDigest(image, index, {
        os: 'linux',
        architecture: 'arm',
        variant: 'v7',
      }),
    ).toBe(armv7);
    expect(
      await registryClient.getPlatformDigest(image, index, { os: 'linux', architecture: 's390x' }),
    ).toBeNull();
    expect(
      await registryClient.getPlatformDigest(image, amd64, { os: 'linux', architecture: 'amd64' }),
    ).toBeNull();
    expect(server.received.filter((r) => r.url.endsWith(index))).toHaveLength(1);
  });

  it('rejects content that does not match its digest, and arguments that are not digests', async () => {
    const store = new Store();
    const manifest = store.image('2024-01-01T00:00:00Z');
    const server = await serve(store, {
      tamper: '{"schemaVersion":2,"config":{"digest":"sha256:' + 'f'.repeat(64) + '"}}',
    });
    const { registryClient } = client();
    const image = { registry: server.host, repository: 'app' };
    await expect(registryClient.getManifest(image, manifest)).rejects.toMatchObject({ kind: 'protocol' });
    await expect(registryClient.getManifest(image, 'latest')).rejects.toMatchObject({ kind: 'protocol' });
  });
});

describe('getCreated', () => {
  it('follows index → linux/amd64 manifest → config blob', async () => {
    const store = new Store();
    const amd64 = store.image('2024-03-04T05:06:07Z');
    const arm64 = store.image('2024-03-05T00:00:00Z');
    const index = store.put(
      {
        manifests: [
          { digest: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
          { digest: amd64, platform: { os: 'linux', architecture: 'amd64' } },
        ],
      },
      MEDIA_TYPES.ociIndex,
    );
    const server = await serve(store);
    const { registryClient, events } = client();
    const image = { registry: server.host, repository: 'app' };
    expect(await registryClient.getCreated(image, index)).toBe('2024-03-04T05:06:07.000Z');
    expect(events.map((e) => e.kind)).toEqual(['get-manifest', 'get-manifest', 'get-blob']);
    expect(await registryClient.getCreated(image, index, { os: 'linux', architecture: 'arm64' })).toBe(
      '2024-03-05T00:00:00.000Z',
    );
    expect(await registryClient.getCreated(image, amd64)).toBe('2024-03-04T05:06:07.000Z');
  });

  it('treats 1970 and missing dates as unknown, falling back to the label, then the annotation', async () => {
    const store = new Store();
    const labelled = store.image('1970-01-01T00:00:00Z', {
      labels: { 'org.opencontainers.image.created': '2023-01-01T00:00:00Z' },
    });
    const annotated = store.image(undefined, {
      annotations: { 'org.opencontainers.image.created': '2022-02-02T00:00:00Z' },
    });
    const unknown = store.image('1970-01-01T00:00:00Z');
    const server = await serve(store);
    const { registryClient } = client();
    const image = { registry: server.host, repository: 'app' };
    expect(await registryClient.getCreated(image, labelled)).toBe('2023-01-01T00:00:00.000Z');
    expect(await registryClient.getCreated(image, annotated)).toBe('2022-02-02T00:00:00.000Z');
    expect(await registryClient.getCreated(image, unknown)).toBeNull();
  });

  it('uses the index annotation when the platform is not in the index', async () => {
    const store = new Store();
    const arm = store.image('2024-01-01T00:00:00Z');
    const index = store.put(
      {
        manifests: [{ digest: arm, platform: { os: 'linux', architecture: 'arm64' } }],
        annotations: { 'org.opencontainers.image.created': '2021-01-01T00:00:00Z' },
      },
      MEDIA_TYPES.ociIndex,
    );
    const server = await serve(store);
    expect(
      await client().registryClient.getCreated({ registry: server.host, repository: 'app' }, index),
    ).toBe('2021-01-01T00:00:00.000Z');
  });
});
