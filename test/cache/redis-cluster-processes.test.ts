// The registry cache's cross-process singleflight on a real Redis Cluster, between real OS processes: two
// Dockhand processes (test/support/redis-client.js on dist/, each configured from the environment as a
// worker is, seeded with a node that does not serve the prefix's slot) each start 10 lookups of one image
// key at once, loading from a local HTTP "registry" that counts requests and answers only once the other
// process is waiting on the lease. One registry request in all; every lookup gets its value.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../queue/helpers.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';

const CLIENT = fileURLToPath(new URL('../support/redis-client.js', import.meta.url));
const PASSWORD = 'cluster-pass-never-logged';
const prefix = `{dockhand-${randomBytes(4).toString('hex')}}`;
const key = 'digest:docker.io:library/node:20';
const body = { digest: 'sha256:0123abcd' };

let cluster: TestRedisCluster;
let registry: Server;
let registryUrl: string;
const requests: string[] = [];
const held: ServerResponse[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster({ password: PASSWORD });
  registry = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    held.push(response);
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/v2/library/node/manifests/20`;
}, 60_000);

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  registry?.closeAllConnections();
  await new Promise((resolve) => registry?.close(resolve));
  await cluster?.stop();
});

interface Worker {
  child: ChildProcessWithoutNullStreams;
  /** Parsed stdout lines so far. */
  lines: Record<string, unknown>[];
  output(): string;
  exited: Promise<number | null>;
}

async function workerProcess(): Promise<Worker> {
  const child = spawn(process.execPath, [CLIENT, 'singleflight', registryUrl, key], {
    env: {
      PATH: process.env.PATH ?? '',
      DOCKHAND_REDIS_MODE: 'cluster',
      DOCKHAND_REDIS_NODES: cluster.seeds([await cluster.notOwner(prefix)]),
      REDIS_PASSWORD: PASSWORD,
      DOCKHAND_QUEUE_PREFIX: prefix,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  let text = '';
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    text += `${line}\n`;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // Kept in the output for the assertion messages.
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, lines, output: () => text, exited };
}

const said = (worker: Worker, field: string) => worker.lines.find((line) => field in line);

describe('RedisCache leases on a Redis Cluster, between OS processes', () => {
  it('two processes × 10 lookups of one image key: one registry request, one value for all', async () => {
    const workers = [await workerProcess(), await workerProcess()];
    for (const worker of workers)
      await until(() => said(worker, 'ready') ?? said(worker, 'error'), 'a process to connect', 15_000);
    for (const worker of workers) expect(said(worker, 'ready'), worker.output()).toBeDefined();

    // Both at once: each process starts its 10 lookups on the same line.
    for (const worker of workers) worker.child.stdin.write('go\n');
    await until(() => workers.every((worker) => said(worker, 'started')), 'both processes to start');
    await until(() => requests.length === 1, 'the registry request');
    // The loader holds the lease, beside the values on the primary of the prefix's slot.
    const owner = cluster.node(await cluster.owner(prefix));
    expect(await owner.keys(`${prefix}:cache:lock:*`)).toEqual([`${prefix}:cache:lock:${key}`]);
    // Long enough for the other process to find the lease taken and poll the cache a few times.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(requests).toHaveLength(1);
    held[0]!.setHeader('content-type', 'application/json').end(JSON.stringify(body));

    const codes = await Promise.all(workers.map((worker) => worker.exited));
    const results = workers.map((worker) => said(worker, 'values') as Record<string, unknown> | undefined);
    for (const [n, worker] of workers.entries()) {
      expect(codes[n], worker.output()).toBe(0);
      expect(results[n]?.values, worker.output()).toEqual(Array.from({ length: 10 }, () => body));
      expect(results[n]?.errors).toEqual([]);
    }
    expect(requests).toEqual(['GET /v2/library/node/manifests/20']);
    // One process loaded once; the other loaded never, and waited on the cache (read misses while polling).
    const loads = results.map((result) => result!.loads);
    expect(loads.sort()).toEqual([0, 1]);
    const waiter = results.find((result) => result!.loads === 0)!;
    expect((waiter.stats as { misses: number }).misses).toBeGreaterThanOrEqual(2);
    expect((waiter.stats as { hits: number }).hits).toBe(1);
    expect(await owner.keys(`${prefix}:cache:*`)).toEqual([`${prefix}:cache:${key}`]);
    expect(workers.map((worker) => worker.output()).join('')).not.toContain(PASSWORD);
  });
});
