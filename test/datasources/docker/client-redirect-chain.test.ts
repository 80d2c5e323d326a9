// Redirect chains: a registry the policy allows sends the client to a second allowed host, which sends it
// on to a host the policy refuses (loopback in several spellings, or a name resolving to it). The chain
// stops at the refused hop with the one neutral message, and the refused server receives nothing. Real
// servers on loopback; a resolver of the test's own gives the two "public" registries their names. The
// https → https → http chain runs on undici's MockAgent: the test helpers serve no TLS (see below).
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient, type RequestEvent } from '../../../src/datasources/docker/index.js';
import { RegistryError } from '../../../src/datasources/docker/errors.js';
import type { Resolver } from '../../../src/http/guard.js';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { Transport } from '../../../src/http/transport.js';
import { fakeSleep, json, memoryCache, startServer, type FakeServer, type Handler } from './fake-registry.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Handler): Promise<FakeServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

const port = (s: FakeServer) => s.host.split(':')[1]!;

/** Names as a DNS server would answer them; every one of them is loopback here. */
const NAMES: Record<string, string[]> = {
  'one.registry.test': ['127.0.0.1'],
  'two.registry.test': ['127.0.0.1'],
  'internal.test': ['127.0.0.1'],
  localhost: ['127.0.0.1'],
};
const resolver: Resolver = async (name) => {
  const found = NAMES[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found;
};

/** The app's policy, allowing the two registry names as if they were hosts on the internet. */
function client(first: FakeServer) {
  const events: RequestEvent[] = [];
  const registry = `one.registry.test:${port(first)}`;
  const registryClient = new RegistryClient({
    cache: memoryCache(),
    network: NetworkPolicy.publicOnly(['one.registry.test', 'two.registry.test']),
    resolver,
    // Plain HTTP to the first registry (it would be https otherwise, not being loopback by name).
    hostUrls: { [registry]: `http://${registry}` },
    sleep: fakeSleep().sleep,
    onRequest: (e) => events.push(e),
  });
  return { registryClient, events, image: { registry, repository: 'app' } };
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

const redirect =
  (location: string): Handler =>
  (_req, res) =>
    void res.writeHead(307, { location }).end();

describe('a redirect chain through allowed hosts to a refused one', () => {
  it('is refused at the last hop, in every spelling, and the refused server receives nothing', async () => {
    const internal = await server((_req, res) => json(res, { tags: ['secret'] }));
    const p = port(internal);
    const refused = [
      `http://localhost:${p}/v2/app/tags/list`,
      `http://127.0.0.1:${p}/v2/app/tags/list`,
      `http://[::ffff:7f00:1]:${p}/v2/app/tags/list`,
      `http://2130706433:${p}/v2/app/tags/list`,
      `http://internal.test:${p}/v2/app/tags/list`,
    ];
    for (const target of refused) {
      const second = await server(redirect(target));
      const first = await server(redirect(`http://two.registry.test:${port(second)}/hop`));
      const { registryClient, events, image } = client(first);
      const error = await failure(registryClient.getTags(image));
      expect(error.kind, target).toBe('not-allowed');
      expect(error.message, target).toBe(`${image.registry}: registry host not allowed`);
      // Both allowed hops were really taken: the chain was refused where it left them, not before.
      expect(
        first.received.map((r) => r.url),
        target,
      ).toEqual(['/v2/app/tags/list?n=10000']);
      expect(
        second.received.map((r) => r.url),
        target,
      ).toEqual(['/hop']);
      expect(
        events.map((e) => e.failure ?? e.status),
        target,
      ).toEqual([307, 307, 'not-allowed']);
      await registryClient.close();
    }
    expect(internal.received).toEqual([]);
  });

  it('is followed to the end when every hop is allowed (the servers and names do work)', async () => {
    const last = await server((_req, res) => json(res, { tags: ['1.0'] }));
    const second = await server(redirect(`http://two.registry.test:${port(last)}/v2/app/tags/list`));
    const first = await server(redirect(`http://two.registry.test:${port(second)}/hop`));
    const { registryClient, image } = client(first);
    expect(await registryClient.getTags(image)).toEqual(['1.0']);
    expect(last.received).toHaveLength(1);
    await registryClient.close();
  });
});

describe('a redirect chain from https down to http', () => {
  // No test helper serves TLS, and the registry client's connections trust only the system's CAs, so
  // this chain runs on the transport with a MockAgent (as client-budgets.test.ts does for one hop).
  it('is refused at the hop that leaves TLS; the plain-HTTP host is never asked', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://one.registry.example')
      .intercept({ path: '/v2/app/tags/list' })
      .reply(307, '', { headers: { location: 'https://two.registry.example/hop' } });
    agent
      .get('https://two.registry.example')
      .intercept({ path: '/hop' })
      .reply(302, '', { headers: { location: 'http://internal.example/v2/app/tags/list' } });
    agent
      .get('http://internal.example')
      .intercept({ path: '/v2/app/tags/list' })
      .reply(200, { tags: ['secret'] });
    const events: RequestEvent[] = [];
    const transport = new Transport({
      limits: {
        timeoutMs: 1000,
        retries: 0,
        maxRetryAfterMs: 0,
        retryAfterBudgetMs: 0,
        maxRedirects: 5,
        hostTimeouts: 2,
        hostBudgetMs: 60_000,
      },
      dispatcher: agent,
      sleep: fakeSleep().sleep,
      now: Date.now,
      warn: () => {},
      onRequest: (e) => events.push(e as RequestEvent),
    });
    const error = await failure(
      transport.exchange({
        kind: 'tags' as const,
        registry: 'one.registry.example',
        method: 'GET' as const,
        url: new URL('https://one.registry.example/v2/app/tags/list'),
        headers: {},
        maxBodyBytes: 1024,
      }),
    );
    expect(error.kind).toBe('protocol');
    expect(error.message).toBe(
      'one.registry.example: redirect from https to http refused (http://internal.example/v2/app/tags/list)',
    );
    expect(events.map((e) => e.status)).toEqual([307, 302]);
    // The plain-HTTP host's answer is still waiting: nothing was sent to it.
    expect(agent.pendingInterceptors().map((i) => `${i.origin}${i.path}`)).toEqual([
      'http://internal.example/v2/app/tags/list',
    ]);
    await agent.close();
  });
});
