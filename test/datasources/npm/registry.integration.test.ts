// The npm datasource against a real npm registry (verdaccio) filled with `npm publish` of packages built
// here: several versions, a scoped package, a deprecated version, dist-tags and engines. A recording
// proxy in front shows what was sent (Accept, If-None-Match) and what the registry answered.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import { RegistryError } from '../../../src/datasources/docker/errors.js';
import type { ReleaseResult } from '../../../src/datasources/types.js';
import {
  ABBREVIATED_ACCEPT,
  FULL_ACCEPT,
  NpmDatasource,
  type NpmDatasourceOptions,
  type NpmRequestEvent,
} from '../../../src/datasources/npm/index.js';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { startVerdaccio, type TestNpmRegistry } from '../../support/verdaccio.js';
import { startRecordingProxy, type RecordingProxy } from '../../support/recording-proxy.js';

let registry: TestNpmRegistry;
let proxy: RecordingProxy;
const datasources: NpmDatasource[] = [];

const links = {
  homepage: 'https://plain.example/#readme',
  repository: { type: 'git', url: 'git+https://github.com/example/plain.git' },
};

beforeAll(async () => {
  registry = await startVerdaccio();
  proxy = await startRecordingProxy(registry.url);
  await registry.publish(
    { name: 'plain', version: '1.0.0', fields: { ...links, engines: { node: '>=16' } } },
    { name: 'plain', version: '1.1.0', fields: { ...links, engines: { node: '>=18' } } },
    { name: 'plain', version: '1.2.0', fields: links },
    // Published under `next`: `latest` stays on 1.2.0, below the highest version.
    { name: 'plain', version: '2.0.0', tag: 'next', fields: links },
    { name: '@acme/scoped', version: '0.1.0' },
    { name: '@acme/scoped', version: '0.2.0' },
    { name: 'moving', version: '1.0.0' },
  );
  await registry.deprecate('plain@1.1.0', 'broken on Windows, use 1.2.0');
  await registry.distTag('@acme/scoped', '0.1.0', 'latest');
}, 180_000);

afterAll(async () => {
  await Promise.all(datasources.splice(0).map((d) => d.close()));
  await proxy?.close();
  await registry?.stop();
});

beforeEach(() => {
  proxy.exchanges.length = 0;
});

/** Without publish times: verdaccio's abbreviated packument carries `time` too (npmjs's does not). */
function untimed(result: ReleaseResult): ReleaseResult {
  return { ...result, releases: result.releases.map(({ releaseTimestamp: _time, ...rest }) => rest) };
}

function datasource(extra: Partial<NpmDatasourceOptions> = {}) {
  const events: NpmRequestEvent[] = [];
  const npm = new NpmDatasource({
    // Loopback is refused by default: the test registry and its proxy are allowed by name.
    network: NetworkPolicy.publicOnly([registry.host, proxy.host]),
    cache: new MemoryCache(),
    onRequest: (event) => events.push(event),
    ...extra,
  });
  datasources.push(npm);
  return { npm, events };
}

describe('npm datasource against verdaccio', () => {
  it('reads versions, latest, deprecation and engines from the abbreviated packument', async () => {
    const { npm, events } = datasource();
    const result = await npm.getReleases({ packageName: 'plain', registryUrl: proxy.url });
    expect(untimed(result)).toEqual({
      releases: [
        { version: '1.0.0', constraints: { node: '>=16' } },
        { version: '1.1.0', constraints: { node: '>=18' }, isDeprecated: true },
        { version: '1.2.0' },
        { version: '2.0.0' },
      ],
      latest: '1.2.0',
    });
    expect(proxy.exchanges.map((e) => [e.url, e.sent.accept, e.status])).toEqual([
      ['/plain', ABBREVIATED_ACCEPT, 200],
    ]);
    expect(proxy.exchanges[0]!.answered['content-type']).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
    expect(events.map((e) => [e.kind, e.status])).toEqual([['packument', 200]]);
  });

  it('reads publish times and links from the full packument', async () => {
    const { npm } = datasource();
    const result = await npm.getReleases({
      packageName: 'plain',
      registryUrl: proxy.url,
      withTimestamps: true,
    });
    expect(result.releases.map((r) => r.version)).toEqual(['1.0.0', '1.1.0', '1.2.0', '2.0.0']);
    for (const release of result.releases) {
      expect(release.releaseTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const times = result.releases.map((r) => Date.parse(r.releaseTimestamp!));
    expect([...times].sort((a, b) => a - b)).toEqual(times); // published in this order
    expect(result.releases[1]).toMatchObject({ isDeprecated: true, constraints: { node: '>=18' } });
    expect(result).toMatchObject({
      latest: '1.2.0',
      homepage: 'https://plain.example/#readme',
      sourceUrl: 'https://github.com/example/plain',
    });
    expect(proxy.exchanges.map((e) => [e.sent.accept, e.answered['content-type']])).toEqual([
      [FULL_ACCEPT, expect.stringMatching(/^application\/json/)],
    ]);
  });

  it('asks for a scoped package by its encoded name', async () => {
    const { npm } = datasource();
    const result = await npm.getReleases({ packageName: '@acme/scoped', registryUrl: registry.url });
    expect(untimed(result)).toEqual({
      releases: [{ version: '0.1.0' }, { version: '0.2.0' }],
      latest: '0.1.0',
    });
    const viaProxy = await datasource().npm.getReleases({
      packageName: '@acme/scoped',
      registryUrl: proxy.url,
    });
    expect(viaProxy).toEqual(result);
    expect(proxy.exchanges.map((e) => e.url)).toEqual(['/@acme%2fscoped']);
  });

  it('revalidates with the ETag: 304 while unchanged, the new document once a version is published', async () => {
    const { npm, events } = datasource({ ttlSeconds: 0 });
    const query = { packageName: 'moving', registryUrl: proxy.url };
    const first = await npm.getReleases(query);
    expect(await npm.getReleases(query)).toEqual(first);
    await registry.publish({ name: 'moving', version: '1.1.0' });
    const after = await npm.getReleases(query);
    expect(untimed(after)).toEqual({
      releases: [{ version: '1.0.0' }, { version: '1.1.0' }],
      latest: '1.1.0',
    });
    expect(events.map((e) => e.status)).toEqual([200, 304, 200]);
    const etag = proxy.exchanges[0]!.answered.etag;
    expect(etag).toBeTruthy();
    expect(proxy.exchanges.map((e) => e.sent['if-none-match'])).toEqual([undefined, etag, etag]);
    expect(proxy.exchanges.map((e) => e.sent['cache-control'])).toEqual([
      undefined,
      'max-age=0',
      'max-age=0',
    ]);
  });

  it('asks once per TTL however often a package is looked up', async () => {
    const { npm, events } = datasource();
    for (let i = 0; i < 3; i++) await npm.getReleases({ packageName: 'plain', registryUrl: registry.url });
    expect(events).toHaveLength(1);
  });

  it('calls an unknown package not found', async () => {
    const { npm } = datasource();
    const error = await npm
      .getReleases({ packageName: '@acme/nothing', registryUrl: registry.url })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ kind: 'not-found', status: 404 });
    expect((error as RegistryError).message).toBe(`npm package @acme/nothing (${registry.host}): not found`);
  });
});
