// Collaborator permissions: the app checks a commenter's before acting on a comment command. Users who
// are not collaborators answer 404, as GitHub does.
import { notFound } from '../errors.js';
import { userJson } from '../json.js';
import type { Route } from '../http.js';

export const collaboratorRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/collaborators/:username/permission',
    handle: ({ repo, params, state, urls }) => {
      const permission = repo.collaborators.get(params.username!.toLowerCase());
      if (!permission) throw notFound();
      return {
        json: { permission, role_name: permission, user: userJson(state.user(params.username!), urls) },
      };
    },
  },
];
