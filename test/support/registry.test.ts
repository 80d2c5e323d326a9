// Self-tests of the registry harness: what the integration tests rely on, checked with plain fetch.
import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPT_ALL, MEDIA_TYPES, writeOciLayout, type LayoutSpec } from './oci-layout.js';
import { startRegistry, type TestRegistry } from './registry.js';

const single: LayoutSpec = { images: [{ created: '2024-01-02T03:04:05Z' }] };
const twoPlatforms: LayoutSpec = {
  images: [
    { platform: { os: 'linux', architecture: 'amd64' }, created: '2024-05-06T07:08:09Z' },
    { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, created: '2024-05-06T07:08:09Z' },
  ],
};

function headManifest(registry: TestRegistry, path: string, authorization?: string): Promise<Response> {
  return fetch(`${registry.url}/v2/${path}`, {
    method: 'HEAD',
    headers: { accept: ACCEPT_ALL, ...(authorization ? { authorization } : {}) },
  });
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

describe('writeOciLayout', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dockhand-layout-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the same bytes, hence digests, for the same spec', async () => {
    const a = await writeOciLayout(join(dir, 'a'), twoPlatforms);
    const b = await writeOciLayout(join(dir, 'b'), twoPlatforms);
    expect(b.digest).toBe(a.digest);
    expect(b.images.map((i) => i.digest)).toEqual(a.images.map((i) => i.digest));
    expect(a.indexDigest).toBe(a.digest);
    expect(a.mediaType).toBe(MEDIA_TYPES.oci.index);
  });

  it('names every blob by the sha256 of its bytes and records created, platform and layer', async () => {
    const layout = await writeOciLayout(join(dir, 'c'), twoPlatforms);
    const read = async (digest: string) => readFile(join(layout.dir, 'blobs', 'sha256', digest.slice(7)));
    for (const digest of [
      layout.digest,
      ...layout.images.flatMap((i) => [i.digest, i.configDigest, i.layerDigest]),
    ]) {
      const bytes = await read(digest);
      expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(digest);
    }
    const arm = layout.images[1]!;
    const config = JSON.parse((await read(arm.configDigest)).toString());
    expect(config).toMatchObject({
      created: '2024-05-06T07:08:09Z',
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
    });
    const index = JSON.parse((await read(layout.digest)).toString());
    expect(index.manifests[1]).toMatchObject({
      digest: arm.digest,
      platform: { architecture: 'arm64', variant: 'v8' },
    });
    const refs = JSON.parse(await readFile(join(layout.dir, 'index.json'), 'utf8'));
    expect(refs.manifests[0].annotations['org.opencontainers.image.ref.name']).toBe('latest');
  });

  it('leaves created out when it is null, and gives different images different digests', async () => {
    const a = await writeOciLayout(join(dir, 'd'), { images: [{ created: null }] });
    const b = await writeOciLayout(join(dir, 'e'), { images: [{ created: '2024-01-01T00:00:00Z' }] });
    expect(a.digest).not.toBe(b.digest);
    const config = JSON.parse(
      (await readFile(join(a.dir, 'blobs', 'sha256', a.images[0]!.configDigest.slice(7)))).toString(),
    );
    expect(config).not.toHaveProperty('created');
  });
});

describe('anonymous registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry.stop());

  it('answers /v2/ on a loopback port', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`${registry.url}/v2/`);
    expect(res.status).toBe(200);
  });

  it('serves a pushed single-arch image under the digest the layout computed', async () => {
    const layout = await registry.push('library/single', '1.0.0', single);
    const res = await headManifest(registry, 'library/single/manifests/1.0.0');
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-content-digest')).toBe(layout.digest);
    expect(res.headers.get('content-type')).toBe(MEDIA_TYPES.oci.manifest);
    const config = await fetch(`${registry.url}/v2/library/single/blobs/${layout.images[0]!.configDigest}`);
    expect(((await config.json()) as { created: string }).created).toBe('2024-01-02T03:04:05Z');
  });

  it('serves a 2-platform index and each platform manifest by digest', async () => {
    const layout = await registry.push('multi/app', '2.0', twoPlatforms);
    const res = await headManifest(registry, 'multi/app/manifests/2.0');
    expect(res.headers.get('docker-content-digest')).toBe(layout.indexDigest);
    expect(res.headers.get('content-type')).toBe(MEDIA_TYPES.oci.index);
    for (const image of layout.images) {
      const child = await headManifest(registry, `multi/app/manifests/${image.digest}`);
      expect(child.status).toBe(200);
      expect(child.headers.get('docker-content-digest')).toBe(image.digest);
    }
  });

  it('pushes Docker schema 2 manifest lists as written', async () => {
    const layout = await registry.push('multi/docker', '1', { ...twoPlatforms, format: 'docker' });
    const res = await headManifest(registry, 'multi/docker/manifests/1');
    expect(res.headers.get('docker-content-digest')).toBe(layout.digest);
    expect(res.headers.get('content-type')).toBe(MEDIA_TYPES.docker.index);
  });

  it('lists pushed tags and tags a manifest many times through the API', async () => {
    await registry.push('library/tagged', 'base', single);
    const many = Array.from({ length: 30 }, (_, i) => `1.${i}.0`);
    await registry.tag('library/tagged', 'base', many);
    const res = await fetch(`${registry.url}/v2/library/tagged/tags/list`);
    const body = (await res.json()) as { tags: string[] };
    expect(body.tags.sort()).toEqual(['base', ...many].sort());
  });
});

describe('Basic (htpasswd) registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic' });
  });
  afterAll(() => registry.stop());

  it('rejects anonymous requests with a Basic challenge and accepts the credentials', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const { username, password } = registry.credentials!;
    expect(
      (await fetch(`${registry.url}/v2/`, { headers: { authorization: basic(username, 'wrong') } })).status,
    ).toBe(401);
    expect(
      (await fetch(`${registry.url}/v2/`, { headers: { authorization: basic(username, password) } })).status,
    ).toBe(200);
  });

  it('pushes with the credentials', async () => {
    const layout = await registry.push('private/app', '1.0', single);
    const { username, password } = registry.credentials!;
    const res = await headManifest(registry, 'private/app/manifests/1.0', basic(username, password));
    expect(res.headers.get('docker-content-digest')).toBe(layout.digest);
  });

  it('keeps the password out of push errors', async () => {
    const error = await registry.push('Bad_Name', 'x', single).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).not.toContain(registry.credentials!.password);
  });
});

describe('token-auth registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' });
  });
  afterAll(() => registry.stop());

  it('challenges with the token server realm and service, and accepts a token from it', async () => {
    const layout = await registry.push('secure/app', '3.1', single);
    const tokens = registry.tokenServer!;
    const challenge = await headManifest(registry, 'secure/app/manifests/3.1');
    expect(challenge.status).toBe(401);
    const header = challenge.headers.get('www-authenticate') ?? '';
    expect(header).toContain(`realm="${tokens.realm}"`);
    expect(header).toContain(`service="${tokens.service}"`);
    expect(header).toContain('scope="repository:secure/app:pull"');

    const before = tokens.requests.length;
    const { username, password } = registry.credentials!;
    const tokenUrl = `${tokens.realm}?service=${tokens.service}&scope=repository:secure/app:pull`;
    const tokenRes = await fetch(tokenUrl, { headers: { authorization: basic(username, password) } });
    const body = (await tokenRes.json()) as { token: string; access_token: string; expires_in: number };
    expect(body.access_token).toBe(body.token);
    expect(tokens.requests.slice(before)).toEqual([
      { service: tokens.service, scopes: ['repository:secure/app:pull'], account: username, granted: true },
    ]);

    const res = await headManifest(registry, 'secure/app/manifests/3.1', `Bearer ${body.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-content-digest')).toBe(layout.digest);
  });

  it('refuses tokens to wrong or missing credentials', async () => {
    const tokens = registry.tokenServer!;
    const url = `${tokens.realm}?service=${tokens.service}&scope=repository:secure/app:pull`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: basic('tester', 'nope') } })).status).toBe(401);
    expect(tokens.requests.at(-1)).toMatchObject({ account: null, granted: false });
  });

  it('refuses a token scoped to another repository', async () => {
    const token = registry.tokenServer!.mint(['repository:other/app:pull']);
    const res = await headManifest(registry, 'secure/app/manifests/3.1', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });
});

describe('startRegistry', () => {
  it('removes its temp dir and process on stop, and stop can be called twice', async () => {
    const registry = await startRegistry();
    await access(registry.dir);
    await registry.stop();
    await registry.stop();
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
    await expect(access(registry.dir)).rejects.toThrow();
  });
});
