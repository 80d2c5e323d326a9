// What an installation can see: its repositories, listed with conditional GETs so that an unchanged
// installation's crawl costs almost no quota.
import type { Cache } from '../../cache/types.js';
import type { GitHubClient } from './client.js';
import { toJobError } from './errors.js';

export interface InstallationRepository {
  /** `owner/name`. */
  fullName: string;
  archived: boolean;
}

interface RawPage {
  total_count: number;
  repositories: { full_name: string; archived?: boolean }[];
}

const PER_PAGE = 100;
/** A runaway guard: 1,000 pages is 100,000 repositories, far beyond any installation. */
const MAX_PAGES = 1_000;

/**
 * `GET /installation/repositories`, page by page. The answer does not name the installation in its URL, so
 * the client's cache must be the installation's own (see `installationCache`). Throws the job errors of
 * src/platform/github/errors.ts.
 */
export async function listInstallationRepositories(client: GitHubClient): Promise<InstallationRepository[]> {
  return (await listInstallation(client)).repositories;
}

/**
 * As `listInstallationRepositories`, and whether the listing is complete: every page read up to GitHub's
 * `total_count` (not cut short by a short page or the page guard). Only a complete listing may be used to
 * forget repositories that are not in it.
 */
export async function listInstallation(
  client: GitHubClient,
): Promise<{ repositories: InstallationRepository[]; complete: boolean }> {
  const repositories: InstallationRepository[] = [];
  let total = Infinity;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const result = await client.getConditional<RawPage>('GET /installation/repositories', {
      per_page: PER_PAGE,
      page,
    });
    if (!result.ok) throw toJobError(result.error);
    const items = result.value.repositories;
    total = result.value.total_count;
    for (const item of items)
      repositories.push({ fullName: item.full_name, archived: item.archived === true });
    if (items.length < PER_PAGE || repositories.length >= total) break;
  }
  return { repositories, complete: repositories.length >= total };
}

/** A view of `cache` whose keys carry the installation: for routes that do not name a repository. */
export function installationCache(cache: Cache, installationId: number): Cache {
  const scope = `installation-${installationId}:`;
  return {
    get: (key) => cache.get(scope + key),
    set: (key, value, ttlSeconds) => cache.set(scope + key, value, ttlSeconds),
  };
}
