// The webhook route of the real server (probot's Server, as `run` builds it, with the server's logger at
// trace level) over a loopback socket: bodies over GitHub's 25 MB cap are refused before they are read or
// as soon as they go over, and no log line carries a delivery's payload or headers, whether it is
// rejected, fails in a handler or is not JSON.

import { createHmac, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { request, type Server as HttpServer } from 'node:http';
import { Writable } from 'node:stream';
import { Probot, ProbotOctokit, Server, type ApplicationFunction } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFromEnv, bullEnqueuer } from '../../src/app/index.js';
import { MAX_BODY_BYTES } from '../../src/app/intake.js';
import type { RedisClient } from '../../src/queue/connection.js';
import { createServerLog } from '../../src/app/log.js';
import type { DockhandQueues } from '../../src/queue/queues.js';
import { TEST_PRIVATE_KEY } from '../support/app-key.js';
import { freePort } from '../support/free-port.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const SECRET = 'intake-test-secret';
const MB = 1024 * 1024;

interface Running {
  url: URL;
  /** Every line the server logged, at trace level. */
  lines: string[];
  queues: DockhandQueues;
  stop(): Promise<void>;
}

/** What `run` does with the server's logger, on a free port; `extra` is loaded after the app. */
async function startServer(redis: TestRedis, extra?: ApplicationFunction): Promise<Running> {
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = await createServerLog(
    { level: 'trace', format: 'json', levelInString: false, messageKey: 'msg' },
    capture,
  );
  let queues: DockhandQueues | undefined;
  let connection: RedisClient | undefined;
  const app = appFromEnv(
    (appQueues, appConnection) => {
      queues = appQueues;
      connection = appConnection;
      return bullEnqueuer(appQueues, appConnection);
    },
    // A prefix of its own: each test sees only its own jobs.
    { REDIS_URL: redis.url, DOCKHAND_QUEUE_PREFIX: `${redis.prefix}${randomUUID().slice(0, 8)}` },
  );
  const port = await freePort();
  const server = new Server({
    host: '127.0.0.1',
    port,
    log,
    Probot: Probot.defaults({
      appId: 123,
      privateKey: TEST_PRIVATE_KEY,
      secret: SECRET,
      log,
      Octokit: ProbotOctokit.defaults((options: object) => ({
        ...options,
        retry: { enabled: false },
        throttle: { enabled: false },
      })),
    }),
  });
  await server.load(app);
  if (extra) await server.load(extra);
  const http: HttpServer = await server.start();
  if (connection!.status !== 'ready') await once(connection!, 'ready');
  return {
    url: new URL(`http://127.0.0.1:${port}/api/github/webhooks`),
    lines,
    queues: queues!,
    stop: async () => {
      http.closeAllConnections();
      await server.stop();
      await queues?.close();
      connection?.disconnect();
    },
  };
}

function sign(body: string): string {
  return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
}

function webhookHeaders(
  signature: string,
  extra: Record<string, string> = {},
  event = 'push',
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': event,
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': signature,
    ...extra,
  };
}

/** POSTs `body` in one piece, with its Content-Length; resolves with the status. */
function post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.end(body);
  });
}

/**
 * Sends the head of a request declaring `declared` bytes and waits for the answer before sending any of
 * them; then tries to send them all, which only succeeds if the server goes on reading.
 */
function postDeclared(
  url: URL,
  headers: Record<string, string>,
  declared: number,
): Promise<{ status: number; connection?: string; bodyDelivered: boolean }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(declared) } });
    req.on('response', (res) => {
      res.resume();
      const answer = { status: res.statusCode!, connection: res.headers.connection };
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let written = 0;
      const settle = (bodyDelivered: boolean) => resolve({ ...answer, bodyDelivered });
      req.on('error', () => settle(false));
      req.on('close', () => settle(written >= declared && req.writableFinished));
      const pump = () => {
        while (written < declared && !req.destroyed) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    req.flushHeaders();
  });
}

/**
 * Streams `total` bytes chunked (no Content-Length) from one reused buffer, with backpressure, until the
 * server answers; resolves with the status.
 */
function postChunked(url: URL, headers: Record<string, string>, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode!);
    });
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** The largest resident set size seen while `work` runs, minus the one before. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
  const sampler = setInterval(sample, 1);
  try {
    await work();
  } finally {
    clearInterval(sampler);
    sample();
  }
  return peak - before;
}

const repository = { full_name: 'acme/web', name: 'web', default_branch: 'main', owner: { login: 'acme' } };
function push(commitMessage: string) {
  return {
    ref: 'refs/heads/main',
    installation: { id: 7 },
    repository,
    sender: { login: 'alice', type: 'User' },
    head_commit: { message: commitMessage },
    commits: [{ added: [], modified: ['Dockerfile'], removed: [] }],
  };
}

describe('the webhook server', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('cuts off chunked bodies over 25 MB with 413 without holding them: memory does not grow with them', async () => {
    const server = await startServer(redis);
    try {
      const bodies = 5;
      const size = 40 * MB;
      let statuses: number[] = [];
      const growth = await peakRssGrowth(async () => {
        statuses = await Promise.all(
          Array.from({ length: bodies }, () => postChunked(server.url, webhookHeaders('sha256=00'), size)),
        );
      });
      expect(statuses).toEqual(Array(bodies).fill(413));
      // Each request holds at most the cap until it goes over, then nothing (half again for allocator and
      // GC slack): less than the 200 MB of the bodies themselves. probot, holding them whole, grew by 350
      // to 900 MB here.
      expect(growth, `RSS grew ${(growth / MB).toFixed(1)} MB`).toBeLessThan(bodies * MAX_BODY_BYTES * 1.5);
      expect(await server.queues.repo.getWaitingCount()).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('answers a body declared over 25 MB with 413 before it is sent, and reads none of it', async () => {
    const server = await startServer(redis);
    try {
      const answer = await postDeclared(server.url, webhookHeaders('sha256=00'), MAX_BODY_BYTES + 1);
      expect(answer).toEqual({ status: 413, connection: 'close', bodyDelivered: false });
      const rejected = server.lines.map((line) => JSON.parse(line)).filter((line) => line.outcome);
      expect(rejected).toMatchObject([{ outcome: 'too-large', msg: 'webhook rejected: too-large' }]);
    } finally {
      await server.stop();
    }
  });

  it('logs neither the body nor the headers of a delivery with a bad signature, and enqueues nothing', async () => {
    const server = await startServer(redis);
    try {
      const marker = `marker-${randomUUID()}`;
      const headerMarker = `header-${randomUUID()}`;
      const body = JSON.stringify(push(marker));
      const signature = sign(`${body} `);
      const headers = webhookHeaders(signature, { 'x-request-id': headerMarker, 'x-custom': headerMarker });
      const status = await post(server.url, headers, body);
      const logs = server.lines.join('\n');
      expect(logs).not.toContain(marker);
      expect(logs).not.toContain(headerMarker);
      expect(logs).not.toContain(signature);
      expect(logs).not.toContain('GitHub-Hookshot');
      expect(status).toBe(400);
      expect(await server.queues.repo.getWaitingCount()).toBe(0);
      expect(logs).toContain(
        `"delivery":"${headers['x-github-delivery']}","event":"push","outcome":"bad-signature"`,
      );
    } finally {
      await server.stop();
    }
  });

  it('logs no payload when a handler of a signed delivery throws, nor when the app cannot read it', async () => {
    const throwing: ApplicationFunction = (app) => {
      app.on('push', () => {
        throw new Error('handler failed');
      });
    };
    const server = await startServer(redis, throwing);
    try {
      const marker = `marker-${randomUUID()}`;
      const body = JSON.stringify(push(marker));
      const thrown = await post(server.url, webhookHeaders(sign(body)), body);
      // Labels that are not a list: the trigger table itself throws; the app counts an error.
      const odd = JSON.stringify({
        action: 'edited',
        installation: { id: 7 },
        repository,
        issue: { number: 1, body: marker, labels: marker },
      });
      const unreadable = await post(server.url, webhookHeaders(sign(odd), {}, 'issues'), odd);
      const logs = server.lines.join('\n');
      expect(logs).not.toContain(marker);
      expect([thrown, unreadable]).toEqual([500, 200]);
      expect(logs).toContain(
        '"outcome":"failed","error":{"type":"AggregateError","message":"handler failed"}',
      );
      expect(logs).toContain('"installation":7,"repository":"acme/web","error":{"type":"TypeError"');
      expect(logs).toContain('could not read the delivery');
    } finally {
      await server.stop();
    }
  });

  it('logs no body that is not JSON, signed or not', async () => {
    const server = await startServer(redis);
    try {
      const marker = `marker-${randomUUID()}`;
      const body = `{"not json": ${marker}`;
      const signed = await post(server.url, webhookHeaders(sign(body)), body);
      const unsigned = await post(server.url, webhookHeaders(sign('another body')), body);
      const logs = server.lines.join('\n');
      expect(logs).not.toContain(marker);
      expect([signed, unsigned]).toEqual([400, 400]);
      expect(logs).toContain('"outcome":"invalid-json"');
      expect(logs).toContain('"outcome":"bad-signature"');
    } finally {
      await server.stop();
    }
  });

  it('still enqueues a signed delivery, and logs it without payload', async () => {
    const server = await startServer(redis);
    try {
      const marker = `marker-${randomUUID()}`;
      const body = JSON.stringify(push(marker));
      const headers = webhookHeaders(sign(body));
      expect(await post(server.url, headers, body)).toBe(200);
      expect((await server.queues.repo.getWaiting()).map((job) => job.data)).toEqual([
        { installationId: 7, repository: 'acme/web', reason: 'push' },
      ]);
      const logs = server.lines.join('\n');
      expect(logs).not.toContain(marker);
      expect(logs).not.toContain(headers['x-hub-signature-256']);
      expect(logs).not.toContain('GitHub-Hookshot');
      expect(logs).toContain(
        `"event":"push","delivery":"${headers['x-github-delivery']}","installation":7,"repository":"acme/web","jobs":["repo acme/web"],"msg":"enqueued"`,
      );
    } finally {
      await server.stop();
    }
  });
});
