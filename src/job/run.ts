// The repository job: read the repository through the platform, scan and resolve it as `dockhand scan
// --resolve` would, plan branches, reconcile them with the pull requests Dockhand already opened, and
// publish (commits, PRs, comments), then the dashboard issue and maintenance rebuilds. Every decision is
// made by the pure modules beside this one; this file only sequences them and talks to the platform.
import { DASHBOARD_LABEL } from '../app/dashboard.js';
import type { Cache } from '../cache/types.js';
import type { Config } from '../config/schema.js';
import { RegistryClient, type RegistryClientOptions } from '../datasources/docker/index.js';
import type { RegistryLookups } from '../plan/plan.js';
import { resolveFiles } from '../plan/resolve.js';
import type { PendingCommand } from '../queue/commands.js';
import type { RepoJobData } from '../queue/types.js';
import { PermanentJobError, TransientJobError, type WorkerLogger } from '../queue/worker.js';
import { pathMatcher } from '../scan/glob.js';
import { memorySource, scanSource, type ScanResult } from '../scan/scan.js';
import { BRANCH_PREFIX, planBranches } from './branches.js';
import { uploadFindings } from './code-scanning.js';
import { readJobConfig } from './config.js';
import { DashboardContext, syncDashboard } from './dashboard.js';
import { branchFiles } from './edits.js';
import { decideRebuild, inMaintenance } from './maintenance.js';
import { parseMarker, withMarker } from './marker.js';
import { countFindings } from './findings.js';
import { watchTransientFailures } from './lookups.js';
import { checkPullRequest } from './pull-check.js';
import { renderPullBody } from './pull-body.js';
import { reconcile, type Action } from './reconcile.js';
import type { BranchPlan, PullMarker, PullRequest, RepoInfo, RepoPlatform, RepoResult } from './types.js';

export interface RepoJobDeps {
  platform: RepoPlatform;
  /** Shared by every job and process (Redis in production): an org asks a registry once per image. */
  registryCache: Cache;
  /** How users address the app in comments, e.g. `@dockhand`. */
  mention: string;
  now?: () => number;
  log?: WorkerLogger;
  /** Registry client settings beyond the repository's config (tests map hosts to local registries). */
  registry?: Pick<RegistryClientOptions, 'hostUrls' | 'env' | 'limits'>;
  /**
   * The job will be retried if it fails (attempts remain): a registry that was rate limited, failing or
   * slow then fails the job after everything else is published, so the queue retries it with backoff.
   * On the last attempt those lookups are only reported.
   */
  retryTransientLookups?: boolean;
}

/** A PR and what Dockhand remembers in it. */
interface KnownPull {
  pull: PullRequest;
  marker: PullMarker | null;
}

const REBUILD_BRANCH = `${BRANCH_PREFIX}rebuild`;
/** A trailer in every commit Dockhand makes: how a later run recognises its own branch heads. */
const COMMIT_TRAILER = 'Dockhand-Branch';

function commitMessageFor(title: string, branch: string): string {
  return `${title}\n\n${COMMIT_TRAILER}: ${branch}`;
}

async function isOwnCommit(platform: RepoPlatform, sha: string, branch: string): Promise<boolean> {
  const message = await platform.commitMessage(sha);
  return message.split('\n').includes(`${COMMIT_TRAILER}: ${branch}`);
}

/**
 * Dockhand branches without an open PR (merged or closed PRs whose branch stayed, a run killed between
 * pushing and opening) are deleted — only when their head is Dockhand's own commit, never a user's.
 */
async function sweepBranches(platform: RepoPlatform, open: readonly { branch: string }[]): Promise<void> {
  const kept = new Set(open.map((pull) => pull.branch));
  for (const branch of await platform.listBranches(BRANCH_PREFIX)) {
    if (kept.has(branch.name)) continue;
    if (await isOwnCommit(platform, branch.sha, branch.name)) await platform.deleteBranch(branch.name);
  }
}

/**
 * A PR whose head is not the commit its marker names was pushed to by someone else, and is left alone
 * — unless the head is Dockhand's own commit: a run that pushed and was killed before it could record
 * the commit in the PR body. Such markers are corrected (in memory; the next publish writes them).
 */
async function recognizeOwnHeads(pulls: KnownPull[], platform: RepoPlatform): Promise<void> {
  for (const known of pulls) {
    const { pull, marker } = known;
    if (pull.state !== 'open' || !marker?.commit || pull.headSha === marker.commit) continue;
    if (!(await isOwnCommit(platform, pull.headSha, pull.head))) continue;
    known.marker = { ...marker, commit: pull.headSha };
    known.pull = { ...pull, body: withMarker(pull.body, known.marker) };
  }
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

  const watched = watchTransientFailures(
    registryClient(config, deps, (count) => (result.registryRequests = count)),
  );
  const { lookups } = watched;
  const scan = await scanAndResolve(read, config, lookups, now());
  const dependencies = scan.files.flatMap((file) => file.deps);
  result.deps = dependencies.length;
  result.updates = dependencies.reduce((sum, dep) => sum + (dep.updates?.length ?? 0), 0);
  result.findings = countFindings(scan.findings);
  for (const dep of dependencies)
    if (dep.lookupError) result.errors.push(`${dep.depName}: ${dep.lookupError}`);
  const erroredImages = new Set(dependencies.filter((dep) => dep.lookupError).map((dep) => dep.depName));

  const plans = planBranches(scan.files, config.pullRequests);
  const commands = commandsOf(data);
  const recreate = await applyCommands(commands, pulls, plans, dashboard.requests, platform, deps.mention);
  const rebase = commands.findLast((c) => c.command === 'rebase');

  const actions = reconcile({
    plans,
    // The maintenance rebuild PR is not an update: reconcile would close it as unplanned.
    pulls: pulls.filter((known) => known.pull.head !== REBUILD_BRANCH).map((known) => known.pull),
    baseSha: read.commit,
    settings: config.pullRequests,
    now: now(),
    erroredImages,
    ...(rebase ? { command: { kind: 'rebase' as const, number: rebase.number } } : {}),
    approved: new Set(dashboard.requests.flatMap((r) => (r.kind === 'approve' ? [r.branch] : []))),
    recreate,
  });
  await datePublished(actions, lookups);
  const base = new Map(read.files.map((file) => [file.path, file.bytes]));
  const publisher = new Publisher(platform, repo, read.commit, config, deps.mention, now, result, base);
  await publisher.run(actions, pulls);

  if (config.codeScanning)
    await uploadFindings(platform, scan, read.commit, `refs/heads/${repo.defaultBranch}`, result);

  await sweepBranches(platform, publisher.openPulls());

  const maintenance = inMaintenance(config.maintenance, repo.pushedAt, now());
  const rebuild = decideRebuild({
    settings: config.maintenance,
    maintenance,
    scheduled: data.reason === 'schedule',
    requested: dashboard.requests.some((r) => r.kind === 'rebuild'),
    changedFiles: result.pullRequests.opened.length + result.pullRequests.updated.length > 0,
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

  const lastRebuild = result.rebuild ? result.startedAt : dashboard.state.lastRebuild;
  await syncDashboard(platform, dashboard, {
    // A repository without container files gets no dashboard (one already there is kept up to date).
    enabled: config.dashboard && (read.files.length > 0 || dashboard.issue !== undefined),
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
  return finish();
}

function registryClient(
  config: Config,
  deps: RepoJobDeps,
  onRequests: (count: number) => void,
): RegistryClient {
  let requests = 0;
  return new RegistryClient({
    cache: deps.registryCache,
    hosts: config.registries,
    ttlSeconds: config.cacheTtlSeconds,
    onRequest: () => onRequests(++requests),
    logger: { warn: (message) => deps.log?.warn({}, message) },
    ...deps.registry,
  });
}

async function scanAndResolve(
  read: { files: { path: string; bytes: Buffer }[]; skipped: ScanResult['skipped'] },
  config: Config,
  lookups: RegistryLookups,
  now: number,
): Promise<ScanResult> {
  const source = memorySource(read.files, read.skipped, pathMatcher(config.ignorePaths));
  return scanSource(source, config, {
    resolve: (files) => resolveFiles(files, config.updates, lookups, { now }),
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

/**
 * Comment commands and dashboard ticks that change what Dockhand remembers: `recreate` lifts a closed
 * PR's "never again" (for good: the marker says so), `ignore this …` closes the PR and records the
 * ignore in its marker. Returns the PRs to recreate now, whatever the limits.
 */
async function applyCommands(
  commands: readonly PendingCommand[],
  pulls: KnownPull[],
  plans: BranchPlan[],
  requests: DashboardContext['requests'],
  platform: RepoPlatform,
  mention: string,
): Promise<Set<number>> {
  const remember = async (known: KnownPull, marker: PullMarker, state?: 'closed'): Promise<void> => {
    const body = withMarker(known.pull.body, marker);
    await platform.updatePullRequest(known.pull.number, { body, ...(state ? { state } : {}) });
    known.pull = { ...known.pull, body, ...(state ? { state } : {}) };
    known.marker = marker;
  };
  const recreate = new Set([
    ...requests.flatMap((r) => (r.kind === 'recreate' ? [r.number] : [])),
    ...commands.flatMap((c) => (c.command === 'recreate' ? [c.number] : [])),
  ]);
  for (const known of pulls) {
    if (recreate.has(known.pull.number) && known.marker && known.pull.state === 'closed')
      await remember(known, { ...known.marker, recreated: true });
  }

  for (const { command, number } of commands) {
    if (!command.startsWith('ignore ')) continue;
    const known = pulls.find((k) => k.pull.number === number);
    // Not a Dockhand PR (no marker), or already refused.
    if (!known?.marker || known.marker.ignore) continue;
    const plan = plans.find((p) => p.branch === known.pull.head);
    const change = plan?.changes.find((c) => c.update.newValue !== null) ?? plan?.changes[0];
    const image = change?.dep.depName ?? plan?.images[0];
    const scope = command.slice('ignore '.length);
    const ignore =
      image === undefined
        ? undefined
        : ignoreMarker(scope, image, change?.update.newValue ?? change?.dep.tag);
    // The comment below already says how to undo: no second "how to get it back" later.
    await remember(known, { ...known.marker, ...(ignore ? { ignore } : {}), notified: true }, 'closed');
    await platform.comment(
      number,
      ignore
        ? `Dockhand will not propose ${describeIgnore(ignore)} again. Comment \`${mention} recreate\` here to undo.`
        : `Closed. Dockhand will not propose this update again; comment \`${mention} recreate\` here to undo.`,
    );
  }
  return recreate;
}

/** The comment commands this run acts on: the repository's inbox, else the job's own command. */
function commandsOf(data: RepoJobData): PendingCommand[] {
  if (data.commands) return data.commands;
  return data.reason === 'command' && data.command !== undefined && data.number !== undefined
    ? [{ command: data.command, number: data.number }]
    : [];
}

function ignoreMarker(
  scope: string,
  image: string,
  version: string | null | undefined,
): PullMarker['ignore'] {
  if (scope === 'image') return { scope: 'image', image };
  if (scope !== 'major' && scope !== 'minor' && scope !== 'version') return undefined;
  const release = (version ?? '').split(/[-_]/)[0] ?? '';
  const parts = release.split('.');
  const kept = scope === 'major' ? parts.slice(0, 1) : scope === 'minor' ? parts.slice(0, 2) : undefined;
  return { scope, image, version: kept ? kept.join('.') : (version ?? '') };
}

function describeIgnore(ignore: NonNullable<PullMarker['ignore']>): string {
  const name = ignore.image.replace(/^docker\.io\/(library\/)?/, '');
  if (ignore.scope === 'image') return `any update of ${name}`;
  const what = ignore.scope === 'version' ? 'version' : `${ignore.scope} version`;
  return `${name} ${what} ${ignore.version ?? ''}`.trim();
}

/** Carries out reconcile's actions: commits and PRs first (so closes can name what superseded them). */
class Publisher {
  /** Open Dockhand PRs by branch, as this run leaves them. */
  private readonly open = new Map<string, { number: number; title: string }>();

  constructor(
    private readonly platform: RepoPlatform,
    private readonly repo: RepoInfo,
    private readonly baseSha: string,
    private readonly config: Config,
    private readonly mention: string,
    private readonly now: () => number,
    private readonly result: RepoResult,
    private readonly base: ReadonlyMap<string, Uint8Array>,
  ) {}

  async run(actions: Action[], pulls: KnownPull[]): Promise<void> {
    for (const { pull } of pulls)
      if (pull.state === 'open') this.open.set(pull.head, { number: pull.number, title: pull.title });
    for (const action of actions) {
      if (action.kind === 'create') await this.publish(action.plan);
      else if (action.kind === 'update') await this.publish(action.plan, action.pull);
      else if (action.kind === 'pending') this.result.pullRequests.pending.push(action.plan.branch);
    }
    for (const action of actions) {
      if (action.kind === 'close')
        await this.close(action.pull, action.reason === 'superseded' ? action.by : undefined);
      else if (action.kind === 'notify') await this.notify(action.pull);
    }
  }

  private async publish(plan: BranchPlan, existing?: PullRequest): Promise<void> {
    const built = branchFiles(plan, this.base);
    this.result.errors.push(...built.problems);
    if (built.files.size === 0) return;
    const commit = await this.platform.commitFiles({
      branch: plan.branch,
      parent: this.baseSha,
      message: commitMessageFor(plan.title, plan.branch),
      files: Object.fromEntries(built.files),
    });
    const marker: PullMarker = {
      branch: plan.branch,
      fingerprint: plan.fingerprint,
      commit,
      base: this.baseSha,
    };
    const body = renderPullBody(
      { ...plan, changes: built.applied },
      {
        mention: this.mention,
        now: this.now(),
        marker,
        ...(built.problems.length ? { notes: built.problems } : {}),
      },
    );
    if (existing) {
      await this.platform.updatePullRequest(existing.number, { title: plan.title, body });
      this.open.set(plan.branch, { number: existing.number, title: plan.title });
      this.result.pullRequests.updated.push(existing.number);
      return;
    }
    const created = await this.platform.createPullRequest({
      head: plan.branch,
      base: this.repo.defaultBranch,
      title: plan.title,
      body,
      labels: this.config.pullRequests.labels,
    });
    this.open.set(plan.branch, { number: created.number, title: plan.title });
    this.result.pullRequests.opened.push(created.number);
  }

  /** `by`: the branch that now carries the PR's images (superseded), else the update is obsolete. */
  private async close(pull: PullRequest, by?: string): Promise<void> {
    if (pull.state !== 'open') return;
    const marker = parseMarker(pull.body);
    const successor = by === undefined ? undefined : this.open.get(by)?.number;
    await this.platform.comment(
      pull.number,
      by !== undefined
        ? `Superseded by ${successor ? `#${successor}` : `the \`${by}\` branch`}: Dockhand closes this one.`
        : 'The repository no longer needs this update (it was applied another way or the image is gone): Dockhand closes this pull request.',
    );
    await this.platform.updatePullRequest(pull.number, {
      state: 'closed',
      ...(marker ? { body: withMarker(pull.body, { ...marker, closedBy: 'dockhand' }) } : {}),
    });
    await this.platform.deleteBranch(pull.head);
    this.open.delete(pull.head);
    this.result.pullRequests.closed.push(pull.number);
  }

  /** Once per closed PR: how to get the update back. */
  private async notify(pull: PullRequest): Promise<void> {
    const marker = parseMarker(pull.body);
    if (!marker) return;
    await this.platform.comment(
      pull.number,
      `Dockhand will not open this update again. To get it back, comment \`${this.mention} recreate\` here ` +
        'or tick it on the dependency dashboard issue.',
    );
    await this.platform.updatePullRequest(pull.number, {
      body: withMarker(pull.body, { ...marker, notified: true }),
    });
    await this.platform.deleteBranch(pull.head);
  }

  openPulls(): { number: number; title: string; branch: string }[] {
    return [...this.open].map(([branch, pull]) => ({ branch, ...pull })).sort((a, b) => a.number - b.number);
  }

  /** Maintenance without a workflow: an empty commit on `dockhand/rebuild` whose PR runs the image build. */
  async rebuildPullRequest(pulls: KnownPull[]): Promise<void> {
    const commit = await this.platform.commitFiles({
      branch: REBUILD_BRANCH,
      parent: this.baseSha,
      message: commitMessageFor('Rebuild images to pick up base image patches', REBUILD_BRANCH),
      files: {},
    });
    const marker: PullMarker = { branch: REBUILD_BRANCH, fingerprint: 'rebuild', commit, base: this.baseSha };
    const open = pulls.find((k) => k.pull.head === REBUILD_BRANCH && k.pull.state === 'open');
    const body = withMarker(
      'Weekly maintenance rebuild: this branch changes no file; its build pulls the newest base images. ' +
        'Merge it (or let CI build it) to publish patched images.',
      marker,
    );
    if (open) await this.platform.updatePullRequest(open.pull.number, { body });
    else {
      const created = await this.platform.createPullRequest({
        head: REBUILD_BRANCH,
        base: this.repo.defaultBranch,
        title: 'Rebuild images',
        body,
        labels: this.config.pullRequests.labels,
      });
      this.result.pullRequests.opened.push(created.number);
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
