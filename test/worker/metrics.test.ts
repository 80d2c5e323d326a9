import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullEnqueuer, createQueues, type DockhandQueues } from '../../src/queue/queues.js';
import { createWorkerMetrics } from '../../src/worker/metrics.js';
import { startQueueTestEnv, type QueueTestEnv } from '../queue/helpers.js';

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

describe('worker metrics', () => {
  it('exports queue depth read from Redis at scrape time, and the job counters', async () => {
    const registry = new Registry();
    const metrics = createWorkerMetrics(registry, [queues.crawl, queues.repo]);
    const enqueuer = new BullEnqueuer(queues);
    await enqueuer.enqueueRepo({ installationId: 1, repository: 'acme/a', reason: 'push' });
    await enqueuer.enqueueRepo({ installationId: 1, repository: 'acme/b', reason: 'push' });
    await enqueuer.enqueueCrawl({ installationId: 1, reason: 'manual' });
    metrics.pullRequestsOpened.inc(2);
    metrics.githubRequests.inc({ kind: 'sent' }, 14);

    const text = await registry.metrics();
    expect(text).toContain('dockhand_queue_jobs{queue="repo",state="waiting"} 2');
    expect(text).toContain('dockhand_queue_jobs{queue="crawl",state="waiting"} 1');
    expect(text).toContain('dockhand_queue_jobs{queue="repo",state="failed"} 0');
    expect(text).toContain('dockhand_pull_requests_opened_total 2');
    expect(text).toContain('dockhand_github_requests_total{kind="sent"} 14');
  });
});
