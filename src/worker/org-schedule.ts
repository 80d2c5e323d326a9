// An installation's crawl schedule: the `schedule` of the org-wide defaults (`dockhand.yml` at the root of
// the account's `.github` repository) over the default one. An org config that cannot be used falls back
// to the default schedule with a warning, so a typo never stops an organisation's updates (the same
// config error is reported on every repository's dashboard).
import { ConfigError } from '../config/errors.js';
import { configFromTexts, ORG_CONFIG_FILE, ORG_CONFIG_REPOSITORY, orgConfigName } from '../config/load.js';
import type { GitHubClient } from '../platform/github/client.js';
import { readText } from '../platform/github/contents.js';
import type { Schedule } from '../queue/schedules.js';

export interface OrgSchedule {
  schedule: Schedule;
  /** Why the default is used although the file names a schedule. */
  warning?: string;
}

/** The schedule the org config's text asks for (null: no file), validated as every config is. */
export async function scheduleFromOrgConfig(owner: string, text: string | null): Promise<OrgSchedule> {
  const layers = text === null ? [] : [{ file: orgConfigName(owner), text }];
  try {
    const { schedule } = await configFromTexts(layers);
    return { schedule: { cron: schedule.cron, tz: schedule.timezone } };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const { schedule } = await configFromTexts([]);
    return {
      schedule: { cron: schedule.cron, tz: schedule.timezone },
      warning: `${error.message}; using the default schedule`,
    };
  }
}

/**
 * The org config's text through the contents API (conditional GET), null when the account has no
 * `.github` repository, the installation cannot see it, or it holds no `dockhand.yml`.
 */
export function readOrgConfig(client: GitHubClient, owner: string): Promise<string | null> {
  return readText({ client, owner, repo: ORG_CONFIG_REPOSITORY }, ORG_CONFIG_FILE);
}
