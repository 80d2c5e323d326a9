import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Politeness } from '../../src/queue/politeness.js';
import { createQueues, type DockhandQueues } from '../../src/queue/queues.js';
import type { RepoJobData } from '../../src/queue/types.js';
import {
  installSignalHandlers,
  PermanentJobError,
  redactSecrets,
  startWorker,
  TransientJobError,
  type JobProcessor,
  type StartWorkerOptions,
  type WorkerLogger,
  type DockhandWorker,
} from '../../src/queue/worker.js';
import { gate, startQueueTestEnv, until, type QueueTestEnv } from './helpers.js';

let env: QueueTestEnv;
let queues: DockhandQueues | undefined;
let worker: DockhandWorker | undefined;
let run = 0;

beforeAll(async () => {
  env = await startQueueTestEnv();
});

afterAll(async () => {
  await env.stop();
});

afterEach(async () => {
  await worker?.close();
  await queues?.close();
  worker = undefined;
  queues = undefined;
});

const data = (repository: string, installationId = 5): RepoJobData => ({
  installationId,
  repository,
  reason: 'push',
});
const noop = async () => {};

/** Fresh queues (short backoff) and a worker running `repo` under a prefix of their own. */
function start(repo: JobProcessor<RepoJobData>, options: Partial<StartWorkerOptions> = {}) {
  const prefix = `${env.prefix}:${++run}`;
  const q = createQueues({
    connection: env.connection,
    prefix,
    jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 10, jitter: 0.5 } },
  });
  queues = q;
  worker = startWorker({ connection: env.connection, prefix, processors: { crawl: noop, repo }, ...options });
  return { queues: q, worker, prefix };
}

async function finished(queues: DockhandQueues, id: string) {
  return until(async () => {
    const state = await queues.repo.getJobState(id);
    if (state !== 'completed' && state !== 'failed') return undefined;
    // Read after the state: a job read before it may predate the final attempt's bookkeeping.
    return { job: (await queues.repo.getJob(id))!, state };
  }, `job ${id} to finish`);
}

describe('startWorker', () => {
  it('retries transient and unknown errors with backoff, then succeeds', async () => {
    const attempts: number[] = [];
    const { queues } = start(async (_data, { attempt }) => {
      attempts.push(attempt);
      if (attempt === 1) throw new TransientJobError('GitHub answered 502');
      if (attempt === 2) throw new Error('socket hang up');
    });
    const job = await queues.repo.add('repo', data('acme/api'));
    const { state } = await finished(queues, job.id!);
    expect(state).toBe('completed');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('fails a permanent error once with its reason, without retrying', async () => {
    const logged: string[] = [];
    const logger: WorkerLogger = {
      info: () => {},
      warn: (_f, m) => logged.push(`warn ${m}`),
      error: (_f, m) => logged.push(`error ${m}`),
    };
    let calls = 0;
    const { queues } = start(
      async () => {
        calls++;
        throw new PermanentJobError('repository acme/gone not found (404)');
      },
      { logger },
    );
    const job = await queues.repo.add('repo', data('acme/gone'));
    const finishedJob = await finished(queues, job.id!);
    expect(finishedJob.state).toBe('failed');
    expect(finishedJob.job.failedReason).toBe('repository acme/gone not found (404)');
    expect(finishedJob.job.attemptsMade).toBe(1);
    expect(calls).toBe(1);
    await until(async () => logged.length > 0, 'the failure log');
    expect(logged).toEqual(['error repo job failed: repository acme/gone not found (404)']);
  });

  it('records the last reason once attempts are used up', async () => {
    const { queues } = start(async () => {
      throw new TransientJobError('registry answered 503');
    });
    const job = await queues.repo.add('repo', data('acme/api'));
    const { state, job: done } = await finished(queues, job.id!);
    expect(state).toBe('failed');
    expect(done.attemptsMade).toBe(3);
    expect(done.failedReason).toBe('registry answered 503');
  });

  it('never stores or logs a token from an error message', async () => {
    const token = 'ghs_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4';
    const logged: string[] = [];
    const logger: WorkerLogger = {
      info: () => {},
      warn: (_f, m) => logged.push(m),
      error: (_f, m) => logged.push(m),
    };
    const { queues } = start(
      async () => {
        throw new PermanentJobError(
          `git push https://x-access-token:${token}@github.com/acme/api.git failed`,
        );
      },
      { logger },
    );
    const job = await queues.repo.add('repo', data('acme/api'));
    const { job: done } = await finished(queues, job.id!);
    expect(done.failedReason).toBe('git push https://***@github.com/acme/api.git failed');
    await until(async () => logged.length > 0, 'the failure log');
    expect(logged.join('\n')).not.toContain(token);
    expect(redactSecrets(`Authorization: Bearer ${token}`)).toBe('Authorization: Bearer ***');
    expect(redactSecrets(`token github_pat_${'x'.repeat(30)}`)).not.toContain('x'.repeat(30));
  });

  it('pauses the whole queue on retry-after, on every worker, without using an attempt', async () => {
    const attempts: string[] = [];
    const processor: JobProcessor<RepoJobData> = async ({ repository }, { attempt }) => {
      attempts.push(`${repository}#${attempt}`);
      if (attempts.length === 1) throw new TransientJobError('Docker Hub 429', { retryAfterMs: 800 });
    };
    const { queues, prefix } = start(processor);
    // A second worker process stand-in: it never saw the error, so only Redis can hold it back.
    const other = startWorker({
      connection: env.connection,
      prefix,
      processors: { crawl: noop, repo: processor },
    });
    try {
      const first = await queues.repo.add('repo', data('acme/api'));
      await until(async () => (await queues.repo.getRateLimitTtl(Number.MAX_SAFE_INTEGER)) > 0, 'the pause');
      const second = await queues.repo.add('repo', data('acme/web'));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const startedDuringPause = [...attempts];
      // Read after the check above: if the pause still holds now, it held during the whole check.
      expect(await queues.repo.getRateLimitTtl()).toBeGreaterThan(0);
      expect(startedDuringPause).toEqual(['acme/api#1']);
      expect((await finished(queues, first.id!)).state).toBe('completed');
      expect((await finished(queues, second.id!)).state).toBe('completed');
      expect(attempts.sort()).toEqual(['acme/api#1', 'acme/api#1', 'acme/web#1']);
    } finally {
      await other.close();
    }
  });

  it('pauses only the installation when asked to, delaying the job without using an attempt', async () => {
    const politeness = new Politeness({
      redis: env.connection,
      prefix: `${env.prefix}:politeness-${run + 1}`,
    });
    const attempts: number[] = [];
    const { queues } = start(
      async (_data, { attempt }) => {
        attempts.push(attempt);
        if (attempts.length === 1)
          throw new TransientJobError('secondary rate limit', { retryAfterMs: 400, scope: 'installation' });
      },
      { politeness },
    );
    const job = await queues.repo.add('repo', data('acme/api', 9));
    await until(async () => (await job.getState()) === 'delayed' || undefined, 'the job to be delayed');
    const probe = await politeness.tryAcquire(9);
    expect(!probe.acquired && (probe.retryInMs ?? 0) > 0).toBe(true);
    expect((await politeness.tryAcquire(10)).acquired).toBe(true);
    const { state } = await finished(queues, job.id!);
    expect(state).toBe('completed');
    expect(attempts).toEqual([1, 1]);
  });

  it('runs one installation at most maxConcurrent at a time, across worker concurrency', async () => {
    const prefix = `${env.prefix}:slots-${run + 1}`;
    const politeness = new Politeness({ redis: env.connection, prefix, maxConcurrent: 1 });
    let active = 0;
    let maxActive = 0;
    const { queues } = start(
      async () => {
        maxActive = Math.max(maxActive, ++active);
        await new Promise((resolve) => setTimeout(resolve, 30));
        active--;
      },
      { politeness, concurrency: 3, busyRetryMs: 20 },
    );
    const jobs = await Promise.all(
      ['a', 'b', 'c'].map((name) => queues.repo.add('repo', data(`acme/${name}`))),
    );
    for (const job of jobs) expect((await finished(queues, job.id!)).state).toBe('completed');
    expect(maxActive).toBe(1);
  });

  it('close() waits for the active job to finish', async () => {
    const release = gate();
    let started = false;
    const { queues, worker } = start(async () => {
      started = true;
      await release.promise;
    });
    const job = await queues.repo.add('repo', data('acme/api'));
    await until(async () => started, 'the job to start');
    let closed = false;
    const closing = worker.close().then(() => (closed = true));
    // Give close() every chance to return early: it must not while the job runs.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false);
    expect(await job.getState()).toBe('active');
    release.open();
    await closing;
    expect(await job.getState()).toBe('completed');
  });
});

describe('installSignalHandlers', () => {
  it('closes once on SIGTERM, forces on a second signal, and can be removed', async () => {
    const target = new EventEmitter();
    const closing = gate();
    let closes = 0;
    let forced = 0;
    const closed = gate();
    const remove = installSignalHandlers(
      {
        close: async () => {
          closes++;
          await closing.promise;
        },
      },
      { target: target as unknown as NodeJS.Process, onClosed: () => closed.open(), onForce: () => forced++ },
    );
    target.emit('SIGTERM');
    target.emit('SIGINT');
    expect([closes, forced]).toEqual([1, 1]);
    closing.open();
    await closed.promise;
    remove();
    expect(target.listenerCount('SIGTERM') + target.listenerCount('SIGINT')).toBe(0);
  });
});
