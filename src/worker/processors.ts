// The workers' processors. crawl: list what an installation can see and enqueue one repository job each,
// and keep the installation's schedule in step with its org config. repo: run the repository job against
// GitHub, record its RepoResult, log one line and count. report: an installation's nightly compliance rollup. Everything effectful arrives in `deps`, so tests
// give them the fake GitHub, a real queue and test doubles of the job.
import type { Cache } from '../cache/types.js';
import { ConfigError } from '../config/errors.js';
import { configFromTexts, ORG_CONFIG_FILE, ORG_CONFIG_REPOSITORY, orgConfigName } from '../config/load.js';
import type { OperatorSettings } from '../config/operator.js';
import type { RepoPlatform, RepoResult } from '../job/types.js';
import { GitHubClient, type OctokitLike } from '../platform/github/client.js';
import { installationCache, listInstallation } from '../platform/github/installation.js';
import { renderReportIssue, syncReportIssue } from '../report/issue.js';
import type { ReportStore } from '../report/store/types.js';
import type { Schedule } from '../queue/schedules.js';
import type { CommandInbox } from '../queue/commands.js';
import type { CrawlJobData, Enqueuer, RepoJobData, RepoJobReason, ReportJobData } from '../queue/types.js';
import {
  PermanentJobError,
  redactSecrets,
  TransientJobError,
  type JobProcessor,
  type WorkerLogger,
} from '../queue/worker.js';
import type { WorkerMetrics } from './metrics.js';
import { readOrgConfig, scheduleFromOrgConfig } from './org-schedule.js';

/** What the repository job needs (src/job/run.ts's RepoJobDeps). */
export interface RepositoryJobDeps {
  platform: RepoPlatform;
  registryCache: Cache;
  operator?: OperatorSettings;
  mention: string;
  now?: () => number;
  log?: WorkerLogger;
  retryTransientLookups?: boolean;
  reports?: ReportStore;
}

export type RunRepositoryJob = (data: RepoJobData, deps: RepositoryJobDeps) => Promise<RepoResult>;

/** src/platform/github/platform.ts's createGitHubPlatform. */
export type CreatePlatform = (options: {
  octokit: OctokitLike;
  cache: Cache;
  repository: string;
}) => RepoPlatform;

export interface InstallationSchedules {
  upsert(installationId: number, schedule: Schedule): Promise<void>;
  remove(installationId: number): Promise<unknown>;
}

export interface ProcessorDeps {
  octokitForInstallation(installationId: number): Promise<OctokitLike>;
  enqueuer: Enqueuer;
  schedules: InstallationSchedules;
  /** GitHub ETags with their bodies, and blobs by sha (shared by all workers in production). */
  githubCache: Cache;
  /** Registry answers (shared by all workers in production). */
  registryCache: Cache;
  /** The operator's registries, allowed hosts and job limits (DOCKHAND_OPERATOR_CONFIG). */
  operator?: OperatorSettings;
  runRepositoryJob: RunRepositoryJob;
  /** The repository's waiting comment commands (src/queue/commands.ts); absent: only the job's own. */
  commandInbox?: (installationId: number, repository: string) => Promise<CommandInbox>;
  createPlatform: CreatePlatform;
  saveResult(result: RepoResult): Promise<void>;
  /** Compliance reports: each run's report is saved here, and the `report` jobs roll them up. */
  reports?: ReportStore;
  mention: string;
  log: WorkerLogger;
  metrics?: WorkerMetrics;
  now?: () => number;
  /** DOCKHAND_BASE_URL: the report issue links to the dashboard there. */
  dashboardUrl?: string;
}

export interface Processors {
  crawl: JobProcessor<CrawlJobData>;
  repo: JobProcessor<RepoJobData>;
  report: JobProcessor<ReportJobData>;
}

export function createProcessors(deps: ProcessorDeps): Processors {
  return {
    crawl: (data) => crawl(data, deps),
    repo: (data, context) => repo(data, deps, context.attempt < context.attempts),
    report: (data) => report(data, deps),
  };
}

/** The installation's rollup of the day (by default the day it runs, UTC) from its latest reports. */
async function report(data: ReportJobData, deps: ProcessorDeps): Promise<void> {
  if (!deps.reports) throw new PermanentJobError('this worker keeps no compliance reports');
  const now = deps.now ?? Date.now;
  const started = now();
  const day = data.day ?? new Date(started).toISOString().slice(0, 10);
  const rollup = await deps.reports.rollup(data.installationId, day);
  const seconds = (now() - started) / 1000;
  deps.metrics?.jobDuration.observe({ queue: 'report', outcome: 'ok' }, seconds);
  deps.log.info(
    { installationId: data.installationId, reason: data.reason, day, repositories: rollup.repositories },
    `rollup of installation ${data.installationId} for ${day}: ${rollup.repositories} repositories`,
  );
  await reportIssue(data.installationId, deps.reports, deps);
}

/**
 * With `reports.issue: true` in the org file, the org's report issue in its `.github` repository, through
 * the installation's client as the repository job gets it. A failure is logged: the rollup is done.
 */
async function reportIssue(installationId: number, store: ReportStore, deps: ProcessorDeps): Promise<void> {
  const reports = await store.latest(installationId);
  // Every repository of an installation belongs to its account, which owns the org config.
  const owner = reports[0]?.repository.split('/')[0];
  if (!owner) return;
  try {
    const octokit = await deps.octokitForInstallation(installationId);
    const platform = deps.createPlatform({
      octokit,
      cache: deps.githubCache,
      repository: `${owner}/${ORG_CONFIG_REPOSITORY}`,
    });
    const text = await platform.readOwnerFile(ORG_CONFIG_REPOSITORY, ORG_CONFIG_FILE);
    if (text === null) return;
    let enabled: boolean;
    try {
      enabled = (await configFromTexts([{ file: orgConfigName(owner), text }])).reports.issue;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      deps.log.warn({ installationId }, `report issue not written: ${error.message}`);
      return;
    }
    if (!enabled) return;
    const body = renderReportIssue({
      account: owner,
      installationId,
      reports,
      dashboardUrl: deps.dashboardUrl ?? null,
    });
    const { outcome, number } = await syncReportIssue(platform, body);
    deps.log.info(
      { installationId, issue: number, outcome },
      `report issue ${owner}/${ORG_CONFIG_REPOSITORY}#${number} ${outcome}`,
    );
  } catch (error) {
    deps.log.warn(
      { installationId },
      `report issue not written: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
    );
  }
}

async function crawl(data: CrawlJobData, deps: ProcessorDeps): Promise<void> {
  const { installationId } = data;
  const now = deps.now ?? Date.now;
  const started = now();
  const octokit = await deps.octokitForInstallation(installationId);
  // `/installation/repositories` names no repository: its ETags are kept per installation.
  const client = new GitHubClient(octokit, installationCache(deps.githubCache, installationId), now);
  let repositories;
  let complete;
  try {
    ({ repositories, complete } = await listInstallation(client));
  } catch (error) {
    if (!(error instanceof PermanentJobError)) throw error;
    // Uninstalled or suspended: its schedule would only fail again every week.
    await deps.schedules.remove(installationId);
    throw new PermanentJobError(`installation ${installationId}: ${error.message}`);
  }
  const reason: RepoJobReason = data.reason === 'schedule' ? 'schedule' : 'crawl';
  const active = repositories.filter((repository) => !repository.archived);
  // Reports of repositories no longer in the installation (removed, deleted) or archived are forgotten,
  // only after a complete listing: a short one must not erase the rest of the organisation.
  if (deps.reports && complete) {
    const removed = await deps.reports.prune(
      installationId,
      active.map((repository) => repository.fullName),
    );
    if (removed.length > 0)
      deps.log.info(
        { installationId, removed: removed.length },
        `installation ${installationId}: reports of ${removed.length} repositories no longer listed removed`,
      );
  } else if (deps.reports)
    deps.log.warn({ installationId }, `installation ${installationId}: listing incomplete; reports kept`);
  for (const { fullName } of active) {
    await deps.enqueuer.enqueueRepo({ installationId, repository: fullName, reason });
    deps.metrics?.reposEnqueued.inc({ reason });
  }

  // Every repository of an installation belongs to its account, which owns the org config.
  const owner = repositories[0]?.fullName.split('/')[0];
  const { schedule, warning } = await scheduleFromOrgConfig(
    owner ?? '',
    owner ? await readOrgConfig(client, owner) : null,
  );
  if (warning) deps.log.warn({ installationId }, warning);
  await deps.schedules.upsert(installationId, schedule);

  const seconds = (now() - started) / 1000;
  deps.metrics?.jobDuration.observe({ queue: 'crawl', outcome: 'ok' }, seconds);
  deps.log.info(
    {
      installationId,
      reason: data.reason,
      repositories: repositories.length,
      archived: repositories.length - active.length,
      enqueued: active.length,
      schedule: `${schedule.cron} ${schedule.tz}`,
      apiCalls: { ...client.usage },
    },
    `crawl of installation ${installationId}: ${active.length} repositories enqueued` +
      (active.length < repositories.length
        ? ` (${repositories.length - active.length} archived skipped)`
        : ''),
  );
}

/** `retryable`: attempts remain, so passing registry failures may fail the job to have it retried. */
async function repo(data: RepoJobData, deps: ProcessorDeps, retryable: boolean): Promise<void> {
  const now = deps.now ?? Date.now;
  const started = now();
  const octokit = await deps.octokitForInstallation(data.installationId);
  const platform = deps.createPlatform({ octokit, cache: deps.githubCache, repository: data.repository });
  const inbox =
    data.reason === 'pull-request'
      ? undefined
      : await deps.commandInbox?.(data.installationId, data.repository);
  const withCommands = inbox?.commands.length ? { ...data, commands: inbox.commands } : data;
  let result: RepoResult;
  try {
    result = await deps.runRepositoryJob(withCommands, {
      platform,
      registryCache: deps.registryCache,
      ...(deps.operator && { operator: deps.operator }),
      mention: deps.mention,
      now,
      log: deps.log,
      retryTransientLookups: retryable,
      ...(deps.reports && { reports: deps.reports }),
    });
  } catch (error) {
    deps.metrics?.jobDuration.observe({ queue: 'repo', outcome: 'error' }, (now() - started) / 1000);
    countRequests(deps, platform.usage);
    // A job that cannot succeed, or failed its last attempt, is recorded (reports show why); the others
    // are retried and recorded then. A rate limit's wait uses no attempt, so it is never the last.
    const waits = error instanceof TransientJobError && (error.retryAfterMs ?? 0) > 0;
    if (error instanceof PermanentJobError || (!retryable && !waits)) {
      if (error instanceof PermanentJobError) await inbox?.acknowledge();
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      await record(deps, failedResult(data, started, now(), platform.usage, message));
    }
    throw error;
  }
  await inbox?.acknowledge();
  await record(deps, result);
  deps.metrics?.jobDuration.observe({ queue: 'repo', outcome: result.outcome }, result.durationMs / 1000);
  countRequests(deps, result.apiCalls);
  deps.metrics?.pullRequestsOpened.inc(result.pullRequests.opened.length);
  deps.metrics?.registryRequests.inc(result.registryRequests);
}

/** Stores a result and logs its one-line summary; a store failure is logged, not thrown (the work is done). */
async function record(deps: ProcessorDeps, result: RepoResult): Promise<void> {
  const level = result.outcome === 'failed' ? 'warn' : 'info';
  deps.log[level](
    {
      installationId: result.installationId,
      repository: result.repository,
      reason: result.reason,
      outcome: result.outcome,
      pullRequests: {
        opened: result.pullRequests.opened.length,
        updated: result.pullRequests.updated.length,
        closed: result.pullRequests.closed.length,
        pending: result.pullRequests.pending.length,
      },
      apiCalls: result.apiCalls,
      durationMs: result.durationMs,
    },
    summaryLine(result),
  );
  try {
    await deps.saveResult(result);
  } catch (error) {
    deps.log.error(
      { repository: result.repository },
      `could not record the result of ${result.repository}: ${(error as Error).message}`,
    );
  }
}

/** `acme/api ok (push): PRs 1 opened, 0 updated, 0 closed; 12 API calls (8 not modified); 840 ms`. */
export function summaryLine(result: RepoResult): string {
  const prs = result.pullRequests;
  return (
    `${result.repository} ${result.outcome} (${result.reason})` +
    (result.detail ? `: ${result.detail}` : '') +
    `; PRs ${prs.opened.length} opened, ${prs.updated.length} updated, ${prs.closed.length} closed` +
    `; ${result.apiCalls.requests} API calls (${result.apiCalls.notModified} not modified)` +
    `; ${result.durationMs} ms`
  );
}

function failedResult(
  data: RepoJobData,
  started: number,
  ended: number,
  usage: { requests: number; notModified: number },
  detail: string,
): RepoResult {
  return {
    installationId: data.installationId,
    repository: data.repository,
    reason: data.reason,
    startedAt: new Date(started).toISOString(),
    durationMs: ended - started,
    outcome: 'failed',
    detail,
    commit: null,
    deps: 0,
    updates: 0,
    findings: { error: 0, warning: 0, info: 0 },
    pullRequests: { opened: [], updated: [], closed: [], pending: [] },
    errors: [detail],
    apiCalls: { requests: usage.requests, notModified: usage.notModified },
    registryRequests: 0,
  };
}

function countRequests(deps: ProcessorDeps, usage: { requests: number; notModified: number }): void {
  deps.metrics?.githubRequests.inc({ kind: 'sent' }, usage.requests);
  deps.metrics?.githubRequests.inc({ kind: 'not_modified' }, usage.notModified);
}
