// App authentication and discovery: the app (JWT) lists its installations and gets installation tokens;
// an installation lists its repositories and reads each one.
import { ApiError, notFound } from '../errors.js';
import { numberParam, paginate, type ApiRequest, type Route } from '../http.js';
import { installationJson, PERMISSIONS, repoJson } from '../json.js';
import type { InstallationRecord } from '../state.js';

function installation(request: ApiRequest): InstallationRecord {
  const found = request.state.installation(numberParam(request, 'id'));
  if (!found) throw notFound();
  return found;
}

export const appRoutes: Route[] = [
  {
    method: 'GET',
    path: '/app',
    auth: 'app',
    handle: ({ state, urls }) => ({
      json: {
        id: state.appId,
        slug: state.appSlug,
        name: state.appSlug,
        owner: { login: 'dockhand-dev', type: 'Organization' },
        permissions: PERMISSIONS,
        html_url: `${urls.web}/apps/${state.appSlug}`,
      },
    }),
  },
  {
    method: 'GET',
    path: '/app/installations',
    auth: 'app',
    handle: (request) => {
      const page = paginate(request, request.state.installations());
      return {
        json: page.items.map((item) => installationJson(request.state, item, request.urls)),
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/app/installations/:id',
    auth: 'app',
    handle: (request) => ({ json: installationJson(request.state, installation(request), request.urls) }),
  },
  {
    method: 'POST',
    path: '/app/installations/:id/access_tokens',
    auth: 'app',
    handle: (request) => {
      const found = installation(request);
      if (found.suspended) throw new ApiError(403, 'This installation has been suspended');
      const { token, expiresAt } = request.state.issueToken(found.id);
      return {
        status: 201,
        json: {
          token,
          expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: PERMISSIONS,
          repository_selection: found.repositories === 'all' ? 'all' : 'selected',
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/installation',
    auth: 'app',
    handle: ({ state, repo, urls }) => {
      const found = state.installations().find((candidate) => state.canAccess(candidate.id, repo));
      if (!found) throw notFound();
      return { json: installationJson(state, found, urls) };
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org/installation',
    auth: 'app',
    handle: ({ state, params, urls }) => {
      const org = params.org!.toLowerCase();
      const found = state.installations().find((candidate) => candidate.account.toLowerCase() === org);
      if (!found) throw notFound();
      return { json: installationJson(state, found, urls) };
    },
  },
  {
    method: 'GET',
    path: '/installation/repositories',
    auth: 'installation',
    handle: (request) => {
      const repos = request.state.installationRepos(request.installationId!);
      const page = paginate(request, repos);
      const selection = request.state.installation(request.installationId!)?.repositories;
      return {
        json: {
          total_count: repos.length,
          repository_selection: selection === 'all' ? 'all' : 'selected',
          repositories: page.items.map((repo) => repoJson(request.state, repo, request.urls)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo',
    auth: 'installation',
    handle: ({ state, repo, urls }) => ({ json: repoJson(state, repo, urls) }),
  },
];
