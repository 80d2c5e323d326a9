// The queues and the Enqueuer webhook handlers use. Deduplication lives here so that every producer
// (webhooks, crawls, schedulers) gets the same guarantees.

import { Queue, type JobsOptions } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { postCommand } from './commands.js';
import type { ErrorListener } from './connection.js';
import type { CrawlJobData, Enqueuer, RepoJobData, ReportJobData } from './types.js';

export const QUEUE_NAMES = { crawl: 'crawl', repo: 'repo', report: 'report' } as const;

/** Shared by every job: retried with jittered exponential backoff (30 s, 60 s, 2 min… ±50 %), bounded history. */
export const BASE_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 30_000, jitter: 0.5 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
} satisfies JobsOptions;

export interface DockhandQueues {
  crawl: Queue<CrawlJobData>;
  repo: Queue<RepoJobData>;
  report: Queue<ReportJobData>;
  /** The queues' connection and prefix, for the keys kept beside them (the command inbox). */
  connection: Redis | Cluster;
  prefix: string;
  close(): Promise<void>;
}

export interface QueuesOptions {
  /** Shared by the three queues and left open by `close()`: the caller owns it. */
  connection: Redis | Cluster;
  prefix: string;
  /** Overrides BASE_JOB_OPTIONS (tests use short backoffs). */
  jobOptions?: JobsOptions;
  /** Queue errors (Redis unreachable…); without a listener BullMQ prints them to the console. */
  onError?: ErrorListener;
}

export function createQueues({ connection, prefix, jobOptions, onError }: QueuesOptions): DockhandQueues {
  const defaultJobOptions = { ...BASE_JOB_OPTIONS, ...jobOptions };
  const options = { connection, prefix, defaultJobOptions };
  const crawl = new Queue<CrawlJobData>(QUEUE_NAMES.crawl, options);
  const repo = new Queue<RepoJobData>(QUEUE_NAMES.repo, options);
  const report = new Queue<ReportJobData>(QUEUE_NAMES.report, options);
  for (const queue of [crawl, repo, report] as Queue[]) {
    queue.on('error', (error: Error) => onError?.(`queue ${queue.name}: ${error.message}`));
  }
  return {
    crawl,
    repo,
    report,
    connection,
    prefix,
    close: async () => {
      await Promise.all([crawl.close(), repo.close(), report.close()]);
    },
  };
}

/** Repository names are case-insensitive on GitHub: `Org/Repo` and `org/repo` are one job. */
export function repoDeduplicationId(installationId: number, repository: string): string {
  return `repo-${installationId}-${repository.toLowerCase()}`;
}

/**
 * A pull request's check run: its own dedup per PR, so it neither absorbs nor is absorbed by the
 * repository's main job (they do different work).
 */
export function pullRequestDeduplicationId(
  installationId: number,
  repository: string,
  number: number,
): string {
  return `pr-${installationId}-${repository.toLowerCase()}-${number}`;
}

export function crawlDeduplicationId(installationId: number): string {
  return `crawl-${installationId}`;
}

/** Redis unreachable (or not yet reached at startup) while a producer adds a job. */
export class EnqueueTimeoutError extends Error {
  override readonly name = 'EnqueueTimeoutError';
}

export interface EnqueuerOptions {
  /**
   * Upper bound for one add. A producer connection fails at once while Redis is down, but BullMQ waits
   * without limit for a connection that was never ready (Redis down at startup); webhook handlers must
   * answer instead. Default 5 s.
   */
  timeoutMs?: number;
}

export class BullEnqueuer implements Enqueuer {
  private readonly timeoutMs: number;

  constructor(
    private readonly queues: Pick<DockhandQueues, 'crawl' | 'repo' | 'connection' | 'prefix'>,
    options: EnqueuerOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /**
   * At most one job waits and one runs per repository (per pull request for `pull-request` jobs): an add while a job waits is dropped (the waiting
   * job will see the newest repository state anyway); an add while one runs is kept, newest data
   * winning, and queued when the running job finishes, so a push during a run is never missed.
   */
  async enqueueRepo(data: RepoJobData): Promise<void> {
    const id =
      data.reason === 'pull-request' && data.number !== undefined
        ? pullRequestDeduplicationId(data.installationId, data.repository, data.number)
        : repoDeduplicationId(data.installationId, data.repository);
    // Into the inbox first: if the add below is absorbed by a waiting job, that job still sees it.
    if (data.reason === 'command')
      await this.bounded(postCommand(this.queues.connection, this.queues.prefix, data));
    await this.bounded(
      this.queues.repo.add(QUEUE_NAMES.repo, data, { deduplication: { id, keepLastIfActive: true } }),
    );
  }

  /** A crawl already waiting or running for the installation absorbs this one. */
  async enqueueCrawl(data: CrawlJobData): Promise<void> {
    await this.bounded(
      this.queues.crawl.add(QUEUE_NAMES.crawl, data, {
        deduplication: { id: crawlDeduplicationId(data.installationId) },
      }),
    );
  }

  private async bounded(add: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new EnqueueTimeoutError(`Redis did not accept the job within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([add, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
