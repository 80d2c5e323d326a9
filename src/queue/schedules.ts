// One BullMQ job scheduler per installation: it puts a crawl job on the `crawl` queue at each tick.
// upsertJobScheduler is idempotent per scheduler id, so re-applying config never duplicates schedules.

import type { Queue } from 'bullmq';
import { QUEUE_NAMES } from './queues.js';
import type { CrawlJobData, ReportJobData } from './types.js';

export interface Schedule {
  /** Cron with seconds: `sec min hour day-of-month month day-of-week`. */
  cron: string;
  /** IANA zone the cron is read in. */
  tz: string;
}

/** Weekly, Monday 03:00 UTC: early in the week, outside most teams' working hours. */
export const DEFAULT_SCHEDULE: Schedule = { cron: '0 0 3 * * 1', tz: 'UTC' };

export interface InstallationSchedule extends Schedule {
  installationId: number;
  /** Next tick, epoch milliseconds, when BullMQ knows it. */
  next?: number;
}

const ID_PREFIX = 'installation-';

export function schedulerId(installationId: number): string {
  return `${ID_PREFIX}${installationId}`;
}

export async function upsertInstallationSchedule(
  queue: Queue<CrawlJobData>,
  installationId: number,
  schedule: Schedule = DEFAULT_SCHEDULE,
): Promise<void> {
  const data: CrawlJobData = { installationId, reason: 'schedule' };
  await queue.upsertJobScheduler(
    schedulerId(installationId),
    { pattern: schedule.cron, tz: schedule.tz },
    { name: QUEUE_NAMES.crawl, data },
  );
}

/** True when a schedule existed. */
export function removeInstallationSchedule(
  queue: Queue<CrawlJobData>,
  installationId: number,
): Promise<boolean> {
  return queue.removeJobScheduler(schedulerId(installationId));
}

/**
 * The nightly compliance rollup of an installation (issue 11 §2): daily at 23:50 UTC, so the rollup of a
 * day is taken from the latest reports near its end. Upserted beside the crawl schedule.
 */
export const ROLLUP_SCHEDULE: Schedule = { cron: '0 50 23 * * *', tz: 'UTC' };

export function rollupSchedulerId(installationId: number): string {
  return `rollup-${installationId}`;
}

export async function upsertRollupSchedule(
  queue: Queue<ReportJobData>,
  installationId: number,
  schedule: Schedule = ROLLUP_SCHEDULE,
): Promise<void> {
  const data: ReportJobData = { installationId, reason: 'rollup' };
  await queue.upsertJobScheduler(
    rollupSchedulerId(installationId),
    { pattern: schedule.cron, tz: schedule.tz },
    { name: QUEUE_NAMES.report, data },
  );
}

/** True when a schedule existed. */
export function removeRollupSchedule(queue: Queue<ReportJobData>, installationId: number): Promise<boolean> {
  return queue.removeJobScheduler(rollupSchedulerId(installationId));
}

export async function listInstallationSchedules(queue: Queue<CrawlJobData>): Promise<InstallationSchedule[]> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  const result: InstallationSchedule[] = [];
  for (const scheduler of schedulers) {
    if (!scheduler.key.startsWith(ID_PREFIX)) continue;
    const installationId = Number(scheduler.key.slice(ID_PREFIX.length));
    if (!Number.isSafeInteger(installationId) || !scheduler.pattern) continue;
    result.push({
      installationId,
      cron: scheduler.pattern,
      tz: scheduler.tz ?? 'UTC',
      ...(scheduler.next !== undefined ? { next: scheduler.next } : {}),
    });
  }
  return result;
}
