// A registry that lies about a manifest's digest, through the repository job (fake GitHub, a real HTTP
// registry on loopback that the operator's policy allows, standing in for a host on the internet): its
// HEAD gives no digest, so the manifest is fetched by tag, and the GET's Docker-Content-Digest claims
// content the body does not hash to. That image gets a lookup error naming the mismatch on the dashboard
// and in the result; the other image of the same repository is still updated.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { operatorSettings } from '../../src/config/operator.js';
import { MEDIA_TYPES } from '../../src/datasources/docker/index.js';
import { runRepositoryJob } from '../../src/job/run.js';
import type { RepoResult } from '../../src/job/types.js';
import { json, startServer, type FakeServer } from '../datasources/docker/fake-registry.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { jobPlatform } from '../support/job-platform.js';

const INSTALLATION = 11;

const sha256 = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

const CONFIG = JSON.stringify({ created: '2024-01-01T00:00:00Z', architecture: 'amd64', os: 'linux' });
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: MEDIA_TYPES.ociManifest,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(CONFIG), size: 1 },
  layers: [],
});
/** What the lying registry claims its manifest is. */
const CLAIMED = sha256('{"schemaVersion":2,"layers":["not what was served"]}');
/** The digest the lying image is pinned to in the Dockerfile (so the job must resolve its tag). */
const PINNED = sha256('an older build');

let gh: FakeGitHub;
let registry: FakeServer;

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
  // `honest`: digest on HEAD and GET; `lying`: none on HEAD, a wrong one on GET.
  registry = await startServer((req, res, url) => {
    const match = /^\/v2\/(honest|lying)\/(tags|manifests|blobs)\/(.+)$/.exec(url.pathname);
    if (!match) return void res.writeHead(404).end();
    const [, repo, kind] = match;
    if (kind === 'tags') return json(res, { tags: ['1.0', '1.1'] });
    const body = kind === 'blobs' ? CONFIG : MANIFEST;
    const digest = repo === 'honest' ? sha256(body) : req.method === 'HEAD' ? undefined : CLAIMED;
    res.writeHead(200, {
      'content-type': kind === 'blobs' ? 'application/vnd.oci.image.config.v1+json' : MEDIA_TYPES.ociManifest,
      'content-length': String(Buffer.byteLength(body)),
      ...(digest && { 'docker-content-digest': digest }),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
});
afterAll(async () => {
  await gh?.stop();
  await registry?.close();
});

function run(repository: string): Promise<RepoResult> {
  return runRepositoryJob(
    { installationId: INSTALLATION, repository, reason: 'push' },
    {
      platform: jobPlatform(gh, INSTALLATION, repository),
      registryCache: new MemoryCache(),
      mention: '@dockhand',
      operator: operatorSettings({ network: { allow: [registry.host] } }, {}),
    },
  );
}

describe('a manifest whose digest header does not match its body', () => {
  it('is a lookup error on that image, on the dashboard and in the result; the run goes on', async () => {
    gh.state.createRepo('acme', 'mismatch', {
      files: {
        Dockerfile: [
          `FROM ${registry.host}/lying:1.0@${PINNED} AS build`,
          `FROM ${registry.host}/honest:1.0`,
          'USER app',
          '',
        ].join('\n'),
      },
    });
    const result = await run('acme/mismatch');
    expect(result.outcome).toBe('ok');
    const mismatch = `${registry.host}/lying: content does not match ${CLAIMED}`;
    // Named once: the registry error already starts with the image.
    expect(result.errors).toEqual([mismatch]);
    const dashboard = gh.state.issues('acme', 'mismatch').find((issue) => !issue.pull)?.body ?? '';
    expect(dashboard).toContain(mismatch);
    // The honest image is updated as usual, and the lying one is in no pull request.
    const pulls = gh.state.pulls('acme', 'mismatch');
    expect(pulls.map((p) => p.title)).toEqual([expect.stringContaining('honest to 1.1')]);
    const branch = pulls[0]!.pull!.head;
    const dockerfile = gh.state.file('acme', 'mismatch', branch, 'Dockerfile') ?? '';
    expect(dockerfile).toContain(`FROM ${registry.host}/honest:1.1`);
    expect(dockerfile).toContain(`FROM ${registry.host}/lying:1.0@${PINNED} AS build`);
  });
});
