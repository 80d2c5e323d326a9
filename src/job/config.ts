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

export type JobConfig =
  { ok: true; config: Config; files: string[] } | { ok: false; error: string; files: string[] };

export async function readJobConfig(platform: RepoPlatform, owner: string, ref: string): Promise<JobConfig> {
  const layers: ConfigText[] = [];
  const org = await platform.readOwnerFile(ORG_CONFIG_REPOSITORY, ORG_CONFIG_FILE);
  if (org !== null) layers.push({ file: orgConfigName(owner), text: org });
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
