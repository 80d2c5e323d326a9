// Queue depth for Prometheus, shared by the webhook server's and the workers' /metrics: read from Redis at
// scrape time, so every process reports the same numbers and none has to keep them current.
import type { Queue } from 'bullmq';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DockhandQueues } from './queues.js';

/** Job states whose counts are exported per queue. */
export const QUEUE_DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

const READ_TIMEOUT_MS = 2_000;

export interface QueueDepthOptions {
  /**
   * Upper bound for reading the counts. BullMQ waits without limit on a connection that was never ready
   * (Redis down at startup), and a scrape must not hang with it. Default 2 s.
   */
  timeoutMs?: number;
}

/**
 * The queues whose depth /metrics exports, the same in the webhook server and the workers: every queue,
 * the nightly `report` rollups included (a backlog there means stale dashboards).
 */
export function depthQueues(queues: Pick<DockhandQueues, 'crawl' | 'repo' | 'report'>): Queue[] {
  return [queues.crawl, queues.repo, queues.report];
}

/**
 * Registers `dockhand_queue_jobs{queue,state}` and `dockhand_queue_depth_read_errors_total`. A failed read
 * leaves the gauge empty for that scrape (no stale numbers) and counts the failure; the rest of /metrics
 * is still served.
 */
export function registerQueueDepth(
  registry: Registry,
  queues: readonly Queue[],
  options: QueueDepthOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? READ_TIMEOUT_MS;
  // The registry collects its metrics concurrently: the error counter waits for the scrape's read, so that
  // a failure shows in the same scrape.
  let reading: Promise<void> | undefined;
  const readErrors = new Counter({
    name: 'dockhand_queue_depth_read_errors_total',
    help: 'Scrapes whose queue depth could not be read from Redis (dockhand_queue_jobs is left empty then).',
    registers: [],
    async collect() {
      await reading;
    },
  });
  const depth = new Gauge({
    name: 'dockhand_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed), read from Redis at scrape time.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      reading = read();
      await reading;
    },
  });
  registry.registerMetric(readErrors);

  /** Never rejects: a failure empties the gauge and is counted. */
  async function read(): Promise<void> {
    depth.reset();
    let counts: Record<string, number>[];
    try {
      counts = await withTimeout(
        Promise.all(queues.map((queue) => queue.getJobCounts(...QUEUE_DEPTH_STATES))),
        timeoutMs,
      );
    } catch {
      readErrors.inc();
      return;
    }
    queues.forEach((queue, index) => {
      for (const state of QUEUE_DEPTH_STATES)
        depth.set({ queue: queue.name, state }, counts[index]![state] ?? 0);
    });
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
