// The report as one HTML file that works offline: inline CSS, no script, no external URL (a
// Content-Security-Policy says so to the browser), details folded with <details>. Every string that comes
// from a repository (paths, image names, messages, repository names) goes through escapeHtml.
import type { Report, RepoReport } from '../evaluate.js';
import type { ImageFacts } from '../facts.js';
import type { Evidence, PolicyStatus } from '../policies/types.js';

const LABEL: Record<PolicyStatus, string> = { pass: '✔ pass', fail: '✘ fail', 'no-data': '– no data' };

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--none:#6e7781;--line:#d0d7de;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0 auto;max-width:1200px;padding:1rem;color:#1f2328;line-height:1.4}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.scroll{overflow-x:auto}
.s{font-weight:600;white-space:nowrap}.pass{color:var(--pass)}.fail{color:var(--fail)}.no-data{color:var(--none)}
.bar{display:flex;height:.8rem;min-width:8rem;border-radius:3px;overflow:hidden;background:#eaeef2}
.bar span{display:block}.bar .pass{background:var(--pass)}.bar .fail{background:var(--fail)}.bar .no-data{background:#afb8c1}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em;word-break:break-all}
details{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.3rem .7rem}
summary{cursor:pointer;font-weight:600}.muted{color:var(--none)}
@media (max-width:700px){th,td{padding:.2rem}.hide-narrow{display:none}}
`;

/** HTML text: & < > " ' replaced, so no repository string can open a tag or leave an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function* renderReportHtml(report: Report): Generator<string> {
  const repos = report.repositories;
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Dockhand compliance report</title><style>${CSS}</style></head><body>
<header><h1>Dockhand compliance report</h1>
<p class="muted">${repos.length} ${repos.length === 1 ? 'repository' : 'repositories'} · generated ${escapeHtml(report.generatedAt)}</p></header>
`;
  yield summary(report);
  yield matrix(report);
  yield images(repos);
  yield `<h2>Details</h2>\n`;
  for (const repo of repos) yield details(repo);
  yield `</body></html>\n`;
}

function summary(report: Report): string {
  const rows = report.summary.map((p) => {
    const total = p.pass + p.fail + p.noData || 1;
    const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
    return `<tr><td>${escapeHtml(p.title)}<br><code>${escapeHtml(p.policy)}</code></td>
<td><div class="bar" title="${p.pass} pass, ${p.fail} fail, ${p.noData} no data"><span class="pass" style="width:${pct(p.pass)}"></span><span class="fail" style="width:${pct(p.fail)}"></span><span class="no-data" style="width:${pct(p.noData)}"></span></div></td>
<td class="pass">${p.pass}</td><td class="fail">${p.fail}</td><td class="no-data">${p.noData}</td>
<td class="hide-narrow">${escapeHtml(p.description)}</td></tr>`;
  });
  return `<h2>Policies</h2><div class="scroll"><table><thead><tr><th>Policy</th><th>Pass rate</th><th>Pass</th><th>Fail</th><th>No data</th><th class="hide-narrow">What passing means</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
`;
}

function matrix(report: Report): string {
  const ids = report.summary.map((p) => p.policy);
  const head = report.summary.map((p) => `<th>${escapeHtml(p.title)}</th>`).join('');
  const rows = report.repositories.map((repo) => {
    const cells = ids.map((id) => {
      const result = repo.policies.find((p) => p.policy === id);
      return result
        ? `<td class="s ${result.status}" title="${escapeHtml(result.summary)}">${LABEL[result.status]}</td>`
        : `<td class="muted">off</td>`;
    });
    return `<tr><th><a href="#${anchor(repo.repository)}">${escapeHtml(repo.repository)}</a></th>${cells.join('')}</tr>`;
  });
  return `<h2>Repositories</h2><p class="muted">Worst first.</p><div class="scroll"><table><thead><tr><th>Repository</th>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
`;
}

function images(repos: RepoReport[]): string {
  const rows = repos.flatMap((repo) =>
    repo.facts.images.map(
      (
        image,
      ) => `<tr><td>${escapeHtml(repo.repository)}</td><td><code>${escapeHtml(image.file)}:${image.line}</code></td>
<td><code>${escapeHtml(image.reference)}</code></td><td>${image.digestPinned ? 'yes' : '<span class="fail">no</span>'}</td>
<td>${image.finalStage === null ? '' : image.finalStage ? 'final' : 'build'}</td><td>${eol(image)}</td><td>${age(image)}</td></tr>`,
    ),
  );
  return `<h2>Images</h2><div class="scroll"><table><thead><tr><th>Repository</th><th>File</th><th>Image</th><th>Digest</th><th>Stage</th><th>End of life</th><th>Up to date</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
`;
}

function eol(image: ImageFacts): string {
  if (image.eol.length === 0) return '';
  return `<span class="fail">${image.eol.map((e) => escapeHtml(`${e.product} ${e.release} (${e.eol})`)).join(', ')}</span>`;
}

function age(image: ImageFacts): string {
  const parts: string[] = [];
  if (image.lookupError !== null)
    parts.push(`<span class="muted">lookup failed: ${escapeHtml(image.lookupError)}</span>`);
  if (image.staleDigest)
    parts.push(
      `digest stale since ${escapeHtml(image.staleDigest.since?.slice(0, 10) ?? 'an unknown date')}`,
    );
  if (image.behind)
    parts.push(
      `behind <code>${escapeHtml(image.behind.tag)}</code>${image.behind.since ? ` (${escapeHtml(image.behind.since.slice(0, 10))})` : ''}`,
    );
  return parts.join('<br>');
}

function details(repo: RepoReport): string {
  const f = repo.facts;
  const policies = repo.policies.map((result) => {
    const shown = result.evidence.filter((e) => e.status !== 'pass');
    const passed = result.evidence.length - shown.length;
    const list = shown.length ? `<ul>${shown.map(evidence).join('')}</ul>` : '';
    const more = passed ? `<p class="muted">${passed} passed</p>` : '';
    return `<tr><td>${escapeHtml(result.title)}</td><td class="s ${result.status}">${LABEL[result.status]}</td>
<td>${escapeHtml(result.summary)}${result.since ? ` <span class="muted">since ${escapeHtml(result.since.slice(0, 10))}</span>` : ''}${list}${more}</td></tr>`;
  });
  const lookups = f.resolved ? 'registries asked' : 'registries not asked';
  return `<details id="${anchor(repo.repository)}"${repo.status === 'fail' ? ' open' : ''}><summary><span class="${repo.status}">${LABEL[repo.status]}</span> ${escapeHtml(repo.repository)}</summary>
<p class="muted">${f.images.length} images, ${f.dockerfiles.length} Dockerfiles, ${f.lint.counts.error} lint errors, ${f.lint.counts.warning} warnings, ${f.packages.total} packages (${f.packages.outdated} outdated) · ${lookups} · scanned ${escapeHtml(f.scannedAt)}</p>
<div class="scroll"><table><thead><tr><th>Policy</th><th>Status</th><th>Evidence</th></tr></thead><tbody>
${policies.join('\n')}
</tbody></table></div></details>
`;
}

function evidence(e: Evidence): string {
  const where =
    e.file !== null ? `<code>${escapeHtml(e.file)}${e.line !== null ? `:${e.line}` : ''}</code> ` : '';
  const image = e.image !== null ? `<code>${escapeHtml(e.image)}</code> ` : '';
  return `<li><span class="${e.status}">${e.status === 'fail' ? '✘' : '–'}</span> ${where}${image}${escapeHtml(e.message)}</li>`;
}

/** A fragment id from a repository name: only [A-Za-z0-9-], so it needs no escaping. */
function anchor(name: string): string {
  return `repo-${Buffer.from(name).toString('hex')}`;
}
