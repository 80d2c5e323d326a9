import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SCHEDULE,
  listInstallationSchedules,
  removeInstallationSchedule,
  schedulerId,
  upsertInstallationSchedule,
} from '../../src/queue/schedules.js';
import type { CrawlJobData } from '../../src/queue/types.js';
import { startQueueTestEnv, type QueueTestEnv } from './helpers.js';

let env: QueueTestEnv;
let queue: Queue<CrawlJobData>;

beforeAll(async () => {
  env = await startQueueTestEnv();
  queue = new Queue<CrawlJobData>('crawl', { connection: env.connection, prefix: env.prefix });
});

afterAll(async () => {
  await queue.close();
  await env.stop();
});

describe('installation schedules', () => {
  it('keeps one scheduler per installation however often it is upserted, with the newest cron and zone', async () => {
    await upsertInstallationSchedule(queue, 11);
    await upsertInstallationSchedule(queue, 11);
    await upsertInstallationSchedule(queue, 12, { cron: '0 30 6 * * 2', tz: 'Europe/Berlin' });
    await upsertInstallationSchedule(queue, 12, { cron: '0 15 5 * * 3', tz: 'America/New_York' });

    expect(await queue.getJobSchedulersCount()).toBe(2);
    const schedules = (await listInstallationSchedules(queue)).sort(
      (a, b) => a.installationId - b.installationId,
    );
    expect(schedules.map(({ next: _next, ...rest }) => rest)).toEqual([
      { installationId: 11, ...DEFAULT_SCHEDULE },
      { installationId: 12, cron: '0 15 5 * * 3', tz: 'America/New_York' },
    ]);
    // The default lands on a Monday at 03:00 UTC.
    const next = new Date(schedules[0]!.next!);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 3, 0]);

    // One delayed crawl per scheduler, carrying the installation.
    const delayed = await queue.getDelayed();
    expect(delayed.map((job) => job.data).sort((a, b) => a.installationId - b.installationId)).toEqual([
      { installationId: 11, reason: 'schedule' },
      { installationId: 12, reason: 'schedule' },
    ]);
    const scheduler = await queue.getJobScheduler(schedulerId(12));
    expect(scheduler?.tz).toBe('America/New_York');
  });

  it('removes an installation schedule and its pending crawl', async () => {
    await upsertInstallationSchedule(queue, 21);
    expect(await removeInstallationSchedule(queue, 21)).toBe(true);
    expect(await removeInstallationSchedule(queue, 21)).toBe(false);
    expect((await listInstallationSchedules(queue)).map((s) => s.installationId)).not.toContain(21);
    expect((await queue.getDelayed()).map((job) => job.data.installationId)).not.toContain(21);
  });

  it('rejects an invalid cron instead of storing it', async () => {
    await expect(
      upsertInstallationSchedule(queue, 31, { cron: 'every monday', tz: 'UTC' }),
    ).rejects.toThrow();
    expect((await listInstallationSchedules(queue)).map((s) => s.installationId)).not.toContain(31);
  });
});
