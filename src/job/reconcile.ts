// Decides what the repository job does with this run's branch plans and the pull requests Dockhand
// opened before (each remembered by the marker in its body): create, update, keep, close, hold back,
// respect what the user refused, and comment once on PRs the user closed. Pure: the orchestrator acts.
import type { PullRequestSettings } from '../config/schema.js';
import { docker } from '../versioning/docker/index.js';
import { compare, fingerprintImages, targetOf } from './branches.js';
import { parseMarker } from './marker.js';
import type { BranchPlan, IgnoreMarker, PlannedChange, PullMarker, PullRequest } from './types.js';

const HOUR_MS = 3600_000;

export interface ReconcileInput {
  plans: readonly BranchPlan[];
  /** Every pull request on Dockhand's branches, open or closed. */
  pulls: readonly PullRequest[];
  /** The base branch head the plans were computed on. */
  baseSha: string;
  settings: PullRequestSettings;
  now: number;
  /** Images whose lookup failed this run: their PRs are never closed for lack of a plan. */
  erroredImages: ReadonlySet<string>;
  /** A comment command on one PR (`@dockhand rebase` / `@dockhand recreate`). */
  command?: { kind: 'rebase' | 'recreate'; number: number };
  /** Branches ticked on the dashboard: created now, whatever the limits. */
  approved?: ReadonlySet<string>;
  /** Closed PR numbers whose recreation was ticked on the dashboard (as a `recreate` command on each). */
  recreate?: ReadonlySet<number>;
}

/** A pull request with its parsed marker. */
export interface MarkedPull {
  pull: PullRequest;
  marker: PullMarker;
}

/** What the job does; every action on an existing PR carries the PR and its parsed marker. */
export type Action =
  /** Open a PR for the plan; `recreateOf` names the closed PR a recreate request brought back. */
  | { kind: 'create'; plan: BranchPlan; recreateOf?: number }
  /** Rebuild the PR's branch from the plan on the current base (force-push) and refresh its body. */
  | {
      kind: 'update';
      plan: BranchPlan;
      pull: PullRequest;
      marker: PullMarker;
      reason: 'changed' | 'behind' | 'command';
    }
  /**
   * Leave the branch alone: up to date, pushed to by someone else, or (no plan) its image could not be
   * looked up this run. The orchestrator may still refresh the body.
   */
  | {
      kind: 'keep';
      plan: BranchPlan | null;
      pull: PullRequest;
      marker: PullMarker;
      reason: 'up-to-date' | 'pushed-by-others' | 'lookup-failed';
    }
  /** Close an open Dockhand PR no plan wants; `by` (superseded) is the branch that now carries its images. */
  | { kind: 'close'; pull: PullRequest; marker: PullMarker; reason: 'superseded' | 'obsolete'; by?: string }
  /** The user refused this: a closed PR with the same proposal, or an ignore covering it. */
  | { kind: 'ignored'; plan: BranchPlan; pull: PullRequest; marker: PullMarker }
  /** Comment once on a PR the user closed unmerged, saying how to get it back. */
  | { kind: 'notify'; pull: PullRequest; marker: PullMarker }
  /** Held back by a limit; shown on the dashboard with a box to approve it. */
  | { kind: 'pending'; plan: BranchPlan; reason: 'concurrent-limit' | 'hourly-limit' };

export function reconcile(input: ReconcileInput): Action[] {
  const marked = markedPulls(input.pulls);
  const open = marked.filter((p) => p.pull.state === 'open');
  const closedUnmerged = marked.filter((p) => p.pull.state === 'closed' && !p.pull.merged);
  const openByBranch = new Map<string, MarkedPull>();
  for (const p of open) if (!openByBranch.has(p.pull.head)) openByBranch.set(p.pull.head, p);
  // A PR on a planned branch without a (readable) marker is someone else's: leave the branch alone.
  const foreignBranches = new Set(
    input.pulls.filter((p) => p.state === 'open' && parseMarker(p.body) === null).map((p) => p.head),
  );
  const plans = [...input.plans].sort((a, b) => compare(a.branch, b.branch));
  const planned = new Set(plans.map((p) => p.branch));
  const recreate = new Set(input.recreate ?? []);
  if (input.command?.kind === 'recreate') recreate.add(input.command.number);

  const closes: Action[] = [];
  const kept: Action[] = [];
  for (const p of open) {
    if (planned.has(p.pull.head) || openByBranch.get(p.pull.head) !== p) continue;
    const images = fingerprintImages(p.marker.fingerprint);
    if (images.some((image) => input.erroredImages.has(image))) {
      kept.push({ kind: 'keep', plan: null, ...p, reason: 'lookup-failed' });
      continue;
    }
    const successor = plans.find((plan) => images.length > 0 && images.every((i) => plan.images.includes(i)));
    closes.push(
      successor
        ? { kind: 'close', ...p, reason: 'superseded', by: successor.branch }
        : { kind: 'close', ...p, reason: 'obsolete' },
    );
  }

  const limits = new Limits(input, open.length - closes.length);
  const planActions: Action[] = [];
  for (const plan of plans) {
    const existing = openByBranch.get(plan.branch);
    if (existing) {
      planActions.push(existingAction(plan, existing, input));
      continue;
    }
    if (foreignBranches.has(plan.branch)) continue;
    const blockers = blockingPulls(plan, closedUnmerged, marked);
    const blocker = blockers.find((p) => recreate.has(p.pull.number));
    if (blockers.length > 0 && !blocker) {
      planActions.push({ kind: 'ignored', plan, ...blockers[0]! });
      continue;
    }
    // Recreating is an explicit request, like an approval: no limit holds it back.
    const bypass = blocker !== undefined || (input.approved?.has(plan.branch) ?? false);
    const held = bypass ? null : limits.holdReason();
    if (held) {
      planActions.push({ kind: 'pending', plan, reason: held });
      continue;
    }
    limits.created();
    planActions.push(
      blocker ? { kind: 'create', plan, recreateOf: blocker.pull.number } : { kind: 'create', plan },
    );
  }

  const notifies: Action[] = closedUnmerged
    .filter((p) => p.marker.closedBy !== 'dockhand' && !p.marker.notified && !p.marker.recreated)
    .map((p) => ({ kind: 'notify', ...p }));

  return [...closes, ...kept, ...planActions, ...notifies];
}

/** An open PR already carries the plan's branch: update it, or leave it be. */
function existingAction(plan: BranchPlan, existing: MarkedPull, input: ReconcileInput): Action {
  const { marker, pull } = existing;
  if (input.command?.kind !== undefined && input.command.number === pull.number) {
    return { kind: 'update', plan, ...existing, reason: 'command' };
  }
  // Never force-push over commits someone else added (only an explicit rebase command does).
  if (marker.commit !== undefined && pull.headSha !== marker.commit) {
    return { kind: 'keep', plan, ...existing, reason: 'pushed-by-others' };
  }
  if (marker.fingerprint !== plan.fingerprint)
    return { kind: 'update', plan, ...existing, reason: 'changed' };
  if (input.settings.rebaseWhen === 'behind-base-branch' && marker.base !== input.baseSha) {
    return { kind: 'update', plan, ...existing, reason: 'behind' };
  }
  return { kind: 'keep', plan, ...existing, reason: 'up-to-date' };
}

/**
 * The closed PRs that refuse this plan, newest first: those the user closed with the same proposal
 * (unless recreated since), then closed PRs whose `ignore` covers the plan's changes.
 */
function blockingPulls(
  plan: BranchPlan,
  closedUnmerged: readonly MarkedPull[],
  marked: readonly MarkedPull[],
): MarkedPull[] {
  const newestFirst = (a: MarkedPull, b: MarkedPull) => b.pull.number - a.pull.number;
  const refused = closedUnmerged
    .filter(
      (p) =>
        p.marker.fingerprint === plan.fingerprint && p.marker.closedBy !== 'dockhand' && !p.marker.recreated,
    )
    .sort(newestFirst);
  const ignores = marked
    .filter((p) => p.pull.state === 'closed' && p.marker.ignore !== undefined && !p.marker.recreated)
    .sort(newestFirst);
  // Every change must be covered, possibly by several ignores (one per image of an `all` branch).
  const coverers = plan.changes.map((c) => ignores.filter((p) => covers(p.marker.ignore!, c)));
  const ignoring =
    plan.changes.length > 0 && coverers.every((list) => list.length > 0)
      ? ignores.filter((p) => coverers.some((list) => list.includes(p)))
      : [];
  return [...refused, ...ignoring.filter((p) => !refused.includes(p))];
}

/** Whether an ignore applies to a change: `image` to anything, the version scopes to version moves. */
export function covers(ignore: IgnoreMarker, change: Pick<PlannedChange, 'dep' | 'update'>): boolean {
  if (ignore.image !== change.dep.depName) return false;
  if (ignore.scope === 'image') return true;
  const target = targetOf(change.dep, change.update);
  if (target === null || ignore.version === undefined) return false;
  switch (ignore.scope) {
    case 'version':
      return target === ignore.version;
    case 'major':
      return String(docker.getMajor(target)) === ignore.version;
    case 'minor':
      return `${docker.getMajor(target)}.${docker.getMinor(target)}` === ignore.version;
  }
}

function markedPulls(pulls: readonly PullRequest[]): MarkedPull[] {
  return pulls
    .map((pull) => ({ pull, marker: parseMarker(pull.body) }))
    .filter((p): p is MarkedPull => p.marker !== null)
    .sort((a, b) => a.pull.number - b.pull.number);
}

/** prConcurrentLimit (open Dockhand PRs) and prHourlyLimit (Dockhand PRs opened in the last hour); 0: none. */
class Limits {
  private open: number;
  private lastHour: number;

  constructor(
    private readonly input: ReconcileInput,
    openAfterCloses: number,
  ) {
    this.open = openAfterCloses;
    this.lastHour = input.pulls.filter((p) => {
      if (parseMarker(p.body) === null) return false;
      const created = Date.parse(p.createdAt);
      return created > input.now - HOUR_MS && created <= input.now;
    }).length;
  }

  holdReason(): 'concurrent-limit' | 'hourly-limit' | null {
    const { prConcurrentLimit, prHourlyLimit } = this.input.settings;
    if (prConcurrentLimit > 0 && this.open >= prConcurrentLimit) return 'concurrent-limit';
    if (prHourlyLimit > 0 && this.lastHour >= prHourlyLimit) return 'hourly-limit';
    return null;
  }

  created(): void {
    this.open += 1;
    this.lastHour += 1;
  }
}
