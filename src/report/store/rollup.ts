// A day's figures from repository reports: what the trend chart and the history keep. Pure.
import type { RepoReport } from '../evaluate.js';
import type { DailyRollup, FailingSince } from './types.js';

export function rollupOf(reports: readonly RepoReport[], day: string): DailyRollup {
  const rollup: DailyRollup = {
    day,
    repositories: reports.length,
    policies: {},
    findings: { error: 0, warning: 0, info: 0 },
    images: { count: 0, eol: 0, staleDigests: 0 },
    packages: { outdated: 0, libyears: 0 },
  };
  const lags: number[] = [];
  const end = Date.parse(`${day}T23:59:59Z`);
  for (const { policies, facts } of reports) {
    for (const { policy, status } of policies) {
      const counts = (rollup.policies[policy] ??= { pass: 0, fail: 0, 'no-data': 0 });
      counts[status]++;
    }
    rollup.findings.error += facts.lint.counts.error;
    rollup.findings.warning += facts.lint.counts.warning;
    rollup.findings.info += facts.lint.counts.info;
    rollup.images.count += facts.images.length;
    rollup.images.eol += facts.images.filter((image) => image.eol.length > 0).length;
    rollup.images.staleDigests += facts.images.filter((image) => image.staleDigest !== null).length;
    for (const image of facts.images) {
      const since = image.staleDigest?.since ?? image.behind?.since;
      if (since) lags.push(Math.max(0, Math.floor((end - Date.parse(since)) / DAY_MS)));
    }
    rollup.packages.outdated += facts.packages.outdated;
    rollup.packages.libyears += facts.packages.libyears;
  }
  rollup.packages.libyears = Math.round(rollup.packages.libyears * 100) / 100;
  if (lags.length) rollup.images.medianLagDays = median(lags);
  return rollup;
}

const DAY_MS = 86_400_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The start of each failing streak: carried from the previous report while the policy keeps failing,
 * `at` for a policy that fails now and did not before, dropped once it passes.
 */
export function failingSince(
  report: RepoReport,
  previous: FailingSince | undefined,
  at: string,
): FailingSince {
  const since: FailingSince = {};
  for (const { policy, status } of report.policies)
    if (status === 'fail') since[policy] = previous?.[policy] ?? at;
  return since;
}
