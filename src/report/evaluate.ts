// Policies over repositories' facts: the verdicts of one repository, and a report over many. Pure.
import type { ReportsSettings } from '../config/schema.js';
import type { RepoFacts } from './facts.js';
import { POLICIES } from './policies/index.js';
import type { Policy, PolicyResult, PolicyStatus } from './policies/types.js';

export const REPORT_VERSION = 1;

export interface RepoReport {
  repository: string;
  /** The worst status over its policies: fail, else pass when any passes, else no-data. */
  status: PolicyStatus;
  policies: PolicyResult[];
  facts: RepoFacts;
}

export interface PolicySummary {
  policy: string;
  title: string;
  description: string;
  pass: number;
  fail: number;
  noData: number;
}

export interface Report {
  version: typeof REPORT_VERSION;
  generatedAt: string;
  /** Per policy that ran anywhere, in registry order: how many repositories pass, fail, have no data. */
  summary: PolicySummary[];
  /** Worst first (most failing policies), then by name. */
  repositories: RepoReport[];
}

/** The settings a policy runs with, or null when it is switched off. */
export function policyOptions(policy: Policy, settings: ReportsSettings): Record<string, unknown> | null {
  const configured = settings.policies[policy.id];
  if (configured === false) return null;
  return { ...policy.defaults, ...(configured ?? {}) };
}

/** Every enabled policy's verdict on one repository, in registry order. */
export function evaluatePolicies(facts: RepoFacts, settings: ReportsSettings): PolicyResult[] {
  const results: PolicyResult[] = [];
  for (const policy of POLICIES as readonly Policy[]) {
    const options = policyOptions(policy, settings);
    if (options === null) continue;
    results.push(policy.evaluate(facts, options, { approvedBases: settings.approvedBases }));
  }
  return results;
}

export function repoReport(facts: RepoFacts, settings: ReportsSettings): RepoReport {
  const policies = evaluatePolicies(facts, settings);
  return { repository: facts.repository, status: worst(policies), policies, facts };
}

export function buildReport(repositories: RepoReport[], now: Date): Report {
  const summary: PolicySummary[] = [];
  for (const policy of POLICIES as readonly Policy[]) {
    const results = repositories.flatMap((r) => r.policies.filter((p) => p.policy === policy.id));
    if (results.length === 0) continue;
    summary.push({
      policy: policy.id,
      title: policy.title,
      description: policy.description,
      pass: results.filter((r) => r.status === 'pass').length,
      fail: results.filter((r) => r.status === 'fail').length,
      noData: results.filter((r) => r.status === 'no-data').length,
    });
  }
  const failures = (r: RepoReport) => r.policies.filter((p) => p.status === 'fail').length;
  return {
    version: REPORT_VERSION,
    generatedAt: now.toISOString(),
    summary,
    repositories: [...repositories].sort(
      (a, b) =>
        failures(b) - failures(a) || (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0),
    ),
  };
}

/** Whether any repository fails any policy (the CLI's exit status 1). */
export function anyFailure(report: Report): boolean {
  return report.repositories.some((r) => r.status === 'fail');
}

function worst(results: PolicyResult[]): PolicyStatus {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  return results.some((r) => r.status === 'pass') ? 'pass' : 'no-data';
}
