// The pypi datasource against the local index over real HTTP, in JSON and HTML modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PypiDatasource, type PypiRequestEvent } from '../../../src/datasources/pypi/index.js';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { startPypiIndex, type IndexProject, type PypiIndex } from '../../support/pypi-index.js';
import { memoryCache } from '../docker/fake-registry.js';

const PROJECTS: IndexProject[] = [
  {
    name: 'Foo.Bar_baz',
    releases: [
      { version: '1.0.0', requiresPython: '>=3.8', uploadTime: '2024-01-10T08:00:00.000000Z' },
      // one file yanked: the release stays
      {
        version: '1.1.0',
        files: [{ kind: 'wheel', yanked: 'broken wheel' }, { kind: 'sdist' }],
        requiresPython: '>=3.9',
      },
      { version: '1.2.0', yanked: true }, // every file yanked
      { version: '2.0.0rc1', requiresPython: '>=3.10' },
    ],
  },
  { name: 'plain', releases: [{ version: '0.1', files: [{ kind: 'sdist' }] }] },
];

let index: PypiIndex;
beforeAll(async () => {
  index = await startPypiIndex({ projects: PROJECTS });
});
afterAll(async () => {
  await index.stop();
});

function datasource() {
  const events: PypiRequestEvent[] = [];
  const pypi = new PypiDatasource({
    cache: memoryCache(),
    // Loopback is refused by default: allowed here by name, as an operator would allow an internal index.
    network: NetworkPolicy.publicOnly([index.host]),
    onRequest: (event) => events.push(event),
  });
  return { pypi, events };
}

describe.each(['json', 'html'] as const)('%s pages', (mode) => {
  let served: PypiIndex;
  beforeAll(async () => {
    served = await startPypiIndex({ projects: PROJECTS, serve: mode });
  });
  afterAll(async () => {
    await served.stop();
  });

  it('lists releases with yanked state and requires-python', async () => {
    const pypi = new PypiDatasource({
      cache: memoryCache(),
      network: NetworkPolicy.publicOnly([served.host]),
    });
    try {
      const { releases } = await pypi.getReleases({
        packageName: 'Foo.Bar_baz',
        registryUrl: served.simpleUrl,
      });
      expect(releases).toEqual([
        {
          version: '1.0.0',
          constraints: { python: '>=3.8' },
          // upload-time is a JSON-only field (PEP 700)
          ...(mode === 'json' && { releaseTimestamp: '2024-01-10T08:00:00.000Z' }),
        },
        { version: '1.1.0', constraints: { python: '>=3.9' } },
        { version: '1.2.0', isYanked: true },
        { version: '2.0.0rc1', constraints: { python: '>=3.10' } },
      ]);
      expect(served.requests.at(-1)).toMatchObject({ url: '/simple/foo-bar-baz/', served: mode });
    } finally {
      await pypi.close();
    }
  });
});

describe('the pypi datasource', () => {
  it('asks for JSON first, at the normalised name, once per run', async () => {
    const { pypi, events } = datasource();
    const before = index.requests.length;
    const query = { packageName: 'FOO__bar.Baz', registryUrl: index.simpleUrl.replace(/\/$/, '') };
    const [a, b] = await Promise.all([pypi.getReleases(query), pypi.getReleases(query)]);
    expect(a).toEqual(b);
    await pypi.getReleases({ ...query, packageName: 'foo-bar-baz' });
    const asked = index.requests.slice(before);
    expect(asked).toEqual([
      {
        method: 'GET',
        url: '/simple/foo-bar-baz/',
        accept:
          'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01',
        served: 'json',
      },
    ]);
    expect(events).toEqual([
      {
        kind: 'simple',
        registry: index.host,
        method: 'GET',
        url: `${index.origin}/simple/foo-bar-baz/`,
        status: 200,
      },
    ]);
    await pypi.close();
  });

  it("gives a version's files with the index's sha256 hashes, yanked ones marked", async () => {
    const { pypi } = datasource();
    const files = await pypi.getFiles({
      packageName: 'foo-bar-baz',
      registryUrl: index.simpleUrl,
      version: '1.1',
    });
    const expected = index.files.filter((f) => f.version === '1.1.0');
    expect(files).toEqual(
      expected.map((f) => ({
        filename: f.filename,
        url: f.url,
        hashes: { sha256: f.sha256 },
        requiresPython: '>=3.9',
        yanked: f.yanked !== false,
        ...(typeof f.yanked === 'string' && { yankedReason: f.yanked }),
      })),
    );
    expect(files.map((f) => f.filename)).toEqual([
      'foo_bar_baz-1.1.0-py3-none-any.whl',
      'foo_bar_baz-1.1.0.tar.gz',
    ]);
    expect(
      await pypi.getFiles({ packageName: 'foo-bar-baz', registryUrl: index.simpleUrl, version: '9' }),
    ).toEqual([]);
    await pypi.close();
  });

  it('answers not-found for an unknown project, naming it', async () => {
    const { pypi } = datasource();
    await expect(
      pypi.getReleases({ packageName: 'nope', registryUrl: index.simpleUrl }),
    ).rejects.toMatchObject({
      name: 'RegistryError',
      kind: 'not-found',
      status: 404,
      message: expect.stringContaining('PyPI project nope'),
    });
    await pypi.close();
  });

  it('refuses names that are not project names before asking anything', async () => {
    const { pypi, events } = datasource();
    await expect(
      pypi.getReleases({ packageName: '../admin', registryUrl: index.simpleUrl }),
    ).rejects.toMatchObject({
      kind: 'protocol',
    });
    expect(events).toEqual([]);
    await pypi.close();
  });

  it('refuses loopback unless the network policy allows it', async () => {
    const pypi = new PypiDatasource({ cache: memoryCache() });
    await expect(
      pypi.getReleases({ packageName: 'plain', registryUrl: index.simpleUrl }),
    ).rejects.toMatchObject({
      kind: 'not-allowed',
    });
    await pypi.close();
  });

  it('declares its id and the public default index', () => {
    const { pypi } = datasource();
    expect([pypi.id, pypi.defaultRegistryUrl]).toEqual(['pypi', 'https://pypi.org/simple']);
    return pypi.close();
  });
});
