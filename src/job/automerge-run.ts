// Carries out automerge on a run's open Dockhand pull requests (issue 13): reads what the decision
// needs from the platform, decides (./automerge.ts) and acts — enables GitHub's auto-merge, merges,
// or says once per head commit why it did not (failed checks: a label and a comment; blocked: a
// comment). Every repository run re-evaluates, so a missed webhook only delays a merge.
import type { Config } from '../config/schema.js';
import { decideAutomerge, type AutomergeDecision } from './automerge.js';
import { automergeEligible, inAutomergeWindow } from './automerge-settings.js';
import { CHECK_NAME } from './check-run.js';
import { withMarker } from './marker.js';
import type { BranchPlan, KnownPull, PullMarker, PullRequest, RepoPlatform } from './types.js';

export const AUTOMERGE_FAILED_LABEL = 'automerge-failed';

export interface AutomergeContext {
  platform: RepoPlatform;
  config: Config;
  defaultBranch: string;
  maintenance: boolean;
  now: number;
  /** The run's plans: a PR's branch is judged by what it carries. */
  plans: readonly BranchPlan[];
  /** Rebuilds a PR's branch on the current base (a base that requires up-to-date branches). */
  rebase(plan: BranchPlan, pull: PullRequest): Promise<void>;
}

export interface AutomergeOutcome {
  merged: { number: number; title: string }[];
  enabled: number[];
  failed: { number: number; title: string; checks: string[] }[];
  blocked: { number: number; title: string; reason: string }[];
}

export async function automergePulls(
  open: readonly KnownPull[],
  context: AutomergeContext,
): Promise<AutomergeOutcome> {
  const outcome: AutomergeOutcome = { merged: [], enabled: [], failed: [], blocked: [] };
  const candidates = open.flatMap((known) => {
    const plan = context.plans.find((p) => p.branch === known.pull.head);
    return known.marker && plan && automergeEligible(plan, context.config, context.maintenance)
      ? [{ marker: known.marker, plan, number: known.pull.number }]
      : [];
  });
  if (candidates.length === 0) return outcome;
  const { platform } = context;
  const inWindow = inAutomergeWindow(context.config.automergeSchedule, context.now);
  const settings = await platform.getMergeSettings();
  const requiredChecks = await platform.requiredChecks(context.defaultBranch);

  for (const { marker, plan, number } of candidates) {
    const pull = await platform.getPullRequest(number);
    if (pull.state !== 'open') continue;
    const checks = await platform.headChecks(pull.headSha);
    const decision = decideAutomerge({
      eligible: true,
      ownHead: marker.commit === undefined || marker.commit === pull.headSha,
      inWindow,
      autoMergeEnabled: pull.autoMerge,
      mergeableState: pull.mergeableState,
      settings,
      requiredChecks,
      checks,
      ownCheckName: CHECK_NAME,
      withoutChecks: context.config.automergeWithoutChecks,
    });
    await act(decision, pull, marker, plan, context, outcome, settings.deleteBranchOnMerge);
  }
  return outcome;
}

async function act(
  decision: AutomergeDecision,
  pull: PullRequest,
  marker: PullMarker,
  plan: BranchPlan,
  context: AutomergeContext,
  outcome: AutomergeOutcome,
  deleteBranchOnMerge: boolean,
): Promise<void> {
  const { platform } = context;
  const said = marker.automerge?.head === pull.headSha;
  switch (decision.kind) {
    case 'enable-native': {
      const enabled = await platform.enableAutoMerge(pull, decision.method);
      if (enabled.ok) outcome.enabled.push(pull.number);
      else await block(pull, marker, `GitHub refused auto-merge: ${enabled.reason}`, said, context, outcome);
      return;
    }
    case 'merge': {
      const merged = await platform.mergePullRequest(pull.number, {
        sha: pull.headSha,
        method: decision.method,
      });
      if (!merged.merged) {
        await block(pull, marker, merged.reason, said, context, outcome);
        return;
      }
      outcome.merged.push({ number: pull.number, title: pull.title });
      if (!deleteBranchOnMerge) await platform.deleteBranch(pull.head);
      return;
    }
    case 'rebase':
      await context.rebase(plan, pull);
      return;
    case 'failed':
      outcome.failed.push({ number: pull.number, title: pull.title, checks: decision.checks });
      // Retried only when the head changes: one label and one comment per head commit.
      if (said) return;
      await platform.addLabels(pull.number, [AUTOMERGE_FAILED_LABEL]);
      await platform.comment(
        pull.number,
        `Dockhand did not merge this pull request: ${decision.checks.map((c) => `\`${c}\``).join(', ')} failed. ` +
          'It will try again when the branch changes.',
      );
      await remember(platform, pull, marker);
      return;
    case 'blocked':
      await block(pull, marker, decision.reason, said, context, outcome);
      return;
    case 'wait':
    case 'skip':
      return;
  }
}

/** "automerge blocked: …", once per head commit, on the PR (and on the dashboard through the outcome). */
async function block(
  pull: PullRequest,
  marker: PullMarker,
  reason: string,
  said: boolean,
  context: AutomergeContext,
  outcome: AutomergeOutcome,
): Promise<void> {
  outcome.blocked.push({ number: pull.number, title: pull.title, reason });
  if (said) return;
  await context.platform.comment(pull.number, `automerge blocked: ${reason}`);
  await remember(context.platform, pull, marker);
}

async function remember(platform: RepoPlatform, pull: PullRequest, marker: PullMarker): Promise<void> {
  await platform.updatePullRequest(pull.number, {
    body: withMarker(pull.body, { ...marker, automerge: { head: pull.headSha } }),
  });
}
