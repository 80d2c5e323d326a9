// The dependency dashboard issue: found by its label, read for ticked boxes at the start of a run,
// rewritten (only when its text changes) at the end. A hidden state comment carries what must survive
// between runs without Redis (the last maintenance rebuild).
import type { Finding } from '../core/types.js';
import {
  parseDashboardRequests,
  renderDashboard,
  type DashboardRequest,
  type DashboardState,
} from './dashboard-body.js';
import { countFindings } from './findings.js';
import type { Issue, RepoPlatform } from './types.js';

export const DASHBOARD_TITLE = 'Dockhand dependency dashboard';

interface HiddenState {
  lastRebuild?: string;
}

const STATE = /<!-- dockhand:dashboard-state (\{.*?\}) -->/;

export class DashboardContext {
  private constructor(
    readonly issue: Issue | undefined,
    readonly requests: DashboardRequest[],
    readonly state: HiddenState,
    readonly label: string,
  ) {}

  static async load(platform: RepoPlatform, label: string): Promise<DashboardContext> {
    const [issue] = await platform.findIssues(label);
    return new DashboardContext(
      issue,
      parseDashboardRequests(issue?.body ?? ''),
      readState(issue?.body),
      label,
    );
  }
}

export type DashboardInput = Omit<DashboardState, 'findings'> & {
  enabled: boolean;
  findings: readonly Finding[];
  hidden: HiddenState;
};

export async function syncDashboard(
  platform: RepoPlatform,
  context: DashboardContext,
  input: DashboardInput,
): Promise<void> {
  const { issue } = context;
  if (!input.enabled) {
    // Opted out: the old issue would only go stale.
    if (issue) await platform.updateIssue(issue.number, { state: 'closed' });
    return;
  }
  const { enabled: _enabled, hidden, findings, ...state } = input;
  const body = `${renderDashboard({ ...state, findings: summarize(findings) })}\n\n<!-- dockhand:dashboard-state ${JSON.stringify(hidden)} -->\n`;
  if (!issue) await platform.createIssue({ title: DASHBOARD_TITLE, body, labels: [context.label] });
  else if (issue.body !== body) await platform.updateIssue(issue.number, { body });
}

function summarize(findings: readonly Finding[]): DashboardState['findings'] {
  const byRule = new Map<string, { rule: string; slug: string; count: number }>();
  for (const finding of findings) {
    const entry = byRule.get(finding.rule) ?? { rule: finding.rule, slug: finding.slug, count: 0 };
    entry.count++;
    byRule.set(finding.rule, entry);
  }
  return {
    ...countFindings(findings),
    byRule: [...byRule.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule)),
  };
}

function readState(body: string | undefined): HiddenState {
  const match = body ? STATE.exec(body) : null;
  if (!match) return {};
  try {
    const parsed = JSON.parse(match[1]!) as { lastRebuild?: unknown };
    return typeof parsed.lastRebuild === 'string' ? { lastRebuild: parsed.lastRebuild } : {};
  } catch {
    return {};
  }
}
