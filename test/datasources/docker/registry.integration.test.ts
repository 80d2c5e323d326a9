// The registry client against the real CNCF distribution registry (Debian's docker-registry), with
// images pushed by skopeo from layouts the tests write: anonymous, htpasswd and token-auth registries.
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import {
  MEDIA_TYPES,
  RegistryClient,
  isRegistryError,
  type RegistryClientOptions,
  type RequestEvent,
} from '../../../src/datasources/docker/index.js';
import type { ImageSpec, LayoutSpec, OciLayout } from '../../support/oci-layout.js';
import { startRegistry, type RegistryOptions, type TestRegistry } from '../../support/registry.js';

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };

/** Two platforms built at different times, so the date tells which platform was read. */
const multiArch: LayoutSpec = {
  images: [
    { platform: amd64, created: '2024-03-04T05:06:07Z' },
    { platform: arm64, created: '2024-03-05T00:00:00Z' },
  ],
};
const single = (image: ImageSpec): LayoutSpec => ({ images: [image] });
/** Dates compared as instants: the client may write `…00Z` as `…00.000Z`. */
const instant = (date: string | null) => (date === null ? null : Date.parse(date));

interface Harness {
  client: RegistryClient;
  events: RequestEvent[];
  warnings: string[];
}

function harness(options: Partial<RegistryClientOptions> = {}): Harness {
  const events: RequestEvent[] = [];
  const warnings: string[] = [];
  const client = new RegistryClient({
    network: NetworkPolicy.local(),
    cache: new MemoryCache(),
    limits: { timeoutMs: 10_000, retries: 0 },
    onRequest: (event) => events.push(event),
    logger: { warn: (message) => warnings.push(message) },
    ...options,
  });
  return { client, events, warnings };
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected a RegistryError, got a value');
    },
    (e: unknown) => e,
  );
  if (!isRegistryError(error)) throw error;
  return error;
}

function started(options: RegistryOptions) {
  const box = { registry: undefined as unknown as TestRegistry };
  beforeAll(async () => {
    box.registry = await startRegistry(options);
  });
  afterAll(() => box.registry?.stop());
  return box;
}

describe('anonymous registry', () => {
  const box = started({});
  const image = (repository: string) => ({ registry: box.registry.host, repository });
  let multi: OciLayout;
  let dockerList: OciLayout;
  const manyTags = Array.from({ length: 120 }, (_, i) => `1.${Math.floor(i / 10)}.${i % 10}`);

  beforeAll(async () => {
    const registry = box.registry;
    [multi, dockerList] = await Promise.all([
      registry.push('acme/multi', '1.0', multiArch),
      registry.push('acme/dockerlist', '1.0', { ...multiArch, format: 'docker' }),
      registry
        .push('acme/many', '1.0.0', single({ created: '2023-01-01T00:00:00Z' }))
        .then(() => registry.tag('acme/many', '1.0.0', manyTags)),
    ]);
  });

  it('lists every tag of a repository with 120 tags in one request, though distribution 2.8 ignores n', async () => {
    const { client, events } = harness({ limits: { tagPageSize: 10, retries: 0 } });
    const tags = await client.getTags(image('acme/many'));
    expect([...tags].sort()).toEqual([...new Set(['1.0.0', ...manyTags])].sort());
    expect(events.filter((e) => e.kind === 'tags')).toHaveLength(1);
  });

  it('resolves a multi-arch tag to the index digest with one HEAD and no manifest GET', async () => {
    const { client, events } = harness();
    const resolved = await client.getDigest(image('acme/multi'), '1.0');
    expect(resolved).toEqual({ digest: multi.indexDigest, mediaType: MEDIA_TYPES.ociIndex });
    expect(events.map((e) => `${e.method} ${e.kind} ${e.status}`)).toEqual(['HEAD head 200']);
  });

  it('tells the index digest from the platform manifest digests of the same tag', async () => {
    const { client } = harness();
    const index = await client.getDigest(image('acme/multi'), '1.0');
    const [amdImage, armImage] = multi.images;
    const platformDigest = await client.getPlatformDigest(image('acme/multi'), index.digest, arm64);
    expect(platformDigest).toBe(armImage!.digest);
    expect(platformDigest).not.toBe(index.digest);
    expect(await client.getPlatformDigest(image('acme/multi'), index.digest, amd64)).toBe(amdImage!.digest);
    const child = await client.getDigest(image('acme/multi'), armImage!.digest);
    expect(child).toEqual({ digest: armImage!.digest, mediaType: MEDIA_TYPES.ociManifest });
  });

  it('finds no platform manifest for a platform the index lacks, nor in a single-platform manifest', async () => {
    const { client } = harness();
    const armV7 = { os: 'linux', architecture: 'arm', variant: 'v7' };
    expect(await client.getPlatformDigest(image('acme/multi'), multi.digest, armV7)).toBeNull();
    expect(await client.getPlatformDigest(image('acme/multi'), multi.images[0]!.digest, amd64)).toBeNull();
  });

  it('reads the index itself by digest', async () => {
    const { client } = harness();
    const manifest = await client.getManifest(image('acme/multi'), multi.digest);
    expect(manifest.kind).toBe('index');
    if (manifest.kind !== 'index') return;
    expect(manifest.manifests.map((m) => [m.digest, m.platform])).toEqual(
      multi.images.map((i) => [i.digest, i.platform]),
    );
  });

  it('handles a Docker schema 2 manifest list like an OCI index', async () => {
    const { client } = harness();
    const resolved = await client.getDigest(image('acme/dockerlist'), '1.0');
    expect(resolved).toEqual({ digest: dockerList.digest, mediaType: MEDIA_TYPES.dockerList });
    expect(await client.getPlatformDigest(image('acme/dockerlist'), resolved.digest, arm64)).toBe(
      dockerList.images[1]!.digest,
    );
    expect(instant(await client.getCreated(image('acme/dockerlist'), resolved.digest, arm64))).toBe(
      instant('2024-03-05T00:00:00Z'),
    );
  });

  it('reads the build date of the requested platform (linux/amd64 by default) from its config blob', async () => {
    const { client } = harness();
    expect(instant(await client.getCreated(image('acme/multi'), multi.digest))).toBe(
      instant('2024-03-04T05:06:07Z'),
    );
    expect(instant(await client.getCreated(image('acme/multi'), multi.digest, arm64))).toBe(
      instant('2024-03-05T00:00:00Z'),
    );
    expect(instant(await client.getCreated(image('acme/multi'), multi.images[1]!.digest))).toBe(
      instant('2024-03-05T00:00:00Z'),
    );
  });

  it('reports a single-arch image date, and null for 1970 (reproducible builds) or no date', async () => {
    const registry = box.registry;
    const [dated, epoch, undated] = await Promise.all([
      registry.push('acme/dated', '1', single({ created: '2022-02-02T02:02:02Z' })),
      registry.push('acme/epoch', '1', single({ created: '1970-01-01T00:00:00Z' })),
      registry.push('acme/undated', '1', single({ created: null })),
    ]);
    const { client } = harness();
    const digest = await client.getDigest(image('acme/dated'), '1');
    expect(digest).toEqual({ digest: dated.digest, mediaType: MEDIA_TYPES.ociManifest });
    expect(instant(await client.getCreated(image('acme/dated'), digest.digest))).toBe(
      instant('2022-02-02T02:02:02Z'),
    );
    expect(await client.getCreated(image('acme/epoch'), epoch.digest)).toBeNull();
    expect(await client.getCreated(image('acme/undated'), undated.digest)).toBeNull();
  });

  it('falls back to the org.opencontainers.image.created label when created is 1970', async () => {
    const layout = await box.registry.push(
      'acme/labelled',
      '1',
      single({
        created: '1970-01-01T00:00:00Z',
        labels: { 'org.opencontainers.image.created': '2021-06-07T08:09:10Z' },
      }),
    );
    const { client } = harness();
    expect(instant(await client.getCreated(image('acme/labelled'), layout.digest))).toBe(
      instant('2021-06-07T08:09:10Z'),
    );
  });

  it('sees a tag moved to a new image as a new digest', async () => {
    const registry = box.registry;
    const before = await registry.push('acme/moving', 'stable', single({ created: '2024-01-01T00:00:00Z' }));
    const first = harness();
    expect((await first.client.getDigest(image('acme/moving'), 'stable')).digest).toBe(before.digest);

    const after = await registry.push('acme/moving', 'stable', single({ created: '2024-02-01T00:00:00Z' }));
    expect(after.digest).not.toBe(before.digest);
    const second = harness();
    expect((await second.client.getDigest(image('acme/moving'), 'stable')).digest).toBe(after.digest);
    expect(instant(await second.client.getCreated(image('acme/moving'), after.digest))).toBe(
      instant('2024-02-01T00:00:00Z'),
    );
  });

  it('asks a configured Docker Hub mirror, with library/ added to single-segment names', async () => {
    const layout = await box.registry.push('library/alpine', '3.20', multiArch);
    const { client, events } = harness({ hosts: [{ host: 'docker.io', mirror: box.registry.url }] });
    const hub = { registry: 'docker.io', repository: 'alpine' };
    expect((await client.getDigest(hub, '3.20')).digest).toBe(layout.digest);
    expect(await client.getTags(hub)).toEqual(['3.20']);
    expect(events.map((e) => e.url)).toEqual([
      `${box.registry.url}/v2/library/alpine/manifests/3.20`,
      `${box.registry.url}/v2/library/alpine/tags/list`,
    ]);
  });

  it('reports unknown tags and repositories as not-found', async () => {
    const { client } = harness();
    expect((await failure(client.getDigest(image('acme/multi'), 'no-such-tag'))).kind).toBe('not-found');
    expect((await failure(client.getTags(image('acme/no-such-repo')))).kind).toBe('not-found');
  });
});

describe('Basic (htpasswd) registry', () => {
  const box = started({ auth: 'basic' });
  const image = () => ({ registry: box.registry.host, repository: 'private/app' });
  let layout: OciLayout;
  const hosts = (password = box.registry.credentials!.password) => [
    { host: box.registry.host, credentials: { username: box.registry.credentials!.username, password } },
  ];

  beforeAll(async () => {
    layout = await box.registry.push('private/app', '2.1', multiArch);
  });

  it('authenticates with the credentials of the host config', async () => {
    const { client, events } = harness({ hosts: hosts() });
    expect(await client.getTags(image())).toEqual(['2.1']);
    expect((await client.getDigest(image(), '2.1')).digest).toBe(layout.digest);
    expect(instant(await client.getCreated(image(), layout.digest, arm64))).toBe(
      instant('2024-03-05T00:00:00Z'),
    );
    // The first challenge teaches the scheme; later requests carry Basic at once.
    expect(events.filter((e) => e.status === 401)).toHaveLength(1);
    expect(events.some((e) => e.kind === 'token')).toBe(false);
  });

  it('is unauthorized without credentials or with a wrong password, and never shows the password', async () => {
    const anonymous = await failure(harness().client.getDigest(image(), '2.1'));
    expect(anonymous.kind).toBe('unauthorized');

    const wrongPassword = 'wrong-Pa55word';
    const { client, events, warnings } = harness({ hosts: hosts(wrongPassword) });
    const error = await failure(client.getTags(image()));
    expect(error.kind).toBe('unauthorized');
    const shown = JSON.stringify([error.message, error.stack, events, warnings]);
    expect(shown).not.toContain(wrongPassword);
    expect(shown).not.toContain(Buffer.from(`tester:${wrongPassword}`).toString('base64'));
  });
});

describe('token-auth registry', () => {
  const box = started({ auth: 'token' });
  const image = (repository: string) => ({ registry: box.registry.host, repository });
  let first: OciLayout;
  const config = (password = box.registry.credentials!.password) => ({
    hosts: [
      { host: box.registry.host, credentials: { username: box.registry.credentials!.username, password } },
    ],
  });
  /** Token requests made since `from` (pushes ask for tokens too). */
  const tokenRequests = (from: number) => box.registry.tokenServer!.requests.slice(from);

  beforeAll(async () => {
    [first] = await Promise.all([
      box.registry.push('team/first', '1.0', multiArch),
      box.registry.push('team/second', '1.0', single({ created: '2020-01-01T00:00:00Z' })),
    ]);
  });

  it('asks for a token once per scope and reuses it for tags, digests, manifests and blobs', async () => {
    const from = box.registry.tokenServer!.requests.length;
    const { client, events } = harness(config());
    expect(await client.getTags(image('team/first'))).toEqual(['1.0']);
    const index = await client.getDigest(image('team/first'), '1.0');
    expect(index.digest).toBe(first.digest);
    expect(await client.getPlatformDigest(image('team/first'), index.digest, arm64)).toBe(
      first.images[1]!.digest,
    );
    expect(instant(await client.getCreated(image('team/first'), index.digest, arm64))).toBe(
      instant('2024-03-05T00:00:00Z'),
    );
    expect(tokenRequests(from)).toEqual([
      {
        service: box.registry.tokenServer!.service,
        scopes: ['repository:team/first:pull'],
        account: 'tester',
        granted: true,
      },
    ]);
    expect(events.filter((e) => e.kind === 'token')).toHaveLength(1);

    // Another repository is another scope: one more token, then reuse again.
    expect((await client.getDigest(image('team/second'), '1.0')).mediaType).toBe(MEDIA_TYPES.ociManifest);
    expect(await client.getTags(image('team/second'))).toEqual(['1.0']);
    expect(tokenRequests(from).map((r) => r.scopes)).toEqual([
      ['repository:team/first:pull'],
      ['repository:team/second:pull'],
    ]);
  });

  it('shares one token request among concurrent lookups of one repository', async () => {
    const from = box.registry.tokenServer!.requests.length;
    const { client } = harness(config());
    // A cold client: every lookup meets the challenge at once and waits for the same token.
    await Promise.all([
      client.getTags(image('team/first')),
      client.getDigest(image('team/first'), '1.0'),
      ...first.images.flatMap((i) => [
        client.getDigest(image('team/first'), i.digest),
        client.getManifest(image('team/first'), i.digest),
        client.getCreated(image('team/first'), i.digest),
      ]),
    ]);
    expect(tokenRequests(from)).toHaveLength(1);
  });

  it('asks for a new token once the old one has expired', async () => {
    const from = box.registry.tokenServer!.requests.length;
    let clock = Date.now();
    const { client } = harness({ ...config(), now: () => clock });
    await client.getTags(image('team/first'));
    await client.getDigest(image('team/first'), first.images[0]!.digest);
    expect(tokenRequests(from)).toHaveLength(1);
    clock += 301_000; // past the server's 300 s expires_in
    await client.getDigest(image('team/first'), first.images[1]!.digest);
    expect(tokenRequests(from)).toHaveLength(2);
  });

  it('is unauthorized when the token server refuses, and never shows credentials or tokens', async () => {
    const wrongPassword = 'not-the-Pa55word';
    const { client, events, warnings } = harness(config(wrongPassword));
    const error = await failure(client.getDigest(image('team/first'), '1.0'));
    expect(error.kind).toBe('unauthorized');
    const missing = await failure(harness().client.getTags(image('team/first')));
    expect(missing.kind).toBe('unauthorized');

    const good = harness(config());
    await good.client.getCreated(image('team/first'), first.digest);
    const shown = JSON.stringify([
      error.message,
      missing.message,
      events,
      warnings,
      good.events,
      good.warnings,
    ]);
    expect(shown).not.toContain(wrongPassword);
    expect(shown).not.toContain(box.registry.credentials!.password);
    for (const token of box.registry.tokenServer!.issued) expect(shown).not.toContain(token);
  });
});

describe('token-auth registry with anonymous pull (as Docker Hub serves public images)', () => {
  const box = started({ auth: 'token', token: { anonymousPull: true, fields: 'access_token' } });

  it('fetches an anonymous token (access_token only) and resolves digests with it', async () => {
    const layout = await box.registry.push('public/app', '5', multiArch);
    const from = box.registry.tokenServer!.requests.length;
    const { client } = harness();
    const image = { registry: box.registry.host, repository: 'public/app' };
    expect((await client.getDigest(image, '5')).digest).toBe(layout.digest);
    expect(instant(await client.getCreated(image, layout.digest))).toBe(instant('2024-03-04T05:06:07Z'));
    expect(box.registry.tokenServer!.requests.slice(from)).toEqual([
      expect.objectContaining({ scopes: ['repository:public/app:pull'], account: null, granted: true }),
    ]);
  });
});
