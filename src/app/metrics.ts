// What the webhook server exposes on /metrics. Its own registry, so tests and the worker process (which
// registers its own metrics) never collide in prom-client's global one.

import type { Queue } from 'bullmq';
import { Counter, Registry } from 'prom-client';
import { registerQueueDepth } from '../queue/metrics.js';

/** How a delivery ended: jobs enqueued, nothing to do, already seen, commenter refused, or failed. */
export type WebhookOutcome = 'enqueued' | 'ignored' | 'duplicate' | 'denied' | 'error';

export interface AppMetrics {
  registry: Registry;
  webhooks: Counter<'event' | 'outcome'>;
  jobsEnqueued: Counter<'queue' | 'reason'>;
}

/** `queues`: their depth (src/queue/metrics.ts) is read from Redis at each scrape, as workers report it. */
export function createAppMetrics(registry = new Registry(), queues: readonly Queue[] = []): AppMetrics {
  if (queues.length > 0) registerQueueDepth(registry, queues);
  return {
    registry,
    webhooks: new Counter({
      name: 'dockhand_webhooks_total',
      help: 'Webhook deliveries handled, by event and outcome.',
      labelNames: ['event', 'outcome'],
      registers: [registry],
    }),
    jobsEnqueued: new Counter({
      name: 'dockhand_webhook_jobs_enqueued_total',
      help: 'Jobs enqueued by webhook handlers, by queue and reason.',
      labelNames: ['queue', 'reason'],
      registers: [registry],
    }),
  };
}
