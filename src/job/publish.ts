// Publishing a run's decisions: commits through the platform (each with a trailer that lets later runs
// recognise Dockhand's own branch heads), PRs opened, updated and closed, comments, the maintenance
// rebuild PR, and the sweep of Dockhand branches left without a PR.
import { BRANCH_PREFIX } from './branches.js';
import type { Config } from '../config/schema.js';
import { branchFiles } from './edits.js';
import { withMarker } from './marker.js';
import { renderPullBody } from './pull-body.js';
import { relockBranch, type BranchLockfiles } from './relock.js';
import {
  LOCK_MAINTENANCE_BRANCH,
  LOCK_MAINTENANCE_TITLE,
  renderLockMaintenanceBody,
  type LockRefresh,
} from './lock-maintenance.js';
import { MAX_BODY_CHARS } from './pull-body.js';
import { PermanentJobError } from '../queue/worker.js';
import type { Action } from './reconcile.js';
import type {
  BranchPlan,
  KnownPull,
  PullMarker,
  PullRequest,
  RepoInfo,
  RepoPlatform,
  RepoResult,
} from './types.js';

export const REBUILD_BRANCH = `${BRANCH_PREFIX}rebuild`;
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
export async function sweepBranches(
  platform: RepoPlatform,
  open: readonly { branch: string }[],
): Promise<void> {
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
export async function recognizeOwnHeads(pulls: KnownPull[], platform: RepoPlatform): Promise<void> {
  for (const known of pulls) {
    const { pull, marker } = known;
    if (pull.state !== 'open' || !marker?.commit || pull.headSha === marker.commit) continue;
    if (!(await isOwnCommit(platform, pull.headSha, pull.head))) continue;
    known.marker = { ...marker, commit: pull.headSha };
    known.pull = { ...pull, body: withMarker(pull.body, known.marker) };
  }
}

/** Carries out reconcile's actions: commits and PRs first (so closes can name what superseded them). */
export class Publisher {
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
    /** Regenerates the lockfiles of edited manifests; without it they are reported out of date. */
    private readonly lockfiles?: BranchLockfiles,
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
        await this.close(action.pull, action.marker, action.reason === 'superseded' ? action.by : undefined);
      else if (action.kind === 'notify') await this.notify(action.pull, action.marker);
    }
  }

  /** Rebuilds an open PR's branch on the current base (automerge on a base requiring up-to-date branches). */
  rebase(plan: BranchPlan, pull: PullRequest): Promise<void> {
    return this.publish(plan, pull);
  }

  private async publish(plan: BranchPlan, existing?: PullRequest): Promise<void> {
    const built = branchFiles(plan, this.base);
    this.result.errors.push(...built.problems);
    if (built.files.size === 0) return;
    const stale = this.lockfiles
      ? await relockBranch(built, this.base, this.lockfiles)
      : { paths: [], notes: [] };
    const notes = [...built.problems, ...stale.notes];
    const commit = await this.platform.commitFiles({
      branch: plan.branch,
      parent: this.baseSha,
      message: commitMessageFor(plan.title, plan.branch),
      files: Object.fromEntries(built.files),
    });
    if (stale.paths.length && this.config.relockWorkflow)
      notes.push(await this.dispatchRelock(this.config.relockWorkflow, plan.branch, stale.paths));
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
        ...(notes.length ? { notes } : {}),
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

  /**
   * Lockfiles Dockhand could not regenerate, handed to the repository's own workflow on the PR branch.
   * Its commit makes the branch someone else's: later runs leave it alone until a rebase is asked for.
   */
  private async dispatchRelock(workflow: string, branch: string, lockfiles: string[]): Promise<string> {
    try {
      await this.platform.dispatchWorkflow(workflow, branch, { lockfiles: lockfiles.join(' ') });
      return `Dockhand dispatched the \`${workflow}\` workflow on this branch to regenerate them.`;
    } catch (error) {
      // A missing workflow or one without `workflow_dispatch` is the user's to fix: shown, not retried.
      if (!(error instanceof PermanentJobError)) throw error;
      this.result.errors.push(`relockWorkflow ${workflow}: ${error.message}`);
      return `The \`${workflow}\` workflow could not be dispatched: ${error.message}`;
    }
  }

  /**
   * `by`: the branch that now carries the PR's images (superseded), else the update is obsolete. Its
   * branch goes with the sweep (sweepBranches), which keeps it if someone else pushed to it.
   */
  private async close(pull: PullRequest, marker: PullMarker, by?: string): Promise<void> {
    if (pull.state !== 'open') return;
    const successor = by === undefined ? undefined : this.open.get(by)?.number;
    await this.platform.comment(
      pull.number,
      by !== undefined
        ? `Superseded by ${successor ? `#${successor}` : `the \`${by}\` branch`}: Dockhand closes this one.`
        : 'The repository no longer needs this update (it was applied another way or the image is gone): Dockhand closes this pull request.',
    );
    await this.platform.updatePullRequest(pull.number, {
      state: 'closed',
      body: withMarker(pull.body, { ...marker, closedBy: 'dockhand' }),
    });
    this.open.delete(pull.head);
    this.result.pullRequests.closed.push(pull.number);
  }

  /** Once per closed PR: how to get the update back. */
  private async notify(pull: PullRequest, marker: PullMarker): Promise<void> {
    await this.platform.comment(
      pull.number,
      `Dockhand will not open this update again. To get it back, comment \`${this.mention} recreate\` here ` +
        'or tick it on the dependency dashboard issue.',
    );
    await this.platform.updatePullRequest(pull.number, {
      body: withMarker(pull.body, { ...marker, notified: true }),
    });
  }

  openPulls(): { number: number; title: string; branch: string }[] {
    return [...this.open].map(([branch, pull]) => ({ branch, ...pull })).sort((a, b) => a.number - b.number);
  }

  /**
   * The lock file maintenance PR: opened or moved to this refresh, closed once the lockfiles are current,
   * left alone when someone else pushed to it, not reopened when the user closed this same refresh.
   */
  async lockFileMaintenance(pulls: KnownPull[], refresh: LockRefresh): Promise<void> {
    const known = pulls.filter((k) => k.pull.head === LOCK_MAINTENANCE_BRANCH);
    const open = known.find((k) => k.pull.state === 'open');
    const ownOpen = open?.marker && (!open.marker.commit || open.pull.headSha === open.marker.commit);
    if (open && !ownOpen) return;
    if (refresh.files.size === 0) {
      if (open?.marker) await this.close(open.pull, open.marker);
      return;
    }
    const refused = known.some(
      ({ pull, marker }) =>
        pull.state === 'closed' &&
        !pull.merged &&
        marker?.fingerprint === refresh.fingerprint &&
        marker.closedBy !== 'dockhand' &&
        !marker.recreated,
    );
    if (refused) return;
    if (open?.marker?.fingerprint === refresh.fingerprint && open.marker.base === this.baseSha) return;
    const commit = await this.platform.commitFiles({
      branch: LOCK_MAINTENANCE_BRANCH,
      parent: this.baseSha,
      message: commitMessageFor(LOCK_MAINTENANCE_TITLE, LOCK_MAINTENANCE_BRANCH),
      files: Object.fromEntries(refresh.files),
    });
    const marker: PullMarker = {
      branch: LOCK_MAINTENANCE_BRANCH,
      fingerprint: refresh.fingerprint,
      commit,
      base: this.baseSha,
    };
    const body = withMarker(renderLockMaintenanceBody(refresh, MAX_BODY_CHARS - 1000), marker);
    if (open) {
      await this.platform.updatePullRequest(open.pull.number, { title: LOCK_MAINTENANCE_TITLE, body });
      this.result.pullRequests.updated.push(open.pull.number);
      return;
    }
    const created = await this.platform.createPullRequest({
      head: LOCK_MAINTENANCE_BRANCH,
      base: this.repo.defaultBranch,
      title: LOCK_MAINTENANCE_TITLE,
      body,
      labels: this.config.pullRequests.labels,
    });
    this.open.set(LOCK_MAINTENANCE_BRANCH, { number: created.number, title: LOCK_MAINTENANCE_TITLE });
    this.result.pullRequests.opened.push(created.number);
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
