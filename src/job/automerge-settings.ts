// Which of Dockhand's branches may be merged without a human, and when: the repository's `automerge`
// settings (per update type, through the update rules), the maintenance-mode preset, and
// `automergeSchedule`. Pure.
import { CronExpressionParser } from 'cron-parser';
import type { Config, UpdateType } from '../config/schema.js';
import { policyFor } from '../plan/policy.js';
import type { BranchPlan } from './types.js';

/** What `maintenance.automerge` merges in maintenance mode: moves that keep the version line. */
const MAINTENANCE_TYPES: ReadonlySet<UpdateType> = new Set(['digest', 'pin', 'patch']);

/** Every change of the branch may be merged automatically. */
export function automergeEligible(plan: BranchPlan, config: Config, maintenance: boolean): boolean {
  if (plan.changes.length === 0) return false;
  return plan.changes.every(({ dep, update, path, manager }) => {
    const type = update.type as UpdateType;
    if (maintenance && config.maintenance.automerge && MAINTENANCE_TYPES.has(type)) return true;
    return policyFor(config.updates, dep, path, manager).automerge.includes(type);
  });
}

const MINUTE = 60_000;

/**
 * Inside the schedule when the current minute matches the cron in its time zone (the seconds field is
 * ignored: `* * 0-5 * * 1-5` is weekdays before 06:00). No schedule: any time.
 */
export function inAutomergeWindow(schedule: Config['automergeSchedule'], now: number): boolean {
  if (!schedule) return true;
  const minute = Math.floor(now / MINUTE) * MINUTE;
  const [, ...fields] = schedule.cron.split(' ');
  const next = CronExpressionParser.parse(`0 ${fields.join(' ')}`, {
    currentDate: new Date(minute - 1),
    tz: schedule.timezone,
  }).next();
  return next.getTime() < minute + MINUTE;
}
