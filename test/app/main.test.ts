// `npm start`'s launcher as a real process (dist/ is built by the global setup): the setup (manifest) flow
// without credentials, the app with them, and a clean exit on SIGTERM.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createQueues } from '../../src/queue/queues.js';
import { startRedis } from '../support/redis.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'launcher-test-secret';
const INSTALLATION_TOKEN = 'ghs_launcherInstallationToken';
const FORGED_MARKER = `forged-${randomUUID()}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Launched {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Starts dist/app/main.js with only the given environment and waits for "Listening on". */
async function launch(env: Record<string, string>): Promise<Launched> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/app/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_FORMAT: 'json',
      NO_SMEE_SETUP: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Listening on')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
  await listening;
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}

function deliver(url: string, event: string, payload: object): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
}

/** Sends only the head of a webhook POST declaring `declared` bytes; resolves with the status of the answer. */
function postHead(url: string, declared: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(declared),
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      resolve(res.statusCode!);
      req.destroy();
    });
    req.flushHeaders();
  });
}

/** A stand-in for a GitHub Enterprise Server API over plain HTTP: an installation token and one permission. */
async function fakeGhes(): Promise<{ host: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' && req.url === '/api/v3/app/installations/7/access_tokens') {
      res
        .writeHead(201)
        .end(JSON.stringify({ token: INSTALLATION_TOKEN, expires_at: '2999-01-01T00:00:00Z' }));
    } else if (req.url === '/api/v3/repos/acme/web/collaborators/alice/permission') {
      res.writeHead(200).end(JSON.stringify({ permission: 'write' }));
    } else {
      res.writeHead(404).end('{"message":"Not Found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Readiness follows the app's Redis connection, which opens just after the server listens. */
async function eventually(probe: () => Promise<number>, attempts = 50): Promise<number> {
  let status = await probe();
  for (let attempt = 1; attempt < attempts && status !== 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = await probe();
  }
  return status;
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

describe('npm start', () => {
  it('offers the setup (manifest) flow with the app.yml manifest when there are no credentials', async () => {
    const { url, child } = await launch({});
    try {
      const page = await fetch(`${url}/probot`);
      expect(page.status).toBe(200);
      const html = (await page.text()).replaceAll('&quot;', '"');
      expect(html).toContain('"name":"Dockhand"');
      expect(html).toContain(
        '"default_events":["push","pull_request","issues","issue_comment","check_run","check_suite","status"]',
      );
      expect(html).toContain('"checks":"write"');
      expect(html).toContain('"statuses":"read"');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('runs the app when configured: endpoints, signed push and command to BullMQ, API on GHE_HOST over plain HTTP, SIGTERM', async () => {
    const redis = await startRedis();
    const privateKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const ghes = await fakeGhes();
    const prefix = redis.prefix.slice(0, -1);
    const connection = new Redis(redis.url);
    const queues = createQueues({ connection, prefix });
    let oversized: number | undefined;
    const { url, child, output } = await launch({
      APP_ID: '123',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      REDIS_URL: redis.url,
      DOCKHAND_QUEUE_PREFIX: prefix,
      GHE_HOST: ghes.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'trace',
    });
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await eventually(async () => (await fetch(`${url}/readyz`)).status)).toBe(200);
      const repository = {
        full_name: 'acme/web',
        name: 'web',
        default_branch: 'main',
        owner: { login: 'acme' },
      };
      const push = await deliver(url, 'push', {
        ref: 'refs/heads/main',
        installation: { id: 7 },
        repository,
        sender: { login: 'alice', type: 'User' },
        commits: [{ added: ['Dockerfile'], modified: [], removed: [] }],
      });
      expect(push.status).toBe(200);
      const waiting = await queues.repo.getWaiting();
      expect(waiting.map((job) => job.data)).toEqual([
        { installationId: 7, repository: 'acme/web', reason: 'push' },
      ]);
      // A comment command: its permission check is the app's one GitHub API call, over plain HTTP to GHE_HOST.
      const command = await deliver(url, 'issue_comment', {
        action: 'created',
        installation: { id: 7 },
        repository,
        issue: { number: 12, pull_request: {}, user: { login: 'dockhand[bot]', type: 'Bot' } },
        comment: { body: '@dockhand rebase', author_association: 'MEMBER' },
        sender: { login: 'alice', type: 'User' },
      });
      expect(command.status).toBe(200);
      expect(ghes.requests).toContain('GET /api/v3/repos/acme/web/collaborators/alice/permission');
      // A forged delivery: 400, and its body and headers reach no log line (main.ts gives probot the
      // server's logger); a body declared over GitHub's 25 MB cap: 413 before it is sent.
      const forged = await fetch(`${url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
          'x-request-id': FORGED_MARKER,
        },
        body: JSON.stringify({ installation: { id: 7 }, note: FORGED_MARKER }),
      });
      expect(forged.status).toBe(400);
      oversized = await postHead(url, 26 * 1024 * 1024);
      // REDIS_URL is for the queues only: probot would otherwise cluster its request throttling through
      // Bottleneck on the same server, under keys outside DOCKHAND_QUEUE_PREFIX.
      expect(await connection.keys('b_*')).toEqual([]);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('dockhand_webhooks_total{event="push",outcome="enqueued"} 1');
      expect(metrics).toContain('dockhand_webhooks_total{event="issue_comment",outcome="enqueued"} 1');
      expect(metrics).toContain('dockhand_queue_jobs{queue="repo",state="waiting"} 1');
      expect(metrics).toContain('process_cpu_user_seconds_total');
    } finally {
      expect(await stop(child)).toBe(0);
      await queues.close();
      connection.disconnect();
      await redis.stop();
      await ghes.close();
    }
    expect(output()).toContain('enqueued');
    expect(output()).not.toContain('PRIVATE KEY');
    expect(output()).not.toContain(INSTALLATION_TOKEN);
    expect(output()).not.toContain(SECRET);
    expect(output()).not.toContain(FORGED_MARKER);
    expect(output()).not.toContain('0'.repeat(64));
    expect(output()).toContain('webhook rejected: bad-signature');
    expect(oversized).toBe(413);
  });
});

describe('npm start with a Redis topology it cannot use', () => {
  it('exits 2 before listening and names what to set', async () => {
    const child = spawn(process.execPath, ['dist/app/main.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NO_SMEE_SETUP: 'true',
        DOCKHAND_REDIS_MODE: 'cluster',
        DOCKHAND_REDIS_NODES: '127.0.0.1:7000',
        DOCKHAND_QUEUE_PREFIX: 'dockhand',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(output).toContain('dockhand serve: DOCKHAND_QUEUE_PREFIX must carry a hash tag');
    expect(output).toContain('set DOCKHAND_QUEUE_PREFIX={dockhand}');
    expect(output).not.toContain('Listening on');
  });
});
