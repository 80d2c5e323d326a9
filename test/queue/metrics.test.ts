// Queue depth read from a real Redis at scrape time, and scrapes that still answer when it cannot be read.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthQueues, registerQueueDepth } from '../../src/queue/metrics.js';
import { createQueues, type DockhandQueues } from '../../src/queue/queues.js';
import { startQueueTestEnv, type QueueTestEnv } from './helpers.js';

let env: QueueTestEnv;
let queues: DockhandQueues;

beforeAll(async () => {
  env = await startQueueTestEnv();
  queues = createQueues({ connection: env.connection, prefix: env.prefix });
});

afterAll(async () => {
  await queues.close();
  await env.stop();
});

describe('queue depth', () => {
  it('counts each queue by state at every scrape', async () => {
    const registry = new Registry();
    registerQueueDepth(registry, [queues.crawl, queues.repo]);
    expect(await registry.metrics()).toContain('dockhand_queue_jobs{queue="repo",state="waiting"} 0');

    await queues.repo.add('repo', { installationId: 1, repository: 'acme/a', reason: 'push' });
    await queues.repo.add(
      'repo',
      { installationId: 1, repository: 'acme/b', reason: 'push' },
      { delay: 60_000 },
    );
    await queues.crawl.add('crawl', { installationId: 1, reason: 'manual' });

    const text = await registry.metrics();
    expect(text).toContain('dockhand_queue_jobs{queue="repo",state="waiting"} 1');
    expect(text).toContain('dockhand_queue_jobs{queue="repo",state="delayed"} 1');
    expect(text).toContain('dockhand_queue_jobs{queue="repo",state="active"} 0');
    expect(text).toContain('dockhand_queue_jobs{queue="crawl",state="waiting"} 1');
    expect(text).toContain('dockhand_queue_depth_read_errors_total 0');
  });

  it('exports every queue of the app, the nightly report rollups included', async () => {
    expect(depthQueues(queues).map((queue) => queue.name)).toEqual(['crawl', 'repo', 'report']);
    const registry = new Registry();
    registerQueueDepth(registry, depthQueues(queues));
    expect(await registry.metrics()).toContain('dockhand_queue_jobs{queue="report",state="waiting"} 0');
    await queues.report.add('report', { installationId: 1, reason: 'rollup' });
    const text = await registry.metrics();
    expect(text).toContain('dockhand_queue_jobs{queue="report",state="waiting"} 1');
    expect(text).toContain('dockhand_queue_jobs{queue="report",state="failed"} 0');
  });

  it('leaves the gauge empty and counts the failure when Redis cannot be reached', async () => {
    const unreachable = new Redis(1, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
    unreachable.on('error', () => undefined);
    const queue = new Queue('repo', { connection: unreachable, prefix: env.prefix });
    queue.on('error', () => undefined);
    try {
      const registry = new Registry();
      registerQueueDepth(registry, [queue]);
      const first = await registry.metrics();
      expect(first).not.toMatch(/^dockhand_queue_jobs\{/m);
      expect(first).toContain('dockhand_queue_depth_read_errors_total 1');
      expect(await registry.metrics()).toContain('dockhand_queue_depth_read_errors_total 2');
    } finally {
      await queue.close().catch(() => undefined);
      unreachable.disconnect();
    }
  });

  it('gives up after the timeout on a server that never answers, so a scrape does not hang', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const connection = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const queue = new Queue('repo', { connection, prefix: env.prefix });
    queue.on('error', () => undefined);
    try {
      const registry = new Registry();
      registerQueueDepth(registry, [queue], { timeoutMs: 100 });
      const text = await registry.metrics();
      expect(text).not.toMatch(/^dockhand_queue_jobs\{/m);
      expect(text).toContain('dockhand_queue_depth_read_errors_total 1');
    } finally {
      // Not queue.close(): it would wait for the connection to become ready.
      connection.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
