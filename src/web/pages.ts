// The dashboard's pages, rendered on the server: readable without JavaScript (the trend chart's figures
// are also a table), usable on a phone (one column, tables scroll sideways). Every string that comes from a
// repository or from GitHub (names, paths, image references, messages, PR titles, logins) goes through
// escapeHtml; URLs are built here from escaped parts, never taken from stored data unchecked.
import { isTeam } from '../report/codeowners.js';
import { buildReport, type RepoReport } from '../report/evaluate.js';
import type { ImageFacts } from '../report/facts.js';
import { POLICIES } from '../report/policies/index.js';
import type { Evidence, PolicyStatus } from '../report/policies/types.js';
import { escapeHtml } from '../report/render/html.js';
import type { StoredRepoReport } from '../report/store/types.js';
import type { InstallationAccess } from './access.js';
import { jsonForScript, type Trend } from './charts.js';

const LABEL: Record<PolicyStatus, string> = { pass: '✔ pass', fail: '✘ fail', 'no-data': '– no data' };
const STATUSES: PolicyStatus[] = ['fail', 'pass', 'no-data'];
/** Rows shown at most in the repositories and images tables; the filters narrow larger sets. */
export const MAX_ROWS = 500;
const MAX_EVIDENCE = 5;

export interface PageContext {
  /** GitHub's web root, for links. */
  githubWebUrl: string;
  /** Signed in as; null on the sign-in page. */
  login: string | null;
  csrf: string | null;
}

export function layout(context: PageContext, title: string, body: string, extraHead = ''): string {
  const user =
    context.login === null
      ? ''
      : `<span>Signed in as <strong>${escapeHtml(context.login)}</strong> ·
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${escapeHtml(context.csrf ?? '')}"><button class="link" type="submit">Sign out</button></form></span>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)} · Dockhand</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">${extraHead}
</head><body>
<header class="top"><a class="home" href="/dashboard">Dockhand</a>${user}</header>
<main>
${body}
</main></body></html>
`;
}

export function signInPage(configured: boolean, returnTo: string, message: string | null = null): string {
  const note = message ? `<p class="fail">${escapeHtml(message)}</p>` : '';
  const action = configured
    ? `<p><a class="button" href="/login?return_to=${encodeURIComponent(returnTo)}">Sign in with GitHub</a></p>
<p class="muted">You will see the installations and repositories your GitHub account can see.</p>`
    : `<p>Sign-in is not configured: the app needs its OAuth client (<code>GITHUB_CLIENT_ID</code> and <code>GITHUB_CLIENT_SECRET</code>).</p>`;
  return layout(
    { githubWebUrl: '', login: null, csrf: null },
    'Sign in',
    `<h1>Compliance dashboard</h1>${note}${action}`,
  );
}

export function installationsPage(context: PageContext, installations: InstallationAccess[]): string {
  const items = installations.map(
    (i) => `<li><a href="/dashboard/${i.id}"><strong>${escapeHtml(i.account)}</strong></a>
<div class="muted">${i.repositories.length} ${i.repositories.length === 1 ? 'repository' : 'repositories'} you can see · installation ${i.id}</div></li>`,
  );
  const body = items.length
    ? `<ul class="cards">${items.join('\n')}</ul>`
    : `<p>GitHub lists no installation of this app that you can see.</p>`;
  return layout(context, 'Installations', `<h1>Installations</h1>\n${body}`);
}

export function errorPage(context: PageContext, status: number, message: string): string {
  return layout(context, String(status), `<h1>${status}</h1><p>${escapeHtml(message)}</p>`);
}

// --- the organisation overview ---

export interface Filters {
  q: string;
  policy: string | null;
  status: PolicyStatus | null;
  /** A team (`@org/team`, lower case): the per-team view, the repositories whose container files it owns. */
  team: string | null;
}

const POLICY_IDS = new Set<string>(POLICIES.map((p) => p.id));

export function parseFilters(query: URLSearchParams): Filters {
  const q = (query.get('q') ?? '').trim().slice(0, 200);
  const policy = query.get('policy');
  const status = query.get('status');
  const team = (query.get('team') ?? '').trim().toLowerCase();
  return {
    q,
    policy: policy && POLICY_IDS.has(policy) ? policy : null,
    status: STATUSES.includes(status as PolicyStatus) ? (status as PolicyStatus) : null,
    team: isTeam(team) ? team : null,
  };
}

/** Whether `team` owns the repository's container files (CODEOWNERS, src/report/codeowners.ts). */
export function ownedBy(report: RepoReport, team: string): boolean {
  return report.facts.teams?.includes(team) ?? false;
}

/** The teams owning any of the reports' repositories, sorted (only what the viewer can see). */
export function teamsOf(reports: readonly RepoReport[]): string[] {
  return [...new Set(reports.flatMap((r) => r.facts.teams ?? []))].sort();
}

/** Text search over names, image references and paths; the policy status over one policy or overall. */
export function applyFilters<T extends RepoReport>(reports: T[], filters: Filters): T[] {
  const q = filters.q.toLowerCase();
  return reports.filter((report) => {
    if (filters.team !== null && !ownedBy(report, filters.team)) return false;
    if (filters.policy !== null) {
      const result = report.policies.find((p) => p.policy === filters.policy);
      if (!result || (filters.status !== null && result.status !== filters.status)) return false;
    } else if (filters.status !== null && report.status !== filters.status) return false;
    if (!q) return true;
    const texts = [
      report.repository,
      ...report.facts.images.flatMap((i) => [i.reference, i.name, i.file]),
      ...report.facts.dockerfiles.map((d) => d.path),
      ...report.facts.lint.errors.flatMap((e) => [e.file, e.message, e.rule]),
    ];
    return texts.some((text) => text.toLowerCase().includes(q));
  });
}

export interface OverviewModel {
  installationId: number;
  account: string;
  /**
   * Every report the viewer may see (the policy summary), and those matching the filters; with a team
   * filter, only that team's repositories (the per-team view).
   */
  visible: StoredRepoReport[];
  /** The teams owning repositories the viewer can see (the team filter's choices). */
  teams?: string[];
  filters: Filters;
  trend: Trend;
  /** Whether the trend covers only the viewer's repositories (partial access). */
  trendPartial: boolean;
  now: Date;
}

export function overviewPage(context: PageContext, model: OverviewModel): string {
  const team = model.filters.team;
  const scoped = team === null ? model.visible : model.visible.filter((r) => ownedBy(r, team));
  const all = buildReport(scoped, model.now);
  const matching = buildReport(applyFilters(scoped, model.filters), model.now).repositories;
  const id = model.installationId;
  const heading =
    team === null
      ? escapeHtml(model.account)
      : `${escapeHtml(model.account)} · team <code>${escapeHtml(team)}</code>`;
  const body = `<h1>${heading}</h1>
<p class="muted">${scoped.length} ${scoped.length === 1 ? 'repository' : 'repositories'} you can see${team === null ? '' : ' owned by this team'} ·
<span class="exports">export <a href="/reports/${id}.json">JSON</a> <a href="/reports/${id}.csv">CSV</a></span></p>
${filterForm(model)}
${trendSection(model.trend, model.trendPartial)}
${policyTable(all, id, team)}
${repositoriesTable(context, matching as StoredRepoReport[], scoped.length)}
${imagesTable(context, matching)}`;
  const head = `
<link rel="stylesheet" href="/dashboard/assets/uplot.css">
<script src="/dashboard/assets/uplot.js" defer></script>
<script src="/dashboard/assets/dashboard.js" defer></script>`;
  return layout(context, model.account, body, head);
}

function filterForm(model: OverviewModel): string {
  const { filters } = model;
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const policies = [option('', 'any policy', filters.policy === null)]
    .concat(POLICIES.map((p) => option(p.id, p.title, filters.policy === p.id)))
    .join('');
  const statuses = [option('', 'any status', filters.status === null)]
    .concat(STATUSES.map((s) => option(s, s, filters.status === s)))
    .join('');
  const known = model.teams ?? [];
  const teamChoices =
    filters.team !== null && !known.includes(filters.team) ? [...known, filters.team] : known;
  const teams = teamChoices.length
    ? `\n<label>Team <select name="team">${[option('', 'any team', filters.team === null)]
        .concat(teamChoices.map((t) => option(t, t, filters.team === t)))
        .join('')}</select></label>`
    : '';
  return `<form class="filters" method="get" action="/dashboard/${model.installationId}" role="search">
<label>Search <input type="search" name="q" value="${escapeHtml(filters.q)}" placeholder="repository, image, file"></label>
<label>Policy <select name="policy">${policies}</select></label>
<label>Status <select name="status">${statuses}</select></label>${teams}
<button type="submit">Filter</button> <a href="/dashboard/${model.installationId}">clear</a>
</form>`;
}

function policyTable(report: ReturnType<typeof buildReport>, id: number, team: string | null): string {
  const inTeam = team === null ? '' : `&amp;team=${encodeURIComponent(team)}`;
  if (report.summary.length === 0) return `<h2>Policies</h2><p class="muted">No reports yet.</p>`;
  const rows = report.summary.map((p) => {
    const total = p.pass + p.fail + p.noData || 1;
    const judged = p.pass + p.fail;
    const rate = judged === 0 ? '–' : `${((100 * p.pass) / judged).toFixed(0)}%`;
    const w = (n: number) => ((100 * n) / total).toFixed(2);
    const link = (status: PolicyStatus, n: number, cls: string) =>
      n === 0
        ? `<td class="${cls}">0</td>`
        : `<td class="${cls}"><a href="/dashboard/${id}?policy=${encodeURIComponent(p.policy)}&amp;status=${status}${inTeam}">${n}</a></td>`;
    return `<tr><td>${escapeHtml(p.title)}<br><code>${escapeHtml(p.policy)}</code></td>
<td><strong>${rate}</strong><svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${p.pass} pass, ${p.fail} fail, ${p.noData} no data"><rect class="pass" x="0" width="${w(p.pass)}" height="10"/><rect class="fail" x="${w(p.pass)}" width="${w(p.fail)}" height="10"/><rect class="no-data" x="${w(p.pass + p.fail)}" width="${w(p.noData)}" height="10"/></svg></td>
${link('pass', p.pass, 'pass')}${link('fail', p.fail, 'fail')}${link('no-data', p.noData, 'no-data')}
<td class="hide-narrow">${escapeHtml(p.description)}</td></tr>`;
  });
  return `<h2>Policies</h2><div class="scroll"><table><thead><tr><th>Policy</th><th>Pass rate</th><th>Pass</th><th>Fail</th><th>No data</th><th class="hide-narrow">What passing means</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function trendSection(trend: Trend, partial: boolean): string {
  const scope = partial ? ' (the repositories you can see)' : '';
  if (trend.days.length === 0 || trend.series.length === 0)
    return `<h2>Trend</h2><p class="muted">No history yet: the nightly rollup has not run.</p>`;
  const head = trend.days.map((d) => `<th>${escapeHtml(d)}</th>`).join('');
  const rows = trend.series.map(
    (s) =>
      `<tr><th>${escapeHtml(s.title)}</th>${s.rates.map((r) => `<td>${r === null ? '–' : `${r}%`}</td>`).join('')}</tr>`,
  );
  return `<h2>Trend</h2><p class="muted">Pass rate per policy over time${scope}.</p>
<div id="trend-chart" role="img" aria-label="Pass rate per policy over time"></div>
<script type="application/json" id="trend-data">${jsonForScript(trend)}</script>
<details><summary>Figures</summary><div class="scroll"><table><thead><tr><th>Policy</th>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div></details>`;
}

function repositoriesTable(context: PageContext, reports: StoredRepoReport[], total: number): string {
  const shown = reports.slice(0, MAX_ROWS);
  const more =
    reports.length > shown.length
      ? `<p class="muted">Showing ${shown.length} of ${reports.length}: narrow the list with the filters.</p>`
      : '';
  const rows = shown.map((repo) => {
    const failing = repo.policies.filter((p) => p.status === 'fail');
    const failures = failing.length
      ? failing
          .map((p) => {
            const since = repo.failingSince?.[p.policy] ?? p.since;
            const evidence = p.evidence.filter((e) => e.status === 'fail');
            const items = evidence
              .slice(0, MAX_EVIDENCE)
              .map((e) => `<li>${evidenceText(context, repo.repository, e)}</li>`)
              .join('');
            const rest =
              evidence.length > MAX_EVIDENCE
                ? `<li class="muted">${evidence.length - MAX_EVIDENCE} more</li>`
                : '';
            return `<details><summary>${escapeHtml(p.title)}${since ? ` <span class="muted">since ${escapeHtml(since.slice(0, 10))}</span>` : ''}</summary><p>${escapeHtml(p.summary)}</p><ul class="evidence">${items}${rest}</ul></details>`;
          })
          .join('')
      : '<span class="muted">none</span>';
    const prs = (repo.facts.pullRequests ?? [])
      .map(
        (pr) =>
          `<li><a href="${escapeHtml(pullUrl(context, repo.repository, pr.number))}">#${pr.number}</a> ${escapeHtml(pr.title)}</li>`,
      )
      .join('');
    return `<tr><th><a href="${escapeHtml(repoUrl(context, repo.repository))}">${escapeHtml(repo.repository)}</a><div class="muted">${escapeHtml((repo.at ?? '').slice(0, 10))}</div></th>
<td class="s ${repo.status}">${LABEL[repo.status]}</td>
<td>${failures}</td>
<td>${prs ? `<ul class="evidence">${prs}</ul>` : '<span class="muted">none</span>'}</td></tr>`;
  });
  const body = rows.length
    ? `<div class="scroll"><table><thead><tr><th>Repository</th><th>Status</th><th>Failing policies</th><th>Open Dockhand PRs</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`
    : `<p class="muted">No repository matches.</p>`;
  return `<h2>Repositories</h2><p class="muted">Worst first · ${reports.length} of ${total} match.</p>${more}${body}`;
}

function evidenceText(context: PageContext, repository: string, e: Evidence): string {
  const where =
    e.file === null
      ? ''
      : ` <a href="${escapeHtml(fileUrl(context, repository, e.file, e.line))}"><code>${escapeHtml(e.file)}${e.line === null ? '' : `:${e.line}`}</code></a>`;
  const image = e.image === null ? '' : ` <code>${escapeHtml(e.image)}</code>`;
  return `${escapeHtml(e.message)}${image}${where}`;
}

interface ImageRow {
  label: string;
  uses: { repository: string; image: ImageFacts }[];
  eol: Set<string>;
  /** Largest digest lag in days (a pinned digest the tag moved away from); -1: lag of unknown length. */
  lagDays: number | null;
  behind: Set<string>;
}

function imagesTable(context: PageContext, reports: RepoReport[]): string {
  const rows = new Map<string, ImageRow>();
  for (const repo of reports) {
    for (const image of repo.facts.images) {
      if (image.skipReason !== null || image.source === 'syntax') continue;
      const label = shortName(image);
      let row = rows.get(label);
      if (!row)
        rows.set(label, (row = { label, uses: [], eol: new Set(), lagDays: null, behind: new Set() }));
      row.uses.push({ repository: repo.repository, image });
      for (const e of image.eol) row.eol.add(`${e.product} ${e.release} (EOL ${e.eol})`);
      if (image.behind) row.behind.add(image.behind.tag);
      if (image.staleDigest) {
        const days =
          image.staleDigest.since === null
            ? -1
            : Math.max(
                0,
                Math.floor(
                  (Date.parse(repo.facts.scannedAt) - Date.parse(image.staleDigest.since)) / 86_400_000,
                ),
              );
        row.lagDays = Math.max(row.lagDays ?? -1, days);
      }
    }
  }
  const sorted = [...rows.values()].sort(
    (a, b) =>
      Number(b.eol.size > 0) - Number(a.eol.size > 0) ||
      (b.lagDays ?? -2) - (a.lagDays ?? -2) ||
      b.uses.length - a.uses.length ||
      (a.label < b.label ? -1 : 1),
  );
  if (sorted.length === 0) return `<h2>Images</h2><p class="muted">No image references.</p>`;
  const html = sorted.slice(0, MAX_ROWS).map((row) => {
    const repos = new Map<string, { repository: string; image: ImageFacts }[]>();
    for (const use of row.uses) repos.set(use.repository, [...(repos.get(use.repository) ?? []), use]);
    const uses = [...repos]
      .map(
        ([repository, list]) =>
          `<li><a href="${escapeHtml(repoUrl(context, repository))}">${escapeHtml(repository)}</a> ${list
            .slice(0, MAX_EVIDENCE)
            .map(
              ({ image }) =>
                `<a href="${escapeHtml(fileUrl(context, repository, image.file, image.line))}"><code>${escapeHtml(image.file)}:${image.line}</code></a>`,
            )
            .join(' ')}</li>`,
      )
      .join('');
    const lag =
      row.lagDays === null
        ? '<span class="muted">current</span>'
        : row.lagDays < 0
          ? '<span class="fail">stale</span>'
          : `<span class="fail">${row.lagDays} days</span>`;
    const pinned = row.uses.filter((u) => u.image.digestPinned).length;
    const eol = row.eol.size
      ? `<span class="fail">${[...row.eol].map(escapeHtml).join('<br>')}</span>`
      : '<span class="muted">–</span>';
    const behind = row.behind.size
      ? [...row.behind].map((t) => `<code>${escapeHtml(t)}</code>`).join(' ')
      : '';
    return `<tr><th><code>${escapeHtml(row.label)}</code></th><td>${repos.size}</td><td>${pinned} of ${row.uses.length}</td><td>${lag}</td><td>${eol}</td><td class="hide-narrow">${behind}</td><td><ul class="evidence">${uses}</ul></td></tr>`;
  });
  return `<h2>Images</h2><p class="muted">End-of-life first, then the oldest digests.</p><div class="scroll"><table><thead><tr><th>Image</th><th>Repositories</th><th>Digest pinned</th><th>Digest lag</th><th>End of life</th><th class="hide-narrow">Newer</th><th>Where</th></tr></thead><tbody>
${html.join('\n')}
</tbody></table></div>`;
}

/** `python:3.9` for docker.io/library/python:3.9, `ghcr.io/acme/x:1` otherwise; the digest left out. */
function shortName(image: ImageFacts): string {
  const name = image.name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  return image.tag === null ? name : `${name}:${image.tag}`;
}

function path(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

export function repoUrl(context: PageContext, repository: string): string {
  return `${context.githubWebUrl}/${path(repository)}`;
}

export function pullUrl(context: PageContext, repository: string, number: number): string {
  return `${repoUrl(context, repository)}/pull/${number}`;
}

/** The file at the default branch (`HEAD`), at its line. */
export function fileUrl(context: PageContext, repository: string, file: string, line: number | null): string {
  const anchor = line === null ? '' : `#L${line}`;
  return `${repoUrl(context, repository)}/blob/HEAD/${path(file)}${anchor}`;
}
