// What a worker process measures, on a registry the caller owns (the worker's own /metrics, or a test's).
import type { Queue } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';
import { registerQueueDepth } from '../queue/metrics.js';

export interface WorkerMetrics {
  jobDuration: Histogram<'queue' | 'outcome'>;
  githubRequests: Counter<'kind'>;
  pullRequestsOpened: Counter;
  registryRequests: Counter;
  reposEnqueued: Counter<'reason'>;
}

/** `queues`: their depth is read from Redis at each scrape (every worker sees the same numbers). */
export function createWorkerMetrics(registry: Registry, queues: Queue[] = []): WorkerMetrics {
  const registers = [registry];
  if (queues.length > 0) registerQueueDepth(registry, queues);
  return {
    jobDuration: new Histogram({
      name: 'dockhand_job_duration_seconds',
      help: 'Time jobs took, by queue and outcome (ok, failed, skipped, error).',
      labelNames: ['queue', 'outcome'],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    githubRequests: new Counter({
      name: 'dockhand_github_requests_total',
      help: 'GitHub API requests sent by repository jobs; kind "not_modified" counts the 304s among them.',
      labelNames: ['kind'],
      registers,
    }),
    pullRequestsOpened: new Counter({
      name: 'dockhand_pull_requests_opened_total',
      help: 'Pull requests opened by repository jobs.',
      registers,
    }),
    registryRequests: new Counter({
      name: 'dockhand_registry_requests_total',
      help: 'Registry requests sent by repository jobs (cache misses).',
      registers,
    }),
    reposEnqueued: new Counter({
      name: 'dockhand_crawl_repositories_enqueued_total',
      help: 'Repository jobs enqueued by crawls, by reason.',
      labelNames: ['reason'],
      registers,
    }),
  };
}
