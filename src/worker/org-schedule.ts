// An installation's crawl schedule: the `schedule` of the org-wide defaults (`dockhand.yml` at the root of
// the account's `.github` repository) over the default one. A schedule that cannot be used falls back to
// the default with a warning, so a typo never stops an organisation's updates.
import { parse } from 'yaml';
import type { GitHubClient } from '../platform/github/client.js';
import { toJobError } from '../platform/github/errors.js';
import { DEFAULT_SCHEDULE, type Schedule } from '../queue/schedules.js';

export const ORG_CONFIG_REPOSITORY = '.github';
export const ORG_CONFIG_FILE = 'dockhand.yml';

export interface OrgSchedule {
  schedule: Schedule;
  /** Why the default is used although the file names a schedule. */
  warning?: string;
}

const CRON_FIELDS = /^\S+( \S+){5}$/;

/** Pure: the schedule the org config's text asks for (null: no file). */
export function scheduleFromOrgConfig(text: string | null): OrgSchedule {
  if (text === null) return { schedule: DEFAULT_SCHEDULE };
  const fallback = (why: string): OrgSchedule => ({
    schedule: DEFAULT_SCHEDULE,
    warning: `${ORG_CONFIG_REPOSITORY}/${ORG_CONFIG_FILE}: ${why}; using the default schedule`,
  });
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    return fallback(`not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (data === null || data === undefined) return { schedule: DEFAULT_SCHEDULE };
  if (typeof data !== 'object' || Array.isArray(data)) return fallback('expected a mapping');
  const schedule = (data as { schedule?: unknown }).schedule;
  if (schedule === undefined || schedule === null) return { schedule: DEFAULT_SCHEDULE };
  if (typeof schedule !== 'object' || Array.isArray(schedule))
    return fallback('schedule: expected a mapping with cron and timezone');
  const { cron, timezone, ...rest } = schedule as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return fallback(`schedule.${unknown}: unknown field (expected cron, timezone)`);
  if (cron !== undefined && (typeof cron !== 'string' || !CRON_FIELDS.test(cron.trim())))
    return fallback(`schedule.cron: expected a 6-field cron (with seconds), got ${JSON.stringify(cron)}`);
  if (timezone !== undefined && (typeof timezone !== 'string' || !isTimeZone(timezone)))
    return fallback(`schedule.timezone: expected an IANA time zone, got ${JSON.stringify(timezone)}`);
  return {
    schedule: {
      cron: typeof cron === 'string' ? cron.trim() : DEFAULT_SCHEDULE.cron,
      tz: typeof timezone === 'string' ? timezone : DEFAULT_SCHEDULE.tz,
    },
  };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface ContentsFile {
  type?: string;
  encoding?: string;
  content?: string;
}

/**
 * The org config's text through the contents API (conditional GET), null when the account has no
 * `.github` repository, the installation cannot see it, or it holds no `dockhand.yml`.
 */
export async function readOrgConfig(client: GitHubClient, owner: string): Promise<string | null> {
  const result = await client.getConditional<ContentsFile>('GET /repos/{owner}/{repo}/contents/{path}', {
    owner,
    repo: ORG_CONFIG_REPOSITORY,
    path: ORG_CONFIG_FILE,
  });
  if (!result.ok) {
    if (result.error.kind === 'not-found') return null;
    throw toJobError(result.error);
  }
  const file = result.value;
  if (file.type !== 'file' || typeof file.content !== 'string') return null;
  return Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
}
