import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullEnqueuer, createQueues } from '../../src/queue/queues.js';
import { startWorker } from '../../src/queue/worker.js';
import { startQueueTestEnv, until, type QueueTestEnv } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/stall-worker.mjs', import.meta.url));

let env: QueueTestEnv;

beforeAll(async () => {
  env = await startQueueTestEnv();
});

afterAll(async () => {
  await env.stop();
});

describe('stalled-job recovery', () => {
  it('a job whose worker process was killed mid-job completes once on another worker', async () => {
    const prefix = `${env.prefix}:stalled`;
    const counters = `${env.prefix}:counters`;
    const queues = createQueues({ connection: env.connection, prefix });
    await new BullEnqueuer(queues).enqueueRepo({ installationId: 3, repository: 'acme/api', reason: 'push' });

    const child = spawn(process.execPath, [FIXTURE, env.redis.url, prefix, counters], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until(async () => output.includes('started'), `the child to take the job (output: ${output})`);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const [active] = await queues.repo.getActive();
    expect(active?.data.repository).toBe('acme/api');

    const runs: string[] = [];
    const rescuer = startWorker({
      connection: env.connection,
      prefix,
      lockDuration: 1_000,
      stalledInterval: 300,
      processors: {
        crawl: async () => {},
        repo: async ({ repository }) => {
          runs.push(repository);
          await env.connection.incr(`${counters}:completed`);
        },
      },
    });
    try {
      const job = await until(async () => {
        const job = await queues.repo.getJob(active!.id!);
        return (await job?.getState()) === 'completed' ? job : undefined;
      }, 'the stalled job to complete on the second worker');
      // Another stall check passes without a second run.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(runs).toEqual(['acme/api']);
      expect(await env.connection.get(`${counters}:started`)).toBe('1');
      expect(await env.connection.get(`${counters}:completed`)).toBe('1');
      expect(job?.stalledCounter).toBe(1);
      expect(await queues.repo.getJobCounts('active', 'waiting', 'failed', 'completed')).toEqual({
        active: 0,
        waiting: 0,
        failed: 0,
        completed: 1,
      });
    } finally {
      await rescuer.close();
      await queues.close();
    }
  });
});
