// What every platform module shares: the counted client, the repository it acts on, and one way to turn a
// failed request into the error a worker classifies.
import type { GitHubClient, GitHubResult } from './client.js';
import { toJobError } from './errors.js';

export interface RepoContext {
  client: GitHubClient;
  owner: string;
  repo: string;
}

/** The value, or the job error for the failure (its message names the route, never a token or body). */
export function unwrap<T>(result: GitHubResult<T>): T {
  if (result.ok) return result.value;
  throw toJobError(result.error);
}

const PER_PAGE = 100;

/**
 * Every item of a paginated list, one conditional GET per page: an unchanged list costs only 304s. Pages
 * are followed by number until one comes back short (a 304 returns the cached page, so this holds too).
 */
export async function allPages<T>(
  { client, owner, repo }: RepoContext,
  route: string,
  parameters: Record<string, unknown>,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const batch = unwrap(
      await client.getConditional<T[]>(route, { owner, repo, ...parameters, per_page: PER_PAGE, page }),
    );
    items.push(...batch);
    if (batch.length < PER_PAGE) return items;
  }
}
