// Whether and how one of Dockhand's pull requests is merged without a human (issue 13). Pure: the job
// reads the PR, the repository's merge settings, the required checks of its base branch and the checks
// on its head commit, and carries out the decision.
//
// In order: GitHub's native auto-merge where the repository allows it and the base branch requires
// checks (GitHub then merges when they pass); otherwise Dockhand merges itself once every check run
// and status on the head has completed successfully. Never a head someone else pushed, never around
// branch protection, never without any check unless the repository opted in.

import type { HeadChecks, MergeMethod } from './types.js';

/** GitHub's order of preference for Dockhand's one-commit branches. */
const METHOD_ORDER: readonly MergeMethod[] = ['squash', 'merge', 'rebase'];

export interface AutomergeInput {
  /** Every change of the branch may be merged automatically (config, rules, maintenance preset). */
  eligible: boolean;
  /** The PR's head is still the commit Dockhand pushed (its marker's). */
  ownHead: boolean;
  /** Inside `automergeSchedule` (or there is none). */
  inWindow: boolean;
  /** GitHub's native auto-merge is already on for the PR. */
  autoMergeEnabled: boolean;
  /** GitHub's `mergeable_state` of the PR (null: not computed yet). */
  mergeableState: string | null;
  settings: { allowAutoMerge: boolean; methods: readonly MergeMethod[] };
  /** Status check contexts the base branch's protection requires. */
  requiredChecks: readonly string[];
  checks: HeadChecks;
  /** Dockhand's own lint check: it shows nothing about whether the update works. */
  ownCheckName: string;
  /** `automergeWithoutChecks`: merge a PR on which no check ran. */
  withoutChecks: boolean;
}

export type AutomergeDecision =
  | { kind: 'skip'; why: string }
  | { kind: 'enable-native'; method: MergeMethod }
  | { kind: 'wait'; why: string }
  | { kind: 'rebase' }
  | { kind: 'merge'; method: MergeMethod }
  | { kind: 'failed'; checks: string[] }
  | { kind: 'blocked'; reason: string };

const PASSED = new Set(['success', 'neutral', 'skipped']);

export function decideAutomerge(input: AutomergeInput): AutomergeDecision {
  if (!input.eligible) return { kind: 'skip', why: 'automerge is off for these updates' };
  if (!input.ownHead) return { kind: 'skip', why: 'someone else pushed to the branch' };
  if (!input.inWindow) return { kind: 'skip', why: 'outside automergeSchedule' };
  if (input.autoMergeEnabled) return { kind: 'skip', why: 'GitHub merges it when its checks pass' };
  const method = METHOD_ORDER.find((m) => input.settings.methods.includes(m));
  if (!method) return { kind: 'blocked', reason: 'the repository allows no merge method' };

  const failed = failedChecks(input.checks);
  if (failed.length > 0) return { kind: 'failed', checks: failed };
  if (
    input.settings.allowAutoMerge &&
    input.requiredChecks.length > 0 &&
    pending(input.checks, input.requiredChecks)
  )
    return { kind: 'enable-native', method };

  const ran =
    input.checks.checkRuns.some((run) => run.name !== input.ownCheckName) || input.checks.statuses.length > 0;
  if (!ran && !input.withoutChecks)
    return {
      kind: 'blocked',
      reason:
        'no check ran on this pull request, so nothing shows the update works (automergeWithoutChecks: true merges anyway)',
    };
  if (pending(input.checks, input.requiredChecks)) return { kind: 'wait', why: 'checks are still running' };

  switch (input.mergeableState) {
    case 'behind':
      return { kind: 'rebase' };
    case 'blocked':
      return {
        kind: 'blocked',
        reason: 'branch protection requires more than passing checks (reviews or other rules)',
      };
    case 'dirty':
      return { kind: 'rebase' };
    case null:
    case 'unknown':
      return { kind: 'wait', why: 'GitHub has not worked out whether it can be merged yet' };
    default:
      return { kind: 'merge', method };
  }
}

/** Checks that ended other than successfully, by name, sorted. */
export function failedChecks(checks: HeadChecks): string[] {
  const failed = [
    ...checks.checkRuns
      .filter((run) => run.status === 'completed' && !PASSED.has(run.conclusion ?? ''))
      .map((run) => run.name),
    ...checks.statuses.filter((s) => s.state === 'failure' || s.state === 'error').map((s) => s.context),
  ];
  return [...new Set(failed)].sort();
}

/** A check still running, or a required one that has not reported at all. */
function pending(checks: HeadChecks, required: readonly string[]): boolean {
  if (checks.checkRuns.some((run) => run.status !== 'completed')) return true;
  if (checks.statuses.some((s) => s.state === 'pending')) return true;
  const reported = new Set([
    ...checks.checkRuns.map((r) => r.name),
    ...checks.statuses.map((s) => s.context),
  ]);
  return required.some((name) => !reported.has(name));
}
