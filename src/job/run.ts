// The repository job: read the repository through the platform, scan and resolve it as `dockhand scan
// --resolve` would, plan branches, reconcile them with the pull requests Dockhand already opened, and
// publish (commits, PRs, comments), then the dashboard issue and maintenance rebuilds. Every decision is
// made by the pure modules beside this one; this file only sequences them and talks to the platform.
import { DASHBOARD_LABEL } from '../core/dashboard.js';
import type { Cache } from '../cache/types.js';
import type { Config } from '../config/schema.js';
import { npmScopeUrls, operatorSettings, registryLimits, type OperatorSettings } from '../config/operator.js';
import { registriesFor, unconfiguredNames } from '../config/registries.js';
import {
  RegistryClient,
  type RegistryClientOptions,
  type RegistryHostConfig,
} from '../datasources/docker/index.js';
import { createPackageLookups, type PackageLookups } from '../datasources/packages.js';
import { NetworkPolicy } from '../http/network-policy.js';
import type { TransportLimits } from '../http/transport.js';
import type { RegistryLookups } from '../plan/plan.js';
import { resolveFiles } from '../plan/resolve.js';
import type { RepoJobData } from '../queue/types.js';
import { PermanentJobError, TransientJobError, type WorkerLogger } from '../queue/worker.js';
import { CODEOWNERS_LOCATIONS, parseCodeOwners } from '../report/codeowners.js';
import { collectDockerfiles } from '../report/dockerfile.js';
import { addReleaseDates } from '../report/dates.js';
import { repoReport } from '../report/evaluate.js';
import { repoFacts, type RepoFactsInput } from '../report/facts.js';
import type { ReportStore } from '../report/store/types.js';
import { pathMatcher } from '../scan/glob.js';
import { memorySource, scanSource, type ScanResult } from '../scan/scan.js';
import { BRANCH_PREFIX, packageName, planBranches } from './branches.js';
import { uploadFindings } from './code-scanning.js';
import { readJobConfig } from './config.js';
import { DashboardContext, syncDashboard, type DashboardInput } from './dashboard.js';
import { decideRebuild, inMaintenance } from './maintenance.js';
import { LOCK_MAINTENANCE_BRANCH, refreshLockfiles } from './lock-maintenance.js';
import { parseMarker } from './marker.js';
import { countFindings } from './findings.js';
import { lookupErrorLines } from './lookup-errors.js';
import { watchTransientFailures } from './lookups.js';
import { checkPullRequest } from './pull-check.js';
import { automergePulls } from './automerge-run.js';
import { reconcile, type Action } from './reconcile.js';
import type { KnownPull, RepoPlatform, RepoResult } from './types.js';
import { applyCommands, commandsOf } from './commands.js';
import { Publisher, recognizeOwnHeads, REBUILD_BRANCH, sweepBranches } from './publish.js';

export interface RepoJobDeps {
  platform: RepoPlatform;
  /** Shared by every job and process (Redis in production): an org asks a registry once per image. */
  registryCache: Cache;
  /** How users address the app in comments, e.g. `@dockhand`. */
  mention: string;
  now?: () => number;
  log?: WorkerLogger;
  /**
   * The operator's registries, allowed non-public hosts and job limits (DOCKHAND_OPERATOR_CONFIG): the
   * repository's own config never sets these. Default: no registries, public hosts only, default limits.
   */
  operator?: OperatorSettings;
  /** Registry client settings for tests and benches (local registries standing in for public ones). */
  registry?: Pick<RegistryClientOptions, 'hostUrls' | 'resolver' | 'limits'>;
  /** npm and PyPI transport limits for tests (retries, timeouts). */
  packageLimits?: Partial<TransportLimits>;
  /**
   * The job will be retried if it fails (attempts remain): a registry that was rate limited, failing or
   * slow then fails the job after everything else is published, so the queue retries it with backoff.
   * On the last attempt those lookups are only reported.
   */
  retryTransientLookups?: boolean;
  /** Where each successful run's compliance report is kept (issue 11); absent: none is made. */
  reports?: ReportStore;
}

export async function runRepositoryJob(data: RepoJobData, deps: RepoJobDeps): Promise<RepoResult> {
  const now = deps.now ?? Date.now;
  const { platform } = deps;
  const result = emptyResult(data, now());
  const finish = (): RepoResult => {
    result.durationMs = now() - Date.parse(result.startedAt);
    result.apiCalls = { ...platform.usage };
    return result;
  };

  const repo = await platform.getRepository();
  if (repo.archived) {
    Object.assign(result, { outcome: 'skipped', detail: 'archived' });
    return finish();
  }
  if (data.reason === 'pull-request') {
    Object.assign(result, await checkPullRequest(data, repo, platform));
    return finish();
  }

  const read = await platform.readFiles(repo.defaultBranch);
  result.commit = read.commit;
  const jobConfig = await readJobConfig(platform, repo.owner, read.files);
  const pulls: KnownPull[] = (await platform.listPullRequests(BRANCH_PREFIX)).map((pull) => ({
    pull,
    marker: parseMarker(pull.body),
  }));
  await recognizeOwnHeads(pulls, platform);
  const dashboard = await DashboardContext.load(platform, DASHBOARD_LABEL);

  if (!jobConfig.ok) {
    // Nothing is changed with settings Dockhand cannot read: they may hold the user's ignores.
    result.outcome = 'failed';
    result.detail = 'invalid configuration';
    result.errors.push(jobConfig.error);
    await syncDashboard(platform, dashboard, {
      enabled: true,
      repository: repo.fullName,
      mention: deps.mention,
      lastRun: { date: result.startedAt.slice(0, 10), commit: read.commit, outcome: 'failed' },
      configErrors: [jobConfig.error],
      open: openPulls(pulls),
      pending: [],
      ignored: [],
      failed: [],
      findings: [],
      hidden: dashboard.state,
    });
    return finish();
  }
  const { config } = jobConfig;

  const operator = deps.operator ?? operatorSettings({}, {});
  const hosts = registriesFor(operator.registries, repo.fullName);
  for (const host of unconfiguredNames(config.registries, hosts))
    result.errors.push(`registries: ${host} is named, but this Dockhand has no registry configured for it`);
  let requests = 0;
  const countRequest = () => (result.registryRequests = ++requests);
  // Real time, whatever clock the job's decisions use: a hostile host or lockfile holds a worker no
  // longer than this (lookups end at it; no package manager is started after it).
  const deadline = Date.now() + operator.limits.jobDeadlineSeconds * 1000;
  const client = registryClient(hosts, operator, config, deps, countRequest, deadline);
  const packages = packageLookups(operator, config, deps, countRequest, deadline);
  const watched = watchTransientFailures(client);
  const { lookups } = watched;
  // The registries' connections are closed however the lookups and planning end.
  const dockerfiles = collectDockerfiles();
  const releaseDates = new Map<string, string>();
  const { scan, actions, plans } = await closing([client, packages], async () => {
    const scan = await scanAndResolve(read, config, lookups, packages, now(), dockerfiles.onRead);
    const dependencies = scan.files.flatMap((file) => file.deps);
    result.deps = dependencies.length;
    result.updates = dependencies.reduce((sum, dep) => sum + (dep.updates?.length ?? 0), 0);
    result.findings = countFindings(scan.findings);
    result.errors.push(...lookupErrorLines(dependencies));
    const erroredImages = new Set(dependencies.filter((dep) => dep.lookupError).map((dep) => dep.depName));

    const plans = planBranches(scan.files, config.pullRequests);
    const commands = commandsOf(data);
    const recreate = await applyCommands(commands, pulls, plans, dashboard.requests, platform, deps.mention);
    const rebase = commands.findLast((c) => c.command === 'rebase');

    const actions = reconcile({
      plans,
      // The maintenance rebuild and lock file maintenance PRs are not updates: reconcile would close them
      // as unplanned.
      pulls: pulls.filter((known) => !OWN_BRANCHES.has(known.pull.head)).map((known) => known.pull),
      baseSha: read.commit,
      settings: config.pullRequests,
      now: now(),
      erroredImages,
      ...(rebase ? { command: { kind: 'rebase' as const, number: rebase.number } } : {}),
      approved: new Set(dashboard.requests.flatMap((r) => (r.kind === 'approve' ? [r.branch] : []))),
      recreate,
    });
    await datePublished(actions, lookups);
    // The report's ages and libyears: dates planning did not need, from the same (cached) lookups.
    if (deps.reports) await addReleaseDates(scan.files, lookups, packages, releaseDates);
    return { scan, actions, plans };
  });
  const base = new Map(read.files.map((file) => [file.path, file.bytes]));
  const lockfiles = {
    deadline,
    registries: {
      npm: operator.packages.npm.url,
      npmScopes: npmScopeUrls(operator.packages.npm),
      pypi: operator.packages.pypi.url,
    },
    depsByPath: new Map(scan.files.map((file) => [file.path, file.deps])),
  };
  const publisher = new Publisher(
    platform,
    repo,
    read.commit,
    config,
    deps.mention,
    now,
    result,
    base,
    lockfiles,
  );
  await publisher.run(actions, pulls);

  const maintenance = inMaintenance(config.maintenance, repo.pushedAt, now());
  if (data.reason === 'schedule' && lockMaintenanceOn(config.lockFileMaintenance, maintenance))
    await publisher.lockFileMaintenance(pulls, await refreshLockfiles(scan.files, base, lockfiles));

  if (config.codeScanning)
    await uploadFindings(platform, scan, read.commit, `refs/heads/${repo.defaultBranch}`, result);

  const automerge = await automergePulls(
    pulls.filter((known) => known.pull.state === 'open'),
    {
      platform,
      config,
      defaultBranch: repo.defaultBranch,
      maintenance,
      now: now(),
      plans,
      rebase: (plan, pull) => publisher.rebase(plan, pull),
    },
  );
  result.automerge = automerge;

  await sweepBranches(platform, publisher.openPulls());

  const rebuild = decideRebuild({
    settings: config.maintenance,
    maintenance,
    scheduled: data.reason === 'schedule',
    requested: dashboard.requests.some((r) => r.kind === 'rebuild'),
    // A PR opened, updated or merged this run has CI build the images: that is this week's rebuild.
    changedFiles:
      result.pullRequests.opened.length + result.pullRequests.updated.length + automerge.merged.length > 0,
    ...(dashboard.state.lastRebuild ? { lastRebuild: dashboard.state.lastRebuild } : {}),
    now: now(),
  });
  if (rebuild.kind === 'dispatch') {
    try {
      await platform.dispatchWorkflow(rebuild.workflow, repo.defaultBranch, rebuild.inputs);
      result.rebuild = { kind: 'dispatch', workflow: rebuild.workflow };
    } catch (error) {
      // A missing workflow or one without `workflow_dispatch` is the user's to fix: shown, not retried.
      if (!(error instanceof PermanentJobError)) throw error;
      result.errors.push(`maintenance.workflow ${rebuild.workflow}: ${error.message}`);
    }
  } else if (rebuild.kind === 'pull-request') {
    await publisher.rebuildPullRequest(pulls);
    result.rebuild = { kind: 'pull-request' };
  }

  const rebuilt = result.rebuild || (maintenance && automerge.merged.length > 0);
  const lastRebuild = rebuilt ? result.startedAt : dashboard.state.lastRebuild;
  await syncDashboard(platform, dashboard, {
    // Only where there is something to show: a repository without container files or package manifests
    // gets none, and one left from earlier (its files removed) is closed.
    enabled: config.dashboard && hasDependencyFiles(scan),
    repository: repo.fullName,
    mention: deps.mention,
    lastRun: { date: result.startedAt.slice(0, 10), commit: read.commit, outcome: 'ok' },
    configErrors: [],
    open: publisher.openPulls(),
    pending: actions.flatMap((a) =>
      a.kind === 'pending' ? [{ branch: a.plan.branch, title: a.plan.title, reason: a.reason }] : [],
    ),
    ignored: actions.flatMap((a) =>
      a.kind === 'ignored' ? [{ branch: a.plan.branch, title: a.plan.title, number: a.pull.number }] : [],
    ),
    failed: result.errors,
    automerge,
    ...packageRows(scan),
    findings: scan.findings,
    ...(maintenance
      ? { maintenance: { workflow: config.maintenance.workflow, ...(lastRebuild ? { lastRebuild } : {}) } }
      : {}),
    hidden: lastRebuild ? { lastRebuild } : {},
  });
  if (watched.transient.length > 0 && deps.retryTransientLookups) {
    throw new TransientJobError(
      `${watched.transient.length} registry lookups failed for now (${watched.transient[0]}); the job will be retried`,
    );
  }
  if (deps.reports) {
    const pullRequests = publisher.openPulls().map(({ number, title, branch }) => ({
      number,
      title,
      branch,
      createdAt: pulls.find((known) => known.pull.number === number)?.pull.createdAt ?? result.startedAt,
      url: null,
    }));
    // GitHub's first CODEOWNERS found; the tree listing claims them, so reading costs no request.
    const codeowners = CODEOWNERS_LOCATIONS.map((path) => read.files.find((file) => file.path === path)).find(
      Boolean,
    );
    await saveReport(deps, data, jobConfig.reports, result, {
      scan,
      ...(codeowners && { codeowners: parseCodeOwners(Buffer.from(codeowners.bytes).toString('utf8')) }),
      dockerfiles: dockerfiles.facts,
      releaseDates,
      pullRequests,
      maintenance: {
        enabled: maintenance,
        lastRebuildAt: await lastRebuildSeen(platform, config, maintenance, lastRebuild),
      },
    });
  }
  return finish();
}

/**
 * When the images were last rebuilt, as far as GitHub shows it: the newest successful run of the
 * maintenance workflow; without one configured, when Dockhand last triggered a rebuild.
 */
async function lastRebuildSeen(
  platform: RepoPlatform,
  config: Config,
  maintenance: boolean,
  triggered: string | undefined,
): Promise<string | null> {
  const workflow = config.maintenance.workflow;
  if (!maintenance || !workflow) return triggered ?? null;
  return platform.lastSuccessfulRun(workflow);
}

/** The run's compliance report into the store; a store that fails is logged and shown, never fails the job. */
async function saveReport(
  deps: RepoJobDeps,
  data: RepoJobData,
  reports: Config['reports'],
  result: RepoResult,
  input: Omit<RepoFactsInput, 'repository' | 'now' | 'resolved'>,
): Promise<void> {
  try {
    const at = new Date(Date.parse(result.startedAt));
    const facts = repoFacts({ ...input, repository: data.repository, now: at, resolved: true });
    await deps.reports!.save(data.installationId, repoReport(facts, reports), at);
  } catch (error) {
    const message = `compliance report not saved: ${(error as Error).message}`;
    deps.log?.warn({ repository: data.repository }, message);
    result.errors.push(message);
  }
}

/**
 * Dockerfiles, package manifests, and YAML files in which a manager found images or builds. A YAML file
 * that no manager extracts anything from (`mkdocs.yml`, the org's `dockhand.yml`) does not count.
 */
function hasDependencyFiles(scan: ScanResult): boolean {
  return scan.files.some(
    (file) => file.manager === 'dockerfile' || file.deps.length > 0 || (file.builds?.length ?? 0) > 0,
  );
}

/** Branches of Dockhand's own PRs that carry no planned update. */
const OWN_BRANCHES: ReadonlySet<string> = new Set([REBUILD_BRANCH, LOCK_MAINTENANCE_BRANCH]);

function lockMaintenanceOn(setting: Config['lockFileMaintenance'], maintenance: boolean): boolean {
  return setting === 'on' || (setting === 'maintenance' && maintenance);
}

/** The dashboard's rows for package releases not proposed: held back, or within the written range. */
function packageRows(scan: ScanResult): Pick<DashboardInput, 'heldBack' | 'lockfileOnly'> {
  const heldBack: NonNullable<DashboardInput['heldBack']> = [];
  const lockfileOnly: NonNullable<DashboardInput['lockfileOnly']> = [];
  for (const file of scan.files) {
    for (const dep of file.deps) {
      const dependency = packageName(dep);
      if (dep.heldBack) heldBack.push({ dependency, path: file.path, ...dep.heldBack });
      for (const update of dep.updates ?? [])
        if (update.isLockfileUpdate && update.newVersion)
          lockfileOnly.push({ dependency, path: file.path, version: update.newVersion });
    }
  }
  return { heldBack, lockfileOnly };
}

/** A client for this job alone: its network policy, budgets and deadline end with the job. */
function registryClient(
  hosts: RegistryHostConfig[],
  operator: OperatorSettings,
  config: Config,
  deps: RepoJobDeps,
  onRequest: () => void,
  deadline: number,
): RegistryClient {
  return new RegistryClient({
    cache: deps.registryCache,
    hosts,
    network: NetworkPolicy.publicOnly(operator.allow),
    limits: registryLimits(operator.limits),
    deadline,
    ttlSeconds: config.cacheTtlSeconds,
    onRequest,
    logger: { warn: (message) => deps.log?.warn({}, message) },
    ...deps.registry,
  });
}

/**
 * npm and PyPI for this job alone, under the same network policy, deadline and budgets as the images.
 * A dependency without a registry of its own (`.npmrc`, `--index-url`) is looked up at the operator's.
 */
function packageLookups(
  operator: OperatorSettings,
  config: Config,
  deps: RepoJobDeps,
  onRequest: () => void,
  deadline: number,
): PackageLookups {
  const { npm, pypi } = operator.packages;
  return createPackageLookups({
    cache: deps.registryCache,
    // The operator's registries may be internal hosts: configuring them allows them (npm adds its own).
    network: NetworkPolicy.publicOnly([...operator.allow, new URL(pypi.url).host]),
    deadline,
    limits: { ...registryLimits(operator.limits), ...deps.packageLimits },
    ttlSeconds: config.cacheTtlSeconds,
    onRequest,
    warn: (message) => deps.log?.warn({}, message),
    defaultRegistryUrls: { npm: npm.url, pypi: pypi.url },
    npmRegistries: [npm, ...Object.values(npm.scopes)],
    npmScopes: npmScopeUrls(npm),
    ...(deps.registry?.resolver && { resolver: deps.registry.resolver }),
  });
}

async function scanAndResolve(
  read: { files: { path: string; bytes: Buffer }[]; skipped: ScanResult['skipped'] },
  config: Config,
  lookups: RegistryLookups,
  packages: PackageLookups,
  now: number,
  onRead: (path: string, bytes: Buffer) => void,
): Promise<ScanResult> {
  const source = memorySource(read.files, read.skipped, pathMatcher(config.ignorePaths));
  return scanSource(source, config, {
    resolve: (files) => resolveFiles(files, config.updates, lookups, { now, packages }),
    onRead,
  });
}

/**
 * The image dates the PR table shows (how old the proposed image is). Content-addressed, so each is
 * asked once ever; a registry that cannot say leaves the cell empty.
 */
async function datePublished(actions: readonly Action[], lookups: RegistryLookups): Promise<void> {
  for (const action of actions) {
    if (action.kind !== 'create' && action.kind !== 'update') continue;
    for (const { dep, update } of action.plan.changes) {
      if (update.releaseTimestamp || !update.newDigest || !dep.registry || !dep.repository) continue;
      const image = { registry: dep.registry, repository: dep.repository };
      const created = await lookups.getCreated(image, update.newDigest).catch(() => null);
      if (created) update.releaseTimestamp = created;
    }
  }
}

function openPulls(pulls: readonly KnownPull[]): { number: number; title: string; branch: string }[] {
  return pulls
    .filter(({ pull }) => pull.state === 'open')
    .map(({ pull }) => ({ number: pull.number, title: pull.title, branch: pull.head }));
}

function emptyResult(data: RepoJobData, startedAt: number): RepoResult {
  return {
    installationId: data.installationId,
    repository: data.repository,
    reason: data.reason,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: 0,
    outcome: 'ok',
    commit: null,
    deps: 0,
    updates: 0,
    findings: { error: 0, warning: 0, info: 0 },
    pullRequests: { opened: [], updated: [], closed: [], pending: [] },
    errors: [],
    apiCalls: { requests: 0, notModified: 0 },
    registryRequests: 0,
  };
}

/** Runs `use`, then closes the clients' connections, also when `use` throws. */
async function closing<T>(clients: readonly { close(): Promise<void> }[], use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}
