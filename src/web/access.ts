// Who sees what. A signed-in user sees the installations of this app that GitHub lists for their token
// (GET /user/installations) and, in each, only the repositories GitHub lists for them
// (GET /user/installations/{id}/repositories, every page): GitHub's own answer to "can this person see
// this repository". Every page, export and search goes through `visibleReports`, so a repository the
// user cannot see is never read out of the report store for them. The operator token sees everything.
import type { ReportStore, StoredRepoReport } from '../report/store/types.js';
import type { WebSettings } from './config.js';
import { githubGet, OAuthError, type Fetch } from './oauth.js';

export interface InstallationAccess {
  id: number;
  account: string;
  /** Full names, lower-cased, of the repositories the user can see in it. */
  repositories: string[];
}

/** What GitHub listed for a user, and when (kept in the session, refreshed after `accessTtlMs`). */
export interface AccessSnapshot {
  checkedAt: number;
  installations: InstallationAccess[];
}

export type Viewer = { kind: 'operator' } | { kind: 'user'; login: string; access: AccessSnapshot };

/** Pages followed at most per list (100 items each): 50,000 repositories per installation. */
const MAX_PAGES = 500;

export async function fetchAccess(
  settings: WebSettings,
  token: string,
  fetchImpl: Fetch = fetch,
  now: number = Date.now(),
): Promise<AccessSnapshot> {
  const installations: InstallationAccess[] = [];
  const listed = await paginated<{ id: number; account: { login: string } | null }>(
    settings,
    token,
    '/user/installations?per_page=100',
    'installations',
    fetchImpl,
  );
  for (const installation of listed) {
    const repos = await paginated<{ full_name: string }>(
      settings,
      token,
      `/user/installations/${installation.id}/repositories?per_page=100`,
      'repositories',
      fetchImpl,
    );
    installations.push({
      id: installation.id,
      account: installation.account?.login ?? String(installation.id),
      repositories: repos.map((repo) => repo.full_name.toLowerCase()),
    });
  }
  return { checkedAt: now, installations };
}

async function paginated<T>(
  settings: WebSettings,
  token: string,
  first: string,
  field: string,
  fetchImpl: Fetch,
): Promise<T[]> {
  const items: T[] = [];
  const apiOrigin = new URL(settings.githubApiUrl).origin;
  let next: string | null = first;
  for (let page = 0; next !== null; page++) {
    if (page >= MAX_PAGES) throw new OAuthError(`more than ${MAX_PAGES} pages of ${field}`);
    const response = await githubGet(settings, token, next, fetchImpl);
    const body = (await response.json()) as Record<string, unknown>;
    const list = body[field];
    if (!Array.isArray(list)) throw new OAuthError(`GitHub's answer has no ${field}`);
    items.push(...(list as T[]));
    next = nextLink(response.headers.get('link'));
    // The token only ever goes to GitHub's API.
    if (next !== null && new URL(next).origin !== apiOrigin) throw new OAuthError('pagination left the API');
  }
  return items;
}

export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1]!;
  }
  return null;
}

/** The installations a viewer may open (the operator: any). */
export function installationsOf(viewer: Viewer): InstallationAccess[] | 'all' {
  return viewer.kind === 'operator' ? 'all' : viewer.access.installations;
}

/** The installation's latest reports the viewer may see; null when the installation is not theirs. */
export async function visibleReports(
  store: ReportStore,
  viewer: Viewer,
  installationId: number,
): Promise<{ reports: StoredRepoReport[]; all: boolean; account: string | null } | null> {
  if (viewer.kind === 'operator') {
    return { reports: await store.latest(installationId), all: true, account: null };
  }
  const installation = viewer.access.installations.find((i) => i.id === installationId);
  if (!installation) return null;
  const allowed = new Set(installation.repositories);
  const latest = await store.latest(installationId);
  const reports = latest.filter((report) => allowed.has(report.repository.toLowerCase()));
  return { reports, all: reports.length === latest.length, account: installation.account };
}
