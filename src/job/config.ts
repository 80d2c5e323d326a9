// The settings a repository job runs with: the app's defaults, the org's `.github` repository
// `dockhand.yml`, then the repository's own file — read through the platform at the scanned commit.
import { ConfigError } from '../config/errors.js';
import {
  CONFIG_LOCATIONS,
  configFromTexts,
  ORG_CONFIG_FILE,
  ORG_CONFIG_REPOSITORY,
  orgConfigName,
  type ConfigText,
} from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { RepoPlatform } from './types.js';

/**
 * `reports`: the compliance settings from the org's file alone — a repository does not choose how it is
 * judged (its own `reports` applies to `dockhand report` on a checkout only).
 */
export type JobConfig =
  { ok: true; config: Config; reports: Config['reports'] } | { ok: false; error: string };

/**
 * `files` are the repository's files as read for the scan: the tree listing claims the config locations
 * too, so the repository's config costs no request of its own (and an absent one no 404).
 */
export async function readJobConfig(
  platform: RepoPlatform,
  owner: string,
  files: readonly { path: string; bytes: Uint8Array }[],
): Promise<JobConfig> {
  const layers: ConfigText[] = [];
  const org = await platform.readOwnerFile(ORG_CONFIG_REPOSITORY, ORG_CONFIG_FILE);
  if (org !== null) layers.push({ file: orgConfigName(owner), text: org });
  const own = CONFIG_LOCATIONS.map((path) => files.find((file) => file.path === path)).find(Boolean);
  if (own) layers.push({ file: own.path, text: Buffer.from(own.bytes).toString('utf8') });
  try {
    const config = await configFromTexts(layers);
    const reports =
      org === null
        ? (await configFromTexts([])).reports
        : (await configFromTexts(layers.slice(0, 1))).reports;
    return { ok: true, config, reports };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: error.message };
    throw error;
  }
}
