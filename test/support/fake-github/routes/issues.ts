// Issues (the dashboard), their comments and labels. Lists include pull requests, as GitHub's do.
import { validationFailed } from '../errors.js';
import {
  nullableString,
  numberParam,
  optionalString,
  paginate,
  requiredString,
  sortRecords,
  stringArray,
  type Route,
} from '../http.js';
import { commentJson, issueJson, labelJson } from '../json.js';

export const issueRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues',
    handle: (request) => {
      const { repo, query, urls } = request;
      const wanted = query.get('state') ?? 'open';
      const creator = query.get('creator')?.toLowerCase();
      const labels =
        query
          .get('labels')
          ?.split(',')
          .map((label) => label.trim())
          .filter(Boolean) ?? [];
      const issues = [...repo.issues.values()].filter(
        (issue) =>
          (wanted === 'all' || issue.state === wanted) &&
          (!creator || issue.user.login.toLowerCase() === creator) &&
          labels.every((label) => issue.labels.includes(label)),
      );
      const page = paginate(request, sortRecords(request, issues));
      return { json: page.items.map((issue) => issueJson(repo, issue, urls)), headers: page.headers };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues',
    handle: ({ repo, body, state, urls }) => {
      const issue = repo.createIssue({
        title: requiredString(body, 'title', 'Issue'),
        body: nullableString(body, 'body') ?? null,
        labels: body.labels === undefined ? [] : stringArray(body.labels, 'labels'),
        user: state.bot,
      });
      return { status: 201, json: issueJson(repo, issue, urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues/:number',
    handle: (request) => ({
      json: issueJson(request.repo, request.repo.issue(numberParam(request, 'number')), request.urls),
    }),
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/issues/:number',
    handle: (request) => {
      const { repo, body } = request;
      const issue = repo.issue(numberParam(request, 'number'));
      repo.updateIssue(issue, {
        title: optionalString(body, 'title'),
        body: nullableString(body, 'body'),
        state: optionalString(body, 'state'),
        state_reason: nullableString(body, 'state_reason'),
        labels: body.labels === undefined ? undefined : stringArray(body.labels, 'labels'),
      });
      return { json: issueJson(repo, issue, request.urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues/:number/comments',
    handle: (request) => {
      const issue = request.repo.issue(numberParam(request, 'number'));
      const page = paginate(request, issue.comments);
      return {
        json: page.items.map((comment) => commentJson(request.repo, comment, request.urls)),
        headers: page.headers,
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues/:number/comments',
    handle: (request) => {
      const { repo } = request;
      const issue = repo.issue(numberParam(request, 'number'));
      const comment = repo.addComment(
        issue,
        requiredString(request.body, 'body', 'IssueComment'),
        request.state.bot,
      );
      issue.updatedAt = comment.createdAt;
      return { status: 201, json: commentJson(repo, comment, request.urls) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/issues/comments/:id',
    handle: (request) => {
      const comment = request.repo.comment(numberParam(request, 'id'));
      comment.body = requiredString(request.body, 'body', 'IssueComment');
      comment.updatedAt = request.state.isoNow();
      return { json: commentJson(request.repo, comment, request.urls) };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues/:number/labels',
    handle: (request) => {
      const { repo, body } = request;
      const issue = repo.issue(numberParam(request, 'number'));
      // Both `{ labels: [...] }` and a bare array are accepted, as by GitHub.
      const raw = (body as { labels?: unknown }).labels ?? (Array.isArray(body) ? body : undefined);
      if (raw === undefined)
        throw validationFailed([{ resource: 'Label', field: 'labels', code: 'missing_field' }]);
      repo.addLabels(issue, stringArray(raw, 'labels'));
      issue.updatedAt = request.state.isoNow();
      return { json: issue.labels.map((name) => labelJson(repo, name, request.urls)) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/:owner/:repo/issues/:number/labels/:name',
    handle: (request) => {
      const { repo, params } = request;
      const issue = repo.issue(numberParam(request, 'number'));
      if (!issue.labels.includes(params.name!))
        throw validationFailed([{ resource: 'Label', code: 'invalid' }]);
      issue.labels = issue.labels.filter((label) => label !== params.name);
      return { json: issue.labels.map((name) => labelJson(repo, name, request.urls)) };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/labels',
    handle: (request) => {
      const { repo, body } = request;
      const name = requiredString(body, 'name', 'Label');
      repo.createLabel(
        name,
        optionalString(body, 'color') ?? 'ededed',
        nullableString(body, 'description') ?? null,
      );
      return { status: 201, json: labelJson(repo, name, request.urls) };
    },
  },
];
