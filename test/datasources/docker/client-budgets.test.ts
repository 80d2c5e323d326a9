// What one run may cost a hostile registry at most: redirects and token realms that point where the
// network policy refuses, a redirect down from TLS, hosts that stall (circuit breaker, time budget),
// Retry-After in all, a deadline, and tag lists that never end. Real servers on loopback, the policy
// allowing only the hosts each test names as "public".
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient, type RequestEvent } from '../../../src/datasources/docker/index.js';
import { RegistryError } from '../../../src/datasources/docker/errors.js';
import { Transport } from '../../../src/http/transport.js';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
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

/** A client whose policy refuses loopback but for `publicHosts` (as if they were on the internet). */
function client(publicHosts: string[], extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) {
  const events: RequestEvent[] = [];
  const warnings: string[] = [];
  const { sleep, waits } = fakeSleep();
  const registryClient = new RegistryClient({
    cache: memoryCache(),
    network: NetworkPolicy.publicOnly(publicHosts),
    sleep,
    onRequest: (e) => events.push(e),
    logger: { warn: (m) => warnings.push(m) },
    ...extra,
  });
  return { registryClient, events, waits, warnings };
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

const image = (s: FakeServer, repository = 'app') => ({ registry: s.host, repository });

describe('the network policy on every hop', () => {
  it('refuses a redirect to a loopback host, in any spelling, and the target sees nothing', async () => {
    const internal = await server((_req, res) => json(res, { tags: ['secret'] }));
    const port = internal.host.split(':')[1];
    for (const target of [
      `http://localhost:${port}/v2/app/tags/list`,
      `http://[::ffff:7f00:1]:${port}/v2/app/tags/list`,
      `http://2130706433:${port}/v2/app/tags/list`,
    ]) {
      const registry = await server((_req, res) => void res.writeHead(307, { location: target }).end());
      const { registryClient } = client([registry.host]);
      const error = await failure(registryClient.getTags(image(registry)));
      expect(error.kind).toBe('not-allowed');
      expect(error.message).toBe(`${registry.host}: registry host not allowed`);
    }
    expect(internal.received).toEqual([]);
  });

  it('refuses a token realm on a host the policy refuses, sending it nothing', async () => {
    const realm = await server((_req, res) => json(res, { token: 't' }));
    const challenge = `Bearer realm="${realm.origin}/token",service="x"`;
    const registry = await server(
      (_req, res) => void res.writeHead(401, { 'www-authenticate': challenge }).end(),
    );
    const { registryClient } = client([registry.host]);
    expect((await failure(registryClient.getTags(image(registry)))).kind).toBe('not-allowed');
    expect(realm.received).toEqual([]);
  });

  it('refuses an image on a refused host with one neutral message, never the low-level error', async () => {
    const { registryClient, events } = client([]);
    const closed = await failure(registryClient.getTags({ registry: '127.0.0.1:15999', repository: 'x' }));
    const metadata = await failure(registryClient.getTags({ registry: '169.254.169.254', repository: 'x' }));
    expect(closed.message).toBe('127.0.0.1:15999: registry host not allowed');
    expect(metadata.message).toBe('169.254.169.254: registry host not allowed');
    expect(events.map((e) => e.failure)).toEqual(['not-allowed', 'not-allowed']);
  });

  it('never follows a redirect from https down to http', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://registry.example')
      .intercept({ path: '/v2/app/tags/list' })
      .reply(302, '', { headers: { location: 'http://registry.example/v2/app/tags/list' } });
    const { sleep } = fakeSleep();
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
      sleep,
      now: Date.now,
      warn: () => {},
    });
    const request = {
      kind: 'tags' as const,
      registry: 'registry.example',
      method: 'GET' as const,
      url: new URL('https://registry.example/v2/app/tags/list'),
      headers: { authorization: 'Bearer secret' },
      maxBodyBytes: 1024,
    };
    const error = await failure(transport.exchange(request));
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(/redirect from https to http refused/);
    await agent.close();
  });
});

describe('budgets of one run', () => {
  /** Headers at once, then a body that never comes. */
  const stalling: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"tags":[');
  };

  it('skips a host for the rest of the run after repeated timeouts, and says so once', async () => {
    const slow = await server(stalling);
    const { registryClient, warnings } = client([slow.host], {
      limits: { timeoutMs: 200, hostTimeouts: 2, retries: 0 },
    });
    const errors: RegistryError[] = [];
    for (let i = 0; i < 40; i++) errors.push(await failure(registryClient.getTags(image(slow, `app${i}`))));
    expect(errors.slice(0, 2).map((e) => e.kind)).toEqual(['timeout', 'timeout']);
    expect(new Set(errors.slice(2).map((e) => e.kind))).toEqual(new Set(['skipped']));
    expect(errors[2]!.message).toBe(
      `${slow.host} (${slow.origin}): skipped for the rest of this run after 2 timeouts`,
    );
    expect(slow.received).toHaveLength(2);
    expect(warnings.filter((w) => w.includes('skipped'))).toHaveLength(1);
  });

  it('skips a host once its requests used up their time budget', async () => {
    let clock = 0;
    // Every request seems to take 30 s on this clock.
    const now = () => (clock += 30_000);
    const s = await server((_req, res) => json(res, { tags: ['1.0'] }));
    const { registryClient } = client([s.host], { now, limits: { hostBudgetMs: 100_000 } });
    const kinds: string[] = [];
    for (let i = 0; i < 6; i++)
      kinds.push(
        await registryClient.getTags(image(s, `a${i}`)).then(
          () => 'ok',
          (e: RegistryError) => e.kind,
        ),
      );
    expect(kinds).toEqual(['ok', 'ok', 'ok', 'ok', 'skipped', 'skipped']);
    expect(s.received).toHaveLength(4);
  });

  it('honours Retry-After up to a total per run, then fails rate-limited at once', async () => {
    const s = await server((_req, res) => json(res, { errors: [] }, { 'retry-after': '55' }, 429));
    const { registryClient, waits } = client([s.host], { limits: { retries: 3 } });
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) kinds.push((await failure(registryClient.getTags(image(s, `img${i}`)))).kind);
    expect(kinds).toEqual(['rate-limited', 'rate-limited', 'rate-limited']);
    // One 55 s wait fits in the default 60 s budget; every later one would not.
    expect(waits).toEqual([55_000]);
    expect(s.received).toHaveLength(4);
  });

  it('ends every lookup at the deadline: nothing is sent after it', async () => {
    let clock = 1_000_000;
    const s = await server((_req, res) => json(res, { tags: ['1.0'] }));
    const { registryClient } = client([s.host], { now: () => clock, deadline: 1_000_000 + 5_000 });
    expect(await registryClient.getTags(image(s, 'before'))).toEqual(['1.0']);
    clock += 5_000;
    const late = await failure(registryClient.getTags(image(s, 'after')));
    expect(late.kind).toBe('deadline');
    expect(late.message).toBe(`${s.host}: not looked up, the run's time for lookups is over`);
    expect(s.received).toHaveLength(1);
  });

  it('cuts a request short at the deadline when it comes before the request timeout', async () => {
    const slow = await server(stalling);
    const start = Date.now();
    const { registryClient } = client([slow.host], {
      deadline: start + 300,
      limits: { timeoutMs: 60_000, retries: 0 },
    });
    expect((await failure(registryClient.getTags(image(slow)))).kind).toBe('deadline');
  });
});

describe('tag lists that never end', () => {
  /** 200,000 new tags on every page, each page linking to the next. */
  const flood: Handler = (_req, res, url) => {
    const page = Number(url.searchParams.get('page') ?? '0');
    const tags = Array.from({ length: 200_000 }, (_, i) => `t${page}-${i}`);
    json(res, { tags }, { link: `</v2/app/tags/list?page=${page + 1}>; rel="next"` });
  };

  it('stops at the tag cap and reports it on that image', async () => {
    const s = await server(flood);
    const { registryClient } = client([s.host], { limits: { maxTags: 300_000 } });
    const error = await failure(registryClient.getTags(image(s)));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe(`${s.host}/app: over 300000 tags; not looked up`);
    expect(s.received).toHaveLength(2);
  });

  it('stops at the byte cap across pages, reading no more than it', async () => {
    const s = await server(flood);
    const { registryClient } = client([s.host], {
      limits: { maxTagBytes: 5 * 1024 * 1024, maxTags: 10_000_000 },
    });
    const error = await failure(registryClient.getTags(image(s)));
    expect(error.message).toBe(`${s.host}/app: tag list over ${5 * 1024 * 1024} bytes; not looked up`);
    // Each page is about 2.3 MB: the third would go over.
    expect(s.received).toHaveLength(3);
  });
});
