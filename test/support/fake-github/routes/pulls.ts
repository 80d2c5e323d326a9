// Pull requests: list (state, head, base), create (422 for a duplicate head or no commits), get (with
// `mergeable_state` computed from protection, checks and reviews), update, the changed files, reviews and
// the merge (405/409 as GitHub refuses). Pull requests are issues too: labels and comments go through the
// issues routes.
import { ApiError } from '../errors.js';
import {
  nullableString,
  numberParam,
  optionalBoolean,
  optionalString,
  paginate,
  requiredString,
  sortRecords,
  type Route,
} from '../http.js';
import { pullJson, reviewJson } from '../json.js';
import type { IssueRecord, MergeMethod, PullRecord } from '../repo.js';

const METHODS: MergeMethod[] = ['merge', 'squash', 'rebase'];

type Pull = IssueRecord & { pull: PullRecord };

export const pullRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls',
    handle: (request) => {
      const { repo, query, state, urls } = request;
      const wanted = query.get('state') ?? 'open';
      const head = query.get('head');
      const base = query.get('base');
      const pulls = [...repo.issues.values()].filter((issue): issue is Pull => {
        if (!issue.pull) return false;
        if (wanted !== 'all' && issue.state !== wanted) return false;
        if (head && head !== `${repo.owner}:${issue.pull.head}` && head !== issue.pull.head) return false;
        return !base || issue.pull.base === base;
      });
      const page = paginate(request, sortRecords(request, pulls));
      return {
        json: page.items.map((issue) => pullJson(state, repo, issue, urls, { list: true })),
        headers: page.headers,
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/pulls',
    handle: ({ repo, body, state, urls }) => {
      const pull = repo.createPull({
        title: requiredString(body, 'title', 'PullRequest'),
        body: nullableString(body, 'body') ?? null,
        head: requiredString(body, 'head', 'PullRequest'),
        base: requiredString(body, 'base', 'PullRequest'),
        draft: optionalBoolean(body, 'draft') ?? false,
        user: state.bot,
      });
      return { status: 201, json: pullJson(state, repo, pull as Pull, urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number',
    handle: (request) => ({
      json: pullJson(
        request.state,
        request.repo,
        request.repo.pull(numberParam(request, 'number')),
        request.urls,
      ),
    }),
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/pulls/:number',
    handle: (request) => {
      const { repo, body } = request;
      const pull = repo.pull(numberParam(request, 'number'));
      repo.updatePull(pull, {
        title: optionalString(body, 'title'),
        body: nullableString(body, 'body'),
        state: optionalString(body, 'state'),
        base: optionalString(body, 'base'),
      });
      return { json: pullJson(request.state, repo, pull, request.urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/files',
    handle: (request) => {
      const { repo } = request;
      const files = repo.pullFiles(repo.pull(numberParam(request, 'number')));
      const page = paginate(request, files);
      return {
        json: page.items.map((file) => ({
          sha: file.sha,
          filename: file.path,
          status: file.status,
          additions: 0,
          deletions: 0,
          changes: 0,
          blob_url: `${request.urls.web}/${repo.fullName}/blob/${file.sha}/${file.path}`,
          contents_url: `${request.urls.api}/repos/${repo.fullName}/contents/${file.path}`,
        })),
        headers: page.headers,
      };
    },
  },
  {
    method: 'PUT',
    path: '/repos/:owner/:repo/pulls/:number/merge',
    handle: (request) => {
      const { repo, body } = request;
      const pull = repo.pull(numberParam(request, 'number'));
      const method = optionalString(body, 'merge_method') ?? 'merge';
      if (!METHODS.includes(method as MergeMethod))
        throw new ApiError(
          422,
          `Invalid request.\n\n${JSON.stringify(method)} is not a member of ["merge", "squash", "rebase"].`,
        );
      const sha = repo.mergeChecked(pull, {
        sha: optionalString(body, 'sha'),
        method: method as MergeMethod,
        title: optionalString(body, 'commit_title'),
        message: optionalString(body, 'commit_message'),
      });
      return { json: { sha, merged: true, message: 'Pull Request successfully merged' } };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/merge',
    handle: (request) => {
      if (!request.repo.pull(numberParam(request, 'number')).pull.merged)
        throw new ApiError(404, 'Not Found');
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/reviews',
    handle: (request) => {
      const issue = request.repo.pull(numberParam(request, 'number'));
      const page = paginate(request, issue.pull.reviews);
      return {
        json: page.items.map((review) => reviewJson(request.repo, issue, review, request.urls)),
        headers: page.headers,
      };
    },
  },
];
