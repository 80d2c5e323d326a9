import type { IncomingMessage, ServerResponse } from 'node:http';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient, type RequestEvent } from '../../../src/datasources/docker/index.js';
import { fakeSleep, json, memoryCache, startServer, type FakeServer } from './fake-registry.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const USER = 'robot$ci';
const PASSWORD = 'pa55-w0rd-very-secret';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

interface TokenRegistryOptions {
  /** Field the token endpoint answers with. */
  field?: 'token' | 'access_token';
  expiresIn?: number;
  /** Token endpoint insists on these credentials. */
  requireBasic?: boolean;
  /** Tokens the registry refuses even though the token server issued them (revoked). */
  revoked?: Set<string>;
}

/** A registry with a token server on the same port: /token issues tok-1, tok-2…; /v2/* wants a live one. */
async function tokenRegistry(options: TokenRegistryOptions = {}): Promise<FakeServer & { issued: string[] }> {
  const issued: string[] = [];
  let origin = '';
  const server = await startServer((req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === '/token') {
      if (options.requireBasic && req.headers.authorization !== BASIC)
        return json(res, { errors: [] }, {}, 401);
      const token = `tok-${issued.length + 1}-${url.searchParams.get('scope')}`;
      issued.push(token);
      const body: Record<string, unknown> = { [options.field ?? 'token']: token };
      if (options.expiresIn !== undefined) body.expires_in = options.expiresIn;
      return json(res, body);
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.replace(/^Bearer /, '');
    const repo = /^\/v2\/(.+)\/(?:tags|manifests)\//.exec(url.pathname)?.[1] ?? '';
    if (
      !auth.startsWith('Bearer ') ||
      !issued.includes(token) ||
      options.revoked?.has(token) ||
      !token.endsWith(`repository:${repo}:pull`)
    ) {
      return json(
        res,
        { errors: [{ code: 'UNAUTHORIZED', detail: auth }] },
        {
          'www-authenticate': `Bearer realm="${origin}/token",service="fake-registry",scope="repository:${repo}:pull"`,
        },
        401,
      );
    }
    if (url.pathname.endsWith('/tags/list')) return json(res, { name: repo, tags: ['1.0.0', '1.1.0'] });
    res.writeHead(200, {
      'docker-content-digest': `sha256:${'a'.repeat(64)}`,
      'content-type': 'application/vnd.oci.image.index.v1+json',
    });
    res.end();
  });
  origin = server.origin;
  servers.push(server);
  return Object.assign(server, { issued });
}

function client(server: FakeServer, extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) {
  const events: RequestEvent[] = [];
  const warnings: string[] = [];
  const registryClient = new RegistryClient({
    network: NetworkPolicy.local(),
    cache: memoryCache(),
    sleep: fakeSleep().sleep,
    onRequest: (event) => events.push(event),
    logger: { warn: (message) => warnings.push(message) },
    ...extra,
  });
  return {
    registryClient,
    events,
    warnings,
    image: (repository: string) => ({ registry: server.host, repository }),
  };
}

const summary = (events: RequestEvent[]) => events.map((e) => `${e.kind} ${e.status ?? e.failure}`);

describe('Bearer token flow', () => {
  it('answers an anonymous challenge, then reuses the token and fetches new scopes without a probe', async () => {
    const server = await tokenRegistry();
    const { registryClient, events, image } = client(server);
    expect(await registryClient.getTags(image('team/app'))).toEqual(['1.0.0', '1.1.0']);
    expect(summary(events)).toEqual(['tags 401', 'token 200', 'tags 200']);
    const tokenRequest = server.received.find((r) => r.url.startsWith('/token'))!;
    expect(new URL(tokenRequest.url, server.origin).searchParams.get('service')).toBe('fake-registry');
    expect(new URL(tokenRequest.url, server.origin).searchParams.get('scope')).toBe(
      'repository:team/app:pull',
    );
    expect(tokenRequest.headers.authorization).toBeUndefined();

    events.length = 0;
    await registryClient.getDigest(image('team/app'), '1.0.0');
    expect(summary(events)).toEqual(['head 200']);

    events.length = 0;
    await registryClient.getTags(image('team/other'));
    expect(summary(events)).toEqual(['token 200', 'tags 200']);
  });

  it('lets concurrent first requests to a host wait for one probe instead of each collecting a 401', async () => {
    const server = await tokenRegistry();
    const { registryClient, events, image } = client(server);
    const repos = ['a', 'b', 'c', 'd', 'e'];
    await Promise.all(
      repos.flatMap((repo) => [
        registryClient.getTags(image(repo)),
        registryClient.getDigest(image(repo), '1.0.0'),
      ]),
    );
    const counts = summary(events).reduce<Record<string, number>>(
      (acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ 'tags 401': 1, 'token 200': 5, 'tags 200': 5, 'head 200': 5 });
  });

  it('needs no probe on an anonymous registry after the first answer', async () => {
    const server = await startServer((_req, res) => json(res, { tags: ['1'] }));
    servers.push(server);
    const { registryClient, events, image } = client(server);
    await Promise.all(['a', 'b', 'c'].map((repo) => registryClient.getTags(image(repo))));
    expect(summary(events)).toEqual(['tags 200', 'tags 200', 'tags 200']);
  });

  it('accepts access_token', async () => {
    const server = await tokenRegistry({ field: 'access_token' });
    const { registryClient, image } = client(server);
    expect(await registryClient.getTags(image('a'))).toEqual(['1.0.0', '1.1.0']);
  });

  it('fetches a new token once the old one expired', async () => {
    const server = await tokenRegistry({ expiresIn: 300 });
    let now = 1_000_000;
    const { registryClient, events, image } = client(server, { now: () => now });
    await registryClient.getTags(image('a'));
    await registryClient.getDigest(image('a'), '1.0.0');
    expect(server.issued).toHaveLength(1);
    now += 301_000;
    events.length = 0;
    await registryClient.getDigest(image('a'), '1.1.0');
    expect(summary(events)).toEqual(['token 200', 'head 200']);
    expect(server.issued).toHaveLength(2);
  });

  it('fetches a fresh token once when the registry refuses a cached one', async () => {
    const revoked = new Set<string>();
    const server = await tokenRegistry({ revoked });
    const { registryClient, events, image } = client(server);
    await registryClient.getTags(image('a'));
    revoked.add(server.issued[0]!);
    events.length = 0;
    expect(await registryClient.getDigest(image('a'), '1.0.0')).toMatchObject({
      digest: `sha256:${'a'.repeat(64)}`,
    });
    expect(summary(events)).toEqual(['head 401', 'token 200', 'head 200']);
  });

  it('sends credentials from the named environment variables to the token endpoint only', async () => {
    const server = await tokenRegistry({ requireBasic: true });
    const { registryClient, image } = client(server, {
      hosts: [{ host: server.host, credentials: { username: USER, password: PASSWORD } }],
    });
    expect(await registryClient.getTags(image('private/app'))).toEqual(['1.0.0', '1.1.0']);
    const tokenRequests = server.received.filter((r) => r.url.startsWith('/token'));
    expect(tokenRequests.map((r) => r.headers.authorization)).toEqual([BASIC]);
    const registryRequests = server.received.filter((r) => r.url.startsWith('/v2/'));
    expect(registryRequests.every((r) => !r.headers.authorization?.startsWith('Basic'))).toBe(true);
  });

  it('reports a token endpoint that refuses as unauthorized', async () => {
    const server = await tokenRegistry({ requireBasic: true });
    const { registryClient, image } = client(server);
    await expect(registryClient.getTags(image('private/app'))).rejects.toMatchObject({
      kind: 'unauthorized',
      status: 401,
    });
  });
});

describe('Basic auth and refusals', () => {
  async function basicRegistry(): Promise<FakeServer> {
    const server = await startServer((req, res, url) => {
      if (req.headers.authorization !== BASIC) {
        return json(
          res,
          { errors: [{ code: 'UNAUTHORIZED' }] },
          { 'www-authenticate': 'Basic realm="Registry Realm"' },
          401,
        );
      }
      if (url.pathname === '/v2/forbidden/tags/list')
        return json(res, { errors: [{ code: 'DENIED' }] }, {}, 403);
      json(res, { name: 'x', tags: ['latest'] });
    });
    servers.push(server);
    return server;
  }

  it('answers a Basic challenge and then sends Basic on every request', async () => {
    const server = await basicRegistry();
    const { registryClient, events, image } = client(server, {
      hosts: [{ host: server.host, credentials: { username: USER, password: PASSWORD } }],
    });
    expect(await registryClient.getTags(image('one'))).toEqual(['latest']);
    expect(await registryClient.getTags(image('two'))).toEqual(['latest']);
    expect(summary(events)).toEqual(['tags 401', 'tags 200', 'tags 200']);
    expect(server.received.map((r) => r.headers.authorization)).toEqual([undefined, BASIC, BASIC]);
  });

  it('turns 401 without credentials and 403 into unauthorized results', async () => {
    const server = await basicRegistry();
    const anonymous = client(server);
    await expect(anonymous.registryClient.getTags(anonymous.image('one'))).rejects.toMatchObject({
      kind: 'unauthorized',
    });
    const withCredentials = client(server, {
      hosts: [{ host: server.host, credentials: { username: USER, password: PASSWORD } }],
    });
    await expect(
      withCredentials.registryClient.getTags(withCredentials.image('forbidden')),
    ).rejects.toMatchObject({
      name: 'RegistryError',
      kind: 'unauthorized',
      status: 403,
    });
  });
});

describe('secrets', () => {
  it('never puts credentials or tokens in errors, warnings or observer events', async () => {
    // Tokens work for tags; manifests answer 500 forever, echoing the Authorization header back.
    let origin = '';
    const issued: string[] = [];
    const server = await startServer((req, res, url) => {
      if (url.pathname === '/token') {
        const token = `secret-token-${issued.length}`;
        issued.push(token);
        return json(res, { token });
      }
      if (!req.headers.authorization?.startsWith('Bearer ')) {
        return json(res, {}, { 'www-authenticate': `Bearer realm="${origin}/token",service="s"` }, 401);
      }
      if (url.pathname.includes('/manifests/')) {
        return json(
          res,
          { errors: [{ code: 'UNKNOWN', message: req.headers.authorization }] },
          { 'retry-after': '1' },
          503,
        );
      }
      json(res, { tags: [req.headers.authorization] });
    });
    origin = server.origin;
    servers.push(server);
    const { registryClient, events, warnings, image } = client(server, {
      hosts: [{ host: server.host, credentials: { username: USER, password: PASSWORD } }],
    });
    // The tag list echoes the token as a "tag": not a valid tag name, so dropped.
    expect(await registryClient.getTags(image('a'))).toEqual([]);
    const failure = await registryClient.getDigest(image('a'), 'latest').catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'server', status: 503 });
    expect(warnings.length).toBeGreaterThan(0);
    expect(issued.length).toBeGreaterThan(0);
    const reported = JSON.stringify([String(failure), (failure as Error).stack, warnings, events]);
    for (const secret of [PASSWORD, BASIC.slice(6), ...issued]) expect(reported).not.toContain(secret);
    expect(
      server.received
        .filter((r) => r.url.startsWith('/token'))
        .every((r) => r.headers.authorization === BASIC),
    ).toBe(true);
  });
});
