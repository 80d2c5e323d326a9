// Commit statuses (the Statuses API other CI systems report through): create, list for a ref (newest
// first) and the combined status, whose `statuses` are the latest per context. Listed before git's
// `commits/*ref` (routes are tried in order).
import { ApiError } from '../errors.js';
import {
  nullableString,
  optionalString,
  paginate,
  requiredString,
  type ApiRequest,
  type Route,
} from '../http.js';
import { repoJson, statusJson } from '../json.js';
import type { CommitState, StatusRecord } from '../repo.js';

const STATES: CommitState[] = ['error', 'failure', 'pending', 'success'];

function commitFor(request: ApiRequest): string {
  const ref = request.params.ref!;
  const sha = request.repo.resolveCommit(ref);
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

function list(request: ApiRequest) {
  const sha = commitFor(request);
  const statuses = request.repo.statuses.filter((status) => status.sha === sha).reverse();
  const page = paginate(request, statuses);
  return {
    json: page.items.map((status) => statusJson(request.repo, status, request.urls)),
    headers: page.headers,
  };
}

/** GitHub's combined state: failure if any failed or errored, pending if any is pending (or none), success. */
export function combinedState(statuses: StatusRecord[]): CommitState {
  if (statuses.some((status) => status.state === 'failure' || status.state === 'error')) return 'failure';
  if (statuses.length === 0 || statuses.some((status) => status.state === 'pending')) return 'pending';
  return 'success';
}

export const statusRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/:owner/:repo/statuses/:ref',
    handle: (request) => {
      const { repo, body, state } = request;
      const sha = request.params.ref!;
      if (!repo.git.commits.has(sha)) throw new ApiError(422, `No commit found for SHA: ${sha}`);
      const wanted = requiredString(body, 'state', 'Status');
      if (!STATES.includes(wanted as CommitState))
        throw new ApiError(422, `Validation Failed`, [
          {
            resource: 'Status',
            field: 'state',
            code: 'custom',
            message: `state is not included in the list`,
          },
        ]);
      const status = repo.addStatus({
        sha,
        state: wanted as CommitState,
        context: optionalString(body, 'context') ?? 'default',
        description: nullableString(body, 'description') ?? null,
        targetUrl: nullableString(body, 'target_url') ?? null,
        creator: state.bot,
      });
      return { status: 201, json: statusJson(repo, status, request.urls) };
    },
  },
  { method: 'GET', path: '/repos/:owner/:repo/statuses/*ref', handle: list },
  { method: 'GET', path: '/repos/:owner/:repo/commits/*ref/statuses', handle: list },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/*ref/status',
    handle: (request) => {
      const { repo, urls } = request;
      const sha = commitFor(request);
      const latest = repo.latestChecks(sha).statuses;
      const page = paginate(request, latest);
      return {
        json: {
          state: combinedState(latest),
          statuses: page.items.map((status) => statusJson(repo, status, urls)),
          sha,
          total_count: latest.length,
          repository: repoJson(request.state, repo, urls),
          commit_url: `${urls.api}/repos/${repo.fullName}/commits/${sha}`,
          url: `${urls.api}/repos/${repo.fullName}/commits/${sha}/status`,
        },
        headers: page.headers,
      };
    },
  },
];
