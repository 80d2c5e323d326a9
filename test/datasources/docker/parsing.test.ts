import { describe, expect, it } from 'vitest';
import { TokenStore, parseTokenAnswer } from '../../../src/datasources/docker/auth.js';
import { parseChallenge } from '../../../src/datasources/docker/challenge.js';
import { redact } from '../../../src/datasources/docker/errors.js';
import { parseRateLimit, parseRetryAfter } from '../../../src/datasources/docker/headers.js';
import {
  findHostConfig,
  isLoopbackHost,
  registryBaseUrl,
  repositoryPath,
} from '../../../src/datasources/docker/hosts.js';
import { nextLink } from '../../../src/datasources/docker/link.js';
import {
  MEDIA_TYPES,
  createdFromConfig,
  findPlatform,
  parseManifest,
  usableDate,
} from '../../../src/datasources/docker/manifest.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

describe('parseChallenge', () => {
  it('reads a Bearer challenge with quoted, comma-separated params', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/node:pull',
      },
    });
  });

  it('accepts spaces, bare tokens, escapes, any case and commas inside quotes', () => {
    expect(
      parseChallenge(
        'bearer  Realm = "https://r/t" , service=reg , scope="repository:a:pull,push" ,x="a\\"b"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://r/t', service: 'reg', scope: 'repository:a:pull,push', x: 'a"b' },
    });
  });

  it('reads Basic and ignores schemes it cannot answer', () => {
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge('Negotiate abc')).toBeNull();
    expect(parseChallenge(null)).toBeNull();
  });
});

describe('nextLink', () => {
  const page = new URL('https://reg.example/v2/a/tags/list?n=2');
  it('resolves relative and absolute next links', () => {
    expect(nextLink('</v2/a/tags/list?n=2&last=b>; rel="next"', page)?.href).toBe(
      'https://reg.example/v2/a/tags/list?n=2&last=b',
    );
    expect(nextLink('<https://other.example/x>; rel=next', page)?.href).toBe('https://other.example/x');
  });
  it('picks rel=next among several links and returns null without one', () => {
    expect(nextLink('</prev>; rel="prev", </next>; rel="next"', page)?.pathname).toBe('/next');
    expect(nextLink('</prev>; rel="prev"', page)).toBeNull();
    expect(nextLink(null, page)).toBeNull();
  });
});

describe('headers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("reads Docker Hub's rate-limit headers", () => {
    const headers = new Headers({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' });
    expect(parseRateLimit(headers)).toEqual({ limit: 100, remaining: 76, windowSeconds: 21600 });
    expect(parseRateLimit(new Headers({ 'ratelimit-limit': '100' }))).toBeUndefined();
  });
});

describe('token answers and the token store', () => {
  it('takes token or access_token and defaults expires_in to 60 s', () => {
    expect(parseTokenAnswer('{"token":"t","expires_in":300}')).toEqual({ token: 't', expiresInSeconds: 300 });
    expect(parseTokenAnswer('{"access_token":"a"}')).toEqual({ token: 'a', expiresInSeconds: 60 });
    expect(parseTokenAnswer('{"token":""}')).toBeNull();
    expect(parseTokenAnswer('<html>')).toBeNull();
  });

  it('shares one fetch between concurrent callers and fetches again after expiry', async () => {
    let now = 0;
    let fetches = 0;
    const store = new TokenStore(() => now);
    const fetchToken = async () => ({ token: `t${++fetches}`, expiresInSeconds: 60 });
    expect(await Promise.all([store.get('k', fetchToken), store.get('k', fetchToken)])).toEqual(['t1', 't1']);
    now = 50_000;
    expect(await store.get('k', fetchToken)).toBe('t1');
    now = 55_000; // inside the renewal margin
    expect(await store.get('k', fetchToken)).toBe('t2');
    expect(await store.get('k', fetchToken, true)).toBe('t3');
  });
});

describe('hosts', () => {
  it('treats localhost, 127.0.0.0/8 and [::1] as loopback, with or without a port', () => {
    for (const host of ['localhost', 'localhost:5000', '127.0.0.1', '127.1.2.3:80', '[::1]', '[::1]:5000']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      'localhost.example.com',
      '128.0.0.1',
      '10.0.0.1:5000',
      'ghcr.io',
      '127.0.0.1.nip.io',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('chooses HTTPS, plain HTTP for loopback or insecure hosts, Docker Hub API host, mirrors and overrides', () => {
    expect(registryBaseUrl('ghcr.io', undefined).href).toBe('https://ghcr.io/');
    expect(registryBaseUrl('localhost:5000', undefined).href).toBe('http://localhost:5000/');
    expect(registryBaseUrl('reg.lan:5000', { host: 'reg.lan:5000', insecure: true }).href).toBe(
      'http://reg.lan:5000/',
    );
    expect(registryBaseUrl('docker.io', undefined).href).toBe('https://registry-1.docker.io/');
    expect(
      registryBaseUrl('docker.io', { host: 'docker.io', mirror: 'https://mirror.example/prefix/' }).href,
    ).toBe('https://mirror.example/prefix/');
    expect(
      registryBaseUrl('docker.io', undefined, { 'registry-1.docker.io': 'http://127.0.0.1:9' }).href,
    ).toBe('http://127.0.0.1:9/');
  });

  it('finds Docker Hub configuration under any of its names, and adds library/ to single-segment names', () => {
    expect(findHostConfig([{ host: 'index.docker.io', mirror: 'https://m' }], 'docker.io')?.mirror).toBe(
      'https://m',
    );
    expect(findHostConfig([{ host: 'GHCR.io' }], 'ghcr.io')).toBeDefined();
    expect(repositoryPath('docker.io', 'node')).toBe('library/node');
    expect(repositoryPath('docker.io', 'bitnami/redis')).toBe('bitnami/redis');
    expect(repositoryPath('ghcr.io', 'node')).toBe('node');
  });
});

describe('manifests', () => {
  const index = {
    schemaVersion: 2,
    manifests: [
      { mediaType: MEDIA_TYPES.ociManifest, digest: D1, platform: { os: 'linux', architecture: 'amd64' } },
      {
        mediaType: MEDIA_TYPES.ociManifest,
        digest: D2,
        platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
      },
      {
        mediaType: MEDIA_TYPES.ociManifest,
        digest: D3,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      },
    ],
  };

  it('lets Content-Type decide index vs manifest, not the body', () => {
    const parsed = parseManifest(
      JSON.stringify({ ...index, mediaType: MEDIA_TYPES.dockerManifest }),
      MEDIA_TYPES.ociIndex,
    );
    expect(parsed).toMatchObject({ kind: 'index', mediaType: MEDIA_TYPES.ociIndex });
    const manifest = parseManifest(
      JSON.stringify({ config: { digest: D1 }, annotations: { a: 'b' } }),
      MEDIA_TYPES.ociManifest,
    );
    expect(manifest).toEqual({
      kind: 'manifest',
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: '', digest: D1 },
      annotations: { a: 'b' },
    });
  });

  it('rejects documents that are not manifests', () => {
    expect(parseManifest('nope', '')).toEqual({ error: 'manifest is not JSON' });
    expect(parseManifest('{"manifests":[{"digest":"md5:x"}]}', MEDIA_TYPES.ociIndex)).toHaveProperty('error');
    expect(parseManifest('{}', MEDIA_TYPES.ociManifest)).toHaveProperty('error');
  });

  it('matches os, architecture and variant (arm64 without a variant is v8)', () => {
    const parsed = parseManifest(JSON.stringify(index), MEDIA_TYPES.ociIndex);
    if (!('kind' in parsed) || parsed.kind !== 'index') throw new Error('expected an index');
    expect(findPlatform(parsed, { os: 'linux', architecture: 'amd64' })?.digest).toBe(D1);
    expect(findPlatform(parsed, { os: 'linux', architecture: 'arm', variant: 'v7' })?.digest).toBe(D2);
    expect(findPlatform(parsed, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBeNull();
    expect(findPlatform(parsed, { os: 'linux', architecture: 'arm64' })?.digest).toBe(D3);
    expect(findPlatform(parsed, { os: 'windows', architecture: 'amd64' })).toBeNull();
  });

  it('treats 1970 and unparsable dates as unknown and falls back to the created label', () => {
    expect(usableDate('2024-01-02T03:04:05Z')).toBe('2024-01-02T03:04:05.000Z');
    expect(usableDate('1970-01-01T00:00:00Z')).toBeNull();
    expect(usableDate('yesterday')).toBeNull();
    const labelled = {
      created: '1970-01-01T00:00:00Z',
      config: { Labels: { 'org.opencontainers.image.created': '2023-05-06T07:08:09Z' } },
    };
    expect(createdFromConfig(JSON.stringify(labelled))).toBe('2023-05-06T07:08:09.000Z');
    expect(createdFromConfig('{}')).toBeNull();
  });
});

describe('redact', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redact('a hunter2 b hunter2', ['hunter2', 'x'])).toBe('a *** b ***');
  });
});
