// `dockhand report DIR…`: each directory scanned (and with `resolve`, looked up and dated) as one
// repository, its facts judged by the policies its configuration sets, and one report over all of them.
import { basename } from 'node:path';
import { loadConfig, type Config } from '../config/index.js';
import type { PackageFile } from '../core/types.js';
import { scanDirectory } from '../scan/scan.js';
import { addReleaseDates } from './dates.js';
import { collectDockerfiles } from './dockerfile.js';
import { buildReport, repoReport, type Report, type RepoReport } from './evaluate.js';
import { repoFacts } from './facts.js';

export interface ReportDirectory {
  /** Absolute path. */
  path: string;
  /** The repository's name in the report: the directory as given. */
  name: string;
}

export interface ReportCommandOptions {
  directories: ReportDirectory[];
  /** `--config FILE`, relative to `cwd`: used for every directory instead of its own file. */
  configFile?: string | undefined;
  cwd: string;
  resolve: boolean;
  redisUrl?: string | undefined;
  env: Record<string, string | undefined>;
  warn: (message: string) => void;
  now?: Date;
}

export async function reportDirectories(options: ReportCommandOptions): Promise<Report> {
  const now = options.now ?? new Date();
  const repos: RepoReport[] = [];
  for (const dir of options.directories) {
    const { config } = await loadConfig(dir.path, { file: options.configFile, cwd: options.cwd });
    repos.push(await reportDirectory(dir, config, options, now));
  }
  return buildReport(repos, now);
}

async function reportDirectory(
  dir: ReportDirectory,
  config: Config,
  options: ReportCommandOptions,
  now: Date,
): Promise<RepoReport> {
  const dockerfiles = collectDockerfiles();
  const releaseDates = new Map<string, string>();
  const lookups = options.resolve ? await resolver(config, options, releaseDates) : undefined;
  try {
    const scan = await scanDirectory(dir.path, config, {
      onRead: dockerfiles.onRead,
      ...(lookups && { resolve: lookups.resolve }),
    });
    const facts = repoFacts({
      repository: dir.name || basename(dir.path),
      scan,
      now,
      resolved: options.resolve,
      dockerfiles: dockerfiles.facts,
      releaseDates,
    });
    return repoReport(facts, config.reports);
  } finally {
    await lookups?.close();
  }
}

/** As `scan --resolve`: the user's registries, then the dates reports need. Loaded only when asked. */
async function resolver(
  config: Config,
  options: ReportCommandOptions,
  dates: Map<string, string>,
): Promise<{ resolve: (files: PackageFile[]) => Promise<void>; close(): Promise<void> }> {
  const [{ cliRegistrySettings }, { createLookups }, { resolveFiles }] = await Promise.all([
    import('../config/cli-registries.js'),
    import('../plan/registry.js'),
    import('../plan/resolve.js'),
  ]);
  const lookups = await createLookups({
    ...(await cliRegistrySettings(config, options.configFile !== undefined, options.env, options.warn)),
    ttlSeconds: config.cacheTtlSeconds,
    redisUrl: options.redisUrl,
    warn: options.warn,
  });
  return {
    resolve: async (files) => {
      await resolveFiles(files, config.updates, lookups.client, { packages: lookups.packages });
      await addReleaseDates(files, lookups.client, lookups.packages, dates);
    },
    close: () => lookups.close(),
  };
}
