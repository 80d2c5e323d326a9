// Digest integrity on the GET fallback: when a registry's HEAD gives no usable digest, the manifest is
// fetched by tag and its digest is the hash of the bytes served. A Docker-Content-Digest header on that
// GET that claims something else (or a digest reference the body does not hash to) is a lookup error
// naming the mismatch, never a digest taken on trust. A real server on loopback.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MEDIA_TYPES, RegistryClient, type RequestEvent } from '../../../src/datasources/docker/index.js';
import { RegistryError } from '../../../src/datasources/docker/errors.js';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { fakeSleep, memoryCache, startServer, type FakeServer } from './fake-registry.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const sha256 = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`;
const sha512 = (body: string) => `sha512:${createHash('sha512').update(body).digest('hex')}`;

const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: MEDIA_TYPES.ociManifest,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256('{}'), size: 2 },
  layers: [],
});
/** What a lying registry claims the manifest is: the digest of other content. */
const OTHER = sha256('{"schemaVersion":2,"layers":["something else"]}');

interface Answers {
  /** Docker-Content-Digest on HEAD (none by default: that is what sends the client to GET). */
  head?: string;
  /** Docker-Content-Digest on GET. */
  get?: string;
}

/** Serves MANIFEST under every reference of `app`, with the digest headers given. */
async function registry(answers: Answers): Promise<FakeServer> {
  const s = await startServer((req, res, url) => {
    if (!url.pathname.startsWith('/v2/app/manifests/')) return void res.writeHead(404).end();
    const claimed = req.method === 'HEAD' ? answers.head : answers.get;
    res.writeHead(200, {
      'content-type': MEDIA_TYPES.ociManifest,
      'content-length': String(Buffer.byteLength(MANIFEST)),
      ...(claimed !== undefined && { 'docker-content-digest': claimed }),
    });
    res.end(req.method === 'HEAD' ? undefined : MANIFEST);
  });
  servers.push(s);
  return s;
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

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describe('getDigest by GET (no digest on HEAD)', () => {
  it('fails when the GET digest header claims a digest the body does not hash to, naming it', async () => {
    const s = await registry({ get: OTHER });
    const { registryClient, events } = client();
    const image = { registry: s.host, repository: 'app' };
    const error = await failure(registryClient.getDigest(image, '1.0'));
    expect(error.kind).toBe('protocol');
    expect(error.message).toBe(`${s.host}/app: content does not match ${OTHER}`);
    expect(events.map((e) => `${e.kind} ${e.method}`)).toEqual(['head HEAD', 'get-manifest GET']);
    // Not cached as an answer: the next lookup asks again and fails the same way.
    expect((await failure(registryClient.getDigest(image, '1.0'))).message).toBe(error.message);
    expect(s.received).toHaveLength(4);
  });

  it('checks a sha512 claim too', async () => {
    const s = await registry({ get: sha512('not the manifest') });
    const error = await failure(
      client().registryClient.getDigest({ registry: s.host, repository: 'app' }, '1.0'),
    );
    expect(error.message).toMatch(/: content does not match sha512:/);
  });

  it('also when HEAD carried a header that is not a digest', async () => {
    const s = await registry({ head: 'sha256:not-hex', get: OTHER });
    const error = await failure(
      client().registryClient.getDigest({ registry: s.host, repository: 'app' }, 'x'),
    );
    expect(error.message).toBe(`${s.host}/app: content does not match ${OTHER}`);
  });

  it('fails when a digest reference is not what the body hashes to, whatever the header says', async () => {
    const s = await registry({ get: OTHER });
    const error = await failure(
      client().registryClient.getDigest({ registry: s.host, repository: 'app' }, OTHER),
    );
    expect(error.message).toBe(`${s.host}/app: content does not match ${OTHER}`);
    const honest = await registry({ get: sha256(MANIFEST) });
    const asked = sha256('what was asked for');
    const mismatch = await failure(
      client().registryClient.getDigest({ registry: honest.host, repository: 'app' }, asked),
    );
    expect(mismatch.message).toBe(`${honest.host}/app: content does not match ${asked}`);
  });

  it('resolves to the hash of the body when the header agrees (sha256 or sha512)', async () => {
    for (const header of [sha256(MANIFEST), sha512(MANIFEST)]) {
      const s = await registry({ get: header });
      expect(await client().registryClient.getDigest({ registry: s.host, repository: 'app' }, '1.0')).toEqual(
        {
          digest: sha256(MANIFEST),
          mediaType: MEDIA_TYPES.ociManifest,
        },
      );
    }
  });
});
