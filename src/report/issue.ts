// The Markdown report issue (issue 11 §4): with `reports.issue: true` in the org file, the nightly report
// job keeps one issue in the org's `.github` repository: pass rates per policy and the failing
// repositories (their failing policies, since when), grouped by the teams CODEOWNERS names as owners of
// their container files. The text depends on the reports alone (no "generated at"), so an unchanged
// organisation leaves the issue untouched; it is capped under GitHub's body limit. Rendering is pure.
import type { Issue, RepoPlatform } from '../job/types.js';
import { buildReport, type RepoReport } from './evaluate.js';
import type { StoredRepoReport } from './store/types.js';

export const REPORT_ISSUE_TITLE = 'Dockhand compliance report';
export const REPORT_ISSUE_LABEL = 'dockhand-report';
/** GitHub refuses issue bodies longer than this many characters. */
export const GITHUB_BODY_LIMIT = 65_536;
export const NO_TEAM = 'No team';

export interface ReportIssueInput {
  /** The organisation (the installation's account). */
  account: string;
  installationId: number;
  /** The latest report of every repository of the installation. */
  reports: readonly StoredRepoReport[];
  /** DOCKHAND_BASE_URL: the body links to the dashboard; absent, no links. */
  dashboardUrl?: string | null;
  /** The body's length limit; default just under GitHub's. */
  maxLength?: number;
}

/** Markdown and HTML specials in repository-derived text, escaped (the text renders as itself). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+!|~>-]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/@/g, '@\u200b');
}

/** The issue's body: the same reports give the same text. */
export function renderReportIssue(input: ReportIssueInput): string {
  const limit = Math.min(input.maxLength ?? GITHUB_BODY_LIMIT - 1, GITHUB_BODY_LIMIT - 1);
  const base = input.dashboardUrl ? input.dashboardUrl.replace(/\/+$/, '') : null;
  const dashboard = base === null ? null : `${base}/dashboard/${input.installationId}`;
  const reports = [...input.reports];
  const failing = reports.filter((r) => r.status === 'fail').length;

  const head = [
    `# ${REPORT_ISSUE_TITLE}`,
    '',
    `${count(reports.length, 'repository', 'repositories')} of **${escapeMarkdown(input.account)}**, ` +
      `${failing} failing at least one policy.` +
      (dashboard ? ` See the [dashboard](${dashboard}).` : ''),
    '',
    '_Rewritten by Dockhand when the figures change; edits are overwritten._',
  ];

  // Teams in order, "No team" last; a repository owned by several teams is under each.
  const groups = new Map<string, StoredRepoReport[]>();
  for (const report of reports) {
    const teams = report.facts.teams?.length ? report.facts.teams : [NO_TEAM];
    for (const team of teams) groups.set(team, [...(groups.get(team) ?? []), report]);
  }
  const names = [...groups.keys()].filter((t) => t !== NO_TEAM).sort();
  if (groups.has(NO_TEAM)) names.push(NO_TEAM);

  const sections = names.map((team) => section(team, groups.get(team)!, dashboard));
  const lines = [...head];
  let length = lines.join('\n').length;
  let leftOut = 0;
  let stopped = false;
  const total = sections.reduce((sum, s) => sum + s.entries, 0);
  // Room for the line saying what was left out.
  const reserve = 300;
  for (const s of sections) {
    for (const line of s.lines) {
      if (!stopped && length + 1 + line.text.length <= limit - reserve) {
        lines.push(line.text);
        length += 1 + line.text.length;
      } else {
        stopped = true;
        if (line.entry) leftOut++;
      }
    }
  }
  if (leftOut > 0)
    lines.push(
      '',
      `_${leftOut} of ${total} failing-repository entries left out: GitHub limits an issue to ` +
        `${GITHUB_BODY_LIMIT.toLocaleString('en')} characters.` +
        (dashboard ? ` The [dashboard](${dashboard}) lists them all._` : '_'),
    );
  return `${lines.join('\n')}\n`;
}

interface Line {
  text: string;
  /** A failing repository's line (counted when left out). */
  entry: boolean;
}

function section(
  team: string,
  reports: StoredRepoReport[],
  dashboard: string | null,
): { lines: Line[]; entries: number } {
  const report = buildReport(reports as RepoReport[], new Date(0));
  const title = team === NO_TEAM ? NO_TEAM : `\`${team}\``;
  const link =
    dashboard && team !== NO_TEAM ? ` · [team view](${dashboard}?team=${encodeURIComponent(team)})` : '';
  const lines: Line[] = [
    { text: '', entry: false },
    { text: `## ${title}`, entry: false },
    { text: '', entry: false },
    { text: `${count(reports.length, 'repository', 'repositories')}${link}`, entry: false },
    { text: '', entry: false },
    { text: '| Policy | Pass rate | Pass | Fail | No data |', entry: false },
    { text: '| --- | ---: | ---: | ---: | ---: |', entry: false },
  ];
  for (const p of report.summary) {
    const judged = p.pass + p.fail;
    const rate = judged === 0 ? '–' : `${Math.round((100 * p.pass) / judged)}%`;
    lines.push({ text: `| ${p.title} | ${rate} | ${p.pass} | ${p.fail} | ${p.noData} |`, entry: false });
  }
  const failing = (report.repositories as StoredRepoReport[]).filter((r) => r.status === 'fail');
  if (failing.length === 0) {
    lines.push({ text: '', entry: false }, { text: 'No repository fails a policy.', entry: false });
    return { lines, entries: 0 };
  }
  lines.push({ text: '', entry: false }, { text: 'Failing:', entry: false }, { text: '', entry: false });
  for (const repo of failing) {
    const policies = repo.policies
      .filter((p) => p.status === 'fail')
      .map((p) => {
        const since = repo.failingSince?.[p.policy] ?? p.since;
        return `${p.title}${since ? ` (since ${since.slice(0, 10)})` : ''}`;
      });
    lines.push({ text: `- **${escapeMarkdown(repo.repository)}**: ${policies.join(', ')}`, entry: true });
  }
  return { lines, entries: failing.length };
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export type IssueSync = 'created' | 'updated' | 'unchanged';

/**
 * Writes `body` into the org's report issue: created when there is none open, its body replaced only
 * when the text differs (GitHub may hand back `\r\n`), otherwise nothing is sent.
 */
export async function syncReportIssue(
  platform: Pick<RepoPlatform, 'findIssues' | 'createIssue' | 'updateIssue'>,
  body: string,
): Promise<{ outcome: IssueSync; number: number }> {
  const issues: Issue[] = await platform.findIssues(REPORT_ISSUE_LABEL);
  const existing = issues.find((issue) => issue.title === REPORT_ISSUE_TITLE && issue.state === 'open');
  if (!existing) {
    const created = await platform.createIssue({
      title: REPORT_ISSUE_TITLE,
      body,
      labels: [REPORT_ISSUE_LABEL],
    });
    return { outcome: 'created', number: created.number };
  }
  if (normalize(existing.body) === normalize(body)) return { outcome: 'unchanged', number: existing.number };
  await platform.updateIssue(existing.number, { body });
  return { outcome: 'updated', number: existing.number };
}

function normalize(text: string | null | undefined): string {
  return (text ?? '').replace(/\r\n/g, '\n').trimEnd();
}
