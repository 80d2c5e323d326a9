// The app behind probot's real webhook middleware on a loopback HTTP server: signed deliveries in, jobs out,
// redeliveries deduplicated in a real Redis, the HTTP endpoints, and logs that never carry secrets.

import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import nock from 'nock';
import { createNodeMiddleware, Probot, ProbotOctokit, type Logger } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { createRedisDedupe } from '../../src/app/dedupe.js';
import { appFromEnv, bullEnqueuer } from '../../src/app/index.js';
import { createAppMetrics } from '../../src/app/metrics.js';
import { primaryAnswers, type RedisClient } from '../../src/queue/connection.js';
import type { CrawlJobData, Enqueuer, RepoJobData } from '../../src/queue/types.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { until } from '../queue/helpers.js';

const SECRET = 'webhook-secret-for-tests';
const PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const INSTALLATION_TOKEN = 'ghs_installationTokenThatMustNeverBeLogged';
const PAYLOAD_TOKEN = 'ghs_tokenLikeFieldInsideThePayload';

class RecordingEnqueuer implements Enqueuer {
  repo: RepoJobData[] = [];
  crawl: CrawlJobData[] = [];
  failing = false;
  async enqueueRepo(data: RepoJobData) {
    if (this.failing) throw new Error('redis down');
    this.repo.push(data);
  }
  async enqueueCrawl(data: CrawlJobData) {
    if (this.failing) throw new Error('redis down');
    this.crawl.push(data);
  }
}

/** A pino-shaped logger that keeps every line, with errors' own properties, as pino's serializer does. */
function recordingLogger(lines: string[], bindings: object = {}): Logger {
  const write =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push(JSON.stringify({ level, ...bindings, args }, errorsToObjects));
  const log = {
    level: 'trace',
    child: (more: object) => recordingLogger(lines, { ...bindings, ...more }),
    ...Object.fromEntries(
      ['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((level) => [level, write(level)]),
    ),
  };
  return log as unknown as Logger;
}

function errorsToObjects(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { ...value, message: value.message, stack: value.stack, cause: value.cause };
}

interface Harness {
  url: string;
  enqueuer: RecordingEnqueuer;
  logs: string[];
  close(): Promise<void>;
}

async function listen(handler: (req: never, res: never, next: () => void) => unknown): Promise<Server> {
  const server = createServer(
    (req, res) => void handler(req as never, res as never, () => res.writeHead(404).end()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function probot(logs: string[]): Probot {
  return new Probot({
    appId: 123,
    privateKey: PRIVATE_KEY,
    secret: SECRET,
    log: recordingLogger(logs),
    Octokit: ProbotOctokit.defaults((options: object) => ({
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
}

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function deliver(
  url: string,
  event: string,
  payload: object,
  options: { id?: string; secret?: string } = {},
) {
  const body = JSON.stringify(payload);
  return fetch(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': options.id ?? randomUUID(),
      'x-hub-signature-256': sign(body, options.secret),
    },
    body,
  });
}

const repository = { full_name: 'acme/web', name: 'web', default_branch: 'main', owner: { login: 'acme' } };
const pushPayload = {
  ref: 'refs/heads/main',
  installation: { id: 7, token: PAYLOAD_TOKEN },
  repository,
  sender: { login: 'alice', type: 'User' },
  commits: [{ added: [], modified: ['Dockerfile'], removed: [] }],
};

describe('the app over HTTP', () => {
  let redis: TestRedis;
  let client: Redis;
  let harness: Harness;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  beforeEach(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const logs: string[] = [];
    const enqueuer = new RecordingEnqueuer();
    const metrics = createAppMetrics();
    const app = createApp({
      enqueuer,
      dedupe: createRedisDedupe(client, { prefix: `${redis.prefix}delivery:` }),
      metrics,
      ready: () => primaryAnswers(client, `${redis.prefix}ready`),
    });
    const server = await listen(await createNodeMiddleware(app, { probot: probot(logs) }));
    harness = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      enqueuer,
      logs,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  });
  afterEach(async () => {
    await harness.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('enqueues a signed push once, however often it is redelivered', async () => {
    const id = randomUUID();
    expect((await deliver(harness.url, 'push', pushPayload, { id })).status).toBe(200);
    expect((await deliver(harness.url, 'push', pushPayload, { id })).status).toBe(200);
    expect(harness.enqueuer.repo).toEqual([{ installationId: 7, repository: 'acme/web', reason: 'push' }]);
    // A new delivery of the same event is a new push.
    await deliver(harness.url, 'push', pushPayload);
    expect(harness.enqueuer.repo).toHaveLength(2);
  });

  it('rejects a wrong signature and enqueues nothing', async () => {
    const response = await deliver(harness.url, 'push', pushPayload, { secret: 'not-the-secret' });
    expect(response.status).toBe(400);
    expect(harness.enqueuer.repo).toEqual([]);
    expect(harness.logs.join('\n')).not.toContain(SECRET);
  });

  it('answers a failed enqueue with 500, counts it as an error and lets the redelivery enqueue', async () => {
    const id = randomUUID();
    harness.enqueuer.failing = true;
    // 5xx, never 2xx: GitHub shows the delivery as failed, and its redelivery is not turned away.
    expect((await deliver(harness.url, 'push', pushPayload, { id })).status).toBe(500);
    harness.enqueuer.failing = false;
    expect((await deliver(harness.url, 'push', pushPayload, { id })).status).toBe(200);
    expect(harness.enqueuer.repo).toHaveLength(1);
    const metrics = await (await fetch(`${harness.url}/metrics`)).text();
    expect(metrics).toContain('dockhand_webhooks_total{event="push",outcome="error"} 1');
    expect(metrics).toContain('dockhand_webhooks_total{event="push",outcome="enqueued"} 1');
  });

  it('crawls a new installation', async () => {
    const payload = { action: 'created', installation: { id: 7 }, sender: { login: 'alice', type: 'User' } };
    expect((await deliver(harness.url, 'installation', payload)).status).toBe(200);
    expect(harness.enqueuer.crawl).toEqual([{ installationId: 7, reason: 'installed' }]);
  });

  describe('comment commands', () => {
    const comment = (login: string) => ({
      action: 'created',
      installation: { id: 7 },
      repository,
      sender: { login, type: 'User' },
      issue: { number: 12, user: { login: 'dockhand[bot]', type: 'Bot' }, pull_request: { url: 'x' } },
      comment: {
        body: '@dockhand rebase',
        author_association: 'COLLABORATOR',
        user: { login, type: 'User' },
      },
    });

    function github(permissions: Record<string, string>) {
      const scope = nock('https://api.github.com')
        .post('/app/installations/7/access_tokens')
        .reply(201, { token: INSTALLATION_TOKEN, expires_at: '2999-01-01T00:00:00Z' });
      for (const [login, permission] of Object.entries(permissions)) {
        scope.get(`/repos/acme/web/collaborators/${login}/permission`).reply(200, { permission });
      }
      return scope;
    }

    it('enqueues the command of a user with write access and refuses a reader', async () => {
      const scope = github({ alice: 'write', bob: 'read' });
      expect((await deliver(harness.url, 'issue_comment', comment('alice'))).status).toBe(200);
      expect((await deliver(harness.url, 'issue_comment', comment('bob'))).status).toBe(200);
      expect(scope.pendingMocks()).toEqual([]);
      expect(harness.enqueuer.repo).toEqual([
        { installationId: 7, repository: 'acme/web', reason: 'command', command: 'rebase', number: 12 },
      ]);
      expect(harness.logs.join('\n')).not.toContain(INSTALLATION_TOKEN);
    });

    it('treats a user who is no collaborator as a reader, and a failing check as an error (500)', async () => {
      const scope = nock('https://api.github.com')
        .post('/app/installations/7/access_tokens')
        .reply(201, { token: INSTALLATION_TOKEN, expires_at: '2999-01-01T00:00:00Z' })
        .get('/repos/acme/web/collaborators/carol/permission')
        .reply(404, { message: 'Not Found' })
        .get('/repos/acme/web/collaborators/dave/permission')
        .reply(502, { message: 'Bad gateway' });
      expect((await deliver(harness.url, 'issue_comment', comment('carol'))).status).toBe(200);
      expect((await deliver(harness.url, 'issue_comment', comment('dave'))).status).toBe(500);
      expect(scope.pendingMocks()).toEqual([]);
      expect(harness.enqueuer.repo).toEqual([]);
      const metrics = await (await fetch(`${harness.url}/metrics`)).text();
      expect(metrics).toContain('dockhand_webhooks_total{event="issue_comment",outcome="denied"} 1');
      expect(metrics).toContain('dockhand_webhooks_total{event="issue_comment",outcome="error"} 1');
      expect(harness.logs.join('\n')).toContain('"status":502');
      expect(harness.logs.join('\n')).not.toContain(INSTALLATION_TOKEN);
    });
  });

  it('never logs payloads or tokens', async () => {
    await deliver(harness.url, 'push', pushPayload);
    harness.enqueuer.failing = true;
    await deliver(harness.url, 'push', pushPayload);
    const logs = harness.logs.join('\n');
    expect(logs).toContain('could not enqueue');
    expect(logs).toContain('redis down');
    expect(logs).toContain('acme/web');
    expect(logs).not.toContain(PAYLOAD_TOKEN);
    expect(logs).not.toContain(SECRET);
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    await deliver(harness.url, 'push', pushPayload);
    await deliver(harness.url, 'push', { ...pushPayload, commits: [{ modified: ['README.md'] }] });
    const health = await fetch(`${harness.url}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    const ready = await fetch(`${harness.url}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
    const metrics = await fetch(`${harness.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('dockhand_webhooks_total{event="push",outcome="enqueued"} 1');
    expect(text).toContain('dockhand_webhooks_total{event="push",outcome="ignored"} 1');
    expect(text).toContain('dockhand_webhook_jobs_enqueued_total{queue="repo",reason="push"} 1');
    expect((await fetch(`${harness.url}/elsewhere`)).status).toBe(404);
  });
});

describe('the redelivery guard when Redis fails mid-delivery', () => {
  it('a claim that could not be given back turns redeliveries away with 500 until it runs out, then one enqueues', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url);
    const enqueuer = new RecordingEnqueuer();
    const guard = createRedisDedupe(client, { prefix: `${redis.prefix}delivery:`, pendingSeconds: 1 });
    // Redis went away between the claim and its release (a primary killed mid-delivery).
    const dedupe = { ...guard, release: async () => Promise.reject(new Error('connection is closed')) };
    const app = createApp({ enqueuer, dedupe, metrics: createAppMetrics(), ready: async () => true });
    const server = await listen(await createNodeMiddleware(app, { probot: probot([]) }));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const id = randomUUID();
      enqueuer.failing = true;
      expect((await deliver(url, 'push', pushPayload, { id })).status).toBe(500);
      enqueuer.failing = false;
      // Not known to be enqueued: never a 2xx that drops the job.
      expect((await deliver(url, 'push', pushPayload, { id })).status).toBe(500);
      expect(enqueuer.repo).toEqual([]);
      await until(
        async () => (await client.exists(`${redis.prefix}delivery:${id}`)) === 0,
        'the claim to run out',
      );
      expect((await deliver(url, 'push', pushPayload, { id })).status).toBe(200);
      expect((await deliver(url, 'push', pushPayload, { id })).status).toBe(200);
      expect(enqueuer.repo).toHaveLength(1);
      expect(await client.get(`${redis.prefix}delivery:${id}`)).toBe('done');
    } finally {
      await new Promise((resolve) => server.close(resolve));
      client.disconnect();
      await redis.stop();
    }
  });
});

describe('readiness', () => {
  it('is false while Redis cannot be reached', async () => {
    // A port nothing listens on: take a free one from a server that is then closed.
    const server = await listen(() => undefined);
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const unreachable = new Redis(port, '127.0.0.1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    unreachable.on('error', () => undefined);
    try {
      expect(await primaryAnswers(unreachable, 'ready')).toBe(false);
    } finally {
      unreachable.disconnect();
    }
  });
});

describe('appFromEnv', () => {
  it('wires Redis from REDIS_URL: readiness and redelivery dedupe', async () => {
    const redis = await startRedis();
    const enqueuer = new RecordingEnqueuer();
    let connection: RedisClient | undefined;
    const app = appFromEnv(
      (_queues, redisConnection) => {
        connection = redisConnection;
        return enqueuer;
      },
      { REDIS_URL: redis.url, DOCKHAND_QUEUE_PREFIX: redis.prefix.slice(0, -1) },
    );
    const server = await listen(await createNodeMiddleware(app, { probot: probot([]) }));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      if (connection!.status !== 'ready') await once(connection!, 'ready');
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const id = randomUUID();
      await deliver(url, 'push', pushPayload, { id });
      await deliver(url, 'push', pushPayload, { id });
      expect(enqueuer.repo).toHaveLength(1);
      expect(await connection!.exists(`${redis.prefix}delivery:${id}`)).toBe(1);
      expect(await connection!.ttl(`${redis.prefix}delivery:${id}`)).toBeGreaterThan(86_000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      connection?.disconnect();
      await redis.stop();
    }
  });

  it('reports queue depth from Redis on /metrics, and still answers /metrics while Redis is down', async () => {
    const redis = await startRedis({ spawn: true });
    let connection: RedisClient | undefined;
    const app = appFromEnv(
      (queues, redisConnection) => {
        connection = redisConnection;
        return bullEnqueuer(queues, redisConnection);
      },
      { REDIS_URL: redis.url, DOCKHAND_QUEUE_PREFIX: redis.prefix.slice(0, -1) },
    );
    const server = await listen(await createNodeMiddleware(app, { probot: probot([]) }));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      if (connection!.status !== 'ready') await once(connection!, 'ready');
      await deliver(url, 'push', pushPayload);
      await deliver(url, 'installation', {
        action: 'created',
        installation: { id: 7 },
        sender: { login: 'alice', type: 'User' },
      });
      const up = await fetch(`${url}/metrics`);
      const metrics = await up.text();
      expect(metrics).toContain('dockhand_queue_jobs{queue="repo",state="waiting"} 1');
      expect(metrics).toContain('dockhand_queue_jobs{queue="crawl",state="waiting"} 1');
      expect(metrics).toContain('dockhand_queue_jobs{queue="repo",state="failed"} 0');
      expect(metrics).toContain('dockhand_queue_jobs{queue="report",state="waiting"} 0');
      expect(metrics).toContain('dockhand_queue_depth_read_errors_total 0');

      await redis.stop();
      const down = await fetch(`${url}/metrics`);
      expect(down.status).toBe(200);
      const withoutRedis = await down.text();
      expect(withoutRedis).not.toMatch(/^dockhand_queue_jobs\{/m);
      expect(withoutRedis).toContain('dockhand_queue_depth_read_errors_total 1');
      expect(withoutRedis).toContain('dockhand_webhooks_total{event="push",outcome="enqueued"} 1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
      connection?.disconnect();
      await redis.stop();
    }
  });
});
