// The settings a repository job runs with: the app's defaults, the org's `.github` repository
// `dockhand.yml`, then the repository's own file — read through the platform at the scanned commit.
import { ConfigError } from '../config/errors.js';
import { CONFIG_LOCATIONS, configFromTexts, type ConfigText } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { RepoPlatform } from './types.js';

/** The organisation-wide defaults: `dockhand.yml` at the root of the org's `.github` repository. */
export const ORG_CONFIG = { repository: '.github', path: 'dockhand.yml' } as const;

export type JobConfig =
  { ok: true; config: Config; files: string[] } | { ok: false; error: string; files: string[] };

export async function readJobConfig(
  platform: RepoPlatform,
  owner: string,
  ref: string,
  options: { includeOrg?: boolean } = {},
): Promise<JobConfig> {
  const layers: ConfigText[] = [];
  if (options.includeOrg !== false) {
    const org = await platform.readOwnerFile(ORG_CONFIG.repository, ORG_CONFIG.path);
    if (org !== null)
      layers.push({ file: `${owner}/${ORG_CONFIG.repository}:${ORG_CONFIG.path}`, text: org });
  }
  for (const path of CONFIG_LOCATIONS) {
    const text = await platform.readFile(path, ref);
    if (text === null) continue;
    layers.push({ file: path, text });
    break;
  }
  const files = layers.map((layer) => layer.file);
  try {
    return { ok: true, config: await configFromTexts(layers), files };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: error.message, files };
    throw error;
  }
}
