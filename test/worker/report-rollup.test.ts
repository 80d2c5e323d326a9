// The nightly compliance rollup (issue 11 §2): one `report` scheduler per installation, upserted as the
// crawl schedules are, and the worker's `report` processor rolling the installation's latest reports up
// into the day's rollup in the Redis report store. Real Redis, real BullMQ.
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type DockhandQueues } from '../../src/queue/queues.js';
import {
  removeRollupSchedule,
  ROLLUP_SCHEDULE,
  rollupSchedulerId,
  upsertRollupSchedule,
} from '../../src/queue/schedules.js';
import type { ReportJobData } from '../../src/queue/types.js';
import { startWorker, type DockhandWorker } from '../../src/queue/worker.js';
import { RedisReportStore } from '../../src/report/store/redis.js';
import { createProcessors, type ProcessorDeps } from '../../src/worker/processors.js';
import { fixtureReport } from '../report/store-suite.js';
import { startQueueTestEnv, until, type QueueTestEnv } from '../queue/helpers.js';

let env: QueueTestEnv;
let queues: DockhandQueues;

beforeAll(async () => {
  env = await startQueueTestEnv();
  queues = createQueues({ connection: env.connection, prefix: env.prefix });
});
afterAll(async () => {
  await queues?.close();
  await env?.stop();
});

const logged: string[] = [];
const log = {
  info: (_: object, message: string) => logged.push(message),
  warn: (_: object, message: string) => logged.push(message),
  error: (_: object, message: string) => logged.push(message),
};

describe('the nightly rollup', () => {
  it('keeps one daily scheduler per installation, at 23:50 UTC, carrying a rollup job', async () => {
    const queue: Queue<ReportJobData> = queues.report;
    await upsertRollupSchedule(queue, 31);
    await upsertRollupSchedule(queue, 31);
    await upsertRollupSchedule(queue, 32);
    expect(await queue.getJobSchedulersCount()).toBe(2);
    const scheduler = await queue.getJobScheduler(rollupSchedulerId(31));
    expect(scheduler?.pattern).toBe(ROLLUP_SCHEDULE.cron);
    const next = new Date(scheduler!.next!);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([23, 50]);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    const delayed = (await queue.getDelayed()).map((job) => job.data);
    expect(delayed).toContainEqual({ installationId: 31, reason: 'rollup' });
    expect(await removeRollupSchedule(queue, 32)).toBe(true);
    expect(await queue.getJobSchedulersCount()).toBe(1);
  });

  it('rolls up an installation’s latest reports in a report job', async () => {
    const store = new RedisReportStore(env.connection, env.prefix);
    const [shop, tools] = await Promise.all([fixtureReport('shop'), fixtureReport('tools')]);
    await store.save(41, shop, new Date('2026-12-01T03:00:00Z'));
    await store.save(41, tools, new Date('2026-12-01T05:00:00Z'));
    const processors = createProcessors({
      reports: store,
      log,
      now: () => Date.parse('2026-12-01T23:50:00Z'),
    } as unknown as ProcessorDeps);
    const worker: DockhandWorker = startWorker({
      connection: env.connection,
      prefix: env.prefix,
      processors,
    });
    try {
      expect(worker.report).toBeDefined();
      await queues.report.add('report', { installationId: 41, reason: 'rollup' });
      const [rollup] = await until(async () => {
        const history = await store.history(41, 30);
        return history.length > 0 && history;
      }, 'the rollup');
      expect(rollup).toMatchObject({ day: '2026-12-01', repositories: 2 });
      expect(logged).toContain('rollup of installation 41 for 2026-12-01: 2 repositories');
      // A day given in the job wins over the clock.
      await queues.report.add('report', { installationId: 41, reason: 'rollup', day: '2026-11-30' });
      await until(async () => (await store.history(41, 30)).length === 2, 'the second rollup');
      expect((await store.history(41, 30)).map((r) => r.day)).toEqual(['2026-11-30', '2026-12-01']);
    } finally {
      await worker.close();
    }
  });
});
