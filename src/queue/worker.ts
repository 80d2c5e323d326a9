// Workers for the crawl and repo queues. Processors see plain job data and throw classified errors;
// this module turns those into BullMQ's retry, fail-once, delay and rate-limit mechanics, applies the
// per-installation politeness, and shuts down gracefully.

import { DelayedError, Queue, UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Politeness } from './politeness.js';
import { QUEUE_NAMES } from './queues.js';
import type { CrawlJobData, RepoJobData, ReportJobData } from './types.js';

/** The job cannot succeed by retrying (repository gone, archived, no access): fail once with this reason. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export interface TransientJobErrorOptions {
  /** From `retry-after` (GitHub secondary limits, registry 429): wait this long without using an attempt. */
  retryAfterMs?: number;
  /**
   * Who waits for `retryAfterMs`: the whole queue (a registry limit hits every installation) or only
   * this installation (GitHub limits are per installation; needs a Politeness, else the queue waits).
   */
  scope?: 'queue' | 'installation';
  cause?: unknown;
}

/** Worth retrying: 5xx, timeouts, rate limits. Without `retryAfterMs` the job's exponential backoff applies. */
export class TransientJobError extends Error {
  override readonly name = 'TransientJobError';
  readonly retryAfterMs: number | undefined;
  readonly scope: 'queue' | 'installation';

  constructor(message: string, options: TransientJobErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
    this.scope = options.scope ?? 'queue';
  }
}

export interface JobContext {
  id: string;
  /** 1 on the first run; a stalled job's rerun may repeat a number. */
  attempt: number;
  /** Attempts the job has in all (BullMQ's `attempts`). */
  attempts: number;
}

export type JobProcessor<T> = (data: T, context: JobContext) => Promise<void>;

/** pino-compatible (probot's `app.log`). */
export interface WorkerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface StartWorkerOptions {
  /** ioredis with `maxRetriesPerRequest: null` (createWorkerConnection); the caller closes it. */
  connection: Redis | Cluster;
  prefix: string;
  /** Repo jobs run at once in this process. */
  concurrency?: number;
  /** Crawl jobs run at once in this process (a crawl only lists repositories and enqueues). */
  crawlConcurrency?: number;
  processors: {
    crawl: JobProcessor<CrawlJobData>;
    repo: JobProcessor<RepoJobData>;
    /** The nightly rollups; without it no worker takes `report` jobs. */
    report?: JobProcessor<ReportJobData>;
  };
  /** Caps each installation's running jobs across all workers. */
  politeness?: Politeness;
  /** How long a job waits when its installation has no free slot. */
  busyRetryMs?: number;
  /**
   * Stall detection (tests shorten it); BullMQ defaults: 30 s, 30 s, 1. Give every worker of a
   * deployment the same values: one worker's stall check also holds off the others' for its interval.
   */
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
  logger?: WorkerLogger;
}

export interface DockhandWorker {
  crawl: Worker<CrawlJobData>;
  repo: Worker<RepoJobData>;
  report?: Worker<ReportJobData>;
  waitUntilReady(): Promise<void>;
  /** Stops taking jobs and waits for the active ones to finish. */
  close(): Promise<void>;
}

const DEFAULT_BUSY_RETRY_MS = 5_000;
// A queue-wide pause (queue.rateLimit) is only honoured by workers that have a limiter; this one is
// high enough never to limit on its own.
const MANUAL_LIMITER = { max: 100_000, duration: 1_000 };

export function startWorker(options: StartWorkerOptions): DockhandWorker {
  const { connection, prefix, logger } = options;
  const base: WorkerOptions = {
    connection,
    prefix,
    limiter: MANUAL_LIMITER,
    ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
    ...(options.maxStalledCount !== undefined ? { maxStalledCount: options.maxStalledCount } : {}),
  };
  // Queue handles only for queue.rateLimit; they share the worker connection.
  const crawlQueue = new Queue(QUEUE_NAMES.crawl, { connection, prefix });
  const repoQueue = new Queue(QUEUE_NAMES.repo, { connection, prefix });
  const crawl = new Worker<CrawlJobData>(
    QUEUE_NAMES.crawl,
    wrap(options.processors.crawl, crawlQueue, options),
    { ...base, concurrency: options.crawlConcurrency ?? 1 },
  );
  const repo = new Worker<RepoJobData>(QUEUE_NAMES.repo, wrap(options.processors.repo, repoQueue, options), {
    ...base,
    concurrency: options.concurrency ?? 4,
  });
  // Rollups read only Redis: no politeness slot (that is for GitHub), one at a time per process.
  const reportQueue = options.processors.report
    ? new Queue(QUEUE_NAMES.report, { connection, prefix })
    : undefined;
  const report =
    options.processors.report && reportQueue
      ? new Worker<ReportJobData>(
          QUEUE_NAMES.report,
          wrap(options.processors.report, reportQueue, { ...options, politeness: undefined }),
          { ...base, concurrency: 1 },
        )
      : undefined;
  const queues = reportQueue ? [crawlQueue, repoQueue, reportQueue] : [crawlQueue, repoQueue];
  const workers = (report ? [crawl, repo, report] : [crawl, repo]) as Worker[];
  for (const queue of queues) {
    queue.on('error', (error: Error) =>
      logger?.error({ queue: queue.name }, `${queue.name} queue: ${error.message}`),
    );
  }
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      logger?.[final ? 'error' : 'warn'](
        { queue: worker.name, jobId: job.id, attempt: job.attemptsMade, data: job.data },
        `${worker.name} job ${final ? 'failed' : 'will be retried'}: ${error.message}`,
      );
    });
    // Connection errors arrive here too; their text carries no credentials (see connection.ts).
    worker.on('error', (error) =>
      logger?.error({ queue: worker.name }, `${worker.name} worker: ${error.message}`),
    );
  }
  return {
    crawl,
    repo,
    ...(report && { report }),
    waitUntilReady: async () => {
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    },
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}

function wrap<T extends { installationId: number }>(
  processor: JobProcessor<T>,
  queue: Queue,
  options: StartWorkerOptions,
): (job: Job<T>, token?: string) => Promise<void> {
  const { politeness } = options;
  return async (job, token) => {
    let release: (() => Promise<void>) | undefined;
    if (politeness) {
      const slot = await politeness.tryAcquire(job.data.installationId);
      if (!slot.acquired) {
        // Waiting in the processor would hold a worker slot other installations could use. Busy
        // retries are jittered so that an installation's many delayed jobs do not return together.
        const busy = (options.busyRetryMs ?? DEFAULT_BUSY_RETRY_MS) * (0.5 + Math.random());
        await job.moveToDelayed(Date.now() + (slot.retryInMs ?? busy), token);
        throw new DelayedError();
      }
      release = () => slot.lease.release();
    }
    try {
      await processor(job.data, {
        id: job.id ?? '',
        attempt: job.attemptsMade + 1,
        attempts: job.opts.attempts ?? 1,
      });
    } catch (error) {
      throw await classify(error, job, token, queue, politeness);
    } finally {
      await release?.();
    }
  };
}

/** Maps a processor's error onto BullMQ's mechanics; messages are redacted before BullMQ stores them. */
async function classify(
  error: unknown,
  job: Job<{ installationId: number }>,
  token: string | undefined,
  queue: Queue,
  politeness: Politeness | undefined,
): Promise<Error> {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  if (error instanceof PermanentJobError) return new UnrecoverableError(message);
  if (error instanceof TransientJobError && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
    if (error.scope === 'installation' && politeness) {
      await politeness.pause(job.data.installationId, error.retryAfterMs);
      await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
      return new DelayedError(message);
    }
    // Moves the job back to wait without using an attempt; every worker of the queue holds off.
    await queue.rateLimit(error.retryAfterMs);
    return Worker.RateLimitError();
  }
  const retry = new Error(message);
  retry.name = error instanceof Error ? error.name : 'Error';
  return retry;
}

// GitHub tokens (ghs_, ghp_, gho_, ghu_, ghr_, github_pat_), credentials in URLs and Authorization values.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(gh[opsur]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '***'],
  [/(\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1***@'],
  [/\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***'],
];

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce(
    (result, [pattern, replacement]) => result.replace(pattern, replacement),
    text,
  );
}

export interface SignalHandlerOptions {
  signals?: NodeJS.Signals[];
  /** Stands in for `process` in tests. */
  target?: Pick<NodeJS.Process, 'on' | 'removeListener'>;
  /** After the worker closed (close connections, then exit). */
  onClosed?: (error?: unknown) => void | Promise<void>;
  /** A second signal while closing: stop waiting. */
  onForce?: () => void;
}

/** SIGTERM/SIGINT: finish active jobs, then `onClosed`. Returns a function that removes the handlers. */
export function installSignalHandlers(
  worker: Pick<DockhandWorker, 'close'>,
  options: SignalHandlerOptions = {},
): () => void {
  const target = options.target ?? process;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onForce = options.onForce ?? (() => process.exit(1));
  let closing = false;
  const handler = (): void => {
    if (closing) {
      onForce();
      return;
    }
    closing = true;
    worker.close().then(
      () => options.onClosed?.(),
      (error: unknown) => options.onClosed?.(error),
    );
  };
  // Listening (not `once`) also keeps a second signal from killing us mid-close with the default action.
  for (const signal of signals) target.on(signal, handler);
  return () => {
    for (const signal of signals) target.removeListener(signal, handler);
  };
}
