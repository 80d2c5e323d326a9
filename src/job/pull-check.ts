// Check runs on pull requests that touch container files or Dockhand's config: the PR head is read and
// linted as `dockhand scan` would (no registry lookups: a check must be fast and must not depend on a
// registry being up), and the findings in the changed files become annotations.
import { CONFIG_LOCATIONS, configFromTexts } from '../config/load.js';
import { managerFor } from '../managers/index.js';
import type { RepoJobData } from '../queue/types.js';
import { pathMatcher } from '../scan/glob.js';
import { memorySource, scanSource } from '../scan/scan.js';
import { buildCheckRun } from './check-run.js';
import { uploadFindings } from './code-scanning.js';
import { readJobConfig } from './config.js';
import { countFindings } from './findings.js';
import type { RepoInfo, RepoPlatform, RepoResult } from './types.js';

export async function checkPullRequest(
  data: RepoJobData,
  repo: RepoInfo,
  platform: RepoPlatform,
): Promise<Partial<RepoResult>> {
  if (data.number === undefined) return { outcome: 'skipped', detail: 'no pull request number' };
  const pull = await platform.getPullRequest(data.number);
  if (pull.state !== 'open') return { outcome: 'skipped', detail: 'pull request closed' };
  const headSha = pull.headSha;
  const changed = await platform.listPullRequestFiles(data.number);
  const relevant = changed.filter(
    (path) => managerFor(path) !== undefined || CONFIG_LOCATIONS.includes(path),
  );
  if (relevant.length === 0) return { outcome: 'skipped', detail: 'no container or config file changed' };

  const read = await platform.readFiles(headSha);
  const jobConfig = await readJobConfig(platform, repo.owner, read.files);
  if (jobConfig.ok && !jobConfig.config.checks) return { outcome: 'skipped', detail: 'checks are off' };
  // An invalid config fails the check; the files are still linted, with the defaults.
  const config = jobConfig.ok ? jobConfig.config : await configFromTexts([]);
  const scan = await scanSource(
    memorySource(read.files, read.skipped, pathMatcher(config.ignorePaths)),
    config,
  );
  const check = buildCheckRun({
    findings: scan.findings,
    fileErrors: scan.files.flatMap((file) =>
      (file.errors ?? []).map((error) => ({ path: file.path, ...error })),
    ),
    ...(jobConfig.ok ? {} : { configError: jobConfig.error }),
    threshold: config.failureThreshold,
    headSha,
    changedPaths: new Set(changed),
  });
  await platform.createCheckRun(check);
  const errors: string[] = jobConfig.ok ? [] : [jobConfig.error];
  if (config.codeScanning)
    await uploadFindings(platform, scan, headSha, `refs/pull/${data.number}/head`, { errors });
  return {
    commit: headSha,
    findings: countFindings(scan.findings),
    outcome: jobConfig.ok ? 'ok' : 'failed',
    errors,
    ...(jobConfig.ok ? {} : { detail: 'invalid configuration' }),
  };
}
