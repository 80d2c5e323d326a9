// The dependency dashboard issue's text, and the requests a person makes by ticking its boxes. Each box
// carries a hidden comment naming what it asks for, so the visible text can change freely.
// The lines keep src/app/dashboard.ts's checkbox grammar (`- [x] text`): the webhook sees ticks there.

export interface DashboardState {
  /** `owner/name`. */
  repository: string;
  /** `@dockhand`. */
  mention: string;
  /**
   * The day only (`2026-11-23`), without what triggered it: an unchanged repository's dashboard then needs
   * no rewrite (and no API write) on every run.
   */
  lastRun: { date: string; commit: string | null; outcome: string };
  configErrors: string[];
  open: { number: number; title: string; branch: string }[];
  /** `reason`: `concurrent-limit` or `hourly-limit` (reconcile's pending reasons). */
  pending: { branch: string; title: string; reason: string }[];
  ignored: { branch: string; title: string; number: number }[];
  /** Lookup errors and updates that could not be written. */
  failed: string[];
  /** Newer package releases not proposed because they exclude the runtime of the image they ship in. */
  heldBack?: { dependency: string; path: string; version: string; reason: string }[];
  /** Automerge this run: merged, failed checks, blocked by protection or settings. */
  automerge?: {
    merged: { number: number; title: string }[];
    failed: { number: number; title: string; checks: string[] }[];
    blocked: { number: number; title: string; reason: string }[];
  };
  /** Package moves within the written ranges: only lockfiles would change (lock file maintenance). */
  lockfileOnly?: { dependency: string; path: string; version: string }[];
  findings: {
    error: number;
    warning: number;
    info: number;
    byRule: { rule: string; slug: string; count: number }[];
  };
  /** Present when the repository is in maintenance mode. */
  maintenance?: { lastRebuild?: string; workflow?: string | null };
}

export type DashboardRequest =
  | { kind: 'approve'; branch: string }
  | { kind: 'recreate'; branch: string; number: number }
  | { kind: 'rerun' }
  | { kind: 'rebuild' };

/** Branch names written into a hidden comment: nothing that could end it or break the line. */
const SAFE_BRANCH = /^[\w./-]+$/;
const TICKED =
  /^\s*[-*+]\s+\[[xX]\]\s+<!--\s*(approve|recreate|rerun|rebuild)(?::([\w./-]+?)(?:#(\d+))?)?\s*-->/;

const HELD: Record<string, string> = {
  'concurrent-limit': 'held: concurrent limit',
  'hourly-limit': 'held: hourly limit',
};

export function renderDashboard(state: DashboardState): string {
  const lines: string[] = [
    `Dockhand keeps the container images of ${text(state.repository)} up to date and lints its container files. ` +
      `Tick a box to ask for something; comment \`${state.mention} rebase\` or \`${state.mention} recreate\` on a pull request.`,
    '',
  ];
  if (state.configErrors.length > 0) {
    lines.push(
      '## Configuration errors',
      '',
      'The configuration is invalid; fix it for Dockhand to run with it:',
      '',
    );
    lines.push(...state.configErrors.map((e) => `- ${text(e)}`), '');
  }

  lines.push('## Pending updates', '');
  if (state.pending.length === 0) lines.push('None.');
  for (const p of state.pending) {
    const why = HELD[p.reason] ?? `held: ${text(p.reason)}`;
    lines.push(box(`approve:${p.branch}`, p.branch, `${text(p.title)} (${why})`));
  }

  lines.push('', '## Open pull requests', '');
  if (state.open.length === 0) lines.push('None.');
  for (const o of [...state.open].sort((a, b) => a.number - b.number)) {
    lines.push(`- #${o.number} ${text(o.title)} (\`${o.branch}\`)`);
  }

  lines.push('', '## Ignored updates', '');
  if (state.ignored.length === 0) lines.push('None.');
  else lines.push('Closed without merging; tick to propose again:', '');
  for (const i of state.ignored) {
    lines.push(box(`recreate:${i.branch}#${i.number}`, i.branch, `${text(i.title)} (closed #${i.number})`));
  }

  const automerge = state.automerge;
  if (automerge?.merged.length) {
    lines.push('', '## Merged', '', 'Merged automatically this run, their checks having passed:', '');
    for (const m of automerge.merged) lines.push(`- #${m.number} ${text(m.title)}`);
  }
  if (automerge?.failed.length) {
    lines.push('', '## Automerge failed', '');
    for (const f of automerge.failed)
      lines.push(
        `- #${f.number} ${text(f.title)}: ${f.checks.map((c) => `\`${text(c)}\``).join(', ')} failed`,
      );
  }
  if (automerge?.blocked.length) {
    lines.push('', '## Automerge blocked', '');
    for (const b of automerge.blocked) lines.push(`- #${b.number} ${text(b.title)}: ${text(b.reason)}`);
  }

  if (state.heldBack?.length) {
    lines.push(
      '',
      '## Held back',
      '',
      'Newer releases not proposed because the image would not run them:',
      '',
    );
    for (const h of state.heldBack)
      lines.push(`- ${text(h.dependency)} ${text(h.version)} (\`${text(h.path)}\`): ${text(h.reason)}`);
  }

  if (state.lockfileOnly?.length) {
    lines.push('', '## Within range', '');
    lines.push(
      'Newer versions these ranges already admit; only lockfiles would change, which lock file maintenance does:',
      '',
    );
    for (const l of state.lockfileOnly)
      lines.push(`- ${text(l.dependency)} → ${text(l.version)} (\`${text(l.path)}\`)`);
  }

  if (state.failed.length > 0) {
    lines.push('', '## Failed', '');
    lines.push(...state.failed.map((f) => `- ${text(f)}`));
  }

  lines.push('', '## Lint findings', '');
  const { error, warning, info, byRule } = state.findings;
  lines.push(`${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info.`);
  if (byRule.length > 0) {
    lines.push('', '| Rule | Findings |', '| --- | ---: |');
    lines.push(...byRule.map((r) => `| ${r.rule} ${text(r.slug)} | ${r.count} |`));
  }

  if (state.maintenance) {
    lines.push('', '## Maintenance', '');
    const { lastRebuild, workflow } = state.maintenance;
    lines.push(
      `Weekly rebuilds are on${workflow ? ` (workflow \`${workflow}\`)` : ''}. Last rebuild: ${lastRebuild ?? 'never'}.`,
    );
  }

  const run = state.lastRun;
  lines.push('', '## Last run', '');
  lines.push(`${text(run.date)}: ${text(run.outcome)}${run.commit ? ` at ${run.commit.slice(0, 7)}` : ''}.`);
  lines.push('', '- [ ] <!-- rerun --> Check for updates now');
  if (state.maintenance) lines.push('- [ ] <!-- rebuild --> Trigger a rebuild now');
  return lines.join('\n');
}

/** The requests of ticked boxes, in the order they appear. */
export function parseDashboardRequests(body: string | null | undefined): DashboardRequest[] {
  const requests: DashboardRequest[] = [];
  for (const line of (body ?? '').split(/\r?\n/)) {
    const match = TICKED.exec(line);
    if (!match) continue;
    const [, kind, branch, number] = match;
    if (kind === 'rerun' || kind === 'rebuild') {
      if (branch === undefined) requests.push({ kind });
    } else if (kind === 'approve' && branch !== undefined && number === undefined) {
      requests.push({ kind, branch });
    } else if (kind === 'recreate' && branch !== undefined && number !== undefined) {
      requests.push({ kind, branch, number: Number(number) });
    }
  }
  return requests;
}

/** A box with its request, or a plain item when the branch cannot be written into a comment safely. */
function box(request: string, branch: string, label: string): string {
  return SAFE_BRANCH.test(branch) ? `- [ ] <!-- ${request} --> ${label}` : `- ${label}`;
}

/** Text from elsewhere on one line, unable to open a comment or an HTML tag. */
function text(value: string): string {
  return value.replace(/\s+/g, ' ').replace(/</g, '&lt;').trim();
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
