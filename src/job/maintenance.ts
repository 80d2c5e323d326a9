// Maintenance mode: repositories nobody commits to still get their images rebuilt weekly, so base-image
// security patches land even without a code change. Pure decisions; the job carries them out.
import type { MaintenanceSettings } from '../config/schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A scheduled rebuild is skipped when one happened this recently (a rerun of the same weekly job). */
const MIN_REBUILD_INTERVAL_MS = 6 * DAY_MS;

export function inMaintenance(settings: MaintenanceSettings, pushedAt: string | null, now: number): boolean {
  if (settings.enabled) return true;
  if (settings.inactiveDays === 0 || !pushedAt) return false;
  return now - Date.parse(pushedAt) >= settings.inactiveDays * DAY_MS;
}

export type RebuildDecision =
  | { kind: 'none'; why: string }
  | { kind: 'dispatch'; workflow: string; inputs: Record<string, string> }
  | { kind: 'pull-request' };

export interface RebuildInput {
  settings: MaintenanceSettings;
  maintenance: boolean;
  /** The weekly schedule started this run. */
  scheduled: boolean;
  /** Someone ticked "rebuild now" on the dashboard. */
  requested: boolean;
  /** This run opened or updated a pull request (its merge rebuilds the images anyway). */
  changedFiles: boolean;
  lastRebuild?: string;
  now: number;
}

export function decideRebuild(input: RebuildInput): RebuildDecision {
  const { settings } = input;
  if (!input.requested) {
    if (!input.maintenance) return { kind: 'none', why: 'not in maintenance mode' };
    if (!input.scheduled) return { kind: 'none', why: 'rebuilds run on the weekly schedule' };
    if (input.changedFiles) return { kind: 'none', why: 'an update pull request rebuilds the images' };
    if (input.lastRebuild && input.now - Date.parse(input.lastRebuild) < MIN_REBUILD_INTERVAL_MS)
      return { kind: 'none', why: 'rebuilt this week already' };
  }
  if (settings.workflow) return { kind: 'dispatch', workflow: settings.workflow, inputs: settings.inputs };
  if (settings.rebuildPullRequest) return { kind: 'pull-request' };
  return { kind: 'none', why: 'no rebuild workflow configured (maintenance.workflow)' };
}
