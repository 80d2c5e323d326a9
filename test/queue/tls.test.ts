// Dockhand over TLS against real servers: Debian's redis-server speaking only TLS (`--port 0
// --tls-port`), with a certificate from a throwaway CA (test/support/redis-tls.ts). The client is a
// process of its own (test/support/redis-client.js, on dist/) configured as an operator configures the app
// and the workers: DOCKHAND_REDIS_TLS=true (or a rediss:// URL) and the private CA in NODE_EXTRA_CA_CERTS.
// Through the connection factory it adds a repository job that a worker runs, and uses the registry
// cache: on a standalone server with a password, on a 3-master Cluster whose bus is TLS too
// (`--tls-cluster yes`) seeded with a node that does not serve the prefix's slot, and through Sentinel
// (`tls-replication yes`). Without the CA the certificate is refused and the error says so. Without TLS
// an enqueue fails within its bound (no hang, no job claimed to be taken) and the error names the server;
// what it says is what ioredis sees (a reset, a closed connection), not that the server wants TLS.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProducerConnection,
  queueSettingsFromEnv,
  type RedisClient,
} from '../../src/queue/connection.js';
import { BullEnqueuer, createQueues } from '../../src/queue/queues.js';
import type { RepoJobData } from '../../src/queue/types.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { startRedisSentinel, type TestRedisSentinel } from '../support/redis-sentinel.js';
import { makeTlsFiles, startTlsRedis, type TestTlsRedis, type TlsFiles } from '../support/redis-tls.js';

const TLS_HINT = ' (if the server expects TLS, set DOCKHAND_REDIS_TLS=true or use rediss://)';

const CLIENT = fileURLToPath(new URL('../support/redis-client.js', import.meta.url));
const PASSWORD = 'tls-pass-never-logged';
const job: RepoJobData = { installationId: 7, repository: 'acme/api', reason: 'push' };
const value = { digest: 'sha256:1' };

let files: TlsFiles;

beforeAll(async () => {
  files = await makeTlsFiles();
}, 30_000);

afterAll(async () => {
  await files?.remove();
});

interface ClientRun {
  code: number | null;
  result: Record<string, unknown>;
  output: string;
}

/** Runs test/support/redis-client.js round-trip with only `env` (and PATH): nothing of this process leaks in. */
function roundTrip(env: Record<string, string>, timeoutMs = 20_000): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLIENT, 'round-trip'], {
      env: { PATH: process.env.PATH ?? '', DOCKHAND_TEST_CLIENT_TIMEOUT_MS: String(timeoutMs), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let result: Record<string, unknown> = {};
      try {
        result = JSON.parse(last) as Record<string, unknown>;
      } catch {
        // Reported through `output` by the assertions.
      }
      resolve({ code, result, output: `${stdout}${stderr}` });
    });
  });
}

/** What a round trip through the factory must have done. */
function expectRoundTrip(run: ClientRun): void {
  expect(run.result, run.output).toEqual({
    ran: [job],
    completed: 1,
    loads: 1,
    values: Array.from({ length: 5 }, () => value),
    stored: value,
    errors: [],
  });
  expect(run.code).toBe(0);
  expect(run.output).not.toContain(PASSWORD);
}

/**
 * A producer connection from the factory, without TLS, to a port that speaks only TLS: the enqueue fails
 * (within the producer's bounds, not hanging) and the connection's error listener says what went wrong.
 */
async function plainEnqueueFails(env: Record<string, string>): Promise<{ error: Error; reported: string[] }> {
  const reported: string[] = [];
  const { redis, prefix } = queueSettingsFromEnv(env);
  const connection: RedisClient = createProducerConnection(redis, (message) => reported.push(message));
  const queues = createQueues({ connection, prefix });
  try {
    const started = Date.now();
    const error = await new BullEnqueuer(queues, { timeoutMs: 5_000 }).enqueueRepo(job).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(10_000);
    return { error: error!, reported };
  } finally {
    await queues.close().catch(() => undefined);
    connection.disconnect();
  }
}

describe('a standalone Redis speaking only TLS, with a password', () => {
  let server: TestTlsRedis;
  beforeAll(async () => {
    server = await startTlsRedis(files, PASSWORD);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('DOCKHAND_REDIS_TLS=true and the CA in NODE_EXTRA_CA_CERTS: a job round trip and the cache', async () => {
    expectRoundTrip(
      await roundTrip({
        NODE_EXTRA_CA_CERTS: files.caFile,
        REDIS_URL: `redis://127.0.0.1:${server.port}`,
        REDIS_PASSWORD: PASSWORD,
        DOCKHAND_REDIS_TLS: 'true',
        DOCKHAND_QUEUE_PREFIX: `dockhand-${randomBytes(4).toString('hex')}`,
      }),
    );
  });

  it('a rediss:// URL carrying the password does the same', async () => {
    expectRoundTrip(
      await roundTrip({
        NODE_EXTRA_CA_CERTS: files.caFile,
        REDIS_URL: `rediss://:${PASSWORD}@127.0.0.1:${server.port}`,
        DOCKHAND_QUEUE_PREFIX: `dockhand-${randomBytes(4).toString('hex')}`,
      }),
    );
  });

  it('without the CA the certificate is refused, and the error says so', async () => {
    const run = await roundTrip(
      {
        REDIS_URL: `redis://127.0.0.1:${server.port}`,
        REDIS_PASSWORD: PASSWORD,
        DOCKHAND_REDIS_TLS: 'true',
      },
      3_000,
    );
    expect(run.code).toBe(1);
    expect((run.result.errors as string[]).join('\n'), run.output).toMatch(
      /self[- ]signed certificate in certificate chain/,
    );
    expect(run.output).not.toContain(PASSWORD);
  });

  it('plain TCP to the TLS port: the enqueue fails in time and the server is named, resetting', async () => {
    const { error, reported } = await plainEnqueueFails({
      REDIS_URL: `redis://127.0.0.1:${server.port}`,
      REDIS_PASSWORD: PASSWORD,
    });
    expect(error.message).toMatch(/^Redis did not accept the job within 5000 ms$/);
    // redis-server drops a connection whose first bytes are no TLS handshake.
    expect(reported[0]).toMatch(
      new RegExp(
        `^redis redis://127\\.0\\.0\\.1:${server.port}/?: (read|write) ECONNRESET${TLS_HINT.replace(/[().]/g, '\\$&')}$`,
      ),
    );
    expect(reported.join('\n')).not.toContain(PASSWORD);
  });
});

describe('a 3-master Redis Cluster speaking only TLS (clients and bus), with a password', () => {
  const prefix = `{dockhand-${randomBytes(4).toString('hex')}}`;
  let cluster: TestRedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ password: PASSWORD, tls: files });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('the factory’s Cluster client, seeded off the slot’s owner: a job round trip and the cache', async () => {
    const seed = await cluster.notOwner(prefix);
    expectRoundTrip(
      await roundTrip({
        NODE_EXTRA_CA_CERTS: files.caFile,
        DOCKHAND_REDIS_MODE: 'cluster',
        DOCKHAND_REDIS_NODES: cluster.seeds([seed]),
        REDIS_PASSWORD: PASSWORD,
        DOCKHAND_REDIS_TLS: 'true',
        DOCKHAND_QUEUE_PREFIX: prefix,
      }),
    );
    // Followed the redirect, over TLS, to the primary of the prefix's slot: everything is there.
    const owner = cluster.node(await cluster.owner(prefix));
    expect(await owner.keys(`${prefix}:cache:*`)).toEqual([
      `${prefix}:cache:digest:docker.io/library/node:20`,
    ]);
    expect((await owner.keys(`${prefix}:repo:*`)).length).toBeGreaterThan(0);
    expect(await cluster.node(seed).keys(`${prefix}*`)).toEqual([]);
  });

  it('plain TCP to a TLS seed: the enqueue fails in time and the seed is named, resetting', async () => {
    const { error, reported } = await plainEnqueueFails({
      DOCKHAND_REDIS_MODE: 'cluster',
      DOCKHAND_REDIS_NODES: cluster.seeds([cluster.nodes[0]!]),
      REDIS_PASSWORD: PASSWORD,
      DOCKHAND_QUEUE_PREFIX: prefix,
    });
    expect(error.message).toMatch(/^Redis did not accept the job within 5000 ms$/);
    expect(reported[0]).toBe(
      `redis cluster ${cluster.seeds([cluster.nodes[0]!])}: Failed to refresh slots cache.${TLS_HINT}`,
    );
    expect(reported.join('\n')).not.toContain(PASSWORD);
  });
});

describe('Redis Sentinel speaking only TLS (sentinels, primary, replica), with passwords', () => {
  let sentinel: TestRedisSentinel;
  beforeAll(async () => {
    sentinel = await startRedisSentinel({
      password: PASSWORD,
      sentinelPassword: `${PASSWORD}-s`,
      tls: files,
    });
  }, 60_000);
  afterAll(async () => {
    await sentinel?.stop();
  });

  it('the factory’s Sentinel client: a job round trip and the cache on the primary', async () => {
    const prefix = `dockhand-${randomBytes(4).toString('hex')}`;
    expectRoundTrip(
      await roundTrip({
        NODE_EXTRA_CA_CERTS: files.caFile,
        DOCKHAND_REDIS_MODE: 'sentinel',
        DOCKHAND_REDIS_SENTINELS: sentinel.sentinelList,
        DOCKHAND_REDIS_MASTER_NAME: sentinel.masterName,
        DOCKHAND_REDIS_SENTINEL_PASSWORD: `${PASSWORD}-s`,
        REDIS_PASSWORD: PASSWORD,
        DOCKHAND_REDIS_TLS: 'true',
        DOCKHAND_QUEUE_PREFIX: prefix,
      }),
    );
    const primary = sentinel.node(await sentinel.primary());
    expect(await primary.keys(`${prefix}:cache:*`)).toEqual([
      `${prefix}:cache:digest:docker.io/library/node:20`,
    ]);
  });

  it('plain TCP to the TLS sentinels: the enqueue fails in time and the sentinels are named', async () => {
    const { error, reported } = await plainEnqueueFails({
      DOCKHAND_REDIS_MODE: 'sentinel',
      DOCKHAND_REDIS_SENTINELS: sentinel.sentinelList,
      DOCKHAND_REDIS_MASTER_NAME: sentinel.masterName,
      DOCKHAND_REDIS_SENTINEL_PASSWORD: `${PASSWORD}-s`,
      REDIS_PASSWORD: PASSWORD,
      DOCKHAND_QUEUE_PREFIX: `dockhand-${randomBytes(4).toString('hex')}`,
    });
    expect(error.message).toMatch(/^Redis did not accept the job within 5000 ms$/);
    expect(reported[0]).toBe(
      `redis sentinel primary ${sentinel.masterName} via ${sentinel.sentinelList}: All sentinels are ` +
        `unreachable. Retrying from scratch after 10ms. Last error: Connection is closed.${TLS_HINT}`,
    );
    expect(reported.join('\n')).not.toContain(PASSWORD);
  });
});
